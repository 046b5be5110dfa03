"""Importing again: the same roster changes nothing; a newer one updates in place and
switches off (never deletes) who it no longer lists."""

import pytest

from bettertogether.directory.models import Membership, Person, PersonSession, Role
from bettertogether.rostering.models import ImportRun, RosterClass
from bettertogether.rostering.testing import oneroster_files
from bettertogether.testing import factories as f

from .support import edit, fixture_files, import_files, world_state

NO_CHANGES = {
    "schools": {"created": 0, "updated": 0},
    "people": {"created": 0, "updated": 0, "deactivated": 0, "reactivated": 0},
    "roles": {"granted": 0, "removed": 0},
    "profiles": {"updated": 0},
    "grades": {"created": 0},
    "subjects": {"created": 0},
    "classes": {"created": 0, "updated": 0, "removed": 0},
}


def _changes(run):
    return {key: run.summary[key] for key in NO_CHANGES}


@pytest.mark.parametrize("fixture", ["oneroster-1.1", "oneroster-1.2"])
def test_same_bundle_twice_changes_nothing(cast, tmp_path, fixture):
    import_files(tmp_path, cast.network, fixture_files(fixture), actor=cast.admin)
    before = world_state()

    run = import_files(tmp_path, cast.network, fixture_files(fixture), actor=cast.admin)

    assert _changes(run) == NO_CHANGES
    after = world_state()
    assert len(after.pop("activity")) == len(before.pop("activity")) + 1
    assert after == before


def test_generated_bundle_twice_changes_nothing(cast, tmp_path):
    files = oneroster_files(schools=3, teachers_per_school=5)
    first = import_files(tmp_path, cast.network, files, actor=cast.admin)
    assert first.summary["people"]["created"] == 3 * 5 + 3 + 1

    again = import_files(tmp_path, cast.network, files, actor=cast.admin)

    assert _changes(again) == NO_CHANGES


def test_plain_csv_twice_changes_nothing(cast, tmp_path):
    from bettertogether.rostering.plain_csv import TEMPLATE
    from bettertogether.rostering.services import roster_import

    path = tmp_path / "roster.csv"
    path.write_text(TEMPLATE, encoding="utf-8")
    roster_import(actor=cast.admin, network=cast.network, path=path, dry_run=False)

    run = roster_import(actor=cast.admin, network=cast.network, path=path, dry_run=False)

    assert _changes(run) == NO_CHANGES


def test_changed_bundle_updates_in_place(cast, tmp_path):
    files = fixture_files("oneroster-1.2")
    import_files(tmp_path, cast.network, files, actor=cast.admin)
    maria = Person.objects.get(source_id="usr-t1")
    files = edit(files, "users.csv", "Maria,Rivera,,T1,Maria.Rivera@maple.example",
                 "Maria,Rivera-Lopez,,T1,maria.lopez@maple.example")
    files = edit(files, "orgs.csv", "Riverbend Middle", "Riverbend Middle School")
    files = edit(files, "classes.csv", "3A Mathematics", "3A Maths")
    files = edit(files, "enrollments.csv", "enr-3,,,cls-3a-math,org-hill,usr-s2,student,false,,\n",
                 "")

    run = import_files(tmp_path, cast.network, files, actor=cast.admin)

    maria.refresh_from_db()
    assert (maria.full_name, maria.email) == ("Maria Rivera-Lopez", "maria.lopez@maple.example")
    assert run.summary["people"]["updated"] == 1
    assert run.summary["schools"] == {"created": 0, "updated": 1}
    math = RosterClass.objects.get(source_id="cls-3a-math")
    assert (math.title, math.student_count) == ("3A Maths", 1)
    assert run.summary["classes"] == {"created": 0, "updated": 1, "removed": 0}
    assert Person.objects.filter(source_id__startswith="usr-").count() == 5


def test_person_missing_from_a_complete_roster_is_switched_off_not_deleted(cast, tmp_path,
                                                                          client_for):
    files = fixture_files("oneroster-1.2")
    import_files(tmp_path, cast.network, files, actor=cast.admin)
    james = Person.objects.get(source_id="usr-t2")
    client_for(james)  # a signed-in session
    assert PersonSession.objects.filter(person_id=james.pk).exists()
    lines = files["users.csv"].splitlines(keepends=True)
    files = {**files, "users.csv": "".join(line for line in lines
                                           if not line.startswith("usr-t2,"))}
    files["roles.csv"] = "".join(line for line in files["roles.csv"].splitlines(keepends=True)
                                 if ",usr-t2," not in line)
    files["enrollments.csv"] = files["enrollments.csv"].replace(
        "enr-7,,,cls-7-sci,org-river,usr-t2,teacher,true,,\n", "")

    run = import_files(tmp_path, cast.network, files, actor=cast.admin)

    james.refresh_from_db()
    assert not james.is_active
    assert james.deactivated_at is not None
    assert not PersonSession.objects.filter(person_id=james.pk).exists()
    assert run.summary["people"]["deactivated"] == 1
    # His teacher roles at rostered schools go; the account stays.
    assert not Membership.objects.filter(person=james, role=Role.TEACHER).exists()
    assert run.summary["roles"]["removed"] == 2
    science = RosterClass.objects.get(source_id="cls-7-sci")
    assert science.teacher.source_id == "usr-t3"


def test_tobedeleted_switches_off_and_listing_again_switches_back_on(cast, tmp_path):
    files = fixture_files("oneroster-1.2")
    import_files(tmp_path, cast.network, files, actor=cast.admin)
    gone = edit(files, "users.csv", "usr-t3,active", "usr-t3,tobedeleted")

    off = import_files(tmp_path, cast.network, gone, actor=cast.admin)
    back = import_files(tmp_path, cast.network, files, actor=cast.admin)

    assert off.summary["people"]["deactivated"] == 1
    assert back.summary["people"]["reactivated"] == 1
    assert Person.objects.get(source_id="usr-t3").is_active


def test_disabled_user_is_switched_off(cast, tmp_path):
    files = edit(fixture_files("oneroster-1.1"), "users.csv", "usr-t1,,,true", "usr-t1,,,false")

    run = import_files(tmp_path, cast.network, files, actor=cast.admin)

    assert not Person.objects.get(source_id="usr-t1").is_active
    assert run.summary["people"]["created"] == 5


def test_people_added_by_hand_and_the_importer_are_never_switched_off(cast, tmp_path):
    cast.admin.source_id = "usr-old-admin"
    cast.admin.save(update_fields=["source_id"])

    run = import_files(tmp_path, cast.network, fixture_files("oneroster-1.2"), actor=cast.admin)

    assert run.summary["people"]["deactivated"] == 0
    assert Person.objects.filter(is_active=False).count() == 0


def test_removed_class_is_deleted_with_its_counts(cast, tmp_path):
    files = fixture_files("oneroster-1.1")
    import_files(tmp_path, cast.network, files, actor=cast.admin)
    files = edit(files, "classes.csv", "cls-3a-ela,,,", "cls-3a-ela,tobedeleted,,")

    run = import_files(tmp_path, cast.network, files, actor=cast.admin)

    assert run.summary["classes"]["removed"] == 1
    assert not RosterClass.objects.filter(source_id="cls-3a-ela").exists()


def test_delta_users_file_updates_only_who_it_lists(cast, tmp_path):
    import_files(tmp_path, cast.network, fixture_files("oneroster-1.1"), actor=cast.admin)
    manifest = ("propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n"
                "file.users,delta\nfile.orgs,absent\n")
    users = fixture_files("oneroster-1.1")["users.csv"].splitlines()
    delta = [users[0],
             "usr-t1,active,2026-09-01T08:00:00Z,true,org-hill,teacher,mrivera,,Maria,Rivera-Lopez,"
             ",T1,maria.rivera@maple.example,,,,,",
             "usr-t2,tobedeleted,2026-09-01T08:00:00Z,true,org-hill,teacher,jchen,,James,Chen,"
             ",T2,james.chen@maple.example,,,,,"]
    files = {"manifest.csv": manifest, "users.csv": "\n".join(delta) + "\n"}

    run = import_files(tmp_path, cast.network, files, actor=cast.admin)

    assert run.status == ImportRun.Status.DONE, run.problems
    assert Person.objects.get(source_id="usr-t1").full_name == "Maria Rivera-Lopez"
    assert not Person.objects.get(source_id="usr-t2").is_active
    assert Person.objects.get(source_id="usr-t3").is_active  # not listed: left alone
    assert run.summary["people"] == {"created": 0, "updated": 1, "deactivated": 1,
                                     "reactivated": 0}


def test_delta_needs_known_references(cast, tmp_path):
    manifest = ("propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n"
                "file.users,delta\nfile.orgs,absent\n")
    users = fixture_files("oneroster-1.1")["users.csv"].splitlines()
    files = {"manifest.csv": manifest, "users.csv": "\n".join([users[0], users[3]]) + "\n"}

    run = import_files(tmp_path, cast.network, files, actor=cast.admin)

    assert run.status == ImportRun.Status.FAILED
    assert [(p["line"], p["column"], p["message"]) for p in run.problems] == [
        (2, "orgSourcedIds", "org-hill is not a sourcedId in orgs.csv, nor in an earlier "
                             "import.")]


def test_delta_needs_a_status_on_the_lines_it_brings_in(cast, tmp_path):
    import_files(tmp_path, cast.network, fixture_files("oneroster-1.1"), actor=cast.admin)
    manifest = ("propertyName,value\nmanifest.version,1.0\noneroster.version,1.1\n"
                "file.users,delta\nfile.orgs,absent\n")
    users = fixture_files("oneroster-1.1")["users.csv"].splitlines()
    files = {"manifest.csv": manifest,
             "users.csv": "\n".join([users[0], users[3], users[8]]) + "\n"}

    run = import_files(tmp_path, cast.network, files, actor=cast.admin)

    # The student's line (4) has no status either, but a student is never brought in.
    assert run.status == ImportRun.Status.FAILED
    assert [(p["line"], p["column"], p["message"]) for p in run.problems] == [
        (2, "status", "status is required.")]


def test_two_roster_lines_for_one_person_are_refused(cast, tmp_path):
    maria = f.PersonFactory(email="maria.rivera@maple.example", source_id="usr-t2")
    f.MembershipFactory(person=maria, organisation=cast.school, role=Role.TEACHER)
    before = world_state()

    run = import_files(tmp_path, cast.network, fixture_files("oneroster-1.2"), actor=cast.admin)

    assert run.status == ImportRun.Status.FAILED
    assert world_state() == before
    assert "same person as on line" in run.problems[0]["message"]
