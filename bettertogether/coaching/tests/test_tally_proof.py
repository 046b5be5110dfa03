"""The randomized proof: whatever happens to the log and to the network's calendar, in any
order, the tallies equal a direct computation from the log.

Hypothesis writes, edits and deletes entries through the services (two coaches, several
teachers, contacts and own time), dated anywhere in the span the log accepts — both ends,
the first days of the bitmap columns and the days before them, midnights in the network's
zone — and interleaves changes of the network's time zone (through the service), terms
added (through the services), moved and deleted, school years deleted (through the support
admin), and the task worker's turns. After every step with no recount pending the tallies
equal the log; after the worker's last turn they always do. A date outside the span is
refused with its message next to the field and changes nothing.
"""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bettertogether.coaching import services
from bettertogether.coaching.models import Interaction, TallyRecount
from bettertogether.coaching.tallies import proof
from bettertogether.coaching.tallies.buckets import BITS, EPOCH_YEAR
from bettertogether.coaching.tallies.network import recount_pending
from bettertogether.coaching.tests.support import log
from bettertogether.directory import services as directory
from bettertogether.directory.dates import FIRST_DAY
from bettertogether.directory.models import Organisation, Role, SchoolYear, Term
from bettertogether.testing import factories as f

DAY = datetime.timedelta(days=1)
ZONES = ["America/Chicago", "UTC", "Pacific/Kiritimati", "Pacific/Pago_Pago",
         "Asia/Kathmandu", "Europe/London", "Australia/Lord_Howe"]
CONTACT_KINDS = ["Tech help", "Co-teaching", "Check-in"]
OWN_KINDS = ["Planning", "Meetings"]


def _month(index: int) -> datetime.date:
    return datetime.date(EPOCH_YEAR + index // 12, index % 12 + 1, 1)


def _edges(today: datetime.date) -> list[datetime.date]:
    """Both ends of the span, and each bitmap column's first month with the day before."""
    found = [FIRST_DAY, FIRST_DAY + DAY, today, today + DAY]
    for column in range(1, 20):
        first = _month(column * BITS)
        if first <= today:
            found += [first - DAY, first]
    return found


TODAY = timezone.localdate()
EDGES = _edges(TODAY)
days = st.one_of(st.sampled_from(EDGES), st.dates(FIRST_DAY, TODAY + DAY))
times = st.one_of(st.sampled_from([datetime.time(0, 0), datetime.time(0, 30),
                                   datetime.time(23, 30), datetime.time(23, 59)]),
                  st.times().map(lambda t: t.replace(second=0, microsecond=0)))
teacher_sets = st.sets(st.integers(0, 3), max_size=3)

steps = st.one_of(
    st.tuples(st.just("log"), st.integers(0, 1), teacher_sets, st.integers(0, 4), days, times,
              st.integers(1, 240)),
    st.tuples(st.just("edit"), st.integers(0, 99), teacher_sets, days, times,
              st.integers(1, 240)),
    st.tuples(st.just("delete"), st.integers(0, 99)),
    st.tuples(st.just("zone"), st.sampled_from(ZONES)),
    st.tuples(st.just("term_add"), days, st.integers(1, 150)),
    st.tuples(st.just("term_move"), st.integers(0, 99), st.integers(-60, 60)),
    st.tuples(st.just("term_delete"), st.integers(0, 99)),
    st.tuples(st.just("year_delete"), st.integers(0, 99)),
    st.tuples(st.just("work")),
    st.tuples(st.just("outside"), st.sampled_from([FIRST_DAY - DAY, datetime.date(1, 1, 2),
                                                   datetime.date(9999, 12, 31)])),
)


class World:
    """The cast's network with two coaches and their teachers, and what the steps made."""

    def __init__(self, cast):
        self.cast = cast
        self.network = cast.network
        roosevelt = f.PersonFactory(full_name="Rob Roosevelt")
        f.MembershipFactory(person=roosevelt, organisation=cast.other_school, role=Role.COACH)
        f.MembershipFactory(person=roosevelt, organisation=cast.school, role=Role.COACH)
        extra = []
        for n in range(2):
            person = f.PersonFactory(full_name=f"Extra {n}")
            f.MembershipFactory(person=person, organisation=cast.school, role=Role.TEACHER)
            extra.append(person)
        self.coaches = [cast.coach, roosevelt]
        self.teachers = [cast.teacher, cast.other_teacher, *extra]
        self.entries: list[Interaction] = []

    def zone(self):
        self.network.refresh_from_db(fields=["time_zone"])
        return zoneinfo.ZoneInfo(self.network.time_zone)

    def moment(self, day: datetime.date, time: datetime.time) -> datetime.datetime:
        found = datetime.datetime.combine(day, time, tzinfo=self.zone())
        return min(found, timezone.now())  # the log refuses what has not happened yet

    def pick(self, rows: list, index: int):
        return rows[index % len(rows)] if rows else None


def _log(world: World, coach_i, chosen, kind_i, day, time, minutes) -> None:
    teachers = [world.teachers[i] for i in sorted(chosen)]
    kind_name = CONTACT_KINDS[kind_i % 3] if teachers else OWN_KINDS[kind_i % 2]
    world.entries.append(log(world.coaches[coach_i], teachers, kind_name,
                             occurred_at=world.moment(day, time), minutes=minutes))


def _edit(world: World, index, chosen, day, time, minutes) -> None:
    entry = world.pick(world.entries, index)
    if entry is None:
        return
    teachers = [world.teachers[i] for i in sorted(chosen)] or [world.teachers[0]]
    services.interaction_update(
        actor=entry.coach, interaction=entry, kind=entry.kind,
        teachers=teachers if entry.kind.is_contact else [], minutes=minutes,
        occurred_at=world.moment(day, time))


def _delete(world: World, index) -> None:
    if world.entries:
        entry = world.entries.pop(index % len(world.entries))
        services.interaction_delete(actor=entry.coach, interaction=entry)


def _zone(world: World, name: str) -> None:
    network = world.network
    directory.organisation_update(
        actor=world.cast.admin, organisation=network, name=network.name,
        locale=network.locale, time_zone=name, leader_visibility=network.leader_visibility)


def _term_delete(world: World, index) -> None:
    term = world.pick(list(_terms(world)), index)
    if term is not None:
        admin.site._registry[Term].delete_model(None, term)


def _year_delete(world: World, index) -> None:
    year = world.pick(list(SchoolYear.objects.filter(network=world.network).order_by("pk")),
                      index)
    if year is not None:
        admin.site._registry[SchoolYear].delete_model(None, year)


def _work(world: World) -> None:
    recount_pending(network_id=world.network.pk)


def _terms(world):
    return Term.objects.filter(school_year__network=world.network).order_by("pk")


def _term_add(world: World, day: datetime.date, length: int) -> None:
    """A term from `day`, in the school year (August to July) around it."""
    first = datetime.date(day.year if day.month >= 8 else day.year - 1, 8, 1)
    last = datetime.date(first.year + 1, 7, 31)
    start = min(day, last - DAY)
    end = min(start + length * DAY, last)
    year = SchoolYear.objects.filter(network=world.network, name=f"Year {first.year}").first()
    if year is None:
        directory.school_year_create(
            actor=world.cast.admin, network=world.network, name=f"Year {first.year}",
            starts_on=first, ends_on=last, terms=[("Term 0", start, end)])
        return
    directory.term_create(actor=world.cast.admin, school_year=year,
                          name=f"Term {year.terms.count()}", starts_on=start, ends_on=end)


def _term_move(world: World, index: int, shift: int) -> None:
    """The support admin moves a term's first day (within its year, before its last)."""
    term = world.pick(list(_terms(world).select_related("school_year")), index)
    if term is None:
        return
    start = term.starts_on + shift * DAY
    start = max(term.school_year.starts_on, min(start, term.ends_on - DAY))
    term.starts_on = start
    admin.site._registry[Term].save_model(None, term, None, True)


def _refused(world: World, day: datetime.date) -> None:
    before = Interaction.objects.count()
    # Noon of that day where the network is: the span is read in its zone (and a day
    # before it at noon in UTC is already inside it in Kiritimati).
    moment = datetime.datetime.combine(day, datetime.time(12), tzinfo=world.zone())
    with pytest.raises(ValidationError) as refused:
        log(world.cast.coach, [world.cast.teacher], occurred_at=moment)
    assert list(refused.value.message_dict) == ["occurred_at"]
    assert Interaction.objects.count() == before


STEPS = {"log": _log, "edit": _edit, "delete": _delete, "zone": _zone,
         "term_add": _term_add, "term_move": _term_move, "term_delete": _term_delete,
         "year_delete": _year_delete, "work": _work, "outside": _refused}


def _pending(world: World) -> bool:
    return TallyRecount.objects.filter(network=world.network, done_at__isnull=True).exists()


@pytest.mark.django_db
@settings(max_examples=20, deadline=None, database=None, print_blob=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(plan=st.lists(steps, min_size=1, max_size=12))
def test_tallies_equal_the_log_through_any_writes_and_calendar_changes(cast, plan):
    with transaction.atomic():
        world = World(cast)
        for name, *args in plan:
            STEPS[name](world, *args)
            if not _pending(world):
                assert proof.differences(world.network) == {}, (name, *args)
        recount_pending(network_id=world.network.pk)
        assert not _pending(world)
        assert proof.differences(world.network) == {}
        transaction.set_rollback(True)  # the next example starts from the same world
    # Rolled back: every example starts from the cast's own calendar.
    assert Organisation.objects.get(pk=cast.network.pk).time_zone == "America/Chicago"
