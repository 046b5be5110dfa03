from __future__ import annotations

from typing import Any

from django.db import models

from .models import ActivityEntry

# Keys that may appear in an entry's details. Anything else is dropped, so a caller cannot
# put free text (a note, a reflection) into the log by accident.
ALLOWED_DETAIL_KEYS = frozenset(
    {"role", "email", "kind", "fields", "count", "school", "school_year", "teacher", "coach"}
)


def activity_record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    organisation: Any = None,
    label: str = "",
    details: dict[str, Any] | None = None,
) -> ActivityEntry:
    """Write one activity entry. Call it inside the service's transaction."""
    clean_details = {k: v for k, v in (details or {}).items() if k in ALLOWED_DETAIL_KEYS}
    network_id = None
    if organisation is not None:
        network_id = organisation.network_root_id
    return ActivityEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=target.pk if target is not None else None,
        target_label=(label or (str(target) if target is not None else ""))[:200],
        organisation=organisation,
        network_id=network_id,
        details=clean_details,
    )
