"""What must be recounted when a network's calendar changes.

A network's calendar — its time zone and the first days of its terms — decides which week,
month and term every moment belongs to. Figures kept ahead of time in those buckets (today
the coaching app's tallies of the log, which the reports read) go wrong when the calendar
moves under them. The directory owns the calendar but imports nothing of the apps above it,
so the link is explicit in both directions:

- every directory write that changes a network's calendar calls `time_zone_changed` or
  `term_starts_changed` by name, inside its transaction: `services.organisation_update`,
  `services.school_year_create`, `services.term_create`, and the support admin's saves and
  deletions of organisations, school years and terms (`admin.py`);
- every app that keeps figures by the calendar registers a *recount* here, once, in its
  `AppConfig.ready`. A recount is called with a `CalendarChange` inside the same
  transaction and decides what to recount and when (the coaching app marks the network's
  tallies as being recounted and queues the work for the task worker on commit).

A school year's own first and last days bucket nothing; only its terms do, so creating or
deleting a year counts as the change of its terms' first days.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class CalendarChange:
    network_id: int
    time_zone: bool = False  # the zone changed: every week, month and term moved
    term_starts: frozenset[datetime.date] = frozenset()  # first days that came or went


Recount = Callable[[CalendarChange], None]

_recounts: list[Recount] = []


def register(recount: Recount) -> None:
    """Add a recount (once; registering the same function again changes nothing)."""
    if recount not in _recounts:
        _recounts.append(recount)


def time_zone_changed(*, network_id: int) -> None:
    _tell(CalendarChange(network_id=network_id, time_zone=True))


def term_starts_changed(*, network_id: int, starts: Iterable[datetime.date]) -> None:
    """Terms starting on `starts` were added or removed (an edit is both: the first day
    before and after)."""
    starts = frozenset(starts)
    if starts:
        _tell(CalendarChange(network_id=network_id, term_starts=starts))


def _tell(change: CalendarChange) -> None:
    for recount in _recounts:
        recount(change)
