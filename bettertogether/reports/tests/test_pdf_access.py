"""Who may ask for a PDF, follow it and download it; no content in any PDF; the page that
asks; a suppressed report's PDF."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

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
from bettertogether.reports.tests.pdf_support import (
    HEADLINE_LABEL,
    _download,
    _every_string,
    _queued,
    _text,
    _url,
)
from bettertogether.testing import factories as f

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"

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

