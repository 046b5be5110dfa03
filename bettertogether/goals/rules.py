"""Who may change the goals app's shared material, declared once.

- The library of conversation resources is the coaches' (who use it) and the network
  admins' (who keep the network's shared shelf). Teachers and leaders do not open it.
- A resource: a coach's own is theirs alone; one shared with a network is its admins';
  a built-in one nobody changes.
- A cycle template: a network's own is its admins'; a built-in one nobody changes (a
  network copies it and edits the copy).
- A goal's cycles are started by the goal's coach.
- A teacher's growth goals are the teacher's, and are shared with their coaches (those
  with the teacher in their caseload this school year); never with a school leader, a
  network admin or another coach of the school.

Reads go through the selectors (404 outside the actor's reach); these predicates decide
the writes and which buttons a page offers.
"""

import rules

from bettertogether.coaching.rules import is_caseload_coach_of
from bettertogether.directory.rules import is_self
from bettertogether.directory.scope import scope_for


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


@rules.predicate
def is_template_admin(actor, template) -> bool:
    if template is None or template.network_id is None:
        return False
    return template.network_id in scope_for(actor).admin_network_ids


@rules.predicate
def is_goal_coach(actor, goal) -> bool:
    return goal is not None and goal.coach_id == actor.pk


may_see_growth_goals = is_self | is_caseload_coach_of

rules.add_perm("goals.use_library", uses_library)
rules.add_perm("goals.change_resource", is_resource_keeper)
rules.add_perm("goals.change_template", is_template_admin)
rules.add_perm("goals.start_cycle", is_goal_coach)
rules.add_perm("goals.view_growth_goals", may_see_growth_goals)
