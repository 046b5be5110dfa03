"""Persona tests for the people pages: list, detail, edit, switch off and on."""

import pytest
from django.test import Client
from django.urls import reverse

from bettertogether.directory.models import Person, Role
from bettertogether.directory.tests.support import (
    assert_login_redirect,
    names,
    new_entries,
    without_tokens,
    world_state,
)
from bettertogether.testing import factories as f

LINCOLN = {"Cora Coach", "Tess Teacher", "Otto Other", "Lena Leader"}
RIVERSIDE = LINCOLN | {"Adam Admin"}


# --- people list ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "listed"),
    [
        ("coach", LINCOLN),
        ("teacher", LINCOLN),
        ("other_teacher", LINCOLN),
        ("leader", LINCOLN),
        ("admin", RIVERSIDE),
        ("outsider", {"Olive Outsider"}),
    ],
)
def test_people_list_shows_only_people_in_scope(cast, client_for, who, listed):
    response = client_for(getattr(cast, who)).get(reverse("directory:people"))

    assert response.status_code == 200
    assert names(response.context["page"].object_list) == listed


def test_people_list_without_any_role_is_404(cast, client_for):
    nobody = f.PersonFactory(full_name="Nora Nobody")

    response = client_for(nobody).get(reverse("directory:people"))

    assert response.status_code == 404


def test_people_list_anonymous_redirects_to_login(cast):
    url = reverse("directory:people")

    assert_login_redirect(Client().get(url), url)


def test_people_list_hides_other_school_from_teacher(cast, client_for):
    f.MembershipFactory(person=f.PersonFactory(full_name="Rhea Roosevelt"),
                        organisation=cast.other_school, role=Role.TEACHER)

    teacher_view = client_for(cast.teacher).get(reverse("directory:people"))
    admin_view = client_for(cast.admin).get(reverse("directory:people"))

    assert "Rhea Roosevelt" not in names(teacher_view.context["page"].object_list)
    assert "Rhea Roosevelt" in names(admin_view.context["page"].object_list)


def test_people_list_facilitator_sees_whole_network(cast, client_for):
    facilitator = f.PersonFactory(full_name="Fay Facilitator")
    f.MembershipFactory(person=facilitator, organisation=cast.network, role=Role.FACILITATOR)
    f.MembershipFactory(person=f.PersonFactory(full_name="Rhea Roosevelt"),
                        organisation=cast.other_school, role=Role.TEACHER)

    response = client_for(facilitator).get(reverse("directory:people"))

    assert names(response.context["page"].object_list) == RIVERSIDE | {
        "Fay Facilitator", "Rhea Roosevelt"}


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("q=tess", {"Tess Teacher"}),
        ("q=riverside.test", RIVERSIDE),
        ("role=coach", {"Cora Coach"}),
        ("role=network_admin", {"Adam Admin"}),
        ("q=zzz", set()),
    ],
)
def test_people_list_filters_by_search_and_role(cast, client_for, query, listed):
    response = client_for(cast.admin).get(reverse("directory:people") + "?" + query)

    assert names(response.context["page"].object_list) == listed


def test_people_list_filters_by_school(cast, client_for):
    f.MembershipFactory(person=f.PersonFactory(full_name="Rhea Roosevelt"),
                        organisation=cast.other_school, role=Role.TEACHER)

    response = client_for(cast.admin).get(
        reverse("directory:people") + f"?organisation={cast.other_school.pk}")

    assert names(response.context["page"].object_list) == {"Rhea Roosevelt"}


def test_people_list_school_of_another_network_is_not_a_filter_choice(cast, client_for):
    response = client_for(cast.admin).get(
        reverse("directory:people") + f"?organisation={cast.outsider_school.pk}")

    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert names(response.context["page"].object_list) == RIVERSIDE


def test_people_list_hides_switched_off_people_unless_asked(cast, client_for):
    Person.objects.filter(pk=cast.other_teacher.pk).update(is_active=False)
    client = client_for(cast.admin)

    default = client.get(reverse("directory:people"))
    with_inactive = client.get(reverse("directory:people") + "?inactive=on")

    assert names(default.context["page"].object_list) == RIVERSIDE - {"Otto Other"}
    assert names(with_inactive.context["page"].object_list) == RIVERSIDE


def test_people_list_htmx_request_renders_only_the_table(cast, client_for):
    response = client_for(cast.admin).get(
        reverse("directory:people") + "?q=tess", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.templates[0].name == "directory/_people_table.html"
    assert b"<html" not in response.content
    assert b"Tess Teacher" in response.content


# --- person detail ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "can_manage", "can_edit"),
    [
        ("teacher", 200, False, True),
        ("coach", 200, False, False),
        ("other_teacher", 200, False, False),
        ("leader", 200, False, False),
        ("admin", 200, True, True),
        ("outsider", 404, None, None),
    ],
)
def test_person_page_by_persona(cast, client_for, who, status, can_manage, can_edit):
    response = client_for(getattr(cast, who)).get(
        reverse("directory:person", args=[cast.teacher.pk]))

    assert response.status_code == status
    if status == 200:
        assert response.context["person"] == cast.teacher
        assert response.context["can_manage"] is can_manage
        assert response.context["can_edit"] is can_edit


def test_person_page_of_other_network_is_same_404_as_missing_id(cast, client_for):
    client = client_for(cast.admin)

    foreign = client.get(reverse("directory:person", args=[cast.outsider.pk]))
    missing = client.get(reverse("directory:person", args=[999_999]))

    assert foreign.status_code == missing.status_code == 404
    assert without_tokens(foreign.content) == without_tokens(missing.content)


def test_person_page_of_other_school_is_404_for_teacher(cast, client_for):
    rhea = f.PersonFactory(full_name="Rhea Roosevelt")
    f.MembershipFactory(person=rhea, organisation=cast.other_school, role=Role.TEACHER)

    response = client_for(cast.teacher).get(reverse("directory:person", args=[rhea.pk]))

    assert response.status_code == 404


def test_person_page_anonymous_redirects_to_login(cast):
    url = reverse("directory:person", args=[cast.teacher.pk])

    assert_login_redirect(Client().get(url), url)


# --- person edit ------------------------------------------------------------------------


def _profile_post(cast, **overrides):
    grade = f.GradeLevelFactory(network=cast.network, name="Grade 3")
    subject = f.SubjectFactory(network=cast.network, name="Science")
    data = {
        "full_name": "Tess T. Teacher",
        "preferred_name": "Tess",
        "grades": [grade.pk],
        "subjects": [subject.pk],
        "years_experience": "7",
        "interests": "Chess club",
    }
    data.update(overrides)
    return data, grade, subject


def test_person_edit_by_admin_saves_profile_and_records_entry(cast, client_for):
    data, grade, subject = _profile_post(cast)
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:person_edit", args=[cast.teacher.pk]), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("directory:person", args=[cast.teacher.pk])
    cast.teacher.refresh_from_db()
    profile = cast.teacher.profile
    assert (cast.teacher.full_name, cast.teacher.preferred_name) == ("Tess T. Teacher", "Tess")
    assert (profile.years_experience, profile.interests) == (7, "Chess club")
    assert list(profile.grades.all()) == [grade]
    assert list(profile.subjects.all()) == [subject]
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.target_id) == (
        cast.admin, "profile.update", cast.teacher.pk)
    assert entry.organisation == cast.network
    assert "Chess club" not in str(entry.details) + entry.target_label


def test_person_edit_get_by_admin_shows_form(cast, client_for):
    response = client_for(cast.admin).get(
        reverse("directory:person_edit", args=[cast.teacher.pk]))

    assert response.status_code == 200
    assert response.context["form"].initial["full_name"] == "Tess Teacher"


def test_person_edit_of_oneself_goes_to_own_profile_form(cast, client_for):
    response = client_for(cast.teacher).get(
        reverse("directory:person_edit", args=[cast.teacher.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("core:profile_edit")


@pytest.mark.parametrize(
    ("who", "status"),
    [("coach", 403), ("other_teacher", 403), ("leader", 403), ("outsider", 404)],
)
def test_person_edit_refused_changes_nothing(cast, client_for, who, status):
    data, _grade, _subject = _profile_post(cast)
    client = client_for(getattr(cast, who))
    url = reverse("directory:person_edit", args=[cast.teacher.pk])
    before = world_state()

    assert client.get(url).status_code == status
    assert client.post(url, data).status_code == status
    assert world_state() == before


def test_person_edit_anonymous_redirects_to_login(cast):
    url = reverse("directory:person_edit", args=[cast.teacher.pk])

    assert_login_redirect(Client().post(url, {"full_name": "X"}), url)


def test_person_edit_with_grade_of_another_network_is_422(cast, client_for):
    foreign_grade = f.GradeLevelFactory(network=cast.outsider_network, name="Year 4")
    data, _grade, _subject = _profile_post(cast, grades=[foreign_grade.pk])
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:person_edit", args=[cast.teacher.pk]), data)

    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["grades"]
    assert world_state() == before


# --- switch off and on ------------------------------------------------------------------


def test_person_deactivate_by_admin_switches_off_and_records_entry(cast, client_for):
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:person_deactivate", args=[cast.teacher.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("directory:person", args=[cast.teacher.pk])
    cast.teacher.refresh_from_db()
    assert cast.teacher.is_active is False
    assert cast.teacher.deactivated_at is not None
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.target_id, entry.organisation) == (
        cast.admin, "person.deactivate", cast.teacher.pk, cast.network)


@pytest.mark.parametrize(
    ("who", "status"),
    [("coach", 403), ("teacher", 403), ("leader", 403), ("other_teacher", 403),
     ("outsider", 404)],
)
def test_person_deactivate_refused_changes_nothing(cast, client_for, who, status):
    before = world_state()

    response = client_for(getattr(cast, who)).post(
        reverse("directory:person_deactivate", args=[cast.teacher.pk]))

    assert response.status_code == status
    assert world_state() == before


def test_person_deactivate_of_oneself_is_refused(cast, client_for):
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:person_deactivate", args=[cast.admin.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("directory:person", args=[cast.admin.pk])
    assert "You cannot switch your own account off or on." in response.text
    assert world_state() == before


def test_person_deactivate_get_is_not_allowed(cast, client_for):
    response = client_for(cast.admin).get(
        reverse("directory:person_deactivate", args=[cast.teacher.pk]))

    assert response.status_code == 405
    cast.teacher.refresh_from_db()
    assert cast.teacher.is_active is True


def test_person_deactivate_anonymous_redirects_to_login(cast):
    url = reverse("directory:person_deactivate", args=[cast.teacher.pk])
    before = world_state()

    assert_login_redirect(Client().post(url), url)
    assert world_state() == before


def test_person_reactivate_by_admin_switches_on_and_records_entry(cast, client_for):
    client = client_for(cast.admin)
    client.post(reverse("directory:person_deactivate", args=[cast.teacher.pk]))
    before = world_state()

    response = client.post(reverse("directory:person_reactivate", args=[cast.teacher.pk]))

    assert response.status_code == 302
    cast.teacher.refresh_from_db()
    assert (cast.teacher.is_active, cast.teacher.deactivated_at) == (True, None)
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.target_id, entry.organisation) == (
        cast.admin, "person.reactivate", cast.teacher.pk, cast.network)


@pytest.mark.parametrize(
    ("who", "status"),
    [("coach", 403), ("leader", 403), ("other_teacher", 403), ("outsider", 404)],
)
def test_person_reactivate_refused_changes_nothing(cast, client_for, who, status):
    Person.objects.filter(pk=cast.teacher.pk).update(is_active=False)
    before = world_state()

    response = client_for(getattr(cast, who)).post(
        reverse("directory:person_reactivate", args=[cast.teacher.pk]))

    assert response.status_code == status
    assert world_state() == before


def test_person_reactivate_anonymous_redirects_to_login(cast):
    url = reverse("directory:person_reactivate", args=[cast.teacher.pk])

    assert_login_redirect(Client().post(url), url)
