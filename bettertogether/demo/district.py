"""The Metro district directory, written in bulk for the benchmark.

Services write one row at a time and record an activity entry for each; at 15,000 teachers
that would take far too long. This module writes the same rows with `bulk_create`: one
precomputed password hash for everyone, each membership's `network` set by hand (bulk
inserts skip `clean()`), and a teacher profile for every person as `person_create` would.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import random
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from bettertogether.accounts.models import Invitation
from bettertogether.activity.models import ActivityEntry
from bettertogether.directory.models import (
    CaseloadAssignment,
    GradeLevel,
    LeaderVisibility,
    Locale,
    Membership,
    Organisation,
    Person,
    Role,
    SchoolYear,
    Subject,
    TeacherProfile,
    Term,
)

from .common import (
    BENCH_PERSONAS,
    DEMO_PASSWORD,
    DISTRICT_NETWORK,
    US_GRADES,
    US_SUBJECTS,
    email_part,
    us_trimester_years,
)
from .names import FIRST_NAMES, INTERESTS, LAST_NAMES, SCHOOL_STEMS

BATCH = 2000
DOMAIN = "metro.example"

# School kinds: (name suffix, grade codes).
KINDS = (
    ("Elementary School", ("K", "1", "2", "3", "4", "5")),
    ("Middle School", ("6", "7", "8")),
    ("High School", ("9", "10", "11", "12")),
)
ELEMENTARY_SUBJECTS = ("English Language Arts", "Mathematics", "Science", "Social Studies")


@dataclass(frozen=True)
class DistrictScale:
    """How big the district is. Tests shrink it; the benchmark uses the defaults."""

    schools: int = 250
    teachers_per_school: int = 60
    coaches: int = 300
    network_admins: int = 3
    facilitators: int = 4
    caseload: int = 50  # teachers per coach per school year
    big_caseload: int = 300  # the caseload of bench-bigcoach in the current year
    invitations: int = 200
    interactions: int = 2_000_000  # the coaches' log over the three school years
    personal_notes: int = 20_000
    requests: int = 60_000  # teachers' requests from the coaching menus
    sessions: int = 50_000  # coaching sessions: most logged, a few hundred a week to come
    goals: int = 40_000  # goals set by coaches with teachers over the three years
    cycles: int = 25_000  # coaching cycles on them: most completed, a tenth under way
    evidence_points: int = 500_000  # class-level evidence across the cycles' measures
    growth_goals: int = 5_000  # teachers' own professional growth goals


@dataclass
class _Cast:
    """What the earlier steps wrote (rows and ids), for the later ones."""

    network: Organisation
    schools: list[Organisation]
    years: list[SchoolYear]  # oldest first
    grades: dict[str, int]
    subjects: dict[str, int]
    school_grades: dict[int, tuple[str, ...]]
    teachers_by_school: dict[int, list[int]]
    coach_ids: list[int]
    coach_schools: dict[int, list[int]]
    admin_ids: list[int]


def seed_district_directory(rng: random.Random, scale: DistrictScale) -> None:
    network = Organisation.objects.create(
        name=DISTRICT_NETWORK, kind=Organisation.Kind.NETWORK, locale=Locale.EN_US,
        time_zone="America/Chicago", leader_visibility=LeaderVisibility.TOTALS,
    )
    schools, school_grades = _schools(rng, network, scale.schools)
    years = _school_years(network)
    grades = {
        g.code: g.pk
        for g in GradeLevel.objects.bulk_create(
            GradeLevel(network=network, code=code, name=name, position=i)
            for i, (code, name) in enumerate(US_GRADES)
        )
    }
    subjects = {
        s.name: s.pk
        for s in Subject.objects.bulk_create(Subject(network=network, name=n) for n in US_SUBJECTS)
    }
    cast = _Cast(network, schools, years, grades, subjects, school_grades, {}, [], {}, [])
    _people(rng, cast, scale)
    _caseloads(rng, cast, scale)
    _invitations(rng, cast, scale)
    _activity(cast)


def _schools(rng: random.Random, network: Organisation, count: int):
    names: set[str] = set()
    rows, grade_bands = [], []
    for i in range(count):
        suffix, band = _kind_for(i)
        name = f"{rng.choice(SCHOOL_STEMS)} {suffix}"
        while name in names:
            name = f"{rng.choice(SCHOOL_STEMS)} {rng.choice(SCHOOL_STEMS)} {suffix}"
        names.add(name)
        rows.append(Organisation(
            name=name, kind=Organisation.Kind.SCHOOL, network=network, locale=network.locale,
            time_zone=network.time_zone, leader_visibility=network.leader_visibility,
        ))
        grade_bands.append(band)
    schools = Organisation.objects.bulk_create(rows, batch_size=BATCH)
    return schools, {s.pk: band for s, band in zip(schools, grade_bands, strict=True)}


def _kind_for(i: int) -> tuple[str, tuple[str, ...]]:
    """Three elementary schools for each middle and each high school, interleaved."""
    position = i % 5
    suffix, band = KINDS[0] if position < 3 else KINDS[1] if position == 3 else KINDS[2]
    return suffix, band


def _school_years(network: Organisation) -> list[SchoolYear]:
    years = us_trimester_years()
    rows = SchoolYear.objects.bulk_create(
        SchoolYear(network=network, name=y.name, starts_on=y.starts_on, ends_on=y.ends_on)
        for y in years
    )
    Term.objects.bulk_create(
        Term(school_year=row, name=name, starts_on=start, ends_on=end)
        for row, year in zip(rows, years, strict=True)
        for name, start, end in year.terms
    )
    return rows


@dataclass(frozen=True)
class _Planned:
    """One person to write: who they are and where they hold which role."""

    email: str
    name: str
    role: str
    places: tuple[Organisation, ...]
    grades: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()


def _people(rng: random.Random, cast: _Cast, scale: DistrictScale) -> None:
    """Everyone, with memberships, profiles, grades and subjects."""
    plan = _plan_people(rng, cast, scale)
    password = make_password(DEMO_PASSWORD)
    people = Person.objects.bulk_create(
        (Person(email=p.email, full_name=p.name, password=password) for p in plan),
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        (
            Membership(person=person, organisation=org, role=planned.role,
                       network_id=org.network_root_id)
            for person, planned in zip(people, plan, strict=True)
            for org in planned.places
        ),
        batch_size=BATCH,
    )
    profiles = TeacherProfile.objects.bulk_create(
        (
            TeacherProfile(person=person, years_experience=rng.randint(0, 32),
                           interests=rng.choice(INTERESTS))
            for person in people
        ),
        batch_size=BATCH,
    )
    grade_link = TeacherProfile.grades.through
    grade_link.objects.bulk_create(
        (
            grade_link(teacherprofile_id=profile.pk, gradelevel_id=cast.grades[code])
            for profile, planned in zip(profiles, plan, strict=True)
            for code in planned.grades
        ),
        batch_size=BATCH,
    )
    subject_link = TeacherProfile.subjects.through
    subject_link.objects.bulk_create(
        (
            subject_link(teacherprofile_id=profile.pk, subject_id=cast.subjects[name])
            for profile, planned in zip(profiles, plan, strict=True)
            for name in planned.subjects
        ),
        batch_size=BATCH,
    )
    for person, planned in zip(people, plan, strict=True):
        if planned.role == Role.TEACHER:
            cast.teachers_by_school.setdefault(planned.places[0].pk, []).append(person.pk)
        elif planned.role == Role.COACH:
            cast.coach_ids.append(person.pk)
            cast.coach_schools[person.pk] = [school.pk for school in planned.places]
        elif planned.role == Role.NETWORK_ADMIN:
            cast.admin_ids.append(person.pk)


def _plan_people(rng: random.Random, cast: _Cast, scale: DistrictScale) -> list[_Planned]:
    """Teachers school by school, then coaches, leaders, admins and facilitators.

    The benchmark's personas come first of their kind: the first teacher of the first
    school, the first two coaches, the first school's leader, the first admin.
    """
    numbers = iter(range(1, 10**9))

    def person(persona: str | None, role: str, places, grades=(), subjects=()) -> _Planned:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        email = BENCH_PERSONAS[persona] if persona else (
            f"{email_part(name)}.{next(numbers)}@{DOMAIN}")
        return _Planned(email, name, role, tuple(places), grades, subjects)

    plan = []
    for s, school in enumerate(cast.schools):
        band = cast.school_grades[school.pk]
        for t in range(scale.teachers_per_school):
            grades, subjects = _teaching(rng, band)
            persona = "teacher" if (s, t) == (0, 0) else None
            plan.append(person(persona, Role.TEACHER, [school], grades, subjects))
    for c in range(scale.coaches):
        served = _served_schools(rng, cast, scale, c)
        persona = {0: "coach", 1: "bigcoach"}.get(c)
        plan.append(person(persona, Role.COACH, served, (), (rng.choice(US_SUBJECTS),)))
    for s, school in enumerate(cast.schools):
        plan.append(person("principal" if s == 0 else None, Role.SCHOOL_LEADER, [school]))
    for a in range(scale.network_admins):
        plan.append(person("admin" if a == 0 else None, Role.NETWORK_ADMIN, [cast.network]))
    for _f in range(scale.facilitators):
        plan.append(person(None, Role.FACILITATOR, [cast.network]))
    return plan


def _teaching(rng: random.Random, band: tuple[str, ...]) -> tuple[tuple, tuple]:
    """Grades and subjects of one teacher in a school with grades `band`."""
    if band[0] == "K" and rng.random() < 0.8:
        return (rng.choice(band),), tuple(rng.sample(ELEMENTARY_SUBJECTS, rng.randint(1, 4)))
    subject = rng.choice(US_SUBJECTS)
    return tuple(sorted(rng.sample(band, rng.randint(1, 2)), key=band.index)), (subject,)


def _served_schools(
    rng: random.Random, cast: _Cast, scale: DistrictScale, c: int
) -> list[Organisation]:
    """Each school has a coach; a coach serves 1-3 schools; bench-bigcoach serves more."""
    count = len(cast.schools)
    if c == 1:
        wanted = math.ceil(scale.big_caseload / max(scale.teachers_per_school, 1))
        return [cast.schools[(1 + k) % count] for k in range(min(wanted, count))]
    primary = c % count if c < count else rng.randrange(count)
    others = [i for i in rng.sample(range(count), min(3, count)) if i != primary]
    return [cast.schools[i] for i in [primary, *others[: rng.randint(0, 2)]]]


def _caseloads(rng: random.Random, cast: _Cast, scale: DistrictScale) -> None:
    """About `scale.caseload` teachers per coach and year, from the schools they serve."""
    school_of = {t: s for s, ts in cast.teachers_by_school.items() for t in ts}
    bench_teacher = cast.teachers_by_school[cast.schools[0].pk][0]
    current = cast.years[-1]
    rows = []
    for c, coach_id in enumerate(cast.coach_ids):
        pool = [t for s in cast.coach_schools[coach_id] for t in cast.teachers_by_school[s]]
        for year in cast.years:
            if c == 1 and year is current:
                chosen = pool[: scale.big_caseload]
            else:
                chosen = rng.sample(pool, min(scale.caseload, len(pool)))
            if c == 0 and year is current and bench_teacher not in chosen:
                chosen[0] = bench_teacher
            rows.extend(
                CaseloadAssignment(coach_id=coach_id, teacher_id=t, school_id=school_of[t],
                                   school_year=year)
                for t in chosen
            )
    CaseloadAssignment.objects.bulk_create(rows, batch_size=BATCH)


def _invitations(rng: random.Random, cast: _Cast, scale: DistrictScale) -> None:
    """Invitations sent over the autumn: most pending, a few withdrawn."""
    now = timezone.now()
    rows = []
    for i in range(scale.invitations):
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        school = rng.choice(cast.schools)
        sent = now - datetime.timedelta(hours=rng.randint(1, 24 * 13))
        digest = hashlib.sha256(f"metro-invitation-{i}-{rng.random()}".encode()).hexdigest()
        rows.append(Invitation(
            email=f"{email_part(name)}.invited{i}@{DOMAIN}", full_name=name,
            organisation=school, network=cast.network, role=Role.TEACHER,
            token_hash=digest, invited_by_id=cast.admin_ids[0], created_at=sent, sent_at=sent,
            expires_at=sent + datetime.timedelta(days=14),
            revoked_at=sent + datetime.timedelta(hours=1) if i % 10 == 9 else None,
        ))
    Invitation.objects.bulk_create(rows, batch_size=BATCH)


def _activity(cast: _Cast) -> None:
    """A log as a setup would leave it: schools, years and the current caseloads."""
    admin_id = cast.admin_ids[0]
    network_id = cast.network.pk
    start = datetime.datetime(2024, 7, 1, 9, tzinfo=datetime.UTC)
    rows = [
        ActivityEntry(actor_id=admin_id, action="organisation.create",
                      target_type="directory.organisation", target_id=school.pk,
                      target_label=school.name, organisation_id=school.pk,
                      network_id=network_id, created_at=start + datetime.timedelta(minutes=i))
        for i, school in enumerate(cast.schools)
    ]
    rows += [
        ActivityEntry(actor_id=admin_id, action="school_year.create",
                      target_type="directory.schoolyear", target_id=year.pk,
                      target_label=year.name, organisation_id=network_id,
                      network_id=network_id, created_at=start + datetime.timedelta(days=i))
        for i, year in enumerate(cast.years)
    ]
    current = cast.years[-1]
    assignments = CaseloadAssignment.objects.filter(school_year=current).values_list(
        "pk", "school_id", "coach__full_name", "teacher__full_name"
    ).order_by("pk")
    assigned = datetime.datetime(2026, 8, 3, 14, tzinfo=datetime.UTC)
    rows += [
        ActivityEntry(actor_id=admin_id, action="caseload.assign",
                      target_type="directory.caseloadassignment", target_id=pk,
                      target_label=f"{teacher} → {coach}", organisation_id=school_id,
                      network_id=network_id, created_at=assigned + datetime.timedelta(seconds=i))
        for i, (pk, school_id, coach, teacher) in enumerate(assignments.iterator())
    ]
    ActivityEntry.objects.bulk_create(rows, batch_size=BATCH)
