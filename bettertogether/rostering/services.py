"""Writes of the rostering app: starting, previewing and applying roster imports.

An upload is stored under MEDIA_ROOT/rosters/ and an `ImportRun` is queued; the task
(`import_run_execute`) checks the whole roster and then either reports what would change
(a preview) or writes every change in one transaction with one activity entry.

A roster can name students, so its file is kept only while a run needs it: it is deleted
as soon as the import finishes or stops, when its preview is discarded, and at the latest a
day after it was uploaded (or applied), by `roster_uploads_forget`, which the task worker
runs a day after every upload. The run's record and summary stay and say when the file went.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import shutil
import tempfile
import uuid
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bettertogether.activity.services import activity_record
from bettertogether.core.queue import enqueue_on_commit
from bettertogether.core.worker import DATABASE_DOWN
from bettertogether.directory.models import Organisation, Person

from .models import UPLOAD_KEPT, FileGone, ImportRun, RosterClass
from .oneroster import read_oneroster
from .plain_csv import read_plain_csv
from .problems import Problems
from .tasks import forget_roster_uploads, run_roster_import
from .upload import UploadRejected, check_uploaded, open_source
from .writer import RosterWriter

logger = logging.getLogger(__name__)

UPLOAD_DIR = "rosters"
# The clean-up runs a little after a file's day is up, so the file is past it by then.
FORGET_MARGIN = timedelta(minutes=1)


def _require(actor, network: Organisation) -> None:
    """People need the permission; `actor=None` is the system (the management command)."""
    if actor is not None and not actor.has_perm("rostering.import_roster", network):
        raise PermissionDenied("rostering.import_roster")


@transaction.atomic
def import_run_start(*, actor, network: Organisation, upload, dry_run: bool = True) -> ImportRun:
    """Store an uploaded roster and queue its run. `upload` is an `UploadedFile`."""
    _require(actor, network)
    try:
        kind = check_uploaded(upload, upload.name, upload.size)
    except UploadRejected as error:
        raise ValidationError({"file": error.message}) from error
    suffix = ".zip" if kind == "zip" else ".csv"
    stored = default_storage.save(f"{UPLOAD_DIR}/{uuid.uuid4().hex}{suffix}", upload)
    run = ImportRun.objects.create(
        network=network,
        started_by=actor,
        kind=ImportRun.Kind.ONEROSTER if kind == "zip" else ImportRun.Kind.CSV,
        filename=Path(upload.name).name[:255],
        dry_run=dry_run,
        upload=stored,
    )
    enqueue_on_commit(run_roster_import, run_id=run.pk)
    transaction.on_commit(lambda: _schedule_forget(run.upload_kept_until))
    return run


@transaction.atomic
def import_run_apply(*, actor, run: ImportRun) -> ImportRun:
    """Apply a preview: a new run over the same file. Applying twice applies once."""
    preview = ImportRun.objects.select_for_update().select_related("network").get(pk=run.pk)
    _require(actor, preview.network)
    if not preview.dry_run:
        raise ValidationError(_("This import was not a preview; it has already run."))
    applied = ImportRun.objects.filter(preview_of=preview).first()
    if applied is not None:
        return applied
    if preview.status != ImportRun.Status.DONE:
        raise ValidationError(_("Only a preview that finished without problems can be applied."))
    if preview.upload_deleted_because == FileGone.DISCARDED:
        raise ValidationError(_("This preview was discarded. Upload the file again."))
    if not preview.upload:
        raise ValidationError(_("This preview has expired. Upload the file again."))
    applied = ImportRun.objects.create(
        network=preview.network, started_by=actor, kind=preview.kind,
        filename=preview.filename, dry_run=False, preview_of=preview, upload=preview.upload,
    )
    preview.upload = ""
    preview.save(update_fields=["upload"])
    enqueue_on_commit(run_roster_import, run_id=applied.pk)
    transaction.on_commit(lambda: _schedule_forget(applied.upload_kept_until))
    return applied


@transaction.atomic
def import_run_discard(*, actor, run: ImportRun) -> ImportRun:
    """Discard a preview nobody will apply: its file is deleted now. Discarding twice
    discards once."""
    preview = ImportRun.objects.select_for_update().select_related("network").get(pk=run.pk)
    _require(actor, preview.network)
    if not preview.dry_run:
        raise ValidationError(_("Only a preview can be discarded; this import has run."))
    if ImportRun.objects.filter(preview_of=preview).exists():
        raise ValidationError(_("This preview was applied, so there is nothing to discard."))
    if not preview.is_finished:
        raise ValidationError(_("This preview is still being checked. Discard it once it "
                                "has finished."))
    if preview.upload_deleted_because == FileGone.DISCARDED or not preview.upload:
        return preview
    _delete_upload(preview, FileGone.DISCARDED)
    activity_record(actor=actor, action="roster.discard", target=preview,
                    organisation=preview.network, details={"kind": preview.kind})
    return preview


def roster_uploads_forget(*, now=None) -> int:
    """Delete every roster file kept longer than a day: previews nobody applied or
    discarded, runs that never finished, and files no run points to (an upload whose run
    was never saved). The records stay. Returns how many files went."""
    now = now or timezone.now()
    cutoff = now - UPLOAD_KEPT
    deleted = 0
    for run in ImportRun.objects.filter(created_at__lt=cutoff).exclude(upload=""):
        with transaction.atomic():
            locked = ImportRun.objects.select_for_update().filter(pk=run.pk).first()
            if locked is None or not locked.upload:
                continue
            expired = locked.is_finished and locked.dry_run
            _delete_upload(locked, FileGone.EXPIRED if expired else FileGone.STALLED)
            deleted += 1
    return deleted + _forget_strays(cutoff)


def roster_import(*, actor, network: Organisation, path: Path, dry_run: bool) -> ImportRun:
    """Import a roster file or folder at once, in this process (the management command)."""
    _require(actor, network)
    path = Path(path)
    kind = ImportRun.Kind.CSV if path.suffix.lower() == ".csv" else ImportRun.Kind.ONEROSTER
    run = ImportRun.objects.create(network=network, started_by=actor, kind=kind,
                                   filename=path.name, dry_run=dry_run)
    return _execute(run, path)


def import_run_execute(*, run_id: int) -> ImportRun:
    """The task: check the stored upload, then preview or write. A roster with problems
    ends the run as failed with the problems listed; it never raises for them.

    A task run again finds a finished run and does nothing twice. One that finds it
    checking or importing was left by a dead run (the worker runs a task again only then,
    `core/worker.py`); the writes are one transaction, so that run kept none of them, and
    this one starts again from the stored file. A database error keeps the file for that
    next run and raises, for the worker to run the task again."""
    run = ImportRun.objects.select_related("network", "started_by").get(pk=run_id)
    if run.is_finished:
        return run
    keep_upload = False
    try:
        with _local_copy(run.upload) as path:
            run = _execute(run, path)
        keep_upload = run.dry_run and run.status == ImportRun.Status.DONE
    except DATABASE_DOWN:
        keep_upload = True
        raise
    finally:
        if not keep_upload:
            finished = run.status == ImportRun.Status.DONE
            _delete_upload(run, FileGone.FINISHED if finished else FileGone.FAILED)
    return run


def _execute(run: ImportRun, path: Path | None) -> ImportRun:
    _progress(run, ImportRun.Status.VALIDATING, 5)
    problems = Problems()
    try:
        with _no_cycle_collection():
            return _check_and_write(run, path, problems)
    except DATABASE_DOWN:
        raise  # nothing can be recorded now: the worker runs the task again
    except Exception:
        logger.exception("Roster import %s stopped", run.pk)
        problems = Problems()
        problems.add(_("Something went wrong on our side while importing; nothing was changed. "
                       "Try again, and tell us if it happens again."))
        _finish(run, ImportRun.Status.FAILED, problems=problems)
        raise


@contextlib.contextmanager
def _no_cycle_collection():
    """A district roster is millions of small lists and strings, none in a cycle; Python's
    cycle collector would walk them all again and again while they are built."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _check_and_write(run: ImportRun, path: Path | None, problems: Problems) -> ImportRun:
    writer = _check(run, path, problems)
    if problems:
        return _finish(run, ImportRun.Status.FAILED, problems=problems)
    if run.dry_run:
        return _finish(run, ImportRun.Status.DONE, problems=problems, summary=writer.summary)
    _progress(run, ImportRun.Status.IMPORTING, 60)
    with transaction.atomic():
        writer.write()
        activity_record(actor=run.started_by, action="roster.import", target=run,
                        organisation=run.network,
                        details={"count": writer.change_count, "kind": run.kind})
        return _finish(run, ImportRun.Status.DONE, problems=problems, summary=writer.summary)


def _check(run: ImportRun, path: Path | None, problems: Problems) -> RosterWriter | None:
    if path is None:
        problems.add(_("The uploaded file is no longer here. Upload it again."))
        return None
    try:
        source = open_source(path, run.filename)
    except UploadRejected as error:
        problems.add(error.message, file=run.filename)
        return None
    network = run.network
    if source.kind == "csv":
        roster = read_plain_csv(source, problems)
    else:
        roster = read_oneroster(source, problems, known=lambda target: _known(network, target),
                                known_org_kinds=lambda: _known_org_kinds(network))
    if roster is None:
        return None
    if roster.kind != run.kind:
        run.kind = roster.kind
        run.save(update_fields=["kind"])
    _progress(run, ImportRun.Status.VALIDATING, 40)
    writer = RosterWriter(network=network, roster=roster, actor=run.started_by,
                          problems=problems)
    writer.plan()
    return writer


def _known(network: Organisation, target: str) -> set[str]:
    """sourcedIds earlier imports stored in this network, for a delta file's references."""
    if target == "orgs.csv":
        return set(_known_org_kinds(network))
    if target == "users.csv":
        return set(Person.objects.filter(memberships__network=network).exclude(source_id="")
                   .values_list("source_id", flat=True))
    if target == "classes.csv":
        return set(RosterClass.objects.filter(network=network)
                   .values_list("source_id", flat=True))
    return set()


def _known_org_kinds(network: Organisation) -> dict[str, str]:
    kinds = dict.fromkeys(
        Organisation.objects.filter(network=network).exclude(source_id="")
        .values_list("source_id", flat=True), "school")
    if network.source_id:
        kinds[network.source_id] = "district"
    return kinds


def _progress(run: ImportRun, status: str, progress: int) -> None:
    run.status, run.progress = status, progress
    run.save(update_fields=["status", "progress"])


def _finish(run: ImportRun, status: str, *, problems: Problems | None = None,
            summary: dict | None = None) -> ImportRun:
    run.status = status
    run.progress = 100
    run.problems = problems.in_order() if problems else []
    run.problems_total = problems.total if problems else 0
    run.warnings = problems.warnings.grouped() if problems is not None else []
    run.summary = summary or {}
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "progress", "problems", "problems_total", "warnings",
                            "summary", "finished_at"])
    return run


@contextlib.contextmanager
def _local_copy(name: str):
    """A path to the stored upload, copied out of remote storage when it has no path."""
    if not name or not default_storage.exists(name):
        yield None
        return
    try:
        local = Path(default_storage.path(name))
    except NotImplementedError:
        local = None
    if local is not None:
        yield local
        return
    with tempfile.NamedTemporaryFile(suffix=Path(name).suffix) as copy:
        with default_storage.open(name, "rb") as stored:
            shutil.copyfileobj(stored, copy)
        copy.flush()
        yield Path(copy.name)


def _delete_upload(run: ImportRun, because: str) -> None:
    if run.upload:
        default_storage.delete(run.upload)
        run.upload = ""
        run.upload_deleted_at = timezone.now()
        run.upload_deleted_because = because
        run.save(update_fields=["upload", "upload_deleted_at", "upload_deleted_because"])


def _forget_strays(cutoff) -> int:
    """Files under rosters/ that no run points to, once they are a day old.

    Some storage backends (object stores) do not list folders or report modified times
    and say so with NotImplementedError; there strays are left to the bucket's own expiry
    rules (a stray only comes of a server stopping between storing a file and its run)."""
    try:
        _folders, names = default_storage.listdir(UPLOAD_DIR)
    except (FileNotFoundError, NotImplementedError):
        return 0
    paths = {f"{UPLOAD_DIR}/{name}" for name in names}
    paths -= set(ImportRun.objects.filter(upload__in=paths).values_list("upload", flat=True))
    deleted = 0
    for path in sorted(paths):
        try:
            if default_storage.get_modified_time(path) < cutoff:
                default_storage.delete(path)
                deleted += 1
        except (FileNotFoundError, NotImplementedError):
            continue
    return deleted


def _schedule_forget(when) -> None:
    """Have the worker clean up once this file's day is up. A task backend that cannot
    wait (the immediate one, which runs a task as it is queued) cleans up now instead,
    which catches every file whose day is already up."""
    task = forget_roster_uploads
    if task.get_backend().supports_defer:
        task.using(run_after=when + FORGET_MARGIN).enqueue()
    else:
        task.enqueue()
