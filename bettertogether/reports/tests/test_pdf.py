"""The report PDFs: asked for once per key, built in the background as a valid tagged PDF,
followed on a status page that polls itself, downloaded only by the person who asked while
they may still read the report — and never carrying a note, a reflection or a goal's words."""

from __future__ import annotations

import io
import uuid

import pytest
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import IndirectObject, StreamObject

from bettertogether.activity.models import ActivityEntry
from bettertogether.coaching import services as coaching
from bettertogether.coaching.tests.support import log
from bettertogether.directory.models import Membership, Role
from bettertogether.directory.services import membership_revoke
from bettertogether.goals import cycles
from bettertogether.goals import services as goals
from bettertogether.goals.starter import install as install_starter
from bettertogether.goals.tests.support import a_cycle, a_goal
from bettertogether.reports import pdf_services, selectors
from bettertogether.reports.engine import Filters
from bettertogether.reports.models import ReportExport
from bettertogether.testing import factories as f

HEADLINE_LABEL = "Hours logged"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def post_pdf(django_capture_on_commit_callbacks):
    """POST the report page's PDF form and run the queued task, as the worker would."""

    def post(client, url, *, key=None, query=""):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"{url}{query}", {"idempotency_key": str(key or uuid.uuid4())})

    return post


def _url(cast, kind: str) -> str:
    if kind == "coach":
        return reverse("reports:coach_pdf")
    if kind == "school":
        return reverse("reports:school_pdf", args=[cast.school.pk])
    return reverse("reports:network_pdf", args=[cast.network.pk])


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _every_string(content: bytes) -> str:
    """The raw file and every object in it, streams decoded: metadata, the structure tree,
    the alternative texts and the page contents all land here."""
    reader = PdfReader(io.BytesIO(content))
    found = [content.decode("latin-1")]
    numbers = set(reader.xref_objStm)
    for generations in reader.xref.values():
        numbers |= set(generations)
    for number in numbers:
        obj = reader.get_object(IndirectObject(number, 0, reader))
        found.append(repr(obj))
        if isinstance(obj, StreamObject):
            found.append(obj.get_data().decode("latin-1"))
    return "\n".join(found)


def _structure_tags(node, found=None) -> set[str]:
    """The structure types of a tagged PDF's tree (headings, lists, tables…)."""
    found = set() if found is None else found
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            _structure_tags(child, found)
        return found
    if not hasattr(node, "get"):
        return found  # a marked-content id
    if "/S" in node:
        found.add(str(node["/S"]))
    if "/K" in node:
        _structure_tags(node["/K"], found)
    return found


def _download(client, export: ReportExport) -> bytes:
    response = client.get(reverse("reports:pdf_download", args=[export.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _some_work(cast):
    log(cast.coach, [cast.teacher], minutes=45)
    log(cast.coach, [], kind_name="Planning", minutes=30)


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


def _queued(cast, actor=None) -> ReportExport:
    """An export whose task has not run yet (its on-commit callback is never executed)."""
    actor = actor or cast.leader
    scope = selectors.scope_for_school(actor=actor, pk=cast.school.pk)
    return pdf_services.pdf_request(actor=actor, scope=scope,
                                    filters=selectors.filters_default(scope),
                                    idempotency_key=uuid.uuid4())


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


# --- who may ask, follow and download ---------------------------------------------------------


@pytest.mark.parametrize(("who", "kind"), [
    ("outsider", "school"), ("outsider", "network"),
    ("teacher", "coach"), ("teacher", "school"), ("teacher", "network"),
    ("other_teacher", "coach"), ("other_teacher", "school"), ("other_teacher", "network"),
    ("coach", "school"), ("coach", "network"), ("leader", "network"),
])
def test_pdf_request_by_someone_without_the_report_is_404(cast, client_for, post_pdf, who,
                                                          kind):
    response = post_pdf(client_for(getattr(cast, who)), _url(cast, kind))

    assert response.status_code == 404
    assert not ReportExport.objects.exists()


@pytest.mark.parametrize("who", ["outsider", "teacher", "other_teacher", "coach", "admin"])
def test_someone_elses_export_is_404(cast, client_for, post_pdf, who):
    """Even the network admin, who reads the same school report, gets their own PDFs only."""
    post_pdf(client_for(cast.leader), _url(cast, "school"))
    export = ReportExport.objects.get()
    client = client_for(getattr(cast, who))

    assert client.get(reverse("reports:pdf_status", args=[export.pk])).status_code == 404
    assert client.get(reverse("reports:pdf_download", args=[export.pk])).status_code == 404


def test_pdf_download_after_losing_the_role_is_404(cast, client_for, post_pdf):
    client = client_for(cast.leader)
    post_pdf(client, _url(cast, "school"))
    export = ReportExport.objects.get()
    membership_revoke(actor=cast.admin, membership=Membership.objects.get(
        person=cast.leader, role=Role.SCHOOL_LEADER))

    assert client.get(reverse("reports:pdf_download", args=[export.pk])).status_code == 404


def test_pdf_pages_ask_for_a_sign_in(cast, client):
    export = _queued(cast)

    for url in (_url(cast, "school"), reverse("reports:pdf_status", args=[export.pk]),
                reverse("reports:pdf_download", args=[export.pk])):
        response = client.post(url) if url.endswith("/pdf/") else client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


# --- no content in a PDF -----------------------------------------------------------------------


CANARIES = {
    "shared": "CANARY-SHARED-NOTE-7f3a",
    "private": "CANARY-PRIVATE-NOTE-91bc",
    "personal": "CANARY-PERSONAL-NOTE-c04d",
    "goal_title": "CANARY-GOAL-TITLE-5e21",
    "goal_outcome": "CANARY-GOAL-OUTCOME-88aa",
    "goal_reflection": "CANARY-GOAL-REFLECTION-3b9f",
    "teacher_reflection": "CANARY-TEACHER-REFLECTION-d712",
    "coach_reflection": "CANARY-COACH-REFLECTION-46e0",
    "cycle_private": "CANARY-CYCLE-PRIVATE-a5c3",
}


def _plant_canaries(cast):
    """Every kind of confidential text, in enough teachers' work that nothing is hidden."""
    install_starter()
    teachers = [cast.teacher]
    for n in range(6):
        teacher = f.PersonFactory(full_name=f"Teacher {n}", email=f"t{n}@riverside.test")
        f.MembershipFactory(person=teacher, organisation=cast.school, role=Role.TEACHER)
        f.CaseloadAssignmentFactory(coach=cast.coach, teacher=teacher, school=cast.school,
                                    school_year=cast.school_year)
        teachers.append(teacher)
    for teacher in teachers:
        log(cast.coach, [teacher], minutes=40, shared_note=CANARIES["shared"],
            private_note=CANARIES["private"])
    coaching.personal_note_add(actor=cast.coach, teacher=cast.teacher,
                               text=CANARIES["personal"])
    goal = a_goal(cast.coach, [cast.teacher], title=CANARIES["goal_title"],
                  student_outcome=CANARIES["goal_outcome"])
    cycle = a_cycle(cast.coach, goal, title=CANARIES["goal_title"])
    cycles.cycle_private_notes_update(actor=cast.coach, cycle=cycle,
                                      private_notes=CANARIES["cycle_private"])
    cycles.cycle_reflect(actor=cast.teacher, cycle=cycle,
                         reflection=CANARIES["teacher_reflection"])
    cycles.cycle_close(actor=cast.coach, cycle=cycle, outcome="met",
                       coach_reflection=CANARIES["coach_reflection"])
    other = a_goal(cast.coach, [teachers[1]])
    goals.goal_close(actor=cast.coach, goal=other, status="met",
                     reflection=CANARIES["goal_reflection"])


@pytest.mark.parametrize(("who", "kind"), [("leader", "school"), ("admin", "network"),
                                           ("coach", "coach")])
def test_pdf_carries_no_note_reflection_or_goal_text(cast, client_for, post_pdf, who, kind):
    _plant_canaries(cast)
    client = client_for(getattr(cast, who))

    post_pdf(client, _url(cast, kind))

    content = _download(client, ReportExport.objects.get())
    text = _text(content)
    everything = _every_string(content)
    assert HEADLINE_LABEL in text  # the figures are there…
    assert "Coaching impact" in everything  # (the title, from the decoded metadata)
    for name, canary in CANARIES.items():  # …and none of the words
        assert canary not in text, name
        assert canary not in everything, name
        assert canary.encode() not in content, name


# --- the page that asks --------------------------------------------------------------------


def test_pdf_status_page_links_back_to_the_report_with_its_filters(cast, client_for):
    scope = selectors.scope_for_network(actor=cast.admin, pk=cast.network.pk)
    filters = Filters.from_data({"start": "2026-09-01", "end": "2026-12-31",
                                 "school_id": cast.school.pk})
    export = pdf_services.pdf_request(actor=cast.admin, scope=scope, filters=filters,
                                      idempotency_key=uuid.uuid4())

    response = client_for(cast.admin).get(reverse("reports:pdf_status", args=[export.pk]))

    page = reverse("reports:network", args=[cast.network.pk])
    assert (f'href="{page}?start=2026-09-01&amp;end=2026-12-31&amp;school={cast.school.pk}"'
            in response.content.decode())
    assert "Network report, Riverside" in response.content.decode()


def test_pdf_of_a_suppressed_report_says_why_and_shows_no_figure(cast, client_for, post_pdf):
    grade = f.GradeLevelFactory(network=cast.network, name="Grade 3")
    client = client_for(cast.leader)

    post_pdf(client, _url(cast, "school"), query=f"?grade={grade.pk}")

    text = _text(_download(client, ReportExport.objects.get()))
    assert "Nothing to show for so few teachers" in text
    assert "Fewer than 5 teachers match these filters" in text
    assert HEADLINE_LABEL not in text
