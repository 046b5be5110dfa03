"""Who may do what with goals, cycles, their evidence and the shared material, declared once.

Goals and cycles are the pair's: a goal or a cycle is read and written by its coach and its
teachers ("one of the pair"), and by nobody else: not a school leader, a network admin or
another coach of the school. Within the pair:

- the coach starts work on a goal, tags it, closes it and starts its cycles;
- either of them plans a stage (only the coach moves its due date);
- the coach completes stages, logs contacts into them, keeps the cycle's private notes,
  tags it and closes it; its teachers write the teacher's reflection;
- both record student evidence while the cycle is under way; once it has closed, the
  coach alone may still correct it.

A teacher's growth goals are the teacher's, and are shared with their coaches (those with
the teacher in their caseload this school year); never with a school leader, a network
admin or another coach of the school.

The shared material:

- the library of conversation resources is the coaches' (who use it) and the network
  admins' (who keep the network's shared shelf). Teachers and leaders do not open it;
- a resource: a coach's own is theirs alone; one shared with a network is its admins';
  a built-in one nobody changes;
- a cycle template: a network's own is its admins'; a built-in one nobody changes (a
  network copies it and edits the copy).

Each rule is one predicate, used by the views (to refuse and to decide which buttons a page
offers), by the services (to refuse a write) and, where a selector filters a list by the
same rule, next to its set form (`pair_q`, `growth_goal_owner_q`): a function returning the
`Q` of every row the predicate holds for, so the one-object check and the list cannot
disagree (`tests/test_rules_agree.py` holds them to it).
"""

from __future__ import annotations

import rules
from django.db.models import Exists, OuterRef, Q

from bettertogether.coaching.rules import (
    administers_network,
    is_caseload_coach_of,
    is_coach,
    is_teacher,
)
from bettertogether.directory.rules import is_self
from bettertogether.directory.scope import scope_for

# --- the pair: a goal's or a cycle's coach and teachers ---------------------------------------


def _teaches_in(obj, person_id: int) -> bool:
    """Whether the person is one of a goal's or cycle's teachers: from the prefetched list
    when the selector loaded it (no query), otherwise one query."""
    if "teachers" in getattr(obj, "_prefetched_objects_cache", {}):
        return any(t.pk == person_id for t in obj.teachers.all())
    return obj.teachers.filter(pk=person_id).exists()


@rules.predicate
def is_its_coach(actor, obj) -> bool:
    """The coach of a goal or of a cycle."""
    return obj is not None and obj.coach_id == actor.pk


@rules.predicate
def is_one_of_its_teachers(actor, obj) -> bool:
    """One of the teachers of a goal or of a cycle."""
    return obj is not None and actor.pk is not None and _teaches_in(obj, actor.pk)


# "Is one of this goal's (or cycle's) pair": its coach or one of its teachers.
is_one_of_the_pair = is_its_coach | is_one_of_its_teachers


def pair_q(actor, model) -> Q:
    """`is_one_of_the_pair` as a filter of `model` (Goal or Cycle): the rows the actor
    coaches or is a teacher of. An `EXISTS` rather than a join, so no row comes twice."""
    through = model.teachers.through
    link = f"{model._meta.model_name}_id"
    taught = through.objects.filter(**{link: OuterRef("pk")}, person_id=actor.pk)
    return Q(coach_id=actor.pk) | Q(Exists(taught))


def pair_ids(actor, model) -> list[int]:
    """The ids `pair_q` selects, as one union of two indexed lookups (for long lists, where
    "coach is me OR a teacher is me" would read every row), remembered on the actor for the
    request like the scope."""
    remembered = getattr(actor, "_bt_goal_ids", None)
    if remembered is None:
        remembered = actor._bt_goal_ids = {}
    if model not in remembered:
        through = model.teachers.through
        link = f"{model._meta.model_name}_id"
        led = model.objects.filter(coach_id=actor.pk).order_by().values_list("id", flat=True)
        taught = (through.objects.filter(person_id=actor.pk).order_by()
                  .values_list(link, flat=True))
        remembered[model] = list(led.union(taught).order_by())
    return remembered[model]


@rules.predicate
def is_under_way(actor, cycle) -> bool:
    return cycle is not None and cycle.is_active


# The pair while the cycle is under way; the coach alone once it has closed.
may_record_evidence = is_its_coach | (is_under_way & is_one_of_its_teachers)


# --- growth goals -----------------------------------------------------------------------------


@rules.predicate
def is_growth_goal_teacher(actor, growth_goal) -> bool:
    """A growth goal is its teacher's."""
    return growth_goal is not None and growth_goal.teacher_id == actor.pk


def growth_goal_owner_q(actor) -> Q:
    """`is_growth_goal_teacher` as a filter: the actor's own growth goals."""
    return Q(teacher_id=actor.pk)


may_see_growth_goals = is_self | is_caseload_coach_of


# --- the library and the templates ------------------------------------------------------------


@rules.predicate
def uses_library(actor) -> bool:
    scope = scope_for(actor)
    return scope.is_coach or scope.is_network_admin


@rules.predicate
def is_resource_keeper(actor, resource) -> bool:
    """A coach's own resource is theirs; a network's shared one is its admins'."""
    if resource is None:
        return False
    if resource.owner_id is not None:
        return resource.owner_id == actor.pk
    if resource.network_id is None:
        return False  # built in
    return resource.network_id in scope_for(actor).admin_network_ids


def may_use_resource_in(actor, resource, *, network_id: int) -> bool:
    """Whether the actor may pull a resource into a plan or an agenda of `network_id`:
    a built-in one, one the network shares, or the actor's own."""
    if resource is None:
        return False
    if resource.owner_id is not None:
        return resource.owner_id == actor.pk
    return resource.network_id in (None, network_id)


@rules.predicate
def is_in_library(actor, resource) -> bool:
    """A resource the actor may read: built in, shared with one of the actor's networks,
    or their own (a coach's own is nobody else's)."""
    if resource is None:
        return False
    if resource.owner_id is not None:
        return resource.owner_id == actor.pk
    return resource.network_id is None or resource.network_id in scope_for(actor).network_ids


def library_q(actor) -> Q:
    """`is_in_library` as a filter: the resources in the actor's library."""
    scope = scope_for(actor)
    return (Q(network__isnull=True, owner__isnull=True)
            | Q(network_id__in=scope.network_ids, owner__isnull=True)
            | Q(owner_id=actor.pk))


@rules.predicate
def is_template_admin(actor, template) -> bool:
    if template is None or template.network_id is None:
        return False
    return template.network_id in scope_for(actor).admin_network_ids


# The goals page: coaches and teachers.
may_open_goals = is_coach | is_teacher

# Goals, cycles and the goals page.
rules.add_perm("goals.view_goals", may_open_goals)
rules.add_perm("goals.set_goals", is_coach)
rules.add_perm("goals.open_goal", is_one_of_the_pair)
rules.add_perm("goals.edit_goal", is_one_of_the_pair)
rules.add_perm("goals.lead_goal", is_its_coach)
rules.add_perm("goals.start_cycle", is_its_coach)
rules.add_perm("goals.open_cycle", is_one_of_the_pair)
rules.add_perm("goals.plan_stage", is_one_of_the_pair)
rules.add_perm("goals.lead_cycle", is_its_coach)
rules.add_perm("goals.reflect_on_cycle", is_one_of_its_teachers)
rules.add_perm("goals.record_evidence", may_record_evidence)
# Growth goals.
rules.add_perm("goals.keep_growth_goals", is_teacher)
rules.add_perm("goals.change_growth_goal", is_growth_goal_teacher)
rules.add_perm("goals.view_growth_goals", may_see_growth_goals)
# The library and the templates.
rules.add_perm("goals.use_library", uses_library)
rules.add_perm("goals.view_resource", uses_library & is_in_library)
rules.add_perm("goals.keep_own_resources", is_coach)
rules.add_perm("goals.share_resources", administers_network)
rules.add_perm("goals.change_resource", is_resource_keeper)
rules.add_perm("goals.manage_templates", administers_network)
rules.add_perm("goals.change_template", is_template_admin)
