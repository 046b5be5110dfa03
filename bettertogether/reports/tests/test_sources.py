"""Which tally or table answers each question of a report (`sources.source_for`): the
table of the module's docstring, row by row. The figures each answer gives are held equal
to a count straight from the log by `test_engine.py`; here, that the choice is the one the
table says.

The days: 2026-03-02 is a Monday, 2026-03-29 a Sunday.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from bettertogether.directory.models import Organisation, Person
from bettertogether.reports.models import ReportKind
from bettertogether.reports.report_base import LEADER, OWN, Filters, ReportContext, Scope
from bettertogether.reports.sources import Plan, Question, Source, source_for

D = datetime.date
NETWORK = Organisation(pk=1, name="Riverside", kind=Organisation.Kind.NETWORK)
SCHOOL = Organisation(pk=2, name="Lincoln", kind=Organisation.Kind.SCHOOL, network=NETWORK)
COACH = Person(pk=3, full_name="Coach")
WHOLE_WEEKS = (D(2026, 3, 2), D(2026, 3, 30))


def context(kind=ReportKind.NETWORK, *, start=D(2026, 3, 2), end=D(2026, 3, 29),
            teachers=None, excluded=frozenset(), **filters) -> ReportContext:
    scope = Scope(kind=kind, network=NETWORK,
                  school=SCHOOL if kind == ReportKind.SCHOOL else None,
                  coach=COACH if kind == ReportKind.COACH else None,
                  audience=OWN if kind == ReportKind.COACH else LEADER)
    zone = ZoneInfo("America/Chicago")
    since = datetime.datetime.combine(start, datetime.time(), tzinfo=zone)
    until = datetime.datetime.combine(end, datetime.time(), tzinfo=zone)
    return ReportContext(scope=scope, filters=Filters(start=start, end=end, **filters),
                         zone=zone, since=since, until=until, teachers=teachers,
                         excluded=excluded)


def test_hours_of_a_whole_network_read_the_network_weeks_by_kind():
    assert source_for(context(), Question.HOURS) == Plan(
        source=Source.KIND_WEEK, weeks=WHOLE_WEEKS, log_days=())


def test_hours_under_a_kind_still_read_the_network_weeks_by_kind():
    assert source_for(context(kind_id=7), Question.HOURS).source == Source.KIND_WEEK


@pytest.mark.parametrize("ctx", [
    context(school_id=2), context(coach_id=3), context(excluded=frozenset({9})),
    context(ReportKind.SCHOOL), context(ReportKind.COACH),
], ids=["school filter", "coach filter", "small school left out", "school", "coach"])
def test_hours_narrowed_to_a_school_or_coach_read_the_weeks_by_coach_school_and_kind(ctx):
    assert source_for(ctx, Question.HOURS) == Plan(
        source=Source.WEEK_TALLY, weeks=WHOLE_WEEKS, log_days=())


def test_part_weeks_at_either_end_are_read_from_the_log():
    plan = source_for(context(start=D(2026, 3, 4), end=D(2026, 3, 24)), Question.HOURS)
    assert plan == Plan(source=Source.KIND_WEEK, weeks=(D(2026, 3, 9), D(2026, 3, 23)),
                        log_days=((D(2026, 3, 4), D(2026, 3, 9)),
                                  (D(2026, 3, 23), D(2026, 3, 25))))


@pytest.mark.parametrize("start, end", [
    (D(2026, 3, 4), D(2026, 3, 6)),  # inside one week
    (D(2026, 3, 4), D(2026, 3, 10)),  # across one Monday, no whole week
], ids=["one week", "no whole week"])
def test_a_period_without_a_whole_week_is_read_from_the_log_alone(start, end):
    plan = source_for(context(start=start, end=end), Question.HOURS)
    assert plan.source is None
    assert plan.weeks is None
    assert plan.log_days[0][0] == start
    assert plan.log_days[-1][1] == end + datetime.timedelta(days=1)


@pytest.mark.parametrize("question", [Question.HOURS, Question.HOURS_BY_COACH])
def test_hours_under_a_grade_or_subject_are_read_from_the_log_every_day(question):
    plan = source_for(context(teachers=object(), grade_id=5), question)
    assert plan == Plan(source=None, weeks=None,
                        log_days=((D(2026, 3, 2), D(2026, 3, 30)),))


def test_hours_by_coach_read_the_coach_weeks_and_under_a_kind_the_week_tallies():
    assert source_for(context(), Question.HOURS_BY_COACH) == Plan(
        source=Source.COACH_WEEK, weeks=WHOLE_WEEKS, log_days=())
    assert source_for(context(kind_id=7), Question.HOURS_BY_COACH).source == (
        Source.WEEK_TALLY)


def test_reach_reads_the_month_bits_and_under_a_kind_the_log_links():
    assert source_for(context(), Question.REACH).source == Source.PAIR_REACH
    assert source_for(context(teachers=object(), grade_id=5),
                      Question.REACH).source == Source.PAIR_REACH
    assert source_for(context(kind_id=7), Question.REACH).source == Source.LOG_LINKS


@pytest.mark.parametrize("filters", [{}, {"school_id": 2}])
def test_terms_come_from_the_pair_tallies_without_a_kind(filters):
    assert source_for(context(**filters), Question.TERMS).source == Source.PAIR_TERM


def test_terms_of_a_kind_come_from_the_log_the_pair_tallies_hold_no_kinds():
    assert source_for(context(kind_id=7), Question.TERMS).source == Source.LOG_LINKS


@pytest.mark.parametrize("filters", [{}, {"kind_id": 7}, {"school_id": 2}])
def test_caseloads_have_one_source_whatever_the_filters(filters):
    assert source_for(context(**filters), Question.CASELOADS).source == Source.CASELOAD


def test_every_question_has_an_answer_named_in_the_docstring():
    from bettertogether.reports import sources

    for question in Question:
        assert source_for(context(), question) is not None
        assert question.name in sources.__doc__
