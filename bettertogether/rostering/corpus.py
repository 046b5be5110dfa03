"""A corpus of roster bundles written the way student information systems really write
them, for the tests: our own, generated, never copied from anyone's export.

A `District` is the roster's content: a district with its schools, each with a principal,
teachers and their classes, students, and — as real exports have — people we never bring
in (a guardian, an aide, a counselor) and staff who cannot be (a role that has ended, no
email address, a leaver marked inactive). A `Style` is how one product writes that
content: its case, its spellings of the headers, its column order and extra columns, its
quoting and line endings, which optional files it sends, how it types its schools. The
same district in every style imports to the same people; the tests check each with exact
counts.

Everything is deterministic: the same arguments give the same bytes.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from . import oneroster_spec as spec
from .testing import FAMILY, GIVEN, SUBJECTS

ENDED = "2020-06-30"  # a role's endDate long past
STAMP = "2026-07-01T12:00:00Z"


@dataclass(frozen=True)
class District:
    schools: int = 2
    teachers_per_school: int = 3
    students_per_school: int = 6
    students_per_class: int = 3
    others: bool = True  # a guardian, an aide (and in 1.2 a counselor) per school
    ended: bool = True  # per school a teacher whose role has ended (1.2 only)
    no_email: bool = True  # per school a teacher with no address at all
    leaver: bool = True  # per school a teacher who has left (status tobedeleted/inactive)
    departments: bool = False  # per school a department holding one of its teachers
    state: bool = False  # a state organisation above the district
    domain: str = "lakeside.example"


@dataclass(frozen=True)
class Style:
    version: str = "1.2"
    shouting: bool = False  # TRUE, Active, Scheduled, Teacher
    legacy_words: bool = False  # OneRoster 1.0's "inactive", 1.2 role names in a 1.1 file
    header_spellings: bool = False  # dataLastModified, prefferedGivenName, orgSourceIds
    header_case: bool = False  # SourcedID, GivenName
    shuffled: bool = False  # columns in the exporter's own order (alphabetical)
    extra_columns: bool = False  # the exporter's own columns, not named metadata.…
    trailing_empty_header: bool = False  # two unnamed columns at the end of the header
    quote_all: bool = False  # every value in quotes, "" for empty
    bom: bool = False
    line_end: str = "\r\n"
    final_newline: bool = True
    optional_files: bool = True  # academicSessions and courses sent
    list_absent: bool = True  # absent files listed in the manifest as absent
    schools_as_departments: bool = False  # schools typed department, under the district
    manifest_case: bool = False  # "Bulk", "file.Users"


# Habits seen in real exports, each a product of its own (the names are ours).
STYLES = {
    "by-the-book-1.2": Style(),
    "by-the-book-1.1": Style(version="1.1"),
    "shouting": Style(shouting=True, bom=True, final_newline=False, manifest_case=True),
    "legacy": Style(version="1.1", legacy_words=True, header_spellings=True, line_end="\n"),
    "spreadsheet": Style(shuffled=True, extra_columns=True, quote_all=True,
                         trailing_empty_header=True, optional_files=False, list_absent=False,
                         header_case=True),
    "departmental": Style(version="1.1", schools_as_departments=True, header_spellings=True),
}


def sis_bundle(style: Style | str, district: District | None = None) -> dict[str, bytes]:
    """The files of a bundle of `district` written in `style`, by name."""
    style = STYLES[style] if isinstance(style, str) else style
    district = district or District()
    content = _content(district, style.version)
    if not style.optional_files:
        content.pop("academicSessions.csv")
        content.pop("courses.csv")
    files = {name: _write(name, rows, style) for name, rows in content.items()}
    files["manifest.csv"] = _manifest(style, set(files), "bulk")
    return files


def sis_delta(style: Style | str, district: District | None = None) -> dict[str, bytes]:
    """A delta bundle after `sis_bundle(style, district)`: the first school's first
    teacher leaves (tobedeleted), a teacher joins it with a class of their own, and the
    second teacher's family name changes."""
    style = STYLES[style] if isinstance(style, str) else style
    district = district or District()
    version = style.version
    rows: dict[str, list[dict]] = {name: [] for name in ("users.csv", "roles.csv",
                                                          "classes.csv", "enrollments.csv")}
    if version == "1.1":
        rows.pop("roles.csv")
    people = _People(rows, version, district.domain, "district-1")
    people.staff("teacher-0-0", GIVEN[0], f"{FAMILY[0]}0x0", "teacher", "school-0",
                 status="tobedeleted")
    people.staff("teacher-0-new", "Noor", "Haddad", "teacher", "school-0")
    people.staff("teacher-0-1", GIVEN[1], "Married-Name", "teacher", "school-0")
    rows["classes.csv"].append(_class_row("class-0-new", "Music 03 (new)", "03", "course-0-0",
                                          "school-0", "Music"))
    rows["enrollments.csv"].append(_enrollment("enr-class-0-new-t", "class-0-new", "school-0",
                                               "teacher-0-new", "teacher", "true"))
    for table in rows.values():
        for row in table:
            row["status"] = row.get("status") or "active"  # a delta says it on every line
    files = {name: _write(name, table, style) for name, table in rows.items()}
    files["manifest.csv"] = _manifest(style, set(files), "delta")
    return files


# --- content --------------------------------------------------------------------------------


class _People:
    """Adds people (and their 1.2 roles) to the rows of users.csv and roles.csv."""

    def __init__(self, rows, version, domain, district_id):
        self.rows, self.version, self.domain, self.district_id = rows, version, domain, district_id

    def staff(self, sourced_id, given, family, role, org, *, email=True, status="",
              ends="", username=None) -> dict:
        address = f"{sourced_id.replace('-', '.')}@{self.domain}"
        user = {"sourcedId": sourced_id, "status": status, "enabledUser": "true",
                "username": username or sourced_id, "givenName": given, "familyName": family,
                "email": address if email else ""}
        if self.version == "1.1":
            user.update(orgSourcedIds=org, role=role)
        else:
            user.update(primaryOrgSourcedId=org)
            self.rows["roles.csv"].append({
                "sourcedId": f"role-{sourced_id}", "status": "", "userSourcedId": sourced_id,
                "roleType": "primary", "role": role, "endDate": ends, "orgSourcedId": org})
        self.rows["users.csv"].append(user)
        return user


def _content(district: District, version: str) -> dict[str, list[dict]]:
    rows: dict[str, list[dict]] = {name: [] for name in spec.COLUMNS[version]}
    orgs = rows["orgs.csv"]
    if district.state:
        orgs.append({"sourcedId": "state-1", "name": "State Department of Education",
                     "type": "state"})
    orgs.append({"sourcedId": "district-1", "name": "Lakeside District", "type": "district",
                 "parentSourcedId": "state-1" if district.state else ""})
    rows["academicSessions.csv"].append({
        "sourcedId": "year-2027", "title": "2026-27", "type": "schoolYear",
        "startDate": "2026-08-17", "endDate": "2027-06-11", "schoolYear": "2027"})
    people = _People(rows, version, district.domain, "district-1")
    people.staff("admin-0", "Dana", "Admin", "administrator" if version == "1.1"
                 else "districtAdministrator", "district-1")
    for s in range(district.schools):
        _school(rows, people, district, version, s)
    return rows


def _school(rows, people, district, version, s) -> None:
    school = f"school-{s}"
    rows["orgs.csv"].append({"sourcedId": school, "name": f"{FAMILY[s]} School {s}",
                             "type": "school", "identifier": f"S{s}",
                             "parentSourcedId": "district-1"})
    if district.departments:
        rows["orgs.csv"].append({"sourcedId": f"science-{s}", "name": f"Science {s}",
                                 "type": "department", "parentSourcedId": school})
    grade = f"{s % 12 + 1:02d}"
    rows["courses.csv"].append({"sourcedId": f"course-{s}-0", "title": f"Course {s}",
                                "grades": grade, "orgSourcedId": school,
                                "subjects": SUBJECTS[s % len(SUBJECTS)]})
    people.staff(f"principal-{s}", GIVEN[s % len(GIVEN)], f"Principal{s}",
                 "administrator" if version == "1.1" else "principal", school)
    students = [f"student-{s}-{k}" for k in range(district.students_per_school)]
    for k, student in enumerate(students):
        people.staff(student, GIVEN[k % len(GIVEN)], "Student", "student", school,
                     email=False)
    for t in range(district.teachers_per_school):
        teacher = f"teacher-{s}-{t}"
        org = f"science-{s}" if district.departments and t == 0 else school
        people.staff(teacher, GIVEN[(t + s) % len(GIVEN)], f"{FAMILY[t]}{s}x{t}", "teacher",
                     org)
        class_id = f"class-{s}-{t}"
        subject = SUBJECTS[t % len(SUBJECTS)]
        rows["classes.csv"].append(_class_row(class_id, f"{subject} {grade} ({t})", grade,
                                              f"course-{s}-0", school, subject))
        rows["enrollments.csv"].append(_enrollment(f"enr-{class_id}-t", class_id, school,
                                                   teacher, "teacher", "true"))
        for k in range(district.students_per_class):
            student = students[(t + k) % len(students)]
            rows["enrollments.csv"].append(_enrollment(f"enr-{class_id}-{k}", class_id,
                                                       school, student, "student", "false"))
    _others(people, district, version, s, school)


def _others(people, district, version, s, school) -> None:
    """The people a roster lists whom we never bring in, or cannot."""
    if district.others:
        people.staff(f"guardian-{s}", "Gia", f"Guardian{s}", "guardian", school, email=False)
        people.staff(f"aide-{s}", "Sam", f"Aide{s}", "aide", school)
        if version == "1.2":
            people.staff(f"counselor-{s}", "Chris", f"Counselor{s}", "counselor", school)
    if district.ended and version == "1.2":
        people.staff(f"former-{s}", "Kofi", f"Former{s}", "teacher", school, ends=ENDED)
    if district.no_email:
        people.staff(f"noemail-{s}", "Hana", f"Noemail{s}", "teacher", school, email=False)
    if district.leaver:
        people.staff(f"leaver-{s}", "Diego", f"Leaver{s}", "teacher", school,
                     status="tobedeleted")


def _class_row(sourced_id, title, grade, course, school, subject) -> dict:
    return {"sourcedId": sourced_id, "title": title, "grades": grade, "courseSourcedId": course,
            "classCode": sourced_id.upper(), "classType": "scheduled", "schoolSourcedId": school,
            "termSourcedIds": "year-2027", "subjects": subject}


def _enrollment(sourced_id, class_id, school, user, role, primary) -> dict:
    return {"sourcedId": sourced_id, "classSourcedId": class_id, "schoolSourcedId": school,
            "userSourcedId": user, "role": role, "primary": primary}


# --- writing -----------------------------------------------------------------------------------

_SPELLINGS = {"dateLastModified": "dataLastModified", "preferredGivenName": "prefferedGivenName",
              "orgSourcedIds": "orgSourceIds", "userSourcedId": "userSourceId"}
_SHOUTED = {"true": "TRUE", "false": "FALSE", "active": "Active", "scheduled": "Scheduled",
            "teacher": "Teacher", "student": "Student", "principal": "Principal",
            "tobedeleted": "ToBeDeleted"}


def _write(name: str, rows: list[dict], style: Style) -> bytes:
    columns = [column.name for column in spec.COLUMNS[style.version][name]]
    order = sorted(columns, key=str.lower) if style.shuffled else list(columns)
    header = [_header_name(column, style) for column in order]
    if style.extra_columns:
        header.append("SIS Internal ID")
    if style.trailing_empty_header:
        header += ["", ""]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=style.line_end,
                        quoting=csv.QUOTE_ALL if style.quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for at, row in enumerate(rows):
        values = [_value(column, row, name, style) for column in order]
        if style.extra_columns:
            values.append(f"X{at:05d}")
        writer.writerow(values)
    text = out.getvalue()
    if not style.final_newline:
        text = text.removesuffix(style.line_end)
    return (("\ufeff" if style.bom else "") + text).encode("utf-8")


def _header_name(column: str, style: Style) -> str:
    if style.header_spellings and column in _SPELLINGS:
        return _SPELLINGS[column]
    if style.header_case:
        return column[0].upper() + column[1:].replace("Id", "ID")
    return column


def _value(column: str, row: dict, name: str, style: Style) -> str:
    value = row.get(column, "")
    if column == "dateLastModified" and not value:
        value = STAMP
    if column == "type" and value == "school" and style.schools_as_departments:
        value = "department"
    if style.legacy_words:
        if column == "status" and value == "tobedeleted":
            value = "inactive"
        if name == "users.csv" and column == "role" and row["sourcedId"].startswith(
                "principal-"):
            value = "principal"  # a 1.2 role name in a 1.1 file
    if style.shouting and value in _SHOUTED and column != "sourcedId":
        value = _SHOUTED[value]
    return value


def _manifest(style: Style, present: set[str], mode: str) -> bytes:
    lines = [["manifest.version", "1.0"], ["oneroster.version", style.version]]
    for stem in sorted(spec.MANIFEST_FILES[style.version]):
        name = f"{stem}.csv"
        if name in present:
            value = mode.title() if style.manifest_case else mode
            lines.append([f"file.{stem[0].upper() + stem[1:]}" if style.manifest_case
                          else f"file.{stem}", value])
        elif style.list_absent:
            lines.append([f"file.{stem}", "absent"])
    lines.append(["source.systemName", "Generated SIS"])
    return _write_plain([["propertyName", "value"], *lines], style)


def _write_plain(rows: list[list[str]], style: Style) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator=style.line_end).writerows(rows)
    return (("\ufeff" if style.bom else "") + out.getvalue()).encode("utf-8")

