"""Helpers shared by the goals tests: a goal and a cycle through the services."""

from __future__ import annotations

import uuid

from bettertogether.goals import cycles, services
from bettertogether.goals.models import CycleTemplate

SCC = "Student-Centered Coaching cycle"


def a_goal(coach, teachers, **fields):
    fields.setdefault("title", "Explaining reasoning in fractions")
    fields.setdefault("student_outcome", "Students explain their reasoning when comparing "
                                         "fractions.")
    fields.setdefault("idempotency_key", uuid.uuid4())
    return services.goal_create(actor=coach, teachers=list(teachers), **fields)


def template(name=SCC) -> CycleTemplate:
    return CycleTemplate.objects.get(network=None, name=name)


def a_cycle(coach, goal, name=SCC, **extra):
    extra.setdefault("idempotency_key", uuid.uuid4())
    return cycles.cycle_start(actor=coach, goal=goal, template=template(name), **extra)
