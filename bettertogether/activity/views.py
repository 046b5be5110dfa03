from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from .rules import may_read_activity_log
from .selectors import activity_lines, activity_visible_to


def log(request):
    if not may_read_activity_log.test(request.user):  # activity.view_log
        raise Http404
    entries = activity_visible_to(actor=request.user)
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    actions = [
        ("", _("All activity")),
        ("person.", _("Accounts")),
        ("membership.", _("Roles")),
        ("invitation.", _("Invitations")),
        ("organisation.", _("Schools and settings")),
        ("caseload.", _("Caseloads")),
        ("profile.", _("Profiles")),
    ]
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "activity/log.html",
                  {"page": page, "lines": activity_lines(actor=request.user,
                                                         entries=page.object_list),
                   "action": action, "actions": actions})
