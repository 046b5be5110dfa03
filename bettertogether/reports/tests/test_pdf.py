"""The report PDFs: asked for once per key, built in the background as a valid tagged PDF,
followed on a status page that polls itself, downloaded only by the person who asked while
they may still read the report — and never carrying a note, a reflection or a goal's words."""

from __future__ import annotations

import io
import uuid

import pytest
from django.urls import reverse
from pypdf import PdfReader

from bettertogether.activity.models import ActivityEntry
from bettertogether.directory.models import Membership, Role
from bettertogether.directory.services import membership_revoke
from bettertogether.reports import pdf_services, selectors
from bettertogether.reports.models import ReportExport
from bettertogether.reports.tests.pdf_support import (
    HEADLINE_LABEL,
    _download,
    _queued,
    _some_work,
    _structure_tags,
    _text,
    _url,
)

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

# --- asking for a PDF and getting it ----------------------------------------------------------


@pytest.mark.parametrize(("who", "kind", "title"), [
    ("coach", "coach", "Coaching impact: Cora Coach"),
    ("leader", "school", "Coaching impact: Lincoln Elementary"),
    ("admin", "network", "Coaching impact across Riverside"),
])
def test_pdf_request_builds_a_pdf_the_requester_downloads(cast, client_for, post_pdf, who,
                                                          kind, title):
    _some_work(cast)
    client = client_for(getattr(cast, who))

    response = post_pdf(client, _url(cast, kind))

    export = ReportExport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:pdf_status", args=[export.pk])
    assert (export.status, export.progress, export.kind) == ("done", 100, kind)
    assert export.finished_at is not None
    assert export.file.name.startswith("reports/") and export.file.name.endswith(".pdf")
    download = client.get(reverse("reports:pdf_download", args=[export.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith('attachment; filename="')
    assert download["Cache-Control"] == "private, no-store"
    content = b"".join(download.streaming_content)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == export.pages >= 1
    text = _text(content)
    assert title in text
    assert HEADLINE_LABEL in text
    assert "How these figures are counted" in text
    status = client.get(reverse("reports:pdf_status", args=[export.pk]))
    assert status.status_code == 200
    assert "Your PDF is ready" in status.content.decode()


def test_pdf_is_tagged_with_its_title_and_language(cast, client_for, post_pdf):
    _some_work(cast)
    client = client_for(cast.admin)
    post_pdf(client, _url(cast, "network"))

    reader = PdfReader(io.BytesIO(_download(client, ReportExport.objects.get())))

    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-us"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title.startswith("Coaching impact across Riverside · ")
    tags = _structure_tags(catalog["/StructTreeRoot"])
    assert {"/H1", "/H2", "/L", "/Table", "/TH", "/TD", "/Figure"} <= tags


def test_pdf_keeps_the_filters_of_the_page(cast, client_for, post_pdf):
    client = client_for(cast.admin)
    query = f"?start=2026-09-01&end=2026-12-31&school={cast.school.pk}"

    post_pdf(client, _url(cast, "network"), query=query)

    export = ReportExport.objects.get()
    assert export.filters == {"start": "2026-09-01", "end": "2026-12-31",
                              "school_id": cast.school.pk}
    text = _text(_download(client, export))
    assert "1 Sep 2026 – 31 Dec 2026" in text
    assert "Lincoln Elementary" in text


def test_pdf_request_with_bad_filters_uses_the_default_period(cast, client_for, post_pdf):
    client = client_for(cast.leader)

    post_pdf(client, _url(cast, "school"), query="?start=2027-01-10&end=2026-01-01")

    export = ReportExport.objects.get()
    scope = selectors.scope_for_school(actor=cast.leader, pk=cast.school.pk)
    assert export.filters == selectors.filters_default(scope).as_data()
    assert export.status == "done"


def test_pdf_request_twice_with_the_same_key_makes_one_export(cast, client_for, post_pdf):
    client = client_for(cast.leader)
    key = uuid.uuid4()

    first = post_pdf(client, _url(cast, "school"), key=key)
    second = post_pdf(client, _url(cast, "school"), key=key)

    export = ReportExport.objects.get()
    assert first["Location"] == second["Location"] == reverse("reports:pdf_status",
                                                              args=[export.pk])
    assert ActivityEntry.objects.filter(action="report_pdf.request").count() == 1


def test_pdf_request_records_who_asked_for_which_report(cast, client_for, post_pdf):
    post_pdf(client_for(cast.leader), _url(cast, "school"))

    entry = ActivityEntry.objects.get(action="report_pdf.request")
    export = ReportExport.objects.get()
    assert (entry.actor, entry.organisation, entry.network) == (cast.leader, cast.school,
                                                                cast.network)
    assert (entry.target_type, entry.target_id) == ("reports.reportexport", export.pk)
    assert entry.target_label == "School report, Lincoln Elementary"
    assert entry.details == {"kind": "school"}
    assert entry.action_label == "asked for a PDF of a report:"


def test_pdf_views_take_only_a_post(cast, client_for):
    response = client_for(cast.leader).get(_url(cast, "school"))

    assert response.status_code == 405
    assert not ReportExport.objects.exists()


def test_pdf_request_without_a_key_still_makes_one_pdf(cast, client_for,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.leader).post(_url(cast, "school"))

    assert response.status_code == 302
    assert ReportExport.objects.get().status == "done"


# --- the status page and its polling ----------------------------------------------------------




def test_pdf_status_while_queued_polls_itself(cast, client_for):
    export = _queued(cast)
    url = reverse("reports:pdf_status", args=[export.pk])

    response = client_for(cast.leader).get(url)

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" in body
    assert 'aria-live="polite"' in body
    assert f'hx-get="{url}"' in body and 'hx-trigger="every 2s"' in body
    assert '<progress id="pdf-progress-meter" class="meter" max="100" value="0">' in body
    assert "Waiting to start" in body and "In the queue: it starts in a moment" in body
    assert "Download the PDF" not in body
    assert response["Vary"].count("HX-Request") == 1


def test_pdf_status_answers_htmx_with_the_progress_card_alone(cast, client_for):
    export = _queued(cast)
    ReportExport.objects.filter(pk=export.pk).update(status="running", progress=50,
                                                     step="Drawing the charts")
    url = reverse("reports:pdf_status", args=[export.pk])

    response = client_for(cast.leader).get(url, headers={"HX-Request": "true"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert body.count('id="pdf-progress"') == 1
    assert 'hx-trigger="every 2s"' in body
    assert 'value="50"' in body and "Drawing the charts" in body


def test_pdf_status_when_done_stops_polling_and_offers_the_download(cast, client_for,
                                                                    post_pdf):
    client = client_for(cast.leader)
    post_pdf(client, _url(cast, "school"))
    export = ReportExport.objects.get()

    response = client.get(reverse("reports:pdf_status", args=[export.pk]),
                          headers={"HX-Request": "true"})

    body = response.content.decode()
    assert "hx-trigger" not in body and "hx-get" not in body
    assert reverse("reports:pdf_download", args=[export.pk]) in body
    assert "Your PDF is ready" in body


def test_pdf_download_before_it_is_ready_is_404(cast, client_for):
    export = _queued(cast)

    response = client_for(cast.leader).get(reverse("reports:pdf_download", args=[export.pk]))

    assert response.status_code == 404


# --- the build: progress and failures --------------------------------------------------------


def test_pdf_build_reports_each_step(cast, monkeypatch):
    export = _queued(cast)
    seen = []
    real = pdf_services._progress

    def spy(export, progress, step):
        real(export, progress, step)
        stored = ReportExport.objects.get(pk=export.pk)
        seen.append((stored.status, stored.progress, stored.step))

    monkeypatch.setattr(pdf_services, "_progress", spy)

    pdf_services.pdf_build(export_id=export.pk)

    assert seen == [("running", 10, "Counting the figures"),
                    ("running", 50, "Drawing the charts"),
                    ("running", 80, "Laying out the pages")]
    export.refresh_from_db()
    assert (export.status, export.progress, export.step) == ("done", 100, "Ready")


def test_pdf_build_twice_builds_once(cast):
    export = _queued(cast)
    pdf_services.pdf_build(export_id=export.pk)
    first = ReportExport.objects.get(pk=export.pk)

    again = pdf_services.pdf_build(export_id=export.pk)

    assert (again.file.name, again.finished_at) == (first.file.name, first.finished_at)


def test_pdf_build_left_running_by_a_dead_worker_is_built_when_run_again(cast, settings):
    # The worker was killed half-way: the export says "being built" and nothing builds it,
    # until the worker runs the task again (core/worker.py).
    export = _queued(cast)
    ReportExport.objects.filter(pk=export.pk).update(status="running", progress=50,
                                                     step="Drawing the charts")

    built = pdf_services.pdf_build(export_id=export.pk)

    assert (built.status, built.progress, built.step) == ("done", 100, "Ready")
    assert built.pages >= 1
    assert [p.name for p in (settings.MEDIA_ROOT / "reports").iterdir()] == [
        built.file.name.removeprefix("reports/")]


def test_pdf_build_meeting_a_database_error_is_left_for_the_worker_to_run_again(
        cast, monkeypatch):
    from django.db import OperationalError

    export = _queued(cast)

    def database_gone(**kwargs):
        raise OperationalError("terminating connection due to administrator command")

    monkeypatch.setattr(pdf_services, "build_report", database_gone)

    with pytest.raises(OperationalError):
        pdf_services.pdf_build(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == "running"  # not failed: the next run builds it


def test_pdf_build_whose_last_save_fails_leaves_no_file_behind(cast, settings, monkeypatch):
    from django.db import OperationalError

    export = _queued(cast)
    real = ReportExport.save

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields and "file" in update_fields:
            raise OperationalError("the connection is closed")
        return real(self, *args, update_fields=update_fields, **kwargs)

    monkeypatch.setattr(ReportExport, "save", save)

    with pytest.raises(OperationalError):
        pdf_services.pdf_build(export_id=export.pk)

    assert list((settings.MEDIA_ROOT / "reports").iterdir()) == []


def test_pdf_build_for_someone_who_lost_the_role_fails(cast, client_for):
    export = _queued(cast)
    membership_revoke(actor=cast.admin, membership=Membership.objects.get(
        person=cast.leader, role=Role.SCHOOL_LEADER))

    pdf_services.pdf_build(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == "failed"
    assert export.step == "You may no longer read this report, so no PDF was made."
    assert not export.file
    assert client_for(cast.leader).get(
        reverse("reports:pdf_status", args=[export.pk])).status_code == 404


def test_pdf_build_that_breaks_fails_with_a_plain_message(cast, client_for, monkeypatch,
                                                          caplog):
    export = _queued(cast)

    def broken(**kwargs):
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(pdf_services, "build_report", broken)

    pdf_services.pdf_build(export_id=export.pk)

    export.refresh_from_db()
    assert export.status == "failed"
    assert export.finished_at is not None
    assert export.step.startswith("Something went wrong on our side")
    assert "the engine broke" in caplog.text
    body = client_for(cast.leader).get(reverse("reports:pdf_status", args=[export.pk]))
    assert 'role="alert"' in body.content.decode()
    assert "hx-trigger" not in body.content.decode()


def test_pdf_request_by_someone_who_may_not_read_the_report_is_refused(cast):
    from django.core.exceptions import PermissionDenied

    scope = selectors.scope_for_school(actor=cast.leader, pk=cast.school.pk)

    with pytest.raises(PermissionDenied):
        pdf_services.pdf_request(actor=cast.teacher, scope=scope,
                                 filters=selectors.filters_default(scope),
                                 idempotency_key=uuid.uuid4())


