"""Readers shared by the engine's tests."""

from __future__ import annotations

import datetime

from django.utils import formats

from bettertogether.reports.tests.support import (
    coach_scope,
    headline,
    network_scope,
    school_scope,
)


def _day(day: datetime.date) -> str:
    return formats.date_format(day, "j M Y")


def _scopes(cast):
    return {"coach": coach_scope(cast), "school": school_scope(cast),
            "network": network_scope(cast)}


def _hours(found: dict) -> float:
    return headline(found, "Hours logged")


def _contacts(found: dict) -> int:
    return headline(found, "Contacts with teachers")


def _reached(found: dict) -> int:
    return headline(found, "Teachers reached")










WITH, OWN_TIME = "With teachers", "Own time"
