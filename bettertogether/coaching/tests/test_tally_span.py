"""Every date the log accepts has a place in the tallies, and a date outside the span is
refused — by the service and by the forms, with the message next to the field — instead of
counting as no teacher reached."""

from __future__ import annotations

import datetime
import io
import uuid
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from bettertogether.coaching import services
from bettertogether.coaching.models import Interaction, PairReach
from bettertogether.coaching.tallies import proof
from bettertogether.coaching.tallies.buckets import COLUMNS, covers, month_bit
from bettertogether.coaching.tallies.network import rebuild
from bettertogether.coaching.tests.support import kind, log
from bettertogether.directory.dates import FIRST_DAY, LAST_DAY, span_message
from bettertogether.testing import factories as f

DAY = datetime.timedelta(days=1)
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")  # the cast's network
MESSAGE = "Choose a date from 1 January 2000 to 31 December 2099."


def test_the_span_is_said_in_one_sentence():
    assert span_message() == MESSAGE


def test_the_bitmaps_hold_every_accepted_day_and_a_day_either_side():
    assert covers(FIRST_DAY - DAY) and covers(LAST_DAY + DAY)
    assert not covers(datetime.date(1998, 12, 31))
    assert month_bit(datetime.date(1999, 1, 31)) == ("months_0", 1)
    assert month_bit(datetime.date(2004, 3, 1)) == ("months_1", 1)  # month 62
    assert month_bit(datetime.date(2004, 2, 29)) == ("months_0", 1 << 61)
    assert [field.name for field in PairReach._meta.fields if field.name.startswith("months")] \
        == list(COLUMNS)


@pytest.mark.parametrize("moment", [
    datetime.datetime(1999, 12, 31, 23, 59, tzinfo=CHICAGO),
    datetime.datetime(1, 1, 1, 12, tzinfo=datetime.UTC),
    datetime.datetime(9999, 12, 31, 23, 59, tzinfo=datetime.UTC),
])
def test_the_service_refuses_a_day_outside_the_span(cast, moment):
    with pytest.raises(ValidationError) as refused:
        log(cast.coach, [cast.teacher], occurred_at=moment)

    assert refused.value.message_dict == {"occurred_at": [MESSAGE]}
    assert not Interaction.objects.exists()


def test_an_edit_to_a_day_outside_the_span_changes_nothing(cast):
    entry = log(cast.coach, [cast.teacher], occurred_at=timezone.now() - DAY)
    with pytest.raises(ValidationError) as refused:
        services.interaction_update(
            actor=cast.coach, interaction=entry, kind=entry.kind, teachers=[cast.teacher],
            minutes=30, occurred_at=datetime.datetime(1999, 6, 1, 12, tzinfo=CHICAGO))

    assert refused.value.message_dict == {"occurred_at": [MESSAGE]}
    entry.refresh_from_db()
    assert entry.occurred_at > timezone.now() - 2 * DAY


@pytest.mark.parametrize("day", [
    FIRST_DAY,
    datetime.date(2004, 2, 29), datetime.date(2004, 3, 1),  # the first column's end
    datetime.date(2019, 8, 31), datetime.date(2019, 9, 1),  # month 248
    datetime.date(2024, 10, 31), datetime.date(2024, 11, 1),  # month 310
])
def test_a_contact_anywhere_in_the_span_reaches_its_teacher(cast, day):
    moment = datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=CHICAGO)
    log(cast.coach, [cast.teacher], occurred_at=moment)

    column, bit = month_bit(day)
    assert PairReach.objects.get().__dict__[column] == bit
    assert proof.differences(cast.network) == {}


def test_an_entry_no_bitmap_holds_is_a_difference_not_a_silence(cast):
    """A date from before the span was enforced, written straight to the log."""
    old = f.InteractionFactory(coach=cast.coach, network=cast.network, school=cast.school,
                               kind=kind("Tech help"), teachers=[cast.teacher],
                               occurred_at=datetime.datetime(1990, 5, 1, 12, tzinfo=CHICAGO))
    rebuild(cast.network)

    found = proof.differences(cast.network)
    assert found == {"uncounted": {"extra": set(), "missing": {(old.pk, old.occurred_at)}}}
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("report_tallies", "--check", stdout=out)
    assert "uncounted: 1 entr(ies) of the log dated where no month bitmap reaches" \
        in out.getvalue()


# --- the forms --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["0001-01-01T10:00", "1999-12-31T23:59", "9999-12-31T10:00"])
def test_the_log_form_refuses_a_day_outside_the_span(cast, client_for, typed):
    response = client_for(cast.coach).post(reverse("coaching:log"), {
        "teachers": [cast.teacher.pk], "kind": kind("Tech help").pk,
        "idempotency_key": str(uuid.uuid4()), "occurred_at": typed})

    assert response.status_code == 422
    assert response.context["form"].errors == {"occurred_at": [MESSAGE]}
    assert not Interaction.objects.exists()


def test_the_log_form_offers_only_days_in_the_span(cast, client_for):
    content = client_for(cast.coach).get(reverse("coaching:log")).content.decode()

    assert 'min="2000-01-01T00:00"' in content
    assert 'max="2099-12-31T23:59"' in content


def test_the_edit_form_refuses_a_day_outside_the_span(cast, client_for):
    entry = log(cast.coach, [cast.teacher], occurred_at=timezone.now() - DAY, minutes=15)
    response = client_for(cast.coach).post(reverse("coaching:entry_edit", args=[entry.pk]), {
        "teachers": [cast.teacher.pk], "kind": kind("Tech help").pk, "minutes": 40,
        "occurred_at": "1999-01-01T10:00"})

    assert response.status_code == 422
    assert response.context["form"].errors == {"occurred_at": [MESSAGE]}
    entry.refresh_from_db()
    assert entry.minutes == 15
