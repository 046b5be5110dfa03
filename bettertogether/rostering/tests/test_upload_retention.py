"""A roster can name students, so its uploaded file is deleted as soon as its run no longer
needs it: when the import finishes or stops, when its preview is discarded, and at the
latest a day after the upload (by the clean-up the worker runs a day after each upload).
The run's record and summary stay, and its page says when the file went and why."""

import datetime
import io
import os
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bettertogether.activity.models import ActivityEntry
from bettertogether.directory.models import Role
from bettertogether.rostering.models import FileGone, ImportRun
from bettertogether.rostering.services import (
    import_run_discard,
    import_run_start,
    roster_uploads_forget,
)
from bettertogether.testing import factories as f

from .support import fixture_files


def _zip(files) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Upload through the page, running the import (and anything else queued) at once."""

    def post(client, network, content, *, name="roster.zip", dry_run=True):
        data = {"network": network.pk, "file": SimpleUploadedFile(name, content)}
        if dry_run:
            data["dry_run"] = "on"
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("rostering:imports"), data)

    return post


@pytest.fixture
def preview(cast, client_for, upload) -> ImportRun:
    """A finished preview of a good bundle, its file waiting for "Apply"."""
    upload(client_for(cast.admin), cast.network, _zip(fixture_files("oneroster-1.2")))
    run = ImportRun.objects.get()
    assert (run.status, run.dry_run) == ("done", True)
    assert default_storage.exists(run.upload)
    return run


def _page(client, run) -> str:
    return client.get(reverse("rostering:import", args=[run.pk])).content.decode()


def _at(run: ImportRun, **ago) -> None:
    ImportRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - datetime.timedelta(**ago))


# --- done, failed -------------------------------------------------------------------------


def test_applied_import_deletes_the_file_and_says_when(cast, client_for, preview,
                                                       django_capture_on_commit_callbacks):
    client = client_for(cast.admin)
    stored = preview.upload

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rostering:import_apply", args=[preview.pk]))

    applied = ImportRun.objects.get(preview_of=preview)
    preview.refresh_from_db()
    assert not default_storage.exists(stored)
    assert (applied.status, applied.upload, applied.upload_deleted_because) == (
        "done", "", FileGone.FINISHED)
    assert applied.upload_deleted_at >= applied.created_at
    assert (preview.upload, preview.upload_deleted_at) == ("", None)  # passed on, not deleted
    assert applied.summary == preview.summary != {}
    page = _page(client, applied)
    assert "What changed" in page
    when = applied.upload_deleted_at.astimezone(ZoneInfo(cast.network.time_zone))
    assert f'The uploaded file was deleted on <time datetime="{when.isoformat()}">' in page
    assert "when the import finished." in page


def test_import_without_preview_deletes_the_file(cast, client_for, upload):
    upload(client_for(cast.admin), cast.network, _zip(fixture_files("oneroster-1.1")),
           dry_run=False)

    run = ImportRun.objects.get()
    assert (run.status, run.upload, run.upload_deleted_because) == ("done", "", "finished")
    assert default_storage.listdir("rosters") == ([], [])


def test_failed_import_deletes_the_file_and_says_so(cast, client_for, upload):
    client = client_for(cast.admin)
    upload(client, cast.network, _zip(fixture_files("oneroster-1.2-broken")))

    run = ImportRun.objects.get()
    assert (run.status, run.upload, run.upload_deleted_because) == ("failed", "", "failed")
    assert run.problems_total == 6  # the record of what was wrong stays
    assert default_storage.listdir("rosters") == ([], [])
    page = _page(client, run)
    assert "6 problems: nothing was changed" in page
    assert "when the import stopped." in page


def test_ready_preview_says_until_when_its_file_is_kept(cast, client_for, preview):
    page = _page(client_for(cast.admin), preview)

    until = (preview.created_at + datetime.timedelta(days=1)).astimezone(
        ZoneInfo(cast.network.time_zone))
    assert ("A roster can name students, so the uploaded file is kept for you to apply only "
            f'until <time datetime="{until.isoformat()}">') in page
    assert "Discard this preview" in page


# --- discarded ----------------------------------------------------------------------------


def test_discarding_a_preview_deletes_its_file_now(cast, client_for, preview):
    client = client_for(cast.admin)
    stored = preview.upload

    response = client.post(reverse("rostering:import_discard", args=[preview.pk]), follow=True)

    preview.refresh_from_db()
    assert not default_storage.exists(stored)
    assert (preview.upload, preview.upload_deleted_because) == ("", FileGone.DISCARDED)
    assert preview.summary != {}  # what it would have changed stays on record
    content = response.content.decode()
    assert "The preview was discarded and its file deleted." in content
    assert "This preview was discarded. Upload the file again to import it." in content
    assert "when the preview was discarded." in content
    assert "Apply this import" not in content
    entry = ActivityEntry.objects.get(action="roster.discard")
    assert (entry.actor, entry.target_id, entry.network_id) == (
        cast.admin, preview.pk, cast.network.pk)


def test_discarded_preview_cannot_be_applied(cast, client_for, preview):
    client = client_for(cast.admin)
    client.post(reverse("rostering:import_discard", args=[preview.pk]))

    response = client.post(reverse("rostering:import_apply", args=[preview.pk]), follow=True)

    assert "This preview was discarded. Upload the file again." in response.content.decode()
    assert ImportRun.objects.count() == 1


def test_discarding_twice_discards_once(cast, preview):
    import_run_discard(actor=cast.admin, run=preview)
    first = ImportRun.objects.get(pk=preview.pk).upload_deleted_at

    import_run_discard(actor=cast.admin, run=preview)

    assert ImportRun.objects.get(pk=preview.pk).upload_deleted_at == first
    assert ActivityEntry.objects.filter(action="roster.discard").count() == 1


@pytest.mark.parametrize(("who", "status", "discarded"), [
    ("admin", 302, True),         # who uploaded it
    ("colleague", 302, True),     # another admin of the network
    ("coach", 404, False),        # in the network, without the role
    ("leader", 404, False),
    ("outsider", 404, False),     # another network's admin
])
def test_discard_by_persona(cast, client_for, preview, who, status, discarded):
    if who == "colleague":
        person = f.PersonFactory(full_name="Cleo Colleague")
        f.MembershipFactory(person=person, organisation=cast.network, role=Role.NETWORK_ADMIN)
    else:
        person = getattr(cast, who)
    stored = preview.upload

    response = client_for(person).post(reverse("rostering:import_discard", args=[preview.pk]))

    preview.refresh_from_db()
    assert response.status_code == status
    assert default_storage.exists(stored) is not discarded
    assert bool(preview.upload) is not discarded


def test_discard_is_a_post(cast, client_for, preview):
    response = client_for(cast.admin).get(reverse("rostering:import_discard", args=[preview.pk]))

    assert response.status_code == 405
    assert default_storage.exists(preview.upload)


@pytest.mark.parametrize(("state", "message"), [
    ("imported", "Only a preview can be discarded; this import has run."),
    ("applied", "This preview was applied, so there is nothing to discard."),
    ("checking", "This preview is still being checked. Discard it once it has finished."),
])
def test_discard_refuses_what_is_not_a_waiting_preview(cast, client_for, state, message):
    stored = default_storage.save("rosters/waiting.csv", ContentFile(b"name,email\n"))
    run = ImportRun.objects.create(
        network=cast.network, started_by=cast.admin, kind="csv", filename="staff.csv",
        dry_run=state != "imported", upload=stored,
        status="validating" if state == "checking" else "done")
    if state == "applied":
        ImportRun.objects.create(network=cast.network, started_by=cast.admin, kind="csv",
                                 filename="staff.csv", dry_run=False, preview_of=run)

    response = client_for(cast.admin).post(reverse("rostering:import_discard", args=[run.pk]),
                                           follow=True)

    run.refresh_from_db()
    assert message in response.content.decode()
    assert (run.upload, run.upload_deleted_at) == (stored, None)
    assert default_storage.exists(stored)
    assert not ActivityEntry.objects.filter(action="roster.discard").exists()


# --- abandoned: the clean-up a day later --------------------------------------------------


def test_clean_up_deletes_a_preview_left_for_a_day(cast, client_for, preview,
                                                   django_capture_on_commit_callbacks):
    stored = preview.upload
    _at(preview, hours=24, minutes=1)

    with django_capture_on_commit_callbacks(execute=True):
        assert roster_uploads_forget() == 1

    preview.refresh_from_db()
    assert not default_storage.exists(stored)
    assert (preview.upload, preview.upload_deleted_because) == ("", FileGone.EXPIRED)
    assert preview.summary != {}
    page = _page(client_for(cast.admin), preview)
    assert "This preview has expired. Upload the file again to import it." in page
    assert "because the preview was not applied within a day." in page


def test_clean_up_keeps_a_preview_younger_than_a_day(cast, preview):
    _at(preview, hours=23, minutes=59)

    assert roster_uploads_forget() == 0

    preview.refresh_from_db()
    assert default_storage.exists(preview.upload)
    assert preview.upload_deleted_at is None


def test_clean_up_deletes_the_file_of_a_run_that_never_finished(cast, client_for):
    stored = default_storage.save("rosters/stuck.csv", ContentFile(b"name,email\n"))
    run = ImportRun.objects.create(network=cast.network, started_by=cast.admin, kind="csv",
                                   filename="staff.csv", dry_run=False, status="validating",
                                   upload=stored)
    _at(run, days=2)

    assert roster_uploads_forget() == 1

    run.refresh_from_db()
    assert not default_storage.exists(stored)
    assert (run.upload, run.upload_deleted_because) == ("", FileGone.STALLED)
    assert "because the import had not finished after a day." in _page(
        client_for(cast.admin), run)


def test_clean_up_deletes_stray_files_a_day_old(cast):
    old = default_storage.save("rosters/stray-old.zip", ContentFile(b"PK"))
    new = default_storage.save("rosters/stray-new.zip", ContentFile(b"PK"))
    kept = default_storage.save("rosters/kept.zip", ContentFile(b"PK"))
    ImportRun.objects.create(network=cast.network, started_by=cast.admin, kind="csv",
                             filename="x.csv", status="done", upload=kept)  # a fresh preview's
    stamp = (timezone.now() - datetime.timedelta(days=2)).timestamp()
    for name in (old, kept):
        os.utime(default_storage.path(name), (stamp, stamp))

    assert roster_uploads_forget() == 1

    assert (default_storage.exists(old), default_storage.exists(new),
            default_storage.exists(kept)) == (False, True, True)


def test_clean_up_with_no_roster_folder_does_nothing(cast):
    assert roster_uploads_forget() == 0


@pytest.mark.django_db(transaction=True)
def test_worker_deletes_the_file_a_day_after_the_upload(task_queue, settings):
    """With the production task queue: each upload queues the clean-up for a day later,
    which the worker runs then (and not before)."""
    network = f.NetworkFactory(name="Riverside")
    admin = f.PersonFactory()
    f.MembershipFactory(person=admin, organisation=network, role=Role.NETWORK_ADMIN)
    content = SimpleUploadedFile("roster.zip", _zip(fixture_files("oneroster-1.2")))

    run = import_run_start(actor=admin, network=network, upload=content, dry_run=True)
    task_queue.run()

    run.refresh_from_db()
    assert (run.status, run.dry_run) == ("done", True)
    assert default_storage.exists(run.upload)  # waiting for "Apply"
    clean_up = DBTaskResult.objects.get(task_path__endswith="forget_roster_uploads")
    assert clean_up.status == "READY"
    assert clean_up.run_after == run.created_at + datetime.timedelta(days=1, minutes=1)

    # A day later: the clean-up is due, and the preview is past its day.
    DBTaskResult.objects.filter(pk=clean_up.pk).update(run_after=timezone.now())
    _at(run, days=1, minutes=1)
    stored = run.upload
    task_queue.run()

    run.refresh_from_db()
    assert not default_storage.exists(stored)
    assert (run.upload, run.upload_deleted_because) == ("", FileGone.EXPIRED)
    assert DBTaskResult.objects.get(pk=clean_up.pk).status == "SUCCESSFUL"
