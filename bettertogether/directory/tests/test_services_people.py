"""Directory services for people, roles, profiles, switching off, caseloads and the log."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bettertogether.activity.services import ALLOWED_DETAIL_KEYS
from bettertogether.directory import services
from bettertogether.directory.models import (
    CaseloadAssignment,
    Membership,
    Organisation,
    Person,
    Role,
    TeacherProfile,
)
from bettertogether.directory.scope import scope_for
from bettertogether.directory.tests.support import new_entries, world_state
from bettertogether.testing import factories as f

D = datetime.date


# --- people and roles -------------------------------------------------------------------


def test_person_find_by_email_ignores_case_and_spaces(cast):
    assert services.person_find_by_email(email="  TEACHER@Riverside.test ") == cast.teacher
    assert services.person_find_by_email(email="nobody@riverside.test") is None


def test_person_create_normalises_email_and_adds_profile(cast):
    before = world_state()

    person = services.person_create(actor=cast.admin, email=" New.Person@Example.ORG ",
                                    full_name=" Nia New ", password="a-long-password",
                                    organisation=cast.school)

    assert (person.email, person.full_name) == ("new.person@example.org", "Nia New")
    assert person.check_password("a-long-password")
    assert TeacherProfile.objects.filter(person=person).exists()
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.target_id, entry.organisation) == (
        cast.admin, "person.create", person.pk, cast.school)


def test_person_create_without_actor_credits_the_new_person(db):
    person = services.person_create(actor=None, email="nia@example.org", full_name="Nia")

    [entry] = new_entries({"activity": []})
    assert entry.actor == person


@pytest.mark.parametrize(
    ("email", "full_name", "field"),
    [
        ("TEACHER@riverside.test", "Someone", "email"),
        ("not-an-email", "Someone", "email"),
        ("fine@example.org", "  ", "full_name"),
    ],
)
def test_person_create_bad_input_changes_nothing(cast, email, full_name, field):
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.person_create(actor=cast.admin, email=email, full_name=full_name)

    assert list(error.value.message_dict) == [field]
    assert world_state() == before


def test_membership_grant_adds_role_and_forgets_scope(cast):
    assert scope_for(cast.other_teacher).coach_school_ids == frozenset()
    before = world_state()

    membership = services.membership_grant(actor=cast.admin, person=cast.other_teacher,
                                           organisation=cast.school, role=Role.COACH)

    assert (membership.network, membership.role) == (cast.network, "coach")
    assert scope_for(cast.other_teacher).coach_school_ids == {cast.school.pk}
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.target_id, entry.organisation, entry.details) == (
        cast.admin, "membership.grant", cast.other_teacher.pk, cast.school, {"role": "coach"})


def test_membership_grant_of_a_held_role_creates_nothing(cast):
    held = Membership.objects.get(person=cast.teacher, role=Role.TEACHER)
    before = world_state()

    membership = services.membership_grant(actor=cast.admin, person=cast.teacher,
                                           organisation=cast.school, role=Role.TEACHER)

    assert membership == held
    assert world_state() == before


@pytest.mark.parametrize(
    ("organisation", "role"),
    [("network", Role.TEACHER), ("school", Role.NETWORK_ADMIN), ("school", Role.FACILITATOR),
     ("network", Role.SCHOOL_LEADER)],
)
def test_membership_grant_role_in_wrong_kind_of_organisation_changes_nothing(
    cast, organisation, role
):
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.membership_grant(actor=cast.admin, person=cast.teacher,
                                  organisation=getattr(cast, organisation), role=role)

    assert list(error.value.message_dict) == ["organisation"]
    assert world_state() == before


@pytest.mark.parametrize("who", ["leader", "coach", "outsider"])
def test_membership_grant_without_admin_role_is_refused(cast, who):
    before = world_state()

    with pytest.raises(PermissionDenied):
        services.membership_grant(actor=getattr(cast, who), person=cast.other_teacher,
                                  organisation=cast.school, role=Role.COACH)

    assert world_state() == before


def test_membership_revoke_removes_role_and_records_entry(cast):
    membership = Membership.objects.get(person=cast.coach, role=Role.COACH)
    assert scope_for(cast.coach).is_coach
    before = world_state()

    services.membership_revoke(actor=cast.admin, membership=membership)

    assert not Membership.objects.filter(pk=membership.pk).exists()
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.target_id, entry.organisation, entry.details) == (
        cast.admin, "membership.revoke", cast.coach.pk, cast.school, {"role": "coach"})


def test_membership_revoke_of_own_admin_role_changes_nothing(cast):
    membership = Membership.objects.get(person=cast.admin)
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.membership_revoke(actor=cast.admin, membership=membership)

    assert error.value.messages == ["You cannot remove your own network admin role."]
    assert world_state() == before


def test_membership_revoke_by_outsider_is_refused(cast):
    before = world_state()

    with pytest.raises(PermissionDenied):
        services.membership_revoke(
            actor=cast.outsider,
            membership=Membership.objects.get(person=cast.teacher))

    assert world_state() == before


# --- profiles ---------------------------------------------------------------------------


def test_profile_update_by_self_saves_and_files_entry_in_own_network(cast):
    grade = f.GradeLevelFactory(network=cast.network)
    subject = f.SubjectFactory(network=cast.network)
    before = world_state()

    services.profile_update(actor=cast.teacher, person=cast.teacher, full_name=" Tess T ",
                            preferred_name=" T ", grades=[grade], subjects=[subject],
                            years_experience=4, interests=" Private hobbies ")

    cast.teacher.refresh_from_db()
    profile = TeacherProfile.objects.get(person=cast.teacher)
    assert (cast.teacher.full_name, cast.teacher.preferred_name) == ("Tess T", "T")
    assert (profile.years_experience, profile.interests) == (4, "Private hobbies")
    assert (list(profile.grades.all()), list(profile.subjects.all())) == ([grade], [subject])
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.organisation) == (
        cast.teacher, "profile.update", cast.network)
    assert "Private hobbies" not in repr(entry.details) + entry.target_label


def test_profile_update_creates_a_missing_profile(cast):
    TeacherProfile.objects.filter(person=cast.teacher).delete()

    services.profile_update(actor=cast.teacher, person=cast.teacher, full_name="Tess",
                            years_experience=2)

    assert TeacherProfile.objects.get(person=cast.teacher).years_experience == 2


def test_profile_update_with_grade_of_another_network_changes_nothing(cast):
    foreign = f.GradeLevelFactory(network=cast.outsider_network)
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.profile_update(actor=cast.teacher, person=cast.teacher, full_name="Tess",
                                grades=[foreign])

    assert error.value.messages == ["Choose grades and subjects from your own network."]
    assert world_state() == before


def test_profile_update_with_subject_of_another_network_changes_nothing(cast):
    foreign = f.SubjectFactory(network=cast.outsider_network)
    before = world_state()

    with pytest.raises(ValidationError):
        services.profile_update(actor=cast.admin, person=cast.teacher, full_name="Tess",
                                subjects=[foreign])

    assert world_state() == before


def test_profile_update_with_blank_name_changes_nothing(cast):
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.profile_update(actor=cast.teacher, person=cast.teacher, full_name="  ")

    assert list(error.value.message_dict) == ["full_name"]
    assert world_state() == before


@pytest.mark.parametrize("who", ["coach", "leader", "other_teacher", "outsider"])
def test_profile_update_of_someone_else_without_admin_role_is_refused(cast, who):
    before = world_state()

    with pytest.raises(PermissionDenied):
        services.profile_update(actor=getattr(cast, who), person=cast.teacher,
                                full_name="Changed")

    assert world_state() == before


# --- switching people off and on --------------------------------------------------------


def test_person_deactivate_switches_off_and_records_entry(cast):
    before = world_state()

    services.person_deactivate(actor=cast.admin, person=cast.teacher)

    cast.teacher.refresh_from_db()
    assert cast.teacher.is_active is False
    assert cast.teacher.deactivated_at is not None
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.target_id, entry.organisation, entry.details) == (
        cast.admin, "person.deactivate", cast.teacher.pk, cast.network, {"count": 0})


def test_person_deactivate_twice_records_one_entry(cast):
    services.person_deactivate(actor=cast.admin, person=cast.teacher)
    after_first = world_state()

    services.person_deactivate(actor=cast.admin, person=cast.teacher)

    assert world_state() == after_first


@pytest.mark.parametrize("who", ["leader", "coach", "teacher", "outsider"])
def test_person_deactivate_without_admin_role_is_refused(cast, who):
    before = world_state()

    with pytest.raises(PermissionDenied):
        services.person_deactivate(actor=getattr(cast, who), person=cast.other_teacher)

    assert world_state() == before


def test_person_deactivate_of_oneself_is_refused(cast):
    with pytest.raises(ValidationError, match="You cannot switch your own account off"):
        services.person_deactivate(actor=cast.admin, person=cast.admin)

    assert Person.objects.get(pk=cast.admin.pk).is_active is True


def test_person_reactivate_switches_on_and_records_entry(cast):
    services.person_deactivate(actor=cast.admin, person=cast.teacher)
    before = world_state()

    services.person_reactivate(actor=cast.admin, person=cast.teacher)

    cast.teacher.refresh_from_db()
    assert (cast.teacher.is_active, cast.teacher.deactivated_at) == (True, None)
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.organisation) == (
        cast.admin, "person.reactivate", cast.network)


def test_person_reactivate_of_an_active_person_changes_nothing(cast):
    before = world_state()

    services.person_reactivate(actor=cast.admin, person=cast.teacher)

    assert world_state() == before


def test_person_reactivate_by_leader_is_refused(cast):
    services.person_deactivate(actor=cast.admin, person=cast.teacher)
    before = world_state()

    with pytest.raises(PermissionDenied):
        services.person_reactivate(actor=cast.leader, person=cast.teacher)

    assert world_state() == before


# --- caseloads --------------------------------------------------------------------------


def test_caseload_assign_adds_row_and_records_entry(cast):
    before = world_state()

    assignment = services.caseload_assign(actor=cast.admin, coach=cast.coach,
                                          teacher=cast.other_teacher, school=cast.school,
                                          school_year=cast.school_year)

    assert (assignment.coach, assignment.teacher, assignment.school) == (
        cast.coach, cast.other_teacher, cast.school)
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.target_id, entry.organisation,
            entry.target_label) == (cast.admin, "caseload.assign", assignment.pk, cast.school,
                                    "Otto Other → Cora Coach")


def test_caseload_assign_twice_creates_one_row_and_one_entry(cast):
    first = services.caseload_assign(actor=cast.admin, coach=cast.coach,
                                     teacher=cast.other_teacher, school=cast.school,
                                     school_year=cast.school_year)
    after_first = world_state()

    second = services.caseload_assign(actor=cast.admin, coach=cast.coach,
                                      teacher=cast.other_teacher, school=cast.school,
                                      school_year=cast.school_year)

    assert second == first
    assert world_state() == after_first


def test_caseload_assign_a_teacher_may_have_two_coaches(cast):
    second_coach = f.PersonFactory()
    f.MembershipFactory(person=second_coach, organisation=cast.school, role=Role.COACH)

    services.caseload_assign(actor=cast.admin, coach=second_coach, teacher=cast.teacher,
                             school=cast.school, school_year=cast.school_year)

    assert CaseloadAssignment.objects.filter(teacher=cast.teacher).count() == 2


@pytest.mark.parametrize(
    ("coach", "teacher", "message"),
    [
        ("other_teacher", "teacher", "Otto Other is not a coach in Lincoln Elementary."),
        ("coach", "leader", "Lena Leader is not a teacher in Lincoln Elementary."),
        ("coach", "coach", "A coach cannot be in their own caseload."),
    ],
)
def test_caseload_assign_bad_people_changes_nothing(cast, coach, teacher, message):
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.caseload_assign(actor=cast.admin, coach=getattr(cast, coach),
                                 teacher=getattr(cast, teacher), school=cast.school,
                                 school_year=cast.school_year)

    assert error.value.messages == [message]
    assert world_state() == before


def test_caseload_assign_teacher_of_another_school_changes_nothing(cast):
    rhea = f.PersonFactory(full_name="Rhea Roosevelt")
    f.MembershipFactory(person=rhea, organisation=cast.other_school, role=Role.TEACHER)
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.caseload_assign(actor=cast.admin, coach=cast.coach, teacher=rhea,
                                 school=cast.school, school_year=cast.school_year)

    assert error.value.message_dict == {
        "teacher": ["Rhea Roosevelt is not a teacher in Lincoln Elementary."]}
    assert world_state() == before


def test_caseload_assign_school_year_of_another_network_changes_nothing(cast):
    foreign_year = f.SchoolYearFactory(network=cast.outsider_network)
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.caseload_assign(actor=cast.admin, coach=cast.coach, teacher=cast.other_teacher,
                                 school=cast.school, school_year=foreign_year)

    assert error.value.messages == ["That school year belongs to another network."]
    assert world_state() == before


@pytest.mark.parametrize("who", ["leader", "coach", "outsider"])
def test_caseload_assign_without_admin_role_is_refused(cast, who):
    before = world_state()

    with pytest.raises(PermissionDenied):
        services.caseload_assign(actor=getattr(cast, who), coach=cast.coach,
                                 teacher=cast.other_teacher, school=cast.school,
                                 school_year=cast.school_year)

    assert world_state() == before


def test_caseload_remove_deletes_and_records_entry(cast):
    assignment = CaseloadAssignment.objects.get(teacher=cast.teacher)
    assignment_pk = assignment.pk
    before = world_state()

    services.caseload_remove(actor=cast.admin, assignment=assignment)

    assert CaseloadAssignment.objects.count() == 0
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.target_id, entry.organisation,
            entry.target_label) == (cast.admin, "caseload.remove", assignment_pk, cast.school,
                                    "Tess Teacher → Cora Coach")


@pytest.mark.parametrize("who", ["leader", "coach", "outsider"])
def test_caseload_remove_without_admin_role_is_refused(cast, who):
    before = world_state()

    with pytest.raises(PermissionDenied):
        services.caseload_remove(actor=getattr(cast, who),
                                 assignment=CaseloadAssignment.objects.get())

    assert world_state() == before


# --- what the log may hold --------------------------------------------------------------


def test_directory_entries_hold_only_allowed_detail_keys_and_no_free_text(cast):
    canary = "CANARY private interests"
    grade = f.GradeLevelFactory(network=cast.network)
    services.profile_update(actor=cast.admin, person=cast.teacher, full_name="Tess",
                            grades=[grade], interests=canary)
    services.membership_grant(actor=cast.admin, person=cast.other_teacher,
                              organisation=cast.school, role=Role.COACH)
    services.caseload_assign(actor=cast.admin, coach=cast.coach, teacher=cast.other_teacher,
                             school=cast.school, school_year=cast.school_year)
    services.person_deactivate(actor=cast.admin, person=cast.other_teacher)
    services.school_year_create(actor=cast.admin, network=cast.network, name="2030–31",
                                starts_on=D(2030, 9, 1), ends_on=D(2031, 7, 1))

    entries = new_entries({"activity": []})
    assert [e.action for e in entries] == [
        "profile.update", "membership.grant", "caseload.assign", "person.deactivate",
        "school_year.create"]
    for entry in entries:
        assert set(entry.details) <= ALLOWED_DETAIL_KEYS
        assert canary not in repr(entry.details) + entry.target_label
    assert {e.network_id for e in entries} == {cast.network.pk}


def test_organisation_kinds_are_validated_by_the_model(db):
    network = f.NetworkFactory()
    school = Organisation(name="Bad", kind="school", network=None)
    nested = Organisation(name="Nested", kind="network", network=network)

    with pytest.raises(ValidationError):
        school.full_clean()
    with pytest.raises(ValidationError):
        nested.full_clean()
