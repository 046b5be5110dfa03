"""Two writers logging into the same coach's week at once lose no count (PostgreSQL).

Each thread has its own connection and its own transactions, as two gunicorn workers would.
On SQLite writes are serialised by the database itself, so the race cannot happen there.
"""

from __future__ import annotations

import datetime
import threading
import time
import uuid

import pytest
from django.db import connection, connections
from django.utils import timezone

from bettertogether.coaching import services
from bettertogether.coaching.models import SupportKind, WeekTally
from bettertogether.coaching.tallies import proof, recount
from bettertogether.directory.models import Person
from bettertogether.testing import factories as f
from bettertogether.testing.cast import build_cast

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="a race between connections needs PostgreSQL")


@pytest.mark.django_db(transaction=True)
def test_concurrent_logs_and_edits_keep_the_tallies_exact(monkeypatch):
    # Widen the window between a recount's delete and its insert, where a race would bite.
    original = recount._week_rows

    def slow_week_rows(*args, **kwargs):
        time.sleep(0.01)
        return original(*args, **kwargs)

    monkeypatch.setattr(recount, "_week_rows", slow_week_rows)
    f.built_in_support_kinds()
    cast = build_cast()
    others = []
    for n in range(3):
        person = f.PersonFactory(full_name=f"Racer {n}")
        f.MembershipFactory(person=person, organisation=cast.school, role="teacher")
        others.append(person)
    moment = timezone.now() - datetime.timedelta(days=1)
    kind_id = SupportKind.objects.get(network=None, name="Tech help").pk
    barrier = threading.Barrier(4)
    errors = []

    def writer(n: int) -> None:
        try:
            coach = Person.objects.get(pk=cast.coach.pk)
            kind = SupportKind.objects.get(pk=kind_id)
            teacher = Person.objects.get(pk=others[n % 3].pk)
            barrier.wait()
            for i in range(12):
                entry = services.interaction_log(
                    actor=coach, kind=kind, teachers=[teacher], minutes=10 + i,
                    occurred_at=moment + datetime.timedelta(minutes=n * 20 + i),
                    idempotency_key=uuid.uuid4())
                if i % 4 == 3:
                    services.interaction_update(
                        actor=coach, interaction=entry, kind=kind, teachers=[teacher],
                        minutes=30, occurred_at=entry.occurred_at)
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert proof.differences(cast.network) == {}
    assert sum(WeekTally.objects.values_list("interactions", flat=True)) == 48
