"""People another network holds, asked to join instead of attached.

A roster may list someone who already belongs to another network. The import never attaches
them: each role the roster gives them becomes an invitation they accept or decline on their
home page, and a place and role this network already asked them about (open, expired or
declined) is not asked again. `RosterWriter` (`writer.py`) plans and writes these with the
rest of the import; `self.asked` (email → the person's record and roles) is its plan of who
is asked.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings

from bettertogether.accounts.models import Invitation
from bettertogether.accounts.tasks import send_invitation_email
from bettertogether.core.queue import enqueue_on_commit

from .batches import BATCH, in_chunks, pk_of


class AskingToJoin:
    """The invitations part of `RosterWriter`."""

    def _plan_invitations(self) -> None:
        """An invitation for each role the roster gives someone it may only ask; none for a
        place and role this network already asked them about (open, expired or declined)."""
        self.new_invitations: list[tuple] = []  # (record, organisation ref, role)
        self.asked_now: list = []  # the first record of each person asked by this import
        self.asked_before = 0
        emails = [record.email for record, _roles in self.asked.values()]
        asked: set[tuple[str, int, str]] = set()
        for chunk in in_chunks(emails):
            asked.update(Invitation.objects.filter(
                network=self.network, email__in=chunk, accepted_at__isnull=True,
                revoked_at__isnull=True).values_list("email", "organisation_id", "role"))
        for record, roles in self.asked.values():
            new = []
            for role, key in sorted(roles):
                organisation = self.school_ref.get(key)
                if organisation is None:
                    continue  # a school the roster removes, or one with a problem
                if isinstance(organisation, int) and (record.email, organisation, role) in asked:
                    continue
                new.append((record, organisation, role))
            if new:
                self.new_invitations.extend(new)
                self.asked_now.append(record)
            else:
                self.asked_before += 1

    def _write_invitations(self) -> None:
        """The invitations, each emailed by the worker once the import is committed."""
        if not self.new_invitations:
            return
        expires = self.now + timedelta(days=settings.INVITATION_TTL_DAYS)
        rows = [Invitation(email=record.email, full_name=record.full_name,
                           organisation_id=pk_of(organisation), network_id=self.network.pk,
                           role=role, invited_by=self.actor, created_at=self.now,
                           sent_at=self.now, expires_at=expires)
                for record, organisation, role in self.new_invitations]
        Invitation.objects.bulk_create(rows, batch_size=BATCH)
        for row in rows:
            enqueue_on_commit(send_invitation_email, invitation_id=row.pk)
