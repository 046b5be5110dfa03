"""Writes of the accounts app: invitations and sign-in emails."""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bettertogether.activity.services import activity_record
from bettertogether.core.queue import enqueue_on_commit
from bettertogether.directory.models import Organisation, Person, Role
from bettertogether.directory.services import membership_grant, person_create

from .emails import invitation_message
from .models import Invitation, token_digest
from .tasks import send_invitation_email, send_password_reset_email

ROLES_BY_KIND = {
    Organisation.Kind.SCHOOL: {Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER},
    Organisation.Kind.NETWORK: {Role.NETWORK_ADMIN, Role.FACILITATOR},
}


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, token_digest(token)


def _refuse_own_network_person(person: Person, email: str, *, organisation, role) -> None:
    if not person.is_active:
        raise ValidationError(
            {"email": _("%(email)s belongs to a switched-off account. Switch it back on from "
                        "their page instead.") % {"email": email}}
        )
    if person.memberships.filter(organisation=organisation, role=role).exists():
        raise ValidationError(
            {"email": _("%(email)s already has this role here.") % {"email": email}}
        )


@transaction.atomic
def invitation_send(
    *, actor, email: str, full_name: str, organisation: Organisation, role: str
) -> Invitation:
    """Invite someone. A second invitation to the same place and role refreshes the first."""
    if not actor.has_perm("directory.invite_people", organisation):
        raise PermissionDenied("invite_people")
    email = email.strip().lower()
    if role not in ROLES_BY_KIND[organisation.kind]:
        raise ValidationError({"role": _("That role is not held in this kind of organisation.")})
    existing_person = Person.objects.filter(email__iexact=email).first()
    if existing_person and existing_person.memberships.filter(
            network_id=organisation.network_root_id).exists():
        # Someone of the admin's own network, whose page the admin already sees.
        _refuse_own_network_person(existing_person, email, organisation=organisation, role=role)
    # Anyone else (nobody, or an account of another network, switched on or off) is
    # invited alike, and the admin is told the same: whether an address has an account
    # elsewhere is not theirs to learn. An account holder answers on their home page.
    now = timezone.now()
    expires = now + datetime.timedelta(days=settings.INVITATION_TTL_DAYS)
    invitation = (
        Invitation.objects.select_for_update()
        .filter(
            email__iexact=email,
            organisation=organisation,
            role=role,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            declined_at__isnull=True,
        )
        .first()
    )
    if invitation is None:
        invitation = Invitation(
            email=email,
            organisation=organisation,
            network_id=organisation.network_root_id,
            role=role,
            invited_by=actor,
        )
    invitation.full_name = full_name.strip()
    # A link sent before stops working now; the worker makes the new one as it emails it.
    invitation.token_hash = None
    invitation.expires_at = expires
    invitation.sent_at = now
    invitation.full_clean()
    invitation.save()
    activity_record(
        actor=actor,
        action="invitation.send",
        target=invitation,
        organisation=organisation,
        label=invitation.full_name,
        details={"role": role, "email": email},
    )
    pk = invitation.pk
    enqueue_on_commit(send_invitation_email, invitation_id=pk)
    return invitation


@transaction.atomic
def invitation_link_send(*, invitation_id: int) -> bool:
    """The worker's half of sending an invitation: make its link, keep the digest, email it.

    Runs once per send: the row stays locked while the email goes out, and an invitation
    whose link was already issued (this task run twice, or two sends queued before the
    worker got to either) is not emailed again. Nor is one withdrawn, accepted or expired
    since it was queued. A failed email rolls back, leaving no link issued, so a resend
    starts clean. Returns whether an email went out.
    """
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "invited_by")
        .filter(pk=invitation_id, token_hash__isnull=True)
        .first()
    )
    if invitation is None or not invitation.is_usable:
        return False
    token, invitation.token_hash = _new_token()
    invitation.save(update_fields=["token_hash"])
    invitation_message(invitation, token=token).send()
    return True


def password_reset_email_queue(*, person: Person) -> None:
    """Queue a password-reset email; the worker makes its link when it sends it."""
    pk = person.pk
    enqueue_on_commit(send_password_reset_email, person_id=pk)


@transaction.atomic
def invitation_resend(*, actor, invitation: Invitation) -> Invitation:
    if not actor.has_perm("directory.invite_people", invitation.organisation):
        raise PermissionDenied("invite_people")
    if invitation.accepted_at or invitation.revoked_at or invitation.declined_at:
        raise ValidationError(_("This invitation was already answered or withdrawn."))
    return invitation_send(
        actor=actor,
        email=invitation.email,
        full_name=invitation.full_name,
        organisation=invitation.organisation,
        role=invitation.role,
    )


@transaction.atomic
def invitation_revoke(*, actor, invitation: Invitation) -> Invitation:
    if not actor.has_perm("directory.invite_people", invitation.organisation):
        raise PermissionDenied("invite_people")
    if invitation.accepted_at:
        raise ValidationError(_("This invitation was already accepted."))
    if invitation.declined_at:
        raise ValidationError(_("This invitation was already declined."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        activity_record(actor=actor, action="invitation.revoke", target=invitation,
                        organisation=invitation.organisation, label=invitation.full_name)
    return invitation


def invitation_find(*, token: str) -> Invitation | None:
    """The invitation behind a link, whatever its state (the view explains why it won't work)."""
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=token_digest(token))
        .first()
    )


@transaction.atomic
def invitation_accept(*, token: str, full_name: str, password: str | None) -> Person:
    """Use an invitation: create (or join) the person and grant the role. Works once."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organisation")
        .filter(token_hash=token_digest(token))
        .first()
    )
    if invitation is None or not invitation.is_usable:
        raise ValidationError(_("This invitation link has already been used or has expired."))
    person = Person.objects.filter(email__iexact=invitation.email).first()
    if person is None:
        person = person_create(
            actor=None,
            email=invitation.email,
            full_name=full_name,
            password=password,
            organisation=invitation.organisation,
        )
    elif not person.is_active:
        raise ValidationError(_("This account is switched off. Ask your network admin."))
    _accepted(invitation, person)
    return person


def _accepted(invitation: Invitation, person: Person) -> None:
    """Grant the invitation's role to `person` and mark it used (the row is locked)."""
    membership_grant(
        actor=invitation.invited_by or person,
        person=person,
        organisation=invitation.organisation,
        role=invitation.role,
        check=False,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    activity_record(
        actor=person,
        action="invitation.accept",
        target=invitation,
        organisation=invitation.organisation,
        label=invitation.full_name,
        details={"role": invitation.role},
    )


def _own_open_invitation(*, actor, pk: int) -> Invitation | None:
    """The actor's own invitation `pk`, locked, or None when it is not theirs."""
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "invited_by")
        .filter(pk=pk, email__iexact=actor.email)
        .first()
    )


@transaction.atomic
def invitation_answer_accept(*, actor, invitation: Invitation) -> Invitation:
    """The invited person, signed in, says yes: they get the role. Twice accepts once."""
    locked = _own_open_invitation(actor=actor, pk=invitation.pk)
    if locked is None or not actor.is_active:
        raise PermissionDenied("accounts.answer_invitation")
    if locked.status == Invitation.Status.ACCEPTED:
        return locked
    if not locked.is_usable:
        raise ValidationError(_problem_of(locked))
    _accepted(locked, actor)
    return locked


@transaction.atomic
def invitation_decline(*, actor, invitation: Invitation) -> Invitation:
    """The invited person says no: nothing is granted, and the inviting admins see it
    declined. Declining twice declines once; an accepted invitation stays accepted."""
    locked = _own_open_invitation(actor=actor, pk=invitation.pk)
    if locked is None:
        raise PermissionDenied("accounts.answer_invitation")
    if locked.status == Invitation.Status.DECLINED:
        return locked
    if not locked.is_usable:
        raise ValidationError(_problem_of(locked))
    locked.declined_at = timezone.now()
    locked.token_hash = None  # its emailed link stops working too
    locked.save(update_fields=["declined_at", "token_hash"])
    activity_record(actor=actor, action="invitation.decline", target=locked,
                    organisation=locked.organisation, label=locked.full_name,
                    details={"role": locked.role})
    return locked


def _problem_of(invitation: Invitation) -> str:
    if invitation.status == Invitation.Status.ACCEPTED:
        return _("You already accepted this invitation.")
    if invitation.status == Invitation.Status.DECLINED:
        return _("You declined this invitation.")
    if invitation.status == Invitation.Status.REVOKED:
        return _("This invitation was withdrawn.")
    return _("This invitation has expired. Ask whoever invited you to send a new one.")


@transaction.atomic
def invitations_accept_by_email(*, email: str) -> Person | None:
    """Accept every usable invitation to `email` for someone a provider has vouched for.

    Used by single sign-on: the person gets no password (they sign in through the provider).
    Returns the person, or None when no usable invitation exists.
    """
    pending = list(
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation", "invited_by")
        .filter(email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True,
                declined_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("created_at", "pk")
    )
    if not pending:
        return None
    person = Person.objects.filter(email__iexact=email).first()
    if person is None:
        first = pending[0]
        person = person_create(actor=None, email=first.email, full_name=first.full_name,
                               password=None, organisation=first.organisation)
    for invitation in pending:
        _accepted(invitation, person)
    return person


def password_sign_in_allowed(*, person: Person) -> bool:
    """False when every network the person belongs to signs in through SSO only."""
    networks = Organisation.objects.filter(pk__in=person.memberships.values("network_id"))
    if not networks.exists():
        return True
    return networks.filter(password_sign_in=True).exists()
