import functools

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext as _

from bettertogether.activity.rules import may_read_activity_log
from bettertogether.coaching.rules import is_coach, is_teacher
from bettertogether.directory.rules import is_network_admin, may_open_people, may_open_schools
from bettertogether.directory.scope import scope_for
from bettertogether.goals.rules import may_open_goals
from bettertogether.menu.rules import may_open_sessions
from bettertogether.notifications.selectors import unread_count
from bettertogether.reports.rules import may_open_reports


def shell(request) -> dict:
    """The navigation for the roles the signed-in person holds: each link shows where the
    rule that guards its page lets the person in (the same predicate the page checks)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    scope = scope_for(user)
    nav = [(_("Home"), reverse("core:home"), "home")]
    if is_coach.test(user):  # coaching.log_interaction, menu.answer_request
        nav.append((_("My caseload"), reverse("coaching:caseload"), "caseload"))
        nav.append((_("Log"), reverse("coaching:log"), "coaching_log"))
        nav.append((_("Requests"), reverse("menu:inbox"), "requests"))
    if is_teacher.test(user):  # coaching.view_own_coaching, menu.request_support
        nav.append((_("My coaching"), reverse("coaching:mine"), "coaching_mine"))
        nav.append((_("Ask for help"), reverse("menu:menu"), "menu"))
    if may_open_goals.test(user):
        nav.append((_("Goals"), reverse("goals:list"), "goals"))
    if may_open_sessions.test(user):
        nav.append((_("Sessions"), reverse("menu:sessions"), "sessions"))
    if may_open_reports.test(user):
        nav.append((_("Reports"), reverse("reports:index"), "reports"))
    if may_open_people.test(user):
        nav.append((_("People"), reverse("directory:people"), "people"))
    if may_open_schools.test(user):
        nav.append((_("Schools"), reverse("directory:organisations"), "organisations"))
    if is_network_admin.test(user):
        nav.append((_("Invitations"), reverse("accounts:invitations"), "invitations"))
    if may_read_activity_log.test(user):
        nav.append((_("Activity"), reverse("activity:log"), "activity"))
    if is_network_admin.test(user):
        nav.append((_("Rosters"), reverse("rostering:imports"), "rostering"))
    nav.append((_notifications_label(user), reverse("notifications:list"), "notifications"))
    return {"nav": nav, "scope": scope, "active": _active_section(request)}


def _notifications_label(user):
    """The label of the notifications link: "Notifications (3)" when 3 are unread.

    Screen readers hear "Notifications (3) unread"; with none unread, just "Notifications".

    Lazy and remembered: the unread count costs one query, and only on a page that draws
    the navigation (not on an htmx fragment).
    """

    @functools.cache
    def label() -> str:
        count = unread_count(actor=user)
        if not count:
            return _("Notifications")
        return format_html('{} ({})<span class="visually-hidden"> {}</span>',
                           _("Notifications"), count, _("unread"))

    return lazy(label, str)()


SECTIONS = {
    "core:home": "home",
    "core:profile": "profile",
    "core:profile_edit": "profile",
    "accounts:password_change": "profile",
    "directory:people": "people",
    "directory:person": "people",
    "directory:person_edit": "people",
    "directory:organisations": "organisations",
    "directory:organisation": "organisations",
    "directory:organisation_settings": "organisations",
    "directory:school_create": "organisations",
    "directory:school_year_create": "organisations",
    "directory:school_caseloads": "organisations",
    "accounts:invitations": "invitations",
    "activity:log": "activity",
    "rostering:imports": "rostering",
    "rostering:import": "rostering",
    "coaching:log": "coaching_log",
    "coaching:my_log": "coaching_log",
    "coaching:entry_edit": "coaching_log",
    "coaching:teacher": "caseload",
    "coaching:caseload": "caseload",
    "coaching:mine": "coaching_mine",
    "coaching:school_summary": "organisations",
    "coaching:support_kinds": "organisations",
    "coaching:support_kind_edit": "organisations",
    "menu:inbox": "requests",
    "menu:request": "requests",
    "menu:my_requests": "menu",
    "menu:menu": "menu",
    "menu:item_create": "menu",
    "menu:item_edit": "menu",
    "menu:request_new": "menu",
    "menu:network_menu": "organisations",
    "menu:network_item_create": "organisations",
    "menu:sessions": "sessions",
    "menu:session": "sessions",
    "menu:session_new": "sessions",
    "menu:session_edit": "sessions",
    "menu:session_log": "sessions",
    "menu:calendar": "sessions",
    "goals:list": "goals",
    "goals:school_summary": "organisations",
    "goals:goal_new": "goals",
    "goals:goal": "goals",
    "goals:goal_edit": "goals",
    "goals:growth_new": "goals",
    "goals:growth_edit": "goals",
    "goals:cycle": "goals",
    "goals:stage": "goals",
    "goals:stage_log": "goals",
    "goals:resources": "goals",
    "goals:resource_new": "goals",
    "goals:resource_edit": "goals",
    "goals:templates": "organisations",
    "goals:template": "organisations",
    "goals:template_stage": "organisations",
    "goals:frameworks": "organisations",
    "goals:framework": "organisations",
    "goals:interaction_tag": "goals",
    "goals:cycle_tag": "goals",
    "notifications:list": "notifications",
    "notifications:settings": "notifications",
}


def _active_section(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return ""
    if match.view_name.startswith("reports:"):
        return "reports"
    return SECTIONS.get(match.view_name, "")
