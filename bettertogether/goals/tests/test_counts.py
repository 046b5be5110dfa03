"""Every page that counts goals and cycles counts each once, never once per stage.

The world: the coach's caseload holds Tess (two goals, each with a four-stage cycle under
way, the first stage of one done), Bea (a cycle closed last month with its goal, one under
way, and a draft goal) and Cal (nothing yet). A count that joined the stages would read
"8 cycles under way" for Tess.
"""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from bettertogether.directory.models import Person, Role
from bettertogether.goals import cycles
from bettertogether.goals.facts import goal_facts
from bettertogether.goals.models import Cycle, Goal, Outcome
from bettertogether.goals.tests.support import a_cycle, a_goal
from bettertogether.reports.tests.support import row
from bettertogether.testing import factories as f

TECH = "Tech integration cycle"  # four stages, due 3, 8, 18 and 21 days after the start


@dataclass
class Work:
    tess: Person
    bea: Person
    cal: Person
    start: datetime.date
    tess_goals: list[Goal]
    tess_cycles: list[Cycle]
    bea_cycle: Cycle


def _caseload_teacher(cast, name):
    teacher = f.PersonFactory(full_name=name)
    f.MembershipFactory(person=teacher, organisation=cast.school, role=Role.TEACHER)
    f.CaseloadAssignmentFactory(coach=cast.coach, teacher=teacher, school=cast.school,
                                school_year=cast.school_year)
    return teacher


@pytest.fixture
def work(cast):
    bea, cal = _caseload_teacher(cast, "Bea Busy"), _caseload_teacher(cast, "Cal Calm")
    start = timezone.localdate() - datetime.timedelta(days=1)
    tess_goals = [a_goal(cast.coach, [cast.teacher], title=f"Tess goal {n}") for n in (1, 2)]
    tess_cycles = [a_cycle(cast.coach, goal, name=TECH, started_on=start, title=goal.title)
                   for goal in tess_goals]
    cycles.stage_complete(actor=cast.coach, stage=tess_cycles[0].stages.get(position=1))
    earlier = a_cycle(cast.coach, a_goal(cast.coach, [bea], title="Bea goal done"), name=TECH,
                      started_on=start - datetime.timedelta(days=30))
    cycles.cycle_close(actor=cast.coach, cycle=earlier, outcome=Outcome.MET,
                       coach_reflection="Met.")
    bea_cycle = a_cycle(cast.coach, a_goal(cast.coach, [bea], title="Bea goal now"), name=TECH,
                        started_on=start, title="Bea cycle now")
    a_goal(cast.coach, [bea], title="Bea draft")
    return Work(tess=cast.teacher, bea=bea, cal=cal, start=start, tess_goals=tess_goals,
                tess_cycles=tess_cycles, bea_cycle=bea_cycle)


def _in_days(work, days):
    return work.start + datetime.timedelta(days=days)


def _caseload_cell(html: str, teacher: Person) -> str:
    """The "Goals and cycles" cell of a teacher's caseload row, as plain words."""
    found = re.search(rf'<tr data-teacher="{teacher.pk}">(.*?)</tr>', html, re.S)
    cell = re.search(r'data-label="Goals and cycles">(.*?)</td>', found.group(1), re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", cell.group(1)).split())


# --- the caseload ---------------------------------------------------------------------------


def test_goal_facts_count_each_cycle_once_however_many_stages(cast, work):
    facts = goal_facts(coach_id=cast.coach.pk,
                       teacher_ids=[work.tess.pk, work.bea.pk, work.cal.pk])

    assert facts == {
        work.tess.pk: {"has_goal_or_cycle": True, "live_goals": 2, "has_evidence": False,
                       "active_cycles": 2, "next_stage_due": _in_days(work, 3)},
        work.bea.pk: {"has_goal_or_cycle": True, "live_goals": 2, "has_evidence": False,
                      "active_cycles": 1, "next_stage_due": _in_days(work, 3)},
    }


def test_goal_facts_next_stage_due_skips_done_stages_and_closed_cycles(cast, work):
    cycles.stage_complete(actor=cast.coach, stage=work.tess_cycles[1].stages.get(position=1))
    cycles.cycle_close(actor=cast.coach, cycle=work.bea_cycle, outcome=Outcome.NOT_MET,
                       coach_reflection="Not this time.")

    facts = goal_facts(coach_id=cast.coach.pk, teacher_ids=[work.tess.pk, work.bea.pk])

    assert facts[work.tess.pk]["next_stage_due"] == _in_days(work, 8)
    assert facts[work.tess.pk]["active_cycles"] == 2
    assert (facts[work.bea.pk]["active_cycles"], facts[work.bea.pk]["next_stage_due"],
            facts[work.bea.pk]["live_goals"]) == (0, None, 1)


def test_goal_facts_count_a_team_cycle_once_for_each_of_its_teachers(cast, work):
    team = a_cycle(cast.coach, a_goal(cast.coach, [work.tess, work.cal], title="Team"),
                   name=TECH, started_on=work.start)

    facts = goal_facts(coach_id=cast.coach.pk, teacher_ids=[work.tess.pk, work.cal.pk])

    assert team.stages.count() == 4
    assert facts[work.tess.pk]["active_cycles"] == 3
    assert facts[work.cal.pk]["active_cycles"] == 1
    assert facts[work.cal.pk]["live_goals"] == 1


def test_caseload_page_shows_each_teachers_cycles_under_way(cast, client_for, work):
    response = client_for(cast.coach).get(reverse("coaching:caseload"))
    html = response.content.decode()

    shown = {item["row"].teacher_id: (item["row"].active_cycles, item["row"].live_goals)
             for item in response.context["rows"]}
    assert shown == {work.tess.pk: (2, 2), work.bea.pk: (1, 2), work.cal.pk: (0, 0)}
    due = _in_days(work, 3).strftime("%-d %b")
    assert _caseload_cell(html, work.tess) == f"2 cycles under way next stage due {due}"
    assert _caseload_cell(html, work.bea) == f"1 cycle under way next stage due {due}"
    assert _caseload_cell(html, work.cal) == "—"


# --- the goals pages ------------------------------------------------------------------------


def test_goal_list_of_the_coach_lists_each_cycle_and_goal_once(cast, client_for, work):
    context = client_for(cast.coach).get(reverse("goals:list")).context

    assert sorted(c.title for c in context["cycles"]) == [
        "Bea cycle now", "Tess goal 1", "Tess goal 2"]
    assert sorted((g.title, g.cycle_count) for g in context["open_goals"]) == [
        ("Bea draft", 0), ("Bea goal now", 1), ("Tess goal 1", 1), ("Tess goal 2", 1)]
    assert [g.title for g in context["closed_goals"]] == ["Bea goal done"]
    assert len(context["closed_cycles"]) == 1


def test_goal_list_of_the_teacher_lists_their_two_cycles(cast, client_for, work):
    context = client_for(work.tess).get(reverse("goals:list")).context

    assert sorted(c.title for c in context["cycles"]) == ["Tess goal 1", "Tess goal 2"]
    assert sorted((g.title, g.cycle_count) for g in context["open_goals"]) == [
        ("Tess goal 1", 1), ("Tess goal 2", 1)]
    assert context["closed_goals"] == context["closed_cycles"] == []


def test_goal_page_lists_its_one_cycle(cast, client_for, work):
    response = client_for(cast.coach).get(
        reverse("goals:goal", args=[work.tess_goals[0].pk]))

    assert response.context["cycles"] == [work.tess_cycles[0]]


# --- the teacher page and the home page -----------------------------------------------------


def test_teacher_page_timeline_shows_each_goal_and_cycle_once(cast, client_for, work):
    timeline = client_for(cast.coach).get(
        reverse("coaching:teacher", args=[work.tess.pk])).context["timeline"]

    assert sorted(row.title for row in timeline if row.is_event) == [
        "Cycle: Tess goal 1", "Cycle: Tess goal 2", "Goal: Tess goal 1", "Goal: Tess goal 2"]


def test_teachers_own_timeline_shows_each_goal_and_cycle_once(cast, client_for, work):
    timeline = client_for(work.tess).get(reverse("coaching:mine")).context["timeline"]

    assert len([row for row in timeline if row.is_event]) == 4


def test_home_of_the_coach_counts_teachers_and_lists_each_stage_due_once(cast, client_for,
                                                                        work):
    coach = client_for(cast.coach).get(reverse("core:home")).context["coach"]

    assert (coach["count"], coach["school_count"]) == (3, 1)
    # Due within a week: the first stage of Tess's second cycle and of Bea's (the first
    # cycle's first stage is done; its second is due in exactly a week, not within it).
    assert sorted((s.cycle.title, s.name) for s in coach["stages_due"]) == [
        ("Bea cycle now", "Identify the need"), ("Tess goal 2", "Identify the need")]


# --- what leaders and the coach's report count ----------------------------------------------


def test_school_summary_counts_each_cycle_once(cast, client_for, work):
    summary = client_for(cast.leader).get(
        reverse("goals:school_summary", args=[cast.school.pk])).context["summary"]

    assert (summary.cycles["total"], summary.cycles["active"], summary.cycles["completed"]) == (
        4, 3, 1)
    assert (summary.goals["total"], summary.goals["active"], summary.goals["met"]) == (5, 3, 1)


def test_coach_report_counts_each_cycle_once(cast, client_for, work):
    report = client_for(cast.coach).get(reverse("reports:coach")).context["report"]

    assert row(report, "goals", "Cycles under way now")[1] == 3
    assert row(report, "goals", "Cycles completed")[1] == 1


# --- what it costs --------------------------------------------------------------------------


def _more_cycles(cast, work, n):
    for i in range(n):
        teacher = _caseload_teacher(cast, f"Teacher {i:02d}")
        a_cycle(cast.coach, a_goal(cast.coach, [teacher, work.tess]), name=TECH,
                started_on=work.start)


def test_goal_facts_answer_for_a_whole_caseload_in_two_queries(cast, work,
                                                               django_assert_num_queries):
    with django_assert_num_queries(2):
        goal_facts(coach_id=cast.coach.pk, teacher_ids=[work.tess.pk])
    _more_cycles(cast, work, 12)
    teacher_ids = list(Person.objects.filter(memberships__role=Role.TEACHER)
                       .values_list("pk", flat=True))

    with django_assert_num_queries(2):
        facts = goal_facts(coach_id=cast.coach.pk, teacher_ids=teacher_ids)

    assert facts[work.tess.pk]["active_cycles"] == 2 + 12
    assert sum(entry.get("active_cycles", 0) for entry in facts.values()) == 3 + 12 * 2


def test_caseload_page_costs_the_same_with_one_cycle_and_many(cast, client_for, work,
                                                              django_assert_num_queries):
    client = client_for(cast.coach)
    client.get(reverse("coaching:caseload"))  # warm up: first-request work is not the page's
    with django_assert_num_queries(20):
        client.get(reverse("coaching:caseload"))
    _more_cycles(cast, work, 12)

    with django_assert_num_queries(20):
        response = client.get(reverse("coaching:caseload"))

    assert len(response.context["rows"]) == 3 + 12
