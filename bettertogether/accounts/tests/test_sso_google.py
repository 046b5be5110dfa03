"""Google sign-in, against a loopback provider that answers as Google does.

Google vouches for an address with `email_verified`, and is authoritative for it only for
Gmail addresses and Google Workspace accounts (whose ID token carries `hd`).
"""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.test import Client

from bettertogether.accounts.models import Invitation
from bettertogether.activity.models import ActivityEntry
from bettertogether.directory.models import Membership, Person, Role
from bettertogether.testing import factories as f
from bettertogether.testing.oidc import point_google_here, sign_in_through

START = "/sso/google/login/"


@pytest.fixture
def google(settings, monkeypatch, oidc_provider):
    settings.SOCIALACCOUNT_PROVIDERS = oidc_provider.google_settings()
    point_google_here(monkeypatch, oidc_provider)
    return oidc_provider


def signed_in_person(client: Client):
    response = client.get("/profile/")
    return response.context["person"] if response.status_code == 200 else None


def assert_refused(response, client, text: bytes):
    assert response.status_code == 403
    assert text in response.content
    assert signed_in_person(client) is None
    assert SocialAccount.objects.count() == 0


def test_google_signs_in_a_rostered_person_with_a_workspace_account(cast, google):
    client = Client()

    response = sign_in_through(client, START, "g-tess")

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_person(client) == cast.teacher
    [entry] = ActivityEntry.objects.filter(action="person.link_sso")
    assert (entry.actor, entry.details) == (cast.teacher, {"kind": "google"})
    [account] = SocialAccount.objects.filter(user=cast.teacher)
    assert account.extra_data["hd"] == "riverside.test"


def test_google_second_sign_in_reuses_the_link(cast, google):
    sign_in_through(Client(), START, "g-tess")
    client = Client()

    sign_in_through(client, START, "g-tess")

    assert signed_in_person(client) == cast.teacher
    assert ActivityEntry.objects.filter(action="person.link_sso").count() == 1


def test_google_accepts_a_pending_invitation_without_a_password(cast, google):
    f.InvitationFactory(
        email="newbie@riverside.test",
        full_name="Nia Newbie",
        organisation=cast.school,
        role=Role.COACH,
        invited_by=cast.admin,
    )
    client = Client()

    response = sign_in_through(client, START, "g-newbie")

    assert response.status_code == 302
    person = Person.objects.get(email="newbie@riverside.test")
    assert signed_in_person(client) == person
    assert not person.has_usable_password()
    assert (
        Membership.objects.filter(person=person, organisation=cast.school, role=Role.COACH).count()
        == 1
    )
    assert Invitation.objects.get(email="newbie@riverside.test").accepted_by == person


def test_google_refuses_an_address_it_does_not_verify(cast, google):
    client = Client()

    response = sign_in_through(client, START, "g-unverified")

    assert_refused(response, client, b"did not confirm your email address")


def test_google_refuses_a_personal_account_made_with_an_address_from_elsewhere(cast, google):
    client = Client()

    response = sign_in_through(client, START, "g-elsewhere")

    assert_refused(
        response, client, b"Google cannot confirm that teacher@riverside.test is still yours"
    )


def test_google_refuses_an_unknown_gmail_address_and_creates_nobody(cast, google):
    people = Person.objects.count()
    client = Client()

    response = sign_in_through(client, START, "g-stranger")

    assert_refused(
        response, client, b"There is no Better Together account for sam.stranger@gmail.com"
    )
    assert Person.objects.count() == people


def test_google_refuses_a_switched_off_person(cast, google):
    cast.teacher.is_active = False
    cast.teacher.save(update_fields=["is_active"])
    client = Client()

    response = sign_in_through(client, START, "g-tess")

    assert_refused(response, client, b"This account is switched off")


def test_google_takes_no_tenant_setting_into_account(cast, google):
    """A network's Microsoft tenants say nothing about Google sign-in."""
    cast.network.entra_tenants = "5a1f0c3e-7b2d-4c8e-9f10-2b3c4d5e6f70"
    cast.network.save(update_fields=["entra_tenants"])
    client = Client()

    sign_in_through(client, START, "g-tess")

    assert signed_in_person(client) == cast.teacher
