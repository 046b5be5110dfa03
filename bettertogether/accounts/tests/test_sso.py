"""Single sign-on against a real OpenID Connect provider running on loopback."""

from urllib.parse import urlsplit

import pytest
from django.test import Client

from bettertogether.accounts.models import Invitation
from bettertogether.activity.models import ActivityEntry
from bettertogether.directory.models import Membership, Person, Role
from bettertogether.testing import factories as f
from bettertogether.testing.oidc import PROVIDER_ID, point_google_here, sign_in_at_provider

START = f"/sso/oidc/{PROVIDER_ID}/login/"


@pytest.fixture
def sso(settings, oidc_provider):
    settings.SOCIALACCOUNT_PROVIDERS = oidc_provider.app_settings()
    return oidc_provider


def sign_in_through_provider(client: Client, username: str, password: str):
    start = client.post(START, {"process": "login"})
    assert start.status_code == 302, start.content[:500]
    back = sign_in_at_provider(start["Location"], username, password)
    parts = urlsplit(back)
    assert parts.netloc == "testserver"
    return client.get(f"{parts.path}?{parts.query}")


def signed_in_person(client: Client):
    response = client.get("/profile/")
    return response.context["person"] if response.status_code == 200 else None


def test_sso_links_a_rostered_person_by_verified_email(cast, sso):
    client = Client()
    response = sign_in_through_provider(client, "tess", "provider-pass-1")
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_person(client) == cast.teacher
    assert ActivityEntry.objects.filter(actor=cast.teacher, action="person.link_sso").count() == 1


def test_sso_second_sign_in_reuses_the_link(cast, sso):
    sign_in_through_provider(Client(), "tess", "provider-pass-1")
    client = Client()
    sign_in_through_provider(client, "tess", "provider-pass-1")
    assert signed_in_person(client) == cast.teacher
    assert ActivityEntry.objects.filter(action="person.link_sso").count() == 1


def test_sso_refuses_an_unknown_email_and_creates_nobody(cast, sso):
    people = Person.objects.count()
    client = Client()
    response = sign_in_through_provider(client, "stranger", "provider-pass-2")
    assert response.status_code == 403
    assert b"There is no Better Together account for stranger@elsewhere.test" in response.content
    assert Person.objects.count() == people
    assert signed_in_person(client) is None


def test_sso_refuses_an_address_the_provider_does_not_vouch_for(cast, sso):
    client = Client()
    response = sign_in_through_provider(client, "unverified", "provider-pass-4")
    assert response.status_code == 403
    assert b"did not confirm your email address" in response.content
    assert signed_in_person(client) is None


def test_sso_refuses_an_address_the_provider_says_nothing_about(cast, sso):
    """No `email_verified` at all (as Entra through a plain OIDC set-up) vouches for nothing."""
    client = Client()
    response = sign_in_through_provider(client, "silent", "provider-pass-5")
    assert response.status_code == 403
    assert b"did not confirm your email address" in response.content
    assert signed_in_person(client) is None


def test_sso_refuses_a_switched_off_person(cast, sso):
    cast.teacher.is_active = False
    cast.teacher.save(update_fields=["is_active"])
    client = Client()
    response = sign_in_through_provider(client, "tess", "provider-pass-1")
    assert response.status_code == 403
    assert signed_in_person(client) is None


def test_sso_accepts_a_pending_invitation_without_a_password(cast, sso):
    f.InvitationFactory(email="newbie@riverside.test", full_name="Nia Newbie",
                        organisation=cast.school, role=Role.COACH, invited_by=cast.admin)
    client = Client()
    response = sign_in_through_provider(client, "newbie", "provider-pass-3")
    assert response.status_code == 302
    person = Person.objects.get(email="newbie@riverside.test")
    assert signed_in_person(client) == person
    assert not person.has_usable_password()
    assert Membership.objects.filter(person=person, organisation=cast.school,
                                     role=Role.COACH).count() == 1
    assert Invitation.objects.get(email="newbie@riverside.test").accepted_by == person


def test_password_sign_in_turned_off_refuses_the_password_but_sso_works(cast, sso):
    cast.network.password_sign_in = False
    cast.network.save(update_fields=["password_sign_in"])
    client = Client()
    response = client.post("/accounts/login/",
                           {"username": cast.teacher.email, "password": f.PASSWORD})
    assert response.status_code == 200
    assert b"signs in through single sign-on" in response.content
    assert signed_in_person(client) is None
    sign_in_through_provider(client, "tess", "provider-pass-1")
    assert signed_in_person(client) == cast.teacher


def test_sign_in_page_offers_the_configured_provider(db, sso):
    response = Client().get("/accounts/login/")
    assert b"Sign in with Test SSO" in response.content
    assert START.encode() in response.content


def test_allauth_sign_up_pages_are_not_served(db, sso):
    response = Client().get("/sso/signup/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"


def test_sign_in_page_allows_forms_to_reach_the_provider_and_nowhere_else(db, sso):
    policy = Client().get("/accounts/login/").headers["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if "form-action" in part)
    assert form_action.split() == ["form-action", "'self'", sso.url]
    other = Client().get("/accounts/password/reset/").headers["Content-Security-Policy"]
    assert "form-action 'self';" in other + ";"


def test_sign_in_page_with_every_kind_of_provider_allows_each_ones_origin(
        db, settings, monkeypatch, oidc_provider):
    settings.SOCIALACCOUNT_PROVIDERS = {**oidc_provider.app_settings(),
                                        **oidc_provider.google_settings(),
                                        **oidc_provider.microsoft_settings()}
    response = Client().get("/accounts/login/")
    for name in (b"Sign in with Test SSO", b"Sign in with Google", b"Sign in with Microsoft"):
        assert name in response.content
    policy = response.headers["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if "form-action" in part)
    # Google's own sign-in page, and Microsoft's and the OIDC provider's on the loopback.
    assert form_action.split()[:2] == ["form-action", "'self'"]
    assert sorted(form_action.split()[2:]) == sorted([oidc_provider.url,
                                                      "https://accounts.google.com"])
    point_google_here(monkeypatch, oidc_provider)
    policy = Client().get("/accounts/login/").headers["Content-Security-Policy"]
    form_action = next(part for part in policy.split(";") if "form-action" in part)
    assert form_action.split() == ["form-action", "'self'", oidc_provider.url]


def test_invitation_link_in_an_sso_only_network_offers_the_provider(cast, sso):
    cast.network.password_sign_in = False
    cast.network.save(update_fields=["password_sign_in"])
    f.InvitationFactory(token="known-token", email="newbie@riverside.test",
                        organisation=cast.school, invited_by=cast.admin)
    response = Client().get("/accounts/invite/known-token/")
    assert response.status_code == 200
    assert b"signs in through single sign-on" in response.content
    assert b"Sign in with Test SSO" in response.content
    assert b"Choose a password" not in response.content


def test_sso_signs_in_someone_a_roster_import_brought_in(cast, sso, tmp_path):
    from bettertogether.rostering.services import roster_import

    roster = tmp_path / "new-hires.csv"
    roster.write_text(
        "name,email,role,school,grades,subjects\n"
        f"Nia Newbie,newbie@riverside.test,teacher,{cast.school.name},,\n"
    )
    run = roster_import(actor=cast.admin, network=cast.network, path=roster, dry_run=False)
    assert run.status == "done"
    rostered = Person.objects.get(email="newbie@riverside.test")
    assert not rostered.has_usable_password()

    client = Client()
    response = sign_in_through_provider(client, "newbie", "provider-pass-3")
    assert response.status_code == 302
    assert signed_in_person(client) == rostered
