"""Microsoft Entra ID sign-in, against a loopback provider that answers as Entra does.

Entra sends no `email_verified`; the address (Graph's `mail`) is whatever a tenant's admin
typed. An address counts only from a tenant the network trusts, and only when it is that
tenant's own (a verified domain the network listed, or Microsoft's `xms_edov`).
"""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client

from bettertogether.accounts.models import Invitation
from bettertogether.activity.models import ActivityEntry
from bettertogether.directory.models import Membership, Person, Role
from bettertogether.directory.tests.support import without_tokens
from bettertogether.testing import factories as f
from bettertogether.testing.oidc import ELSEWHERE_TENANT, RIVERSIDE_TENANT, sign_in_through

START = "/sso/microsoft/login/"


@pytest.fixture
def entra(settings, oidc_provider):
    settings.SOCIALACCOUNT_PROVIDERS = oidc_provider.microsoft_settings()
    return oidc_provider


def trust(network, *, tenants=(RIVERSIDE_TENANT,), domains=("riverside.test",)):
    network.entra_tenants = "\n".join(tenants)
    network.entra_domains = "\n".join(domains)
    network.save(update_fields=["entra_tenants", "entra_domains"])


def signed_in_person(client: Client):
    response = client.get("/profile/")
    return response.context["person"] if response.status_code == 200 else None


def assert_refused(response, client, text: bytes):
    assert response.status_code == 403
    assert text in response.content
    assert signed_in_person(client) is None


def test_entra_signs_in_a_rostered_person_at_a_verified_domain_of_a_trusted_tenant(cast, entra):
    trust(cast.network)
    client = Client()

    response = sign_in_through(client, START, "e-tess")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_person(client) == cast.teacher
    [entry] = ActivityEntry.objects.filter(action="person.link_sso")
    assert (entry.actor, entry.details) == (cast.teacher, {"kind": "microsoft"})


def test_entra_links_the_account_by_tenant_and_object_id_not_by_address(cast, entra):
    trust(cast.network)

    sign_in_through(Client(), START, "e-tess")

    [account] = SocialAccount.objects.filter(user=cast.teacher)
    assert account.provider == "microsoft"
    assert account.uid == f"{RIVERSIDE_TENANT}/1d3e5f70-0a1b-4c2d-8e3f-405162738495"
    assert account.extra_data["id_token"]["tid"] == RIVERSIDE_TENANT
    assert "email_verified" not in account.extra_data["id_token"]


def test_entra_second_sign_in_reuses_the_link(cast, entra):
    trust(cast.network)
    sign_in_through(Client(), START, "e-tess")
    client = Client()

    sign_in_through(client, START, "e-tess")

    assert signed_in_person(client) == cast.teacher
    assert ActivityEntry.objects.filter(action="person.link_sso").count() == 1


def test_entra_takes_an_address_microsoft_confirms_without_a_domain_list(cast, entra):
    trust(cast.network, domains=())
    client = Client()

    response = sign_in_through(client, START, "e-confirmed")

    assert response.status_code == 302
    assert signed_in_person(client) == cast.teacher


def test_entra_accepts_a_pending_invitation_without_a_password(cast, entra):
    trust(cast.network)
    f.InvitationFactory(
        email="newbie@riverside.test",
        full_name="Nia Newbie",
        organisation=cast.school,
        role=Role.TEACHER,
        invited_by=cast.admin,
    )
    client = Client()

    response = sign_in_through(client, START, "e-newbie")

    assert response.status_code == 302
    person = Person.objects.get(email="newbie@riverside.test")
    assert signed_in_person(client) == person
    assert not person.has_usable_password()
    assert (
        Membership.objects.filter(
            person=person, organisation=cast.school, role=Role.TEACHER
        ).count()
        == 1
    )
    assert Invitation.objects.get(email="newbie@riverside.test").accepted_by == person


def test_entra_refuses_a_tenant_no_network_trusts(cast, entra):
    people = Person.objects.count()
    client = Client()

    response = sign_in_through(client, START, "e-tess")

    assert_refused(response, client, b"does not sign people in through this Microsoft")
    assert SocialAccount.objects.count() == 0
    assert Person.objects.count() == people


def test_entra_refusal_from_an_untrusted_tenant_does_not_tell_whether_an_address_exists(
    cast, entra
):
    known = sign_in_through(Client(), START, "e-tess")  # teacher@riverside.test has an account
    unknown = sign_in_through(Client(), START, "e-newbie")  # newbie@riverside.test has none

    assert known.status_code == unknown.status_code == 403
    assert without_tokens(known.content) == without_tokens(unknown.content)


def test_entra_refuses_another_tenant_claiming_a_trusted_networks_address(cast, entra):
    """The "nOAuth" takeover: a tenant's admin types someone else's address as a mail."""
    trust(cast.network)
    client = Client()

    response = sign_in_through(client, START, "e-forged")

    assert_refused(response, client, b"does not sign people in through this Microsoft")
    assert SocialAccount.objects.count() == 0


def test_entra_refuses_an_address_outside_the_tenants_verified_domains(cast, entra):
    trust(cast.network)
    client = Client()

    response = sign_in_through(client, START, "e-misdomain")

    assert_refused(
        response, client, b"Microsoft did not confirm that outsider@northfield.test belongs"
    )
    assert SocialAccount.objects.count() == 0


def test_entra_refuses_a_tenant_another_network_trusts_for_this_networks_people(cast, entra):
    """Northfield trusts a tenant whose address is Riverside's teacher's: not for Riverside."""
    trust(cast.network)
    trust(cast.outsider_network, tenants=(ELSEWHERE_TENANT,), domains=())
    client = Client()

    response = sign_in_through(client, START, "e-elsewhere")

    assert_refused(response, client, b"does not sign people in through this Microsoft")
    assert SocialAccount.objects.count() == 0


def test_entra_refuses_an_unknown_address_and_creates_nobody(cast, entra):
    trust(cast.network)
    people = Person.objects.count()
    client = Client()

    response = sign_in_through(client, START, "e-newbie")

    assert_refused(
        response, client, b"There is no Better Together account for newbie@riverside.test"
    )
    assert Person.objects.count() == people


def test_entra_refuses_a_switched_off_person(cast, entra):
    trust(cast.network)
    cast.teacher.is_active = False
    cast.teacher.save(update_fields=["is_active"])
    client = Client()

    response = sign_in_through(client, START, "e-tess")

    assert_refused(response, client, b"This account is switched off")
    assert SocialAccount.objects.count() == 0


def test_entra_refuses_a_linked_person_once_the_network_stops_trusting_the_tenant(cast, entra):
    trust(cast.network)
    sign_in_through(Client(), START, "e-tess")
    trust(cast.network, tenants=(), domains=())
    client = Client()

    response = sign_in_through(client, START, "e-tess")

    assert_refused(response, client, b"does not sign people in through this Microsoft")


def test_entra_refuses_a_linked_person_once_switched_off(cast, entra):
    trust(cast.network)
    sign_in_through(Client(), START, "e-tess")
    cast.teacher.is_active = False
    cast.teacher.save(update_fields=["is_active"])
    client = Client()

    response = sign_in_through(client, START, "e-tess")

    assert_refused(response, client, b"This account is switched off")
