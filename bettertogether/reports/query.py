"""A report's scope and filters as SQL: the one place that says which rows of each source a
report reads.

Every section asks here for the condition of the source it reads, and none writes its own.
Each function takes the report's context (`report_base.ReportContext`) and gives a `Q` for
one source. The same scope and filters mean the same thing everywhere:

- **The network**: only the network's own rows, by `network_id` (a caseload through its
  school year, a link of the log through its entry).
- **A coach's own report, or the coach filter**: that coach's work, by `coach_id`.
- **A school's report, or the school filter**: what happened at the school, by `school_id`;
  for the log and the weekly tallies also the own time (no school, not a contact) of the
  school's coaches, as the school summary counts it.
- **A grade or subject filter**: the teachers who teach it (`teacher_population`). Pairs,
  caseloads, links and requests by `teacher_id`; goals and cycles by their teachers; the
  log: an entry with at least one of them. The tallies hold no teachers (`sources.py` reads
  the log instead).
- **A kind of support**: entries of that kind. The log, `WeekTally` and `KindWeek` by
  `kind_id`; links by their entry's kind; requests by their menu item's kind. Pairs, terms,
  caseloads, goals and cycles have no kind and are not narrowed by it.
- **Schools too small to describe** (`ctx.excluded`, a leader's report across schools):
  left out of every figure, by `school_id`; rows with no school (own time) stay.
- **The period**, from `start` to `end` in the network's time zone: `during` (moments),
  `on_days` (dates), `between` (moments of other days), `log_days` (the log's part weeks),
  and the `terms` and `school_years` that touch it.

The sources, by model: `Interaction` (`log`), `InteractionTeacher` (`links`), `WeekTally`
(`week_tallies`), `CoachWeek` (`coach_weeks`), `KindWeek` (`kind_weeks`), `PairReach` and
`PairTerm` (`pairs`), `CaseloadAssignment` (`caseloads`), `Goal` and `Cycle` (`goals`),
their teachers (`goal_teachers`, `cycle_teachers`), `EvidenceMeasure` (`measures`),
`SupportRequest` (`requests`), teachers' `Membership` (`teaching_staff`), `Term` (`terms`),
`SchoolYear` (`school_years`). Which of them answers a question is `sources.py`'s to say.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from bettertogether.coaching.models import InteractionTeacher
from bettertogether.directory.calendar import midnight
from bettertogether.directory.models import (
    Membership,
    Role,
    SchoolYear,
    TeacherProfile,
)
from bettertogether.goals.models import Cycle

from .report_base import DAY, Filters, ReportContext

# --- the teachers of a grade or subject ---------------------------------------------------


def teacher_population(filters: Filters) -> QuerySet | None:
    """The teachers a grade or subject filter leaves, as a subquery of person ids (None: no
    such filter)."""
    if not filters.teacher_filtered:
        return None
    profiles = TeacherProfile.objects.all()
    if filters.grade_id:
        profiles = profiles.filter(grades__id=filters.grade_id)
    if filters.subject_id:
        profiles = profiles.filter(subjects__id=filters.subject_id)
    return profiles.values("person_id")


# --- the parts every source shares ------------------------------------------------------------


def _school_coach_ids(school_id: int) -> QuerySet:
    return Membership.objects.filter(organisation_id=school_id,
                                     role=Role.COACH).values("person_id")


def shown_schools(ctx: ReportContext, school: str = "school_id") -> Q:
    """Leaves out the schools too small to describe (`ctx.excluded`): a leader's total
    across schools counts shown schools only, so no total minus the shown schools gives a
    small one back. Rows with no school (a coach's own time) stay."""
    if not ctx.excluded:
        return Q()
    return ~Q(**{f"{school}__in": sorted(ctx.excluded)})


def _people(ctx: ReportContext, *, network: str | None, coach: str, school: str,
            own_time: str | None = None) -> Q:
    """The network, the coach (of the report or the filter), the school (of the report or
    the filter; with `own_time`, the own time of the school's coaches too), and the shown
    schools."""
    found = Q(**{network: ctx.scope.network.pk}) if network else Q()
    if ctx.scope.coach_id:
        found &= Q(**{coach: ctx.scope.coach_id})
    if ctx.school_id:
        in_school = Q(**{school: ctx.school_id})
        if own_time:
            in_school |= Q(**{f"{school}__isnull": True, own_time: False,
                              f"{coach}__in": _school_coach_ids(ctx.school_id)})
        found &= in_school
    if ctx.filters.coach_id and not ctx.scope.coach_id:
        found &= Q(**{coach: ctx.filters.coach_id})
    return found & shown_schools(ctx, school)


def _of_kind(ctx: ReportContext, kind: str) -> Q:
    return Q(**{kind: ctx.filters.kind_id}) if ctx.filters.kind_id else Q()


def _of_teachers(ctx: ReportContext, teacher: str) -> Q:
    return Q(**{f"{teacher}__in": ctx.teachers}) if ctx.teachers is not None else Q()


# --- the period -----------------------------------------------------------------------------


def during(ctx: ReportContext, moment: str) -> Q:
    """A moment (a datetime field) inside the period."""
    return Q(**{f"{moment}__gte": ctx.since, f"{moment}__lt": ctx.until})


def on_days(ctx: ReportContext, day: str) -> Q:
    """A day (a date field) inside the period."""
    return Q(**{f"{day}__gte": ctx.filters.start, f"{day}__lte": ctx.filters.end})


def between(ctx: ReportContext, moment: str, first: datetime.date, last: datetime.date) -> Q:
    """A moment from the start of `first` to the end of `last`, in the network's zone."""
    return Q(**{f"{moment}__gte": midnight(first, ctx.zone),
                f"{moment}__lt": midnight(last + DAY, ctx.zone)})


def log_days(ctx: ReportContext, spans) -> Q:
    """Entries of the log on these days: each span is (first day, the day after the last)."""
    within = Q()
    for first, after in spans:
        within |= Q(occurred_at__gte=midnight(first, ctx.zone),
                    occurred_at__lt=midnight(after, ctx.zone))
    return within


def terms(ctx: ReportContext) -> Q:
    """The network's terms that touch the period (`Term`)."""
    return Q(school_year__network_id=ctx.scope.network.pk, starts_on__lte=ctx.filters.end,
             ends_on__gte=ctx.filters.start)


def school_years(ctx: ReportContext) -> Q:
    """The network's school years that touch the period (`SchoolYear`)."""
    return Q(network_id=ctx.scope.network.pk, starts_on__lte=ctx.filters.end,
             ends_on__gte=ctx.filters.start)


# --- the log and its tallies ------------------------------------------------------------------


def log(ctx: ReportContext) -> Q:
    """Entries of the log (`Interaction`): under a grade or subject, those with at least one
    of its teachers."""
    found = (_people(ctx, network="network_id", coach="coach_id", school="school_id",
                     own_time="kind__is_contact")
             & _of_kind(ctx, "kind_id"))
    if ctx.teachers is not None:
        found &= Q(Exists(InteractionTeacher.objects.filter(
            interaction_id=OuterRef("pk"), teacher_id__in=ctx.teachers)))
    return found


def links(ctx: ReportContext) -> Q:
    """The log's links of a teacher to an entry (`InteractionTeacher`)."""
    return (_people(ctx, network="interaction__network_id", coach="coach_id",
                    school="interaction__school_id")
            & _of_teachers(ctx, "teacher_id") & _of_kind(ctx, "interaction__kind_id"))


def week_tallies(ctx: ReportContext) -> Q:
    """Weeks by coach, school and kind (`WeekTally`)."""
    return (_people(ctx, network="network_id", coach="coach_id", school="school_id",
                    own_time="is_contact")
            & _of_kind(ctx, "kind_id"))


def coach_weeks(ctx: ReportContext) -> Q:
    """Weeks by coach and school, every kind together (`CoachWeek`): no kind filter."""
    return _people(ctx, network="network_id", coach="coach_id", school="school_id",
                   own_time="is_contact")


def kind_weeks(ctx: ReportContext) -> Q:
    """Weeks of the whole network by kind (`KindWeek`): no school or coach in it."""
    return Q(network_id=ctx.scope.network.pk) & _of_kind(ctx, "kind_id")


# --- teachers: pairs, caseloads, staff --------------------------------------------------------


def pairs(ctx: ReportContext) -> Q:
    """A coach with a teacher at a school (`PairReach`, `PairTerm`)."""
    return (_people(ctx, network="network_id", coach="coach_id", school="school_id")
            & _of_teachers(ctx, "teacher_id"))


def caseloads(ctx: ReportContext) -> Q:
    """Caseload assignments of the school years in the period (`CaseloadAssignment`: of the
    network through their school year)."""
    return (_people(ctx, network=None, coach="coach_id", school="school_id")
            & _of_teachers(ctx, "teacher_id")
            & Q(school_year__in=SchoolYear.objects.filter(school_years(ctx))))


def teaching_staff(ctx: ReportContext, *, each_school: bool = False) -> Q:
    """Teachers' memberships (of `directory.selectors.active_memberships`): of the report's
    school, or the filter's, or the network's (`each_school`: always the network's, to
    count each school's), of the grade or subject."""
    found = Q(role=Role.TEACHER) & _of_teachers(ctx, "person_id")
    if not each_school and ctx.scope.school_id:
        return found & Q(organisation_id=ctx.scope.school_id)
    if not each_school and ctx.filters.school_id:
        return found & Q(organisation_id=ctx.filters.school_id)
    return found & Q(network_id=ctx.scope.network.pk)


# --- goals, cycles, evidence, requests --------------------------------------------------------


def goals(ctx: ReportContext) -> Q:
    """Goals or cycles (`Goal`, `Cycle`). Under a grade or subject the join to their
    teachers can repeat one: count them distinct."""
    return (_people(ctx, network="network_id", coach="coach_id", school="school_id")
            & _of_teachers(ctx, "teachers"))


def goal_teachers(ctx: ReportContext) -> Q:
    """The teachers of goals (`Goal.teachers.through`)."""
    return (_people(ctx, network="goal__network_id", coach="goal__coach_id",
                    school="goal__school_id")
            & _of_teachers(ctx, "person_id"))


def cycle_teachers(ctx: ReportContext) -> Q:
    """The teachers of cycles (`Cycle.teachers.through`)."""
    return (_people(ctx, network="cycle__network_id", coach="cycle__coach_id",
                    school="cycle__school_id")
            & _of_teachers(ctx, "person_id"))


def measures(ctx: ReportContext) -> Q:
    """Evidence measures of cycles (`EvidenceMeasure`): under a grade or subject, of the
    cycles with one of its teachers (a subquery: a join would repeat a measure)."""
    found = _people(ctx, network="cycle__network_id", coach="cycle__coach_id",
                    school="cycle__school_id")
    if ctx.teachers is not None:
        found &= Q(cycle_id__in=Cycle.teachers.through.objects.filter(
            person_id__in=ctx.teachers).values("cycle_id"))
    return found


def requests(ctx: ReportContext) -> Q:
    """Requests from the coaching menu made in the period (`SupportRequest`)."""
    return (_people(ctx, network="network_id", coach="coach_id", school="school_id")
            & during(ctx, "created_at") & _of_kind(ctx, "item__kind_id")
            & _of_teachers(ctx, "teacher_id"))
