"""Reads of student evidence: in full for the pair, as suppressed aggregates for leaders.

- `evidence_for`: the cycle's coach and teachers see every measure with its points, its
  growth in plain words and its chart, and the work samples. Three queries at any size.
- `evidence_summary_for_leaders`: how many cycles have evidence, the mean change in the
  share meeting the target and the median Hedges' g — only over measures whose before
  *and* after groups each have at least the organisation's minimum number of students
  (the disclosure gate's floor, `directory.disclosure.student_floor`).
  Smaller ones are counted as suppressed and never enter a figure. It reads numbers only:
  no measure's name, target, note or file, and no person.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from bettertogether.directory import disclosure

from .chart import Chart, ChartPoint, chart_for
from .growth import growth_of
from .models import Cycle, EvidenceMeasure, EvidencePoint, EvidenceSample, MeasureKind
from .rules import is_one_of_the_pair
from .stats import EffectSize, ShareChange, explain_effect, explain_share, whole_percent

Moment = EvidencePoint.Moment
MOMENT_ORDER = {Moment.BEFORE: 0, Moment.CHECKPOINT: 1, Moment.AFTER: 2}


@dataclass(frozen=True)
class PointRow:
    point: EvidencePoint
    percent: int | None  # of students meeting the target, for a share


@dataclass(frozen=True)
class MeasureEvidence:
    measure: EvidenceMeasure
    points: list[EvidencePoint]  # before, the checkpoints by date, after
    rows: list[PointRow]
    share: ShareChange | None
    effect: EffectSize | None
    explanation: str
    chart: Chart | None

    @property
    def has_before_and_after(self) -> bool:
        return self.share is not None or self.effect is not None


@dataclass(frozen=True)
class CycleEvidence:
    measures: list[MeasureEvidence]
    samples: list[EvidenceSample]


def _ordered(points) -> list[EvidencePoint]:
    return sorted(points, key=lambda p: (MOMENT_ORDER.get(p.moment, 1), p.taken_on, p.pk))


def _share_of(point: EvidencePoint) -> float:
    return 100 * (point.meeting_target or 0) / point.students


def _growth(kind: str, before, after) -> tuple[ShareChange | None, EffectSize | None, str]:
    share, effect = growth_of(kind, before, after)
    return share, effect, explain_share(share) if share is not None else explain_effect(effect)


def measure_evidence(measure: EvidenceMeasure, points) -> MeasureEvidence:
    """One measure's points in order, its growth (when it has a before and an after) and
    its chart."""
    points = _ordered(points)
    before = next((p for p in points if p.moment == Moment.BEFORE), None)
    after = next((p for p in points if p.moment == Moment.AFTER), None)
    share = effect = None
    explanation = ""
    if before is not None and after is not None:
        share, effect, explanation = _growth(measure.kind, before, after)
    is_share = measure.kind == MeasureKind.SHARE
    chart = chart_for(
        chart_id=f"measure-{measure.pk}-chart", title=measure.name, kind=measure.kind,
        scale_max=float(measure.scale_max) if measure.scale_max is not None else None,
        points=[ChartPoint(moment=p.get_moment_display(), day=p.taken_on, students=p.students,
                           value=_share_of(p) if is_share else float(p.mean or 0),
                           spread=None if is_share else float(p.sd or 0))
                for p in points])
    rows = [PointRow(point=p, percent=whole_percent(_share_of(p)) if is_share else None)
            for p in points]
    return MeasureEvidence(measure=measure, points=points, rows=rows, share=share,
                           effect=effect, explanation=explanation, chart=chart)


def evidence_for(*, actor, cycle: Cycle) -> CycleEvidence:
    """The cycle's evidence for its coach and teachers; 404 for anyone else."""
    if not is_one_of_the_pair.test(actor, cycle):
        raise Http404("No such cycle")
    measures = (cycle.measures.order_by("position", "id")
                .prefetch_related(Prefetch("points", queryset=EvidencePoint.objects.all())))
    samples = (cycle.samples.select_related("uploaded_by")
               .only("id", "cycle_id", "file", "original_name", "content_type", "size",
                     "description", "created_at", "uploaded_by__full_name")
               .order_by("-created_at", "-id"))
    return CycleEvidence(measures=[measure_evidence(m, m.points.all()) for m in measures],
                         samples=list(samples))


def _in_cycle(manager, pk, what: str):
    try:
        return manager.get(pk=pk)
    except (manager.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(f"No such {what}") from exc


def measure_get_for(*, actor, cycle: Cycle, pk) -> EvidenceMeasure:
    if not is_one_of_the_pair.test(actor, cycle):
        raise Http404("No such measure")
    measure = _in_cycle(cycle.measures.prefetch_related("points"), pk, "measure")
    measure.cycle = cycle  # the cycle the caller fetched for this actor, with its teachers
    return measure


def point_get_for(*, actor, cycle: Cycle, pk) -> EvidencePoint:
    if not is_one_of_the_pair.test(actor, cycle):
        raise Http404("No such point")
    point = _in_cycle(EvidencePoint.objects.filter(measure__cycle=cycle)
                      .select_related("measure"), pk, "point")
    point.measure.cycle = cycle
    return point


def sample_get_for(*, actor, cycle: Cycle, pk) -> EvidenceSample:
    if not is_one_of_the_pair.test(actor, cycle):
        raise Http404("No such sample")
    sample = _in_cycle(cycle.samples.all(), pk, "sample")
    sample.cycle = cycle
    return sample


# --- for leaders ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaderEvidenceSummary:
    min_group: int
    cycles_with_evidence: int
    measures_shown: int
    measures_suppressed: int
    share_cycles: int
    share_measures: int
    mean_share_change_pp: float | None
    score_cycles: int
    score_measures: int
    median_g: float | None


def evidence_summary_for_leaders(*, cycles_qs: QuerySet[Cycle],
                                 min_group: int) -> LeaderEvidenceSummary:
    """Aggregates over the measures of these cycles that have a before and an after, each
    of at least `min_group` students (never fewer than the gate's floor)."""
    floor = disclosure.at_least(disclosure.MIN_STUDENTS, min_group)
    rows = (EvidencePoint.objects
            .filter(measure__cycle__in=cycles_qs.order_by().values("pk"),
                    moment__in=[Moment.BEFORE, Moment.AFTER])
            .values_list("measure_id", "measure__cycle_id", "measure__kind", "moment",
                         "students", "meeting_target", "mean", "sd"))
    measures: dict[int, dict] = {}
    for measure_id, cycle_id, kind, moment, students, meeting, mean, sd in rows:
        entry = measures.setdefault(measure_id, {"cycle": cycle_id, "kind": kind})
        entry[moment] = EvidencePoint(moment=moment, students=students,
                                      meeting_target=meeting, mean=mean, sd=sd)
    cycles, changes, effects, shown, suppressed = set(), [], [], 0, 0
    share_cycles, score_cycles = set(), set()
    for entry in measures.values():
        before, after = entry.get(Moment.BEFORE), entry.get(Moment.AFTER)
        if before is None or after is None:
            continue
        if before.students < floor or after.students < floor:
            suppressed += 1
            continue
        share, effect, _words = _growth(entry["kind"], before, after)
        cycles.add(entry["cycle"])
        shown += 1
        if share is not None:
            changes.append(share.change_pp)
            share_cycles.add(entry["cycle"])
        elif effect is not None and effect.value is not None:
            effects.append(effect.value.g)
            score_cycles.add(entry["cycle"])
    return LeaderEvidenceSummary(
        min_group=floor, cycles_with_evidence=len(cycles),
        measures_shown=shown, measures_suppressed=suppressed,
        share_cycles=len(share_cycles), share_measures=len(changes),
        mean_share_change_pp=statistics.fmean(changes) if changes else None,
        score_cycles=len(score_cycles), score_measures=len(effects),
        median_g=statistics.median(effects) if effects else None)
