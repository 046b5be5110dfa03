"""The language and the time zone a request or a background task speaks in.

Both come from the organisation, never from the browser: a headteacher in an English trust
reads "headteacher" and London times whatever their browser says. A request takes the
signed-in person's network (the core middleware); a task that renders for a network (a
PDF, an email, a reminder, a digest) takes that network's, with `localised(...)`.

`localised` is a context manager built on `translation.override` and `timezone.override`:
whatever was active before comes back when it ends, even after an error, so nothing of one
request outlives it in a worker thread.
"""

from __future__ import annotations

import contextlib
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation

from .calendar import zone_named
from .models import Organisation
from .scope import scope_for


@dataclass(frozen=True)
class Localisation:
    """A language code and a time zone; `zone` None is the product's default zone."""

    language: str
    zone: datetime.tzinfo | None = None


def default_localisation() -> Localisation:
    """The product's language and zone: for anonymous pages and people without a network."""
    return Localisation(language=settings.LANGUAGE_CODE)


def localisation_of(organisation: Organisation | None) -> Localisation:
    """The organisation's language and zone (a school's are its network's copies)."""
    if organisation is None:
        return default_localisation()
    return Localisation(language=organisation.locale or settings.LANGUAGE_CODE,
                        zone=zone_named(organisation.time_zone))


def localisation_for(person) -> Localisation:
    """The signed-in person's network's language and zone; the defaults for anyone else.

    One query the first time, remembered on the person for the rest of the request. The
    network is the person's lowest-numbered one, as everywhere else (`primary_network_id`).
    """
    network_id = scope_for(person).primary_network_id
    if network_id is None:
        return default_localisation()
    cached = getattr(person, "_bt_localisation", None)
    if cached is None:
        row = (Organisation.objects.filter(pk=network_id)
               .values_list("locale", "time_zone").first())
        cached = (Localisation(language=row[0] or settings.LANGUAGE_CODE,
                               zone=zone_named(row[1])) if row else default_localisation())
        person._bt_localisation = cached
    return cached


@contextlib.contextmanager
def localised(localisation: Localisation):
    """Speak the language and tell the time of the zone inside the block, then restore
    whatever was active before."""
    with translation.override(localisation.language), timezone.override(localisation.zone):
        yield localisation


def in_organisation(organisation: Organisation | None):
    """`with in_organisation(network):` the organisation's language and zone."""
    return localised(localisation_of(organisation))
