"""The engine's figures are right: hours by kind and the split, the weeks (part weeks at the
edges counted exactly, in the network's own time), teachers reached and the caseload share,
reach by grade, the term table, the funnel from a request to a cycle, goals and cycles, this
term against the last, every filter, the school's and the network's own tables — and the
same report from the tallies as after they are summed again from scratch."""

from __future__ import annotations

import datetime
import random

import pytest
from django.utils import formats, timezone

from bettertogether.coaching.models import Interaction
from bettertogether.coaching.tests.support import kind, log
from bettertogether.directory.models import Role
from bettertogether.goals import cycles
from bettertogether.goals import services as goal_services
from bettertogether.goals.models import Goal, GoalStatus, Outcome
from bettertogether.goals.starter import install as install_starter
from bettertogether.goals.tests.evidence_support import share_measure, share_point
from bettertogether.goals.tests.support import a_cycle, a_goal
from bettertogether.reports import tallies
from bettertogether.reports.tests.support import (
    DAY,
    a_request,
    a_session_for,
    at,
    coach_at,
    coach_scope,
    headline,
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

WITH, OWN_TIME = "With teachers", "Own time"


@pytest.fixture(autouse=True)
def _starter(db):
    install_starter()


def _day(day: datetime.date) -> str:
    return formats.date_format(day, "j M Y")


def _scopes(cast):
    return {"coach": coach_scope(cast), "school": school_scope(cast),
            "network": network_scope(cast)}


def _hours(found: dict) -> float:
    return headline(found, "Hours logged")


def _contacts(found: dict) -> int:
    return headline(found, "Contacts with teachers")


def _reached(found: dict) -> int:
    return headline(found, "Teachers reached")


# --- time: hours by kind, the split, the weeks ----------------------------------------------


@pytest.fixture
def four_weeks(cast):
    """A month of the coach's log; the range is Wednesday four weeks ago to Sunday last
    week: a part week, two whole weeks with entries, one empty whole week."""
    monday = weekday_weeks_ago(cast, 0, 4)
    log(cast.coach, [cast.teacher], "Tech help", occurred_at=at(cast, monday + DAY),
        minutes=50)  # the Tuesday before the range
    log(cast.coach, [cast.teacher], "Tech help", occurred_at=at(cast, monday + 3 * DAY),
        minutes=30)
    log(cast.coach, [], "Planning", occurred_at=at(cast, monday + 3 * DAY, 14), minutes=60)
    log(cast.coach, [cast.teacher, cast.other_teacher], "Co-teaching",
        occurred_at=at(cast, monday + 8 * DAY), minutes=90)
    log(cast.coach, [], "Meetings", occurred_at=at(cast, monday + 21 * DAY), minutes=120)
    log(cast.coach, [cast.teacher], "Tech help", occurred_at=at(cast, monday + 28 * DAY, 0, 5),
        minutes=40)  # this week's Monday: after the range
    return monday + 2 * DAY, monday + 27 * DAY


@pytest.mark.parametrize("kind_of_report", ["coach", "school", "network"])
def test_hours_by_kind_and_the_split_count_every_entry_of_the_range(cast, four_weeks,
                                                                    kind_of_report):
    start, end = four_weeks

    found = report(_scopes(cast)[kind_of_report], start, end)

    assert rows(found, "time_by_kind") == [
        ["Co-teaching", WITH, 1, 1.5, "30%"],
        ["Tech help", WITH, 1, 0.5, "10%"],
        ["Meetings", OWN_TIME, 1, 2.0, "40%"],
        ["Planning", OWN_TIME, 1, 1.0, "20%"],
    ]
    assert rows(found, "time_split") == [
        [WITH, 2.0, "40%"],
        ["Own time", 3.0, "60%"],
    ]
    assert _hours(found) == 5.0
    assert _contacts(found) == 2
    assert found["headline"][0]["detail"] == "2.0 with teachers, 3.0 own time"


def test_weekly_rows_are_the_weeks_with_entries_the_first_a_part_week(cast, four_weeks):
    start, end = four_weeks
    monday = start - 2 * DAY

    found = report(coach_scope(cast), start, end)

    assert rows(found, "weekly") == [
        [_day(start), 1, 0.5, 1.0],
        [_day(monday + 7 * DAY), 1, 1.5, 0.0],
        [_day(monday + 21 * DAY), 0, 0.0, 2.0],
    ]


def test_part_weeks_at_both_edges_count_exactly_the_days_inside(cast):
    """Logged on a Wednesday and the next Monday and around them; the range is Thursday to
    Monday. Days are the network's (Chicago): 23:30 there is already the next day in UTC."""
    wednesday = weekday_weeks_ago(cast, 2, 3)
    thursday, monday, tuesday = wednesday + DAY, wednesday + 5 * DAY, wednesday + 6 * DAY
    for moment, teacher, minutes in [
        (at(cast, wednesday, 12), cast.teacher, 60),
        (at(cast, wednesday, 23, 30), cast.teacher, 120),  # Thursday in UTC
        (at(cast, thursday, 0, 30), cast.other_teacher, 240),
        (at(cast, monday, 23, 30), cast.other_teacher, 480),  # Tuesday in UTC
        (at(cast, tuesday, 0, 30), cast.teacher, 960),
    ]:
        log(cast.coach, [teacher], "Tech help", occurred_at=moment, minutes=minutes)

    for scope in _scopes(cast).values():
        found = report(scope, thursday, monday)

        assert _hours(found) == 12.0  # 240 + 480 minutes, and nothing else
        assert _contacts(found) == 2
        assert rows(found, "time_by_kind") == [["Tech help", WITH, 2, 12.0, "100%"]]
        assert rows(found, "weekly") == [[_day(thursday), 1, 4.0, 0.0],
                                         [_day(monday), 1, 8.0, 0.0]]
        assert _reached(found) == 1  # the teacher was met only outside the range

    wider = report(coach_scope(cast), wednesday, tuesday)
    assert _hours(wider) == (60 + 120 + 240 + 480 + 960) / 60
    assert _reached(wider) == 2


def test_a_range_inside_one_week_and_one_of_whole_weeks(cast):
    monday = weekday_weeks_ago(cast, 0, 3)
    for offset, minutes in [(0, 60), (2, 120), (4, 240), (6, 480), (7, 960)]:
        log(cast.coach, [cast.teacher], occurred_at=at(cast, monday + offset * DAY),
            minutes=minutes)

    assert _hours(report(coach_scope(cast), monday + DAY, monday + 5 * DAY)) == 6.0
    assert _hours(report(coach_scope(cast), monday, monday + 6 * DAY)) == 15.0
    assert _hours(report(coach_scope(cast), monday + 6 * DAY, monday + 7 * DAY)) == 24.0
    assert _hours(report(coach_scope(cast), monday, monday + 13 * DAY)) == 31.0


def test_random_log_and_random_ranges_equal_a_direct_count(cast):
    """Whatever the range, the figures are those of the log itself, day by day in the
    network's time: tallies for the whole weeks and the log for the part weeks agree."""
    rng = random.Random(20261)
    teachers = [cast.teacher, cast.other_teacher, *more_teachers(cast, 2)]
    first = weekday_weeks_ago(cast, 0, 9)
    entries = []
    for _ in range(45):
        day = first + rng.randrange(60) * DAY
        moment = at(cast, day, rng.choice([0, 7, 12, 16, 23]), rng.choice([0, 30, 59]))
        minutes = 6 * rng.randint(1, 30)  # whole tenths of an hour: nothing is rounded
        if rng.random() < 0.7:
            chosen = rng.sample(teachers, rng.randint(1, 3))
            name = rng.choice(["Tech help", "Co-teaching", "Check-in"])
        else:
            chosen, name = [], rng.choice(["Planning", "Meetings"])
        log(cast.coach, chosen, name, occurred_at=moment, minutes=minutes)
        entries.append((day, name, bool(chosen), minutes, {t.pk for t in chosen}))

    for _ in range(15):
        start = first + rng.randrange(55) * DAY
        end = start + rng.randrange(25) * DAY
        inside = [e for e in entries if start <= e[0] <= end]
        found = report(coach_scope(cast), start, end)

        assert _hours(found) == round(sum(e[3] for e in inside) / 60, 1), (start, end)
        assert _contacts(found) == sum(1 for e in inside if e[2])
        assert _reached(found) == len(set().union(*(e[4] for e in inside)))
        by_kind = {r[0]: (r[2], r[3]) for r in rows(found, "time_by_kind")}
        expected = {}
        for _day_, name, _contact, minutes, _ids in inside:
            n, total = expected.get(name, (0, 0))
            expected[name] = (n + 1, total + minutes)
        assert by_kind == {name: (n, round(m / 60, 1)) for name, (n, m) in expected.items()}
        weeks = {}
        for day, _name, contact, minutes, _ids in inside:
            week = weeks.setdefault(day - day.weekday() * DAY, [0, 0, 0])
            week[0] += 1 if contact else 0
            week[1 if contact else 2] += minutes
        assert rows(found, "weekly") == [
            [_day(max(week, start)), n, round(m / 60, 1), round(o / 60, 1)]
            for week, (n, m, o) in sorted(weeks.items())]


# --- teachers ----------------------------------------------------------------------------


def test_teachers_reached_and_the_share_of_the_caseload(cast):
    extra = more_teachers(cast, 4, coach=cast.coach)  # a caseload of five with `teacher`
    now = today(cast)
    for teacher in (cast.teacher, cast.other_teacher, extra[0]):
        log(cast.coach, [teacher], occurred_at=at(cast, now - 5 * DAY))
    log(cast.coach, [extra[1]], occurred_at=at(cast, now - 20 * DAY))  # before the range
    log(cast.coach, [extra[0]], occurred_at=at(cast, now - 3 * DAY))  # twice: counted once

    for scope in (coach_scope(cast), school_scope(cast)):
        found = report(scope, now - 13 * DAY, now)

        assert _reached(found) == 3
        assert found["headline"][2]["detail"] == "2 of 5 caseload teachers (40%)"
        assert rows(found, "reach") == [["Lincoln Elementary", 5, 3, "60%"]]

    assert _reached(report(coach_scope(cast), now - 29 * DAY, now)) == 4


def test_reach_by_grade_counts_caseload_teachers_of_each_grade(cast):
    third = f.GradeLevelFactory(network=cast.network, name="Grade 3", position=3)
    fourth = f.GradeLevelFactory(network=cast.network, name="Grade 4", position=4)
    f.GradeLevelFactory(network=cast.network, name="Grade 5", position=5)  # nobody
    extra = more_teachers(cast, 3, coach=cast.coach, grades=[third])
    cast.teacher.profile.grades.add(third, fourth)
    now = today(cast)
    for teacher in (cast.teacher, extra[0]):
        log(cast.coach, [teacher], occurred_at=at(cast, now - 2 * DAY))

    found = report(coach_scope(cast), now - 6 * DAY, now)

    assert rows(found, "grades") == [["Grade 3", 4, 2, "50%"], ["Grade 4", 1, 1, "100%"]]


# --- terms ----------------------------------------------------------------------------------


@pytest.fixture
def terms(cast):
    """Autumn and Spring of the cast's school year, made before anything is logged (the
    tallies bucket contacts by term). Today is in Spring."""
    year = cast.school_year
    autumn = f.TermFactory(school_year=year, name="Autumn", starts_on=year.starts_on,
                           ends_on=year.starts_on + 55 * DAY)
    spring = f.TermFactory(school_year=year, name="Spring",
                           starts_on=year.starts_on + 56 * DAY, ends_on=year.ends_on)
    return autumn, spring


def test_term_table_counts_each_terms_depth(cast, terms):
    autumn, _spring = terms
    start = autumn.starts_on
    for offset in (10, 20, 35):  # three contacts over more than three weeks: trusting
        log(cast.coach, [cast.teacher], occurred_at=at(cast, start + offset * DAY), minutes=60)
    log(cast.coach, [cast.other_teacher], occurred_at=at(cast, start + 12 * DAY), minutes=60)
    log(cast.coach, [], "Planning", occurred_at=at(cast, start + 15 * DAY), minutes=60)
    log(cast.coach, [cast.teacher], occurred_at=at(cast, start + 70 * DAY), minutes=60)
    autumn_goal = a_goal(cast.coach, [cast.other_teacher])
    Goal.objects.filter(pk=autumn_goal.pk).update(
        created_at=at(cast, start + 20 * DAY))  # still open: partnering in both terms
    spring_goal = a_goal(cast.coach, [cast.teacher])
    cycle = a_cycle(cast.coach, spring_goal, started_on=start + 60 * DAY)
    share_point(cast.coach, share_measure(cast.coach, cycle), "before", 20, 8, ago=3)

    found = report(coach_scope(cast), start, today(cast))

    assert rows(found, "terms") == [
        ["Autumn 2026–27", 5.0, 2, 1, 1, 0],
        ["Spring 2026–27", 1.0, 1, 0, 2, 1],
    ]
    assert section(report(coach_scope(cast), start + 60 * DAY, today(cast)),
                   "terms")["rows"][0][0] == "Spring 2026–27"


def test_no_terms_no_term_table_and_no_comparison(cast):
    log(cast.coach, [cast.teacher])

    found = report(coach_scope(cast), today(cast) - 30 * DAY, today(cast))

    assert section(found, "terms") is None
    assert section(found, "compare") is None


def test_this_term_against_the_last(cast, terms):
    autumn, _spring = terms
    start = autumn.starts_on
    log(cast.coach, [cast.teacher], occurred_at=at(cast, start + 10 * DAY), minutes=60)
    log(cast.coach, [cast.other_teacher], occurred_at=at(cast, start + 20 * DAY), minutes=30)
    log(cast.coach, [], "Planning", occurred_at=at(cast, start + 15 * DAY), minutes=300)
    log(cast.coach, [cast.teacher], occurred_at=at(cast, start + 70 * DAY), minutes=120)

    scopes = _scopes(cast)
    network = scopes.pop("network")
    # The network report compares its schools side by side, not its terms.
    assert section(report(network, start, today(cast)), "compare") is None
    for scope in scopes.values():
        for period in [(start, today(cast)), (today(cast) - 6 * DAY, today(cast))]:
            found = report(scope, *period)  # whole terms, whatever the period

            compare = section(found, "compare")
            assert compare["columns"] == ["Measure", "Autumn 2026–27",
                                          "Spring 2026–27 (so far)", "Change"]
            assert compare["rows"] == [["Hours with teachers", 1.5, 2.0, "+0.5"],
                                       ["Contacts", 2, 1, "-1"],
                                       ["Teachers reached", 2, 1, "-1"]]
            assert found["sections"][1]["id"] == "compare"

    by_kind = report(coach_scope(cast), start, today(cast), kind_id=kind("Tech help").pk)
    assert section(by_kind, "compare")["rows"][1] == ["Contacts", 2, 1, "-1"]
    other_kind = report(coach_scope(cast), start, today(cast), kind_id=kind("Observation").pk)
    assert section(other_kind, "compare")["rows"] == [["Hours with teachers", 0.0, 0.0, "+0.0"],
                                                      ["Contacts", 0, 0, "+0"],
                                                      ["Teachers reached", 0, 0, "+0"]]


# --- requests, goals, cycles ---------------------------------------------------------------


def test_funnel_from_a_request_to_a_cycle(cast, second_coach_at_roosevelt):
    plain = a_request(cast)
    met = a_request(cast, teacher=cast.other_teacher)
    a_session_for(met)
    to_goal = a_request(cast)
    a_goal(cast.coach, [cast.teacher], source_request=to_goal)
    to_cycle = a_request(cast)
    a_cycle(cast.coach, a_goal(cast.coach, [cast.teacher], source_request=to_cycle))
    old = a_request(cast)
    type(old).objects.filter(pk=old.pk).update(created_at=timezone.now()
                                               - datetime.timedelta(days=60))
    coach, teacher = second_coach_at_roosevelt
    elsewhere = a_request(cast, coach=coach, teacher=teacher, school=cast.other_school)
    a_session_for(elsewhere)
    del plain
    expected = [["Requests from the menu", 4, "100%"], ["Met with a session", 1, "25%"],
                ["Led to a goal", 2, "50%"], ["Led to a coaching cycle", 1, "25%"]]
    start, end = today(cast) - 29 * DAY, today(cast)

    assert rows(report(coach_scope(cast), start, end), "funnel") == expected
    assert rows(report(school_scope(cast), start, end), "funnel") == expected
    network = rows(report(network_scope(cast), start, end), "funnel")
    assert network[:2] == [["Requests from the menu", 5, "100%"],
                           ["Met with a session", 2, "40%"]]
    # Roosevelt has one teacher: its leaders see no figure at all.
    assert report(school_scope(cast, cast.other_school), start, end)["suppressed"]


@pytest.fixture
def second_coach_at_roosevelt(cast):
    coach = coach_at(cast.other_school, "Rob Roosevelt")
    teacher = more_teachers(cast, 1, school=cast.other_school, coach=coach)[0]
    return coach, teacher


def test_goals_set_closed_met_and_cycles_started_completed(cast):
    now = today(cast)

    def goal():
        return a_goal(cast.coach, [cast.teacher])

    goal()  # set, open
    old = goal()
    Goal.objects.filter(pk=old.pk).update(created_at=timezone.now()
                                          - datetime.timedelta(days=150))
    goal_services.goal_close(actor=cast.coach, goal=old, status=GoalStatus.NOT_MET,
                             reflection="Not this time")  # closed, not set, in the period
    met = a_cycle(cast.coach, goal(), started_on=now - 40 * DAY)
    cycles.cycle_close(actor=cast.coach, cycle=met, outcome=Outcome.MET,
                       coach_reflection="It worked")
    goal_services.goal_close(actor=cast.coach, goal=goal(), status=GoalStatus.PARTLY_MET,
                             reflection="Halfway")
    goal_services.goal_close(actor=cast.coach, goal=goal(), status=GoalStatus.DROPPED)
    a_cycle(cast.coach, goal(), started_on=now - 10 * DAY)  # under way
    stopped = a_cycle(cast.coach, goal(), started_on=now - 80 * DAY)  # before the period
    cycles.cycle_close(actor=cast.coach, cycle=stopped, outcome=Outcome.NOT_MET,
                       coach_reflection="Stopped", stopped_early=True)

    for scope in _scopes(cast).values():
        found = report(scope, now - 59 * DAY, now)

        assert rows(found, "goals") == [
            ["Goals set", 6], ["Goals closed", 4], ["Goals met or partly met", 2],
            ["Cycles started", 2], ["Cycles completed", 1], ["Cycles under way now", 1]]
        assert headline(found, "Coaching cycles completed") == 1
        assert headline(found, "Goals met") == 2
        assert found["headline"][3]["detail"] == "2 started in the period"
        assert found["headline"][4]["detail"] == "met or partly met, of 4 goals closed"

    earlier = report(coach_scope(cast), now - 200 * DAY, now - 61 * DAY)
    assert rows(earlier, "goals")[:4] == [["Goals set", 1], ["Goals closed", 0],
                                          ["Goals met or partly met", 0], ["Cycles started", 1]]


# --- filters ---------------------------------------------------------------------------------


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

    found = report(network_scope(cast), start, world["end"], **given)

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

    third = report(network_scope(cast), start, end, grade_id=world["third"].pk)
    fourth = report(network_scope(cast), start, end, grade_id=world["fourth"].pk)

    assert row(third, "goals", "Goals set")[1] == 1
    assert row(fourth, "goals", "Goals set")[1] == 1
    assert row(report(network_scope(cast), start, end), "goals", "Goals set")[1] == 2
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

    found = report(network_scope(cast), today(cast) - 6 * DAY, today(cast))

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
    assert tallies.differences(cast.network) == {}
    before = _all_reports(cast, roosevelt, third)

    tallies.rebuild(cast.network)

    assert tallies.differences(cast.network) == {}
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

    lincoln = report(school_scope(cast), start, end)
    roosevelt = report(school_scope(cast, cast.other_school), start, end)

    assert _reached(lincoln) == 1
    assert _reached(roosevelt) == 0
    assert _reached(report(school_scope(cast, cast.other_school), monday, end)) == 2


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
