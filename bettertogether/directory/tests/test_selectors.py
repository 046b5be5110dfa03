"""Reads of the directory are scoped: nothing crosses from one network to another."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from bettertogether.directory import selectors
from bettertogether.directory.models import LeaderVisibility, Person, Role
from bettertogether.directory.scope import scope_for, scope_forget
from bettertogether.directory.tests.support import names
from bettertogether.testing import factories as f

LINCOLN = {"Cora Coach", "Tess Teacher", "Otto Other", "Lena Leader"}
RIVERSIDE = LINCOLN | {"Adam Admin"}


def names_of(organisations) -> set[str]:
    return {o.name for o in organisations}


@pytest.fixture
def rhea(cast):
    """A teacher at Roosevelt, the Riverside school where nobody in the cast works."""
    person = f.PersonFactory(full_name="Rhea Roosevelt")
    f.MembershipFactory(person=person, organisation=cast.other_school, role=Role.TEACHER)
    return person


# --- scope ------------------------------------------------------------------------------


def test_scope_for_cast_members(cast):
    assert scope_for(cast.coach).coach_school_ids == {cast.school.pk}
    assert scope_for(cast.teacher).teacher_school_ids == {cast.school.pk}
    assert scope_for(cast.leader).leader_school_ids == {cast.school.pk}
    assert scope_for(cast.admin).admin_network_ids == {cast.network.pk}
    assert scope_for(cast.admin).school_ids == frozenset()
    assert scope_for(cast.outsider).network_ids == {cast.outsider_network.pk}
    assert scope_for(cast.coach).roles == {"coach"}
    assert scope_for(cast.coach).primary_network_id == cast.network.pk


def test_scope_for_anonymous_and_switched_off_people_is_empty(cast):
    cast.teacher.is_active = False

    assert scope_for(AnonymousUser()).network_ids == frozenset()
    assert scope_for(None).roles == frozenset()
    assert scope_for(cast.teacher).school_ids == frozenset()
    assert scope_for(cast.teacher).primary_network_id is None


def test_scope_is_remembered_until_forgotten(cast, django_assert_num_queries):
    scope_for(cast.teacher)
    f.MembershipFactory(person=cast.teacher, organisation=cast.other_school, role=Role.TEACHER)

    with django_assert_num_queries(0):
        assert scope_for(cast.teacher).teacher_school_ids == {cast.school.pk}
    scope_forget(cast.teacher)
    assert scope_for(cast.teacher).teacher_school_ids == {cast.school.pk, cast.other_school.pk}


# --- organisations ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("admin", {"Riverside", "Lincoln Elementary", "Roosevelt Middle"}),
        ("coach", {"Riverside", "Lincoln Elementary"}),
        ("teacher", {"Riverside", "Lincoln Elementary"}),
        ("leader", {"Riverside", "Lincoln Elementary"}),
        ("outsider", {"Northfield", "Northfield Primary"}),
    ],
)
def test_organisations_visible_to_by_persona(cast, who, visible):
    assert names_of(selectors.organisations_visible_to(actor=getattr(cast, who))) == visible


def test_schools_visible_to_leaves_out_networks(cast):
    assert names_of(selectors.schools_visible_to(actor=cast.admin)) == {
        "Lincoln Elementary", "Roosevelt Middle"}


def test_schools_and_organisations_administered_by(cast):
    assert names_of(selectors.schools_administered_by(actor=cast.admin)) == {
        "Lincoln Elementary", "Roosevelt Middle"}
    assert names_of(selectors.organisations_administered_by(actor=cast.admin)) == {
        "Riverside", "Lincoln Elementary", "Roosevelt Middle"}
    assert names_of(selectors.organisations_administered_by(actor=cast.leader)) == set()


def test_organisation_get_for_other_network_is_404(cast):
    with pytest.raises(Http404):
        selectors.organisation_get_for(actor=cast.admin, pk=cast.outsider_school.pk)
    with pytest.raises(Http404):
        selectors.organisation_get_for(actor=cast.outsider, pk=cast.network.pk)


@pytest.mark.parametrize("pk", [999_999, "abc", None])
def test_organisation_get_for_missing_or_malformed_id_is_404(cast, pk):
    with pytest.raises(Http404):
        selectors.organisation_get_for(actor=cast.admin, pk=pk)


def test_organisation_get_for_other_school_is_404_for_teacher(cast):
    with pytest.raises(Http404):
        selectors.organisation_get_for(actor=cast.teacher, pk=cast.other_school.pk)
    assert selectors.organisation_get_for(actor=cast.teacher, pk=cast.school.pk) == cast.school


# --- people -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("coach", LINCOLN),
        ("teacher", LINCOLN),
        ("leader", LINCOLN),
        ("admin", RIVERSIDE | {"Rhea Roosevelt"}),
        ("outsider", {"Olive Outsider"}),
    ],
)
def test_people_visible_to_by_persona(cast, rhea, who, visible):
    assert names(selectors.people_visible_to(actor=getattr(cast, who))) == visible


def test_people_visible_to_coach_includes_every_school_they_serve(cast, rhea):
    f.MembershipFactory(person=cast.coach, organisation=cast.other_school, role=Role.COACH)
    scope_forget(cast.coach)

    assert names(selectors.people_visible_to(actor=cast.coach)) == LINCOLN | {"Rhea Roosevelt"}


def test_people_visible_to_facilitator_is_the_whole_network(cast, rhea):
    fay = f.PersonFactory(full_name="Fay Facilitator")
    f.MembershipFactory(person=fay, organisation=cast.network, role=Role.FACILITATOR)

    assert names(selectors.people_visible_to(actor=fay)) == RIVERSIDE | {
        "Rhea Roosevelt", "Fay Facilitator"}


def test_people_visible_to_person_without_roles_is_only_themselves(db):
    nobody = f.PersonFactory(full_name="Nora Nobody")
    f.PersonFactory(full_name="Somebody Else")

    assert names(selectors.people_visible_to(actor=nobody)) == {"Nora Nobody"}


def test_people_visible_to_anonymous_is_nobody(cast):
    assert list(selectors.people_visible_to(actor=AnonymousUser())) == []


def test_people_visible_to_lists_each_person_once(cast):
    f.MembershipFactory(person=cast.teacher, organisation=cast.school, role=Role.COACH)

    visible = list(selectors.people_visible_to(actor=cast.admin))

    assert len(visible) == len(set(visible)) == 5


def test_person_get_for_outside_scope_is_404(cast, rhea):
    with pytest.raises(Http404):
        selectors.person_get_for(actor=cast.teacher, pk=rhea.pk)
    with pytest.raises(Http404):
        selectors.person_get_for(actor=cast.outsider, pk=cast.teacher.pk)
    with pytest.raises(Http404):
        selectors.person_get_for(actor=cast.admin, pk="x")


def test_person_get_for_oneself_works_without_roles(db):
    nobody = f.PersonFactory()

    assert selectors.person_get_for(actor=nobody, pk=nobody.pk) == nobody


def test_people_directory_filters_combine(cast, rhea):
    Person.objects.filter(pk=cast.other_teacher.pk).update(is_active=False)

    def listed(**filters):
        return [p.full_name for p in selectors.people_directory(actor=cast.admin, **filters)]

    assert listed() == ["Adam Admin", "Cora Coach", "Lena Leader", "Rhea Roosevelt",
                        "Tess Teacher"]
    assert listed(include_inactive=True, role=Role.TEACHER) == [
        "Otto Other", "Rhea Roosevelt", "Tess Teacher"]
    assert listed(organisation=cast.school, role=Role.TEACHER) == ["Tess Teacher"]
    assert listed(search="ROOSE") == ["Rhea Roosevelt"]
    assert listed(search="leader@riverside") == ["Lena Leader"]


# --- caseloads --------------------------------------------------------------------------


def test_caseload_for_is_the_coachs_own_in_that_year(cast):
    next_year = f.SchoolYearFactory(network=cast.network, starts_on=datetime.date(2040, 9, 1),
                                    ends_on=datetime.date(2041, 7, 1))
    f.CaseloadAssignmentFactory(coach=cast.coach, teacher=cast.other_teacher,
                                school=cast.school, school_year=next_year)

    this_year = selectors.caseload_for(actor=cast.coach, school_year=cast.school_year)

    assert [a.teacher for a in this_year] == [cast.teacher]
    assert list(selectors.caseload_for(actor=cast.admin, school_year=cast.school_year)) == []
    assert list(selectors.caseload_for(actor=cast.coach, school_year=None)) == []


def test_coaches_of_lists_the_teachers_coaches(cast):
    assert [a.coach for a in selectors.coaches_of(actor=cast.teacher,
                                                  school_year=cast.school_year)] == [cast.coach]
    assert list(selectors.coaches_of(actor=cast.other_teacher,
                                     school_year=cast.school_year)) == []
    assert list(selectors.coaches_of(actor=cast.teacher, school_year=None)) == []


@pytest.mark.parametrize(
    ("who", "count"),
    [("admin", 1), ("leader", 0), ("coach", 1), ("teacher", 0), ("other_teacher", 0),
     ("outsider", 0)],
)
def test_caseloads_in_school_by_persona(cast, who, count):
    listed = selectors.caseloads_in_school(actor=getattr(cast, who), school=cast.school,
                                           school_year=cast.school_year)

    assert listed.count() == count


@pytest.mark.parametrize(
    ("policy", "count"),
    [(LeaderVisibility.TOTALS, 0), (LeaderVisibility.WHO_AND_KIND, 1)],
)
@pytest.mark.usefixtures("lincoln_of_five")
def test_caseloads_in_school_for_leader_follows_the_schools_policy(cast, policy, count):
    cast.school.leader_visibility = policy

    listed = selectors.caseloads_in_school(actor=cast.leader, school=cast.school,
                                           school_year=cast.school_year)

    assert listed.count() == count
    assert selectors.may_see_caseloads_in(actor=cast.leader, school=cast.school) is bool(count)


def test_caseloads_in_school_a_school_too_small_to_describe_shows_its_leader_none(cast):
    cast.school.leader_visibility = LeaderVisibility.WHO_AND_KIND  # two teachers

    assert not selectors.may_see_caseloads_in(actor=cast.leader, school=cast.school)
    assert selectors.may_see_caseloads_in(actor=cast.admin, school=cast.school)
    assert selectors.may_see_caseloads_in(actor=cast.coach, school=cast.school)


def test_caseloads_in_school_leader_of_another_school_sees_none(cast):
    cast.school.leader_visibility = LeaderVisibility.WHO_AND_KIND
    other_leader = f.PersonFactory()
    f.MembershipFactory(person=other_leader, organisation=cast.other_school,
                        role=Role.SCHOOL_LEADER)

    assert list(selectors.caseloads_in_school(actor=other_leader, school=cast.school,
                                              school_year=cast.school_year)) == []


# --- lists that support the pages -------------------------------------------------------


def test_people_with_role_in_leaves_out_switched_off_people(cast):
    Person.objects.filter(pk=cast.other_teacher.pk).update(is_active=False)

    assert list(selectors.people_with_role_in(organisation=cast.school,
                                              role=Role.TEACHER)) == [cast.teacher]


def test_grades_and_subjects_belong_to_one_network(cast):
    grade = f.GradeLevelFactory(network=cast.network)
    subject = f.SubjectFactory(network=cast.network)
    f.GradeLevelFactory(network=cast.outsider_network)
    f.SubjectFactory(network=cast.outsider_network)

    assert list(selectors.grades_for_network(network_id=cast.network.pk)) == [grade]
    assert list(selectors.subjects_for_network(network_id=cast.network.pk)) == [subject]
    assert list(selectors.grades_for_network(network_id=None)) == []


def test_profile_for_person_without_profile_is_none(cast):
    cast.teacher.profile.delete()
    teacher = Person.objects.get(pk=cast.teacher.pk)

    assert selectors.profile_for(person=teacher) is None
    assert selectors.profile_for(person=cast.coach) == cast.coach.profile


def test_organisation_counts_counts_active_people_by_role(cast):
    Person.objects.filter(pk=cast.other_teacher.pk).update(is_active=False)

    counts = selectors.organisation_counts(organisations=[cast.school, cast.other_school])

    assert counts[cast.school.pk] == {"teacher": 1, "coach": 1, "school_leader": 1,
                                      "network_admin": 0, "facilitator": 0}
    assert set(counts[cast.other_school.pk].values()) == {0}
