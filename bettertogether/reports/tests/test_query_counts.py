"""A report runs a fixed number of queries whatever the size of the log: the coach's, the
school's and the network's pages and their CSV exports cost as many queries with one entry
as with many (weeks of entries by two coaches in two schools, teachers, goals, cycles with
evidence, requests and sessions), with part weeks at both ends of the range and with the
filters that read the log directly."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bettertogether.coaching.tests.support import kind, log
from bettertogether.goals.starter import install as install_starter
from bettertogether.goals.tests.evidence_support import days_ago, share_measure, share_point
from bettertogether.goals.tests.support import a_cycle, a_goal
from bettertogether.reports.engine import Filters, build_report
from bettertogether.reports.tests.support import (
    DAY,
    a_request,
    a_session_for,
    at,
    coach_at,
    coach_scope,
    more_teachers,
    network_scope,
    queries_of,
    school_scope,
    today,
    weekday_weeks_ago,
)
from bettertogether.testing import factories as f

MANY = 30
KINDS = ["Tech help", "Co-teaching", "Observation", "Check-in", "Planning", "Meetings"]


@pytest.fixture(autouse=True)
def _starter(db):
    install_starter()


@pytest.fixture
def world(cast):
    """Terms, a grade and a subject with five teachers each, and a single entry of the log."""
    year = cast.school_year
    f.TermFactory(school_year=year, name="Autumn", starts_on=year.starts_on,
                  ends_on=year.starts_on + 40 * DAY)
    f.TermFactory(school_year=year, name="Spring", starts_on=year.starts_on + 41 * DAY,
                  ends_on=year.ends_on)
    grade = f.GradeLevelFactory(network=cast.network, name="Grade 3")
    subject = f.SubjectFactory(network=cast.network, name="Maths")
    for person in (cast.teacher, *more_teachers(cast, 4, coach=cast.coach)):
        person.profile.grades.add(grade)
        person.profile.subjects.add(subject)
    roosevelt = coach_at(cast.other_school, "Rob Roosevelt")
    start = weekday_weeks_ago(cast, 2, 8)  # a Wednesday
    end = weekday_weeks_ago(cast, 3, 1)  # a Thursday
    log(cast.coach, [cast.teacher], occurred_at=at(cast, start + 14 * DAY), minutes=20)
    return {"grade": grade, "subject": subject, "roosevelt": roosevelt, "start": start,
            "end": end}


def _grow(cast, world):
    """Many rows of everything a report counts."""
    roosevelt = world["roosevelt"]
    lincoln = more_teachers(cast, 10, coach=cast.coach, grades=[world["grade"]],
                            subjects=[world["subject"]])
    others = more_teachers(cast, 6, school=cast.other_school, coach=roosevelt,
                           grades=[world["grade"]])
    start = world["start"]
    pairs = itertools.cycle([(cast.coach, lincoln), (roosevelt, others)])
    for n in range(MANY):
        coach, teachers = next(pairs)
        name = KINDS[n % len(KINDS)]
        chosen = [] if name in ("Planning", "Meetings") else teachers[n % 5:n % 5 + 2]
        log(coach, chosen, name, occurred_at=at(cast, start + (n * 7 // 4) * DAY, 9 + n % 8),
            minutes=10 + n)
    for n, teacher in enumerate(lincoln[:6]):
        request = a_request(cast, teacher=teacher)
        if n % 2:
            a_session_for(request)
        goal = a_goal(cast.coach, [teacher, lincoln[n + 1]],
                      source_request=request if n % 3 == 0 else None)
        if n < 4:
            cycle = a_cycle(cast.coach, goal, started_on=days_ago(40))
            measure = share_measure(cast.coach, cycle, name=f"Measure {n}")
            share_point(cast.coach, measure, "before", 20, 5 + n, ago=30)
            share_point(cast.coach, measure, "after", 20, 12 + n, ago=2)
    for teacher in others[:3]:
        a_request(cast, coach=roosevelt, teacher=teacher, school=cast.other_school)


def _queries(cast, world) -> dict[str, str]:
    period = f"start={world['start'].isoformat()}&end={world['end'].isoformat()}"
    return {
        "default": "",
        "part weeks": f"?{period}",
        "kind": f"?{period}&kind={kind('Tech help').pk}",
        "grade": f"?{period}&grade={world['grade'].pk}",
        "subject and coach": f"?{period}&subject={world['subject'].pk}&coach={cast.coach.pk}",
        "school": f"?{period}&school={cast.school.pk}",
    }


def _urls(cast, which: str) -> dict[str, tuple]:
    return {
        "coach page": (cast.coach, reverse("reports:coach")),
        "coach csv": (cast.coach, reverse("reports:coach_export", args=["csv"])),
        "school page": (cast.leader, reverse("reports:school", args=[cast.school.pk])),
        "school csv": (cast.leader, reverse("reports:school_export",
                                            args=[cast.school.pk, "csv"])),
        "network page": (cast.admin, reverse("reports:network", args=[cast.network.pk])),
        "network csv": (cast.admin, reverse("reports:network_export",
                                            args=[cast.network.pk, "csv"])),
    }[which]


URLS = ["coach page", "coach csv", "school page", "school csv", "network page", "network csv"]
QUERIES = ["default", "part weeks", "kind", "grade", "subject and coach", "school"]


@pytest.mark.parametrize("which", URLS)
def test_report_query_count_does_not_grow_with_the_log(cast, client_for, world, which):
    person, url = _urls(cast, which)
    client = client_for(person)
    urls = [url + query for query in _queries(cast, world).values()]
    for each in urls:
        client.get(each)  # warm up: first-request work is not the report's cost
    one = {each: queries_of(client, each)[0] for each in urls}

    _grow(cast, world)

    many = {}
    for each in urls:
        many[each], response = queries_of(client, each)
        if which.endswith("page"):
            assert response.status_code == 200
            assert not response.context["report"]["suppressed"], each
    assert many == one


def test_the_grown_world_is_many_rows(cast, client_for, world):
    """The world the counts are held to really is large in every section."""
    _grow(cast, world)
    report = client_for(cast.admin).get(
        reverse("reports:network", args=[cast.network.pk])
        + _queries(cast, world)["default"]).context["report"]
    sections = {section["id"]: section["rows"] for section in report["sections"]}

    assert report["headline"][1]["value"] > 15
    assert len(sections["weekly"]) >= 6
    assert len(sections["time_by_kind"]) == len(KINDS)
    assert sections["funnel"][0][1] == 9
    assert sections["goals"][0][1] == 6
    assert len(sections["coaches"]) == 2


@pytest.mark.parametrize("scope_of", [coach_scope, school_scope, network_scope])
def test_build_report_query_count_does_not_grow(cast, world, scope_of):
    filters = [Filters(start=world["start"], end=world["end"]),
               Filters(start=world["start"], end=world["end"], kind_id=kind("Tech help").pk),
               Filters(start=world["start"], end=world["end"], grade_id=world["grade"].pk),
               Filters(start=world["start"] + DAY, end=world["start"] + 3 * DAY),
               Filters(start=cast.school_year.starts_on, end=today(cast))]

    def cost():
        found = []
        for each in filters:
            with CaptureQueriesContext(connection) as captured:
                build_report(scope=scope_of(cast), filters=each)
            found.append(len(captured.captured_queries))
        return found

    one = cost()
    _grow(cast, world)

    assert cost() == one
    assert max(one) <= 35  # a few dozen queries, whatever the log
