from django.db.models import QuerySet

from bettertogether.directory.scope import scope_for

from .models import ActivityEntry


def activity_visible_to(*, actor) -> QuerySet[ActivityEntry]:
    """Entries of the networks the actor administers, newest first."""
    return (
        ActivityEntry.objects.filter(network_id__in=scope_for(actor).admin_network_ids)
        .select_related("actor", "organisation")
        .order_by("-created_at", "-id")
    )
