"""Persona tests for the invitation pages and actions, and for accepting a link."""

import datetime

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bettertogether.accounts.models import Invitation
from bettertogether.accounts.tests.support import link_token, world_state
from bettertogether.directory.models import Membership, Person, Role
from bettertogether.directory.tests.support import assert_login_redirect, new_entries
from bettertogether.testing import factories as f


def _invite_data(cast, **overrides):
    return {"full_name": "Nia New", "email": "nia@example.org",
            "organisation": cast.school.pk, "role": "teacher", **overrides}


@pytest.fixture
def invitation(cast):
    return f.InvitationFactory(token="riverside-link", email="nia@example.org",
                               full_name="Nia New", organisation=cast.school,
                               invited_by=cast.admin)


@pytest.fixture
def foreign_invitation(cast):
    return f.InvitationFactory(token="northfield-link", email="nell@example.org",
                               full_name="Nell North", organisation=cast.outsider_school,
                               invited_by=cast.outsider)


# --- the invitations page ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "listed"),
    [("admin", ["Nia New"]), ("outsider", ["Nell North"])],
)
def test_invitations_page_lists_own_network_only(cast, client_for, invitation,
                                                 foreign_invitation, who, listed):
    response = client_for(getattr(cast, who)).get(reverse("accounts:invitations"))

    assert response.status_code == 200
    assert [i.full_name for i in response.context["page"].object_list] == listed


@pytest.mark.parametrize("who", ["coach", "teacher", "other_teacher", "leader"])
def test_invitations_page_without_admin_role_is_404(cast, client_for, who):
    response = client_for(getattr(cast, who)).get(reverse("accounts:invitations"))

    assert response.status_code == 404


def test_invitations_page_anonymous_redirects_to_login(cast):
    url = reverse("accounts:invitations")

    assert_login_redirect(Client().get(url), url)


@pytest.mark.parametrize(
    ("status", "listed"),
    [
        ("pending", ["Pat Pending", "Ed Expired"]),
        ("accepted", ["Ann Accepted"]),
        ("revoked", ["Ray Revoked"]),
        ("all", ["Pat Pending", "Ed Expired", "Ann Accepted", "Ray Revoked"]),
    ],
)
def test_invitations_page_filters_by_status(cast, client_for, status, listed):
    now = timezone.now()
    for offset, (name, changes) in enumerate([
        ("Ray Revoked", {"revoked_at": now}),
        ("Ann Accepted", {"accepted_at": now}),
        ("Ed Expired", {"expires_at": now - datetime.timedelta(days=1)}),
        ("Pat Pending", {}),
    ]):
        f.InvitationFactory(full_name=name, organisation=cast.school,
                            created_at=now + datetime.timedelta(minutes=offset), **changes)

    response = client_for(cast.admin).get(reverse("accounts:invitations") + f"?status={status}")

    assert [i.full_name for i in response.context["page"].object_list] == listed


# --- sending from the page --------------------------------------------------------------


def test_invitations_post_by_admin_sends_one_and_records_entry(
    cast, client_for, django_capture_on_commit_callbacks
):
    before = world_state()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.admin).post(reverse("accounts:invitations"),
                                               _invite_data(cast))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:invitations")
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.organisation, invitation.role,
            invitation.invited_by) == ("nia@example.org", cast.school, "teacher", cast.admin)
    assert [m.to for m in mail.outbox] == [["nia@example.org"]]
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.target_id, entry.organisation) == (
        cast.admin, "invitation.send", invitation.pk, cast.school)


def test_invitations_post_twice_leaves_one_pending_invitation(
    cast, client_for, django_capture_on_commit_callbacks
):
    client = client_for(cast.admin)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:invitations"), _invite_data(cast))
        client.post(reverse("accounts:invitations"), _invite_data(cast))

    assert Invitation.objects.count() == 1
    assert Invitation.objects.get().status == Invitation.Status.PENDING
    # Both sends were queued before the worker ran: one email, with one working link.
    [message] = mail.outbox
    assert Client().get(reverse("accounts:invitation_accept", args=[link_token(message.body)])
                        ).status_code == 200


@pytest.mark.parametrize("who", ["leader", "coach", "teacher"])
def test_invitations_post_without_admin_role_is_404_and_changes_nothing(cast, client_for, who):
    before = world_state()

    response = client_for(getattr(cast, who)).post(reverse("accounts:invitations"),
                                                   _invite_data(cast))

    assert response.status_code == 404
    assert world_state() == before
    assert mail.outbox == []


def test_invitations_post_by_outsider_to_a_riverside_school_is_422(cast, client_for):
    before = world_state()

    response = client_for(cast.outsider).post(reverse("accounts:invitations"),
                                              _invite_data(cast))

    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["organisation"]
    assert world_state() == before


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"email": "nia-at-example"}, {"email": ["Enter a valid email address."]}),
        ({"email": ""}, {"email": ["This field is required."]}),
        ({"role": "network_admin"},
         {"role": ["That role is not held in this kind of organisation."]}),
        ({"role": "janitor"},
         {"role": ["Select a valid choice. janitor is not one of the available choices."]}),
        ({"email": "teacher@riverside.test"},
         {"email": ["teacher@riverside.test already has this role here."]}),
        ({"organisation": "999999"},
         {"organisation": [
             "Select a valid choice. That choice is not one of the available choices."]}),
    ],
)
def test_invitations_post_bad_input_is_422_next_to_the_field(cast, client_for, overrides,
                                                              errors):
    before = world_state()

    response = client_for(cast.admin).post(reverse("accounts:invitations"),
                                           _invite_data(cast, **overrides))

    assert response.status_code == 422
    assert response.context["form"].errors == errors
    assert b"field-invalid" in response.content
    assert world_state() == before


def test_invitations_post_anonymous_redirects_to_login(cast):
    url = reverse("accounts:invitations")
    before = world_state()

    assert_login_redirect(Client().post(url, _invite_data(cast)), url)
    assert world_state() == before


# --- resend -----------------------------------------------------------------------------


def test_invitation_resend_by_admin_sends_a_new_link(cast, client_for, invitation,
                                                     django_capture_on_commit_callbacks):
    old_hash = invitation.token_hash
    before = world_state()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(cast.admin).post(
            reverse("accounts:invitation_resend", args=[invitation.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:invitations")
    invitation.refresh_from_db()
    assert invitation.token_hash != old_hash
    assert [m.to for m in mail.outbox] == [["nia@example.org"]]
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.target_id, entry.organisation) == (
        cast.admin, "invitation.send", invitation.pk, cast.school)


def test_invitation_resend_of_accepted_invitation_says_why_and_changes_nothing(
    cast, client_for, invitation
):
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("accounts:invitation_resend", args=[invitation.pk]), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "This invitation was already answered or withdrawn."]
    assert world_state() == before


@pytest.mark.parametrize("who", ["leader", "coach", "teacher", "outsider"])
def test_invitation_resend_refused_is_404_and_changes_nothing(cast, client_for, invitation,
                                                              who):
    before = world_state()

    response = client_for(getattr(cast, who)).post(
        reverse("accounts:invitation_resend", args=[invitation.pk]))

    assert response.status_code == 404
    assert world_state() == before
    assert mail.outbox == []


def test_invitation_resend_get_is_not_allowed(cast, client_for, invitation):
    response = client_for(cast.admin).get(
        reverse("accounts:invitation_resend", args=[invitation.pk]))

    assert response.status_code == 405


def test_invitation_resend_anonymous_redirects_to_login(cast, invitation):
    url = reverse("accounts:invitation_resend", args=[invitation.pk])
    before = world_state()

    assert_login_redirect(Client().post(url), url)
    assert world_state() == before


# --- revoke -----------------------------------------------------------------------------


def test_invitation_revoke_by_admin_withdraws_and_records_entry(cast, client_for, invitation):
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("accounts:invitation_revoke", args=[invitation.pk]))

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.target_id, entry.organisation) == (
        cast.admin, "invitation.revoke", invitation.pk, cast.school)
    assert Client().get(reverse("accounts:invitation_accept", args=["riverside-link"])
                        ).status_code == 410


def test_invitation_revoke_of_accepted_invitation_says_why_and_changes_nothing(
    cast, client_for, invitation
):
    Invitation.objects.filter(pk=invitation.pk).update(accepted_at=timezone.now())
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("accounts:invitation_revoke", args=[invitation.pk]), follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "This invitation was already accepted."]
    assert world_state() == before


@pytest.mark.parametrize("who", ["leader", "coach", "teacher", "outsider"])
def test_invitation_revoke_refused_is_404_and_changes_nothing(cast, client_for, invitation,
                                                              who):
    before = world_state()

    response = client_for(getattr(cast, who)).post(
        reverse("accounts:invitation_revoke", args=[invitation.pk]))

    assert response.status_code == 404
    assert world_state() == before


def test_invitation_revoke_of_other_network_is_same_404_as_missing_id(
    cast, client_for, foreign_invitation
):
    client = client_for(cast.admin)

    foreign = client.post(reverse("accounts:invitation_revoke", args=[foreign_invitation.pk]))
    missing = client.post(reverse("accounts:invitation_revoke", args=[999_999]))

    assert foreign.status_code == missing.status_code == 404
    assert Invitation.objects.get(pk=foreign_invitation.pk).revoked_at is None


def test_invitation_revoke_anonymous_redirects_to_login(cast, invitation):
    url = reverse("accounts:invitation_revoke", args=[invitation.pk])

    assert_login_redirect(Client().post(url), url)
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


# --- accepting a link -------------------------------------------------------------------

ACCEPT = {"full_name": "Nia New", "password1": "maple-syrup-42", "password2": "maple-syrup-42"}


def test_invitation_accept_page_is_open_without_signing_in(cast, invitation):
    response = Client().get(reverse("accounts:invitation_accept", args=["riverside-link"]))

    assert response.status_code == 200
    assert response.context["form"].initial["full_name"] == "Nia New"
    assert b"Lincoln Elementary" in response.content


def test_invitation_accept_creates_account_and_signs_in(cast, invitation):
    client = Client()
    before = world_state()

    response = client.post(reverse("accounts:invitation_accept", args=["riverside-link"]),
                           ACCEPT)

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    person = Person.objects.get(email="nia@example.org")
    assert client.session[SESSION_KEY] == str(person.pk)
    assert list(person.memberships.values_list("organisation_id", "role")) == [
        (cast.school.pk, "teacher")]
    assert [e.action for e in new_entries(before)] == [
        "person.create", "membership.grant", "invitation.accept"]
    assert client.get(reverse("core:home")).status_code == 200


def test_invitation_accept_posted_twice_creates_one_person(cast, invitation):
    url = reverse("accounts:invitation_accept", args=["riverside-link"])
    Client().post(url, ACCEPT)
    after_first = world_state()

    response = Client().post(url, ACCEPT)

    assert response.status_code == 410
    assert response.context["problem"] == (
        "This invitation has already been used. Sign in with your email and password.")
    assert world_state() == after_first


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**ACCEPT, "password2": "maple-syrup-43"}, "password2"),
        ({**ACCEPT, "password1": "short", "password2": "short"}, "password1"),
        ({**ACCEPT, "password1": "password123", "password2": "password123"}, "password1"),
        ({**ACCEPT, "full_name": ""}, "full_name"),
    ],
)
def test_invitation_accept_bad_input_is_422_and_changes_nothing(cast, invitation, data, field):
    before = world_state()

    response = Client().post(reverse("accounts:invitation_accept", args=["riverside-link"]),
                             data)

    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert world_state() == before


@pytest.mark.parametrize(
    ("changes", "status", "problem"),
    [
        ({"accepted_at": timezone.now()}, 410,
         "This invitation has already been used. Sign in with your email and password."),
        ({"revoked_at": timezone.now()}, 410,
         "This invitation was withdrawn. Ask whoever invited you for a new one."),
        ({"expires_at": timezone.now() - datetime.timedelta(days=1)}, 410,
         "This invitation has expired. Ask whoever invited you to send a new one."),
    ],
)
def test_invitation_accept_unusable_link_explains_why(cast, invitation, changes, status,
                                                      problem):
    Invitation.objects.filter(pk=invitation.pk).update(**changes)
    before = world_state()

    url = reverse("accounts:invitation_accept", args=["riverside-link"])
    shown = Client().get(url)
    posted = Client().post(url, ACCEPT)

    assert shown.status_code == posted.status_code == status
    assert shown.context["problem"] == posted.context["problem"] == problem
    assert world_state() == before


def test_invitation_accept_unknown_link_is_404(cast):
    response = Client().get(reverse("accounts:invitation_accept", args=["no-such-link"]))

    assert response.status_code == 404
    assert response.context["problem"] == (
        "This invitation link is not valid. Check that you copied all of it.")


def test_invitation_accept_by_existing_person_adds_role_and_asks_to_sign_in(cast):
    f.InvitationFactory(token="coach-link", email="Teacher@Riverside.test",
                        organisation=cast.school, role=Role.COACH, invited_by=cast.admin)
    url = reverse("accounts:invitation_accept", args=["coach-link"])

    shown = Client().get(url)
    response = Client().post(url)

    assert shown.context["form"] is None
    assert shown.context["existing"] == cast.teacher
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert set(Membership.objects.filter(person=cast.teacher).values_list(
        "role", flat=True)) == {"teacher", "coach"}
    assert Person.objects.filter(email__iexact="teacher@riverside.test").count() == 1


def test_invitation_accept_by_switched_off_person_is_refused(cast):
    f.InvitationFactory(token="coach-link", email="other@riverside.test",
                        organisation=cast.school, role=Role.COACH)
    Person.objects.filter(pk=cast.other_teacher.pk).update(is_active=False)
    before = world_state()

    response = Client().post(reverse("accounts:invitation_accept", args=["coach-link"]))

    assert response.status_code == 410
    assert response.context["problem"] == (
        "This account is switched off. Ask your network admin.")
    assert world_state() == before
