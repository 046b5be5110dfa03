"""The report pages and their CSV and Excel exports (thin: selectors and the engine do the
work). PDFs are in `views_pdf.py`, snapshots in `views_snapshots.py`."""

from __future__ import annotations

import uuid

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bettertogether.directory.calendar import zone_of

from . import exports, selectors
from .engine import build_report
from .forms import ReportFilterForm
from .models import ReportKind
from .tables import sections_for_display

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def report_filters(request, scope):
    """The filters of the query string, or the default period: bad input shows its message
    and the default report, never an error page."""
    choices = selectors.filter_choices(scope=scope)
    default = selectors.filters_default(scope)
    data = request.GET.copy()
    if not data.get("start") and not data.get("end"):
        data.update({"start": default.start.isoformat(), "end": default.end.isoformat()})
    form = ReportFilterForm(data, choices=choices)
    if form.is_valid():
        return form, form.filters()
    return form, default


def _subject_id(scope):
    if scope.kind == ReportKind.SCHOOL:
        return scope.school.pk
    if scope.kind == ReportKind.NETWORK:
        return scope.network.pk
    return None


def _urls(scope, query: str) -> dict:
    if scope.kind == ReportKind.COACH:
        page = reverse("reports:coach")
        export = lambda fmt: reverse("reports:coach_export", args=[fmt])  # noqa: E731
        pdf = reverse("reports:coach_pdf")
    elif scope.kind == ReportKind.SCHOOL:
        page = reverse("reports:school", args=[scope.school.pk])
        export = lambda fmt: reverse("reports:school_export", args=[scope.school.pk, fmt])  # noqa: E731
        pdf = reverse("reports:school_pdf", args=[scope.school.pk])
    else:
        page = reverse("reports:network", args=[scope.network.pk])
        export = lambda fmt: reverse("reports:network_export", args=[scope.network.pk, fmt])  # noqa: E731
        pdf = reverse("reports:network_pdf", args=[scope.network.pk])
    suffix = f"?{query}" if query else ""
    return {"page": page, "csv": export("csv") + suffix, "xlsx": export("xlsx") + suffix,
            "pdf": pdf + suffix}


def sections_with_charts(report: dict) -> list[dict]:
    return sections_for_display(report)


def _page(request, scope):
    form, filters = report_filters(request, scope)
    report = build_report(scope=scope, filters=filters)
    query = request.GET.urlencode() if form.is_valid() else ""
    return render(request, "reports/report.html", {
        "scope": scope, "form": form, "report": report,
        "sections": sections_with_charts(report), "urls": _urls(scope, query),
        "presets": selectors.presets(scope.network), "pdf_key": uuid.uuid4(),
        "exports": selectors.exports_for(actor=request.user, kind=scope.kind,
                                         subject_id=_subject_id(scope)),
    }, status=200 if form.is_valid() else 422)


def _export(request, scope, fmt: str):
    if fmt not in CONTENT_TYPES:
        raise Http404("No such format")
    _form, filters = report_filters(request, scope)
    report = build_report(scope=scope, filters=filters)
    body = exports.report_csv(report) if fmt == "csv" else exports.report_xlsx(report)
    name = slugify(report["title"]) or "report"
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{filters.start}-{filters.end}.{fmt}"')
    return response


def index(request):
    return render(request, "reports/index.html", {
        "available": selectors.reports_for(actor=request.user),
        "published": selectors.snapshots_published_by(actor=request.user)[:20],
        "received": selectors.snapshots_shared_with(actor=request.user)[:20],
    })


def coach_report(request):
    return _page(request, selectors.scope_for_coach(actor=request.user))


def school_report(request, pk):
    return _page(request, selectors.scope_for_school(actor=request.user, pk=pk))


def network_report(request, pk):
    return _page(request, selectors.scope_for_network(actor=request.user, pk=pk))


def coach_export(request, fmt):
    return _export(request, selectors.scope_for_coach(actor=request.user), fmt)


def school_export(request, pk, fmt):
    return _export(request, selectors.scope_for_school(actor=request.user, pk=pk), fmt)


def network_export(request, pk, fmt):
    return _export(request, selectors.scope_for_network(actor=request.user, pk=pk), fmt)


def coach_log_export(request, fmt):
    """The coach's own log, notes included: offered to that coach alone."""
    if fmt not in CONTENT_TYPES:
        raise Http404("No such format")
    scope = selectors.scope_for_coach(actor=request.user)
    _form, filters = report_filters(request, scope)
    zone = zone_of(scope.network)
    if fmt == "csv":
        body = exports.log_csv(request.user, filters.start, filters.end, zone)
    else:
        body = exports.log_xlsx(request.user, filters.start, filters.end, zone)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{_("my-log")}-{filters.start}-{filters.end}.{fmt}"')
    return response
