"""The migration that widened the month bitmaps keeps every month already counted and counts
the contacts the old bitmaps could not hold (before 2020)."""

from __future__ import annotations

import datetime
import importlib
import zoneinfo

from django.apps import apps

from bettertogether.coaching.models import PairReach
from bettertogether.coaching.tallies.buckets import COLUMNS, month_bits
from bettertogether.coaching.tests.support import kind
from bettertogether.testing import factories as f

widen = importlib.import_module("bettertogether.coaching.migrations.0005_pair_reach_whole_span")
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")


def _old_bits(*months: tuple[int, int]) -> dict[str, int]:
    """The three columns as they were: month 0 was January 2020."""
    found = {"months_0": 0, "months_1": 0, "months_2": 0}
    for year, month in months:
        index = (year - 2020) * 12 + month - 1
        found[f"months_{index // 62}"] |= 1 << (index % 62)
    return found


def _bits(row: PairReach) -> dict[str, int]:
    return {column: getattr(row, column) for column in COLUMNS}


def test_counted_months_move_to_their_new_bits(cast):
    row = PairReach.objects.create(network=cast.network, coach=cast.coach, teacher=cast.teacher,
                                   school=cast.school,
                                   **_old_bits((2020, 1), (2025, 2), (2025, 3), (2035, 6)))

    widen.shift_months(apps, None)

    row.refresh_from_db()
    assert _bits(row) == month_bits([datetime.date(2020, 1, 1), datetime.date(2025, 2, 1),
                                     datetime.date(2025, 3, 1), datetime.date(2035, 6, 1)])


def test_a_contact_before_2020_gets_its_bit(cast):
    for day in (datetime.date(2019, 12, 31), datetime.date(2021, 4, 2)):
        f.InteractionFactory(coach=cast.coach, network=cast.network, school=cast.school,
                             kind=kind("Tech help"), teachers=[cast.teacher],
                             occurred_at=datetime.datetime.combine(day, datetime.time(23, 0),
                                                                   tzinfo=CHICAGO))
    row = PairReach.objects.create(network=cast.network, coach=cast.coach, teacher=cast.teacher,
                                   school=cast.school, **_old_bits((2021, 4)))

    widen.shift_months(apps, None)

    row.refresh_from_db()
    assert _bits(row) == month_bits([datetime.date(2019, 12, 1), datetime.date(2021, 4, 1)])


def test_the_migration_goes_back(cast):
    before = _old_bits((2020, 1), (2030, 7))
    row = PairReach.objects.create(network=cast.network, coach=cast.coach, teacher=cast.teacher,
                                   school=cast.school, **before)
    widen.shift_months(apps, None)

    widen.unshift_months(apps, None)

    row.refresh_from_db()
    assert {column: getattr(row, column) for column in before} == before
