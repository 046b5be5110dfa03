"""The tallies always equal a direct computation from the log: after logs, edits and
deletes through the services, and after a rebuild of a log written in bulk."""

from __future__ import annotations

import datetime
import random

import pytest
from django.utils import timezone

from bettertogether.coaching import services
from bettertogether.coaching.models import CoachWeek, PairTerm, WeekTally
from bettertogether.coaching.tallies import buckets, proof
from bettertogether.coaching.tallies.network import rebuild
from bettertogether.coaching.tests.support import log
from bettertogether.directory.models import Role
from bettertogether.testing import factories as f


def _moment(days_ago: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_a_logged_contact_is_tallied_at_once(cast):
    log(cast.coach, [cast.teacher], occurred_at=_moment(3), minutes=20)
    week = WeekTally.objects.get()
    assert (week.coach_id, week.school_id, week.interactions, week.minutes,
            week.teacher_contacts) == (cast.coach.pk, cast.school.pk, 1, 20, 1)
    assert CoachWeek.objects.get().minutes == 20
    pair = PairTerm.objects.get()
    assert (pair.teacher_id, pair.contacts, pair.minutes) == (cast.teacher.pk, 1, 20)
    assert proof.differences(cast.network) == {}


def test_edits_and_deletes_move_the_figures(cast):
    first = log(cast.coach, [cast.teacher], occurred_at=_moment(40), minutes=15)
    log(cast.coach, [cast.teacher, cast.other_teacher], occurred_at=_moment(40, 14),
        kind_name="Co-teaching", minutes=45)
    log(cast.coach, [], kind_name="Planning", occurred_at=_moment(2), minutes=30)
    services.interaction_update(
        actor=cast.coach, interaction=first, kind=first.kind, teachers=[cast.other_teacher],
        minutes=25, occurred_at=_moment(1))
    assert proof.differences(cast.network) == {}
    services.interaction_delete(actor=cast.coach, interaction=first)
    assert proof.differences(cast.network) == {}
    assert not PairTerm.objects.filter(bucket__gte=timezone.localdate()
                                       - datetime.timedelta(days=7),
                                       teacher=cast.other_teacher).exists()


def test_random_writes_across_terms_and_holidays_stay_equal(cast):
    year = cast.school_year
    f.TermFactory(school_year=year, name="Autumn", starts_on=year.starts_on,
                  ends_on=year.starts_on + datetime.timedelta(days=60))
    f.TermFactory(school_year=year, name="Spring",
                  starts_on=year.starts_on + datetime.timedelta(days=75),
                  ends_on=year.ends_on)
    teachers = [cast.teacher, cast.other_teacher]
    for n in range(3):
        person = f.PersonFactory(full_name=f"Extra {n}")
        f.MembershipFactory(person=person, organisation=cast.school, role=Role.TEACHER)
        teachers.append(person)
    rng = random.Random(7)
    made = []
    for _ in range(40):
        roll = rng.random()
        if made and roll < 0.2:
            services.interaction_delete(actor=cast.coach, interaction=made.pop())
        elif made and roll < 0.4:
            entry = made[rng.randrange(len(made))]
            chosen = rng.sample(teachers, rng.randint(1, 3)) if entry.kind.is_contact else []
            services.interaction_update(
                actor=cast.coach, interaction=entry, kind=entry.kind,
                teachers=chosen, minutes=rng.randint(5, 90),
                occurred_at=_moment(rng.randint(0, 130), rng.randint(7, 16)))
        else:
            chosen = rng.sample(teachers, rng.randint(0, 3))
            kind = rng.choice(["Tech help", "Co-teaching", "Check-in"]) if chosen else "Planning"
            made.append(log(cast.coach, chosen, kind_name=kind,
                            occurred_at=_moment(rng.randint(0, 130), rng.randint(7, 16)),
                            minutes=rng.randint(5, 90)))
    assert proof.differences(cast.network) == {}
    before = proof.stored(cast.network)
    rebuild(cast.network)
    assert proof.stored(cast.network) == before
    assert proof.differences(cast.network) == {}


def test_rebuild_matches_a_log_written_in_bulk(cast):
    for days in (0, 3, 9, 30, 200):
        f.InteractionFactory(coach=cast.coach, network=cast.network, school=cast.school,
                             occurred_at=_moment(days), teachers=[cast.teacher])
    f.InteractionFactory(coach=cast.coach, network=cast.network, occurred_at=_moment(5),
                         kind=f.built_in_support_kinds()["Planning"])
    assert proof.differences(cast.network) != {}
    rebuild(cast.network)
    assert proof.differences(cast.network) == {}


@pytest.mark.parametrize("day, expected", [
    (datetime.date(2026, 8, 20), (datetime.date(2026, 8, 1), datetime.date(2026, 8, 24))),
    (datetime.date(2026, 8, 24), (datetime.date(2026, 8, 24), datetime.date(2027, 1, 5))),
    (datetime.date(2026, 12, 24), (datetime.date(2026, 8, 24), datetime.date(2027, 1, 5))),
    (datetime.date(2027, 6, 1), (datetime.date(2027, 1, 5), datetime.date.max)),
    (datetime.date(2026, 7, 9), (datetime.date(2026, 7, 1), datetime.date(2026, 8, 1))),
])
def test_buckets_are_terms_and_months_before_the_first(day, expected):
    starts = [datetime.date(2026, 8, 24), datetime.date(2027, 1, 5)]
    assert buckets.bucket_of(day, starts) == expected
