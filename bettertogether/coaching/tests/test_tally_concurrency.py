"""Writers logging into the same coach's week at once lose no count, nor do writers logging
while the network's time zone changes and its tallies are recounted (PostgreSQL).

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
from bettertogether.coaching.models import SupportKind, TallyRecount, WeekTally
from bettertogether.coaching.tallies import network, proof, recount
from bettertogether.directory import services as directory
from bettertogether.directory.models import Organisation, Person
from bettertogether.testing import factories as f
from bettertogether.testing.cast import build_cast

HOUR = datetime.timedelta(hours=1)

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="a race between connections needs PostgreSQL")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_logs_written_while_the_time_zone_changes_and_is_recounted_are_all_counted(
        monkeypatch):
    """Coaches keep logging while an admin changes the network's time zone twice and the
    worker recounts (the test settings run the task at once, in the admin's thread, right
    after the change commits): the last recount and the last write leave the tallies equal
    to the log."""
    original = network._insert_weeks

    def slow_insert_weeks(*args, **kwargs):
        time.sleep(0.02)  # widen the worker's turn for each coach
        return original(*args, **kwargs)

    monkeypatch.setattr(network, "_insert_weeks", slow_insert_weeks)
    f.built_in_support_kinds()
    cast = build_cast()
    second = f.PersonFactory(full_name="Rob Roosevelt")
    f.MembershipFactory(person=second, organisation=cast.school, role="coach")
    coaches = [cast.coach, second]
    kind_id = SupportKind.objects.get(network=None, name="Tech help").pk
    sunday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday() + 8)
    late = datetime.datetime.combine(sunday, datetime.time(23, 0), tzinfo=datetime.UTC)
    for n in range(6):  # something already logged, for the change to move
        services.interaction_log(actor=coaches[n % 2], kind=SupportKind.objects.get(pk=kind_id),
                                 teachers=[cast.teacher], occurred_at=late - n * HOUR,
                                 idempotency_key=uuid.uuid4())
    barrier = threading.Barrier(4)
    errors = []

    def writer(n: int) -> None:
        try:
            coach = Person.objects.get(pk=coaches[n % 2].pk)
            kind = SupportKind.objects.get(pk=kind_id)
            teacher = Person.objects.get(pk=cast.teacher.pk)
            barrier.wait()
            for i in range(10):
                entry = services.interaction_log(
                    actor=coach, kind=kind, teachers=[teacher], minutes=10 + i,
                    occurred_at=late + (n * 10 + i - 15) * HOUR, idempotency_key=uuid.uuid4())
                if i % 3 == 2:
                    services.interaction_update(
                        actor=coach, interaction=entry, kind=kind, teachers=[teacher],
                        minutes=30, occurred_at=entry.occurred_at + 2 * HOUR)
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    def admin() -> None:
        try:
            person = Person.objects.get(pk=cast.admin.pk)
            barrier.wait()
            for zone in ("Europe/London", "Asia/Kathmandu"):
                time.sleep(0.05)
                organisation = Organisation.objects.get(pk=cast.network.pk)
                directory.organisation_update(
                    actor=person, organisation=organisation, name=organisation.name,
                    locale=organisation.locale, time_zone=zone,
                    leader_visibility=organisation.leader_visibility)
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    threads.append(threading.Thread(target=admin))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert not TallyRecount.objects.filter(done_at__isnull=True).exists()
    assert TallyRecount.objects.count() == 2
    assert proof.differences(cast.network) == {}
