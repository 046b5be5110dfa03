"""Each rule of the goals app that a selector also applies to a list has a set form next to
its predicate in `goals/rules.py`. On a small world — every persona of the cast and a
second coach, every goal, cycle, growth goal and resource — the predicate and its set form
hold for exactly the same rows, so a page of one object and a list cannot disagree."""

from __future__ import annotations

import pytest

from bettertogether.goals import rules
from bettertogether.goals.models import ConversationResource, Cycle, Goal, GrowthGoal
from bettertogether.goals.services import growth_goal_create
from bettertogether.goals.tests.support import a_cycle, a_goal
from bettertogether.testing import factories as f

PERSONAS = ["coach", "teacher", "other_teacher", "leader", "admin", "outsider", "second_coach"]


@pytest.fixture
def world(cast, second_coach):
    """Goals and cycles of two coaches, alone and in a team, open and closed."""
    solo = a_goal(cast.coach, [cast.teacher])
    team = a_goal(cast.coach, [cast.teacher, cast.other_teacher], title="Team goal")
    other = a_goal(second_coach, [cast.other_teacher], title="Another coach's goal")
    a_cycle(cast.coach, solo)
    a_cycle(cast.coach, team)
    a_cycle(second_coach, other)
    a_goal(cast.coach, [cast.other_teacher], title="A draft, no cycle")
    growth_goal_create(actor=cast.teacher, title="Ask better questions")
    growth_goal_create(actor=cast.other_teacher, title="Plan with the grade team")
    ConversationResource.objects.create(owner=cast.coach, network=cast.network,
                                        kind="stems", purpose="plan", title="Mine", body="…")
    ConversationResource.objects.create(owner=second_coach, network=cast.network,
                                        kind="stems", purpose="plan", title="Theirs", body="…")
    ConversationResource.objects.create(network=cast.network, kind="stems", purpose="plan",
                                        title="Riverside's", body="…")
    ConversationResource.objects.create(network=cast.outsider_network, kind="stems",
                                        purpose="plan", title="Northfield's", body="…")
    f.MembershipFactory(person=f.PersonFactory(), organisation=cast.outsider_school,
                        role="teacher")
    return cast


def _fresh(person):
    """The person as a new request would see them: nothing remembered yet."""
    return type(person).objects.get(pk=person.pk)


@pytest.mark.parametrize("model", [Goal, Cycle])
@pytest.mark.parametrize("name", PERSONAS)
def test_one_of_the_pair_agrees_with_pair_q(world, persona, model, name):
    actor = _fresh(persona(name))
    rows = list(model.objects.prefetch_related("teachers"))
    by_predicate = {row.pk for row in rows if rules.is_one_of_the_pair.test(actor, row)}
    without_prefetch = {row.pk for row in model.objects.all()
                        if rules.is_one_of_the_pair.test(actor, row)}
    by_filter = set(model.objects.filter(rules.pair_q(actor, model)).values_list("pk", flat=True))
    assert by_predicate == without_prefetch == by_filter == set(rules.pair_ids(actor, model))
    if name in ("coach", "teacher", "other_teacher", "second_coach"):
        assert by_filter  # the world gives each of them something to agree on


@pytest.mark.parametrize("name", PERSONAS)
def test_growth_goal_teacher_agrees_with_its_filter(world, persona, name):
    actor = _fresh(persona(name))
    by_predicate = {g.pk for g in GrowthGoal.objects.all()
                    if rules.is_growth_goal_teacher.test(actor, g)}
    by_filter = set(GrowthGoal.objects.filter(rules.growth_goal_owner_q(actor))
                    .values_list("pk", flat=True))
    assert by_predicate == by_filter


@pytest.mark.parametrize("name", PERSONAS)
def test_in_library_agrees_with_library_q(world, persona, name):
    actor = _fresh(persona(name))
    by_predicate = {r.pk for r in ConversationResource.objects.all()
                    if rules.is_in_library.test(actor, r)}
    by_filter = set(ConversationResource.objects.filter(rules.library_q(actor))
                    .values_list("pk", flat=True))
    assert by_predicate == by_filter
    assert ConversationResource.objects.filter(title="Northfield's", pk__in=by_filter).exists() \
        == (name == "outsider")
