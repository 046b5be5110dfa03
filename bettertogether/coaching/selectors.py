"""Reads of the coach's log, always scoped to the acting person.

- An interaction is read (for editing) only by the coach who logged it; anyone else, 404.
- A teacher's timeline is read by a coach who serves one of the teacher's schools (their own
  interactions with that teacher, private notes included: they wrote them) or by the teacher
  (every coach's interactions with them, shared notes only).
- Personal notes are read only by the coach who wrote them.

Timeline rows are plain dataclasses built from the columns the actor may see: a private
note is not even fetched from the database unless the actor wrote it, so it cannot reach a
template rendered for anyone else.
"""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from bettertogether.directory import calendar
from bettertogether.directory.calendar import current_school_year
from bettertogether.directory.models import (
    GradeLevel,
    Organisation,
    Person,
    SchoolYear,
    Subject,
)
from bettertogether.directory.rules import is_self
from bettertogether.directory.scope import scope_for
from bettertogether.directory.selectors import (
    caseload_for,
    coaches_of,
    person_get_for,
    teaching_labels,
)

from . import facts as extra_facts
from .models import (
    Interaction,
    InteractionTeacher,
    PersonalNote,
    Place,
    RelationshipRules,
    SupportKind,
)
from .rules import (
    author_q,
    is_author,
    is_coach,
    is_coach_of_teacher,
    teaches_where_actor_coaches,
)
from .stages import Facts, Rules, StageReading, stage_for

TIMELINE_LIMIT = 30


@dataclass(frozen=True)
class _Logged:
    """A timeline row's author, as `is_author` reads it (rows are values, not models)."""

    coach_id: int


@dataclass(frozen=True)
class TimelineRow:
    interaction_id: int
    kind: str
    minutes: int
    occurred_at: datetime.datetime
    place: str
    coach_name: str
    shared_note: str
    private_note: str = ""
    is_own: bool = False
    is_event: bool = False


def support_kinds_for(*, network_id: int | None) -> QuerySet[SupportKind]:
    """Built-in kinds and the network's own, active ones: contact kinds first."""
    return SupportKind.objects.filter(
        Q(network__isnull=True) | Q(network_id=network_id), is_active=True
    ).order_by("-is_contact", "position", "name")


def interaction_get_for(*, actor, pk: int) -> Interaction:
    """One interaction, for the coach who logged it; for anyone else it does not exist."""
    try:
        return (
            Interaction.objects.select_related("kind")
            .prefetch_related(Prefetch("teachers", queryset=Person.objects.only("id")))
            .filter(author_q(actor))
            .get(pk=pk)
        )
    except (Interaction.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such interaction") from exc


def coach_teachers(*, actor, also: list[int] | tuple[int, ...] = ()) -> QuerySet[Person]:
    """The active teachers of the coach's caseload this school year: the log form's choices.

    `also` keeps the teachers of an entry being edited choosable after they left the caseload.
    """
    if not is_coach.test(actor):
        return Person.objects.none()
    year = current_school_year(network_id=scope_for(actor).primary_network_id)
    caseload = caseload_for(actor=actor, school_year=year)
    in_caseload = (Q(is_active=True, pk__in=caseload.values("teacher_id"))
                   & Q(teaches_where_actor_coaches(actor)))
    return (
        Person.objects.filter(in_caseload | Q(pk__in=list(also)))
        .only("id", "full_name")
        .order_by("full_name", "pk")
    )


def teacher_get_for_coach(*, actor, pk: int) -> Person:
    """A teacher as their coach sees them: only for a coach serving one of their schools."""
    teacher = person_get_for(actor=actor, pk=pk)
    if not is_coach_of_teacher.test(actor, teacher):  # memberships come prefetched
        raise Http404("No such teacher")
    return teacher


def timeline_for(*, actor, teacher: Person, limit: int = TIMELINE_LIMIT) -> list[TimelineRow]:
    """What happened between a teacher and their coaches, as the actor may see it.

    The actor is either a coach (their own interactions with the teacher, with the private
    notes they wrote) or the teacher (every coach's, shared notes only). Anyone else gets
    nothing: views check access first, this is the second lock.
    """
    links = InteractionTeacher.objects.filter(teacher_id=teacher.pk)
    columns = [
        "interaction_id", "interaction__kind__name", "interaction__minutes", "occurred_at",
        "interaction__place", "interaction__coach__full_name", "interaction__shared_note",
        "coach_id",
    ]
    is_the_teacher = is_self.test(actor, teacher)
    if is_the_teacher:
        pass  # the teacher: every coach, and never a private column
    elif is_coach.test(actor):
        links = links.filter(author_q(actor))
        columns.append("interaction__private_note")
    else:
        return []
    places = dict(Place.choices)
    rows: list = []
    for values in links.order_by("-occurred_at", "-interaction_id").values_list(*columns)[:limit]:
        (pk, kind, minutes, occurred_at, place, coach_name, shared, coach_id, *private) = values
        is_own = is_author.test(actor, _Logged(coach_id))
        rows.append(TimelineRow(
            interaction_id=pk, kind=kind, minutes=minutes, occurred_at=occurred_at,
            place=str(places.get(place, "")), coach_name=coach_name, shared_note=shared,
            private_note=private[0] if private and is_own else "", is_own=is_own,
        ))
    rows.extend(extra_facts.timeline_events(
        coach_id=None if is_the_teacher else actor.pk, teacher_id=teacher.pk,
        limit=limit))
    rows.sort(key=lambda row: row.occurred_at, reverse=True)
    return rows[:limit]


def last_contacts(*, coach, teacher_ids: list[int]) -> dict[int, datetime.datetime]:
    """When the coach last worked with each teacher: one query over the link index."""
    rows = (
        InteractionTeacher.objects.filter(coach_id=coach.pk, teacher_id__in=teacher_ids)
        .values("teacher_id")
        .annotate(last=Max("occurred_at"))
        .values_list("teacher_id", "last")
    )
    return dict(rows)


def interaction_counts(
    *, coach, teacher_ids: list[int], since: datetime.datetime
) -> dict[int, int]:
    """How many times the coach worked with each teacher since a moment: one query."""
    rows = (
        InteractionTeacher.objects.filter(
            coach_id=coach.pk, teacher_id__in=teacher_ids, occurred_at__gte=since
        )
        .values("teacher_id")
        .annotate(n=Count("id"))
        .values_list("teacher_id", "n")
    )
    return dict(rows)


def personal_notes_for(*, actor, teacher: Person) -> QuerySet[PersonalNote]:
    """The actor's own personal notes about a teacher; nobody else's, ever."""
    return PersonalNote.objects.filter(author_q(actor), teacher_id=teacher.pk)


def personal_note_get_for(*, actor, teacher: Person, pk: int) -> PersonalNote:
    try:
        return PersonalNote.objects.select_related("teacher").filter(author_q(actor)).get(
            pk=pk, teacher_id=teacher.pk
        )
    except (PersonalNote.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such note") from exc


def coach_log(*, actor, kind_id: int | None = None) -> QuerySet[Interaction]:
    """The coach's own interactions, newest first, with kinds and teachers' names."""
    entries = Interaction.objects.filter(author_q(actor))
    if kind_id is not None:
        entries = entries.filter(kind_id=kind_id)
    return (
        entries.select_related("kind")
        .defer("private_note", "shared_note")
        .prefetch_related(
            Prefetch("teachers", queryset=Person.objects.only("id", "full_name")
                     .order_by("full_name", "pk"))
        )
        .order_by("-occurred_at", "-id")
    )


def minutes_split(*, actor, since: datetime.datetime) -> dict[str, int]:
    """The coach's minutes since a moment: with teachers, and their own time. One query."""
    totals = Interaction.objects.filter(author_q(actor), occurred_at__gte=since).aggregate(
        contact=Sum("minutes", filter=Q(kind__is_contact=True), default=0),
        own=Sum("minutes", filter=Q(kind__is_contact=False), default=0),
    )
    return {"contact": totals["contact"], "own": totals["own"],
            "total": totals["contact"] + totals["own"]}


def my_coaches(*, actor) -> QuerySet:
    """The teacher's coaches this school year (caseload assignments)."""
    year = current_school_year(network_id=scope_for(actor).primary_network_id)
    return coaches_of(actor=actor, school_year=year)


# --- the caseload: stages and nudges ----------------------------------------------------


def relationship_rules_for(*, network_id: int | None) -> RelationshipRules:
    """The network's rules, or the defaults (unsaved) while it has none. Never writes."""
    rules = (
        RelationshipRules.objects.filter(network_id=network_id).first()
        if network_id is not None
        else None
    )
    return rules or RelationshipRules(network_id=network_id)


@dataclass(frozen=True)
class CaseloadRow:
    teacher_id: int
    teacher_name: str
    school_id: int
    school_name: str
    grades: str
    subjects: str
    last_contact: datetime.datetime | None
    contacts: int
    this_term: int
    reading: StageReading
    needs_nudge: bool
    open_requests: int = 0
    oldest_open_request: datetime.datetime | None = None
    live_goals: int = 0
    active_cycles: int = 0
    next_stage_due: datetime.date | None = None
    can_open: bool = True  # the coach may open the teacher's page

    @property
    def stage_overdue(self) -> bool:
        return self.next_stage_due is not None and self.next_stage_due < timezone.localdate()

    @property
    def stage(self) -> str:
        return self.reading.stage.value

    @property
    def stage_label(self) -> str:
        return self.reading.label

    @property
    def reason(self) -> str:
        return self.reading.reason


def _attention_order(row: CaseloadRow):
    """Open requests first (the oldest first), then overdue cycle stages (the most overdue
    first), then the nudged (never contacted, then the longest since), then by name."""
    name = (row.teacher_name.casefold(), row.teacher_id)
    if row.open_requests and row.oldest_open_request is not None:
        return (0, row.oldest_open_request.timestamp(), *name)
    if row.stage_overdue:
        return (1, float(row.next_stage_due.toordinal()), *name)
    if row.needs_nudge:
        waited = row.last_contact.timestamp() if row.last_contact else float("-inf")
        return (2, waited, *name)
    return (3, 0.0, *name)


def _this_term_bounds(school_year: SchoolYear, now: datetime.datetime):
    """The moments that bound "this term" (`directory.calendar`'s rule), or the school year
    when it has no terms."""
    zone = calendar.zone_of(school_year.network)
    today = calendar.today_in(zone, now=now)
    span = (calendar.this_term(school_year=school_year, today=today)
            or calendar.school_year_span(school_year))
    return span.since(zone), span.until(zone)


def caseload_rows(
    *, actor, school_year: SchoolYear | None, filters: dict | None = None,
    now: datetime.datetime | None = None, with_labels: bool = True,
) -> list[CaseloadRow]:
    """Every teacher of the coach's caseload with last contact, this term, stage and nudge.

    A fixed number of queries at any caseload size: the caseload, the rules, the term, one
    aggregate over the coach's links with these teachers, one per registered fact source
    (requests, goals…), and the teaching labels.
    """
    filters = filters or {}
    now = now or timezone.now()
    assignments = caseload_for(actor=actor, school_year=school_year)
    if filters.get("school"):
        assignments = assignments.filter(school_id=filters["school"])
    if filters.get("grade"):
        assignments = assignments.filter(teacher__profile__grades=filters["grade"])
    if filters.get("subject"):
        assignments = assignments.filter(teacher__profile__subjects=filters["subject"])
    # The teacher page opens for a teacher of one of the coach's schools (the rule of
    # `teacher_get_for_coach`); one who has left them since is listed, not linked.
    teaches_here = teaches_where_actor_coaches(actor, "teacher_id")
    # Plain tuples: a caseload may hold hundreds of teachers, and no model object is needed.
    assignments = list(assignments.distinct().annotate(reachable=teaches_here)
                       .values_list("teacher_id", "teacher__full_name", "school_id",
                                    "school__name", "reachable"))
    if not assignments:
        return []
    teacher_ids = [teacher_id for teacher_id, *_rest in assignments]
    network_rules = relationship_rules_for(network_id=school_year.network_id)
    rules = Rules(trusting_min_contacts=network_rules.trusting_min_contacts,
                  trusting_min_weeks=network_rules.trusting_min_weeks)
    term_since, term_until = _this_term_bounds(school_year, now)
    facts = {
        row["teacher_id"]: row
        for row in InteractionTeacher.objects.filter(author_q(actor),
                                                     teacher_id__in=teacher_ids)
        .values("teacher_id")
        .annotate(n=Count("id"), first=Min("occurred_at"), last=Max("occurred_at"),
                  term=Count("id", filter=Q(occurred_at__gte=term_since,
                                            occurred_at__lt=term_until)))
        .order_by()
    }
    later = extra_facts.gather(coach_id=actor.pk, teacher_ids=teacher_ids)
    labels = (teaching_labels(person_ids=teacher_ids) if with_labels
              else {pk: {"grades": "", "subjects": ""} for pk in teacher_ids})
    cutoff = now - datetime.timedelta(days=network_rules.nudge_after_days)
    rows = []
    for teacher_id, teacher_name, school_id, school_name, reachable in assignments:
        found = facts.get(teacher_id, {})
        extra = later.get(teacher_id, extra_facts.ExtraFacts())
        last = found.get("last")
        rows.append(CaseloadRow(
            teacher_id=teacher_id, teacher_name=teacher_name,
            school_id=school_id, school_name=school_name,
            grades=labels[teacher_id]["grades"], subjects=labels[teacher_id]["subjects"],
            last_contact=last, contacts=found.get("n", 0), this_term=found.get("term", 0),
            reading=stage_for(Facts(
                contacts=found.get("n", 0), first_contact=found.get("first"), last_contact=last,
                asked_for_help=extra.asked_for_help, has_goal_or_cycle=extra.has_goal_or_cycle,
                has_evidence=extra.has_evidence), rules),
            needs_nudge=last is None or last <= cutoff,
            open_requests=extra.open_requests,
            oldest_open_request=extra.oldest_open_request,
            live_goals=extra.live_goals, active_cycles=extra.active_cycles,
            next_stage_due=extra.next_stage_due, can_open=reachable,
        ))
    return sorted(rows, key=_attention_order)


def with_teaching_labels(rows: list[CaseloadRow]) -> list[CaseloadRow]:
    """The same rows with what each teacher teaches filled in (for the page being drawn)."""
    labels = teaching_labels(person_ids=[row.teacher_id for row in rows])
    return [
        dataclasses.replace(row, grades=labels[row.teacher_id]["grades"],
                            subjects=labels[row.teacher_id]["subjects"])
        for row in rows
    ]


def nudge_count(*, actor, school_year: SchoolYear | None,
                now: datetime.datetime | None = None) -> int:
    """How many caseload teachers the coach has not reached lately: two queries."""
    if school_year is None:
        return 0
    rules = relationship_rules_for(network_id=school_year.network_id)
    cutoff = (now or timezone.now()) - datetime.timedelta(days=rules.nudge_after_days)
    reached = InteractionTeacher.objects.filter(
        author_q(actor), teacher_id=OuterRef("teacher_id"), occurred_at__gt=cutoff)
    return (caseload_for(actor=actor, school_year=school_year)
            .filter(~Exists(reached)).count())


def caseload_filter_choices(*, actor) -> dict[str, QuerySet]:
    """What the caseload may be filtered by: the coach's schools, the network's grades and
    subjects."""
    scope = scope_for(actor)
    network_id = scope.primary_network_id
    return {
        "schools": Organisation.objects.filter(pk__in=scope.coach_school_ids)
        .only("id", "name").order_by("name"),
        "grades": GradeLevel.objects.filter(network_id=network_id).only("id", "name"),
        "subjects": Subject.objects.filter(network_id=network_id).only("id", "name"),
    }
