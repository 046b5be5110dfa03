"""Snapshots: a coach shares their report, frozen, with one leader (thin: the service builds
and stores it, the selectors decide who may open it)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bettertogether.core.forms import apply_errors

from . import selectors, services
from .engine import build_report
from .forms import SnapshotForm
from .rules import is_snapshot_publisher
from .views import _filters, sections_with_charts


def snapshot_new(request):
    """The form to share the report of the query string's filters, with what the leader
    will see: its period, its filters and its headline figures."""
    try:
        scope = services.snapshot_scope(actor=request.user)
    except PermissionDenied as exc:
        raise Http404("No such report") from exc
    filter_form, filters = _filters(request, scope)
    leaders = list(selectors.leaders_for_snapshot(actor=request.user))
    form = SnapshotForm(request.POST or None, leaders=leaders, label_suffix="",
                        initial={"idempotency_key": uuid.uuid4()})
    if request.method == "POST" and filter_form.is_valid() and form.is_valid():
        data = form.cleaned_data
        try:
            made = services.snapshot_publish(
                actor=request.user, leader=_chosen(leaders, data["leader"]),
                title=data["title"], message=data["message"], filters=filters,
                idempotency_key=data["idempotency_key"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Shared with %(name)s. You can withdraw it at any "
                                        "time.") % {"name": made.leader.full_name})
            return redirect("reports:snapshot", token=made.token)
    preview = build_report(scope=scope, filters=filters)
    form.initial.setdefault("title", f"{preview['title']}, {preview['period']['label']}"[:120])
    filters_ok = filter_form.is_valid()
    return render(request, "reports/snapshot_new.html", {
        "form": form, "filter_form": filter_form, "filters_ok": filters_ok,
        "preview": preview, "leaders": leaders, "query": request.GET.urlencode(),
    }, status=422 if form.errors or not filters_ok else 200)


def _chosen(leaders, pk: int):
    return next((person for person in leaders if person.pk == pk), None)


def snapshot(request, token):
    """A snapshot, read-only: for its coach (also once withdrawn) and its leader."""
    found = selectors.snapshot_get_for(actor=request.user, token=token)
    return render(request, "reports/snapshot.html", {
        "snapshot": found, "report": found.data, "sections": sections_with_charts(found.data),
        "is_coach": is_snapshot_publisher.test(request.user, found),
    })


@require_POST
def snapshot_withdraw(request, token):
    found = selectors.snapshot_get_for(actor=request.user, token=token)
    if not is_snapshot_publisher.test(request.user, found):  # reports.withdraw_snapshot
        raise Http404("No such report")
    services.snapshot_withdraw(actor=request.user, snapshot=found)
    messages.success(request, _("Withdrawn: %(name)s can no longer open it.") % {
        "name": found.leader.full_name})
    return redirect("reports:index")
