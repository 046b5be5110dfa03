"""The benchmark district's coach's log: two million interactions over three school years,
written with PostgreSQL `COPY` (indexes and foreign keys rebuilt once at the end), or
`bulk_create` in batches elsewhere."""

from __future__ import annotations

import bisect
import datetime
import random
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.core.management.color import no_style
from django.db import connection

from bettertogether.coaching.models import (
    Interaction,
    InteractionTeacher,
    PersonalNote,
    SupportKind,
)
from bettertogether.directory.calendar import zone_of
from bettertogether.directory.models import (
    CaseloadAssignment,
    Membership,
    Organisation,
    Role,
    SchoolYear,
)

from .coaching_vocabulary import (
    DISTRICT_TODAY,
    MINUTES,
    OWN_TIME_NOTES,
    PLACES,
    PRIVATE_NOTES,
    SHARED_NOTES,
)
from .common import (
    DISTRICT_NETWORK,
)
from .district import DistrictScale

# --- The district: two million rows in bulk --------------------------------------------

DISTRICT_OWN_TIME = 0.10  # share of the coach's own time
DISTRICT_GROUPS = 0.15  # share of contacts with 2-4 teachers
DISTRICT_SHARED = 0.30
DISTRICT_PRIVATE = 0.10
CHUNK_COACHES = 20

DISTRICT_KIND_WEIGHTS = {
    "Tech help": 15, "Copies and materials": 10, "Check-in": 20, "Co-planning": 12,
    "Modelling a lesson": 6, "Co-teaching": 6, "Observation": 10,
    "Feedback conversation": 10, "Data dive": 6, "PD session": 5,
}
DISTRICT_OWN_WEIGHTS = {"Planning": 4, "Meetings": 3, "Duties": 2, "Own learning": 1}

PERSONAL_NOTES = (
    "Their daughter just started college",
    "Runs the robotics club",
    "Coaches the girls' soccer team",
    "New baby in the spring",
    "Prefers email to drop-ins",
    "Training for a half marathon",
    "Moved here from Texas this summer",
    "Plays bass in a band on weekends",
    "Caring for a parent; keep meetings short",
    "Wants to become an instructional coach",
    "Loves graphic novels; lend them the new one",
    "Worried about the new curriculum rollout",
)

_INTERACTION_COLUMNS = (
    "id", "coach_id", "network_id", "school_id", "kind_id", "minutes", "occurred_at",
    "place", "shared_note", "private_note", "idempotency_key", "created_at", "updated_at",
)
_LINK_COLUMNS = ("id", "interaction_id", "teacher_id", "coach_id", "occurred_at")


def seed_district(rng: random.Random, **options) -> None:
    scale: DistrictScale = options.get("size") or DistrictScale()
    network = Organisation.objects.get(kind=Organisation.Kind.NETWORK, name=DISTRICT_NETWORK)
    years = list(SchoolYear.objects.filter(network=network).order_by("starts_on")
                 .prefetch_related("terms"))
    days = _district_days(years, zone_of(network))
    coach_ids = list(
        Membership.objects.filter(network=network, role=Role.COACH)
        .values_list("person_id", flat=True).distinct().order_by("person_id")
    )
    caseloads = district_caseloads(years)
    kinds = {k.name: k.pk for k in SupportKind.objects.filter(network=None)}

    weights = [rng.lognormvariate(0, 0.35) for _ in coach_ids]
    counts = share_out(scale.interactions, weights)
    with bulk_load([Interaction, InteractionTeacher]):
        next_id = first_free_id(Interaction)
        next_link = first_free_id(InteractionTeacher)
        for start in range(0, len(coach_ids), CHUNK_COACHES):
            rows, links = [], []
            for coach_id, count in zip(coach_ids[start:start + CHUNK_COACHES],
                                       counts[start:start + CHUNK_COACHES], strict=True):
                made, made_links = _coach_rows(
                    rng, coach_id, network.pk, count, days, caseloads.get(coach_id, {}),
                    kinds, next_id, next_link)
                next_id += len(made)
                next_link += len(made_links)
                rows += made
                links += made_links
            write_rows(Interaction, _INTERACTION_COLUMNS, rows)
            write_rows(InteractionTeacher, _LINK_COLUMNS, links)
    _personal_notes(rng, caseloads, scale.personal_notes, years)
    finish_bulk_load([Interaction, InteractionTeacher, PersonalNote])


def share_out(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, largest remainders first."""
    if not weights:
        return []
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    counts = [int(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _district_days(years: list[SchoolYear], zone: ZoneInfo) -> list[tuple[int, datetime.datetime]]:
    """(year index, local midnight in UTC) of every school day before `DISTRICT_TODAY`."""
    days = []
    for index, year in enumerate(years):
        for term in sorted(year.terms.all(), key=lambda t: t.starts_on):
            day = term.starts_on
            while day <= term.ends_on and day < DISTRICT_TODAY:
                if day.weekday() < 5:
                    midnight = datetime.datetime.combine(day, datetime.time(0), tzinfo=zone)
                    days.append((index, midnight.astimezone(datetime.UTC)))
                day += datetime.timedelta(days=1)
    return days


def district_caseloads(years: list[SchoolYear]) -> dict[int, dict[int, list[tuple[int, int]]]]:
    """coach → year index → [(teacher, school)] in the order they were assigned."""
    index = {year.pk: i for i, year in enumerate(years)}
    caseloads: dict[int, dict[int, list[tuple[int, int]]]] = {}
    rows = CaseloadAssignment.objects.filter(school_year__in=years).order_by("pk").values_list(
        "coach_id", "school_year_id", "teacher_id", "school_id")
    for coach_id, year_id, teacher_id, school_id in rows.iterator(chunk_size=10000):
        caseloads.setdefault(coach_id, {}).setdefault(index[year_id], []).append(
            (teacher_id, school_id))
    return caseloads


def _coach_rows(rng: random.Random, coach_id: int, network_id: int, count: int,
                days: list, caseload: dict[int, list[tuple[int, int]]], kinds: dict[str, int],
                first_id: int, first_link: int) -> tuple[list[tuple], list[tuple]]:
    """`count` interactions of one coach in order of time, and their links to teachers."""
    random_ = rng.random
    contact_names = list(DISTRICT_KIND_WEIGHTS)
    contact_cum = _cumulative(DISTRICT_KIND_WEIGHTS.values())
    own_names = list(DISTRICT_OWN_WEIGHTS)
    own_cum = _cumulative(DISTRICT_OWN_WEIGHTS.values())
    by_school = {
        year: _group_by_school(pairs) for year, pairs in caseload.items()
    }
    n_days = len(days)
    drafts = []
    for _ in range(count):
        year, midnight = days[int(random_() * n_days)]
        pairs = caseload.get(year)
        minute = 7 * 60 + 5 * int(random_() * 114)  # 07:00 to 16:25, local time
        occurred = midnight + datetime.timedelta(minutes=minute)
        if not pairs or random_() < DISTRICT_OWN_TIME:
            kind = own_names[bisect.bisect(own_cum, random_() * own_cum[-1])]
            teachers: tuple[int, ...] = ()
            school_id = None
        else:
            kind = contact_names[bisect.bisect(contact_cum, random_() * contact_cum[-1])]
            # Some teachers of a caseload see their coach far more often than others.
            teacher_id, school_id = pairs[int(len(pairs) * random_() ** 1.6)]
            teachers = (teacher_id,)
            if random_() < DISTRICT_GROUPS:
                colleagues = by_school[year][school_id]
                if len(colleagues) > 1:
                    size = min(len(colleagues), 2 + int(random_() * 3))
                    others = [t for t in rng.sample(colleagues, size) if t != teacher_id]
                    teachers = (teacher_id, *others[: size - 1])
        low, high = MINUTES[kind]
        minutes = low + 5 * int(random_() * ((high - low) // 5 + 1))
        places = PLACES[kind]
        place = places[int(random_() * len(places))]
        shared = ""
        if teachers and random_() < DISTRICT_SHARED:
            notes = SHARED_NOTES[kind]
            shared = notes[int(random_() * len(notes))]
        private = ""
        if random_() < DISTRICT_PRIVATE:
            notes = PRIVATE_NOTES if teachers else OWN_TIME_NOTES[kind]
            private = notes[int(random_() * len(notes))]
        key = uuid.UUID(int=rng.getrandbits(128), version=4)
        drafts.append((occurred, kinds[kind], minutes, place, shared, private, key,
                       school_id, teachers))
    drafts.sort(key=lambda d: d[0])
    rows, links = [], []
    link_id = first_link
    for offset, (occurred, kind_id, minutes, place, shared, private, key, school_id,
                 teachers) in enumerate(drafts):
        pk = first_id + offset
        logged = occurred + datetime.timedelta(minutes=minutes)
        rows.append((pk, coach_id, network_id, school_id, kind_id, minutes, occurred, place,
                     shared, private, key, logged, logged))
        for teacher_id in teachers:
            links.append((link_id, pk, teacher_id, coach_id, occurred))
            link_id += 1
    return rows, links


def _cumulative(weights: Iterable[int]) -> list[int]:
    total, out = 0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _group_by_school(pairs: list[tuple[int, int]]) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    for teacher_id, school_id in pairs:
        groups.setdefault(school_id, []).append(teacher_id)
    return groups


def _personal_notes(rng: random.Random, caseloads: dict, total: int,
                    years: list[SchoolYear]) -> None:
    """`total` personal notes about teachers of the coaches' caseloads."""
    pairs = sorted({(coach_id, teacher_id)
                    for coach_id, by_year in caseloads.items()
                    for year_pairs in by_year.values()
                    for teacher_id, _school in year_pairs})
    if not pairs or not years:
        return
    start = datetime.datetime.combine(years[0].starts_on, datetime.time(15),
                                      tzinfo=datetime.UTC)
    span = (datetime.datetime.combine(DISTRICT_TODAY, datetime.time(0), tzinfo=datetime.UTC)
            - start).total_seconds()
    notes = (
        PersonalNote(coach_id=coach_id, teacher_id=teacher_id,
                     text=rng.choice(PERSONAL_NOTES),
                     created_at=start + datetime.timedelta(seconds=int(rng.random() * span)))
        for coach_id, teacher_id in (rng.choice(pairs) for _ in range(total))
    )
    PersonalNote.objects.bulk_create(notes, batch_size=5000)


# --- Writing in bulk ---------------------------------------------------------------------


def first_free_id(model) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def write_rows(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        statement = "COPY {} ({}) FROM STDIN".format(
            connection.ops.quote_name(model._meta.db_table),
            ", ".join(connection.ops.quote_name(c) for c in columns))
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)
        return
    objects = (model(**dict(zip(columns, row, strict=True))) for row in rows)
    model.objects.bulk_create(objects, batch_size=2000)


@contextmanager
def bulk_load(models: list) -> Iterator[None]:
    """On PostgreSQL, load without the tables' secondary indexes and constraints, then
    rebuild them once: far faster than updating them (and checking every foreign key)
    row by row. Elsewhere, nothing to do."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as cursor:
        # Run the foreign-key checks still pending from the earlier seeders now: a table
        # with pending checks cannot be altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        constraints, indexes = [], []
        for table in tables:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid), contype FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype IN ('f', 'u') "
                "ORDER BY contype DESC, conname", [table])
            constraints += [(table, name, definition) for name, definition, _t in cursor]
            cursor.execute(
                "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                "WHERE indrelid = %s::regclass AND NOT indisprimary AND NOT EXISTS ("
                "  SELECT 1 FROM pg_constraint c WHERE c.conindid = pg_index.indexrelid"
                ") ORDER BY 1", [table])
            indexes += list(cursor)
        quote = connection.ops.quote_name
        for table, name, _definition in constraints:
            cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in constraints:
            cursor.execute(
                f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def finish_bulk_load(models: list) -> None:
    """Move the id sequences past the ids written by hand; fresh planner statistics."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
            cursor.execute(f"ANALYZE {tables}")
