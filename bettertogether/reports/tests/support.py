"""Helpers shared by the reports' tests: moments in the network's time, more people, a
report built straight from the engine, the section of a report by id, and the text of an
export (a CSV as rows, an Excel file as the XML inside it)."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import uuid
import zipfile

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bettertogether.directory.calendar import zone_of
from bettertogether.directory.models import Role, TeacherProfile
from bettertogether.menu.models import CoachingSession
from bettertogether.reports.engine import LEADER, OWN, Filters, Scope, build_report
from bettertogether.reports.models import ReportKind
from bettertogether.testing import factories as f

DAY = datetime.timedelta(days=1)


# --- time --------------------------------------------------------------------------------


def at(cast, day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """`day` at `hour` in the network's own time (Riverside: America/Chicago)."""
    return datetime.datetime.combine(day, datetime.time(hour, minute),
                                     tzinfo=zone_of(cast.network))


def today(cast) -> datetime.date:
    return datetime.datetime.now(tz=zone_of(cast.network)).date()


def weekday_weeks_ago(cast, weekday: int, weeks: int) -> datetime.date:
    """The `weekday` (0 = Monday) of the week `weeks` before this one."""
    now = today(cast)
    monday = now - datetime.timedelta(days=now.weekday()) - datetime.timedelta(weeks=weeks)
    return monday + datetime.timedelta(days=weekday)


# --- people -------------------------------------------------------------------------------


def more_teachers(cast, n: int, *, school=None, coach=None, grades=(), subjects=(),
                  year=None, prefix: str = "Teacher") -> list:
    """`n` teachers of `school` (Lincoln), in `coach`'s caseload when given."""
    school = school or cast.school
    made = []
    for _ in range(n):
        person = f.PersonFactory(full_name=f"{prefix} {uuid.uuid4().hex[:6]}")
        f.MembershipFactory(person=person, organisation=school, role=Role.TEACHER)
        profile = TeacherProfile.objects.get(person=person)
        if grades:
            profile.grades.add(*grades)
        if subjects:
            profile.subjects.add(*subjects)
        if coach is not None:
            f.CaseloadAssignmentFactory(coach=coach, teacher=person, school=school,
                                        school_year=year or cast.school_year)
        made.append(person)
    return made


def coach_at(school, name: str = "Sam Second"):
    person = f.PersonFactory(full_name=name)
    f.MembershipFactory(person=person, organisation=school, role=Role.COACH)
    return person


# --- requests ------------------------------------------------------------------------------


def a_request(cast, *, teacher=None, coach=None, school=None, **extra):
    coach = coach or cast.coach
    school = school or cast.school
    return f.SupportRequestFactory(school=school, network=cast.network,
                                   teacher=teacher or cast.teacher, coach=coach, **extra)


def a_session_for(request):
    """A session for the request, which is then scheduled (as accepting it does)."""
    type(request).objects.filter(pk=request.pk).update(status="scheduled")
    return CoachingSession.objects.create(
        network=request.network, school=request.school, coach=request.coach,
        request=request, kind=request.item.kind, title="Session",
        starts_at=request.created_at, ends_at=request.created_at + datetime.timedelta(hours=1))


# --- reports -------------------------------------------------------------------------------


def coach_scope(cast, coach=None) -> Scope:
    return Scope(kind=ReportKind.COACH, network=cast.network, coach=coach or cast.coach,
                 audience=OWN)


def school_scope(cast, school=None) -> Scope:
    return Scope(kind=ReportKind.SCHOOL, network=cast.network, school=school or cast.school,
                 audience=LEADER)


def network_scope(cast) -> Scope:
    return Scope(kind=ReportKind.NETWORK, network=cast.network, audience=LEADER)


def counted(scope: Scope) -> Scope:
    """The same report without the disclosure gate (as its coach reads their own): for
    tests of the arithmetic. What a leader may see is proved by the suppression tests and
    the gate's property test."""
    return dataclasses.replace(scope, audience=OWN)


def report(scope: Scope, start: datetime.date, end: datetime.date, **filters) -> dict:
    return build_report(scope=scope, filters=Filters(start=start, end=end, **filters))


def section(report_: dict, section_id: str) -> dict | None:
    return next((s for s in report_["sections"] if s["id"] == section_id), None)


def rows(report_: dict, section_id: str) -> list[list]:
    found = section(report_, section_id)
    assert found is not None, f"no section {section_id}: {[s['id'] for s in report_['sections']]}"
    return found["rows"]


def row(report_: dict, section_id: str, label: str) -> list:
    for found in rows(report_, section_id):
        if found[0] == label:
            return found
    raise AssertionError(f"no row {label!r} in {section_id}: {rows(report_, section_id)}")


def headline(report_: dict, label: str):
    return next(item["value"] for item in report_["headline"] if item["label"] == label)


# --- urls ---------------------------------------------------------------------------------


def page_urls(cast) -> dict[str, str]:
    return {
        "coach": reverse("reports:coach"),
        "school": reverse("reports:school", args=[cast.school.pk]),
        "network": reverse("reports:network", args=[cast.network.pk]),
    }


def export_urls(cast, fmt: str) -> dict[str, str]:
    return {
        "coach": reverse("reports:coach_export", args=[fmt]),
        "school": reverse("reports:school_export", args=[cast.school.pk, fmt]),
        "network": reverse("reports:network_export", args=[cast.network.pk, fmt]),
    }


# --- exports ------------------------------------------------------------------------------


def csv_rows(body: bytes | str) -> list[list[str]]:
    text = body.decode() if isinstance(body, bytes) else body
    return list(csv.reader(io.StringIO(text)))


def xlsx_text(body: bytes) -> str:
    """Every XML part of an Excel file (sheets, shared strings), joined: what a search of
    the file itself would find."""
    with zipfile.ZipFile(io.BytesIO(body)) as book:
        return "\n".join(book.read(name).decode("utf-8", "replace")
                         for name in book.namelist() if name.endswith(".xml"))


def queries_of(client, url: str) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured.captured_queries), response
