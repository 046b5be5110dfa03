"""Demo directory: networks, schools, school years, people, profiles and caseloads.

`seed_small` builds the hand-written Riverside district and Northfield trust through the
real services, so the activity log reads as if an admin had set everything up.
`seed_district` builds the large Metro district in bulk (see `district.py`).
"""

from __future__ import annotations

import random

from django.contrib.auth.hashers import make_password

from bettertogether.accounts.services import invitation_answer_accept, invitation_send
from bettertogether.directory.models import (
    GradeLevel,
    LeaderVisibility,
    Locale,
    Organisation,
    Person,
    Role,
    Subject,
)
from bettertogether.directory.services import (
    caseload_assign,
    membership_grant,
    network_create,
    person_create,
    profile_update,
    school_create,
    school_year_create,
)

from . import cast
from .common import (
    DEMO_PASSWORD,
    ENGLISH_SUBJECTS,
    ENGLISH_YEAR_GROUPS,
    OUTSIDER_NETWORK,
    SMALL_NETWORK,
    US_GRADES,
    US_SUBJECTS,
    Year,
    email_part,
    english_years,
    us_semester_years,
)
from .district import DistrictScale, seed_district_directory

SUPPORT_EMAIL = "support@riverside.example"


def seed_small(rng: random.Random) -> None:
    """Riverside (en-US, three schools) and Northfield (en-GB, the outsider network).

    The cast is written by hand (`cast.py`), so `rng` is not needed here yet.
    """
    support = person_create(actor=None, email=SUPPORT_EMAIL, full_name="Riverside Support")
    support.is_staff = True
    support.is_superuser = True
    support.save(update_fields=["is_staff", "is_superuser"])
    people = [support]
    people += _seed_network(
        support=support,
        name=SMALL_NETWORK,
        domain="riverside.example",
        locale=Locale.EN_US,
        time_zone="America/Chicago",
        leader_visibility=LeaderVisibility.TOTALS,
        schools=cast.RIVERSIDE_SCHOOLS,
        years=us_semester_years(),
        grades=US_GRADES,
        subjects=US_SUBJECTS,
        members=cast.RIVERSIDE,
        caseloads=cast.RIVERSIDE_CASELOADS,
        invitations=cast.RIVERSIDE_INVITATIONS,
    )
    people += _seed_network(
        support=support,
        name=OUTSIDER_NETWORK,
        domain="northfield.example",
        locale=Locale.EN_GB,
        time_zone="Europe/London",
        leader_visibility=LeaderVisibility.WHO_AND_KIND,
        schools=cast.NORTHFIELD_SCHOOLS,
        years=english_years(),
        grades=ENGLISH_YEAR_GROUPS,
        subjects=ENGLISH_SUBJECTS,
        members=cast.NORTHFIELD,
        caseloads=cast.NORTHFIELD_CASELOADS,
        invitations=cast.NORTHFIELD_INVITATIONS,
    )
    _seed_shared_person()
    # One hash for everyone: hashing each password separately would take most of a minute.
    Person.objects.filter(pk__in=[p.pk for p in people]).update(
        password=make_password(DEMO_PASSWORD)
    )


def _seed_shared_person() -> None:
    """Two networks and one person: Riverside's programme facilitator accepted Northfield's
    invitation to facilitate there too (Riverside, which brought her in, manages her
    account; Northfield sees and manages only her role there). And Northfield has asked
    Riverside's coach to coach at Northfield Park Academy: the invitation waits on the
    coach's home page."""
    northfield_admin = Person.objects.get(email=cast.NORTHFIELD_ADMIN_EMAIL)
    northfield = Organisation.objects.get(name=OUTSIDER_NETWORK, kind=Organisation.Kind.NETWORK)
    park = Organisation.objects.get(network=northfield, name=cast.NORTHFIELD_SCHOOLS["park"])
    shared_email, shared_role = cast.SHARED_PERSON
    shared = Person.objects.get(email=shared_email)
    invitation = invitation_send(actor=northfield_admin, email=shared.email,
                                 full_name=shared.full_name, organisation=northfield,
                                 role=shared_role)
    invitation_answer_accept(actor=shared, invitation=invitation)
    asked_email, asked_role = cast.ASKED_PERSON
    asked = Person.objects.get(email=asked_email)
    invitation_send(actor=northfield_admin, email=asked.email, full_name=asked.full_name,
                    organisation=park, role=asked_role)


def seed_district(rng: random.Random, size: DistrictScale | None = None) -> None:
    """Metro district (en-US, 250 schools by default), written in bulk."""
    seed_district_directory(rng, size or DistrictScale())


def _seed_network(
    *,
    support: Person,
    name: str,
    domain: str,
    locale: str,
    time_zone: str,
    leader_visibility: str,
    schools: dict[str, str],
    years: list[Year],
    grades: list[tuple[str, str]],
    subjects: tuple[str, ...],
    members: tuple[cast.Member, ...],
    caseloads: dict[str, dict[str, tuple[str, ...]]],
    invitations: tuple[tuple[str, str, str], ...],
) -> list[Person]:
    """One network with its schools, calendar, lists and people; returns the people."""
    network = network_create(
        actor=support, name=name, locale=locale, time_zone=time_zone,
        leader_visibility=leader_visibility,
    )
    admin_entry = next(m for m in members if m.role == Role.NETWORK_ADMIN)
    admin = _person(actor=support, member=admin_entry, domain=domain, network=network)
    # Support staff name a new network's first admin (from the support admin, as here):
    # staff hold no role in the network, so the app's own rule is not asked.
    membership_grant(actor=support, person=admin, organisation=network,
                     role=Role.NETWORK_ADMIN, check=False)

    by_key = {key: school_create(actor=admin, network=network, name=school_name)
              for key, school_name in schools.items()}
    school_years = {
        year.name: school_year_create(
            actor=admin, network=network, name=year.name, starts_on=year.starts_on,
            ends_on=year.ends_on, terms=year.terms,
        )
        for year in years
    }
    grade_rows = _create_grades(network, grades)
    subject_rows = _create_subjects(network, subjects)

    people = {admin_entry.key: admin}
    for member in members:
        if member is admin_entry:
            continue
        person = _person(actor=admin, member=member, domain=domain, network=network)
        people[member.key] = person
        places = [by_key[k] for k in member.schools] or [network]
        for place in places:
            membership_grant(actor=admin, person=person, organisation=place, role=member.role)
    for member in members:
        _fill_profile(people[member.key], member, grade_rows, subject_rows)

    roles = {m.key: m for m in members}
    for year_name, by_coach in caseloads.items():
        for coach_key, teacher_keys in by_coach.items():
            for teacher_key in teacher_keys:
                caseload_assign(
                    actor=admin,
                    coach=people[coach_key],
                    teacher=people[teacher_key],
                    school=by_key[roles[teacher_key].schools[0]],
                    school_year=school_years[year_name],
                )
    for full_name, school_key, role in invitations:
        invitation_send(
            actor=admin, email=f"{email_part(full_name)}@{domain}", full_name=full_name,
            organisation=by_key[school_key], role=role,
        )
    return list(people.values())


def _person(*, actor, member: cast.Member, domain: str, network: Organisation) -> Person:
    email = member.email or f"{email_part(member.name)}@{domain}"
    return person_create(actor=actor, email=email, full_name=member.name, organisation=network)


def _create_grades(network: Organisation, grades: list[tuple[str, str]]) -> dict[str, GradeLevel]:
    rows = {}
    for position, (code, name) in enumerate(grades):
        grade = GradeLevel(network=network, code=code, name=name, position=position)
        grade.full_clean()
        grade.save()
        rows[code] = grade
    return rows


def _create_subjects(network: Organisation, names: tuple[str, ...]) -> dict[str, Subject]:
    rows = {}
    for name in names:
        subject = Subject(network=network, name=name)
        subject.full_clean()
        subject.save()
        rows[name] = subject
    return rows


def _fill_profile(person: Person, member: cast.Member, grades: dict, subjects: dict) -> None:
    """People fill in their own profiles, as they would after signing in."""
    if not (member.grades or member.subjects or member.years or member.interests):
        return
    profile_update(
        actor=person,
        person=person,
        full_name=person.full_name,
        grades=[grades[code] for code in member.grades],
        subjects=[subjects[name] for name in member.subjects],
        years_experience=member.years,
        interests=member.interests,
    )

