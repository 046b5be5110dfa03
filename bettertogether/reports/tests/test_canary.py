"""Canary: unique text planted in every confidential field a report could touch — the log's
notes, personal notes, requests, goals, cycles, stages, evidence measures — and the
teachers' names must not reach any report: not the school's or the network's (for their
leaders and admins), not the coach's own aggregate report, not a CSV, not an Excel file
(searched inside its XML). The coach's own log export carries the coach's own notes, and
only ever to that coach."""

import logging

import pytest
from django.urls import reverse

from bettertogether.coaching import services as coaching_services
from bettertogether.coaching.tests.support import kind, log
from bettertogether.directory.models import LeaderVisibility
from bettertogether.goals import cycles
from bettertogether.goals import services as goal_services
from bettertogether.goals.models import GoalStatus, Outcome
from bettertogether.goals.starter import install as install_starter
from bettertogether.goals.tests.evidence_support import days_ago, share_measure, share_point
from bettertogether.goals.tests.support import a_cycle, a_goal
from bettertogether.reports.tests.support import (
    a_request,
    a_session_for,
    coach_at,
    more_teachers,
    today,
    xlsx_text,
)
from bettertogether.testing import factories as f

SHARED = "CANARY-SHARED-a41f07"
PRIVATE = "CANARY-PRIVATE-93be2c"
PERSONAL = "CANARY-PERSONAL-0d6e58"
REQUEST_NOTE = "CANARY-REQUEST-NOTE-7c19aa"
COACH_MESSAGE = "CANARY-COACH-MESSAGE-52f3d1"
GOAL_TITLE = "CANARY-GOAL-TITLE-e8a0b4"
GOAL_OUTCOME = "CANARY-GOAL-OUTCOME-16cd93"
GOAL_REFLECTION = "CANARY-GOAL-REFLECTION-b27e60"
COACH_REFLECTION = "CANARY-COACH-REFLECTION-4f81c2"
TEACHER_REFLECTION = "CANARY-TEACHER-REFLECTION-9a3d75"
CYCLE_PRIVATE = "CANARY-CYCLE-PRIVATE-c6b2e9"
STAGE_PLAN = "CANARY-STAGE-PLAN-3e07f4"
STAGE_HAPPENED = "CANARY-STAGE-HAPPENED-815a6d"
MEASURE = "CANARY-MEASURE-d94c13"
TEACHER_NAME = "Canarya Teachername"
CONTENT = (SHARED, PRIVATE, PERSONAL, REQUEST_NOTE, COACH_MESSAGE, GOAL_TITLE, GOAL_OUTCOME,
           GOAL_REFLECTION, COACH_REFLECTION, TEACHER_REFLECTION, CYCLE_PRIVATE, STAGE_PLAN,
           STAGE_HAPPENED, MEASURE)


@pytest.fixture(autouse=True)
def _starter(db):
    install_starter()


@pytest.fixture
def second_coach(cast):
    """Another coach at Lincoln: a colleague of the cast's coach."""
    return coach_at(cast.school, "Sam Second")


@pytest.fixture
def planted(cast):
    """Every confidential field filled, with figures to report around them: the report
    must show the figures and none of the words."""
    named = more_teachers(cast, 1, coach=cast.coach)[0]
    named.full_name = TEACHER_NAME
    named.save(update_fields=["full_name"])
    third = f.GradeLevelFactory(network=cast.network, name="Grade 3")
    for person in (cast.teacher, named, *more_teachers(cast, 4, coach=cast.coach)):
        person.profile.grades.add(third)
    log(cast.coach, [cast.teacher, named], "Co-teaching", shared_note=SHARED,
        private_note=PRIVATE, minutes=50)
    log(cast.coach, [], "Planning", private_note=PRIVATE)
    coaching_services.personal_note_add(actor=cast.coach, teacher=named, text=PERSONAL)
    request = a_request(cast, teacher=named, note=REQUEST_NOTE, coach_message=COACH_MESSAGE)
    a_session_for(request)
    goal = a_goal(cast.coach, [named, cast.teacher], title=GOAL_TITLE,
                  student_outcome=GOAL_OUTCOME, source_request=request)
    cycle = a_cycle(cast.coach, goal, started_on=days_ago(40))
    stage = cycle.stages.get(position=1)
    cycles.stage_update(actor=cast.coach, stage=stage, plan=STAGE_PLAN,
                        happened=STAGE_HAPPENED)
    cycles.stage_log(actor=cast.coach, stage=stage, kind=kind("Co-planning"),
                     teachers=[named], minutes=45, occurred_at=None, shared_note=SHARED,
                     private_note=PRIVATE)
    cycles.cycle_private_notes_update(actor=cast.coach, cycle=cycle,
                                      private_notes=CYCLE_PRIVATE)
    cycles.cycle_reflect(actor=named, cycle=cycle, reflection=TEACHER_REFLECTION)
    measure = share_measure(cast.coach, cycle, name=MEASURE, target_description=MEASURE)
    share_point(cast.coach, measure, "before", 20, 6, ago=30)
    share_point(cast.coach, measure, "after", 20, 15, ago=2)
    cycles.cycle_close(actor=cast.coach, cycle=cycle, outcome=Outcome.MET,
                       coach_reflection=COACH_REFLECTION)
    closed = a_goal(cast.coach, [named], title=GOAL_TITLE, student_outcome=GOAL_OUTCOME)
    goal_services.goal_close(actor=cast.coach, goal=closed, status=GoalStatus.PARTLY_MET,
                             reflection=GOAL_REFLECTION)
    return {"teacher": named, "grade": third}


def _queries(cast, planted) -> list[str]:
    period = f"start={cast.school_year.starts_on.isoformat()}&end={today(cast).isoformat()}"
    return ["", f"?{period}", f"?{period}&grade={planted['grade'].pk}",
            f"?{period}&kind={kind('Co-teaching').pk}"]


def _reports(cast, who) -> list[tuple[str, str]]:
    """(kind, url) of the pages and exports `who` may read."""
    if who == "coach":
        return [("page", reverse("reports:coach")),
                ("csv", reverse("reports:coach_export", args=["csv"])),
                ("xlsx", reverse("reports:coach_export", args=["xlsx"]))]
    found = [("page", reverse("reports:school", args=[cast.school.pk])),
             ("csv", reverse("reports:school_export", args=[cast.school.pk, "csv"])),
             ("xlsx", reverse("reports:school_export", args=[cast.school.pk, "xlsx"]))]
    if who == "admin":
        found += [("page", reverse("reports:network", args=[cast.network.pk])),
                  ("csv", reverse("reports:network_export", args=[cast.network.pk, "csv"])),
                  ("xlsx", reverse("reports:network_export", args=[cast.network.pk, "xlsx"]))]
    return found


def _read(client, kind_of, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if kind_of == "xlsx":
        return xlsx_text(response.content)
    if kind_of == "page":
        assert not response.context["report"]["suppressed"]
        assert response.context["report"]["headline"][1]["value"] > 0  # figures are there
    return response.content.decode()


@pytest.mark.parametrize("policy", [LeaderVisibility.TOTALS, LeaderVisibility.WHO_AND_KIND])
@pytest.mark.parametrize("who", ["leader", "admin", "coach"])
def test_canary_no_report_and_no_export_carries_content_or_names(cast, client_for, planted,
                                                                 who, policy, caplog):
    caplog.set_level(logging.DEBUG)
    cast.school.leader_visibility = policy
    cast.school.save(update_fields=["leader_visibility"])
    client = client_for(getattr(cast, who))
    names = [TEACHER_NAME, cast.teacher.full_name, cast.other_teacher.full_name]

    for kind_of, url in _reports(cast, who):
        for query in _queries(cast, planted):
            seen = _read(client, kind_of, url + query)

            for canary in CONTENT:
                assert canary not in seen, f"{canary} in {url}{query} for {who}"
            for name in names:
                assert name not in seen, f"{name} in {url}{query} for {who}"
    assert not any(canary in caplog.text for canary in CONTENT)


def test_canary_the_report_holds_figures_of_the_planted_work(cast, client_for, planted):
    """Not a vacuous pass: the planted request, goal, cycle and evidence are counted."""
    report = client_for(cast.leader).get(
        reverse("reports:school", args=[cast.school.pk])).context["report"]
    sections = {section["id"]: section["rows"] for section in report["sections"]}

    assert sections["funnel"][3][1] == 1  # the request led to a cycle
    assert sections["goals"][2][1] == 2  # met, partly met
    assert sections["growth"][0][1] == 1  # one cycle with evidence (its figure hidden)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_canary_the_coachs_own_log_carries_their_notes_to_them_alone(cast, client_for,
                                                                     planted, second_coach,
                                                                     fmt):
    url = reverse("reports:coach_log_export", args=[fmt])

    def text(person):
        response = client_for(person).get(url)
        if response.status_code != 200:
            return response.status_code
        return response.content.decode() if fmt == "csv" else xlsx_text(response.content)

    own = text(cast.coach)
    assert SHARED in own and PRIVATE in own
    assert TEACHER_NAME in own
    for canary in CONTENT[2:]:  # the log export is the log: no goal, cycle or request text
        assert canary not in own
    colleague = text(second_coach)
    assert SHARED not in colleague and PRIVATE not in colleague
    assert TEACHER_NAME not in colleague
    for who in ("teacher", "leader", "admin", "outsider"):
        assert text(getattr(cast, who)) == 404
    assert text(planted["teacher"]) == 404
