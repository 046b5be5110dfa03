"""Broken rosters: every problem is reported at once, with where it is, and nothing changes."""

import pytest

from bettertogether.rostering.models import ImportRun
from bettertogether.rostering.testing import oneroster_files

from .support import edit, fixture_files, import_files, problems_at, world_state


@pytest.fixture
def before(cast):
    return world_state()


def _failed(run, before):
    assert run.status == ImportRun.Status.FAILED
    assert run.summary == {}
    assert world_state() == before
    return run


def test_broken_bundle_reports_every_problem_with_file_line_and_column(cast, tmp_path, before):
    run = _failed(import_files(tmp_path, cast.network, fixture_files("oneroster-1.2-broken"),
                               actor=cast.admin), before)

    assert problems_at(run) == {
        ("academicSessions.csv", 3, "startDate"),
        ("classes.csv", 2, "classType"),
        ("classes.csv", 4, "termSourcedIds"),
        ("users.csv", 4, "enabledUser"),
        ("users.csv", 12, "sourcedId"),
        ("roles.csv", 4, "role"),
        ("enrollments.csv", 3, "userSourcedId"),
        ("enrollments.csv", 4, "role"),
    }
    assert run.problems_total == 8
    messages = {(p["file"], p["line"]): p["message"] for p in run.problems}
    assert messages[("academicSessions.csv", 3)] == (
        "startDate must be a date written YYYY-MM-DD (found “08/17/2026”).")
    assert messages[("classes.csv", 4)] == "fall-2099 is not a sourcedId in academicSessions.csv."
    assert messages[("users.csv", 12)] == (
        "sourcedId usr-t3 is already used on line 6; each must be unique in the file.")
    assert messages[("enrollments.csv", 4)] == "role is required."
    assert messages[("users.csv", 4)] == (
        "enabledUser must be true or false, in lower case (found “TRUE”).")


# (file, old text, new text, expected (file, line, column), words in the message)
CASES_12 = {
    "header-case": ("users.csv", "sourcedId,status,dateLastModified,enabledUser",
                    "sourcedid,status,dateLastModified,enabledUser", ("users.csv", 1, "sourcedId"),
                    "case-sensitive"),
    "header-order": ("orgs.csv", "name,type,identifier", "type,name,identifier",
                     ("orgs.csv", 1, "name"), "wrong place"),
    "header-missing-column": ("classes.csv", ",classCode,classType,", ",classType,",
                              ("classes.csv", 1, "classCode"), "missing the column"),
    "header-extra-column": ("roles.csv", "userProfileSourcedId\n", "userProfileSourcedId,notes\n",
                            ("roles.csv", 1, "notes"), "metadata."),
    "org-type": ("orgs.csv", "Riverbend Middle,school", "Riverbend Middle,campus",
                 ("orgs.csv", 4, "type"), "is not a type"),
    "org-parent": ("orgs.csv", "RM,org-district", "RM,org-nowhere",
                   ("orgs.csv", 4, "parentSourcedId"), "org-nowhere"),
    "session-year": ("academicSessions.csv", "2026-12-18,ay-2027,2027", "2026-12-18,ay-2027,27",
                     ("academicSessions.csv", 3, "schoolYear"), "four-digit"),
    "date-impossible": ("academicSessions.csv", "2027-01-05", "2027-02-30",
                        ("academicSessions.csv", 4, "startDate"), "YYYY-MM-DD"),
    "datetime": ("orgs.csv", "2026-07-01T12:00:00.000Z,Riverbend", "yesterday,Riverbend",
                 ("orgs.csv", 4, "dateLastModified"), "ISO 8601"),
    "required-title": ("courses.csv", "ay-2027,Grade 7 Science", "ay-2027,",
                       ("courses.csv", 4, "title"), "title is required"),
    "course-org": ("courses.csv", "07,org-river", "07,org-gone", ("courses.csv", 4,
                                                                 "orgSourcedId"), "org-gone"),
    "class-course": ("classes.csv", "07,crs-g7-sci", "07,crs-missing",
                     ("classes.csv", 4, "courseSourcedId"), "courses.csv"),
    "enrollment-class": ("enrollments.csv", "enr-8,,,cls-7-sci", "enr-8,,,cls-8-sci",
                         ("enrollments.csv", 9, "classSourcedId"), "cls-8-sci"),
    "enrollment-primary": ("enrollments.csv", "usr-s3,student,false", "usr-s3,student,no",
                           ("enrollments.csv", 9, "primary"), "true or false"),
    "role-type": ("roles.csv", "usr-t3,primary,teacher", "usr-t3,main,teacher",
                  ("roles.csv", 7, "roleType"), "primary, secondary"),
    "role-user": ("roles.csv", "rl-g1,active,2026-07-01T12:00:00Z,usr-g1",
                  "rl-g1,active,2026-07-01T12:00:00Z,usr-g9", ("roles.csv", 13, "userSourcedId"),
                  "usr-g9"),
    "short-row": ("enrollments.csv", "enr-5,,,cls-3a-ela,org-hill,usr-s1,student,false,,",
                  "enr-5,,,cls-3a-ela,org-hill,usr-s1,student", ("enrollments.csv", 6, ""),
                  "7 values; the header has 10"),
    "duplicate-id": ("courses.csv", "crs-g7-sci,", "crs-g3-ela,",
                     ("courses.csv", 4, "sourcedId"), "already used on line 3"),
    "email": ("users.csv", "james.chen@maple.example", "james.chen-at-maple",
              ("users.csv", 5, "email"), "not an email address"),
    "no-email": ("users.csv", "Chen,Wei,T2,james.chen@maple.example", "Chen,Wei,T2,",
                 ("users.csv", 5, "email"), "has no email address"),
    "same-email": ("users.csv", "james.chen@maple.example", "dana.okafor@maple.example",
                   ("users.csv", 5, "email"), "also the address on line 2"),
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
    "absent-but-present": ("manifest.csv", "file.demographics,bulk", "file.demographics,absent",
                           ("demographics.csv", None, ""), "says demographics.csv is absent"),
    "undeclared-file": ("manifest.csv", "file.demographics,bulk\n", "",
                        ("demographics.csv", None, ""), "does not list it"),
}


@pytest.mark.parametrize("case", sorted(CASES_12))
def test_broken_12_bundle_is_rejected_with_a_located_message(cast, tmp_path, before, case):
    file, old, new, place, words = CASES_12[case]
    files = edit(fixture_files("oneroster-1.2"), file, old, new)

    run = _failed(import_files(tmp_path, cast.network, files, actor=cast.admin), before)

    assert place in problems_at(run), run.problems
    assert any(words in p["message"] for p in run.problems), run.problems


CASES_11 = {
    "user-role": ("users.csv", "org-hill,aide", "org-hill,helper", ("users.csv", 7, "role"),
                  "administrator, aide, guardian"),
    "user-orgs": ("users.csv", '"org-hill,org-river"', '"org-hill,org-lake"',
                  ("users.csv", 5, "orgSourcedIds"), "org-lake"),
    "user-orgs-required": ("users.csv", "true,org-district,administrator",
                           "true,,administrator", ("users.csv", 2, "orgSourcedIds"),
                           "orgSourcedIds is required"),
    "agents": ("users.csv", "S1,,,,usr-g1,03", "S1,,,,usr-g2,03",
               ("users.csv", 8, "agentSourcedIds"), "usr-g2"),
    "roles-file-in-11": ("manifest.csv", "source.systemCode,EXSIS", "file.roles,bulk",
                         ("manifest.csv", 18, "propertyName"), "not a OneRoster 1.1"),
}


@pytest.mark.parametrize("case", sorted(CASES_11))
def test_broken_11_bundle_is_rejected_with_a_located_message(cast, tmp_path, before, case):
    file, old, new, place, words = CASES_11[case]
    files = edit(fixture_files("oneroster-1.1"), file, old, new)

    run = _failed(import_files(tmp_path, cast.network, files, actor=cast.admin), before)

    assert place in problems_at(run), run.problems
    assert any(words in p["message"] for p in run.problems), run.problems


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


def test_utf8_with_byte_order_mark_is_fine(cast, tmp_path):
    files = fixture_files("oneroster-1.1")
    files = {name: "\ufeff" + text for name, text in files.items()}

    run = import_files(tmp_path, cast.network, files, actor=cast.admin)

    assert run.status == ImportRun.Status.DONE, run.problems


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


def test_extension_enumeration_values_are_accepted(cast, tmp_path):
    files = edit(fixture_files("oneroster-1.2"), "classes.csv", "3A-E,scheduled",
                 "3A-E,ext:advisory")

    run = import_files(tmp_path, cast.network, files, actor=cast.admin)

    assert run.status == ImportRun.Status.DONE, run.problems


def test_problems_beyond_the_kept_number_are_counted(cast, tmp_path, before, monkeypatch):
    monkeypatch.setattr("bettertogether.rostering.problems.PROBLEMS_KEPT", 3)
    files = oneroster_files(version="1.1", schools=1, teachers_per_school=6)
    files["users.csv"] = files["users.csv"].replace(",teacher,", ",teacherx,")

    run = _failed(import_files(tmp_path, cast.network, files), before)

    assert run.problems_total == 6
    assert len(run.problems) == 3


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
    ("name,email,role,school,notes", "Not ours: notes"),
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
