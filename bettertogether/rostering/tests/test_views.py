"""The roster pages: who may use them, the upload → preview → apply flow, the progress
partial, the template download, and the cost of the imports list."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bettertogether.directory.models import Person
from bettertogether.directory.tests.support import assert_login_redirect, count_queries
from bettertogether.rostering.forms import RosterUploadForm
from bettertogether.rostering.models import ImportRun
from bettertogether.rostering.plain_csv import TEMPLATE
from bettertogether.rostering.selectors import networks_importable_by
from bettertogether.rostering.services import import_run_execute
from bettertogether.testing import factories as f

from .support import fixture_files, world_state


def _zip(files) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def _upload(client, network, content: bytes, name="roster.zip", dry_run=True,
            capture=None):
    data = {"network": network.pk, "file": SimpleUploadedFile(name, content)}
    if dry_run:
        data["dry_run"] = "on"
    with capture(execute=True):
        return client.post(reverse("rostering:imports"), data)


@pytest.fixture
def upload(django_capture_on_commit_callbacks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

    def post(client, network, content, **kwargs):
        return _upload(client, network, content, capture=django_capture_on_commit_callbacks,
                       **kwargs)

    return post


# --- who may use the pages --------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [
    ("admin", 200), ("outsider", 200),
    ("coach", 404), ("teacher", 404), ("other_teacher", 404), ("leader", 404),
])
def test_imports_page_by_persona(cast, client_for, who, status):
    response = client_for(getattr(cast, who)).get(reverse("rostering:imports"))

    assert response.status_code == status


@pytest.mark.parametrize(("who", "status"), [
    ("admin", 200), ("coach", 404), ("teacher", 404), ("leader", 404), ("outsider", 404),
])
def test_import_pages_by_persona(cast, client_for, who, status):
    run = ImportRun.objects.create(network=cast.network, started_by=cast.admin,
                                   kind=ImportRun.Kind.CSV, filename="staff.csv",
                                   status=ImportRun.Status.DONE, summary={})
    client = client_for(getattr(cast, who))

    for name in ("rostering:import", "rostering:import_status"):
        assert client.get(reverse(name, args=[run.pk])).status_code == status
    assert client.post(reverse("rostering:import_apply", args=[run.pk])).status_code == (
        302 if status == 200 else 404)


@pytest.mark.parametrize("who", ["coach", "leader", "outsider"])
def test_others_cannot_upload(cast, client_for, upload, who):
    before = world_state()

    response = upload(client_for(getattr(cast, who)), cast.network,
                      _zip(fixture_files("oneroster-1.2")))

    assert response.status_code in {404, 422}
    assert world_state() == before
    assert not ImportRun.objects.exists()


def test_outsider_does_not_see_another_networks_imports(cast, client_for):
    ImportRun.objects.create(network=cast.network, started_by=cast.admin, kind="csv",
                             filename="riverside.csv")

    response = client_for(cast.outsider).get(reverse("rostering:imports"))

    assert list(response.context["page"].object_list) == []
    assert [n.name for n in networks_importable_by(actor=cast.outsider)] == ["Northfield"]


def test_anonymous_is_sent_to_sign_in(cast):
    url = reverse("rostering:imports")

    assert_login_redirect(Client().get(url), url)


def test_network_admin_sees_rosters_in_the_navigation(cast, client_for):
    response = client_for(cast.admin).get(reverse("rostering:imports"))

    assert ("Rosters", reverse("rostering:imports"), "rostering") in response.context["nav"]
    assert response.context["active"] == "rostering"


# --- upload, preview, apply --------------------------------------------------------------


def test_upload_preview_then_apply(cast, client_for, upload, django_capture_on_commit_callbacks):
    client = client_for(cast.admin)
    before = world_state()

    response = upload(client, cast.network, _zip(fixture_files("oneroster-1.2")))

    preview = ImportRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("rostering:import", args=[preview.pk])
    assert (preview.status, preview.dry_run, preview.kind) == ("done", True, "oneroster-1.2")
    assert preview.upload  # kept for "Apply"
    after = world_state()
    assert after == before
    page = client.get(reverse("rostering:import", args=[preview.pk]))
    assert b"What this import would change" in page.content
    assert b"Apply this import" in page.content

    with django_capture_on_commit_callbacks(execute=True):
        applied = client.post(reverse("rostering:import_apply", args=[preview.pk]))

    run = ImportRun.objects.get(preview_of=preview)
    assert applied["Location"] == reverse("rostering:import", args=[run.pk])
    assert (run.status, run.dry_run) == ("done", False)
    assert Person.objects.filter(source_id="usr-t1").exists()
    preview.refresh_from_db()
    assert (preview.upload, run.upload) == ("", "")  # the file is gone once applied
    page = client.get(reverse("rostering:import", args=[run.pk]))
    assert b"What changed" in page.content


def test_applying_twice_applies_once(cast, client_for, upload,
                                     django_capture_on_commit_callbacks):
    client = client_for(cast.admin)
    upload(client, cast.network, _zip(fixture_files("oneroster-1.1")))
    preview = ImportRun.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("rostering:import_apply", args=[preview.pk]))
        second = client.post(reverse("rostering:import_apply", args=[preview.pk]))

    assert first["Location"] == second["Location"]
    assert ImportRun.objects.filter(dry_run=False).count() == 1


def test_upload_without_preview_imports_at_once(cast, client_for, upload):
    response = upload(client_for(cast.admin), cast.network,
                      _zip(fixture_files("oneroster-1.1")), dry_run=False)

    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert (run.status, run.dry_run, run.upload) == ("done", False, "")
    assert Person.objects.filter(source_id="usr-t2").exists()


def _queued_import(cast, client_for, capture) -> ImportRun:
    """An import asked for without a preview, its task not run yet."""
    data = {"network": cast.network.pk,
            "file": SimpleUploadedFile("roster.zip", _zip(fixture_files("oneroster-1.1")))}
    with capture(execute=False):
        client_for(cast.admin).post(reverse("rostering:imports"), data)
    return ImportRun.objects.get()


def test_import_left_half_done_by_a_dead_run_is_done_when_run_again(
        cast, client_for, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    run = _queued_import(cast, client_for, django_capture_on_commit_callbacks)
    # Its worker was killed while it imported: the task runs again (core/worker.py).
    ImportRun.objects.filter(pk=run.pk).update(status="importing", progress=60)

    import_run_execute(run_id=run.pk)

    run.refresh_from_db()
    assert (run.status, run.upload) == ("done", "")
    assert Person.objects.filter(source_id="usr-t2").exists()


def test_import_meeting_a_database_error_keeps_its_file_for_the_next_run(
        cast, client_for, settings, tmp_path, django_capture_on_commit_callbacks, monkeypatch):
    from django.db import OperationalError

    from bettertogether.rostering import services

    settings.MEDIA_ROOT = tmp_path / "media"
    run = _queued_import(cast, client_for, django_capture_on_commit_callbacks)

    def database_gone(*args, **kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(services, "_check_and_write", database_gone)
    with pytest.raises(OperationalError):
        import_run_execute(run_id=run.pk)
    monkeypatch.undo()

    run.refresh_from_db()
    assert run.status == "validating" and run.upload  # not failed, and the file is kept
    import_run_execute(run_id=run.pk)
    run.refresh_from_db()
    assert (run.status, run.upload) == ("done", "")


def test_preview_with_problems_lists_them_and_cannot_be_applied(cast, client_for, upload):
    client = client_for(cast.admin)
    upload(client, cast.network, _zip(fixture_files("oneroster-1.2-broken")))
    run = ImportRun.objects.get()

    page = client.get(reverse("rostering:import", args=[run.pk]))
    response = client.post(reverse("rostering:import_apply", args=[run.pk]), follow=True)

    assert run.status == "failed"
    assert run.upload == ""
    assert b"6 problems: nothing was changed" in page.content
    assert b"org-nowhere is not a sourcedId in orgs.csv." in page.content
    assert b"Apply this import" not in page.content
    assert b"Only a preview that finished without problems can be applied." in response.content
    assert ImportRun.objects.count() == 1


def test_running_import_page_polls_its_status(cast, client_for):
    run = ImportRun.objects.create(network=cast.network, started_by=cast.admin, kind="csv",
                                   filename="staff.csv", status="validating", progress=40)
    client = client_for(cast.admin)

    page = client.get(reverse("rostering:import", args=[run.pk]))
    partial = client.get(reverse("rostering:import_status", args=[run.pk]),
                         headers={"HX-Request": "true"})

    status_url = reverse("rostering:import_status", args=[run.pk]).encode()
    assert b'hx-trigger="every 1s"' in page.content
    assert b'hx-get="' + status_url + b'"' in page.content
    assert b'<progress id="run-progress" class="meter" max="100" value="40">40%</progress>' in (
        partial.content)
    assert b"<html" not in partial.content
    assert b'aria-live="polite"' in page.content


def test_finished_status_stops_polling(cast, client_for):
    run = ImportRun.objects.create(network=cast.network, started_by=cast.admin, kind="csv",
                                   filename="staff.csv", status="failed", problems_total=1,
                                   problems=[{"file": "staff.csv", "line": 2,
                                              "column": "email", "message": "Bad."}])

    partial = client_for(cast.admin).get(reverse("rostering:import_status", args=[run.pk]))

    assert b"hx-trigger" not in partial.content
    assert b"1 problem: nothing was changed" in partial.content


@pytest.mark.parametrize(("name", "content", "words"), [
    ("roster.pdf", b"%PDF-1.7 ...", "This is a PDF"),
    ("roster.docx", b"\x00\x01binary", "is neither"),
    ("roster.zip", None, "The zip holds folders (export/)"),
    ("roster.zip", "many", "The zip holds 500 files"),
    ("roster.zip", "bzip2", "compressed in a way we do not read"),
    ("roster.zip", b"PK\x03\x04 truncated", "damaged"),
])
def test_bad_file_gets_a_clear_message_and_changes_nothing(cast, client_for, upload, name,
                                                           content, words):
    if content is None:
        content = _zip({f"export/2026/{n}": t for n, t in fixture_files("oneroster-1.2").items()})
    elif content == "many":
        content = _zip({f"file{n}.csv": "" for n in range(500)})
    elif content == "bzip2":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_BZIP2) as archive:
            for n, text in fixture_files("oneroster-1.2").items():
                archive.writestr(n, text)
        content = buffer.getvalue()
    before = world_state()

    response = upload(client_for(cast.admin), cast.network, content, name=name)

    assert response.status_code == 422
    assert words in " ".join(response.context["form"].errors["file"])
    assert world_state() == before
    assert not ImportRun.objects.exists()


def test_file_over_200_mb_is_refused_before_it_is_read(cast):
    big = SimpleUploadedFile("roster.zip", b"PK\x03\x04")
    big.size = 201 * 1024 * 1024
    form = RosterUploadForm(data={"network": cast.network.pk}, files={"file": big},
                            networks=networks_importable_by(actor=cast.admin))

    assert not form.is_valid()
    assert form.errors["file"] == [
        "This file is 201 MB; the largest roster we accept is 200 MB. Leave out files we do "
        "not read (results, line items, demographics) or split a plain CSV by school."]


def test_csv_in_the_wrong_encoding_names_the_file(cast, client_for, upload):
    content = "name,email,role,school\nZoë Brontë,zoe@example.org,teacher,Oak\n".encode("cp1252")

    upload(client_for(cast.admin), cast.network, content, name="staff.csv")

    run = ImportRun.objects.get()
    assert run.status == "failed"
    assert run.problems == [{
        "file": "staff.csv", "line": 2, "column": "",
        "message": "staff.csv is not UTF-8 text (the first character we could not read is on "
                   "line 2). Save it again as “CSV UTF-8” and upload it once more."}]


def test_template_download(cast, client_for):
    response = client_for(cast.admin).get(reverse("rostering:template"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="roster-template.csv"'
    assert response.content.decode() == TEMPLATE
    assert response.content.startswith(b"name,email,role,school,grades,subjects\r\n")


@pytest.mark.parametrize("who", ["teacher", "leader"])
def test_template_download_is_for_network_admins(cast, client_for, who):
    assert client_for(getattr(cast, who)).get(reverse("rostering:template")).status_code == 404


def test_help_text_documents_the_plain_csv_columns(cast, client_for):
    response = client_for(cast.admin).get(reverse("rostering:imports"))

    for column in (b"<code>name</code>", b"<code>email</code>", b"<code>role</code>",
                   b"<code>school</code>", b"<code>grades</code>", b"<code>subjects</code>"):
        assert column in response.content
    assert reverse("rostering:template").encode() in response.content


# --- query counts --------------------------------------------------------------------------


def test_imports_list_query_count_does_not_grow(cast, client_for, django_assert_num_queries):
    client = client_for(cast.admin)
    url = reverse("rostering:imports")
    ImportRun.objects.create(network=cast.network, started_by=cast.admin, kind="csv",
                             filename="one.csv")
    client.get(url)
    one = count_queries(client, url)
    for n in range(20):
        person = f.PersonFactory()
        ImportRun.objects.create(network=cast.network, started_by=person if n % 2 else None,
                                 kind="oneroster-1.2", filename=f"r{n}.zip", status="failed",
                                 problems_total=n)

    with django_assert_num_queries(one):
        response = client.get(url)

    assert len(response.context["page"].object_list) == 21


def test_previews_left_for_a_day_lose_their_file(cast, client_for, upload, settings):
    import datetime

    from django.core.files.storage import default_storage
    from django.utils import timezone

    client = client_for(cast.admin)
    upload(client, cast.network, _zip(fixture_files("oneroster-1.1")))
    old = ImportRun.objects.get()
    stored = old.upload
    ImportRun.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2))

    upload(client, cast.network, _zip(fixture_files("oneroster-1.1")))

    old.refresh_from_db()
    assert old.upload == ""
    assert not default_storage.exists(stored)
    page = client.get(reverse("rostering:import", args=[old.pk]))
    assert b"This preview has expired" in page.content
