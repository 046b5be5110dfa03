"""A measure's growth from its before point to its after point, computed once here.

`growth_of` is the one implementation: the pair's page explains its result in words
(`evidence_selectors`), and the `growth_*` columns of `EvidenceMeasure` store its figures
so reports can aggregate growth in SQL without reading a single point. The columns are
derived, never typed: the evidence services keep them with `measure_growth_refresh` after
every write that can change them, and the bulk seeders, which write points without the
services, call `growth_refresh_all` once they are done.

The columns are all empty unless the measure has both a before and an after point; with
both, `growth_students` (the smaller group) and `growth_on` (the after point's day) are
set, and `growth_change_pp` for a share or `growth_g` for a score — the latter stays empty
when Hedges' g cannot be computed (one student, or no spread at all).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import NamedTuple

from django.db import transaction

from .models import EvidenceMeasure, EvidencePoint, MeasureKind
from .stats import EffectSize, Group, ShareChange, hedges_g, share_change

Moment = EvidencePoint.Moment
GROWTH_FIELDS = ("growth_students", "growth_change_pp", "growth_g", "growth_on")
BATCH = 2000
_POINT_COLUMNS = ("measure_id", "moment", "taken_on", "students", "meeting_target", "mean",
                  "sd")


def point_group(point) -> Group:
    return Group(n=point.students, mean=float(point.mean), sd=float(point.sd))


def growth_of(kind: str, before, after) -> tuple[ShareChange | None, EffectSize | None]:
    """The change in the share meeting the target (a share) or Hedges' g (a score) from
    `before` to `after`: anything with a point's `students`, `meeting_target`, `mean`
    and `sd`."""
    if kind == MeasureKind.SHARE:
        return share_change(before_students=before.students,
                            before_meeting=before.meeting_target or 0,
                            after_students=after.students,
                            after_meeting=after.meeting_target or 0), None
    return None, hedges_g(before=point_group(before), after=point_group(after))


class _Point(NamedTuple):
    """A before or after point as read for the columns: the fields `growth_of` needs."""

    moment: str
    taken_on: datetime.date
    students: int
    meeting_target: int | None
    mean: Decimal | None
    sd: Decimal | None


class GrowthColumns(NamedTuple):
    growth_students: int | None = None
    growth_change_pp: float | None = None
    growth_g: float | None = None
    growth_on: datetime.date | None = None


def growth_columns(kind: str, before, after) -> GrowthColumns:
    """The four columns of a measure of this kind with these points (either may be None)."""
    if before is None or after is None:
        return GrowthColumns()
    share, effect = growth_of(kind, before, after)
    return GrowthColumns(
        growth_students=min(before.students, after.students),
        growth_change_pp=share.change_pp if share is not None else None,
        growth_g=effect.value.g if effect is not None and effect.value is not None else None,
        growth_on=after.taken_on)


def _columns_from_rows(kind: str, rows) -> GrowthColumns:
    """`rows`: the measure's before and after points as (moment, taken_on, students,
    meeting_target, mean, sd)."""
    by_moment = {row[0]: _Point(*row) for row in rows}
    return growth_columns(kind, by_moment.get(Moment.BEFORE), by_moment.get(Moment.AFTER))


def _points_of(queryset):
    return (queryset.filter(moment__in=[Moment.BEFORE, Moment.AFTER])
            .order_by().values_list(*_POINT_COLUMNS))


def measure_growth_refresh(measure: EvidenceMeasure) -> None:
    """Recompute the measure's growth columns from its points and store them: one query
    for the points, one UPDATE. The caller holds the measure's row lock (the evidence
    services do), so two writes at once cannot store a stale result."""
    rows = [row[1:] for row in _points_of(EvidencePoint.objects.filter(measure_id=measure.pk))]
    columns = _columns_from_rows(measure.kind, rows)
    EvidenceMeasure.objects.filter(pk=measure.pk).update(**columns._asdict())
    for name, value in columns._asdict().items():
        setattr(measure, name, value)


def _stored_chunks(measure_ids):
    """The measures' (pk, kind, *growth columns) by ascending pk, `BATCH` at a time."""
    rows = EvidenceMeasure.objects.order_by("pk").values_list("pk", "kind", *GROWTH_FIELDS)
    if measure_ids is None:
        stored = list(rows)
        for start in range(0, len(stored), BATCH):
            yield stored[start:start + BATCH]
        return
    ids = sorted(set(measure_ids))
    for start in range(0, len(ids), BATCH):  # never more than BATCH ids in one query
        chunk = list(rows.filter(pk__in=ids[start:start + BATCH]))
        if chunk:
            yield chunk


@transaction.atomic
def growth_refresh_all(measure_ids=None) -> int:
    """Recompute the growth columns of these measures (every measure if None) in bulk and
    write those that changed; how many did. The before and after points are read for
    `BATCH` measures at a time, by their range of ids, and the changes written with
    `bulk_update` in batches of `BATCH`."""
    changed = []
    for chunk in _stored_chunks(measure_ids):
        wanted = {row[0] for row in chunk}
        points: dict[int, list] = {}
        for measure_id, *row in _points_of(EvidencePoint.objects.filter(
                measure_id__gte=chunk[0][0], measure_id__lte=chunk[-1][0])):
            if measure_id in wanted:
                points.setdefault(measure_id, []).append(row)
        for pk, kind, *old in chunk:
            columns = _columns_from_rows(kind, points.get(pk, ()))
            if tuple(columns) != tuple(old):
                changed.append(EvidenceMeasure(pk=pk, **columns._asdict()))
    EvidenceMeasure.objects.bulk_update(changed, GROWTH_FIELDS, batch_size=BATCH)
    return len(changed)
