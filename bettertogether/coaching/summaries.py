"""What school leaders and network admins read of coaching: a school's figures, and the
kinds of support a network offers its coaches.

**A school's summary** is read by the school's leaders and by its network's admins; for
anyone else the school does not exist (404). It is built from aggregates over metadata
only — the kind, the minutes, when, with which teachers. No query here names a note column
(`shared_note`, `private_note`) and personal notes are never touched, so no content can
reach the page. Every figure and name passes the disclosure gate (`directory.disclosure`):
a school of fewer teachers than its floor shows no figure at all, a count of 1 to 4
teachers is hidden, and the gate's `names_coached` (the school's leader-visibility policy)
decides whether the teachers coached are listed by name and kind of support or not at all;
admins read the same page under the same policy.

The coaches' own time (planning, meetings, duties) is logged without a school: it is
counted here for the coaches who serve the school, all of it, even for a coach who also
serves other schools.

**A network's kinds of support** are read by its admins: the built-in kinds (the same in
every network, read-only) and the network's own, switched on or off.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bettertogether.directory import calendar, disclosure
from bettertogether.directory.models import (
    Membership,
    Organisation,
    Person,
    Role,
    SchoolYear,
)
from bettertogether.directory.selectors import (
    active_memberships,
    organisation_get_for,
)

from .models import Interaction, InteractionTeacher, SupportKind
from .rules import may_manage_support_kinds, may_read_school_summary


class Period(models.TextChoices):
    YEAR = "year", _("This school year")
    TERM = "term", _("This term")
    RECENT = "30d", _("The last 30 days")


@dataclass(frozen=True)
class Window:
    """The days a summary covers, and the moments that bound them."""

    label: str
    first_day: datetime.date
    last_day: datetime.date
    since: datetime.datetime
    until: datetime.datetime | None = None

    def lookups(self, field: str = "occurred_at") -> dict:
        found = {f"{field}__gte": self.since}
        if self.until is not None:
            found[f"{field}__lt"] = self.until
        return found


@dataclass(frozen=True)
class KindRow:
    name: str
    is_contact: bool
    count: int
    minutes: int

    @property
    def hours(self) -> float:
        return _hours(self.minutes)


@dataclass(frozen=True)
class TeacherRow:
    name: str
    contacts: int
    kinds: tuple[str, ...]


@dataclass(frozen=True)
class CoachRow:
    name: str
    caseload: int | None  # None: hidden by the disclosure gate


def _hours(minutes: int) -> float:
    return round(minutes / 60, 1)


def _share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass(frozen=True)
class SchoolSummary:
    school: Organisation
    school_year: SchoolYear | None
    window: Window | None
    kinds: list[KindRow]
    teachers_in_school: int
    teachers_reached: int | None  # None: hidden (1 to 4 teachers)
    coaches: list[CoachRow]
    teachers: list[TeacherRow] | None  # None: the policy shows totals only
    hidden: bool = False  # the school is too small to describe: no figure, no name

    @property
    def shows_names(self) -> bool:
        return self.teachers is not None

    @property
    def contacts(self) -> int:
        return sum(row.count for row in self.kinds if row.is_contact)

    @property
    def contact_minutes(self) -> int:
        return sum(row.minutes for row in self.kinds if row.is_contact)

    @property
    def own_minutes(self) -> int:
        return sum(row.minutes for row in self.kinds if not row.is_contact)

    @property
    def total_minutes(self) -> int:
        return self.contact_minutes + self.own_minutes

    @property
    def split(self) -> list[dict]:
        """Time with teachers and the coaches' own time, each with its share of the whole."""
        return [
            {"label": label, "minutes": minutes, "hours": _hours(minutes),
             "share": _share(minutes, self.total_minutes)}
            for label, minutes in ((_("With teachers"), self.contact_minutes),
                                   (_("Coaches' own time"), self.own_minutes))
        ]

    @property
    def total_hours(self) -> float:
        return _hours(self.total_minutes)

    @property
    def contact_hours(self) -> float:
        return _hours(self.contact_minutes)

    @property
    def own_hours(self) -> float:
        return _hours(self.own_minutes)

    @property
    def reached_share(self) -> int | None:
        if self.teachers_reached is disclosure.HIDDEN:
            return disclosure.HIDDEN
        return _share(self.teachers_reached, self.teachers_in_school)


def period_window(*, period: str, school_year: SchoolYear | None, zone: datetime.tzinfo,
                  now: datetime.datetime) -> Window | None:
    """The days of a period in the school's time zone; None for a year or term without a
    school year.

    "This term" follows `directory.calendar`'s rule (in a holiday, the term just ended;
    before the first term, the first); a school year without terms shows the whole year.
    """
    today = calendar.today_in(zone, now=now)
    if period == Period.RECENT:
        label, span = str(Period.RECENT.label), calendar.recent_days(today)
    elif school_year is None:
        return None
    else:
        label, span = str(Period.YEAR.label), calendar.school_year_span(school_year)
        term = (calendar.this_term(school_year=school_year, today=today)
                if period == Period.TERM else None)
        if term is not None:
            label, span = term.name, term
    return Window(label, span.first_day, span.last_day, span.since(zone), span.until(zone))


def _kind_rows(school: Organisation, window: Window) -> list[KindRow]:
    """Counts and minutes by kind: contacts in the school, the school's coaches' own time.

    Two grouped queries, each on its own index (school and time; coach and time).
    """
    columns = ("kind_id", "kind__name", "kind__is_contact")
    in_school = Interaction.objects.filter(school_id=school.pk, **window.lookups())
    coaches = Membership.objects.filter(organisation_id=school.pk, role=Role.COACH)
    own_time = Interaction.objects.filter(
        network_id=school.network_id, school__isnull=True, kind__is_contact=False,
        coach_id__in=coaches.values("person_id"), **window.lookups())
    found: dict[int, KindRow] = {}
    for entries in (in_school, own_time):
        rows = entries.values(*columns).annotate(n=Count("id"), minutes=Sum("minutes"))
        for kind_id, name, is_contact, n, minutes in rows.order_by().values_list(
                *columns, "n", "minutes"):
            before = found.get(kind_id)
            found[kind_id] = KindRow(name=name, is_contact=is_contact,
                                     count=n + (before.count if before else 0),
                                     minutes=minutes + (before.minutes if before else 0))
    return sorted(found.values(),
                  key=lambda row: (not row.is_contact, -row.minutes, row.name.casefold()))


def _teacher_rows(school: Organisation, window: Window, teachers_here) -> list[TeacherRow]:
    """Each teacher coached here in the window: their name, the kinds, how many contacts."""
    rows = (
        InteractionTeacher.objects.filter(interaction__school_id=school.pk,
                                          teacher_id__in=teachers_here, **window.lookups())
        .values("teacher_id", "teacher__full_name", "interaction__kind__name")
        .annotate(n=Count("id"))
        .order_by("teacher__full_name", "teacher_id", "interaction__kind__name")
        .values_list("teacher_id", "teacher__full_name", "interaction__kind__name", "n")
    )
    grouped: dict[int, dict] = {}
    for teacher_id, name, kind, n in rows:
        row = grouped.setdefault(teacher_id, {"name": name, "contacts": 0, "kinds": []})
        row["contacts"] += n
        row["kinds"].append(kind)
    return [TeacherRow(name=row["name"], contacts=row["contacts"], kinds=tuple(row["kinds"]))
            for row in grouped.values()]


def _coach_rows(school: Organisation, school_year: SchoolYear | None) -> list[CoachRow]:
    """The school's coaches with the size of their caseload here this school year; a
    caseload of 1 to 4 teachers is hidden, with another if the teachers with a coach (the
    leader's home page) would give it back."""
    in_caseload = Q(caseload__school_id=school.pk, caseload__school_year=school_year)
    coaches = (
        Person.objects.filter(is_active=True, memberships__organisation_id=school.pk,
                              memberships__role=Role.COACH)
        .annotate(n=Count("caseload", filter=in_caseload) if school_year else models.Value(0))
        .order_by("full_name", "pk")
        .values_list("full_name", "n")
    )
    coaches = list(coaches)
    sizes = [n for _name, n in coaches]
    hidden = disclosure.complete(
        (i for i, n in enumerate(sizes) if not disclosure.count_shown(n)), values=sizes)
    return [CoachRow(name=name, caseload=disclosure.HIDDEN if i in hidden else n)
            for i, (name, n) in enumerate(coaches)]


def school_get_for_summary(*, actor, pk: int) -> Organisation:
    """A school whose coaching figures the actor may read; for anyone else, 404."""
    school = organisation_get_for(actor=actor, pk=pk)
    if not may_read_school_summary.test(actor, school):
        raise Http404("No such school")
    return school


def school_summary(*, actor, pk: int, period: str = Period.YEAR,
                   now: datetime.datetime | None = None) -> SchoolSummary:
    """A school's coaching figures for a period of the current school year.

    A fixed number of queries, whatever the number of interactions or teachers.
    """
    school = school_get_for_summary(actor=actor, pk=pk)
    zone = calendar.zone_of(school)
    now = now or timezone.now()
    year = calendar.current_school_year(network_id=school.network_root_id,
                                        today=calendar.today_in(zone, now=now))
    window = period_window(period=period, school_year=year, zone=zone, now=now)
    teachers_here = (active_memberships()
                     .filter(organisation_id=school.pk, role=Role.TEACHER)
                     .values("person_id"))
    size = teachers_here.count()
    if not disclosure.group_shown(size):
        return SchoolSummary(school=school, school_year=year, window=window, kinds=[],
                             teachers_in_school=size, teachers_reached=disclosure.HIDDEN,
                             coaches=[], teachers=None, hidden=True)
    shows_names = disclosure.names_coached(school, size=size)
    reached, kinds, teachers = 0, [], ([] if shows_names else None)
    if window is not None:
        kinds = _kind_rows(school, window)
        reached = (InteractionTeacher.objects
                   .filter(interaction__school_id=school.pk, teacher_id__in=teachers_here,
                           **window.lookups())
                   .values("teacher_id").distinct().count())
        if shows_names:
            teachers = _teacher_rows(school, window, teachers_here)
    return SchoolSummary(
        school=school, school_year=year, window=window, kinds=kinds,
        teachers_in_school=size, teachers_reached=disclosure.teachers(reached),
        coaches=_coach_rows(school, year), teachers=teachers,
    )


# --- the kinds of support a network offers ---------------------------------------------


def network_get_for_support_kinds(*, actor, pk: int) -> Organisation:
    """A network whose kinds of support the actor manages; for anyone else, 404."""
    network = organisation_get_for(actor=actor, pk=pk)
    if not may_manage_support_kinds.test(actor, network):
        raise Http404("No such network")
    return network


def support_kinds_of_network(*, network: Organisation) -> dict[str, list[SupportKind]]:
    """The built-in kinds and the network's own (switched on or off): one query."""
    kinds = list(SupportKind.objects.filter(Q(network__isnull=True) | Q(network_id=network.pk))
                 .order_by("-is_contact", "position", "name", "pk"))
    return {"built_in": [k for k in kinds if k.network_id is None],
            "own": [k for k in kinds if k.network_id is not None]}


def support_kind_get_for(*, network: Organisation, pk: int) -> SupportKind:
    """One of the network's own kinds (built-in kinds are not changed from a network)."""
    try:
        return SupportKind.objects.select_related("network").get(pk=pk, network_id=network.pk)
    except (SupportKind.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such kind of support") from exc


def support_kind_in_use(*, kind: SupportKind) -> bool:
    """Whether anything points at the kind: log entries, and whatever later apps keep (menu
    items, sessions). Read from the model's relations, so coaching imports none of them; one
    indexed query per relation."""
    relations = [rel for rel in SupportKind._meta.get_fields(include_hidden=True)
                 if rel.one_to_many and rel.auto_created and not rel.concrete]
    return any(rel.related_model._default_manager.filter(**{rel.field.name: kind}).exists()
               for rel in relations)
