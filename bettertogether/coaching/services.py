"""Writes of the coach's log. Each takes the acting coach, runs in a transaction,
validates, recounts the log's tallies it touched (`tallies.recount.log_written`, which the
reports read) and records an activity entry that names the kind of support, never a note."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bettertogether.activity.services import activity_record
from bettertogether.directory.calendar import zone_of
from bettertogether.directory.dates import in_span, span_message
from bettertogether.directory.models import Membership, Organisation, Person, Role
from bettertogether.directory.scope import scope_for

from .models import (
    Interaction,
    InteractionTeacher,
    PersonalNote,
    RelationshipRules,
    SupportKind,
)
from .rules import (
    administers_network,
    is_author,
    is_coach,
    is_coach_of_teacher,
    may_manage_support_kinds,
)
from .summaries import support_kind_in_use
from .tallies import recount
from .tallies.buckets import local_day


def _coach_network(actor) -> Organisation:
    if not is_coach.test(actor):  # coaching.log_interaction
        raise PermissionDenied("Only coaches log interactions.")
    return Organisation.objects.get(pk=scope_for(actor).primary_network_id)


def teachers_school(actor, teachers: list[Person]) -> Organisation | None:
    """The school the coach met these teachers in: one they teach in and the coach serves.

    Shared by every app that puts a coach and teachers together (sessions, goals).
    """
    if not teachers:
        return None
    coach_schools = scope_for(actor).coach_school_ids
    rows = Membership.objects.filter(
        person__in=teachers, role=Role.TEACHER, organisation_id__in=coach_schools,
        person__is_active=True,
    ).values_list("person_id", "organisation_id")
    schools_of: dict[int, set[int]] = {}
    for person_id, school_id in rows:
        schools_of.setdefault(person_id, set()).add(school_id)
    outside = [t for t in teachers if t.pk not in schools_of]
    if outside:
        raise ValidationError({"teachers": _(
            "%(names)s do not teach in a school you coach in."
        ) % {"names": ", ".join(t.full_name for t in outside)}})
    common = set.intersection(*schools_of.values())
    school_id = min(common) if common else min(schools_of[teachers[0].pk])
    return Organisation.objects.get(pk=school_id)


def _validate(kind: SupportKind, teachers: list[Person], network: Organisation,
              minutes: int, occurred_at: datetime.datetime) -> None:
    if kind.network_id not in (None, network.pk) or not kind.is_active:
        raise ValidationError({"kind": _("Choose a kind of support from the list.")})
    if kind.is_contact and not teachers:
        raise ValidationError({"teachers": _("Choose the teacher or teachers you worked with.")})
    if not kind.is_contact and teachers:
        raise ValidationError({"teachers": _(
            "%(kind)s is your own time: leave the teachers empty, or choose a kind of support."
        ) % {"kind": kind.name}})
    if not 1 <= minutes <= 24 * 60:
        raise ValidationError({"minutes": _("Minutes must be between 1 and 1,440.")})
    if not in_span(local_day(occurred_at, zone_of(network))):
        # Outside the span, the tallies' buckets could not hold it (`directory.dates`).
        raise ValidationError({"occurred_at": span_message()})
    if occurred_at > timezone.now() + datetime.timedelta(days=1):
        raise ValidationError({"occurred_at": _("That is in the future: log it when it happens.")})


@transaction.atomic
def interaction_log(
    *,
    actor,
    kind: SupportKind,
    teachers: Iterable[Person] = (),
    minutes: int | None = None,
    occurred_at: datetime.datetime | None = None,
    place: str = "",
    shared_note: str = "",
    private_note: str = "",
    idempotency_key: uuid.UUID | None = None,
) -> Interaction:
    """Log a contact (or the coach's own time). The same key twice logs it once."""
    network = _coach_network(actor)
    key = idempotency_key or uuid.uuid4()
    existing = Interaction.objects.filter(coach=actor, idempotency_key=key).first()
    if existing is not None:
        return existing
    teachers = list(dict.fromkeys(teachers))
    minutes = minutes or kind.default_minutes
    occurred_at = occurred_at or timezone.now()
    _validate(kind, teachers, network, minutes, occurred_at)
    interaction = Interaction(
        coach=actor, network=network, school=teachers_school(actor, teachers), kind=kind,
        minutes=minutes, occurred_at=occurred_at, place=place,
        shared_note=shared_note.strip(), private_note=private_note.strip(), idempotency_key=key,
    )
    interaction.full_clean(exclude=["coach", "network", "school", "kind"])
    try:
        with transaction.atomic():
            interaction.save()
    except IntegrityError:
        # A retried request raced this one and won: return what it logged.
        return Interaction.objects.get(coach=actor, idempotency_key=key)
    InteractionTeacher.objects.bulk_create([
        InteractionTeacher(interaction=interaction, teacher=teacher, coach=actor,
                           occurred_at=occurred_at)
        for teacher in teachers
    ])
    _recount(actor, network, [occurred_at], teachers)
    activity_record(
        actor=actor, action="interaction.log", target=interaction,
        organisation=interaction.school or network, label=kind.name,
        details={"count": len(teachers), "kind": kind.name},
    )
    return interaction


def _recount(actor, network: Organisation, moments, teachers) -> None:
    """Sum again the tallies of the coach's log that the write touched: the weeks and terms
    of `moments` (before and after an edit), and the pairs with `teachers`."""
    recount.log_written(network_id=network.pk, coach_id=actor.pk, moments=list(moments),
                        teacher_ids={getattr(t, "pk", t) for t in teachers})


def _require_owner(actor, interaction: Interaction) -> None:
    if not is_author.test(actor, interaction):  # coaching.edit_interaction
        raise PermissionDenied("Only the coach who logged it may change it.")


@transaction.atomic
def interaction_update(
    *,
    actor,
    interaction: Interaction,
    kind: SupportKind,
    teachers: Iterable[Person],
    minutes: int,
    occurred_at: datetime.datetime,
    place: str = "",
    shared_note: str = "",
    private_note: str = "",
) -> Interaction:
    _require_owner(actor, interaction)
    teachers = list(dict.fromkeys(teachers))
    _validate(kind, teachers, interaction.network, minutes, occurred_at)
    before_moment = interaction.occurred_at
    before_teachers = list(interaction.links.values_list("teacher_id", flat=True))
    interaction.school = teachers_school(actor, teachers)
    interaction.kind = kind
    interaction.minutes = minutes
    interaction.occurred_at = occurred_at
    interaction.place = place
    interaction.shared_note = shared_note.strip()
    interaction.private_note = private_note.strip()
    interaction.updated_at = timezone.now()
    interaction.full_clean(exclude=["coach", "network", "school", "kind"])
    interaction.save()
    interaction.links.all().delete()
    InteractionTeacher.objects.bulk_create([
        InteractionTeacher(interaction=interaction, teacher=teacher, coach=actor,
                           occurred_at=occurred_at)
        for teacher in teachers
    ])
    _recount(actor, interaction.network, [before_moment, occurred_at],
             [*teachers, *before_teachers])
    activity_record(actor=actor, action="interaction.update", target=interaction,
                    organisation=interaction.school or interaction.network, label=kind.name,
                    details={"count": len(teachers), "kind": kind.name})
    return interaction


@transaction.atomic
def interaction_delete(*, actor, interaction: Interaction) -> None:
    _require_owner(actor, interaction)
    label, organisation, pk = (interaction.kind.name,
                               interaction.school or interaction.network, interaction.pk)
    teacher_ids = list(interaction.links.values_list("teacher_id", flat=True))
    moment, network = interaction.occurred_at, interaction.network
    interaction.delete()
    _recount(actor, network, [moment], teacher_ids)
    interaction.pk = pk
    activity_record(actor=actor, action="interaction.delete", target=interaction,
                    organisation=organisation, label=label)


@transaction.atomic
def personal_note_add(*, actor, teacher: Person, text: str) -> PersonalNote:
    if not is_coach.test(actor):
        raise PermissionDenied("Only coaches keep personal notes.")
    if not is_coach_of_teacher.test(actor, teacher):  # coaching.keep_personal_notes
        raise PermissionDenied("Personal notes are about teachers in a school you coach in.")
    note = PersonalNote(coach=actor, teacher=teacher, text=text.strip())
    if not note.text:
        raise ValidationError({"text": _("Write the note first.")})
    note.full_clean(exclude=["coach", "teacher"])
    note.save()
    activity_record(actor=actor, action="personal_note.add", target=note,
                    label=teacher.full_name)
    return note


@transaction.atomic
def personal_note_delete(*, actor, note: PersonalNote) -> None:
    if not is_author.test(actor, note):  # coaching.change_personal_note
        raise PermissionDenied("Personal notes belong to their coach.")
    pk, label = note.pk, note.teacher.full_name
    note.delete()
    note.pk = pk
    activity_record(actor=actor, action="personal_note.delete", target=note, label=label)


RULE_LIMITS = {
    "trusting_min_contacts": (1, 100),
    "trusting_min_weeks": (0, 52),
    "nudge_after_days": (1, 365),
}


@transaction.atomic
def relationship_rules_update(
    *, actor, network: Organisation, trusting_min_contacts: int, trusting_min_weeks: int,
    nudge_after_days: int,
) -> RelationshipRules:
    """A network admin tunes how stages are read and when coaches are nudged."""
    if not administers_network.test(actor, network):  # coaching.tune_relationship_rules
        raise PermissionDenied("Only the network's admins tune its relationship rules.")
    values = {"trusting_min_contacts": trusting_min_contacts,
              "trusting_min_weeks": trusting_min_weeks,
              "nudge_after_days": nudge_after_days}
    errors = {}
    for name, value in values.items():
        low, high = RULE_LIMITS[name]
        if not isinstance(value, int) or not low <= value <= high:
            errors[name] = _("Choose a whole number from %(low)s to %(high)s.") % {
                "low": low, "high": high}
    if errors:
        raise ValidationError(errors)
    rules, _created = RelationshipRules.objects.select_for_update().get_or_create(
        network=network)
    changed = [name for name, value in values.items() if getattr(rules, name) != value]
    for name, value in values.items():
        setattr(rules, name, value)
    rules.updated_at = timezone.now()
    rules.save()
    activity_record(actor=actor, action="relationship_rules.update", target=rules,
                    organisation=network, label=network.name, details={"fields": changed})
    return rules


# --- the kinds of support a network offers ----------------------------------------------

SUPPORT_KIND_MINUTES = (1, 480)


def _require_support_kind_admin(actor, network: Organisation | None) -> None:
    if network is None or not may_manage_support_kinds.test(actor, network):
        raise PermissionDenied("Only the network's admins manage its kinds of support.")


def _duplicate_name(name: str) -> ValidationError:
    return ValidationError({"name": _(
        "There is already a kind of support called “%(name)s”: choose another name."
    ) % {"name": name}})


def _support_kind_checked(*, network: Organisation, name: str, default_minutes: int,
                          kind_pk: int | None = None) -> str:
    """The name to keep, once the name and minutes are known to be fine."""
    name = (name or "").strip()
    errors = {}
    clashing = (SupportKind.objects.filter(network__isnull=True, name__iexact=name)
                | SupportKind.objects.filter(network=network, name__iexact=name))
    if not name:
        errors["name"] = _("Give the kind of support a name.")
    elif clashing.exclude(pk=kind_pk).exists():
        errors.update(_duplicate_name(name).error_dict)
    low, high = SUPPORT_KIND_MINUTES
    if (not isinstance(default_minutes, int) or isinstance(default_minutes, bool)
            or not low <= default_minutes <= high):
        errors["default_minutes"] = _("Choose a whole number of minutes from %(low)s to "
                                      "%(high)s.") % {"low": low, "high": high}
    if errors:
        raise ValidationError(errors)
    return name


def _support_kind_save(kind: SupportKind, **save) -> None:
    # The unique name is the database's to enforce: it is what stops a double submit.
    kind.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            kind.save(**save)
    except IntegrityError:
        # A double submit raced this one and saved the same name first.
        raise _duplicate_name(kind.name) from None


@transaction.atomic
def support_kind_create(*, actor, network: Organisation, name: str, default_minutes: int,
                        is_contact: bool) -> SupportKind:
    """A network admin adds a kind of support their coaches can log."""
    _require_support_kind_admin(actor, network)
    name = _support_kind_checked(network=network, name=name, default_minutes=default_minutes)
    kind = SupportKind(network=network, name=name, default_minutes=default_minutes,
                       is_contact=bool(is_contact))
    _support_kind_save(kind)
    activity_record(actor=actor, action="support_kind.create", target=kind,
                    organisation=network, label=kind.name)
    return kind


@transaction.atomic
def support_kind_update(*, actor, kind: SupportKind, name: str, default_minutes: int,
                        is_contact: bool, is_active: bool) -> SupportKind:
    """Rename, retime or switch off one of the network's own kinds; never delete it (logged
    entries point at it). Built-in kinds are the same everywhere and are not changed."""
    network = kind.network if kind.network_id is not None else None
    _require_support_kind_admin(actor, network)
    name = _support_kind_checked(network=network, name=name, default_minutes=default_minutes,
                                 kind_pk=kind.pk)
    is_contact, is_active = bool(is_contact), bool(is_active)
    if is_contact != kind.is_contact and support_kind_in_use(kind=kind):
        # Entries with teachers would turn into own time (or the other way round).
        raise ValidationError({"is_contact": _(
            "This kind is already in use (logged, offered or booked), so this stays as it "
            "is: add a new kind instead.")})
    values = {"name": name, "default_minutes": default_minutes, "is_contact": is_contact,
              "is_active": is_active}
    changed = [field for field, value in values.items() if getattr(kind, field) != value]
    for field, value in values.items():
        setattr(kind, field, value)
    _support_kind_save(kind, update_fields=list(values))
    activity_record(actor=actor, action="support_kind.update", target=kind,
                    organisation=network, label=kind.name, details={"fields": changed})
    return kind
