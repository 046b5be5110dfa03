"""The proof that the tallies equal the log: a direct computation, row by row, in Python.

`differences` is what the tests and `manage.py report_tallies --check` use. Besides each
tally it lists, as `uncounted`, any entry of the log whose month no bitmap holds (a date
from before the span of accepted dates was enforced): such an entry would count as no
teacher reached, so it is a difference, not a silence.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

from bettertogether.coaching.models import Interaction, InteractionTeacher
from bettertogether.directory.calendar import zone_of
from bettertogether.directory.models import Organisation

from .buckets import COLUMNS, bucket_of, covers, local_day, monday_of, month_bits, term_starts
from .models import CoachWeek, KindWeek, PairReach, PairTerm, WeekTally


def stored(network) -> dict[str, set]:
    return {
        "weeks": set(WeekTally.objects.filter(network=network).values_list(
            "coach_id", "school_id", "kind_id", "is_contact", "week", "interactions", "minutes",
            "teacher_contacts")),
        "coach_weeks": set(CoachWeek.objects.filter(network=network).values_list(
            "coach_id", "school_id", "is_contact", "week", "interactions", "minutes",
            "teacher_contacts")),
        "pairs": set(PairTerm.objects.filter(network=network).values_list(
            "coach_id", "teacher_id", "school_id", "bucket", "contacts", "minutes", "first_at",
            "last_at")),
        "kind_weeks": set(KindWeek.objects.filter(network=network).values_list(
            "kind_id", "is_contact", "week", "interactions", "minutes", "teacher_contacts")),
        "reach": set(PairReach.objects.filter(network=network).values_list(
            "coach_id", "teacher_id", "school_id", *COLUMNS)),
        "uncounted": set(),
    }


def direct(network: Organisation) -> dict[str, set]:
    """The tallies computed in Python from every row of the log (for proofs, not pages)."""
    # The zone as stored now: the caller's copy of the network may predate a change.
    zone = zone_of(Organisation.objects.only("time_zone").get(pk=network.pk))
    starts = term_starts(network.pk)
    weeks: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    coach_weeks: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    kind_weeks: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0])
    uncounted = set()
    entries = (Interaction.objects.filter(network=network)
               .annotate(met=Count("links"))
               .values_list("pk", "coach_id", "school_id", "kind_id", "kind__is_contact",
                            "occurred_at", "minutes", "met"))
    for pk, coach, school, kind, is_contact, moment, minutes, met in entries:
        day = local_day(moment, zone)
        if day is None:
            uncounted.add((pk, moment))
            continue
        week = monday_of(day)
        for key, into in (((coach, school, kind, is_contact, week), weeks),
                          ((coach, school, is_contact, week), coach_weeks),
                          ((kind, is_contact, week), kind_weeks)):
            row = into[key]
            row[0] += 1
            row[1] += minutes
            row[2] += met
    pairs, reach = _pairs(network, zone, starts, uncounted)
    return {
        "weeks": {(*key, *values) for key, values in weeks.items()},
        "coach_weeks": {(*key, *values) for key, values in coach_weeks.items()},
        "pairs": {(*key, *values) for key, values in pairs.items()},
        "kind_weeks": {(*key, *values) for key, values in kind_weeks.items()},
        "reach": {(*key, *month_bits(found).values()) for key, found in reach.items()},
        "uncounted": uncounted,
    }


def _pairs(network, zone, starts, uncounted: set):
    pairs: dict[tuple, list] = {}
    reach: dict[tuple, set] = defaultdict(set)
    links = (InteractionTeacher.objects.filter(interaction__network=network)
             .values_list("interaction_id", "coach_id", "teacher_id", "interaction__school_id",
                          "occurred_at", "interaction__minutes"))
    for pk, coach, teacher, school, moment, minutes in links:
        day = local_day(moment, zone)
        if day is None:
            continue  # listed among the uncounted entries already
        if not covers(day):
            uncounted.add((pk, moment))
        bucket = bucket_of(day, starts)[0]
        row = pairs.setdefault((coach, teacher, school, bucket), [0, 0, moment, moment])
        row[0] += 1
        row[1] += minutes
        row[2] = min(row[2], moment)
        row[3] = max(row[3], moment)
        reach[(coach, teacher, school)].add(day)  # an uncovered month adds no bit
    return pairs, reach


def differences(network: Organisation) -> dict[str, dict[str, set]]:
    """What the tallies hold that the log does not say, and the other way round."""
    found_stored, expected = stored(network), direct(network)
    found = {}
    for name in found_stored:
        extra = found_stored[name] - expected[name]
        missing = expected[name] - found_stored[name]
        if extra or missing:
            found[name] = {"extra": extra, "missing": missing}
    return found
