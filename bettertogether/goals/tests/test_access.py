"""Who may open and post each page of goals and cycles.

A goal or cycle is the pair's: its coach and its teachers. Anyone else — another coach of
the school, another teacher, the principal, an admin, an outsider — gets a 404, exactly
like a goal that does not exist. A teacher who may read a cycle but not run it gets 403 on
the coach's buttons. Signed out, every page leads to the sign-in page.
"""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from bettertogether.coaching.tests.support import kind
from bettertogether.directory.tests.support import assert_login_redirect
from bettertogether.goals.tests.support import a_cycle, a_goal, template

EVERYONE = ["coach", "second_coach", "teacher", "other_teacher", "leader", "admin", "outsider"]


def _expect(allowed: dict, *, leaving_out: str = "") -> list:
    """(who, status) for everyone but `leaving_out`: the statuses given, 404 for the rest."""
    return [(who, allowed.get(who, 404)) for who in EVERYONE if who != leaving_out]


@pytest.fixture
def world(cast):
    goal = a_goal(cast.coach, [cast.teacher])
    cycle = a_cycle(cast.coach, goal)
    return {"goal": goal, "cycle": cycle, "stage": cycle.stages.get(position=1)}


def _url(name, world):
    goal, cycle, stage = world["goal"], world["cycle"], world["stage"]
    return {
        "goal": reverse("goals:goal", args=[goal.pk]),
        "goal_edit": reverse("goals:goal_edit", args=[goal.pk]),
        "cycle": reverse("goals:cycle", args=[cycle.pk]),
        "stage": reverse("goals:stage", args=[cycle.pk, stage.pk]),
        "stage_log": reverse("goals:stage_log", args=[cycle.pk, stage.pk]),
        "goal_close": reverse("goals:goal_close", args=[goal.pk]),
        "goal_activate": reverse("goals:goal_activate", args=[goal.pk]),
        "cycle_start": reverse("goals:cycle_start", args=[goal.pk]),
        "cycle_close": reverse("goals:cycle_close", args=[cycle.pk]),
        "cycle_private": reverse("goals:cycle_private", args=[cycle.pk]),
        "cycle_reflect": reverse("goals:cycle_reflect", args=[cycle.pk]),
        "stage_complete": reverse("goals:stage_complete", args=[cycle.pk, stage.pk]),
        "stage_resource": reverse("goals:stage_resource", args=[cycle.pk, stage.pk]),
        "stage_attach": reverse("goals:stage_attach", args=[cycle.pk, stage.pk]),
    }[name]


# --- pages of the pair ----------------------------------------------------------------------

PAIR_PAGES = ["goal", "goal_edit", "cycle", "stage"]


@pytest.mark.parametrize("name", PAIR_PAGES)
@pytest.mark.parametrize(("who", "status"), _expect({"coach": 200, "teacher": 200}))
def test_pair_pages_open_for_the_pair_only(client_for, persona, world, name, who, status):
    assert client_for(persona(who)).get(_url(name, world)).status_code == status


@pytest.mark.parametrize(("who", "status"), _expect({"coach": 200, "teacher": 403}))
def test_stage_log_form_is_the_coachs(client_for, persona, world, who, status):
    assert client_for(persona(who)).get(_url("stage_log", world)).status_code == status


COACH_POSTS = ["goal_close", "goal_activate", "cycle_start", "cycle_close", "cycle_private",
               "stage_complete", "stage_resource", "stage_attach"]


@pytest.mark.parametrize("name", COACH_POSTS)
@pytest.mark.parametrize(("who", "status"), _expect({"teacher": 403}, leaving_out="coach"))
def test_coach_actions_refused_to_everyone_else(client_for, persona, world, name, who,
                                                status):
    response = client_for(persona(who)).post(_url(name, world), {"reflection": "x"})

    assert response.status_code == status


@pytest.mark.parametrize(("who", "status"), _expect({"coach": 403}, leaving_out="teacher"))
def test_teacher_reflection_refused_to_everyone_but_the_teachers(client_for, persona, world,
                                                                 who, status):
    response = client_for(persona(who)).post(_url("cycle_reflect", world),
                                             {"reflection": "Mine to write"})

    assert response.status_code == status


def test_teacher_reflection_saved_by_the_teacher(cast, client_for, world):
    response = client_for(cast.teacher).post(_url("cycle_reflect", world),
                                             {"reflection": "They argue with evidence now"})

    assert response.status_code == 302
    world["cycle"].refresh_from_db()
    assert world["cycle"].teacher_reflection == "They argue with evidence now"


@pytest.mark.parametrize("name", [*PAIR_PAGES, "stage_log"])
def test_goal_pages_anonymous_redirect_to_login(world, name):
    url = _url(name, world)

    assert_login_redirect(Client().get(url), url)


# --- lists and new goals --------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), _expect({"coach": 200, "second_coach": 200,
                                                     "teacher": 200, "other_teacher": 200}))
def test_goal_list_opens_for_coaches_and_teachers(client_for, persona, world, who, status):
    response = client_for(persona(who)).get(reverse("goals:list"))

    assert response.status_code == status
    if who in ("second_coach", "other_teacher"):
        assert "Explaining reasoning in fractions" not in response.content.decode()


@pytest.mark.parametrize(("who", "status"), _expect({"coach": 200, "second_coach": 200}))
def test_goal_new_opens_for_coaches(client_for, persona, who, status):
    assert client_for(persona(who)).get(reverse("goals:goal_new")).status_code == status


@pytest.mark.parametrize(("who", "status"), _expect({"teacher": 200, "other_teacher": 200}))
def test_growth_goal_new_opens_for_teachers(client_for, persona, who, status):
    assert client_for(persona(who)).get(reverse("goals:growth_new")).status_code == status


def test_growth_goal_of_another_teacher_is_404(cast, client_for):
    from bettertogether.goals.services import growth_goal_create

    growth = growth_goal_create(actor=cast.teacher, title="Ask better questions")

    response = client_for(cast.other_teacher).get(
        reverse("goals:growth_edit", args=[growth.pk]))

    assert response.status_code == 404


# --- the coach's writes through the pages ---------------------------------------------------


def test_goal_new_posted_twice_sets_one_goal(cast, client_for):
    client = client_for(cast.coach)
    data = {"teachers": [cast.teacher.pk], "title": "Number talks",
            "student_outcome": "Students compare strategies aloud.",
            "idempotency_key": str(uuid.uuid4()), "activate": "1", "is_powerful": "on"}

    first = client.post(reverse("goals:goal_new"), data)
    second = client.post(reverse("goals:goal_new"), data)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    goal = cast.teacher.goals.get()
    assert (goal.title, goal.status, goal.is_powerful, goal.is_easy) == (
        "Number talks", "active", True, False)


def test_goal_new_without_an_outcome_says_so_and_sets_nothing(cast, client_for):
    response = client_for(cast.coach).post(reverse("goals:goal_new"), {
        "teachers": [cast.teacher.pk], "title": "Number talks", "student_outcome": "",
        "idempotency_key": str(uuid.uuid4())})

    assert response.status_code == 422
    assert response.context["form"].errors == {"student_outcome": ["This field is required."]}
    assert not cast.teacher.goals.exists()


def test_goal_new_with_a_teacher_of_another_school_is_refused(cast, client_for):
    from bettertogether.directory.models import Role
    from bettertogether.testing import factories as f

    elsewhere = f.PersonFactory(full_name="Rhea Roosevelt")
    f.MembershipFactory(person=elsewhere, organisation=cast.other_school, role=Role.TEACHER)

    response = client_for(cast.coach).post(reverse("goals:goal_new"), {
        "teachers": [elsewhere.pk], "title": "x", "student_outcome": "y",
        "idempotency_key": str(uuid.uuid4())})

    assert response.status_code == 422
    assert "teachers" in response.context["form"].errors
    assert not elsewhere.goals.exists()


def test_cycle_start_through_the_page_and_stage_log(cast, client_for):
    goal = a_goal(cast.coach, [cast.teacher])
    client = client_for(cast.coach)
    response = client.post(reverse("goals:cycle_start", args=[goal.pk]), {
        "template": template("Impact Cycle").pk, "started_on": "2026-11-30",
        "idempotency_key": str(uuid.uuid4())})
    assert response.status_code == 302
    cycle = goal.cycles.get(template__name="Impact Cycle")
    stage = cycle.stages.get(position=1)

    logged = client.post(reverse("goals:stage_log", args=[cycle.pk, stage.pk]), {
        "teachers": [cast.teacher.pk], "kind": kind("Observation").pk, "minutes": "30",
        "idempotency_key": str(uuid.uuid4())})

    assert logged.status_code == 302
    assert stage.links.get().interaction.minutes == 30


def test_cycle_close_without_a_reflection_is_422_and_changes_nothing(cast, client_for, world):
    response = client_for(cast.coach).post(_url("cycle_close", world), {"outcome": "met"})

    assert response.status_code == 422
    assert response.context["close_form"].errors == {"coach_reflection": [
        "Write your reflection: what changed for students, and what comes next."]}
    world["cycle"].refresh_from_db()
    assert world["cycle"].status == "active"


def test_goal_edit_by_the_teacher_saves_the_words_they_wrote_together(cast, client_for, world):
    response = client_for(cast.teacher).post(_url("goal_edit", world), {
        "title": "Reasoning with fractions", "student_outcome": "Students justify answers.",
        "is_easy": "on"})

    assert response.status_code == 302
    world["goal"].refresh_from_db()
    assert (world["goal"].title, world["goal"].is_easy) == ("Reasoning with fractions", True)


def test_goal_edit_by_the_coach_without_frameworks_saves(cast, client_for, world):
    response = client_for(cast.coach).post(_url("goal_edit", world), {
        "title": "Reasoning", "student_outcome": "Students justify answers."})

    assert response.status_code == 302
