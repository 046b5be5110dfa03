from django.urls import reverse
from django.utils.translation import gettext as _

from bettertogether.directory.scope import scope_for


def shell(request) -> dict:
    """The navigation for the roles the signed-in person holds."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    scope = scope_for(user)
    nav = [(_("Home"), reverse("core:home"), "home")]
    if scope.is_coach:
        nav.append((_("My caseload"), reverse("coaching:caseload"), "caseload"))
        nav.append((_("Log"), reverse("coaching:log"), "coaching_log"))
    if scope.is_teacher:
        nav.append((_("My coaching"), reverse("coaching:mine"), "coaching_mine"))
    if scope.school_ids or scope.is_network_admin or scope.facilitator_network_ids:
        nav.append((_("People"), reverse("directory:people"), "people"))
    if scope.is_network_admin or scope.is_leader:
        nav.append((_("Schools"), reverse("directory:organisations"), "organisations"))
    if scope.is_network_admin:
        nav.append((_("Invitations"), reverse("accounts:invitations"), "invitations"))
        nav.append((_("Activity"), reverse("activity:log"), "activity"))
        nav.append((_("Rosters"), reverse("rostering:imports"), "rostering"))
    return {"nav": nav, "scope": scope, "active": _active_section(request)}


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
}


def _active_section(request) -> str:
    match = getattr(request, "resolver_match", None)
    return SECTIONS.get(match.view_name, "") if match else ""
