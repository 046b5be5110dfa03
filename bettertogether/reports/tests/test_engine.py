"""The engine's figures are right: hours by kind and the split, the weeks (part weeks at the
edges counted exactly, in the network's own time), teachers reached and the caseload share,
reach by grade, the term table, this term against the last, the funnel from a request to a
cycle, goals and cycles."""

from __future__ import annotations

import datetime
import random

import pytest
from django.utils import timezone

from bettertogether.coaching.tests.support import kind, log
from bettertogether.goals import cycles
from bettertogether.goals import services as goal_services
from bettertogether.goals.models import Goal, GoalStatus, Outcome
from bettertogether.goals.starter import install as install_starter
from bettertogether.goals.tests.evidence_support import share_measure, share_point
from bettertogether.goals.tests.support import a_cycle, a_goal
from bettertogether.reports import reach
from bettertogether.reports.tests.engine_support import (
    OWN_TIME,
    WITH,
    _contacts,
    _day,
    _hours,
    _reached,
    _scopes,
)
from bettertogether.reports.tests.support import (
    DAY,
    a_request,
    a_session_for,
    at,
    coach_scope,
    counted,
    headline,
    more_teachers,
    network_scope,
    report,
    rows,
    school_scope,
    section,
    today,
    weekday_weeks_ago,
)
from bettertogether.testing import factories as f

# --- time: hours by kind, the split, the weeks ----------------------------------------------


@pytest.fixture(autouse=True)
def _starter(db):
    install_starter()



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


@pytest.mark.parametrize("listed", [reach.MAX_LISTED_PAIRS, 0],
                         ids=["pairs named by id", "pairs named by a subquery"])
def test_random_log_and_random_ranges_equal_a_direct_count(cast, monkeypatch, listed):
    """Whatever the range, the figures are those of the log itself, day by day in the
    network's time: tallies for the whole weeks and the log for the part weeks agree —
    whether the pairs met only in a part month are few enough to name by id or not."""
    monkeypatch.setattr(reach, "MAX_LISTED_PAIRS", listed)
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

    for scope in (coach_scope(cast), counted(school_scope(cast))):
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


def test_term_table_under_a_kind_counts_teachers_of_that_kind_only(cast, terms):
    autumn, _spring = terms
    start = autumn.starts_on
    for offset in (10, 20, 35):  # three observations over more than three weeks: trusting
        log(cast.coach, [cast.teacher], "Observation", occurred_at=at(cast, start + offset * DAY))
    for offset in (11, 21, 36):  # the same rhythm of tech help: not an observation
        log(cast.coach, [cast.other_teacher], occurred_at=at(cast, start + offset * DAY))
    log(cast.coach, [cast.other_teacher], "Observation", occurred_at=at(cast, start + 70 * DAY))
    log(cast.coach, [cast.teacher], occurred_at=at(cast, start + 71 * DAY))

    every_kind = report(coach_scope(cast), start, today(cast))
    observations = report(coach_scope(cast), start, today(cast),
                          kind_id=kind("Observation").pk)

    # Teachers contacted, and in repeated contact, term by term (the 3rd and 4th columns).
    assert [row[2:4] for row in rows(every_kind, "terms")] == [[2, 2], [2, 0]]
    assert [row[2:4] for row in rows(observations, "terms")] == [[1, 1], [1, 0]]


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
    network = rows(report(counted(network_scope(cast)), start, end), "funnel")
    assert network[:2] == [["Requests from the menu", 5, "100%"],
                           ["Met with a session", 2, "40%"]]
    # Roosevelt has one teacher: its leaders see no figure at all, and the network's
    # admins read totals without it (its one request cannot be had by a subtraction).
    assert report(school_scope(cast, cast.other_school), start, end)["suppressed"]
    assert rows(report(network_scope(cast), start, end), "funnel") == expected


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


