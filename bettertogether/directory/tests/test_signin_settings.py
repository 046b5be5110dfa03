"""A network's Microsoft sign-in settings: its Entra tenants and their verified domains.

Edited on the network's settings page (with "password sign-in"); read by the sign-in flow
(`accounts/vouching.py`).
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bettertogether.directory import services
from bettertogether.directory.models import Role
from bettertogether.directory.tests.support import new_entries, world_state
from bettertogether.testing import factories as f

TENANT = "5a1f0c3e-7b2d-4c8e-9f10-2b3c4d5e6f70"
OTHER_TENANT = "c0ffee00-1234-4abc-8def-0123456789ab"
PERSONAL_ACCOUNTS = "9188040d-6c67-4c5b-b112-36a304b66dad"


def network_settings(network, **changes) -> dict:
    return {
        "name": network.name,
        "locale": network.locale,
        "time_zone": network.time_zone,
        "leader_visibility": network.leader_visibility,
        "min_student_group": network.min_student_group,
        "password_sign_in": "on",
        "entra_tenants": "",
        "entra_domains": "",
        **changes,
    }


def update(cast, **changes):
    values = {
        "name": "Riverside",
        "locale": "en-us",
        "time_zone": "America/New_York",
        "leader_visibility": "totals",
        **changes,
    }
    return services.organisation_update(actor=cast.admin, organisation=cast.network, **values)


# --- the service ------------------------------------------------------------------------


def test_entra_settings_are_normalised_one_value_a_line(cast):
    before = world_state()

    update(
        cast,
        entra_tenants=f" {TENANT.upper()}, {OTHER_TENANT}\n{TENANT} ",
        entra_domains="Riverside.test; @lincoln.riverside.test\nriverside.test",
    )

    cast.network.refresh_from_db()
    assert cast.network.entra_tenants == f"{TENANT}\n{OTHER_TENANT}"
    assert cast.network.entra_domains == "riverside.test\nlincoln.riverside.test"
    assert cast.network.entra_tenant_list == [TENANT, OTHER_TENANT]
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.organisation) == (
        cast.admin,
        "organisation.update_settings",
        cast.network,
    )
    assert entry.details["fields"][-2:] == ["entra_tenants", "entra_domains"]


def test_entra_settings_cleared_with_empty_text(cast):
    update(cast, entra_tenants=TENANT, entra_domains="riverside.test")

    update(cast, entra_tenants="", entra_domains="")

    cast.network.refresh_from_db()
    assert (cast.network.entra_tenants, cast.network.entra_domains) == ("", "")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"entra_tenants": "contoso.onmicrosoft.com"},
            "entra_tenants",
            "“contoso.onmicrosoft.com” is not a tenant ID.",
        ),
        (
            {"entra_tenants": PERSONAL_ACCOUNTS},
            "entra_tenants",
            "is the tenant of personal Microsoft accounts",
        ),
        (
            {"entra_tenants": TENANT, "entra_domains": "riverside"},
            "entra_domains",
            "“riverside” is not a domain name",
        ),
        (
            {"entra_tenants": TENANT, "entra_domains": "https://riverside.test/"},
            "entra_domains",
            "is not a domain name",
        ),
        (
            {"entra_domains": "riverside.test"},
            "entra_domains",
            "List the tenants these domains belong to as well.",
        ),
    ],
)
def test_entra_settings_bad_value_changes_nothing(cast, changes, field, message):
    before = world_state()

    with pytest.raises(ValidationError) as error:
        update(cast, **changes)

    assert list(error.value.message_dict) == [field]
    assert message in error.value.message_dict[field][0]
    assert world_state() == before


def test_entra_settings_belong_to_the_network_not_a_school(cast):
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.organisation_update(
            actor=cast.admin,
            organisation=cast.school,
            name="Lincoln Elementary",
            locale="en-us",
            time_zone="UTC",
            leader_visibility="totals",
            entra_tenants=TENANT,
        )

    assert error.value.message_dict == {
        "entra_tenants": ["Microsoft sign-in is set on the network."]
    }
    assert world_state() == before


# --- the network's settings page, by persona --------------------------------------------


def test_network_settings_page_by_its_admin_saves_the_entra_settings(cast, client_for):
    url = reverse("directory:organisation_settings", args=[cast.network.pk])
    client = client_for(cast.admin)

    assert b"Microsoft Entra tenants that sign your people in" in client.get(url).content
    response = client.post(
        url, network_settings(cast.network, entra_tenants=TENANT, entra_domains="riverside.test")
    )

    assert response.status_code == 302
    cast.network.refresh_from_db()
    assert (cast.network.entra_tenants, cast.network.entra_domains) == (TENANT, "riverside.test")
    page = client.get(reverse("directory:organisation", args=[cast.network.pk]))
    assert b"1 tenant \xc2\xb7 riverside.test" in page.content


def test_network_settings_page_by_another_admin_of_the_network_saves(cast, client_for):
    colleague = f.PersonFactory(email="second.admin@riverside.test")
    f.MembershipFactory(person=colleague, organisation=cast.network, role=Role.NETWORK_ADMIN)
    url = reverse("directory:organisation_settings", args=[cast.network.pk])

    response = client_for(colleague).post(url, network_settings(cast.network, entra_tenants=TENANT))

    assert response.status_code == 302
    cast.network.refresh_from_db()
    assert cast.network.entra_tenants == TENANT


@pytest.mark.parametrize(
    ("who", "status"), [("leader", 403), ("coach", 403), ("teacher", 403), ("outsider", 404)]
)
def test_network_settings_page_refused_changes_nothing(cast, client_for, who, status):
    url = reverse("directory:organisation_settings", args=[cast.network.pk])
    client = client_for(getattr(cast, who))
    before = world_state()

    assert client.get(url).status_code == status
    assert (
        client.post(url, network_settings(cast.network, entra_tenants=TENANT)).status_code == status
    )
    assert world_state() == before


def test_network_settings_page_bad_tenant_is_shown_next_to_the_field(cast, client_for):
    url = reverse("directory:organisation_settings", args=[cast.network.pk])
    before = world_state()

    response = client_for(cast.admin).post(
        url,
        network_settings(
            cast.network, entra_tenants="contoso.onmicrosoft.com", entra_domains="riverside.test"
        ),
    )

    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["entra_tenants"]
    assert "is not a tenant ID" in response.context["form"].errors["entra_tenants"][0]
    assert b"field-invalid" in response.content
    assert world_state() == before


def test_school_settings_page_has_no_sign_in_settings(cast, client_for):
    response = client_for(cast.admin).get(
        reverse("directory:organisation_settings", args=[cast.school.pk])
    )

    assert response.status_code == 200
    assert "entra_tenants" not in response.context["form"].fields
    assert "password_sign_in" not in response.context["form"].fields
