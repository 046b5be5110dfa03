"""Writes of a cycle's student evidence: measures, their points, and anonymised work samples.

Who records evidence: the cycle's coach and its teachers while the cycle is under way.
After it closes the coach alone may still add, correct or delete evidence — a
post-assessment is often marked after the closing conversation, and a mistyped figure
should not stand for ever — while the activity log keeps every change. Teachers' forms
close with the cycle. A point is dated from the cycle's start to today (or to the day a
closed cycle closed), in order: before ≤ checkpoints ≤ after.

A double submission records once: the same figures for the same moment and day of a measure
can only be the same point, so `point_record` returns the one already there (the measure's
row is locked meanwhile, so two requests at once cannot both insert it). A measure of the
same name and details is likewise added once.

Each measure keeps its growth from before to after in its `growth_*` columns, for reports:
every write here that can change it refreshes them (`goals.growth`), under the measure's
row lock.

Evidence is the pair's content. Activity entries carry only "Evidence for <template> cycle
<pk>" and a kind; never a measure's name, its target, a sample's file name or description.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from bettertogether.activity.services import activity_record

from . import rules
from .evidence_files import safe_filename, sample_type
from .growth import measure_growth_refresh
from .models import Cycle, EvidenceMeasure, EvidencePoint, EvidenceSample, MeasureKind

Moment = EvidencePoint.Moment


def evidence_label(cycle: Cycle) -> str:
    """An activity label from metadata only: the template's name, never the pair's words."""
    return f"Evidence for {cycle.template.name} cycle {cycle.pk}"


def _require_recorder(actor, cycle: Cycle) -> None:
    if not rules.is_one_of_the_pair.test(actor, cycle):
        raise PermissionDenied("Only the cycle's coach and teachers record its evidence.")
    if not rules.may_record_evidence.test(actor, cycle):
        raise ValidationError(_("This cycle is closed: its coach can still correct the "
                                "evidence."))


def _record(actor, action: str, target, cycle: Cycle, **details) -> None:
    activity_record(actor=actor, action=action, target=target, organisation=cycle.school,
                    label=evidence_label(cycle), details=details)


def _decimal(value, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationError({field: _("Enter a number.")}) from exc
    if not number.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    return number


# --- measures -------------------------------------------------------------------------------


def _measure_fields(measure: EvidenceMeasure, *, name: str, kind: str,
                    target_description: str, scale_max) -> None:
    measure.name, measure.kind = name.strip(), kind
    measure.target_description = target_description.strip()
    measure.scale_max = _decimal(scale_max, "scale_max")
    errors = {}
    if not measure.name:
        errors["name"] = _("Say what is measured, for example “Explains their reasoning”.")
    if kind not in MeasureKind.values:
        errors["kind"] = _("Choose a share meeting the target or a score.")
    if kind == MeasureKind.SHARE and measure.scale_max is not None:
        errors["scale_max"] = _("A share has no highest score: leave this empty.")
    if measure.scale_max is not None and measure.scale_max <= 0:
        errors["scale_max"] = _("The highest possible score is more than 0.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def measure_add(*, actor, cycle: Cycle, name: str, kind: str, target_description: str = "",
                scale_max=None) -> EvidenceMeasure:
    """A measure of the cycle. The same measure sent twice (a double click) is added once."""
    cycle = Cycle.objects.select_for_update().select_related("template", "school").get(
        pk=cycle.pk)
    _require_recorder(actor, cycle)
    measure = EvidenceMeasure(cycle=cycle)
    _measure_fields(measure, name=name, kind=kind, target_description=target_description,
                    scale_max=scale_max)
    same = cycle.measures.filter(name__iexact=measure.name).first()
    if same is not None:
        if (same.kind, same.target_description, same.scale_max) == (
                measure.kind, measure.target_description, measure.scale_max):
            return same
        raise ValidationError({"name": _("This cycle has a measure called that already.")})
    top = cycle.measures.aggregate(top=Max("position"))["top"]
    measure.position = 0 if top is None else top + 1
    measure.full_clean(exclude=["cycle"])
    measure.save()
    _record(actor, "evidence_measure.add", measure, cycle, kind=measure.kind)
    return measure


@transaction.atomic
def measure_update(*, actor, measure: EvidenceMeasure, name: str, kind: str,
                   target_description: str = "", scale_max=None) -> EvidenceMeasure:
    """Rename or redescribe a measure. Its kind changes only while it has no points, and
    its highest score never drops below a recorded mean."""
    measure = (EvidenceMeasure.objects.select_for_update()
               .select_related("cycle__template", "cycle__school").get(pk=measure.pk))
    cycle = measure.cycle
    _require_recorder(actor, cycle)
    old_kind = measure.kind
    _measure_fields(measure, name=name, kind=kind, target_description=target_description,
                    scale_max=scale_max)
    points = list(measure.points.all())
    if points and kind != old_kind:
        raise ValidationError({"kind": _("This measure has points already: delete them to "
                                         "change its kind, or add a new measure.")})
    if measure.scale_max is not None and any(
            p.mean is not None and p.mean > measure.scale_max for p in points):
        raise ValidationError({"scale_max": _("A recorded mean is higher than this.")})
    if cycle.measures.exclude(pk=measure.pk).filter(name__iexact=measure.name).exists():
        raise ValidationError({"name": _("This cycle has a measure called that already.")})
    measure.full_clean(exclude=["cycle"])
    measure.save(update_fields=["name", "kind", "target_description", "scale_max"])
    if measure.kind != old_kind:
        measure_growth_refresh(measure)
    _record(actor, "evidence_measure.update", measure, cycle, kind=measure.kind)
    return measure


@transaction.atomic
def measure_delete(*, actor, measure: EvidenceMeasure) -> None:
    """Delete a measure that has no points (so no evidence is lost by one click)."""
    cycle = measure.cycle
    _require_recorder(actor, cycle)
    if measure.points.exists():
        raise ValidationError(_("Delete this measure's points first."))
    _record(actor, "evidence_measure.delete", measure, cycle, kind=measure.kind)
    measure.delete()


# --- points ---------------------------------------------------------------------------------


def last_day(cycle: Cycle) -> datetime.date:
    """The latest day evidence may be dated: today, or the day a closed cycle closed."""
    if cycle.closed_at is not None:
        return timezone.localdate(cycle.closed_at)
    return timezone.localdate()


def _day(day: datetime.date) -> str:
    return dateformat.format(day, "j M Y")


def _check_values(measure: EvidenceMeasure, point: EvidencePoint) -> dict:
    errors = {}
    if point.students is None or point.students < 1:
        errors["students"] = _("Enter the number of students, 1 or more.")
    if measure.kind == MeasureKind.SHARE:
        if point.mean is not None or point.sd is not None:
            errors["mean"] = _("This measure counts students meeting the target: leave "
                               "the mean and standard deviation empty.")
        if point.meeting_target is None or point.meeting_target < 0:
            errors["meeting_target"] = _("Enter how many students met the target.")
        elif point.students and point.meeting_target > point.students:
            errors["meeting_target"] = _("More students met the target than were assessed: "
                                         "at most %(n)s.") % {"n": point.students}
        return errors
    if point.meeting_target is not None:
        errors["meeting_target"] = _("This measure is a score: leave this empty.")
    top = measure.scale_max
    if point.mean is None or point.mean < 0:
        errors["mean"] = _("Enter the class's mean score, 0 or more.")
    elif top is not None and point.mean > top:
        errors["mean"] = _("The mean cannot be above the highest possible score, %(top)s.") % {
            "top": f"{top.normalize():f}"}
    if point.sd is None or point.sd < 0:
        errors["sd"] = _("Enter the standard deviation, 0 or more.")
    elif top is not None and point.sd > top:
        errors["sd"] = _("The standard deviation cannot be more than the highest possible "
                         "score, %(top)s.") % {"top": f"{top.normalize():f}"}
    return errors


def _check_moment(point: EvidencePoint, others: list[EvidencePoint], cycle: Cycle) -> dict:
    if point.moment not in Moment.values:
        return {"moment": _("Choose before, a checkpoint or after.")}
    for other in others:
        if point.moment != Moment.CHECKPOINT and other.moment == point.moment:
            return {"moment": _("This measure has its “%(moment)s” already (%(day)s): delete "
                                "that point first to record it again.") % {
                "moment": point.get_moment_display().lower(),
                "day": _day(other.taken_on)}}
    if point.taken_on is None:
        return {"taken_on": _("Enter the date.")}
    if not cycle.started_on <= point.taken_on <= last_day(cycle):
        return {"taken_on": _("Choose a date from the cycle's start (%(start)s) to %(end)s.") % {
            "start": _day(cycle.started_on), "end": _day(last_day(cycle))}}
    before = [o.taken_on for o in others if o.moment == Moment.BEFORE]
    after = [o.taken_on for o in others if o.moment == Moment.AFTER]
    middle = [o.taken_on for o in others if o.moment == Moment.CHECKPOINT]
    if point.moment != Moment.BEFORE and before and point.taken_on < before[0]:
        return {"taken_on": _("This is earlier than the “before” point.")}
    if point.moment != Moment.AFTER and after and point.taken_on > after[0]:
        return {"taken_on": _("This is later than the “after” point.")}
    if point.moment == Moment.BEFORE and any(d < point.taken_on for d in middle + after):
        return {"taken_on": _("“Before” cannot be later than another point.")}
    if point.moment == Moment.AFTER and any(d > point.taken_on for d in middle + before):
        return {"taken_on": _("“After” cannot be earlier than another point.")}
    return {}


def _same_point(a: EvidencePoint, b: EvidencePoint) -> bool:
    fields = ("moment", "taken_on", "students", "meeting_target", "mean", "sd")
    return all(getattr(a, f) == getattr(b, f) for f in fields)


@transaction.atomic
def point_record(*, actor, measure: EvidenceMeasure, moment: str, taken_on: datetime.date,
                 students: int, meeting_target: int | None = None, mean=None,
                 sd=None) -> EvidencePoint:
    """One moment of a measure: how many students, and how many met the target or the
    class's mean and SD. The same point sent twice (a double click) is recorded once."""
    measure = (EvidenceMeasure.objects.select_for_update()
               .select_related("cycle__template", "cycle__school").get(pk=measure.pk))
    cycle = measure.cycle
    _require_recorder(actor, cycle)
    point = EvidencePoint(measure=measure, moment=moment, taken_on=taken_on,
                          students=students, meeting_target=meeting_target,
                          mean=_decimal(mean, "mean"), sd=_decimal(sd, "sd"))
    others = list(measure.points.all())
    same = next((o for o in others if _same_point(o, point)), None)
    if same is not None:
        return same
    errors = _check_values(measure, point) or _check_moment(point, others, cycle)
    if errors:
        raise ValidationError(errors)
    # The constraints were checked above, with messages people can act on.
    point.full_clean(exclude=["measure"], validate_constraints=False)
    try:
        with transaction.atomic():
            point.save()
    except IntegrityError as exc:  # the one-before / one-after constraints, in a race
        raise ValidationError({"moment": _("This measure has this point already.")}) from exc
    if point.moment != Moment.CHECKPOINT:  # growth reads the before and after points only
        measure_growth_refresh(measure)
    _record(actor, "evidence_point.record", point, cycle, kind=point.moment)
    return point


@transaction.atomic
def point_delete(*, actor, point: EvidencePoint) -> None:
    cycle = point.measure.cycle
    _require_recorder(actor, cycle)
    _record(actor, "evidence_point.delete", point, cycle, kind=point.moment)
    if point.moment == Moment.CHECKPOINT:
        point.delete()
        return
    # Locked like `point_record` locks it, so a point recorded meanwhile is not missed.
    measure = EvidenceMeasure.objects.select_for_update().get(pk=point.measure_id)
    point.delete()
    measure_growth_refresh(measure)


# --- work samples ---------------------------------------------------------------------------


@transaction.atomic
def sample_upload(*, actor, cycle: Cycle, file, description: str = "") -> EvidenceSample:
    """Attach an anonymised work sample: a PDF, PNG or JPEG, told by its contents."""
    _require_recorder(actor, cycle)
    limit = settings.EVIDENCE_SAMPLE_MAX_BYTES
    if file.size > limit:
        raise ValidationError({"file": _("This file is larger than %(mb)s MB. Scan it at a "
                                         "lower resolution, or upload one page.") % {
            "mb": limit // (1024 * 1024)}})
    file.seek(0)
    content_type, extension = sample_type(file.read(16), file.name or "")
    file.seek(0)
    sample = EvidenceSample(cycle=cycle, original_name=safe_filename(file.name, extension),
                            content_type=content_type, size=file.size,
                            description=description.strip(), uploaded_by=actor)
    sample.full_clean(exclude=["cycle", "file", "uploaded_by"])
    # Stored as "sample.<ext>" under a random folder: no pupil's name reaches the disk.
    sample.file.save(f"sample{extension}", file, save=False)
    sample.save()
    _record(actor, "evidence_sample.upload", sample, cycle, kind=content_type)
    return sample


@transaction.atomic
def sample_delete(*, actor, sample: EvidenceSample) -> None:
    cycle = sample.cycle
    _require_recorder(actor, cycle)
    _record(actor, "evidence_sample.delete", sample, cycle, kind=sample.content_type)
    storage, name = sample.file.storage, sample.file.name
    sample.delete()
    transaction.on_commit(lambda: storage.delete(name))
