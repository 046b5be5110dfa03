"""Terminology follows the organisation: en-GB networks read headteacher, trust, year group."""

import pytest
from django.urls import reverse
from django.utils import translation

from bettertogether.directory.models import Role
from bettertogether.testing import factories as f


@pytest.fixture(autouse=True)
def _back_to_source_language():
    # The locale middleware switches the thread's language for an en-GB person; put it back
    # so later tests start in US English.
    yield
    translation.activate("en-us")


@pytest.fixture
def headteacher(cast):
    person = f.PersonFactory(full_name="Harriet Head")
    f.MembershipFactory(person=person, organisation=cast.outsider_school,
                        role=Role.SCHOOL_LEADER)
    return person


def test_en_gb_school_page_says_headteacher(cast, client_for, headteacher):
    response = client_for(headteacher).get(
        reverse("directory:organisation", args=[cast.outsider_school.pk]))

    assert response.status_code == 200
    assert b"Headteacher" in response.content
    assert b"Principal" not in response.content
    assert response.content.startswith(b'<!doctype html>\n<html lang="en-gb">')


def test_en_gb_people_list_shows_headteacher_and_trust_admin(cast, client_for, headteacher):
    response = client_for(cast.outsider).get(reverse("directory:people"))

    assert b"Headteacher \xc2\xb7 Northfield Primary" in response.content
    assert b"Trust admin \xc2\xb7 Northfield" in response.content
    assert b"Principal" not in response.content
    assert b"District admin" not in response.content


def test_en_gb_network_page_says_trust(cast, client_for):
    response = client_for(cast.outsider).get(
        reverse("directory:organisation", args=[cast.outsider_network.pk]))

    assert b'<p class="eyebrow">Trust</p>' in response.content
    assert b"District" not in response.content


def test_en_gb_home_says_your_trust(cast, client_for):
    response = client_for(cast.outsider).get(reverse("core:home"))

    assert b"Your trust" in response.content
    assert b"Your district" not in response.content


def test_en_gb_schools_list_heads_the_column_headteachers(cast, client_for):
    response = client_for(cast.outsider).get(reverse("directory:organisations"))

    assert b"Headteachers" in response.content
    assert b"Principals" not in response.content


def test_en_gb_profile_form_asks_for_year_groups(cast, client_for, headteacher):
    f.GradeLevelFactory(network=cast.outsider_network, name="Year 5")

    response = client_for(headteacher).get(reverse("core:profile_edit"))

    assert b"Year groups you teach" in response.content
    assert b"Grades you teach" not in response.content


def test_en_us_network_keeps_us_terms(cast, client_for):
    school = client_for(cast.admin).get(reverse("directory:organisation", args=[cast.school.pk]))
    home = client_for(cast.admin).get(reverse("core:home"))

    assert b"Principal" in school.content
    assert b"Headteacher" not in school.content
    assert b"Your district" in home.content


def test_terminology_follows_the_organisation_not_the_browser(cast, client_for, headteacher):
    response = client_for(headteacher).get(
        reverse("directory:organisation", args=[cast.outsider_school.pk]),
        headers={"Accept-Language": "en-US"})
    us_response = client_for(cast.admin).get(
        reverse("directory:organisation", args=[cast.school.pk]),
        headers={"Accept-Language": "en-GB"})

    assert b"Headteacher" in response.content
    assert b"Principal" in us_response.content
