"""Every directory write that changes a network's calendar says so, by name, to whatever the
apps above registered (`calendar_changes`); writes that change nothing the calendar buckets
by say nothing, and a write refused says nothing either."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bettertogether.directory import calendar_changes, services
from bettertogether.directory.calendar_changes import CalendarChange

DAY = datetime.timedelta(days=1)


@pytest.fixture
def heard(monkeypatch) -> list[CalendarChange]:
    """What a registered recount hears (in place of the apps' own, for this test)."""
    found: list[CalendarChange] = []
    monkeypatch.setattr(calendar_changes, "_recounts", [])
    calendar_changes.register(found.append)
    calendar_changes.register(found.append)  # registering twice changes nothing
    return found


def _update(cast, organisation, **changes):
    values = {"name": organisation.name, "locale": organisation.locale,
              "time_zone": organisation.time_zone,
              "leader_visibility": organisation.leader_visibility, **changes}
    return services.organisation_update(actor=cast.admin, organisation=organisation, **values)


def test_a_network_time_zone_change_is_heard(cast, heard):
    _update(cast, cast.network, time_zone="Europe/London")

    assert heard == [CalendarChange(network_id=cast.network.pk, time_zone=True)]


def test_other_settings_and_a_school_time_zone_are_not_calendar_changes(cast, heard):
    _update(cast, cast.network, name="Riverside Unified")
    _update(cast, cast.school, time_zone="Europe/London")

    assert heard == []


def test_a_school_year_with_terms_is_heard_by_its_terms_first_days(cast, heard):
    start = datetime.date(2027, 8, 20)
    services.school_year_create(
        actor=cast.admin, network=cast.network, name="2027–28", starts_on=start,
        ends_on=start + 300 * DAY,
        terms=[("Fall", start, start + 120 * DAY), ("Spring", start + 140 * DAY,
                                                    start + 300 * DAY)])
    services.school_year_create(actor=cast.admin, network=cast.network, name="2028–29",
                                starts_on=start + 365 * DAY, ends_on=start + 600 * DAY)

    assert heard == [CalendarChange(network_id=cast.network.pk,
                                    term_starts=frozenset({start, start + 140 * DAY}))]


def test_a_new_term_is_heard(cast, heard):
    year = cast.school_year

    services.term_create(actor=cast.admin, school_year=year, name="Fall",
                         starts_on=year.starts_on, ends_on=year.starts_on + 90 * DAY)

    assert heard == [CalendarChange(network_id=cast.network.pk,
                                    term_starts=frozenset({year.starts_on}))]


def test_a_refused_change_is_not_heard(cast, heard):
    year = cast.school_year
    with pytest.raises(ValidationError):
        services.term_create(actor=cast.admin, school_year=year, name="Summer",
                             starts_on=year.ends_on, ends_on=year.ends_on + 30 * DAY)
    with pytest.raises(PermissionDenied):
        _update(cast, cast.outsider_network, time_zone="UTC")

    assert heard == []
