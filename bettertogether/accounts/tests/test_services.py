"""Invitations: send, refresh, resend, withdraw, accept once, expire."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bettertogether.accounts import emails, services
from bettertogether.accounts.models import Invitation, token_digest
from bettertogether.accounts.tests.support import link_token, world_state
from bettertogether.activity.models import ActivityEntry
from bettertogether.directory.models import Membership, Person, Role
from bettertogether.directory.tests.support import new_entries
from bettertogether.testing import factories as f


@pytest.fixture
def send(cast, django_capture_on_commit_callbacks):
    """Send an invitation as the Riverside admin and return it with its link's token."""

    def send_(**overrides):
        kwargs = {"actor": cast.admin, "email": "nia@example.org", "full_name": "Nia New",
                  "organisation": cast.school, "role": Role.TEACHER, **overrides}
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.invitation_send(**kwargs)
        invitation.refresh_from_db()  # the task has issued the link since
        return invitation, link_token(mail.outbox[-1].body)

    return send_


# --- sending ----------------------------------------------------------------------------


def test_invitation_send_stores_only_a_digest_and_emails_the_link(cast, send):
    before = world_state()

    invitation, token = send(email=" Nia@Example.ORG ", full_name=" Nia New ")

    assert (invitation.email, invitation.full_name, invitation.organisation,
            invitation.network, invitation.role, invitation.invited_by) == (
        "nia@example.org", "Nia New", cast.school, cast.network, "teacher", cast.admin)
    assert invitation.token_hash == token_digest(token)
    assert token not in invitation.token_hash
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=14)
    [message] = mail.outbox
    assert message.to == ["nia@example.org"]
    assert message.subject == "You are invited to Better Together at Lincoln Elementary"
    assert "Adam Admin has invited you" in message.body
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.target_id, entry.organisation, entry.network,
            entry.target_label) == (cast.admin, "invitation.send", invitation.pk, cast.school,
                                    cast.network, "Nia New")
    assert entry.details == {"role": "teacher", "email": "nia@example.org"}


def test_invitation_send_email_is_not_sent_if_the_transaction_fails(cast):
    with pytest.raises(RuntimeError), services.transaction.atomic():
        services.invitation_send(actor=cast.admin, email="nia@example.org", full_name="Nia",
                                 organisation=cast.school, role=Role.TEACHER)
        raise RuntimeError("rolled back")

    assert mail.outbox == []
    assert Invitation.objects.count() == 0


def test_invitation_send_to_a_network_role(cast, send):
    invitation, _token = send(organisation=cast.network, role=Role.FACILITATOR)

    assert (invitation.organisation, invitation.network) == (cast.network, cast.network)


def test_invitation_send_email_speaks_the_organisations_terminology(cast, send):
    send(actor=cast.outsider, organisation=cast.outsider_school, role=Role.SCHOOL_LEADER)

    assert "(Headteacher)" in mail.outbox[0].body
    assert "Principal" not in mail.outbox[0].body


def test_invitation_email_gives_its_expiry_day_in_the_organisations_zone(cast):
    """Built in the worker, which has no request: 03:00 UTC on 5 March is still 4 March in
    Chicago, where Lincoln is."""
    invitation = f.InvitationFactory(
        organisation=cast.school, invited_by=cast.admin,
        expires_at=datetime.datetime(2031, 3, 5, 3, 0, tzinfo=datetime.UTC))

    message = emails.invitation_message(invitation, token="a-token")

    assert "The link works once and expires on 4 March 2031." in message.body


def test_invitation_send_twice_refreshes_one_invitation(cast, send):
    first, first_token = send()
    first_hash = first.token_hash

    second, second_token = send(email="NIA@example.org", full_name="Nia N. New")

    assert second.pk == first.pk
    assert Invitation.objects.count() == 1
    assert second.full_name == "Nia N. New"
    assert second.token_hash != first_hash
    assert services.invitation_find(token=first_token) is None
    assert services.invitation_find(token=second_token) == second
    assert len(mail.outbox) == 2


def test_invitation_send_for_another_role_is_a_second_invitation(cast, send):
    send()
    send(role=Role.COACH)

    assert sorted(Invitation.objects.values_list("role", flat=True)) == ["coach", "teacher"]


def test_invitation_send_after_withdrawal_is_a_new_invitation(cast, send):
    first, _token = send()
    services.invitation_revoke(actor=cast.admin, invitation=first)

    second, _token = send()

    assert second.pk != first.pk
    assert Invitation.objects.get(pk=first.pk).status == Invitation.Status.REVOKED


@pytest.mark.parametrize(
    ("organisation", "role"),
    [("school", Role.NETWORK_ADMIN), ("school", Role.FACILITATOR), ("network", Role.TEACHER),
     ("network", Role.SCHOOL_LEADER)],
)
def test_invitation_send_role_not_held_in_that_kind_changes_nothing(cast, organisation, role):
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.invitation_send(actor=cast.admin, email="nia@example.org", full_name="Nia",
                                 organisation=getattr(cast, organisation), role=role)

    assert error.value.message_dict == {
        "role": ["That role is not held in this kind of organisation."]}
    assert world_state() == before


@pytest.mark.parametrize(
    ("email", "full_name", "field"),
    [("not an email", "Nia", "email"), ("nia@example.org", "   ", "full_name")],
)
def test_invitation_send_bad_input_changes_nothing(cast, email, full_name, field):
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.invitation_send(actor=cast.admin, email=email, full_name=full_name,
                                 organisation=cast.school, role=Role.TEACHER)

    assert list(error.value.message_dict) == [field]
    assert world_state() == before
    assert mail.outbox == []


def test_invitation_send_to_someone_who_holds_the_role_changes_nothing(cast):
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.invitation_send(actor=cast.admin, email="Teacher@Riverside.test",
                                 full_name="Tess", organisation=cast.school, role=Role.TEACHER)

    assert error.value.message_dict == {
        "email": ["teacher@riverside.test already has this role here."]}
    assert world_state() == before


@pytest.mark.parametrize(
    ("who", "organisation"),
    [("leader", "school"), ("coach", "school"), ("teacher", "school"),
     ("outsider", "school"), ("admin", "outsider_school")],
)
def test_invitation_send_without_admin_role_there_is_refused(cast, who, organisation):
    before = world_state()

    with pytest.raises(PermissionDenied):
        services.invitation_send(actor=getattr(cast, who), email="nia@example.org",
                                 full_name="Nia", organisation=getattr(cast, organisation),
                                 role=Role.TEACHER)

    assert world_state() == before


# --- resending and withdrawing ----------------------------------------------------------


def test_invitation_resend_issues_a_new_link(cast, send, django_capture_on_commit_callbacks):
    invitation, old_token = send()
    before = world_state()

    with django_capture_on_commit_callbacks(execute=True):
        resent = services.invitation_resend(actor=cast.admin, invitation=invitation)

    new_token = link_token(mail.outbox[-1].body)
    assert resent.pk == invitation.pk
    assert services.invitation_find(token=old_token) is None
    assert services.invitation_find(token=new_token).pk == invitation.pk
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.organisation) == (
        cast.admin, "invitation.send", cast.school)


def test_invitation_resend_of_an_expired_invitation_makes_it_usable(cast, send):
    invitation, _token = send()
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(days=1))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.EXPIRED

    resent = services.invitation_resend(actor=cast.admin, invitation=invitation)

    assert resent.status == Invitation.Status.PENDING
    assert Invitation.objects.count() == 1


def test_invitation_resend_of_an_answered_invitation_changes_nothing(cast, send):
    invitation, token = send()
    services.invitation_accept(token=token, full_name="Nia", password="a-long-password")
    invitation.refresh_from_db()
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.invitation_resend(actor=cast.admin, invitation=invitation)

    assert error.value.messages == ["This invitation was already answered or withdrawn."]
    assert world_state() == before


def test_invitation_resend_by_leader_is_refused(cast, send):
    invitation, _token = send()
    before = world_state()

    with pytest.raises(PermissionDenied):
        services.invitation_resend(actor=cast.leader, invitation=invitation)

    assert world_state() == before


def test_invitation_revoke_withdraws_once(cast, send):
    invitation, token = send()
    before = world_state()

    services.invitation_revoke(actor=cast.admin, invitation=invitation)
    services.invitation_revoke(actor=cast.admin, invitation=invitation)

    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.target_id, entry.organisation) == (
        cast.admin, "invitation.revoke", invitation.pk, cast.school)
    with pytest.raises(ValidationError):
        services.invitation_accept(token=token, full_name="Nia", password="a-long-password")


def test_invitation_revoke_of_an_accepted_invitation_changes_nothing(cast, send):
    invitation, token = send()
    services.invitation_accept(token=token, full_name="Nia", password="a-long-password")
    invitation.refresh_from_db()
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.invitation_revoke(actor=cast.admin, invitation=invitation)

    assert error.value.messages == ["This invitation was already accepted."]
    assert world_state() == before


@pytest.mark.parametrize("who", ["leader", "coach", "outsider"])
def test_invitation_revoke_without_admin_role_is_refused(cast, send, who):
    invitation, _token = send()
    before = world_state()

    with pytest.raises(PermissionDenied):
        services.invitation_revoke(actor=getattr(cast, who), invitation=invitation)

    assert world_state() == before


# --- accepting --------------------------------------------------------------------------


def test_invitation_accept_creates_person_and_role(cast, send):
    invitation, token = send()
    before = world_state()

    person = services.invitation_accept(token=token, full_name=" Nia New ",
                                        password="a-long-password")

    assert (person.email, person.full_name, person.is_active) == (
        "nia@example.org", "Nia New", True)
    assert person.check_password("a-long-password")
    assert list(Membership.objects.filter(person=person).values_list(
        "organisation_id", "role")) == [(cast.school.pk, "teacher")]
    invitation.refresh_from_db()
    assert (invitation.status, invitation.accepted_by) == (Invitation.Status.ACCEPTED, person)
    entries = new_entries(before)
    assert [(e.actor, e.action, e.organisation) for e in entries] == [
        (person, "person.create", cast.school),
        (cast.admin, "membership.grant", cast.school),
        (person, "invitation.accept", cast.school),
    ]


def test_invitation_accept_twice_creates_one_person(cast, send):
    _invitation, token = send()
    services.invitation_accept(token=token, full_name="Nia", password="a-long-password")
    after_first = world_state()

    with pytest.raises(ValidationError) as error:
        services.invitation_accept(token=token, full_name="Nia", password="another-password")

    assert error.value.messages == [
        "This invitation link has already been used or has expired."]
    assert world_state() == after_first
    assert Person.objects.filter(email="nia@example.org").count() == 1


def test_invitation_accept_after_expiry_changes_nothing(cast, send):
    invitation, token = send()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    before = world_state()

    with pytest.raises(ValidationError):
        services.invitation_accept(token=token, full_name="Nia", password="a-long-password")

    assert world_state() == before


def test_invitation_accept_unknown_token_changes_nothing(cast):
    before = world_state()

    with pytest.raises(ValidationError):
        services.invitation_accept(token="made-up", full_name="Nia", password="a-long-password")

    assert world_state() == before


def test_invitation_accept_by_existing_person_adds_the_role(cast, send):
    _invitation, token = send(email="teacher@riverside.test", role=Role.COACH)
    before = world_state()

    person = services.invitation_accept(token=token, full_name="ignored", password=None)

    assert person == cast.teacher
    assert Person.objects.get(pk=cast.teacher.pk).full_name == "Tess Teacher"
    assert set(Membership.objects.filter(person=person).values_list("role", flat=True)) == {
        "teacher", "coach"}
    assert len(world_state()["people"]) == len(before["people"])


def test_invitation_accept_by_switched_off_person_changes_nothing(cast, send):
    _invitation, token = send(email="other@riverside.test", role=Role.COACH)
    Person.objects.filter(pk=cast.other_teacher.pk).update(is_active=False)
    before = world_state()

    with pytest.raises(ValidationError) as error:
        services.invitation_accept(token=token, full_name="Otto", password=None)

    assert error.value.messages == ["This account is switched off. Ask your network admin."]
    assert world_state() == before


def test_invitation_accept_when_inviter_is_gone_credits_the_new_person(cast, send):
    invitation, token = send()
    Invitation.objects.filter(pk=invitation.pk).update(invited_by=None)

    person = services.invitation_accept(token=token, full_name="Nia", password="a-long-pw-1")

    grant = ActivityEntry.objects.get(action="membership.grant")
    assert grant.actor == person


def test_invitation_find_returns_any_state(cast):
    accepted = f.InvitationFactory(token="used", organisation=cast.school,
                                   accepted_at=timezone.now())

    assert services.invitation_find(token="used") == accepted
    assert services.invitation_find(token="nothing") is None


@pytest.mark.parametrize(
    ("changes", "status"),
    [
        ({}, Invitation.Status.PENDING),
        ({"accepted_at": timezone.now()}, Invitation.Status.ACCEPTED),
        ({"revoked_at": timezone.now()}, Invitation.Status.REVOKED),
        ({"expires_at": timezone.now() - datetime.timedelta(seconds=1)},
         Invitation.Status.EXPIRED),
    ],
)
def test_invitation_status(cast, changes, status):
    invitation = f.InvitationFactory(organisation=cast.school, **changes)

    assert invitation.status == status
    assert invitation.is_usable is (status == Invitation.Status.PENDING)


def test_invitation_send_to_switched_off_person_is_refused(cast):
    cast.other_teacher.is_active = False
    cast.other_teacher.save(update_fields=["is_active"])
    before = Invitation.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.invitation_send(
            actor=cast.admin,
            email=cast.other_teacher.email,
            full_name="Otto Other",
            organisation=cast.other_school,
            role=Role.TEACHER,
        )
    assert "switched-off account" in caught.value.message_dict["email"][0]
    assert Invitation.objects.count() == before
