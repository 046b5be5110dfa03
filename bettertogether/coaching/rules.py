"""Who may do what with the coach's log, declared once.

Reading goes through `selectors` (which 404 outside the actor's reach); these predicates
decide the writes and which links a page offers.
"""

import rules
from django.db.models import Exists, OuterRef, Q

from bettertogether.directory.calendar import current_school_year
from bettertogether.directory.models import Membership, Role
from bettertogether.directory.rules import is_leader_of_school, is_network_admin_of
from bettertogether.directory.scope import scope_for
from bettertogether.directory.selectors import caseload_for


@rules.predicate
def is_coach(actor) -> bool:
    return scope_for(actor).is_coach


@rules.predicate
def is_teacher(actor) -> bool:
    return scope_for(actor).is_teacher


@rules.predicate
def is_leader(actor) -> bool:
    """A school leader of at least one school."""
    return scope_for(actor).is_leader


@rules.predicate
def is_author(actor, obj) -> bool:
    """The coach who logged an interaction or wrote a personal note."""
    return obj is not None and obj.coach_id == actor.pk


def author_q(actor) -> Q:
    """`is_author` as a filter: the interactions (or personal notes) the actor wrote."""
    return Q(coach_id=actor.pk)


@rules.predicate
def is_coach_of_teacher(actor, teacher) -> bool:
    """A coach serving one of the schools the teacher teaches in (not the teacher themself).

    Reads the teacher's memberships from the prefetch when the selector loaded them
    (`person_get_for` does), so checking a page's teacher costs no query.
    """
    if teacher is None or teacher.pk == actor.pk:
        return False
    coach_schools = scope_for(actor).coach_school_ids
    if not coach_schools:
        return False
    if "memberships" in getattr(teacher, "_prefetched_objects_cache", {}):
        return any(m.role == Role.TEACHER and m.organisation_id in coach_schools
                   for m in teacher.memberships.all())
    return teacher.memberships.filter(
        role=Role.TEACHER, organisation_id__in=coach_schools
    ).exists()


def teaches_where_actor_coaches(actor, person_ref: str = "pk") -> Exists:
    """The school half of `is_coach_of_teacher` as an expression: the person of the outer
    row (`person_ref`: "pk" for people, "teacher_id" for caseload rows) teaches in one of
    the schools the actor coaches in."""
    return Exists(Membership.objects.filter(
        person_id=OuterRef(person_ref), role=Role.TEACHER,
        organisation_id__in=scope_for(actor).coach_school_ids))


def coach_of_teacher_q(actor) -> Q:
    """`is_coach_of_teacher` as a filter of people."""
    return Q(teaches_where_actor_coaches(actor)) & ~Q(pk=actor.pk)


@rules.predicate
def is_caseload_coach_of(actor, teacher) -> bool:
    """One of the teacher's coaches: the teacher is in the actor's caseload this school year.

    Narrower than `is_coach_of_teacher` (any coach of the teacher's school): this is who
    "their coaches" are on the caseload, the log form and the teacher's own pages.
    """
    if teacher is None or teacher.pk == actor.pk:
        return False
    scope = scope_for(actor)
    if not scope.is_coach:
        return False
    year = current_school_year(network_id=scope.primary_network_id)
    return caseload_for(actor=actor, school_year=year).filter(teacher_id=teacher.pk).exists()


rules.add_perm("coaching.log_interaction", is_coach)
rules.add_perm("coaching.view_own_coaching", is_teacher)
rules.add_perm("coaching.edit_interaction", is_author)
rules.add_perm("coaching.keep_personal_notes", is_coach_of_teacher)
rules.add_perm("coaching.change_personal_note", is_author)


# --- what leaders and network admins may read and manage --------------------------------


@rules.predicate
def is_a_network(actor, organisation) -> bool:
    return organisation is not None and organisation.is_network


@rules.predicate
def is_a_school(actor, organisation) -> bool:
    return organisation is not None and not organisation.is_network


# An organisation that is a network, and the actor is one of its admins: who changes what
# a network keeps for all its schools (kinds of support, relationship rules, and in the
# apps above: cycle templates, shared resources, the menu's network items).
administers_network = is_a_network & is_network_admin_of
# A school's coaching figures: its leaders and its network's admins (counts, never content).
may_read_school_summary = is_a_school & (is_leader_of_school | is_network_admin_of)
# A network's own kinds of support: that network's admins.
may_manage_support_kinds = administers_network

rules.add_perm("coaching.view_school_summary", may_read_school_summary)
rules.add_perm("coaching.manage_support_kinds", may_manage_support_kinds)
rules.add_perm("coaching.tune_relationship_rules", administers_network)
