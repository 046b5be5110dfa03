"""The impact reports in a real browser: a coach, a school leader and a network admin each
open their report, filter it by keyboard, export a PDF (built in the background) and a
CSV; every report page passes axe-core and works 360 px wide."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bettertogether.coaching import services
from bettertogether.directory.models import Role, TeacherProfile
from bettertogether.testing import factories as f
from bettertogether.testing.browser import (
    PHONE,
    check_axe,
    check_console,
    check_no_horizontal_scroll,
    screenshot,
    sign_in_as,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def coached(cast):
    """Ten weeks of a coach's log at Lincoln: contacts with six teachers and own time."""
    kinds = f.built_in_support_kinds()
    year = cast.school_year
    f.TermFactory(school_year=year, name="Autumn", starts_on=year.starts_on,
                  ends_on=timezone.localdate() - datetime.timedelta(days=40))
    f.TermFactory(school_year=year, name="Winter",
                  starts_on=timezone.localdate() - datetime.timedelta(days=39),
                  ends_on=year.ends_on)
    grade = f.GradeLevelFactory(network=cast.network, code="3", name="Grade 3")
    teachers = [cast.teacher]
    for name in ("Ana Lima", "Ben Osei", "Chloe Park", "Dev Rao", "Eli Stone"):
        teacher = f.PersonFactory(full_name=name)
        f.MembershipFactory(person=teacher, organisation=cast.school, role=Role.TEACHER)
        f.CaseloadAssignmentFactory(coach=cast.coach, teacher=teacher, school=cast.school,
                                    school_year=year)
        TeacherProfile.objects.get_or_create(person=teacher)[0].grades.add(grade)
        teachers.append(teacher)
    now = timezone.now()
    for week in range(10):
        for n, teacher in enumerate(teachers[: 2 + week % 5]):
            kind = ("Tech help", "Co-teaching", "Feedback conversation",
                    "Modelling a lesson")[n % 4]
            services.interaction_log(actor=cast.coach, kind=kinds[kind], teachers=[teacher],
                                     occurred_at=now - datetime.timedelta(days=7 * week + n),
                                     shared_note=f"Shared canary {week}-{n}",
                                     private_note=f"Private canary {week}-{n}")
        services.interaction_log(actor=cast.coach, kind=kinds["Planning"], minutes=45,
                                 occurred_at=now - datetime.timedelta(days=7 * week + 1))
    return cast


REPORTS = [
    ("report-coach", "coach", lambda c: "/reports/coach/"),
    ("report-school-leader", "leader", lambda c: f"/reports/schools/{c.school.pk}/"),
    ("report-network-admin", "admin", lambda c: f"/reports/networks/{c.network.pk}/"),
    ("reports-index-admin", "admin", lambda c: "/reports/"),
]


@pytest.mark.parametrize(("name", "persona", "path"), REPORTS)
def test_report_pages_accessible_at_desktop_and_phone_width(page, server, coached, name,
                                                            persona, path):
    sign_in_as(page, server, getattr(coached, persona))

    response = page.goto(server + path(coached))

    assert response.status == 200
    check_axe(page)
    screenshot(page, name)
    page.set_viewport_size(PHONE)
    check_no_horizontal_scroll(page)
    check_axe(page)
    screenshot(page, name)
    check_console(page)


def _download_pdf(page) -> bytes:
    # The tests' task queue builds the PDF inside this request (in production a worker
    # does, and the page polls): on a busy machine that takes seconds.
    page.get_by_role("button", name="PDF for a meeting").click(timeout=30_000)
    expect(page.get_by_role("heading", level=1)).to_contain_text("PDF")
    link = page.get_by_role("link", name="Download the PDF")
    expect(link).to_be_visible(timeout=30_000)
    with page.expect_download() as info:
        link.click()
    return open(info.value.path(), "rb").read()


def _download_csv(page) -> str:
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).click()
    return open(info.value.path(), encoding="utf-8").read()


@pytest.mark.parametrize(("persona", "path", "title"), [
    ("coach", lambda c: "/reports/coach/", "Coaching impact: Cora Coach"),
    ("leader", lambda c: f"/reports/schools/{c.school.pk}/",
     "Coaching impact: Lincoln Elementary"),
    ("admin", lambda c: f"/reports/networks/{c.network.pk}/",
     "Coaching impact across Riverside"),
])
def test_each_reader_opens_their_report_and_exports_pdf_and_csv(page, server, coached,
                                                                persona, path, title):
    sign_in_as(page, server, getattr(coached, persona))
    page.goto(server + path(coached))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("heading", name="Hours by kind of support")).to_be_visible()
    expect(page.get_by_role("table", name="Hours by kind of support")).to_be_visible()

    rows = list(csv.reader(io.StringIO(_download_csv(page))))
    assert rows[0] == [title]
    assert any(row[:1] == ["Hours by kind of support"] for row in rows)

    pdf = _download_pdf(page)
    assert pdf.startswith(b"%PDF")
    if persona != "coach":
        assert b"canary" not in pdf
    check_console(page)


def _tab_until(page, predicate: str, limit: int = 30) -> None:
    """Press Tab until the focused element matches `predicate` (a JS expression on `el`)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(el => {predicate})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {predicate}")


def test_filters_by_keyboard_alone(page, server, coached):
    sign_in_as(page, server, coached.leader)
    page.goto(f"{server}/reports/schools/{coached.school.pk}/")

    start = page.get_by_label("From", exact=True)
    start.focus()
    start.fill((timezone.localdate() - datetime.timedelta(days=14)).isoformat())
    # The date fields, then the selects, then the button, in reading order.
    _tab_until(page, "el.name === 'end'")
    _tab_until(page, "el.tagName === 'SELECT'")
    page.keyboard.press("ArrowDown")  # the first grade
    _tab_until(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Show'")
    page.keyboard.press("Enter")

    page.wait_for_url("**start=**")
    expect(page.get_by_role("heading", name="Week by week")).to_be_visible()
    assert "grade=" in page.url
    check_console(page)


def test_a_bad_range_says_what_to_fix(page, server, coached):
    sign_in_as(page, server, coached.coach)
    page.goto(f"{server}/reports/coach/?start=2026-10-10&end=2026-09-01")

    expect(page.get_by_text("The end comes before the start")).to_be_visible()
    expect(page.get_by_role("heading", name="Hours by kind of support")).to_be_visible()


def test_coach_shares_a_snapshot_the_leader_reads_it(page, server, coached, open_page):
    sign_in_as(page, server, coached.coach)
    page.goto(f"{server}/reports/coach/")
    page.get_by_role("link", name="Share with a leader").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Share your report with a leader")
    check_axe(page)
    screenshot(page, "report-snapshot-new")
    page.get_by_label("Share with").select_option(label="Lena Leader")
    page.get_by_label("Title").fill("Autumn coaching for the leadership team")
    page.get_by_role("button", name="Share the snapshot").click()
    expect(page.get_by_text("the figures do not change")).to_be_visible()
    check_console(page)

    leader = open_page()
    sign_in_as(leader, server, coached.leader)
    leader.goto(f"{server}/reports/")
    leader.get_by_role("link", name="Autumn coaching for the leadership team").click()
    expect(leader.get_by_role("heading", name="Hours by kind of support")).to_be_visible()
    assert "canary" not in leader.content()
    check_axe(leader)
    screenshot(leader, "report-snapshot-leader")
    leader.set_viewport_size(PHONE)
    check_no_horizontal_scroll(leader)
    check_console(leader)


def test_pdf_progress_page_is_accessible(page, server, coached):
    sign_in_as(page, server, coached.admin)
    page.goto(f"{server}/reports/networks/{coached.network.pk}/")
    page.get_by_role("button", name="PDF for a meeting").click()
    expect(page.get_by_role("link", name="Download the PDF")).to_be_visible(timeout=30_000)
    check_axe(page)
    screenshot(page, "report-pdf-ready")
    page.set_viewport_size(PHONE)
    check_no_horizontal_scroll(page)
    check_console(page)
