"""Writes to the directory. Each takes the acting person, runs in a transaction,
validates, and records an activity entry."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from bettertogether.activity.services import activity_record

from . import calendar_changes, signin
from .homes import home_network_id
from .models import (
    CaseloadAssignment,
    GradeLevel,
    LeaderVisibility,
    Locale,
    Membership,
    Organisation,
    Person,
    PersonSession,
    Role,
    SchoolYear,
    Subject,
    TeacherProfile,
    Term,
)
from .scope import scope_for, scope_forget


def _require(actor, perm: str, obj) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(perm)


def _require_free_school_name(*, network: Organisation, name: str, exclude_pk=None) -> None:
    """Say so next to the name field, rather than as the database constraint's generic error."""
    taken = Organisation.objects.filter(network=network, name=name).exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"name": _("%(network)s already has a school called %(name)s.") % {
            "network": network.name, "name": name}})


@transaction.atomic
def network_create(
    *,
    actor,
    name: str,
    locale: str = Locale.EN_US,
    time_zone: str = "America/New_York",
    leader_visibility: str = LeaderVisibility.TOTALS,
) -> Organisation:
    """A new network. Only support staff create networks (from the admin or a command)."""
    if actor is not None and not getattr(actor, "is_staff", False):
        raise PermissionDenied("network_create")
    network = Organisation(
        name=name.strip(),
        kind=Organisation.Kind.NETWORK,
        locale=locale,
        time_zone=time_zone,
        leader_visibility=leader_visibility,
    )
    network.full_clean()
    network.save()
    activity_record(actor=actor, action="organisation.create", target=network,
                    organisation=network)
    return network


@transaction.atomic
def school_create(*, actor, network: Organisation, name: str) -> Organisation:
    _require(actor, "directory.manage_organisation", network)
    _require_free_school_name(network=network, name=name.strip())
    school = Organisation(
        name=name.strip(),
        kind=Organisation.Kind.SCHOOL,
        network=network,
        locale=network.locale,
        time_zone=network.time_zone,
        leader_visibility=network.leader_visibility,
    )
    school.full_clean()
    school.save()
    activity_record(actor=actor, action="organisation.create", target=school, organisation=school)
    return school


@transaction.atomic
def organisation_update(
    *,
    actor,
    organisation: Organisation,
    name: str,
    locale: str,
    time_zone: str,
    leader_visibility: str,
    min_student_group: int | None = None,
    password_sign_in: bool | None = None,
    entra_tenants: str | None = None,
    entra_domains: str | None = None,
) -> Organisation:
    _require(actor, "directory.manage_organisation", organisation)
    if organisation.network is not None:
        _require_free_school_name(network=organisation.network, name=name.strip(),
                                  exclude_pk=organisation.pk)
    zone_before = organisation.time_zone
    organisation.name = name.strip()
    organisation.locale = locale
    organisation.time_zone = time_zone
    organisation.leader_visibility = leader_visibility
    fields = ["name", "locale", "time_zone", "leader_visibility"]
    if min_student_group is not None:
        organisation.min_student_group = min_student_group
        fields.append("min_student_group")
    if password_sign_in is not None and organisation.is_network:
        organisation.password_sign_in = password_sign_in
        fields.append("password_sign_in")
    if entra_tenants is not None:
        organisation.entra_tenants = signin.normalise(entra_tenants)
        fields.append("entra_tenants")
    if entra_domains is not None:
        organisation.entra_domains = signin.normalise(entra_domains)
        fields.append("entra_domains")
    organisation.full_clean()
    organisation.save(update_fields=fields)
    if organisation.is_network and organisation.time_zone != zone_before:
        # Every week, term and month of the network's log moves with its time zone.
        calendar_changes.time_zone_changed(network_id=organisation.pk)
    activity_record(
        actor=actor,
        action="organisation.update_settings",
        target=organisation,
        organisation=organisation,
        details={"fields": fields},
    )
    return organisation


@transaction.atomic
def school_year_create(
    *,
    actor,
    network: Organisation,
    name: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    terms: Iterable[tuple[str, datetime.date, datetime.date]] = (),
) -> SchoolYear:
    _require(actor, "directory.manage_organisation", network)
    if SchoolYear.objects.filter(network=network, name=name.strip()).exists():
        raise ValidationError({"name": _("%(network)s already has a school year called %(name)s.")
                               % {"network": network.name, "name": name.strip()}})
    year = SchoolYear(network=network, name=name.strip(), starts_on=starts_on, ends_on=ends_on)
    year.full_clean()
    year.save()
    starts = []
    for term_name, term_start, term_end in terms:
        term = Term(school_year=year, name=term_name, starts_on=term_start, ends_on=term_end)
        term.full_clean()
        term.save()
        starts.append(term.starts_on)
    calendar_changes.term_starts_changed(network_id=network.pk, starts=starts)
    activity_record(actor=actor, action="school_year.create", target=year, organisation=network)
    return year


@transaction.atomic
def term_create(
    *, actor, school_year: SchoolYear, name: str, starts_on: datetime.date, ends_on: datetime.date
) -> Term:
    _require(actor, "directory.manage_organisation", school_year.network)
    term = Term(school_year=school_year, name=name.strip(), starts_on=starts_on, ends_on=ends_on)
    term.full_clean()
    term.save()
    # Contacts already logged from its first day on now belong to this term.
    calendar_changes.term_starts_changed(network_id=school_year.network_id,
                                         starts=[term.starts_on])
    activity_record(actor=actor, action="term.create", target=term,
                    organisation=school_year.network)
    return term


def person_find_by_email(*, email: str) -> Person | None:
    return Person.objects.filter(email__iexact=email.strip()).first()


@transaction.atomic
def person_create(
    *,
    actor,
    email: str,
    full_name: str,
    password: str | None = None,
    organisation: Organisation | None = None,
) -> Person:
    """Create a person record. Invitations and roster imports call this."""
    person = Person(email=email.strip(), full_name=full_name.strip(),
                    home_network_id=organisation.network_root_id if organisation else None)
    person.full_clean(exclude=["password", "home_network"])
    if Person.objects.filter(email__iexact=person.email).exists():
        raise ValidationError({"email": _("Someone with this email address already exists.")})
    person.set_password(password)
    person.save()
    TeacherProfile.objects.create(person=person)
    activity_record(
        actor=actor if actor is not None else person,
        action="person.create",
        target=person,
        organisation=organisation,
    )
    return person


@transaction.atomic
def membership_grant(
    *, actor, person: Person, organisation: Organisation, role: str, check: bool = True
) -> Membership:
    """Give `person` a role in `organisation`; granting a role they hold changes nothing."""
    if check:
        _require(actor, "directory.invite_people", organisation)
    if role not in Role.values:
        raise ValidationError({"role": _("Choose a role from the list.")})
    existing = Membership.objects.filter(
        person=person, organisation=organisation, role=role
    ).first()
    if existing is not None:
        return existing
    membership = Membership(person=person, organisation=organisation, role=role)
    membership.full_clean(exclude=["network", "person"], validate_unique=False)
    membership.save()
    scope_forget(person)
    activity_record(
        actor=actor,
        action="membership.grant",
        target=person,
        organisation=organisation,
        details={"role": role},
    )
    return membership


@transaction.atomic
def membership_revoke(*, actor, membership: Membership) -> None:
    _require(actor, "directory.invite_people", membership.organisation)
    if membership.person_id == actor.pk and membership.role == Role.NETWORK_ADMIN:
        raise ValidationError(_("You cannot remove your own network admin role."))
    person, organisation, role = membership.person, membership.organisation, membership.role
    membership.delete()
    scope_forget(person)
    activity_record(
        actor=actor,
        action="membership.revoke",
        target=person,
        organisation=organisation,
        details={"role": role},
    )


@transaction.atomic
def profile_update(
    *,
    actor,
    person: Person,
    full_name: str,
    preferred_name: str = "",
    grades: Iterable[GradeLevel] = (),
    subjects: Iterable[Subject] = (),
    years_experience: int | None = None,
    interests: str = "",
    network_id: int | None = None,
) -> Person:
    """Save a profile. With `network_id` (the network whose grades and subjects the form
    offered), only that network's grades and subjects are replaced: another network's
    stay as that network left them."""
    _require(actor, "directory.edit_profile", person)
    network_ids = set(person.memberships.values_list("network_id", flat=True))
    grades, subjects = list(grades), list(subjects)
    if any(g.network_id not in network_ids for g in grades) or any(
        s.network_id not in network_ids for s in subjects
    ):
        raise ValidationError(_("Choose grades and subjects from your own network."))
    person.full_name = full_name.strip()
    person.preferred_name = preferred_name.strip()
    person.full_clean(exclude=["password", "email"])
    person.save(update_fields=["full_name", "preferred_name"])
    profile, _created = TeacherProfile.objects.get_or_create(person=person)
    profile.years_experience = years_experience
    profile.interests = interests.strip()
    profile.full_clean(exclude=["person"])
    profile.save(update_fields=["years_experience", "interests"])
    if network_id is not None:
        grades += list(profile.grades.exclude(network_id=network_id))
        subjects += list(profile.subjects.exclude(network_id=network_id))
    profile.grades.set(grades)
    profile.subjects.set(subjects)
    # File the entry under a network the actor administers (or the person's own network),
    # so it appears in that network's activity log.
    networks = Organisation.objects.filter(pk__in=network_ids).order_by("pk")
    network = networks.filter(pk__in=scope_for(actor).admin_network_ids).first() or networks.first()
    activity_record(
        actor=actor,
        action="profile.update",
        target=person,
        organisation=network,
        details={"fields": ["full_name", "preferred_name", "grades", "subjects",
                            "years_experience", "interests"]},
    )
    return person


def _end_sessions(person: Person) -> int:
    """Delete every stored session of `person`; returns how many ended."""
    deleted, _details = PersonSession.objects.filter(person_id=person.pk).delete()
    return deleted


ACCOUNT_ELSEWHERE = _l(
    "This account is managed by another network. You can remove this person from your "
    "network, but only the network that manages their account switches it off or on, or "
    "changes their name.")


def _require_account_control(actor, person: Person) -> None:
    """Only the home network's admins switch a sign-in off or on, and nobody their own."""
    if actor is not None and actor.pk == person.pk:
        raise ValidationError(_("You cannot switch your own account off or on."))
    if actor is not None and actor.has_perm("directory.manage_person", person):
        return
    if actor is not None and actor.has_perm("directory.manage_roles", person):
        raise ValidationError(str(ACCOUNT_ELSEWHERE))
    raise PermissionDenied("directory.manage_person")


def _actor_network_of(actor, person: Person) -> Organisation | None:
    """The network, of those the actor administers, where an entry about `person` is filed."""
    return Organisation.objects.filter(
        pk__in=person.memberships.values("network_id")
    ).filter(pk__in=scope_for(actor).admin_network_ids).order_by("pk").first()


@transaction.atomic
def person_deactivate(*, actor, person: Person) -> Person:
    """Switch a person off: they cannot sign in and their open sessions end now."""
    _require_account_control(actor, person)
    if not person.is_active:
        return person
    person.is_active = False
    person.deactivated_at = timezone.now()
    person.save(update_fields=["is_active", "deactivated_at"])
    ended = _end_sessions(person)
    activity_record(actor=actor, action="person.deactivate", target=person,
                    organisation=_actor_network_of(actor, person), details={"count": ended})
    return person


@transaction.atomic
def person_reactivate(*, actor, person: Person) -> Person:
    """Switch a person back on; only their home network may (it alone switches them off)."""
    _require_account_control(actor, person)
    if person.is_active:
        return person
    person.is_active = True
    person.deactivated_at = None
    person.save(update_fields=["is_active", "deactivated_at"])
    activity_record(actor=actor, action="person.reactivate", target=person,
                    organisation=_actor_network_of(actor, person))
    return person


@transaction.atomic
def person_remove_from_network(*, actor, person: Person, network: Organisation) -> int:
    """End every role `person` holds in `network` (which the actor administers): what a
    network may do to someone it shares with another. Caseloads, logged contacts and the
    account stay as they are. Returns how many roles ended; a second removal ends none."""
    _require(actor, "directory.remove_from_network", person)
    _require(actor, "directory.manage_organisation", network)
    if not network.is_network:
        raise ValidationError(_("Choose a network, not a school."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    home_before = home_network_id(person)
    ended, _details = Membership.objects.filter(person=person, network=network).delete()
    if not ended:
        return 0
    if home_before == network.pk:
        # The network that managed the account let the person go: whichever network has
        # held them longest manages it from now on.
        person.home_network_id = home_network_id(Person(pk=person.pk))
        person.save(update_fields=["home_network"])
    scope_forget(person)
    activity_record(actor=actor, action="person.remove_from_network", target=person,
                    organisation=network, details={"count": ended})
    return ended


@transaction.atomic
def caseload_assign(
    *,
    actor,
    coach: Person,
    teacher: Person,
    school: Organisation,
    school_year: SchoolYear,
) -> CaseloadAssignment:
    """Put `teacher` in `coach`'s caseload for a school year; assigning twice changes nothing."""
    _require(actor, "directory.assign_caseload", school)
    if school_year.network_id != school.network_root_id:
        raise ValidationError(_("That school year belongs to another network."))
    if coach.pk == teacher.pk:
        raise ValidationError(_("A coach cannot be in their own caseload."))
    holds = set(
        Membership.objects.filter(
            organisation=school, person_id__in=[coach.pk, teacher.pk]
        ).values_list("person_id", "role")
    )
    if (coach.pk, Role.COACH) not in holds:
        raise ValidationError({"coach": _("%(name)s is not a coach in %(school)s.") % {
            "name": coach.full_name, "school": school.name}})
    if (teacher.pk, Role.TEACHER) not in holds:
        raise ValidationError({"teacher": _("%(name)s is not a teacher in %(school)s.") % {
            "name": teacher.full_name, "school": school.name}})
    assignment, created = CaseloadAssignment.objects.get_or_create(
        coach=coach, teacher=teacher, school_year=school_year, defaults={"school": school}
    )
    if created:
        activity_record(
            actor=actor,
            action="caseload.assign",
            target=assignment,
            organisation=school,
            label=f"{teacher.full_name} → {coach.full_name}",
        )
    return assignment


@transaction.atomic
def caseload_remove(*, actor, assignment: CaseloadAssignment) -> None:
    _require(actor, "directory.assign_caseload", assignment.school)
    label = f"{assignment.teacher.full_name} → {assignment.coach.full_name}"
    school = assignment.school
    assignment_id = assignment.pk
    assignment.delete()
    assignment.pk = assignment_id
    activity_record(actor=actor, action="caseload.remove", target=assignment,
                    organisation=school, label=label)
