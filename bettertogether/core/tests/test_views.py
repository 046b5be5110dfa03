"""Persona tests for home, profile and the two plain-text endpoints."""

import pytest
from django.test import Client
from django.urls import reverse

from bettertogether.directory.models import Role, TeacherProfile
from bettertogether.directory.tests.support import (
    assert_login_redirect,
    new_entries,
    world_state,
)
from bettertogether.testing import factories as f

CAST = ["coach", "teacher", "other_teacher", "leader", "admin", "outsider"]


@pytest.mark.parametrize("name", ["core:home", "core:floor", "core:profile",
                                  "core:profile_edit"])
def test_signed_in_pages_anonymous_redirects_to_login(db, name):
    url = reverse(name)

    assert_login_redirect(Client().get(url), url)


def test_healthz_is_open_to_anyone(db):
    response = Client().get(reverse("core:healthz"))

    assert (response.status_code, response.content) == (200, b"ok")
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("who", CAST)
def test_floor_is_plain_ok_for_everyone_signed_in(cast, client_for, who):
    response = client_for(getattr(cast, who)).get(reverse("core:floor"))

    assert (response.status_code, response.content) == (200, b"ok")


# --- home -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sections"),
    [
        ("coach", {"coach"}),
        ("teacher", {"teacher"}),
        ("other_teacher", {"teacher"}),
        ("leader", {"leader"}),
        ("admin", {"admin"}),
        ("outsider", {"admin"}),
    ],
)
def test_home_shows_the_sections_of_the_roles_held(cast, client_for, who, sections):
    response = client_for(getattr(cast, who)).get(reverse("core:home"))

    assert response.status_code == 200
    shown = {s for s in ("admin", "leader", "coach", "teacher", "facilitator")
             if s in response.context}
    assert shown == sections


def test_home_for_coach_counts_the_caseload(cast, client_for):
    coach = client_for(cast.coach).get(reverse("core:home")).context["coach"]

    assert (coach["count"], coach["school_count"]) == (1, 1)
    assert [a.teacher for a in coach["teachers"]] == [cast.teacher]


def test_home_for_teacher_lists_their_coaches(cast, client_for):
    teacher = client_for(cast.teacher).get(reverse("core:home")).context["teacher"]
    other = client_for(cast.other_teacher).get(reverse("core:home")).context["teacher"]

    assert [a.coach for a in teacher["coaches"]] == [cast.coach]
    assert other["coaches"] == []


def test_home_for_leader_shows_counts_only(cast, client_for, lincoln_of_five):
    for teacher in [cast.other_teacher, *lincoln_of_five[:3]]:
        f.CaseloadAssignmentFactory(coach=cast.coach, teacher=teacher, school=cast.school,
                                    school_year=cast.school_year)
    response = client_for(cast.leader).get(reverse("core:home"))

    [row] = response.context["leader"]["schools"]
    assert (row["school"], row["teachers"], row["coached"], row["coaches"], row["share"]) == (
        cast.school, 5, 5, 1, 100)
    assert b"Tess Teacher" not in response.content


def test_home_for_leader_hides_a_count_of_few_teachers_with_a_coach(cast, client_for,
                                                                    lincoln_of_five):
    response = client_for(cast.leader).get(reverse("core:home"))

    [row] = response.context["leader"]["schools"]
    assert (row["teachers"], row["coached"], row["share"]) == (5, None, None)
    assert (b'<td data-label="Teachers with a coach"><span class="suppressed" '
            b'title="Hidden: it would describe fewer than 5 teachers">hidden</span></td>'
            ) in response.content


def test_home_for_leader_of_a_school_too_small_to_describe_hides_its_coaching(cast,
                                                                             client_for):
    """Lincoln has two teachers, one of them with a coach: no figure of it."""
    response = client_for(cast.leader).get(reverse("core:home"))

    [row] = response.context["leader"]["schools"]
    assert (row["teachers"], row["coached"], row["share"]) == (2, None, None)


def test_home_for_admin_summarises_the_network(cast, client_for):
    f.InvitationFactory(organisation=cast.school)
    f.ActivityEntryFactory(actor=cast.admin, organisation=cast.school, target_label="Did it")
    f.ActivityEntryFactory(organisation=cast.outsider_school, target_label="Elsewhere")

    admin = client_for(cast.admin).get(reverse("core:home")).context["admin"]

    assert admin["school_count"] == 2
    assert admin["role_counts"] == {"teachers": 2, "coaches": 1, "leaders": 1}
    assert admin["pending_invitations"] == 1
    assert [e.target_label for e in admin["recent_activity"]] == ["Did it"]


def test_home_for_outsider_counts_only_their_network(cast, client_for):
    admin = client_for(cast.outsider).get(reverse("core:home")).context["admin"]

    assert admin["school_count"] == 1
    assert admin["role_counts"] == {"teachers": 0, "coaches": 0, "leaders": 0}


def test_home_for_facilitator_counts_coaches_and_leaders(cast, client_for):
    fay = f.PersonFactory(full_name="Fay Facilitator")
    f.MembershipFactory(person=fay, organisation=cast.network, role=Role.FACILITATOR)

    context = client_for(fay).get(reverse("core:home")).context

    assert context["facilitator"] == {"coaches": 1, "leaders": 1}


def test_home_for_someone_without_a_role_says_so(db, client_for):
    response = client_for(f.PersonFactory()).get(reverse("core:home"))

    assert response.status_code == 200
    assert b"You have no role yet" in response.content


def test_home_asks_teacher_without_grades_to_complete_profile(cast, client_for):
    client = client_for(cast.teacher)
    assert client.get(reverse("core:home")).context["profile_incomplete"] is True

    cast.teacher.profile.grades.add(f.GradeLevelFactory(network=cast.network))
    cast.teacher.profile.subjects.add(f.SubjectFactory(network=cast.network))

    assert client.get(reverse("core:home")).context["profile_incomplete"] is False
    assert client_for(cast.coach).get(reverse("core:home")).context[
        "profile_incomplete"] is False


# --- profile ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", CAST)
def test_profile_shows_ones_own_details(cast, client_for, who):
    person = getattr(cast, who)

    response = client_for(person).get(reverse("core:profile"))

    assert response.status_code == 200
    assert response.context["person"] == person
    assert person.email.encode() in response.content


@pytest.mark.parametrize("who", CAST)
def test_profile_edit_saves_ones_own_profile(cast, client_for, who):
    person = getattr(cast, who)
    network = cast.outsider_network if who == "outsider" else cast.network
    grade = f.GradeLevelFactory(network=network)
    before = world_state()

    response = client_for(person).post(reverse("core:profile_edit"), {
        "full_name": "New Name", "preferred_name": "Newbie", "grades": [grade.pk],
        "years_experience": "3", "interests": "Gardening"})

    assert response.status_code == 302
    assert response["Location"] == reverse("core:profile")
    person.refresh_from_db()
    profile = TeacherProfile.objects.get(person=person)
    assert (person.full_name, person.preferred_name) == ("New Name", "Newbie")
    assert (profile.years_experience, profile.interests) == (3, "Gardening")
    assert list(profile.grades.all()) == [grade]
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.target_id, entry.organisation) == (
        person, "profile.update", person.pk, network)


def test_profile_edit_form_offers_only_own_network_grades(cast, client_for):
    mine = f.GradeLevelFactory(network=cast.network)
    f.GradeLevelFactory(network=cast.outsider_network)

    form = client_for(cast.teacher).get(reverse("core:profile_edit")).context["form"]

    assert list(form.fields["grades"].queryset) == [mine]


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("grades", "foreign-grade", "Select a valid choice. {pk} is not one of the available "
                                    "choices."),
        ("subjects", "foreign-subject", "Select a valid choice. {pk} is not one of the "
                                        "available choices."),
        ("full_name", "", "This field is required."),
        ("years_experience", "-1", "Ensure this value is greater than or equal to 0."),
        ("years_experience", "many", "Enter a whole number."),
    ],
)
def test_profile_edit_bad_input_is_422_next_to_the_field(cast, client_for, field, value, error):
    foreign = {"foreign-grade": f.GradeLevelFactory(network=cast.outsider_network).pk,
               "foreign-subject": f.SubjectFactory(network=cast.outsider_network).pk}
    posted = foreign.get(value, value)
    data = {"full_name": "Tess", field: [posted] if field in ("grades", "subjects") else posted}
    before = world_state()

    response = client_for(cast.teacher).post(reverse("core:profile_edit"), data)

    assert response.status_code == 422
    assert response.context["form"].errors == {field: [error.format(pk=posted)]}
    assert b"field-invalid" in response.content
    assert world_state() == before


# --- navigation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sections"),
    [
        ("coach", ["home", "caseload", "coaching_log", "requests", "goals", "sessions",
                   "reports", "people", "notifications"]),
        ("teacher", ["home", "coaching_mine", "menu", "goals", "sessions", "people",
                     "notifications"]),
        ("leader", ["home", "reports", "people", "organisations", "notifications"]),
        ("admin", ["home", "reports", "people", "organisations", "invitations", "activity",
                   "rostering", "notifications"]),
        ("outsider", ["home", "reports", "people", "organisations", "invitations", "activity",
                      "rostering", "notifications"]),
    ],
)
def test_navigation_offers_the_pages_each_role_may_open(cast, client_for, who, sections):
    client = client_for(getattr(cast, who))

    nav = client.get(reverse("core:home")).context["nav"]

    assert [key for _label, _url, key in nav] == sections
    for _label, url, _key in nav:
        assert client.get(url).status_code == 200


def test_navigation_for_facilitator_links_to_people(cast, client_for):
    fay = f.PersonFactory()
    f.MembershipFactory(person=fay, organisation=cast.network, role=Role.FACILITATOR)
    client = client_for(fay)

    nav = client.get(reverse("core:home")).context["nav"]

    assert [key for _label, _url, key in nav] == ["home", "people", "notifications"]
    assert client.get(reverse("directory:people")).status_code == 200


def test_navigation_marks_the_current_section(cast, client_for):
    response = client_for(cast.admin).get(reverse("directory:person", args=[cast.teacher.pk]))

    assert response.context["active"] == "people"
    assert b'aria-current="page">People</a>' in response.content
