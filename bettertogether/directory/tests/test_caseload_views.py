"""Persona tests for caseloads: a school's caseloads, removing one, and the old address of
"My caseload" (now a coaching page)."""

import pytest
from django.test import Client
from django.urls import reverse

from bettertogether.directory.models import (
    CaseloadAssignment,
    LeaderVisibility,
    Organisation,
    Role,
    SchoolYear,
)
from bettertogether.directory.tests.support import (
    assert_login_redirect,
    new_entries,
    world_state,
)
from bettertogether.testing import factories as f


def _assignment(cast):
    return CaseloadAssignment.objects.get(coach=cast.coach, teacher=cast.teacher)


# --- a school's caseloads ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "can_assign"),
    [("admin", True), ("coach", False)],
)
def test_school_caseloads_page_by_allowed_persona(cast, client_for, who, can_assign):
    response = client_for(getattr(cast, who)).get(
        reverse("directory:school_caseloads", args=[cast.school.pk]))

    assert response.status_code == 200
    assert response.context["can_assign"] is can_assign
    assert (response.context["form"] is not None) is can_assign
    assert response.context["groups"] == {cast.coach: [_assignment(cast)]}
    assert response.context["names_hidden"] is False
    assert response.context["school_year"] == cast.school_year


def test_school_caseloads_page_for_leader_under_totals_policy_shows_no_names(cast, client_for):
    assert cast.school.leader_visibility == LeaderVisibility.TOTALS

    response = client_for(cast.leader).get(
        reverse("directory:school_caseloads", args=[cast.school.pk]))

    assert response.status_code == 200
    assert (response.context["groups"], response.context["names_hidden"]) == ({}, True)
    assert response.context["form"] is None
    assert b"Tess Teacher" not in response.content
    assert b"Lincoln Elementary shares coaching totals with its leaders" in response.content


@pytest.mark.usefixtures("lincoln_of_five")
def test_school_caseloads_page_for_leader_when_policy_shows_who(cast, client_for):
    Organisation.objects.filter(pk=cast.school.pk).update(
        leader_visibility=LeaderVisibility.WHO_AND_KIND)

    response = client_for(cast.leader).get(
        reverse("directory:school_caseloads", args=[cast.school.pk]))

    assert response.context["groups"] == {cast.coach: [_assignment(cast)]}
    assert response.context["names_hidden"] is False
    assert response.context["form"] is None


@pytest.mark.parametrize(
    ("who", "status"),
    [("teacher", 403), ("other_teacher", 403), ("outsider", 404)],
)
def test_school_caseloads_page_refused(cast, client_for, who, status):
    response = client_for(getattr(cast, who)).get(
        reverse("directory:school_caseloads", args=[cast.school.pk]))

    assert response.status_code == status


def test_school_caseloads_of_a_network_is_404(cast, client_for):
    response = client_for(cast.admin).get(
        reverse("directory:school_caseloads", args=[cast.network.pk]))

    assert response.status_code == 404


def test_school_caseloads_admin_form_offers_only_the_schools_coaches_and_teachers(
    cast, client_for
):
    f.MembershipFactory(organisation=cast.other_school, role=Role.TEACHER)

    form = client_for(cast.admin).get(
        reverse("directory:school_caseloads", args=[cast.school.pk])).context["form"]

    assert list(form.fields["coach"].queryset) == [cast.coach]
    assert list(form.fields["teachers"].queryset) == [cast.other_teacher, cast.teacher]


def test_school_caseloads_assign_by_admin_adds_rows_and_records_entries(cast, client_for):
    third = f.PersonFactory(full_name="Tom Third")
    f.MembershipFactory(person=third, organisation=cast.school, role=Role.TEACHER)
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:school_caseloads", args=[cast.school.pk]),
        {"coach": cast.coach.pk, "teachers": [cast.other_teacher.pk, third.pk]})

    assert response.status_code == 302
    assert response["Location"] == reverse("directory:school_caseloads", args=[cast.school.pk])
    assigned = CaseloadAssignment.objects.filter(coach=cast.coach, school_year=cast.school_year)
    assert {a.teacher for a in assigned} == {cast.teacher, cast.other_teacher, third}
    entries = new_entries(before)
    assert [(e.actor, e.action, e.organisation, e.target_label) for e in entries] == [
        (cast.admin, "caseload.assign", cast.school, "Otto Other → Cora Coach"),
        (cast.admin, "caseload.assign", cast.school, "Tom Third → Cora Coach"),
    ]


def test_school_caseloads_assign_twice_keeps_one_row(cast, client_for):
    client = client_for(cast.admin)
    url = reverse("directory:school_caseloads", args=[cast.school.pk])
    data = {"coach": cast.coach.pk, "teachers": [cast.other_teacher.pk]}
    client.post(url, data)
    after_first = world_state()

    response = client.post(url, data)

    assert response.status_code == 302
    assert world_state() == after_first
    assert CaseloadAssignment.objects.filter(teacher=cast.other_teacher).count() == 1


@pytest.mark.parametrize(
    ("who", "status"),
    [("leader", 403), ("coach", 403), ("teacher", 403), ("outsider", 404)],
)
def test_school_caseloads_assign_refused_changes_nothing(cast, client_for, who, status):
    before = world_state()

    response = client_for(getattr(cast, who)).post(
        reverse("directory:school_caseloads", args=[cast.school.pk]),
        {"coach": cast.coach.pk, "teachers": [cast.other_teacher.pk]})

    assert response.status_code == status
    assert world_state() == before


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"coach": "", "teachers": []}, ["coach", "teachers"]),
        ({"coach": "coach-pk", "teachers": ["outsider-pk"]}, ["teachers"]),
        ({"coach": "teacher-pk", "teachers": ["other-pk"]}, ["coach"]),
    ],
)
def test_school_caseloads_assign_bad_input_is_422(cast, client_for, data, fields):
    ids = {"coach-pk": cast.coach.pk, "teacher-pk": cast.teacher.pk,
           "other-pk": cast.other_teacher.pk, "outsider-pk": cast.outsider.pk}
    posted = {"coach": ids.get(data["coach"], ""),
              "teachers": [ids[t] for t in data["teachers"]]}
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:school_caseloads", args=[cast.school.pk]), posted)

    assert response.status_code == 422
    assert sorted(response.context["form"].errors) == fields
    assert world_state() == before


def test_school_caseloads_assign_failing_for_one_teacher_changes_nothing(cast, client_for):
    # Zed coaches and teaches at Lincoln; Zed cannot join their own caseload, and the
    # teacher listed before Zed must not be assigned either.
    zed = f.PersonFactory(full_name="Zed Both")
    f.MembershipFactory(person=zed, organisation=cast.school, role=Role.COACH)
    f.MembershipFactory(person=zed, organisation=cast.school, role=Role.TEACHER)
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:school_caseloads", args=[cast.school.pk]),
        {"coach": zed.pk, "teachers": [cast.other_teacher.pk, zed.pk]})

    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == [
        "A coach cannot be in their own caseload."]
    assert world_state() == before


def test_school_caseloads_assign_without_a_school_year_is_422(cast, client_for):
    SchoolYear.objects.all().delete()
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:school_caseloads", args=[cast.school.pk]),
        {"coach": cast.coach.pk, "teachers": [cast.other_teacher.pk]})

    assert response.status_code == 422
    assert response.context["form"].non_field_errors() == [
        "Add a school year to the network before assigning caseloads."]
    assert world_state() == before


def test_school_caseloads_anonymous_redirects_to_login(cast):
    url = reverse("directory:school_caseloads", args=[cast.school.pk])
    before = world_state()

    assert_login_redirect(Client().post(url, {"coach": cast.coach.pk}), url)
    assert world_state() == before


# --- removing from a caseload -----------------------------------------------------------


def test_caseload_remove_by_admin_deletes_and_records_entry(cast, client_for):
    assignment = _assignment(cast)
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:caseload_remove", args=[cast.school.pk, assignment.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("directory:school_caseloads", args=[cast.school.pk])
    assert not CaseloadAssignment.objects.filter(pk=assignment.pk).exists()
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.target_id, entry.organisation,
            entry.target_label) == (cast.admin, "caseload.remove", assignment.pk, cast.school,
                                    "Tess Teacher → Cora Coach")


@pytest.mark.parametrize(
    ("who", "status"),
    [("leader", 404), ("coach", 403), ("teacher", 404), ("other_teacher", 404),
     ("outsider", 404)],
)
def test_caseload_remove_refused_changes_nothing(cast, client_for, who, status):
    before = world_state()

    response = client_for(getattr(cast, who)).post(
        reverse("directory:caseload_remove", args=[cast.school.pk, _assignment(cast).pk]))

    assert response.status_code == status
    assert world_state() == before


@pytest.mark.usefixtures("lincoln_of_five")
def test_caseload_remove_by_leader_who_sees_names_is_403(cast, client_for):
    Organisation.objects.filter(pk=cast.school.pk).update(
        leader_visibility=LeaderVisibility.WHO_AND_KIND)
    before = world_state()

    response = client_for(cast.leader).post(
        reverse("directory:caseload_remove", args=[cast.school.pk, _assignment(cast).pk]))

    assert response.status_code == 403
    assert world_state() == before


def test_caseload_remove_through_another_school_is_404(cast, client_for):
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:caseload_remove", args=[cast.other_school.pk, _assignment(cast).pk]))

    assert response.status_code == 404
    assert world_state() == before


def test_caseload_remove_missing_assignment_is_404(cast, client_for):
    response = client_for(cast.admin).post(
        reverse("directory:caseload_remove", args=[cast.school.pk, 999_999]))

    assert response.status_code == 404


def test_caseload_remove_get_is_not_allowed(cast, client_for):
    response = client_for(cast.admin).get(
        reverse("directory:caseload_remove", args=[cast.school.pk, _assignment(cast).pk]))

    assert response.status_code == 405
    assert CaseloadAssignment.objects.count() == 1


def test_caseload_remove_anonymous_redirects_to_login(cast):
    url = reverse("directory:caseload_remove", args=[cast.school.pk, _assignment(cast).pk])
    before = world_state()

    assert_login_redirect(Client().post(url), url)
    assert world_state() == before
