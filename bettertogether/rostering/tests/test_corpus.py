"""The corpus: one district written the way different student information systems write
it. Each style imports to the same people, roles and classes, says each quirk as a warning
with exact counts, explains everyone it leaves out, and takes a delta afterwards."""

import csv
import io

import pytest

from bettertogether.directory.models import Membership, Organisation, Person, Role
from bettertogether.rostering.corpus import STYLES, District, Style, sis_bundle, sis_delta
from bettertogether.rostering.models import ImportRun, RosterClass
from bettertogether.rostering.summary import summary_lines

from .support import import_files

# The default district: 2 schools, each with a principal, 3 teachers (a class each, of 3
# students), 6 students, a guardian, an aide, a counselor (1.2), a teacher whose role has
# ended (1.2), a teacher with no email address and one who has left; and a district admin.
BROUGHT_IN = 1 + 2 + 2 * 3
SKIPPED = {
    "1.1": {"student": 12, "guardian": 2, "aide": 2, "no_email": 2, "removed": 2},
    "1.2": {"student": 12, "guardian": 2, "aide": 2, "counselor": 2, "role_ended": 2,
            "no_email": 2, "removed": 2},
}
# (file, column, how many lines) for every warning of each style; the spreadsheet's
# header warnings are checked on their own.
WARNINGS = {
    "by-the-book-1.1": [("users.csv", "email", 2)],  # no address: not brought in
    "by-the-book-1.2": [("users.csv", "email", 2)],
    "shouting": [
        ("manifest.csv", "value", 7),  # Bulk, for each file sent
        ("users.csv", "enabledUser", 13),  # TRUE, on the lines of the staff read
        ("users.csv", "email", 2),
        ("users.csv", "status", 2),  # ToBeDeleted
        ("roles.csv", "role", 2),  # Principal
        ("roles.csv", "role", 12),  # Student
        ("roles.csv", "role", 12),  # Teacher: 6, and the former, address-less and leaving
        ("enrollments.csv", "role", 6),  # Teacher
        ("enrollments.csv", "primary", 6),  # TRUE
        ("enrollments.csv", "role", 18),  # Student
    ],
    "legacy": [
        ("users.csv", "orgSourcedIds", 1),  # the header's orgSourceIds
        ("users.csv", "role", 2),  # principal, a 1.2 word
        ("users.csv", "email", 2),
        ("users.csv", "status", 2),  # inactive
        ("enrollments.csv", "userSourcedId", 1),  # the header's userSourceId
    ],
    "spreadsheet": [
        ("manifest.csv", "", 0),  # courses.csv not mentioned: read as absent
        ("users.csv", "email", 2),
    ],
    "departmental": [
        ("orgs.csv", "type", 2),  # schools typed department
        ("users.csv", "orgSourcedIds", 1),
        ("users.csv", "email", 2),
        ("enrollments.csv", "userSourcedId", 1),
    ],
}


def _warnings(run) -> list[tuple]:
    return sorted((w["file"], w["column"], len(w["lines"]) + w["more"]) for w in run.warnings)


def _header_warnings(run, name) -> list[str]:
    return [w["message"].split(":")[0].split(";")[0] for w in run.warnings
            if w["file"] == name and w["lines"] == [1]]


@pytest.mark.parametrize("style", sorted(STYLES))
def test_each_style_imports_the_same_district(cast, tmp_path, style):
    version = STYLES[style].version

    run = import_files(tmp_path, cast.network, sis_bundle(style), actor=cast.admin)

    assert run.status == ImportRun.Status.DONE, run.problems
    assert run.kind == f"oneroster-{version}"
    assert run.summary["people"] == {"created": BROUGHT_IN, "updated": 0, "deactivated": 0,
                                     "reactivated": 0}
    assert run.summary["roles"] == {"granted": BROUGHT_IN, "removed": 0}
    assert run.summary["schools"] == {"created": 2, "updated": 0}
    assert run.summary["classes"] == {"created": 6, "updated": 0, "removed": 0}
    assert run.summary["students_counted"] == 18
    assert run.summary["skipped"] == SKIPPED[version]
    assert set(RosterClass.objects.values_list("student_count", flat=True)) == {3}
    assert Membership.objects.filter(network=cast.network, role=Role.TEACHER,
                                     person__source_id__startswith="teacher-").count() == 6


@pytest.mark.parametrize("style", sorted(STYLES))
def test_each_style_is_warned_about_exactly(cast, tmp_path, style):
    run = import_files(tmp_path, cast.network, sis_bundle(style), actor=cast.admin,
                       dry_run=True)

    if style == "spreadsheet":
        for name in ("orgs.csv", "classes.csv", "users.csv", "roles.csv", "enrollments.csv"):
            assert _header_warnings(run, name) == [
                "Column names were read whatever their case (OneRoster's are case-sensitive)",
                "Columns that are not OneRoster's were left aside",
                "The columns are not in the spec's order",
            ]
        run.warnings = [w for w in run.warnings if w["lines"] != [1]]
    assert _warnings(run) == sorted(WARNINGS[style])


@pytest.mark.parametrize("style", sorted(STYLES))
def test_each_style_imported_twice_changes_nothing(cast, tmp_path, style):
    import_files(tmp_path, cast.network, sis_bundle(style), actor=cast.admin)

    again = import_files(tmp_path, cast.network, sis_bundle(style), actor=cast.admin)

    assert again.status == ImportRun.Status.DONE, again.problems
    assert sum(again.summary["people"].values()) == 0
    assert again.summary["roles"] == {"granted": 0, "removed": 0}
    assert again.summary["classes"] == {"created": 0, "updated": 0, "removed": 0}
    # The leavers were never here, and are still not: said again, in the same words.
    assert again.summary["skipped"] == SKIPPED[STYLES[style].version]


@pytest.mark.parametrize("style", sorted(STYLES))
def test_each_style_takes_a_delta_afterwards(cast, tmp_path, style):
    import_files(tmp_path, cast.network, sis_bundle(style), actor=cast.admin)

    run = import_files(tmp_path, cast.network, sis_delta(style), actor=cast.admin,
                       name="delta.zip")

    assert run.status == ImportRun.Status.DONE, run.problems
    assert run.summary["people"] == {"created": 1, "updated": 1, "deactivated": 1,
                                     "reactivated": 0}
    assert run.summary["roles"] == {"granted": 1, "removed": 0}
    assert run.summary["classes"] == {"created": 1, "updated": 0, "removed": 0}
    assert run.summary["skipped"] == {}
    assert not Person.objects.get(source_id="teacher-0-0").is_active
    assert Person.objects.get(source_id="teacher-0-1").full_name == "James Married-Name"
    assert RosterClass.objects.get(source_id="class-0-new").teacher.source_id == "teacher-0-new"


def test_departments_of_schools_and_a_state_above_the_district(cast, tmp_path):
    district = District(departments=True, state=True)

    for style in ("by-the-book-1.2", "departmental"):
        run = import_files(tmp_path, cast.network, sis_bundle(style, district),
                           actor=cast.admin, name=f"{style}.zip")

        assert run.status == ImportRun.Status.DONE, run.problems
        assert sorted(Organisation.objects.filter(network=cast.network).exclude(
            source_id="").values_list("source_id", flat=True)) == ["school-0", "school-1"]
        # The first teacher of each school is placed in its science department.
        assert Membership.objects.get(person__source_id="teacher-1-0").organisation.source_id \
            == "school-1"


def _every_role_ended(files: dict) -> dict:
    rows = list(csv.reader(io.StringIO(files["roles.csv"].decode("utf-8"), newline="")))
    at = rows[0].index("endDate")
    for row in rows[1:]:
        row[at] = "2025-09-23"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return {**files, "roles.csv": out.getvalue().encode("utf-8")}


def test_bundle_whose_roles_have_all_ended_says_so(cast, tmp_path):
    files = _every_role_ended(sis_bundle("by-the-book-1.2"))

    run = import_files(tmp_path, cast.network, files, actor=cast.admin)

    assert run.status == ImportRun.Status.DONE, run.problems
    assert run.summary["people"]["created"] == 0
    # Staff whose roles ended: the admin, 2 principals, 6 teachers and the former, the
    # address-less and the leaving teacher of each school. Others keep their own reason.
    assert run.summary["skipped"] == {"role_ended": 15, "student": 12, "guardian": 2,
                                      "aide": 2, "counselor": 2}
    assert summary_lines(run.summary)[-1] == (
        "not brought in: 33 — 15 people whose roles have ended (their endDate has passed, or "
        "they are marked to be deleted), 12 students, 2 parents and guardians, 2 aides, "
        "2 counselors")


def test_a_bigger_district_in_a_quirky_style_counts_exactly(cast, tmp_path):
    district = District(schools=5, teachers_per_school=8, students_per_school=20,
                        students_per_class=6)
    style = Style(shouting=True, shuffled=True, quote_all=True, header_spellings=True)

    run = import_files(tmp_path, cast.network, sis_bundle(style, district), actor=cast.admin)

    assert run.status == ImportRun.Status.DONE, run.problems
    assert run.summary["people"]["created"] == 1 + 5 + 5 * 8
    assert run.summary["classes"]["created"] == 40
    assert run.summary["students_counted"] == 40 * 6
    assert run.summary["skipped"] == {"student": 100, "guardian": 5, "aide": 5,
                                      "counselor": 5, "role_ended": 5, "no_email": 5,
                                      "removed": 5}
