"""Canary: text planted in every confidential field of goals and cycles reaches only the
people it belongs to.

- Pair-level (coach and the cycle's teachers): the goal's words, stage plans, what
  happened, both reflections.
- The coach's alone: a cycle's private notes, and the private note of an interaction
  logged into a stage.
"""

import logging

import pytest
from django.urls import reverse

from bettertogether.activity.models import ActivityEntry
from bettertogether.coaching.tests.support import kind
from bettertogether.directory.models import LeaderVisibility
from bettertogether.goals import cycles
from bettertogether.goals.models import Outcome
from bettertogether.goals.tests.support import a_cycle, a_goal
from bettertogether.testing import factories as f

PAIR = "CANARY-PAIR-5d21e0"
PRIVATE = "CANARY-PRIVATE-9ac4b7"


@pytest.fixture
def planted(cast):
    cast.school.leader_visibility = LeaderVisibility.WHO_AND_KIND
    cast.school.save()
    goal = a_goal(cast.coach, [cast.teacher], title=f"Goal {PAIR}",
                  student_outcome=f"Outcome {PAIR}", success_criteria=f"I can {PAIR}",
                  measure=PAIR, baseline=PAIR, target=PAIR, expectations=PAIR)
    cycle = a_cycle(cast.coach, goal)
    stage = cycle.stages.get(position=1)
    cycles.stage_update(actor=cast.coach, stage=stage, plan=f"Plan {PAIR}",
                        happened=f"Happened {PAIR}")
    cycles.stage_log(actor=cast.coach, stage=stage, kind=kind("Co-planning"),
                     teachers=[cast.teacher], minutes=45, occurred_at=None,
                     shared_note=f"Shared {PAIR}", private_note=f"Private {PRIVATE}")
    cycles.cycle_private_notes_update(actor=cast.coach, cycle=cycle,
                                      private_notes=f"Notes {PRIVATE}")
    cycles.cycle_reflect(actor=cast.teacher, cycle=cycle, reflection=f"Teacher {PAIR}")
    return {"goal": goal, "cycle": cycle, "stage": stage}


def _urls(cast, planted):
    goal, cycle, stage = planted["goal"], planted["cycle"], planted["stage"]
    return [
        reverse("core:home"), reverse("goals:list"), reverse("goals:goal", args=[goal.pk]),
        reverse("goals:cycle", args=[cycle.pk]),
        reverse("goals:stage", args=[cycle.pk, stage.pk]),
        reverse("coaching:caseload"), reverse("coaching:mine"),
        reverse("coaching:teacher", args=[cast.teacher.pk]),
        reverse("coaching:school_summary", args=[cast.school.pk]),
        reverse("goals:school_summary", args=[cast.school.pk]),
        reverse("directory:person", args=[cast.teacher.pk]),
        reverse("activity:log"), reverse("notifications:list"),
        "/support/activity/activityentry/",
    ]


def _seen(client, urls) -> str:
    return "".join(client.get(url).content.decode() for url in urls)


@pytest.mark.parametrize("who", ["second_coach", "other_teacher", "leader", "admin",
                                 "outsider", "support_staff"])
def test_canary_nothing_of_the_pair_reaches_anyone_else(cast, client_for, persona, planted,
                                                        who, caplog):
    caplog.set_level(logging.DEBUG)
    actor = f.PersonFactory(is_staff=True, is_superuser=True) if who == "support_staff" \
        else persona(who)

    seen = _seen(client_for(actor), _urls(cast, planted))

    assert PAIR not in seen
    assert PRIVATE not in seen
    assert PAIR not in caplog.text and PRIVATE not in caplog.text


def test_canary_teacher_sees_the_pairs_words_never_the_coachs_private_ones(cast, client_for,
                                                                           planted):
    seen = _seen(client_for(cast.teacher), _urls(cast, planted))

    assert PAIR in seen
    assert PRIVATE not in seen


def test_canary_coach_sees_their_private_notes(cast, client_for, planted):
    seen = _seen(client_for(cast.coach), [reverse("goals:cycle", args=[planted["cycle"].pk])])

    assert f"Notes {PRIVATE}" in seen
    assert f"Private {PRIVATE}" in seen


def test_canary_closing_keeps_every_word_out_of_the_activity_log(cast, planted):
    cycles.cycle_close(actor=cast.coach, cycle=planted["cycle"], outcome=Outcome.MET,
                       coach_reflection=f"Coach {PAIR}")

    logged = " ".join(f"{e.target_label} {e.details}" for e in ActivityEntry.objects.all())
    assert PAIR not in logged and PRIVATE not in logged
