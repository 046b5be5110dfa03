"""Helpers for the invitation tests: the directory's state plus every invitation's."""

from bettertogether.accounts.models import Invitation
from bettertogether.directory.tests.support import world_state as directory_state


def world_state() -> dict:
    return {
        **directory_state(),
        "invitations": list(
            Invitation.objects.order_by("pk").values_list(
                "pk", "email", "full_name", "organisation_id", "role", "token_hash",
                "expires_at", "sent_at", "accepted_at", "revoked_at", "declined_at",
            )
        ),
    }


def link_token(body: str) -> str:
    """The token of the invitation link in an email body."""
    marker = "/accounts/invite/"
    start = body.index(marker) + len(marker)
    return body[start:body.index("/", start)]
