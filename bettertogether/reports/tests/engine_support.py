"""Readers shared by the engine's tests."""

from __future__ import annotations

import datetime

from django.utils import formats

from bettertogether.reports.tests.support import (
    coach_scope,
    counted,
    headline,
    network_scope,
    school_scope,
)


def _day(day: datetime.date) -> str:
    return formats.date_format(day, "j M Y")


def _scopes(cast):
    """The three reports, counted without the disclosure gate: the engine's tests check its
    arithmetic (the suppression tests check what a leader sees of it)."""
    return {"coach": coach_scope(cast), "school": counted(school_scope(cast)),
            "network": counted(network_scope(cast))}


def _hours(found: dict) -> float:
    return headline(found, "Hours logged")


def _contacts(found: dict) -> int:
    return headline(found, "Contacts with teachers")


def _reached(found: dict) -> int:
    return headline(found, "Teachers reached")










WITH, OWN_TIME = "With teachers", "Own time"
