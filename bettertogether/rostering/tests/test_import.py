"""Importing clean rosters: what each OneRoster version and the plain CSV bring in."""

import pytest

from bettertogether.activity.models import ActivityEntry
from bettertogether.directory.models import Membership, Organisation, Person, Role
from bettertogether.rostering.models import ImportRun, RosterClass
from bettertogether.rostering.plain_csv import TEMPLATE
from bettertogether.rostering.services import roster_import
from bettertogether.testing import factories as f

from .support import fixture_files, import_fixture, world_state


def _roles(email):
    return sorted(
        (m.role, m.organisation.name)
        for m in Membership.objects.filter(person__email=email).select_related("organisation")
    )


def _profile(email):
    profile = Person.objects.get(email=email).profile
    return (sorted(g.name for g in profile.grades.all()),
            sorted(s.name for s in profile.subjects.all()))


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_oneroster_bundle_brings_in_schools_staff_and_classes(cast, tmp_path, version):
    run = import_fixture(tmp_path, cast.network, f"oneroster-{version}", actor=cast.admin)

    assert run.status == ImportRun.Status.DONE, run.problems
    assert run.kind == f"oneroster-{version}"
    cast.network.refresh_from_db()
    assert cast.network.source_id == "org-district"
    schools = Organisation.objects.filter(network=cast.network).exclude(source_id="")
    assert sorted(schools.values_list("source_id", "name")) == [
        ("org-hill", "Hillcrest Elementary"), ("org-river", "Riverbend Middle")]
    assert _roles("dana.okafor@maple.example") == [("network_admin", "Riverside")]
    assert _roles("priya.nguyen@maple.example") == [("school_leader", "Hillcrest Elementary")]
    assert _roles("maria.rivera@maple.example") == [("teacher", "Hillcrest Elementary")]
    assert _roles("james.chen@maple.example") == [
        ("teacher", "Hillcrest Elementary"), ("teacher", "Riverbend Middle")]
    # The username is the address when the email column is empty.
    assert Person.objects.filter(email="aisha.kim@maple.example", source_id="usr-t3").exists()


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_students_guardians_and_aides_are_never_people(cast, tmp_path, version):
    run = import_fixture(tmp_path, cast.network, f"oneroster-{version}", actor=cast.admin)

    assert not Person.objects.filter(full_name__in=["Ava Student", "Ben Student", "Cal Student",
                                                    "Gia Guardian", "Sam Aide", "Chris Brown"])
    skipped = {"1.1": {"aide": 1, "guardian": 1, "student": 3},
               "1.2": {"counselor": 1, "guardian": 1, "student": 3}}[version]
    assert run.summary["skipped"] == skipped
    assert run.summary["students_counted"] == 4


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_classes_keep_counts_grades_and_subjects_never_names(cast, tmp_path, version):
    import_fixture(tmp_path, cast.network, f"oneroster-{version}", actor=cast.admin)

    classes = {
        c.source_id: (c.title, c.school.source_id, c.teacher.email, c.subject, c.grades,
                      c.student_count)
        for c in RosterClass.objects.select_related("school", "teacher")
    }
    assert classes == {
        "cls-3a-math": ("3A Mathematics", "org-hill", "maria.rivera@maple.example",
                        "Mathematics", ["03"], 2),
        # No grades or subjects of its own: the course's.
        "cls-3a-ela": ("3A English", "org-hill", "maria.rivera@maple.example",
                       "English Language Arts", ["03"], 1),
        # The primary teacher, though listed second.
        "cls-7-sci": ("Science 7", "org-river", "james.chen@maple.example", "Science", ["07"],
                      1),
    }


@pytest.mark.parametrize("version", ["1.1", "1.2"])
def test_teachers_profiles_get_their_classes_grades_and_subjects(cast, tmp_path, version):
    import_fixture(tmp_path, cast.network, f"oneroster-{version}", actor=cast.admin)

    assert _profile("maria.rivera@maple.example") == (
        ["Grade 3"], ["English Language Arts", "Mathematics"])
    assert _profile("james.chen@maple.example") == (["Grade 7"], ["Science"])
    assert _profile("aisha.kim@maple.example") == (["Grade 7"], ["Science"])
    assert _profile("priya.nguyen@maple.example") == ([], [])


def test_grades_match_the_networks_list_by_code_or_name(cast, tmp_path):
    grade3 = f.GradeLevelFactory(network=cast.network, code="3", name="Third grade")
    maths = f.SubjectFactory(network=cast.network, name="mathematics")

    run = import_fixture(tmp_path, cast.network, "oneroster-1.2", actor=cast.admin)

    profile = Person.objects.get(email="maria.rivera@maple.example").profile
    assert grade3 in profile.grades.all()
    assert maths in profile.subjects.all()
    assert run.summary["grades"] == {"created": 1}  # Grade 7 only
    assert run.summary["subjects"] == {"created": 2}  # English Language Arts, Science


def test_role_that_has_ended_is_ignored(cast, tmp_path):
    import_fixture(tmp_path, cast.network, "oneroster-1.2", actor=cast.admin)

    assert _roles("aisha.kim@maple.example") == [("teacher", "Riverbend Middle")]


def test_preferred_name_comes_from_a_12_bundle(cast, tmp_path):
    import_fixture(tmp_path, cast.network, "oneroster-1.2", actor=cast.admin)

    person = Person.objects.get(email="maria.rivera@maple.example")
    assert (person.full_name, person.preferred_name) == ("Maria Rivera", "Mari")


def test_imported_people_cannot_sign_in_until_they_set_a_password(cast, tmp_path):
    import_fixture(tmp_path, cast.network, "oneroster-1.2", actor=cast.admin)

    people = Person.objects.filter(source_id__startswith="usr-")
    assert people.count() == 5
    assert all(not p.has_usable_password() for p in people)
    assert all(p.is_active for p in people)


def test_one_activity_entry_per_import_without_free_text(cast, tmp_path):
    run = import_fixture(tmp_path, cast.network, "oneroster-1.2", actor=cast.admin)

    entry = ActivityEntry.objects.get(action="roster.import")
    assert (entry.actor, entry.target_id, entry.network_id) == (cast.admin, run.pk,
                                                               cast.network.pk)
    assert entry.details == {"count": 5 + 2 + 6 + 3 + 2 + 3, "kind": "oneroster-1.2"}
    assert entry.target_label == "OneRoster 1.2 bundle"
    assert ActivityEntry.objects.filter(action__startswith="person.").count() == 0


def test_preview_changes_nothing_and_reports_what_would_change(cast, tmp_path):
    before = world_state()

    run = import_fixture(tmp_path, cast.network, "oneroster-1.1", actor=cast.admin,
                         dry_run=True)

    assert run.status == ImportRun.Status.DONE
    assert world_state() == before
    assert run.summary["people"] == {"created": 5, "updated": 0, "deactivated": 0,
                                     "reactivated": 0}
    assert run.summary["schools"] == {"created": 2, "updated": 0}
    assert run.summary["classes"] == {"created": 3, "updated": 0, "removed": 0}


def test_school_made_by_hand_is_adopted_by_name(cast, tmp_path):
    hill = f.SchoolFactory(network=cast.network, name="Hillcrest Elementary")

    run = import_fixture(tmp_path, cast.network, "oneroster-1.2", actor=cast.admin)

    hill.refresh_from_db()
    assert hill.source_id == "org-hill"
    assert run.summary["schools"] == {"created": 1, "updated": 1}


def test_existing_person_is_matched_by_email_and_keeps_their_password(cast, tmp_path):
    maria = f.PersonFactory(email="maria.rivera@maple.example", full_name="M. Rivera")
    f.MembershipFactory(person=maria, organisation=cast.school, role=Role.TEACHER)

    run = import_fixture(tmp_path, cast.network, "oneroster-1.2", actor=cast.admin)

    maria.refresh_from_db()
    assert (maria.full_name, maria.source_id) == ("Maria Rivera", "usr-t1")
    assert maria.check_password(f.PASSWORD)
    assert run.summary["people"]["created"] == 4
    assert run.summary["people"]["updated"] == 1


def test_person_of_another_network_is_asked_and_keeps_their_account(cast, tmp_path):
    maria = f.PersonFactory(email="maria.rivera@maple.example", full_name="Maria R-Lopez")
    f.MembershipFactory(person=maria, organisation=cast.outsider_school, role=Role.TEACHER)

    run = import_fixture(tmp_path, cast.network, "oneroster-1.2", actor=cast.admin)

    maria.refresh_from_db()
    assert (maria.full_name, maria.source_id) == ("Maria R-Lopez", "")
    assert _roles("maria.rivera@maple.example") == [("teacher", "Northfield Primary")]
    assert run.summary["asked"]["people"] == 1


def test_plain_csv_template_imports_as_documented(cast, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text(TEMPLATE, encoding="utf-8")

    run = roster_import(actor=cast.admin, network=cast.network, path=path, dry_run=False)

    assert run.status == ImportRun.Status.DONE, run.problems
    assert run.kind == "csv"
    assert _roles("maria.rivera@example.org") == [("teacher", "Lincoln Elementary")]
    assert _roles("jo.park@example.org") == [("coach", "Lincoln Elementary")]
    assert _roles("sam.okafor@example.org") == [("school_leader", "Lincoln Elementary")]
    assert _roles("dana.lee@example.org") == [("network_admin", "Riverside")]
    assert _profile("maria.rivera@example.org") == (["Grade 3", "Grade 4"],
                                                    ["Mathematics", "Science"])
    assert run.summary["schools"] == {"created": 0, "updated": 0}  # Lincoln matched by name


def test_plain_csv_adds_a_new_school_and_two_roles_for_one_person(cast, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("email,name,role,school\n"
                    "ana@example.org,Ana Diaz,teacher,Oak Primary\n"
                    "ana@example.org,Ana Diaz,coach,lincoln elementary\n", encoding="utf-8")

    run = roster_import(actor=cast.admin, network=cast.network, path=path, dry_run=False)

    assert run.status == ImportRun.Status.DONE, run.problems
    assert _roles("ana@example.org") == [("coach", "Lincoln Elementary"),
                                         ("teacher", "Oak Primary")]
    assert run.summary["schools"] == {"created": 1, "updated": 0}


def test_fixture_bundles_are_what_the_tests_expect():
    files = fixture_files("oneroster-1.2")

    assert set(files) == {"manifest.csv", "orgs.csv", "academicSessions.csv", "courses.csv",
                          "classes.csv", "users.csv", "roles.csv", "enrollments.csv",
                          "demographics.csv"}
