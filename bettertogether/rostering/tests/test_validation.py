"""Broken rosters: every problem is reported at once, with where it is, and nothing changes.
Quirks of real exports whose meaning is plain are read as meant and said as warnings;
what an import does not use is not judged at all."""

import pytest

from bettertogether.rostering.models import ImportRun
from bettertogether.rostering.testing import oneroster_files

from .support import edit, fixture_files, import_files, problems_at, reshape, world_state


@pytest.fixture
def before(cast):
    return world_state()


def _failed(run, before):
    assert run.status == ImportRun.Status.FAILED
    assert run.summary == {}
    assert world_state() == before
    return run


def _warned_at(run) -> set[tuple]:
    """The run's warnings as (file, first line or None, column) places."""
    return {(w["file"], (w["lines"] or [None])[0], w["column"]) for w in run.warnings}


def test_broken_bundle_reports_every_problem_with_file_line_and_column(cast, tmp_path, before):
    run = _failed(import_files(tmp_path, cast.network, fixture_files("oneroster-1.2-broken"),
                               actor=cast.admin), before)

    assert problems_at(run) == {
        ("classes.csv", 2, "schoolSourcedId"),
        ("users.csv", 5, "email"),
        ("users.csv", 12, "sourcedId"),
        ("roles.csv", 9, "role"),
        ("enrollments.csv", 3, "userSourcedId"),
        ("enrollments.csv", 4, "role"),
    }
    assert run.problems_total == 6
    messages = {(p["file"], p["line"]): p["message"] for p in run.problems}
    assert messages == {
        ("classes.csv", 2): "org-nowhere is not a sourcedId in orgs.csv.",
        ("users.csv", 5): "“james.chen-at-maple” is not an email address.",
        ("users.csv", 12): "sourcedId usr-t3 is already used on line 6; each must be unique "
                           "in the file.",
        ("roles.csv", 9): "“tutor” is not a role; use one of: aide, counselor, "
                          "districtAdministrator, guardian, parent, principal, proctor, "
                          "relative, siteAdministrator, student, systemAdministrator, teacher.",
        ("enrollments.csv", 3): "usr-nobody is not a sourcedId in users.csv.",
        ("enrollments.csv", 4): "role is required.",
    }
    # Read as meant, and said; the session's date and the class's term and type, which an
    # import does not use, are not judged at all.
    assert _warned_at(run) == {("users.csv", 4, "enabledUser"), ("roles.csv", 4, "role"),
                               ("users.csv", 6, "email")}


# (file, old text, new text, expected (file, line, column), words in the message)
REFUSED_12 = {
    "org-type": ("orgs.csv", "Riverbend Middle,school", "Riverbend Middle,campus",
                 ("orgs.csv", 4, "type"), "is not a type"),
    "org-status": ("orgs.csv", "org-river,active", "org-river,archived",
                   ("orgs.csv", 4, "status"), "is not a status"),
    "class-school": ("classes.csv", "Lab 2,org-river", "Lab 2,org-gone",
                     ("classes.csv", 4, "schoolSourcedId"), "org-gone is not a sourcedId"),
    "class-school-column": ("classes.csv", ",schoolSourcedId,", ",school,",
                            ("classes.csv", 1, "schoolSourcedId"), "no column schoolSourcedId"),
    "enrollment-class": ("enrollments.csv", "enr-8,,,cls-7-sci", "enr-8,,,cls-8-sci",
                         ("enrollments.csv", 9, "classSourcedId"), "cls-8-sci"),
    "enrollment-primary": ("enrollments.csv", "usr-t2,teacher,true", "usr-t2,teacher,maybe",
                           ("enrollments.csv", 8, "primary"), "true or false"),
    "role-user": ("roles.csv", "rl-g1,active,2026-07-01T12:00:00Z,usr-g1",
                  "rl-g1,active,2026-07-01T12:00:00Z,usr-g9", ("roles.csv", 13, "userSourcedId"),
                  "usr-g9 is not a sourcedId in users.csv"),
    "role-org": ("roles.csv", "usr-t1,primary,teacher,,,org-hill", "usr-t1,primary,teacher,,,"
                 "org-hil", ("roles.csv", 4, "orgSourcedId"), "org-hil is not a sourcedId"),
    "role-end-date": ("roles.csv", "2019-08-01,2020-06-30", "2019-08-01,06/30/2020",
                      ("roles.csv", 8, "endDate"), "YYYY-MM-DD"),
    "short-row": ("enrollments.csv", "enr-5,,,cls-3a-ela,org-hill,usr-s1,student,false,,",
                  "enr-5,,,cls-3a-ela,org-hill,usr-s1,student", ("enrollments.csv", 6, ""),
                  "7 values; the header has 10"),
    "duplicate-id": ("courses.csv", "crs-g7-sci,", "crs-g3-ela,",
                     ("courses.csv", 4, "sourcedId"), "already used on line 3"),
    "email": ("users.csv", "james.chen@maple.example", "james.chen-at-maple",
              ("users.csv", 5, "email"), "not an email address"),
    "same-email": ("users.csv", "james.chen@maple.example", "dana.okafor@maple.example",
                   ("users.csv", 5, "email"), "also the address on line 2"),
    "no-name": ("users.csv", "James,Chen,Wei", ",,Wei", ("users.csv", 5, "givenName"),
                "has no name"),
    "class-at-district": ("classes.csv", "Lab 2,org-river", "Lab 2,org-district",
                          ("classes.csv", 4, "schoolSourcedId"), "is not a school"),
    "two-districts": ("orgs.csv", "Riverbend Middle,school", "Riverbend Middle,district",
                      ("orgs.csv", 4, "type"), "2 districts"),
    "manifest-version": ("manifest.csv", "oneroster.version,1.2", "oneroster.version,2.0",
                         ("manifest.csv", 3, "value"), "1.1 or 1.2"),
    "manifest-mode": ("manifest.csv", "file.courses,bulk", "file.courses,full",
                      ("manifest.csv", 8, "value"), "bulk, delta or absent"),
    "manifest-property": ("manifest.csv", "source.systemCode,EXSIS", "file.grades,bulk",
                          ("manifest.csv", 26, "propertyName"), "not a OneRoster 1.2"),
    "unlisted-file-we-read": ("manifest.csv", "file.enrollments,bulk\n", "",
                              ("enrollments.csv", None, ""), "does not list it"),
    "invalid-csv": ("users.csv", "Maria,Rivera,,T1", 'Maria,"Rivera"x,,T1',
                    ("users.csv", 4, ""), "not valid CSV"),
}


@pytest.mark.parametrize("case", sorted(REFUSED_12))
def test_broken_12_bundle_is_rejected_with_a_located_message(cast, tmp_path, before, case):
    file, old, new, place, words = REFUSED_12[case]
    files = edit(fixture_files("oneroster-1.2"), file, old, new)

    run = _failed(import_files(tmp_path, cast.network, files, actor=cast.admin), before)

    assert place in problems_at(run), run.problems
    assert any(words in p["message"] for p in run.problems), run.problems


REFUSED_11 = {
    "user-role": ("users.csv", "org-hill,aide", "org-hill,helper", ("users.csv", 7, "role"),
                  "administrator, aide, guardian"),
    "user-orgs": ("users.csv", '"org-hill,org-river"', '"org-hill,org-lake"',
                  ("users.csv", 5, "orgSourcedIds"), "org-lake"),
    "user-orgs-required": ("users.csv", "true,org-district,administrator",
                           "true,,administrator", ("users.csv", 2, "orgSourcedIds"),
                           "orgSourcedIds is required"),
    "roles-file-in-11": ("manifest.csv", "source.systemCode,EXSIS", "file.roles,bulk",
                         ("manifest.csv", 18, "propertyName"), "not a OneRoster 1.1"),
}


@pytest.mark.parametrize("case", sorted(REFUSED_11))
def test_broken_11_bundle_is_rejected_with_a_located_message(cast, tmp_path, before, case):
    file, old, new, place, words = REFUSED_11[case]
    files = edit(fixture_files("oneroster-1.1"), file, old, new)

    run = _failed(import_files(tmp_path, cast.network, files, actor=cast.admin), before)

    assert place in problems_at(run), run.problems
    assert any(words in p["message"] for p in run.problems), run.problems


# Read as meant: (file, old, new, the warning's (file, first line, column), its words)
LENIENT_12 = {
    "boolean-case": ("users.csv", "usr-t2,active,2026-07-01T12:00:00Z,true",
                     "usr-t2,active,2026-07-01T12:00:00Z,TRUE",
                     ("users.csv", 5, "enabledUser"), "“TRUE” was read as true."),
    "boolean-yes": ("enrollments.csv", "usr-t2,teacher,true", "usr-t2,teacher,Yes",
                    ("enrollments.csv", 8, "primary"), "“Yes” was read as true."),
    "enum-case": ("roles.csv", "usr-t1,primary,teacher", "usr-t1,primary,Teacher",
                  ("roles.csv", 4, "role"), "“Teacher” was read as teacher."),
    "status-inactive": ("orgs.csv", "org-river,active", "org-river,inactive",
                        ("orgs.csv", 4, "status"), "it was read as tobedeleted"),
    "role-of-11-in-12": ("roles.csv", "usr-admin,primary,districtAdministrator",
                         "usr-admin,primary,administrator", ("roles.csv", 2, "role"),
                         "not a OneRoster 1.2 value; it was read as administrator"),
    "end-date-and-time": ("roles.csv", "2019-08-01,2020-06-30", "2019-08-01,2020-06-30T00:00Z",
                          ("roles.csv", 8, "endDate"), "read as the date 2020-06-30"),
    "header-case": ("users.csv", "sourcedId,status,dateLastModified,enabledUser",
                    "SourcedID,status,dateLastModified,enabledUser",
                    ("users.csv", 1, ""), "read whatever their case (OneRoster's are "
                                          "case-sensitive): SourcedID."),
    "header-misspelling": ("roles.csv", "dateLastModified,userSourcedId,roleType",
                           "dateLastModified,userSourceId,roleType",
                           ("roles.csv", 1, "userSourcedId"), "a spelling some exports use"),
    "preferred-misspelling": ("users.csv", "preferredGivenName", "prefferedGivenName",
                              ("users.csv", 1, "preferredGivenName"), "“prefferedGivenName”"),
    "org-parent": ("orgs.csv", "RM,org-district", "RM,org-nowhere",
                   ("orgs.csv", 4, "parentSourcedId"), "org-nowhere"),
    "class-course": ("classes.csv", "07,crs-g7-sci", "07,crs-missing",
                     ("classes.csv", 4, "courseSourcedId"), "(such as crs-missing)"),
    "absent-but-present": ("manifest.csv", "file.demographics,bulk", "file.demographics,absent",
                           ("demographics.csv", None, ""), "says demographics.csv is absent"),
    "undeclared-file": ("manifest.csv", "file.demographics,bulk\n", "",
                        ("demographics.csv", None, ""), "does not list it; it was not read"),
    "mode-case": ("manifest.csv", "file.users,bulk", "file.users,Bulk",
                  ("manifest.csv", 24, "value"), "“Bulk” read as bulk"),
    "empty-mode": ("manifest.csv", "file.scoreScales,absent", "file.scoreScales,",
                   ("manifest.csv", 21, "value"), "read as absent"),
    "no-email": ("users.csv", "Chen,Wei,T2,james.chen@maple.example", "Chen,Wei,T2,",
                 ("users.csv", 5, "email"), "No email address (in email, or an address"),
}


@pytest.mark.parametrize("case", sorted(LENIENT_12))
def test_quirk_of_real_exports_is_read_as_meant_and_said(cast, tmp_path, case):
    file, old, new, place, words = LENIENT_12[case]
    files = edit(fixture_files("oneroster-1.2"), file, old, new)

    run = import_files(tmp_path, cast.network, files, actor=cast.admin)

    assert run.status == ImportRun.Status.DONE, run.problems
    assert place in _warned_at(run), run.warnings
    assert any(words in w["message"] for w in run.warnings), run.warnings


def _swap(first, second):
    def change(cells):
        cells[first], cells[second] = cells[second], cells[first]
        return cells
    return change


# Whole columns moved, added or left out, as a spreadsheet does: (file, change, warning's
# (file, line, column), its words)
COLUMNS_12 = {
    "header-order": ("orgs.csv", _swap(3, 4), ("orgs.csv", 1, ""), "read by their names"),
    "header-extra-column": ("roles.csv", lambda cells: [*cells, "notes" if cells[0] ==
                                                        "sourcedId" else "x"],
                            ("roles.csv", 1, ""), "left aside: notes"),
    "header-missing-column": ("classes.csv", lambda cells: cells[:6] + cells[7:],
                              ("classes.csv", 1, ""), "no classCode; read as empty"),
    "header-empty-trailing-columns": ("roles.csv", lambda cells: (
        [*cells, "", ""] if cells[0] == "sourcedId" else cells), None, ""),
}


@pytest.mark.parametrize("case", sorted(COLUMNS_12))
def test_columns_moved_added_or_left_out_are_read_by_name(cast, tmp_path, case):
    file, change, place, words = COLUMNS_12[case]
    files = reshape(fixture_files("oneroster-1.2"), file, change)

    run = import_files(tmp_path, cast.network, files, actor=cast.admin)

    assert run.status == ImportRun.Status.DONE, run.problems
    assert run.summary["people"]["created"] == 5
    if place is not None:
        assert place in _warned_at(run), run.warnings
        assert any(words in w["message"] for w in run.warnings), run.warnings


# What an import does not use is never judged: no problem, no warning.
IGNORED_12 = {
    "session-year": ("academicSessions.csv", "2026-12-18,ay-2027,2027",
                     "2026-12-18,ay-2027,27"),
    "session-date": ("academicSessions.csv", "2027-01-05", "2027-02-30"),
    "last-modified": ("orgs.csv", "2026-07-01T12:00:00.000Z,Riverbend", "yesterday,Riverbend"),
    "course-title": ("courses.csv", "ay-2027,Grade 7 Science", "ay-2027,"),
    "course-org": ("courses.csv", "07,org-river", "07,org-gone"),
    "class-type": ("classes.csv", "3A-E,scheduled", "3A-E,lecture"),
    "class-term": ("classes.csv", "Lab 2,org-river,fall-2026", "Lab 2,org-river,fall-2099"),
    "role-type": ("roles.csv", "usr-t3,primary,teacher", "usr-t3,main,teacher"),
    "student-email": ("users.csv", "S2,,,,,03", "S2,not-an-address,,,,03"),
    "unused-header-misspelt": ("roles.csv", "sourcedId,status,dateLastModified,userSourcedId",
                               "sourcedId,status,dataLastModified,userSourcedId"),
}


@pytest.mark.parametrize("case", sorted(IGNORED_12))
def test_what_an_import_does_not_use_is_not_judged(cast, tmp_path, case):
    file, old, new = IGNORED_12[case]
    clean = import_files(tmp_path, cast.network, fixture_files("oneroster-1.2"),
                         dry_run=True, name="clean.zip")
    files = edit(fixture_files("oneroster-1.2"), file, old, new)

    run = import_files(tmp_path, cast.network, files, actor=cast.admin, dry_run=True)

    assert run.status == ImportRun.Status.DONE, run.problems
    assert run.warnings == clean.warnings


def test_agents_are_not_judged_in_a_11_bundle(cast, tmp_path):
    files = edit(fixture_files("oneroster-1.1"), "users.csv", "S1,,,,usr-g1,03",
                 "S1,,,,usr-g2,03")

    run = import_files(tmp_path, cast.network, files, actor=cast.admin)

    assert run.status == ImportRun.Status.DONE, run.problems


def test_clean_fixture_is_read_with_one_warning_for_the_username_used_as_email(cast, tmp_path):
    run = import_files(tmp_path, cast.network, fixture_files("oneroster-1.2"), actor=cast.admin)

    assert run.warnings == [{
        "file": "users.csv", "column": "email", "lines": [6], "more": 0,
        "message": "No email address; the username, which is one, was used.",
    }]


def test_missing_manifest(cast, tmp_path, before):
    files = fixture_files("oneroster-1.2")
    del files["manifest.csv"]

    run = _failed(import_files(tmp_path, cast.network, files), before)

    assert run.problems[0]["message"].startswith("The zip has no manifest.csv")


def test_declared_file_missing_from_the_zip(cast, tmp_path, before):
    files = fixture_files("oneroster-1.2")
    del files["enrollments.csv"]

    run = _failed(import_files(tmp_path, cast.network, files), before)

    assert problems_at(run) == {("enrollments.csv", None, "")}
    assert "does not hold it" in run.problems[0]["message"]


def test_12_bundle_without_roles(cast, tmp_path, before):
    files = edit(fixture_files("oneroster-1.2"), "manifest.csv", "file.roles,bulk",
                 "file.roles,absent")
    del files["roles.csv"]

    run = _failed(import_files(tmp_path, cast.network, files), before)

    assert problems_at(run) == {("roles.csv", None, "")}


def test_users_file_in_the_wrong_encoding_is_named(cast, tmp_path, before):
    files = edit(fixture_files("oneroster-1.1"), "users.csv", "Gia,Guardian", "Gía,Guardián")
    files["users.csv"] = files["users.csv"].encode("latin-1")

    run = _failed(import_files(tmp_path, cast.network, files), before)

    assert problems_at(run) == {("users.csv", 11, "")}
    assert run.problems[0]["message"].startswith("users.csv is not UTF-8 text")


def test_utf8_with_byte_order_mark_and_any_line_ending_is_fine(cast, tmp_path):
    files = fixture_files("oneroster-1.1")
    files = {name: "\ufeff" + text.replace("\n", "\r") if name == "users.csv"
             else "\ufeff" + text for name, text in files.items()}

    run = import_files(tmp_path, cast.network, files, actor=cast.admin)

    assert run.status == ImportRun.Status.DONE, run.problems
    assert run.summary["people"]["created"] == 5


def test_metadata_columns_and_the_shorter_12_users_header_are_accepted(cast, tmp_path):
    files = oneroster_files(version="1.2", schools=1, teachers_per_school=2)
    users = [line.split(",") for line in files["users.csv"].split("\r\n") if line]
    at = users[0].index("resourceSourcedIds")
    users = [row[:at] + row[at + 1:] for row in users]
    files["users.csv"] = "\r\n".join(",".join(row) for row in users) + "\r\n"
    files = edit(files, "orgs.csv", "parentSourcedId\r\n", "parentSourcedId,metadata.region\r\n")
    files["orgs.csv"] = files["orgs.csv"].replace("\r\n", ",north\r\n").replace(
        "metadata.region,north", "metadata.region")

    run = import_files(tmp_path, cast.network, files, actor=cast.admin)

    assert run.status == ImportRun.Status.DONE, run.problems
    assert run.warnings == []


def test_extension_enumeration_values_are_accepted(cast, tmp_path):
    files = edit(fixture_files("oneroster-1.2"), "roles.csv", "usr-couns,primary,counselor",
                 "usr-couns,primary,ext:librarian")

    run = import_files(tmp_path, cast.network, files, actor=cast.admin)

    assert run.status == ImportRun.Status.DONE, run.problems
    assert run.summary["skipped"] == {"guardian": 1, "other_role": 1, "student": 3}


def test_problems_beyond_the_kept_number_are_counted(cast, tmp_path, before, monkeypatch):
    monkeypatch.setattr("bettertogether.rostering.problems.PROBLEMS_KEPT", 3)
    files = oneroster_files(version="1.1", schools=1, teachers_per_school=6)
    files["users.csv"] = files["users.csv"].replace(",teacher,", ",teacherx,")

    run = _failed(import_files(tmp_path, cast.network, files), before)

    assert run.problems_total == 6
    assert len(run.problems) == 3
    assert run.problems[-1]["more"] == 3


def test_many_problems_of_one_kind_are_listed_twenty_times_and_counted(cast, tmp_path, before):
    files = oneroster_files(version="1.1", schools=1, teachers_per_school=30)
    files["users.csv"] = files["users.csv"].replace(",teacher,", ",teacherx,")
    files["users.csv"] = files["users.csv"].replace("@district.example", "-at-district")

    run = _failed(import_files(tmp_path, cast.network, files), before)

    assert run.problems_total == 30 + 1 + 1  # each teacher's role; the admin's, the principal's
    kinds = [(p["column"], p.get("more", 0)) for p in run.problems]
    assert kinds.count(("role", 0)) == 19
    assert ("role", 10) in kinds  # the twentieth place carries "and 10 more like this"
    assert [p["line"] for p in run.problems if p["column"] == "email"] == [2, 3]


def test_every_file_is_checked_in_the_same_pass(cast, tmp_path, before):
    files = fixture_files("oneroster-1.2")
    files = edit(files, "orgs.csv", "Riverbend Middle,school", "Riverbend Middle,campus")
    files = edit(files, "users.csv", "james.chen@maple.example", "james.chen-at-maple")
    files = edit(files, "roles.csv", "usr-t1,primary,teacher", "usr-t1,primary,tutor")
    files = edit(files, "enrollments.csv", "enr-8,,,cls-7-sci", "enr-8,,,cls-8-sci")
    files = edit(files, "manifest.csv", "file.results,absent", "file.results,sometimes")

    run = _failed(import_files(tmp_path, cast.network, files), before)

    assert problems_at(run) == {("manifest.csv", 18, "value"), ("orgs.csv", 4, "type"),
                                ("roles.csv", 4, "role"), ("users.csv", 5, "email"),
                                ("enrollments.csv", 9, "classSourcedId")}


def test_district_of_another_roster_is_refused(cast, tmp_path, before):
    cast.network.source_id = "org-other-district"
    cast.network.save(update_fields=["source_id"])
    before = world_state()

    run = _failed(import_files(tmp_path, cast.network, fixture_files("oneroster-1.2")), before)

    assert "Check that you chose the right file" in run.problems[0]["message"]


def test_plain_csv_problems_are_all_listed(cast, tmp_path, before):
    path = tmp_path / "roster.csv"
    path.write_text("name,email,role,school,grades,subjects\n"
                    "Ana Diaz,ana@example.org,teacher,Oak Primary,3,\n"
                    "Al Ray,al@example.org,teacher,,,\n"
                    ",bob@example.org,coach,Lincoln Elementary,,\n"
                    "Cy Ng,cy-at-example,teacher,Lincoln Elementary,,\n"
                    "Di Ho,di@example.org,janitor,Lincoln Elementary,,\n"
                    "Ana Dias,ana@example.org,coach,Lincoln Elementary,,\n", encoding="utf-8")
    from bettertogether.rostering.services import roster_import

    run = _failed(roster_import(actor=cast.admin, network=cast.network, path=path,
                                dry_run=False), before)

    assert problems_at(run) == {("roster.csv", 3, "school"), ("roster.csv", 4, "name"),
                                ("roster.csv", 5, "email"), ("roster.csv", 6, "role"),
                                ("roster.csv", 7, "name")}


@pytest.mark.parametrize(("header", "words"), [
    ("name,email,school", "Missing: role"),
    ("name,email,role,school,Email", "Twice: Email"),
    ("", "The file is empty"),
])
def test_plain_csv_with_the_wrong_header(cast, tmp_path, before, header, words):
    path = tmp_path / "roster.csv"
    path.write_text(header + ("\nAna,ana@example.org,teacher,Oak\n" if header else ""),
                    encoding="utf-8")
    from bettertogether.rostering.services import roster_import

    run = _failed(roster_import(actor=cast.admin, network=cast.network, path=path,
                                dry_run=False), before)

    assert words in run.problems[0]["message"]


def test_plain_csv_as_a_spreadsheet_saves_it_is_read_with_warnings(cast, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text("\ufeffFirst Name,Last Name,E-mail,Role,School Name,Year group,Notes,,\r\n"
                    "Ana,Diaz,Ana@Example.org,Teacher,Oak Primary,3,new this year,,\r\n"
                    "Jo,Park,jo@example.org,Literacy Coach,Oak Primary,,,,\r\n", encoding="utf-8")
    from bettertogether.rostering.services import roster_import

    run = roster_import(actor=cast.admin, network=cast.network, path=path, dry_run=False)

    assert run.status == ImportRun.Status.DONE, run.problems
    assert run.summary["people"]["created"] == 2
    assert [(w["column"], w["message"]) for w in run.warnings] == [
        ("email", "The column “E-mail” was read as email."),
        ("school", "The column “School Name” was read as school."),
        ("grades", "The column “Year group” was read as grades."),
        ("name", "Names were put together from the first and last name columns."),
        ("", "Columns we do not read were left aside: Notes."),
        ("role", "“Literacy Coach” was read as coach."),
    ]
