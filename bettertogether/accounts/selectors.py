from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from bettertogether.directory.homes import home_network_id
from bettertogether.directory.models import Organisation, Person
from bettertogether.directory.scope import scope_for
from bettertogether.directory.signin import TENANT_ID

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


# The sign-in flow's own reads: nobody is signed in yet, so there is no actor to scope by.


def sign_in_network_for(*, email: str, person: Person | None) -> Organisation | None:
    """The network that decides how `email` signs in: the person's home network (the one
    that controls their account), or for someone a pending invitation would bring in, the
    network of the oldest such invitation (which becomes their home)."""
    if person is not None:
        network_id = home_network_id(person)
    else:
        network_id = (
            Invitation.objects.filter(
                email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True,
                declined_at__isnull=True, expires_at__gt=timezone.now())
            .order_by("created_at", "pk")
            .values_list("network_id", flat=True)
            .first()
        )
    if network_id is None:
        return None
    return Organisation.objects.filter(pk=network_id).first()


def networks_trusting_entra_tenant(*, tenant_id: str) -> list[Organisation]:
    """The networks that list this Entra tenant among those that sign their people in."""
    if not TENANT_ID.fullmatch(tenant_id):
        return []
    return list(Organisation.objects.filter(kind=Organisation.Kind.NETWORK,
                                            entra_tenants__contains=tenant_id))
