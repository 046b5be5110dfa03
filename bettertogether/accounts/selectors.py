from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

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


def invitations_awaiting(*, actor) -> QuerySet[Invitation]:
    """The invitations the actor may still answer: addressed to them, neither answered,
    withdrawn nor expired. Shown on their home page, oldest first."""
    if not getattr(actor, "is_authenticated", False):
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(
            email__iexact=actor.email, accepted_at__isnull=True, revoked_at__isnull=True,
            declined_at__isnull=True, expires_at__gt=timezone.now())
        .select_related("organisation", "network", "invited_by")
        .order_by("created_at", "pk")
    )


def invitation_addressed_to(*, actor, pk: int) -> Invitation:
    """One invitation addressed to the actor, in any state; anyone else's is a 404."""
    try:
        return Invitation.objects.select_related("organisation", "network").get(
            pk=pk, email__iexact=actor.email)
    except (Invitation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such invitation") from exc
