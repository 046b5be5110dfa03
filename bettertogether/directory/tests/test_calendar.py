"""An organisation's calendar: its zone, its days, its school year and "this term".

The terms of the year used throughout (a US district's year, Chicago time):

    2029–30  1 Sep 2029 – 31 Aug 2030     … Summer 20 Apr – 20 Jul 2030
    2030–31  1 Sep 2030 – 31 Aug 2031     Autumn  4 Sep – 19 Dec 2030
                                          Spring  6 Jan – 28 Mar 2031
                                          Summer 14 Apr – 18 Jul 2031
"""

import datetime
import itertools
import zoneinfo

import pytest
from django.utils import timezone

from bettertogether.directory import calendar
from bettertogether.directory.calendar import Span
from bettertogether.testing import factories as f

D = datetime.date
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
LONDON = zoneinfo.ZoneInfo("Europe/London")

AUTUMN = Span("Autumn", D(2030, 9, 1), D(2031, 1, 5), school_year="2030–31")
SPRING = Span("Spring", D(2031, 1, 6), D(2031, 4, 13), school_year="2030–31")
SUMMER = Span("Summer", D(2031, 4, 14), D(2031, 8, 31), school_year="2030–31")
LAST_SUMMER = Span("Summer", D(2030, 4, 20), D(2030, 8, 31), school_year="2029–30")


@pytest.fixture
def years(cast):
    """Two school years of the cast's network with their terms; the factory's year gone."""
    cast.network.school_years.all().delete()
    before = f.SchoolYearFactory(network=cast.network, name="2029–30",
                                 starts_on=D(2029, 9, 1), ends_on=D(2030, 8, 31))
    f.TermFactory(school_year=before, name="Spring", starts_on=D(2030, 1, 7),
                  ends_on=D(2030, 3, 29))
    f.TermFactory(school_year=before, name="Summer", starts_on=D(2030, 4, 20),
                  ends_on=D(2030, 7, 20))
    year = f.SchoolYearFactory(network=cast.network, name="2030–31",
                               starts_on=D(2030, 9, 1), ends_on=D(2031, 8, 31))
    # Made out of order: the runs follow the days, not the rows.
    f.TermFactory(school_year=year, name="Summer", starts_on=D(2031, 4, 14),
                  ends_on=D(2031, 7, 18))
    f.TermFactory(school_year=year, name="Autumn", starts_on=D(2030, 9, 4),
                  ends_on=D(2030, 12, 19))
    f.TermFactory(school_year=year, name="Spring", starts_on=D(2031, 1, 6),
                  ends_on=D(2031, 3, 28))
    return before, year


def _this_term(cast, day):
    year = calendar.current_school_year(network_id=cast.network.pk, today=day)
    return calendar.this_term(school_year=year, today=day)


# --- the zone and the day ---------------------------------------------------------------------


def test_zone_of_an_organisation_is_its_named_zone(cast):
    assert calendar.zone_of(cast.school) == CHICAGO
    assert calendar.zone_of(cast.outsider_network) == LONDON


@pytest.mark.parametrize("name", ["", None, "Mars/Olympus_Mons", "../etc/passwd"])
def test_zone_named_unknown_or_empty_is_utc(name):
    assert calendar.zone_named(name) == zoneinfo.ZoneInfo("UTC")


def test_today_in_a_zone_is_its_date_there():
    now = datetime.datetime(2031, 3, 2, 3, 0, tzinfo=datetime.UTC)  # 21:00 on 1 March there

    assert calendar.today_in(CHICAGO, now=now) == D(2031, 3, 1)
    assert calendar.today_in(LONDON, now=now) == D(2031, 3, 2)


def test_today_in_without_a_zone_is_the_active_zones():
    now = datetime.datetime(2031, 3, 2, 3, 0, tzinfo=datetime.UTC)

    with timezone.override(CHICAGO):
        assert calendar.today_in(now=now) == D(2031, 3, 1)


def test_midnight_is_the_first_moment_of_the_day_there():
    assert calendar.midnight(D(2031, 3, 1), CHICAGO) == datetime.datetime(
        2031, 3, 1, 6, 0, tzinfo=datetime.UTC)
    # Summer time: the same wall-clock midnight is an hour earlier in UTC.
    assert calendar.midnight(D(2031, 7, 1), CHICAGO) == datetime.datetime(
        2031, 7, 1, 5, 0, tzinfo=datetime.UTC)


def test_span_bounds_are_midnights_around_its_days():
    span = Span("Spring", D(2031, 1, 6), D(2031, 4, 13))

    assert span.since(CHICAGO) == calendar.midnight(D(2031, 1, 6), CHICAGO)
    assert span.until(CHICAGO) == calendar.midnight(D(2031, 4, 14), CHICAGO)
    assert span.so_far(D(2031, 2, 1)) == Span("Spring", D(2031, 1, 6), D(2031, 2, 1))
    assert span.so_far(D(2031, 5, 1)) == span


def test_recent_days_are_thirty_with_today():
    assert calendar.recent_days(D(2031, 3, 30)) == Span("", D(2031, 3, 1), D(2031, 3, 30))


# --- the school year --------------------------------------------------------------------------


def test_current_school_year_prefers_the_one_running_today(cast):
    today = D(2027, 1, 10)
    network = cast.network
    network.school_years.all().delete()
    last = f.SchoolYearFactory(network=network, starts_on=D(2025, 9, 1),
                               ends_on=D(2026, 7, 1))
    running = f.SchoolYearFactory(network=network, starts_on=D(2026, 9, 1),
                                  ends_on=D(2027, 7, 1))
    f.SchoolYearFactory(network=network, starts_on=D(2027, 9, 1), ends_on=D(2028, 7, 1))

    assert calendar.current_school_year(network_id=network.pk, today=today) == running
    assert calendar.current_school_year(network_id=network.pk, today=D(2026, 8, 1)) == last


def test_current_school_year_before_any_year_starts_is_the_first(cast):
    cast.network.school_years.all().delete()
    first = f.SchoolYearFactory(network=cast.network, starts_on=D(2030, 9, 1),
                                ends_on=D(2031, 7, 1))
    f.SchoolYearFactory(network=cast.network, starts_on=D(2031, 9, 1), ends_on=D(2032, 7, 1))

    assert calendar.current_school_year(network_id=cast.network.pk,
                                        today=D(2029, 1, 1)) == first


def test_current_school_year_without_years_or_network_is_none(cast):
    cast.network.school_years.all().delete()

    assert calendar.current_school_year(network_id=cast.network.pk) is None
    assert calendar.current_school_year(network_id=None) is None


def test_current_school_year_ignores_other_networks(cast):
    f.SchoolYearFactory(network=cast.outsider_network)

    assert calendar.current_school_year(network_id=cast.network.pk) == cast.school_year


def test_current_school_year_brings_its_network_in_one_query(cast, django_assert_num_queries):
    with django_assert_num_queries(1):
        year = calendar.current_school_year(network_id=cast.network.pk)
        assert calendar.zone_of(year.network) == CHICAGO


# --- this term --------------------------------------------------------------------------------


@pytest.mark.parametrize(("day", "expected"), [
    (D(2030, 10, 15), AUTUMN),  # a school day
    (D(2031, 1, 6), SPRING),  # the first day of a term
    (D(2030, 12, 19), AUTUMN),  # the last day of a term
    (D(2030, 12, 27), AUTUMN),  # the winter holiday: the term that just ended
    (D(2031, 1, 5), AUTUMN),  # … to the day before the next term begins
    (D(2031, 4, 1), SPRING),  # the spring holiday
    (D(2030, 9, 1), AUTUMN),  # the year has begun, its first term not yet
    (D(2030, 9, 3), AUTUMN),
    (D(2031, 7, 30), SUMMER),  # after the year's last term
    (D(2031, 8, 31), SUMMER),  # the year's last day
    (D(2031, 10, 1), SUMMER),  # the year is over and no next year is set up
])
def test_this_term_on_a_day_follows_the_one_rule(cast, years, day, expected):
    assert _this_term(cast, day) == expected


def test_this_term_before_the_first_school_year_is_its_first_term(cast, years):
    cast.network.school_years.filter(name="2029–30").delete()

    assert _this_term(cast, D(2030, 6, 1)) == AUTUMN


def test_this_term_of_a_year_without_terms_is_none(cast):
    assert calendar.this_term(school_year=cast.school_year, today=timezone.localdate()) is None


def test_this_term_without_a_school_year_is_none(cast):
    assert calendar.this_term(school_year=None, today=timezone.localdate()) is None


def test_this_term_of_another_networks_year_is_not_ours(cast, years):
    other = f.SchoolYearFactory(network=cast.outsider_network, starts_on=D(2030, 9, 1),
                                ends_on=D(2031, 8, 31))
    f.TermFactory(school_year=other, name="Michaelmas", starts_on=D(2030, 9, 2),
                  ends_on=D(2030, 12, 20))

    assert _this_term(cast, D(2030, 10, 15)) == AUTUMN


def test_term_runs_cover_the_year_with_no_day_left_over(years):
    _before, year = years
    runs = calendar.term_runs(year_name=year.name, year_starts=year.starts_on,
                              year_ends=year.ends_on,
                              terms=list(year.terms.values_list("name", "starts_on")))

    assert runs == [AUTUMN, SPRING, SUMMER]
    assert runs[0].first_day == year.starts_on
    assert runs[-1].last_day == year.ends_on
    for run, following in itertools.pairwise(runs):
        assert following.first_day == run.last_day + calendar.DAY


# --- a network's whole calendar ---------------------------------------------------------------


def test_network_calendar_agrees_with_this_term_on_every_day(cast, years,
                                                             django_assert_num_queries):
    with django_assert_num_queries(1):
        known = calendar.network_calendar(cast.network.pk)
    day = D(2029, 8, 1)
    while day <= D(2031, 10, 1):
        assert known.this_term(day) == _this_term(cast, day), day
        day += calendar.DAY


@pytest.mark.parametrize(("day", "expected"), [
    (D(2031, 2, 1), AUTUMN),  # in Spring
    (D(2031, 1, 2), LAST_SUMMER),  # in the winter holiday, this term is Autumn
    (D(2030, 10, 15), LAST_SUMMER),  # in the year's first term: last year's last
    (D(2030, 9, 1), LAST_SUMMER),  # before the first term: the same
    (D(2031, 7, 30), SPRING),
])
def test_last_term_is_the_run_before_this_one(cast, years, day, expected):
    assert calendar.network_calendar(cast.network.pk).last_term(day) == expected


def test_last_term_in_the_first_term_ever_is_none(cast, years):
    known = calendar.network_calendar(cast.network.pk)

    assert known.this_term(D(2029, 10, 1)) == Span("Spring", D(2029, 9, 1), D(2030, 4, 19),
                                                   school_year="2029–30")
    assert known.last_term(D(2029, 10, 1)) is None


def test_network_calendar_without_years_has_no_term(cast):
    cast.network.school_years.all().delete()
    known = calendar.network_calendar(cast.network.pk)

    assert (known.school_year_on(D(2031, 1, 1)), known.this_term(D(2031, 1, 1)),
            known.last_term(D(2031, 1, 1))) == (None, None, None)


def test_network_calendar_keeps_a_year_without_terms(cast):
    known = calendar.network_calendar(cast.network.pk)
    today = timezone.localdate()

    assert known.school_year_on(today).pk == cast.school_year.pk
    assert known.this_term(today) is None
