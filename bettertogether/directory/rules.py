"""Who may do what in the directory, declared once.

Views check these with `actor.has_perm(name, obj)`; selectors build their list filters
from the same `Scope`, so a list never shows what the single-object check would refuse.
"""

import rules

from . import disclosure
from .homes import home_network_id
from .scope import scope_for


@rules.predicate
def is_network_admin_of(actor, organisation) -> bool:
    if organisation is None:
        return False
    return organisation.network_root_id in scope_for(actor).admin_network_ids


@rules.predicate
def may_view_organisation(actor, organisation) -> bool:
    """The organisations `selectors.organisations_visible_to` reads, for one of them: the
    networks the actor administers and their schools, the actor's own schools and networks.
    A page links to an organisation only where this holds (anywhere else its page is 404)."""
    if organisation is None:
        return False
    scope = scope_for(actor)
    return (organisation.pk in scope.admin_network_ids
            or organisation.network_id in scope.admin_network_ids
            or organisation.pk in scope.school_ids
            or organisation.pk in scope.network_ids)


@rules.predicate
def is_leader_of_school(actor, organisation) -> bool:
    return organisation is not None and organisation.pk in scope_for(actor).leader_school_ids


@rules.predicate
def is_coach_in_school(actor, organisation) -> bool:
    return organisation is not None and organisation.pk in scope_for(actor).coach_school_ids


@rules.predicate
def is_admin_of_person(actor, person) -> bool:
    if person is None:
        return False
    admin_networks = scope_for(actor).admin_network_ids
    if not admin_networks:
        return False
    return person.memberships.filter(network_id__in=admin_networks).exists()


@rules.predicate
def controls_account(actor, person) -> bool:
    """An admin of the person's home network: the one network that renames the person and
    switches their sign-in off or on. Another network's admin acts only on its own roles."""
    if person is None:
        return False
    admin_networks = scope_for(actor).admin_network_ids
    if not admin_networks:
        return False
    return home_network_id(person) in admin_networks


@rules.predicate
def is_self(actor, person) -> bool:
    return person is not None and actor.pk == person.pk


@rules.predicate
def is_network_admin(actor) -> bool:
    return scope_for(actor).is_network_admin


@rules.predicate
def may_open_people(actor) -> bool:
    """Opens the people directory: anyone with a role in a school, a network's admins and
    its facilitators (the list shows each only the people `selectors.people_visible_to`
    reads)."""
    scope = scope_for(actor)
    return bool(scope.school_ids or scope.admin_network_ids or scope.facilitator_network_ids)


@rules.predicate
def may_open_schools(actor) -> bool:
    """Opens the list of schools: a network's admins (their networks' schools) and school
    leaders (their own schools)."""
    scope = scope_for(actor)
    return bool(scope.admin_network_ids or scope.leader_school_ids)


@rules.predicate
def may_see_caseloads(actor, school) -> bool:
    """Who is in which caseload of a school: the network's admins (they make caseloads) and
    the school's coaches; its leaders only where the disclosure gate lets them see who was
    coached (`disclosure.names_coached`: the school's policy and size; one query, for a
    leader only)."""
    if school is None:
        return False
    scope = scope_for(actor)
    if school.network_root_id in scope.admin_network_ids or school.pk in scope.coach_school_ids:
        return True
    if school.pk not in scope.leader_school_ids:
        return False
    size = disclosure.school_sizes(school_ids=[school.pk]).get(school.pk, 0)
    return disclosure.names_coached(school, size=size)


rules.add_perm("directory.open_people", may_open_people)
rules.add_perm("directory.open_schools", may_open_schools)
rules.add_perm("directory.open_organisation", may_view_organisation)
rules.add_perm("directory.manage_organisation", is_network_admin_of)
rules.add_perm("directory.invite_people", is_network_admin_of)
rules.add_perm("directory.assign_caseload", is_network_admin_of)
rules.add_perm("directory.view_activity", is_network_admin_of)
rules.add_perm("directory.view_school_people", is_network_admin_of | is_leader_of_school
               | is_coach_in_school)
# Switching a sign-in off or on: the home network's admins, never on themselves.
rules.add_perm("directory.manage_person", controls_account & ~is_self)
# Roles and leaving: each network on its own part of the person.
rules.add_perm("directory.manage_roles", is_admin_of_person)
rules.add_perm("directory.remove_from_network", is_admin_of_person & ~is_self)
rules.add_perm("directory.edit_profile", is_self | controls_account)
rules.add_perm("directory.admin_anything", is_network_admin)
