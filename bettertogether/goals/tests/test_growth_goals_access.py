"""A teacher's growth goals: the teacher's own, shared with their coaches, nobody else.

"Their coaches" are those with the teacher in their caseload this school year (as on the
caseload, the log form and the teacher's "My coaching" page). Another coach of the same
school, the school's leader, the network's admin and an outsider never see them.
"""

import datetime

import pytest
from django.urls import reverse

from bettertogether.directory.models import Person, Role
from bettertogether.goals import services
from bettertogether.goals.models import GrowthGoal
from bettertogether.goals.selectors import growth_goals_of
from bettertogether.testing import factories as f

CANARY = "CANARY-GROWTH-3e7f10"
EVERYONE = ["teacher", "coach", "second_coach", "other_teacher", "leader", "admin", "outsider"]


@pytest.fixture
def growth(cast):
    return services.growth_goal_create(actor=cast.teacher, title=f"Questioning {CANARY}",
                                       description=f"Deeper questions {CANARY}")


def _pages(cast) -> list[str]:
    return [reverse("core:home"), reverse("goals:list"), reverse("coaching:caseload"),
            reverse("coaching:teacher", args=[cast.teacher.pk]), reverse("coaching:mine"),
            reverse("directory:person", args=[cast.teacher.pk]),
            reverse("directory:people"), reverse("activity:log"),
            reverse("notifications:list")]


def _seen(client, urls) -> str:
    return "".join(client.get(url).content.decode() for url in urls)


# --- the rule and the selector --------------------------------------------------------------


@pytest.mark.parametrize(("who", "allowed"), [
    ("teacher", True), ("coach", True), ("second_coach", False), ("other_teacher", False),
    ("leader", False), ("admin", False), ("outsider", False),
])
def test_growth_goals_rule_and_selector_agree_for_each_persona(cast, persona, growth, who,
                                                               allowed):
    actor = persona(who)

    assert actor.has_perm("goals.view_growth_goals", cast.teacher) is allowed
    assert list(growth_goals_of(actor=actor, teacher=cast.teacher)) == (
        [growth] if allowed else [])


def test_growth_goals_hidden_from_a_coach_whose_caseload_held_the_teacher_last_year(
        cast, growth, second_coach):
    last_year = f.SchoolYearFactory(
        network=cast.network, name="2025–26",
        starts_on=cast.school_year.starts_on - datetime.timedelta(days=365),
        ends_on=cast.school_year.starts_on - datetime.timedelta(days=1))
    f.CaseloadAssignmentFactory(coach=second_coach, teacher=cast.teacher, school=cast.school,
                                school_year=last_year)

    assert not second_coach.has_perm("goals.view_growth_goals", cast.teacher)
    assert list(growth_goals_of(actor=second_coach, teacher=cast.teacher)) == []


def test_growth_goals_seen_by_each_of_the_teachers_coaches(cast, growth, second_coach):
    f.CaseloadAssignmentFactory(coach=second_coach, teacher=cast.teacher, school=cast.school,
                                school_year=cast.school_year)

    assert list(growth_goals_of(actor=second_coach, teacher=cast.teacher)) == [growth]
    assert list(growth_goals_of(actor=cast.coach, teacher=cast.teacher)) == [growth]


def test_growth_goals_of_another_teacher_are_not_the_teachers(cast, growth):
    assert list(growth_goals_of(actor=cast.other_teacher, teacher=cast.teacher)) == []
    assert list(growth_goals_of(actor=cast.teacher, teacher=cast.other_teacher)) == []


# --- the pages ------------------------------------------------------------------------------


def test_teacher_page_shows_the_coach_the_teachers_growth_goals(cast, client_for, growth):
    response = client_for(cast.coach).get(reverse("coaching:teacher", args=[cast.teacher.pk]))

    assert response.status_code == 200
    [section] = response.context["sections"]
    assert section.rows == [growth]
    page = response.content.decode()
    assert f"Questioning {CANARY}" in page and f"Deeper questions {CANARY}" in page
    assert "Working on it" in page
    assert reverse("goals:growth_edit", args=[growth.pk]) not in page


def test_teacher_page_of_another_coach_of_the_school_shows_no_growth_goals(
        cast, client_for, growth, second_coach):
    response = client_for(second_coach).get(
        reverse("coaching:teacher", args=[cast.teacher.pk]))

    assert response.status_code == 200
    assert response.context["sections"] == []
    assert CANARY not in response.content.decode()


def test_teacher_page_without_growth_goals_draws_no_section(cast, client_for):
    response = client_for(cast.coach).get(reverse("coaching:teacher", args=[cast.teacher.pk]))

    assert response.context["sections"] == []
    assert "Growth goals" not in response.content.decode()


def test_teacher_sees_their_growth_goals_on_their_goals_page(cast, client_for, growth):
    response = client_for(cast.teacher).get(reverse("goals:list"))

    assert response.context["growth"] == [growth]
    assert reverse("goals:growth_edit", args=[growth.pk]) in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [
    ("teacher", 200), ("coach", 404), ("second_coach", 404), ("other_teacher", 404),
    ("leader", 404), ("admin", 404), ("outsider", 404),
])
def test_growth_goal_edit_page_is_the_teachers_alone(cast, client_for, persona, growth, who,
                                                     status):
    response = client_for(persona(who)).get(reverse("goals:growth_edit", args=[growth.pk]))

    assert response.status_code == status


@pytest.mark.parametrize("who", ["second_coach", "other_teacher", "leader", "admin",
                                 "outsider", "support_staff"])
def test_canary_growth_goals_reach_nobody_but_the_teacher_and_their_coach(
        cast, client_for, persona, growth, who):
    actor = (f.PersonFactory(is_staff=True, is_superuser=True) if who == "support_staff"
             else persona(who))

    assert CANARY not in _seen(client_for(actor), _pages(cast))


@pytest.mark.parametrize("who", ["teacher", "coach"])
def test_canary_growth_goals_reach_the_teacher_and_their_coach(cast, client_for, persona,
                                                               growth, who):
    assert CANARY in _seen(client_for(persona(who)), _pages(cast))


def test_a_coach_of_the_teacher_in_another_school_sees_them_too(cast, client_for, growth):
    """A teacher of two schools, in the caseload of a coach of the other one."""
    f.MembershipFactory(person=cast.teacher, organisation=cast.other_school, role=Role.TEACHER)
    elsewhere = f.PersonFactory(full_name="Eli Elsewhere")
    f.MembershipFactory(person=elsewhere, organisation=cast.other_school, role=Role.COACH)
    f.CaseloadAssignmentFactory(coach=elsewhere, teacher=cast.teacher,
                                school=cast.other_school, school_year=cast.school_year)

    page = client_for(elsewhere).get(reverse("coaching:teacher", args=[cast.teacher.pk]))

    assert CANARY in page.content.decode()


# --- what it costs --------------------------------------------------------------------------


def test_teacher_page_costs_the_same_with_one_growth_goal_and_many(
        cast, client_for, growth, django_assert_num_queries):
    client = client_for(cast.coach)
    url = reverse("coaching:teacher", args=[cast.teacher.pk])
    client.get(url)  # warm up: first-request work is not the page's cost
    with django_assert_num_queries(19):
        client.get(url)
    teacher = Person.objects.get(pk=cast.teacher.pk)
    for n in range(12):
        services.growth_goal_create(actor=teacher, title=f"Goal {n}")

    with django_assert_num_queries(19):
        response = client.get(url)

    assert len(response.context["sections"][0].rows) == 13
    assert GrowthGoal.objects.count() == 13
