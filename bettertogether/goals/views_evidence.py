"""A cycle's student evidence: measures, their points, work samples, and the one door a
sample's file goes out through.

Every view fetches the cycle through `cycle_get_for`, so anyone but its coach and teachers
gets 404 — a leader, an admin, another coach, an outsider — exactly as for a cycle that does
not exist. A teacher of a closed cycle may see its evidence but not change it (403).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bettertogether.core.forms import apply_errors
from bettertogether.core.limits import accepts_upload

from . import evidence as services
from . import rules, selectors
from .evidence_files import SAFE_TYPES
from .evidence_forms import MeasureForm, PointForm, SampleForm
from .evidence_selectors import (
    MeasureEvidence,
    evidence_for,
    measure_get_for,
    point_get_for,
    sample_get_for,
)


@dataclass(frozen=True)
class EvidenceBlock:
    row: MeasureEvidence
    point_form: PointForm | None


def evidence_context(*, actor, cycle, forms: dict) -> dict:
    """What `goals/_evidence.html` needs on the cycle page. `forms` may hold a bound
    `measure_form`, `point_form` or `sample_form` to show again with its errors."""
    evidence = evidence_for(actor=actor, cycle=cycle)
    recorder = rules.may_record_evidence.test(actor, cycle)
    bound = forms.get("point_form")
    blocks = []
    for row in evidence.measures:
        form = None
        if recorder:
            form = (bound if bound is not None and bound.measure.pk == row.measure.pk
                    else PointForm(measure=row.measure, points=row.points))
        blocks.append(EvidenceBlock(row=row, point_form=form))
    return {
        "evidence": evidence, "evidence_blocks": blocks, "may_record_evidence": recorder,
        "measure_form": forms.get("measure_form") or (MeasureForm() if recorder else None),
        "sample_form": forms.get("sample_form") or (SampleForm() if recorder else None),
    }


def _recorder_cycle(request, pk):
    cycle = selectors.cycle_get_for(actor=request.user, pk=pk)
    if not rules.may_record_evidence.test(request.user, cycle):
        raise PermissionDenied
    return cycle


def _back(cycle):
    return redirect(reverse("goals:cycle", args=[cycle.pk]) + "#evidence")


def _page_again(request, cycle, status=422, **forms):
    from .views_cycles import cycle_detail

    return cycle_detail(request, cycle.pk, forms=forms, status=status)


@require_POST
def measure_add(request, pk):
    cycle = _recorder_cycle(request, pk)
    form = MeasureForm(request.POST)
    if form.is_valid():
        try:
            services.measure_add(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Added the measure. Record its first point below."))
            return _back(cycle)
    return _page_again(request, cycle, measure_form=form)


def measure_edit(request, pk, measure_pk):
    cycle = _recorder_cycle(request, pk)
    measure = measure_get_for(actor=request.user, cycle=cycle, pk=measure_pk)
    form = MeasureForm(request.POST or None, initial={
        "name": measure.name, "kind": measure.kind,
        "target_description": measure.target_description, "scale_max": measure.scale_max})
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_update(actor=request.user, measure=measure, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved the measure."))
            return _back(cycle)
    return render(request, "goals/measure_form.html", {
        "cycle": cycle, "measure": measure, "form": form,
        "has_points": bool(measure.points.all())}, status=422 if form.errors else 200)


@require_POST
def measure_delete(request, pk, measure_pk):
    cycle = _recorder_cycle(request, pk)
    measure = measure_get_for(actor=request.user, cycle=cycle, pk=measure_pk)
    try:
        services.measure_delete(actor=request.user, measure=measure)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Deleted the measure."))
    return _back(cycle)


@require_POST
def point_add(request, pk, measure_pk):
    cycle = _recorder_cycle(request, pk)
    measure = measure_get_for(actor=request.user, cycle=cycle, pk=measure_pk)
    form = PointForm(request.POST, measure=measure)
    if form.is_valid():
        try:
            point = services.point_record(actor=request.user, measure=measure,
                                          **form.service_arguments())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Recorded the “%(moment)s” point.") % {
                "moment": point.get_moment_display().lower()})
            return _back(cycle)
    return _page_again(request, cycle, point_form=form)


@require_POST
def point_delete(request, pk, point_pk):
    cycle = _recorder_cycle(request, pk)
    point = point_get_for(actor=request.user, cycle=cycle, pk=point_pk)
    services.point_delete(actor=request.user, point=point)
    messages.success(request, _("Deleted the point."))
    return _back(cycle)


@accepts_upload(settings.EVIDENCE_SAMPLE_MAX_BYTES)
@require_POST
def sample_upload(request, pk):
    cycle = _recorder_cycle(request, pk)
    form = SampleForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.sample_upload(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Attached the work sample."))
            return _back(cycle)
    return _page_again(request, cycle, sample_form=form)


@require_POST
def sample_delete(request, pk, sample_pk):
    cycle = _recorder_cycle(request, pk)
    sample = sample_get_for(actor=request.user, cycle=cycle, pk=sample_pk)
    services.sample_delete(actor=request.user, sample=sample)
    messages.success(request, _("Deleted the work sample."))
    return _back(cycle)


def sample_file(request, pk, sample_pk):
    """The sample's file, for the cycle's coach and teachers only, always as a download."""
    cycle = selectors.cycle_get_for(actor=request.user, pk=pk)
    sample = sample_get_for(actor=request.user, cycle=cycle, pk=sample_pk)
    try:
        handle = sample.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("No such file") from exc
    content_type = (sample.content_type if sample.content_type in SAFE_TYPES
                    else "application/octet-stream")
    response = FileResponse(handle, as_attachment=True, filename=sample.original_name,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
