from django.db.models import QuerySet
from django.http import Http404

from bettertogether.directory.scope import scope_for

from .models import Invitation


def invitations_visible_to(*, actor) -> QuerySet[Invitation]:
    """Invitations of the networks the actor administers."""
    return Invitation.objects.filter(
        network_id__in=scope_for(actor).admin_network_ids
    ).select_related("organisation", "invited_by")


def invitation_get_for(*, actor, pk: int) -> Invitation:
    try:
        return invitations_visible_to(actor=actor).get(pk=pk)
    except (Invitation.DoesNotExist, ValueError) as exc:
        raise Http404("No such invitation") from exc
