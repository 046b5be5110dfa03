"""Persona tests for schools and networks: list, detail, settings, new school, new year."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from bettertogether.directory.models import Organisation, SchoolYear
from bettertogether.directory.tests.support import (
    assert_login_redirect,
    new_entries,
    without_tokens,
    world_state,
)

SETTINGS = {
    "name": "Lincoln Elementary School",
    "locale": "en-gb",
    "time_zone": "Europe/London",
    "leader_visibility": "who_and_kind",
    "min_student_group": 15,
}


# --- schools list -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "listed", "can_create"),
    [
        ("admin", ["Lincoln Elementary", "Roosevelt Middle"], True),
        ("leader", ["Lincoln Elementary"], False),
        ("outsider", ["Northfield Primary"], True),
    ],
)
def test_organisations_list_by_persona(cast, client_for, who, listed, can_create):
    response = client_for(getattr(cast, who)).get(reverse("directory:organisations"))

    assert response.status_code == 200
    assert [row["organisation"].name for row in response.context["rows"]] == listed
    assert response.context["can_create"] is can_create


@pytest.mark.parametrize("who", ["coach", "teacher", "other_teacher"])
def test_organisations_list_without_admin_or_leader_role_is_404(cast, client_for, who):
    response = client_for(getattr(cast, who)).get(reverse("directory:organisations"))

    assert response.status_code == 404


def test_organisations_list_counts_people_by_role(cast, client_for):
    response = client_for(cast.admin).get(reverse("directory:organisations"))

    lincoln = response.context["rows"][0]["counts"]
    assert (lincoln["teacher"], lincoln["coach"], lincoln["school_leader"]) == (2, 1, 1)


def test_organisations_list_anonymous_redirects_to_login(cast):
    url = reverse("directory:organisations")

    assert_login_redirect(Client().get(url), url)


# --- one organisation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status", "can_manage", "can_view_people"),
    [
        ("admin", 200, True, True),
        ("leader", 200, False, True),
        ("coach", 200, False, True),
        ("teacher", 200, False, False),
        ("other_teacher", 200, False, False),
        ("outsider", 404, None, None),
    ],
)
def test_organisation_page_by_persona(cast, client_for, who, status, can_manage,
                                      can_view_people):
    response = client_for(getattr(cast, who)).get(
        reverse("directory:organisation", args=[cast.school.pk]))

    assert response.status_code == status
    if status == 200:
        assert response.context["organisation"] == cast.school
        assert response.context["can_manage"] is can_manage
        assert response.context["can_view_people"] is can_view_people
        assert list(response.context["leaders"]) == [cast.leader]
        assert list(response.context["coaches"]) == [cast.coach]


def test_organisation_page_of_network_lists_years_and_schools(cast, client_for):
    response = client_for(cast.admin).get(
        reverse("directory:organisation", args=[cast.network.pk]))

    assert response.status_code == 200
    assert list(response.context["school_years"]) == [cast.school_year]
    assert [s.name for s in response.context["schools"]] == [
        "Lincoln Elementary", "Roosevelt Middle"]
    assert response.context["school_year"] == cast.school_year


def test_organisation_page_of_other_school_is_404_for_teacher(cast, client_for):
    response = client_for(cast.teacher).get(
        reverse("directory:organisation", args=[cast.other_school.pk]))

    assert response.status_code == 404


def test_organisation_page_of_other_network_is_same_404_as_missing_id(cast, client_for):
    client = client_for(cast.admin)

    foreign = client.get(reverse("directory:organisation", args=[cast.outsider_school.pk]))
    missing = client.get(reverse("directory:organisation", args=[999_999]))

    assert foreign.status_code == missing.status_code == 404
    assert without_tokens(foreign.content) == without_tokens(missing.content)


def test_organisation_page_anonymous_redirects_to_login(cast):
    url = reverse("directory:organisation", args=[cast.school.pk])

    assert_login_redirect(Client().get(url), url)


# --- settings ---------------------------------------------------------------------------


def test_organisation_settings_by_admin_saves_and_records_entry(cast, client_for):
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:organisation_settings", args=[cast.school.pk]), SETTINGS)

    assert response.status_code == 302
    assert response["Location"] == reverse("directory:organisation", args=[cast.school.pk])
    cast.school.refresh_from_db()
    assert (cast.school.name, cast.school.locale, cast.school.time_zone,
            cast.school.leader_visibility, cast.school.min_student_group) == tuple(
        SETTINGS.values())
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.organisation, entry.network) == (
        cast.admin, "organisation.update_settings", cast.school, cast.network)
    assert entry.details == {"fields": ["name", "locale", "time_zone", "leader_visibility",
                                        "min_student_group"]}


def test_organisation_settings_get_by_admin_shows_current_values(cast, client_for):
    response = client_for(cast.admin).get(
        reverse("directory:organisation_settings", args=[cast.school.pk]))

    assert response.status_code == 200
    assert response.context["form"].initial["time_zone"] == cast.school.time_zone


@pytest.mark.parametrize(
    ("who", "status"),
    [("leader", 403), ("coach", 403), ("teacher", 403), ("outsider", 404)],
)
def test_organisation_settings_refused_changes_nothing(cast, client_for, who, status):
    client = client_for(getattr(cast, who))
    url = reverse("directory:organisation_settings", args=[cast.school.pk])
    before = world_state()

    assert client.get(url).status_code == status
    assert client.post(url, SETTINGS).status_code == status
    assert world_state() == before


def test_organisation_settings_unknown_time_zone_is_422(cast, client_for):
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:organisation_settings", args=[cast.school.pk]),
        {**SETTINGS, "time_zone": "Mars/Olympus_Mons"})

    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["time_zone"]
    assert b"field-invalid" in response.content
    assert world_state() == before


def test_organisation_settings_duplicate_name_is_422(cast, client_for):
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:organisation_settings", args=[cast.school.pk]),
        {**SETTINGS, "name": "Roosevelt Middle"})

    assert response.status_code == 422
    assert response.context["form"].errors["name"] == [
        "Riverside already has a school called Roosevelt Middle."]
    assert world_state() == before


def test_organisation_settings_anonymous_redirects_to_login(cast):
    url = reverse("directory:organisation_settings", args=[cast.school.pk])
    before = world_state()

    assert_login_redirect(Client().post(url, SETTINGS), url)
    assert world_state() == before


# --- new school -------------------------------------------------------------------------


def test_school_create_by_admin_adds_school_and_records_entry(cast, client_for):
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:school_create"), {"name": "  Jefferson High "})

    school = Organisation.objects.get(name="Jefferson High")
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:organisation", args=[school.pk])
    assert (school.kind, school.network, school.locale, school.time_zone) == (
        "school", cast.network, cast.network.locale, cast.network.time_zone)
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.organisation, entry.network) == (
        cast.admin, "organisation.create", school, cast.network)


def test_school_create_by_outsider_lands_in_their_own_network(cast, client_for):
    client_for(cast.outsider).post(reverse("directory:school_create"), {"name": "Jefferson"})

    assert Organisation.objects.get(name="Jefferson").network == cast.outsider_network


@pytest.mark.parametrize("who", ["leader", "coach", "teacher"])
def test_school_create_without_admin_role_is_404_and_changes_nothing(cast, client_for, who):
    client = client_for(getattr(cast, who))
    before = world_state()

    assert client.get(reverse("directory:school_create")).status_code == 404
    assert client.post(reverse("directory:school_create"), {"name": "X"}).status_code == 404
    assert world_state() == before


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "This field is required."),
        ("Lincoln Elementary", "Riverside already has a school called Lincoln Elementary."),
    ],
)
def test_school_create_bad_name_is_422(cast, client_for, name, error):
    before = world_state()

    response = client_for(cast.admin).post(reverse("directory:school_create"), {"name": name})

    assert response.status_code == 422
    assert response.context["form"].errors["name"] == [error]
    assert world_state() == before


def test_school_create_anonymous_redirects_to_login(cast):
    url = reverse("directory:school_create")

    assert_login_redirect(Client().post(url, {"name": "X"}), url)


# --- new school year --------------------------------------------------------------------

YEAR = {"name": "2027–28", "starts_on": "2027-08-20", "ends_on": "2028-06-15"}


def test_school_year_create_by_admin_adds_year_and_records_entry(cast, client_for):
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:school_year_create", args=[cast.network.pk]), YEAR)

    assert response.status_code == 302
    assert response["Location"] == reverse("directory:organisation", args=[cast.network.pk])
    year = SchoolYear.objects.get(name="2027–28")
    assert (year.network, year.starts_on, year.ends_on) == (
        cast.network, datetime.date(2027, 8, 20), datetime.date(2028, 6, 15))
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.target_id, entry.organisation) == (
        cast.admin, "school_year.create", year.pk, cast.network)


@pytest.mark.parametrize(
    ("who", "status"),
    [("leader", 403), ("coach", 403), ("teacher", 403), ("outsider", 404)],
)
def test_school_year_create_refused_changes_nothing(cast, client_for, who, status):
    client = client_for(getattr(cast, who))
    url = reverse("directory:school_year_create", args=[cast.network.pk])
    before = world_state()

    assert client.get(url).status_code == status
    assert client.post(url, YEAR).status_code == status
    assert world_state() == before


def test_school_year_create_for_a_school_is_404(cast, client_for):
    response = client_for(cast.admin).get(
        reverse("directory:school_year_create", args=[cast.school.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({**YEAR, "ends_on": "2027-08-01"}, "ends_on", "The last day must come after the first."),
        ({**YEAR, "ends_on": "2027-08-20"}, "ends_on", "The last day must come after the first."),
        ({**YEAR, "starts_on": "soon"}, "starts_on", "Enter a valid date."),
        ({**YEAR, "name": "2026–27"}, "name",
         "Riverside already has a school year called 2026–27."),
    ],
)
def test_school_year_create_bad_input_is_422(cast, client_for, data, field, error):
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:school_year_create", args=[cast.network.pk]), data)

    assert response.status_code == 422
    assert response.context["form"].errors == {field: [error]}
    assert world_state() == before


def test_school_year_create_anonymous_redirects_to_login(cast):
    url = reverse("directory:school_year_create", args=[cast.network.pk])

    assert_login_redirect(Client().post(url, YEAR), url)


def test_organisation_settings_of_the_network_by_admin(cast, client_for):
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:organisation_settings", args=[cast.network.pk]),
        {**SETTINGS, "name": "Riverside Unified"})

    assert response.status_code == 302
    cast.network.refresh_from_db()
    assert (cast.network.name, cast.network.locale) == ("Riverside Unified", "en-gb")
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.organisation) == (
        cast.admin, "organisation.update_settings", cast.network)


def test_organisation_settings_refuse_a_student_group_under_ten(cast, client_for):
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:organisation_settings", args=[cast.school.pk]),
        {**SETTINGS, "min_student_group": 5})

    assert response.status_code == 422
    assert response.context["form"].errors == {
        "min_student_group": ["Ensure this value is greater than or equal to 10."]}
    assert world_state() == before
