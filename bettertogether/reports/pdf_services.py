"""Writes of the PDF exports: asking for a report's PDF, and building it in the background.

`pdf_request` stores a queued `ReportExport` (the same key twice is one export, so a
double-clicked button makes one PDF), records who asked for which report, and queues
`tasks.build_report_pdf` once the transaction commits. `pdf_build` is that task's work:
it builds the report again *for the person who asked*, as they may read it now — someone
who lost the role since gets a failed export, not the figures — then lays it out, stores
the file and counts its pages. Progress is saved as it goes, outside any transaction, so
the status page sees each step; whatever goes wrong ends the export as failed — except the
database going away, which the task worker answers by running the task again
(`core/worker.py`).
"""

from __future__ import annotations

import logging
import uuid

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from bettertogether.activity.services import activity_record
from bettertogether.core.queue import enqueue_on_commit
from bettertogether.core.worker import DATABASE_DOWN
from bettertogether.directory.localisation import in_organisation

from . import selectors
from .engine import Filters, Scope, build_report
from .models import ReportExport, ReportKind
from .pdf import html_to_pdf, report_html
from .rules import may_read_coach_report_of, may_read_network_report, may_read_school_report
from .tasks import build_report_pdf

logger = logging.getLogger(__name__)
Status = ReportExport.Status


def _subject(scope: Scope):
    if scope.kind == ReportKind.SCHOOL:
        return scope.school
    if scope.kind == ReportKind.NETWORK:
        return scope.network
    return None


def _require_reader(actor, scope: Scope) -> None:
    if scope.kind == ReportKind.COACH:
        allowed = may_read_coach_report_of.test(actor, scope.coach)
    elif scope.kind == ReportKind.SCHOOL:
        allowed = may_read_school_report.test(actor, scope.school)
    else:
        allowed = may_read_network_report.test(actor, scope.network)
    if not allowed:
        raise PermissionDenied("reports.view_report")


def export_label(export: ReportExport) -> str:
    """What the activity log and the status page name: the kind of report and its subject,
    never a figure of it."""
    subject = export.subject.name if export.subject_id else export.requested_by.full_name
    return f"{export.get_kind_display()}, {subject}"


@transaction.atomic
def pdf_request(*, actor, scope: Scope, filters: Filters,
                idempotency_key: uuid.UUID) -> ReportExport:
    """Ask for a PDF of a report the actor may read, with these filters."""
    _require_reader(actor, scope)
    existing = ReportExport.objects.filter(requested_by=actor,
                                           idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    export = ReportExport(requested_by=actor, kind=scope.kind, subject=_subject(scope),
                          filters=filters.as_data(), idempotency_key=idempotency_key,
                          step=_("In the queue: it starts in a moment"))
    export.full_clean(exclude=["requested_by", "subject"])
    try:
        with transaction.atomic():
            export.save()
    except IntegrityError:
        # A second click raced this one and won: its export is the one.
        return ReportExport.objects.get(requested_by=actor, idempotency_key=idempotency_key)
    activity_record(actor=actor, action="report_pdf.request", target=export,
                    organisation=scope.school or scope.network, label=export_label(export),
                    details={"kind": scope.kind})
    enqueue_on_commit(build_report_pdf, export_id=export.pk)
    return export


def _progress(export: ReportExport, progress: int, step: str) -> None:
    export.status, export.progress, export.step = Status.RUNNING, progress, step
    export.save(update_fields=["status", "progress", "step"])


def _fail(export: ReportExport, step: str) -> ReportExport:
    export.status, export.step, export.finished_at = Status.FAILED, step, timezone.now()
    export.save(update_fields=["status", "step", "finished_at"])
    return export


def pdf_build(*, export_id: int) -> ReportExport:
    """The task: build, lay out and store one export's PDF. A task run again finds a built
    (or failed) export and does nothing twice; one that finds it still "being built" builds
    it from the start, because the worker runs a task again only once the run before it is
    dead (its worker was killed, or lost the database). A failure ends it as failed, never
    running."""
    claimed = ReportExport.objects.filter(
        pk=export_id, status__in=(Status.QUEUED, Status.RUNNING)).update(
        status=Status.RUNNING, progress=5)
    export = ReportExport.objects.select_related("requested_by", "subject").get(pk=export_id)
    if not claimed:
        return export
    try:
        return _build_for_requester(export)
    except DATABASE_DOWN:
        raise  # nothing can be saved now: the worker runs the task again
    except Exception:
        logger.exception("The PDF of report export %s could not be built", export.pk)
        return _fail(export, _("Something went wrong on our side while making this PDF. "
                               "Try again, and tell us if it happens again."))


def _build_for_requester(export: ReportExport) -> ReportExport:
    try:
        scope = selectors.scope_of(actor=export.requested_by, kind=export.kind,
                                   subject_id=export.subject_id)
    except Http404:
        return _fail(export, _("You may no longer read this report, so no PDF was made."))
    # A task has no request: it speaks the network's language and tells its time itself.
    with in_organisation(scope.network):
        return _build(export, scope)


def _build(export: ReportExport, scope: Scope) -> ReportExport:
    _progress(export, 10, _("Counting the figures"))
    report = build_report(scope=scope, filters=Filters.from_data(export.filters))
    _progress(export, 50, _("Drawing the charts"))
    html = report_html(report=report, generated_at=timezone.now())
    _progress(export, 80, _("Laying out the pages"))
    rendered = html_to_pdf(html)
    export.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(rendered.content), save=False)
    export.status, export.progress, export.step = Status.DONE, 100, _("Ready")
    export.pages, export.finished_at = rendered.pages, timezone.now()
    try:
        export.save(update_fields=["file", "status", "progress", "step", "pages",
                                   "finished_at"])
    except BaseException:
        # Not recorded: the next run builds it again, so this file would be nobody's.
        export.file.delete(save=False)
        raise
    return export
