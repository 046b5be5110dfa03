""""This term" is one rule (`directory.calendar`): the school's coaching summary, the
caseload's "contacts this term" and the reports' quick link count the same days — on a
school day, on the first and the last day of a term, in a holiday, before the year's first
term and after its last.

Riverside's calendar here (Chicago time):

    2024–25  1 Sep 2024 – 31 Aug 2025   … Spring  6 Jan – 28 Mar 2025
                                        Summer 22 Apr – 18 Jul 2025
    2025–26  1 Sep 2025 – 31 Aug 2026   Autumn  3 Sep – 19 Dec 2025
                                        Spring  5 Jan – 27 Mar 2026
                                        Summer 13 Apr – 17 Jul 2026
"""

import datetime

import pytest

from bettertogether.coaching.selectors import caseload_rows
from bettertogether.coaching.summaries import Period, school_summary
from bettertogether.coaching.tests.support import log
from bettertogether.directory import calendar
from bettertogether.reports.selectors import presets
from bettertogether.reports.tests.support import at, coach_scope, headline, more_teachers, report
from bettertogether.testing import factories as f

D = datetime.date
CONTACTS = [D(2025, 6, 10), D(2025, 9, 2), D(2025, 10, 15), D(2025, 12, 19), D(2025, 12, 29),
            D(2026, 1, 5), D(2026, 4, 1), D(2026, 7, 25)]


@pytest.fixture
def calendar_2025(cast):
    """The two school years above (the cast's own is gone), the coach's caseload in the
    second, and Lincoln big enough (five teachers) for its leaders to see its figures."""
    cast.network.school_years.all().delete()
    before = f.SchoolYearFactory(network=cast.network, name="2024–25",
                                 starts_on=D(2024, 9, 1), ends_on=D(2025, 8, 31))
    f.TermFactory(school_year=before, name="Spring", starts_on=D(2025, 1, 6),
                  ends_on=D(2025, 3, 28))
    f.TermFactory(school_year=before, name="Summer", starts_on=D(2025, 4, 22),
                  ends_on=D(2025, 7, 18))
    year = f.SchoolYearFactory(network=cast.network, name="2025–26",
                               starts_on=D(2025, 9, 1), ends_on=D(2026, 8, 31))
    for name, starts, ends in (("Autumn", D(2025, 9, 3), D(2025, 12, 19)),
                               ("Spring", D(2026, 1, 5), D(2026, 3, 27)),
                               ("Summer", D(2026, 4, 13), D(2026, 7, 17))):
        f.TermFactory(school_year=year, name=name, starts_on=starts, ends_on=ends)
    f.CaseloadAssignmentFactory(coach=cast.coach, teacher=cast.teacher, school=cast.school,
                                school_year=year)
    more_teachers(cast, 3)
    return year


def _as_of(cast, today: datetime.date) -> dict:
    """What each caller calls "this term" at 6 p.m. in Chicago on `today`."""
    now = at(cast, today, 18)
    summary = school_summary(actor=cast.leader, pk=cast.school.pk, period=Period.TERM,
                             now=now)
    year = calendar.current_school_year(network_id=cast.network.pk, today=today)
    [row] = caseload_rows(actor=cast.coach, school_year=year, now=now)
    [link] = [p for p in presets(cast.network, today=today) if p["key"] == "term"]
    linked = report(coach_scope(cast), link["start"], link["end"])
    return {
        "summary": (summary.window.label, summary.window.first_day, summary.contacts),
        "caseload": row.this_term,
        "quick link": (link["label"], link["start"], link["end"]),
        "report": headline(linked, "Contacts with teachers"),
    }


@pytest.mark.parametrize(("today", "term", "first_day", "contacts"), [
    (D(2025, 10, 15), "Autumn", D(2025, 9, 1), 2),  # a school day
    (D(2026, 1, 5), "Spring", D(2026, 1, 5), 1),  # the first day of a term
    (D(2025, 12, 19), "Autumn", D(2025, 9, 1), 3),  # the last day of a term
    (D(2025, 12, 29), "Autumn", D(2025, 9, 1), 4),  # the winter holiday
    (D(2026, 4, 1), "Spring", D(2026, 1, 5), 2),  # the spring holiday
    (D(2025, 9, 2), "Autumn", D(2025, 9, 1), 1),  # the year begun, its first term not
    (D(2026, 7, 25), "Summer", D(2026, 4, 13), 1),  # after the year's last term
])
def test_this_term_is_counted_the_same_by_every_caller(cast, calendar_2025, today, term,
                                                       first_day, contacts):
    for day in CONTACTS:
        if day <= today:  # what had been logged by then
            log(cast.coach, [cast.teacher], occurred_at=at(cast, day, 12))

    found = _as_of(cast, today)

    assert found == {
        "summary": (term, first_day, contacts),
        "caseload": contacts,
        "quick link": (term, first_day, today),
        "report": contacts,
    }


def test_this_term_of_a_year_without_terms_is_the_year_everywhere(cast):
    more_teachers(cast, 3)
    year = cast.school_year
    today = calendar.today_in(calendar.zone_of(cast.network))
    log(cast.coach, [cast.teacher], occurred_at=at(cast, year.starts_on - 5 * calendar.DAY))
    log(cast.coach, [cast.teacher], occurred_at=at(cast, year.starts_on + calendar.DAY))

    now = at(cast, today, 18)
    summary = school_summary(actor=cast.leader, pk=cast.school.pk, period=Period.TERM,
                             now=now)
    [row] = caseload_rows(actor=cast.coach, school_year=year, now=now)
    keys = [p["key"] for p in presets(cast.network, today=today)]

    assert (summary.window.label, summary.window.first_day, summary.contacts) == (
        "This school year", year.starts_on, 1)
    assert row.this_term == 1
    assert "term" not in keys  # the school year's own link says the same


def test_last_term_quick_link_is_the_run_before_this_term(cast, calendar_2025):
    links = {p["key"]: (p["label"], p["start"], p["end"])
             for p in presets(cast.network, today=D(2026, 1, 2))}

    assert links["term"] == ("Autumn", D(2025, 9, 1), D(2026, 1, 2))
    assert links["last_term"] == ("Summer", D(2025, 4, 22), D(2025, 8, 31))
    assert links["year"] == ("2025–26", D(2025, 9, 1), D(2026, 1, 2))
    assert links["30d"] == ("30d", D(2025, 12, 4), D(2026, 1, 2))


def test_this_term_against_the_last_in_a_holiday_compares_the_term_just_ended(
        cast, calendar_2025):
    for day in CONTACTS:
        log(cast.coach, [cast.teacher], occurred_at=at(cast, day, 12))

    found = report(coach_scope(cast), D(2025, 12, 1), D(2025, 12, 29))
    [compare] = [s for s in found["sections"] if s["id"] == "compare"]

    assert compare["columns"] == ["Measure", "Summer 2024–25", "Autumn 2025–26 (so far)",
                                  "Change"]
    assert compare["rows"][1] == ["Contacts", 1, 4, "+3"]


def test_quick_links_in_one_query(cast, calendar_2025, django_assert_num_queries):
    with django_assert_num_queries(1):
        presets(cast.network, today=D(2026, 1, 2))
