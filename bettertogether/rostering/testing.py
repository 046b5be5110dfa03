"""Valid OneRoster bundles of any size, for the tests (small) and the benchmark (a district).

`oneroster_files()` returns the CSV files of a bundle as text, so a test can break one
thing in them; `write_bundle()` zips them flat; `build_oneroster_bundle()` does both.
Everything is deterministic: the same arguments give the same bytes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from . import oneroster_spec as spec

SUBJECTS = ("English Language Arts", "Mathematics", "Science", "Social Studies", "Music")
GRADE_BANDS = (("KG", "01", "02", "03", "04", "05"), ("06", "07", "08"), ("09", "10", "11", "12"))
GIVEN = ("Maria", "James", "Aisha", "Wei", "Sofia", "Liam", "Noor", "Diego", "Hana", "Kofi")
FAMILY = ("Rivera", "Okafor", "Chen", "Nguyen", "Smith", "Garcia", "Patel", "Kim", "Brown",
          "Haddad", "Lopez", "Novak")
LAST_MODIFIED = "2026-07-01T12:00:00Z"


def _csv(header: list[str], rows) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _header(name: str, version: str) -> list[str]:
    return [c.name for c in spec.READ_FILES[version][name]]


def _row(file: str, version: str, values: dict) -> list[str]:
    return [values.get(column, "") for column in _header(file, version)]


def oneroster_files(*, version: str = "1.2", schools: int = 3, teachers_per_school: int = 4,
                    classes_per_teacher: int = 2, students_per_class: int = 3,
                    district_admins: int = 1, domain: str = "district.example",
                    district_id: str = "district-1", district_name: str = "Lakeside District",
                    ) -> dict[str, str]:
    """The CSV files of a valid bundle: one district, its schools (each with a principal,
    teachers, their classes and enrolled students), a school year with two terms."""
    files: dict[str, list[list[str]]] = {name: [] for name in spec.READ_FILES[version]}

    def add(file, **values):
        values.setdefault("status", "active")
        values.setdefault("dateLastModified", LAST_MODIFIED)
        files[file].append(_row(file, version, values))

    add("orgs.csv", sourcedId=district_id, name=district_name, type="district",
        identifier="LD")
    add("academicSessions.csv", sourcedId="year-2027", title="2026–27", type="schoolYear",
        startDate="2026-08-17", endDate="2027-06-11", schoolYear="2027")
    for term, (title, start, end) in enumerate((("Fall", "2026-08-17", "2026-12-18"),
                                                ("Spring", "2027-01-05", "2027-06-11"))):
        add("academicSessions.csv", sourcedId=f"term-2027-{term}", title=title, type="term",
            startDate=start, endDate=end, parentSourcedId="year-2027", schoolYear="2027")
    for n in range(district_admins):
        _user(add, version, f"admin-{n}", f"admin{n}@{domain}", "Dana", f"Admin{n}",
              "administrator" if version == "1.1" else "districtAdministrator", district_id)
    for s in range(schools):
        _school(add, version, s, domain, district_id, teachers_per_school,
                classes_per_teacher, students_per_class)
    manifest = [["manifest.version", "1.0"], ["oneroster.version", version]]
    manifest += [[f"file.{name[:-4]}", "bulk"] for name in files]
    out = {"manifest.csv": _csv(["propertyName", "value"], manifest)}
    out.update({name: _csv(_header(name, version), rows) for name, rows in files.items()})
    return out


def _user(add, version, sourced_id, email, given, family, role, org, grades=""):
    common = dict(sourcedId=sourced_id, enabledUser="true", username=email.split("@")[0],
                  givenName=given, familyName=family, email=email, grades=grades)
    if version == "1.1":
        add("users.csv", orgSourcedIds=org, role=role, **common)
    else:
        add("users.csv", primaryOrgSourcedId=org, **common)
        add("roles.csv", sourcedId=f"role-{sourced_id}", userSourcedId=sourced_id,
            roleType="primary", role=role, orgSourcedId=org)


def _school(add, version, s, domain, district_id, teachers, classes_per_teacher,
            students_per_class):
    school = f"school-{s}"
    band = GRADE_BANDS[s % len(GRADE_BANDS)]
    kind = ("Elementary", "Middle", "High")[s % 3]
    add("orgs.csv", sourcedId=school, name=f"{FAMILY[s % len(FAMILY)]} {kind} School {s}",
        type="school", identifier=f"S{s:04d}", parentSourcedId=district_id)
    _user(add, version, f"principal-{s}", f"principal{s}@{domain}", GIVEN[s % len(GIVEN)],
          f"Principal{s}", "principal" if version == "1.2" else "administrator", school)
    for g, grade in enumerate(band):
        for subject_at, subject in enumerate(SUBJECTS):
            add("courses.csv", sourcedId=f"course-{s}-{g}-{subject_at}", title=f"{subject} {grade}",
                schoolYearSourcedId="year-2027", courseCode=f"C{g}{subject_at}", grades=grade,
                orgSourcedId=school, subjects=subject)
    students = max(students_per_class * 4, 1)
    for k in range(students):
        _user(add, version, f"student-{s}-{k}", f"student{s}.{k}@students.{domain}",
              GIVEN[k % len(GIVEN)], FAMILY[(k + s) % len(FAMILY)], "student", school,
              grades=band[k % len(band)])
    for t in range(teachers):
        teacher = f"teacher-{s}-{t}"
        _user(add, version, teacher, f"teacher{s}.{t}@{domain}", GIVEN[(t + s) % len(GIVEN)],
              f"{FAMILY[t % len(FAMILY)]}{s}x{t}", "teacher", school)
        for c in range(classes_per_teacher):
            g = (t + c) % len(band)
            subject_at = (t * classes_per_teacher + c) % len(SUBJECTS)
            class_id = f"class-{s}-{t}-{c}"
            add("classes.csv", sourcedId=class_id,
                title=f"{SUBJECTS[subject_at]} {band[g]} ({t}.{c})", grades=band[g],
                courseSourcedId=f"course-{s}-{g}-{subject_at}", classCode=f"P{c + 1}",
                classType="scheduled", schoolSourcedId=school, termSourcedIds="term-2027-0",
                subjects=SUBJECTS[subject_at], periods=str(c + 1))
            add("enrollments.csv", sourcedId=f"enr-{class_id}-t", classSourcedId=class_id,
                schoolSourcedId=school, userSourcedId=teacher, role="teacher", primary="true",
                beginDate="2026-08-17", endDate="2027-06-11")
            for k in range(students_per_class):
                student = f"student-{s}-{(t * 7 + c * 3 + k) % students}"
                add("enrollments.csv", sourcedId=f"enr-{class_id}-{k}", classSourcedId=class_id,
                    schoolSourcedId=school, userSourcedId=student, role="student",
                    primary="false", beginDate="2026-08-17", endDate="2027-06-11")


def write_bundle(path: Path, files: dict[str, str | bytes]) -> Path:
    """Zip CSV files flat, as a OneRoster bundle."""
    path = Path(path)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def build_oneroster_bundle(path: Path, *, version: str = "1.2", schools: int = 250,
                           teachers_per_school: int = 60, **options) -> Path:
    """A valid bundle zip at `path`; the defaults are a district of 15,000 teachers."""
    return write_bundle(path, oneroster_files(version=version, schools=schools,
                                              teachers_per_school=teachers_per_school,
                                              **options))
