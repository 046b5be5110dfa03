"""The engine's filters, the school's and the network's own tables, and the same report from
the tallies as after they are summed again from scratch."""

from __future__ import annotations

import random

import pytest

from bettertogether.coaching.models import Interaction
from bettertogether.coaching.tallies import network as tallies
from bettertogether.coaching.tallies.proof import differences
from bettertogether.coaching.tests.support import kind, log
from bettertogether.directory.models import Role
from bettertogether.goals.starter import install as install_starter
from bettertogether.goals.tests.evidence_support import share_measure, share_point
from bettertogether.goals.tests.support import a_cycle, a_goal
from bettertogether.reports.tests.engine_support import (
    _contacts,
    _hours,
    _reached,
)
from bettertogether.reports.tests.support import (
    DAY,
    a_request,
    at,
    coach_at,
    coach_scope,
    counted,
    more_teachers,
    network_scope,
    report,
    row,
    rows,
    school_scope,
    section,
    today,
    weekday_weeks_ago,
)
from bettertogether.testing import factories as f

# --- filters ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _starter(db):
    install_starter()



@pytest.fixture
def network_world(cast):
    """Two schools with five teachers of a grade and subject each (enough to be shown to
    leaders), each coach's log of the last ten days and one entry before."""
    third = f.GradeLevelFactory(network=cast.network, name="Grade 3", position=3)
    fourth = f.GradeLevelFactory(network=cast.network, name="Grade 4", position=4)
    maths = f.SubjectFactory(network=cast.network, name="Maths")
    art = f.SubjectFactory(network=cast.network, name="Art")
    roosevelt = coach_at(cast.other_school, "Rob Roosevelt")
    a = more_teachers(cast, 5, coach=cast.coach, grades=[third], subjects=[maths], prefix="A")
    b = more_teachers(cast, 5, coach=cast.coach, grades=[fourth], subjects=[art], prefix="B")
    c = more_teachers(cast, 5, school=cast.other_school, coach=roosevelt, grades=[third],
                      subjects=[maths], prefix="C")
    now = today(cast)
    log(cast.coach, [a[0]], "Tech help", occurred_at=at(cast, now - 3 * DAY), minutes=60)
    log(cast.coach, [b[0]], "Co-teaching", occurred_at=at(cast, now - 4 * DAY), minutes=120)
    log(cast.coach, [], "Planning", occurred_at=at(cast, now - 5 * DAY), minutes=180)
    log(roosevelt, [c[0]], "Tech help", occurred_at=at(cast, now - 6 * DAY), minutes=240)
    log(roosevelt, [], "Meetings", occurred_at=at(cast, now - 7 * DAY), minutes=300)
    log(cast.coach, [a[1]], "Tech help", occurred_at=at(cast, now - 20 * DAY), minutes=360)
    a_request(cast, teacher=a[0])
    a_request(cast, coach=roosevelt, teacher=c[0], school=cast.other_school)
    return {"third": third, "fourth": fourth, "maths": maths, "art": art,
            "roosevelt": roosevelt, "a": a, "b": b, "c": c, "start": now - 9 * DAY,
            "end": now}


def _requests(found: dict) -> int:
    return rows(found, "funnel")[0][1]


@pytest.mark.parametrize(("filters", "hours", "contacts", "reached", "requests"), [
    ({}, 15.0, 3, 3, 2),
    ({"school": "other_school"}, 9.0, 1, 1, 1),
    ({"school": "school"}, 6.0, 2, 2, 1),
    ({"grade": "third"}, 5.0, 2, 2, 2),
    ({"grade": "fourth"}, 2.0, 1, 1, 0),
    ({"subject": "art"}, 2.0, 1, 1, 0),
    ({"subject": "maths", "grade": "third"}, 5.0, 2, 2, 2),
    ({"coach": "roosevelt"}, 9.0, 1, 1, 1),
    ({"kind": "Tech help"}, 5.0, 2, 2, 0),
    ({"kind": "Co-planning"}, 0.0, 0, 0, 2),
    ({"kind": "Tech help", "school": "school"}, 1.0, 1, 1, 0),
    ({"days": 29}, 21.0, 4, 4, 2),
    ({"days": 1}, 0.0, 0, 0, 2),
])
def test_each_filter_narrows_the_network_report(cast, network_world, filters, hours,
                                                contacts, reached, requests):
    world = network_world
    given = {}
    for name, value in filters.items():
        if name == "school":
            given["school_id"] = getattr(cast, value).pk
        elif name in ("grade", "subject"):
            given[f"{name}_id"] = world[value].pk
        elif name == "coach":
            given["coach_id"] = world[value].pk
        elif name == "kind":
            given["kind_id"] = kind(value).pk
    start = today(cast) - filters["days"] * DAY if "days" in filters else world["start"]

    found = report(counted(network_scope(cast)), start, world["end"], **given)

    assert not found["suppressed"]
    assert (_hours(found), _contacts(found), _reached(found), _requests(found)) == (
        hours, contacts, reached, requests)
    labels = {item["label"] for item in found["filters"]}
    assert labels == {{"school": "School", "grade": "Grade", "subject": "Subject",
                       "coach": "Coach", "kind": "Kind of support"}[name]
                      for name in filters if name != "days"}


def test_filters_narrow_the_school_and_the_coachs_report_too(cast, network_world):
    world = network_world
    start, end = world["start"], world["end"]

    school = report(school_scope(cast), start, end, grade_id=world["third"].pk)
    assert (_hours(school), _contacts(school)) == (1.0, 1)
    assert _hours(report(school_scope(cast), start, end,
                         kind_id=kind("Co-teaching").pk)) == 2.0
    assert _hours(report(school_scope(cast), start, end,
                         coach_id=world["roosevelt"].pk)) == 0.0
    mine = report(coach_scope(cast), start, end, subject_id=world["art"].pk)
    assert (_hours(mine), _contacts(mine), _reached(mine)) == (2.0, 1, 1)
    assert _hours(report(coach_scope(cast), start, end,
                         school_id=cast.other_school.pk)) == 0.0
    assert _hours(report(school_scope(cast, cast.other_school), start, end)) == 9.0


def test_grade_filter_narrows_reach_caseloads_and_goals(cast, network_world):
    world = network_world
    a_goal(cast.coach, [world["a"][2]])
    a_goal(cast.coach, [world["b"][2]])
    start, end = world["start"], world["end"]

    third = report(counted(network_scope(cast)), start, end, grade_id=world["third"].pk)
    fourth = report(counted(network_scope(cast)), start, end, grade_id=world["fourth"].pk)

    assert row(third, "goals", "Goals set")[1] == 1
    assert row(fourth, "goals", "Goals set")[1] == 1
    assert row(report(counted(network_scope(cast)), start, end), "goals", "Goals set")[1] == 2
    assert third["headline"][2]["detail"] == "2 of 10 caseload teachers (20%)"
    assert fourth["headline"][2]["detail"] == "1 of 5 caseload teachers (20%)"


# --- the school's and the network's own tables -------------------------------------------------


def test_school_report_counts_the_own_time_of_the_schools_coaches(cast):
    roosevelt = coach_at(cast.other_school, "Rob Roosevelt")
    both = coach_at(cast.school, "Bea Both")
    f.MembershipFactory(person=both, organisation=cast.other_school, role=Role.COACH)
    roosevelt_teacher = more_teachers(cast, 5, school=cast.other_school)[0]
    moment = at(cast, today(cast) - 2 * DAY)
    log(cast.coach, [], "Planning", occurred_at=moment, minutes=60)
    log(roosevelt, [], "Planning", occurred_at=moment, minutes=120)
    log(both, [], "Meetings", occurred_at=moment, minutes=180)
    log(both, [roosevelt_teacher], "Tech help", occurred_at=moment, minutes=240)
    start, end = today(cast) - 6 * DAY, today(cast)

    lincoln = report(school_scope(cast), start, end)
    other = report(school_scope(cast, cast.other_school), start, end)
    network = report(network_scope(cast), start, end)

    assert rows(lincoln, "time_split")[1][1] == 4.0 and rows(lincoln, "time_split")[0][1] == 0
    assert rows(other, "time_split")[1][1] == 5.0 and rows(other, "time_split")[0][1] == 4.0
    assert rows(network, "time_split")[1][1] == 6.0
    assert _hours(network) == 10.0


def test_network_report_sets_every_school_side_by_side(cast):
    washington = f.SchoolFactory(name="Washington High", network=cast.network)
    roosevelt = coach_at(cast.other_school, "Rob Roosevelt")
    coach_at(cast.school, "Ida Idle")  # a coach of no one, with no log: not listed
    lincoln_extra = more_teachers(cast, 3, coach=cast.coach)
    roosevelt_teachers = more_teachers(cast, 6, school=cast.other_school, coach=roosevelt)
    moment = at(cast, today(cast) - 2 * DAY)
    log(cast.coach, [cast.teacher, cast.other_teacher], "Co-teaching", occurred_at=moment,
        minutes=60)
    log(cast.coach, [cast.teacher], occurred_at=moment, minutes=30)
    log(cast.coach, [], "Planning", occurred_at=moment, minutes=90)
    log(roosevelt, [roosevelt_teachers[0]], occurred_at=moment, minutes=120)
    log(cast.coach, [lincoln_extra[0]], occurred_at=at(cast, today(cast) - 40 * DAY))
    outside = coach_at(cast.outsider_school, "Nora North")
    northern = more_teachers(cast, 1, school=cast.outsider_school)[0]
    log(outside, [northern], occurred_at=moment, minutes=600)

    found = report(counted(network_scope(cast)), today(cast) - 6 * DAY, today(cast))

    assert rows(found, "schools") == [
        ["Lincoln Elementary", 8, 4, 2, 6, "25%"],
        ["Roosevelt Middle", 6, 6, 1, 5, "17%"],
        [washington.name, 0, 0, 0, 0, "—"],
    ]
    assert rows(found, "coaches") == [
        ["Cora Coach", 4, 2, 2, 1.5, 1.5],
        ["Rob Roosevelt", 6, 1, 1, 2.0, 0.0],
    ]
    assert _hours(found) == 5.0
    assert section(report(school_scope(cast), today(cast) - 6 * DAY, today(cast)),
                   "coaches") is None


def test_network_report_with_a_school_filter_lists_that_school(cast):
    more_teachers(cast, 3)
    found = report(network_scope(cast), today(cast) - 6 * DAY, today(cast),
                   school_id=cast.school.pk)

    assert [r[0] for r in rows(found, "schools")] == ["Lincoln Elementary"]


# --- the tallies ------------------------------------------------------------------------------


def _all_reports(cast, roosevelt, third) -> list[dict]:
    now = today(cast)
    found = []
    for start, end in [(now - 70 * DAY, now), (now - 45 * DAY, now - 17 * DAY),
                       (now - 10 * DAY, now - 8 * DAY), (now - 100 * DAY, now - 60 * DAY)]:
        for scope in [coach_scope(cast), coach_scope(cast, roosevelt), school_scope(cast),
                      school_scope(cast, cast.other_school), network_scope(cast)]:
            found.append(report(scope, start, end))
            found.append(report(scope, start, end, kind_id=kind("Tech help").pk))
        found.append(report(network_scope(cast), start, end, grade_id=third.pk))
        found.append(report(network_scope(cast), start, end, coach_id=roosevelt.pk))
    return found


def test_a_report_from_the_tallies_equals_one_after_they_are_rebuilt(cast, terms):
    rng = random.Random(61)
    third = f.GradeLevelFactory(network=cast.network, name="Grade 3")
    roosevelt = coach_at(cast.other_school, "Rob Roosevelt")
    lincoln = [cast.teacher, cast.other_teacher,
               *more_teachers(cast, 4, coach=cast.coach, grades=[third])]
    rooseveltians = more_teachers(cast, 5, school=cast.other_school, coach=roosevelt,
                                  grades=[third])
    now = today(cast)
    for coach, teachers in ((cast.coach, lincoln), (roosevelt, rooseveltians)):
        for _ in range(30):
            moment = at(cast, now - rng.randrange(90) * DAY, rng.choice([0, 9, 15, 23]))
            if rng.random() < 0.75:
                log(coach, rng.sample(teachers, rng.randint(1, 3)),
                    rng.choice(["Tech help", "Co-planning", "Observation"]),
                    occurred_at=moment, minutes=rng.randint(5, 120))
            else:
                log(coach, [], rng.choice(["Planning", "Duties"]), occurred_at=moment,
                    minutes=rng.randint(5, 120))
    assert differences(cast.network) == {}
    before = _all_reports(cast, roosevelt, third)

    tallies.rebuild(cast.network)

    assert differences(cast.network) == {}
    assert _all_reports(cast, roosevelt, third) == before


def test_the_report_reads_the_tallies_and_a_rebuild_brings_them_up_to_date(cast):
    """An entry written straight to the log (a bulk import) is in no tally until the
    network's tallies are summed again."""
    monday = weekday_weeks_ago(cast, 0, 2)
    log(cast.coach, [cast.teacher], occurred_at=at(cast, monday + DAY), minutes=30)
    f.InteractionFactory(coach=cast.coach, network=cast.network, school=cast.school,
                         kind=kind("Tech help"), minutes=90,
                         occurred_at=at(cast, monday + 2 * DAY), teachers=[cast.other_teacher])
    assert Interaction.objects.count() == 2
    whole_week = (monday, monday + 6 * DAY)

    stale = report(coach_scope(cast), *whole_week)
    tallies.rebuild(cast.network)
    fresh = report(coach_scope(cast), *whole_week)

    assert (_hours(stale), _contacts(stale), _reached(stale)) == (0.5, 1, 1)
    assert (_hours(fresh), _contacts(fresh), _reached(fresh)) == (2.0, 2, 2)


def test_a_teacher_of_two_schools_is_reached_in_the_school_of_the_contact(cast, terms):
    """A pair tally is per school: a contact at Lincoln in the range does not make the
    same pair's Roosevelt contacts around the range count for Roosevelt."""
    both = coach_at(cast.school, "Bea Both")
    f.MembershipFactory(person=both, organisation=cast.other_school, role=Role.COACH)
    shared = more_teachers(cast, 1)[0]
    f.MembershipFactory(person=shared, organisation=cast.other_school, role=Role.TEACHER)
    only_roosevelt = more_teachers(cast, 4, school=cast.other_school)[0]  # five teachers
    monday = weekday_weeks_ago(cast, 0, 3)
    log(both, [shared, only_roosevelt], occurred_at=at(cast, monday))  # at Roosevelt
    log(both, [shared], occurred_at=at(cast, monday + 8 * DAY))  # at Lincoln
    log(both, [shared, only_roosevelt], occurred_at=at(cast, monday + 15 * DAY))  # Roosevelt
    start, end = monday + 7 * DAY, monday + 13 * DAY

    lincoln = report(counted(school_scope(cast)), start, end)
    roosevelt = report(counted(school_scope(cast, cast.other_school)), start, end)

    assert _reached(lincoln) == 1
    assert _reached(roosevelt) == 0
    assert _reached(report(counted(school_scope(cast, cast.other_school)), monday, end)) == 2


def test_growth_under_a_grade_filter_counts_every_measure(cast):
    """Two measures of one cycle with the same figures are two measures, also when a grade
    filter joins the cycle's teachers."""
    third = f.GradeLevelFactory(network=cast.network, name="Grade 3")
    cast.teacher.profile.grades.add(third)
    goal_cycles = [a_cycle(cast.coach, a_goal(cast.coach, [cast.teacher]),
                           started_on=today(cast) - 40 * DAY) for _ in range(2)]
    for n, (cycle, afters) in enumerate(zip(goal_cycles, [(18, 18), (9,)], strict=True)):
        for m, after in enumerate(afters):
            measure = share_measure(cast.coach, cycle, name=f"Measure {n}{m}")
            share_point(cast.coach, measure, "before", 20, 5, ago=30)
            share_point(cast.coach, measure, "after", 20, after, ago=2)
    start, end = today(cast) - 29 * DAY, today(cast)
    expected = ["Mean change in the share of students meeting the target", 2,
                f"{(65 + 65 + 20) / 3:+.1f} percentage points"]

    assert rows(report(coach_scope(cast), start, end), "growth")[1] == expected
    assert rows(report(coach_scope(cast), start, end, grade_id=third.pk),
                "growth")[1] == expected

