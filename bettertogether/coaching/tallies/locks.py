"""The locks that keep every recount of the tallies seeing the whole log (PostgreSQL).

All are transaction-level advisory locks, released when the transaction ends. SQLite runs
one writing transaction at a time, so there is nothing to take there.

- **calendar** (per network): every recount holds it *shared*, and reads the network's
  time zone and terms only once it has it; a change of the calendar takes it *exclusively*
  (waiting for the recounts under way, holding new ones until it commits), as does a whole
  rebuild. So no recount ever buckets by a calendar that is about to change unseen.
- **coach**: one coach's tallies are recounted by one transaction at a time: the last one
  to commit has seen every write before it.
- **network** (after a coach's, never before): the network's own weekly tallies.

Always in that order — calendar, coach, network — so two recounts never wait on each other
in a circle.
"""

from __future__ import annotations

from django.db import connection

CALENDAR = 6_000_003
COACH = 6_000_001
NETWORK = 6_000_002


def _take(space: int, key: int, *, shared: bool = False) -> None:
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {function}(%s, %s)", [space, key])


def calendar_shared(network_id: int) -> None:
    _take(CALENDAR, network_id, shared=True)


def calendar_exclusive(network_id: int) -> None:
    _take(CALENDAR, network_id)


def coach(coach_id: int) -> None:
    _take(COACH, coach_id)


def network(network_id: int) -> None:
    _take(NETWORK, network_id)
