"""Helpers shared by the coaching tests."""

from __future__ import annotations

import uuid

from bettertogether.coaching import services
from bettertogether.coaching.models import SupportKind


def kind(name: str) -> SupportKind:
    """A built-in kind by name ("Tech help", "Copies and materials", "Planning"…)."""
    return SupportKind.objects.get(network=None, name=name)


def log(coach, teachers=(), kind_name="Tech help", **extra):
    """Log through the service, as the quick-log page does."""
    extra.setdefault("idempotency_key", uuid.uuid4())
    return services.interaction_log(actor=coach, kind=kind(kind_name), teachers=list(teachers),
                                    **extra)
