"""The month bitmaps of `PairReach` cover every day the product accepts, and a year more.

They counted months from January 2020 in three columns (to mid-2035), so a contact logged
before 2020 set no bit and its teacher counted as never reached. Month 0 is now January
1999, in twenty columns to April 2102 (`coaching/tallies/buckets.py`). The existing bits
move up by the 252 months between the two starts, and the pairs with a contact outside the
old span (before 2020, or from July 2035) get their bits summed again from the log.
"""

import datetime
import zoneinfo

from django.db import migrations, models

BITS = 62
OLD_EPOCH, NEW_EPOCH = 2020, 1999
SHIFT = (OLD_EPOCH - NEW_EPOCH) * 12
OLD_COLUMNS = ('months_0', 'months_1', 'months_2')
COLUMNS = tuple(f'months_{n}' for n in range(20))
MASK = (1 << BITS) - 1
BATCH = 2000


def _split(combined: int) -> dict:
    return {column: (combined >> (BITS * n)) & MASK for n, column in enumerate(COLUMNS)}


def shift_months(apps, schema_editor):
    PairReach = apps.get_model('coaching', 'PairReach')
    rows = list(PairReach.objects.order_by('pk').values_list('pk', *OLD_COLUMNS))
    batch = []
    for pk, *old in rows:
        combined = sum(value << (BITS * n) for n, value in enumerate(old))
        batch.append(PairReach(pk=pk, **_split(combined << SHIFT)))
        if len(batch) == BATCH:
            PairReach.objects.bulk_update(batch, COLUMNS)
            batch = []
    PairReach.objects.bulk_update(batch, COLUMNS)
    _recount_outside_old_span(apps)


def _recount_outside_old_span(apps):
    """Pairs with a contact the old bitmaps could not hold: their bits from the log."""
    PairReach = apps.get_model('coaching', 'PairReach')
    Link = apps.get_model('coaching', 'InteractionTeacher')
    Organisation = apps.get_model('directory', 'Organisation')
    # A day's margin either side: the months are the network's, checked exactly below.
    early = datetime.datetime(OLD_EPOCH, 1, 2, tzinfo=datetime.UTC)
    late = datetime.datetime(OLD_EPOCH + 15, 6, 30, tzinfo=datetime.UTC)
    outside = (Link.objects.filter(models.Q(occurred_at__lt=early)
                                   | models.Q(occurred_at__gte=late))
               .values_list('interaction__network_id', 'coach_id', 'teacher_id',
                            'interaction__school_id').distinct())
    for network_id, coach_id, teacher_id, school_id in outside:
        zone = _zone(Organisation.objects.get(pk=network_id).time_zone)
        combined = 0
        for moment in Link.objects.filter(
                interaction__network_id=network_id, coach_id=coach_id, teacher_id=teacher_id,
                interaction__school_id=school_id).values_list('occurred_at', flat=True):
            try:
                day = moment.astimezone(zone).date()
            except (OverflowError, ValueError):
                continue
            index = (day.year - NEW_EPOCH) * 12 + day.month - 1
            if 0 <= index < BITS * len(COLUMNS):
                combined |= 1 << index
        PairReach.objects.filter(network_id=network_id, coach_id=coach_id,
                                 teacher_id=teacher_id, school_id=school_id).update(
            **_split(combined))


def _zone(name):
    try:
        return zoneinfo.ZoneInfo(name or 'UTC')
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo('UTC')


def unshift_months(apps, schema_editor):
    PairReach = apps.get_model('coaching', 'PairReach')
    for row in list(PairReach.objects.order_by('pk')):
        combined = sum(getattr(row, column) << (BITS * n) for n, column in enumerate(COLUMNS))
        old = combined >> SHIFT
        PairReach.objects.filter(pk=row.pk).update(
            **{column: (old >> (BITS * n)) & MASK for n, column in enumerate(OLD_COLUMNS)})


class Migration(migrations.Migration):

    dependencies = [
        ('coaching', '0004_tallies_from_reports'),
    ]

    operations = [
        migrations.AddField(
            model_name='pairreach',
            name='months_3',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='pairreach',
            name='months_4',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='pairreach',
            name='months_5',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='pairreach',
            name='months_6',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='pairreach',
            name='months_7',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='pairreach',
            name='months_8',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='pairreach',
            name='months_9',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='pairreach',
            name='months_10',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='pairreach',
            name='months_11',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='pairreach',
            name='months_12',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='pairreach',
            name='months_13',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='pairreach',
            name='months_14',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='pairreach',
            name='months_15',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='pairreach',
            name='months_16',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='pairreach',
            name='months_17',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='pairreach',
            name='months_18',
            field=models.BigIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='pairreach',
            name='months_19',
            field=models.BigIntegerField(default=0),
        ),
        migrations.RunPython(shift_months, unshift_months),
    ]
