"""A report's PDF: asked for from the report page, built in the background, followed on a
status page that polls itself with HTMX, and downloaded by the person who asked for it
while they may still read the report (404 for everyone else)."""

from __future__ import annotations

import uuid

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from . import pdf_services, selectors
from .engine import Filters
from .models import ReportExport, ReportKind
from .views import report_filters

WORKING = (ReportExport.Status.QUEUED, ReportExport.Status.RUNNING)
QUERY_NAMES = {"start": "start", "end": "end", "school_id": "school", "grade_id": "grade",
               "subject_id": "subject", "coach_id": "coach", "kind_id": "kind"}


def _key(request) -> uuid.UUID:
    """The form's idempotency key; a request without one still makes its PDF, once."""
    try:
        return uuid.UUID(request.POST.get("idempotency_key", ""))
    except ValueError:
        return uuid.uuid4()


def _request_pdf(request, scope):
    """The filters come from the form's action URL: the report's own query string."""
    _form, filters = report_filters(request, scope)
    export = pdf_services.pdf_request(actor=request.user, scope=scope, filters=filters,
                                      idempotency_key=_key(request))
    return redirect("reports:pdf_status", pk=export.pk)


@require_POST
def coach_pdf(request):
    return _request_pdf(request, selectors.scope_for_coach(actor=request.user))


@require_POST
def school_pdf(request, pk):
    return _request_pdf(request, selectors.scope_for_school(actor=request.user, pk=pk))


@require_POST
def network_pdf(request, pk):
    return _request_pdf(request, selectors.scope_for_network(actor=request.user, pk=pk))


def _report_url(export: ReportExport) -> str:
    """The report the PDF was made of, with the same filters."""
    if export.kind == ReportKind.SCHOOL:
        page = reverse("reports:school", args=[export.subject_id])
    elif export.kind == ReportKind.NETWORK:
        page = reverse("reports:network", args=[export.subject_id])
    else:
        page = reverse("reports:coach")
    # In the order of the report's form (PostgreSQL's JSON keeps its keys in its own order).
    query = {key: export.filters[name] for name, key in QUERY_NAMES.items()
             if name in export.filters}
    return f"{page}?{urlencode(query)}" if query else page


@vary_on_headers("HX-Request")
def pdf_status(request, pk):
    """The export's progress: the page, or (polled by HTMX) just the progress card."""
    export = selectors.export_get_for(actor=request.user, pk=pk)
    context = {"export": export, "working": export.status in WORKING,
               "report_url": _report_url(export)}
    if request.htmx:
        return _no_store(render(request, "reports/_pdf_progress.html", context))
    context.update({"filters": Filters.from_data(export.filters),
                    "label": pdf_services.export_label(export)})
    return _no_store(render(request, "reports/pdf_status.html", context))


def _no_store(response):
    response["Cache-Control"] = "private, no-store"
    return response


def pdf_download(request, pk):
    """The PDF itself, always as a download, never from MEDIA directly."""
    export = selectors.export_get_for(actor=request.user, pk=pk)
    if export.status != ReportExport.Status.DONE or not export.file:
        raise Http404("No such file")
    try:
        handle = export.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("No such file") from exc
    filters = Filters.from_data(export.filters)
    name = slugify(pdf_services.export_label(export)) or "report"
    response = FileResponse(handle, as_attachment=True, content_type="application/pdf",
                            filename=f"{name}-{filters.start}-{filters.end}.pdf")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
