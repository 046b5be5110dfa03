"""Every page the benchmark measures, as which person, declared once.

To measure a new page, add a `Page` to `PAGES`: a unique name, the persona to sign in
as (a key of `PERSONAS`), the URL name, and for URLs with arguments the names of the
objects to fill them with (keys of what `objects()` returns; add a lookup there if needed).
A query string naming such objects is a `Filled`: `Filled("start={first_day}")`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from bettertogether.demo.common import BENCH_PERSONAS

# Persona → the district dataset's person signed in for it.
PERSONAS = BENCH_PERSONAS


@dataclass(frozen=True)
class Page:
    name: str
    persona: str
    url_name: str
    args: tuple[str, ...] = ()
    query: str = ""


class Filled:
    """A query string with `{names}` of what `objects()` returns, filled in when the page's
    URL is built (`f"{url}?{page.query}"`), that is once the benchmark database is there."""

    def __init__(self, template: str):
        self.template = template

    def __bool__(self) -> bool:
        return bool(self.template)

    def __str__(self) -> str:
        return self.template.format(**_objects())

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __repr__(self) -> str:
        return f"Filled({self.template!r})"


THREE_YEARS = Filled("start={first_day}&end={today}")
THIS_TERM = Filled("start={term_start}&end={term_end}")

# The trivial view behind the same middleware; every persona's pages are compared with
# the floor measured for that persona in the same run. The coach's floor is the one reported.
FLOOR = Page("floor", "coach", "core:floor")

PAGES = (
    Page("home (coach)", "coach", "core:home"),
    Page("home (teacher)", "teacher", "core:home"),
    Page("home (principal)", "principal", "core:home"),
    Page("home (admin)", "admin", "core:home"),
    Page("profile (teacher)", "teacher", "core:profile"),
    Page("people (admin)", "admin", "directory:people"),
    Page("people (principal)", "principal", "directory:people"),
    Page("person (admin)", "admin", "directory:person", args=("teacher",)),
    Page("schools (admin)", "admin", "directory:organisations"),
    Page("school (admin)", "admin", "directory:organisation", args=("school",)),
    Page("caseload (coach, 50)", "coach", "coaching:caseload"),
    Page("caseload (bigcoach, 300)", "bigcoach", "coaching:caseload"),
    Page("school caseloads (admin)", "admin", "directory:school_caseloads", args=("school",)),
    Page("invitations (admin)", "admin", "accounts:invitations"),
    Page("activity log (admin)", "admin", "activity:log"),
    Page("rosters (admin)", "admin", "rostering:imports"),
    Page("quick log (coach)", "coach", "coaching:log"),
    Page("coach's log (coach)", "coach", "coaching:my_log"),
    Page("teacher page + timeline (coach)", "coach", "coaching:teacher", args=("coached",)),
    Page("my coaching (teacher)", "teacher", "coaching:mine"),
    Page("coaching in a school (principal)", "principal", "coaching:school_summary",
         args=("school",)),
    Page("coaching in a school (admin)", "admin", "coaching:school_summary", args=("school",)),
    Page("kinds of support (admin)", "admin", "coaching:support_kinds", args=("network",)),
    Page("notifications (teacher)", "teacher", "notifications:list"),
    Page("coaching menu (coach)", "coach", "menu:menu"),
    Page("coaching menu (teacher)", "teacher", "menu:menu"),
    Page("requests inbox (coach)", "coach", "menu:inbox"),
    Page("my requests (teacher)", "teacher", "menu:my_requests"),
    Page("request (coach)", "coach", "menu:request", args=("request",)),
    Page("sessions (coach)", "coach", "menu:sessions"),
    Page("sessions (teacher)", "teacher", "menu:sessions"),
    Page("session (coach)", "coach", "menu:session", args=("session",)),
    Page("session log form (coach)", "coach", "menu:session_log", args=("unlogged",)),
    Page("calendar settings (teacher)", "teacher", "menu:calendar"),
    Page("calendar feed .ics (bigcoach, 300)", "bigcoach", "menu:feed", args=("bigcoach_feed",)),
    Page("goals (coach)", "coach", "goals:list"),
    Page("goals (teacher)", "teacher", "goals:list"),
    Page("goals (bigcoach, 300)", "bigcoach", "goals:list"),
    Page("goal (coach)", "coach", "goals:goal", args=("goal",)),
    Page("cycle + evidence (coach)", "coach", "goals:cycle", args=("cycle",)),
    Page("cycle, completed (teacher)", "teacher", "goals:cycle", args=("cycle_done",)),
    Page("stage (coach)", "coach", "goals:stage", args=("cycle", "stage")),
    Page("new goal form (coach)", "coach", "goals:goal_new"),
    # The impact reports: from the tallies, except a grade or subject filter (computed
    # from the log directly). The network's over its three school years and this term;
    # the school's and the coach's over their default period (this school year).
    Page("report network 3y (admin)", "admin", "reports:network", args=("network",),
         query=THREE_YEARS),
    Page("report network term (admin)", "admin", "reports:network", args=("network",),
         query=THIS_TERM),
    Page("report school (principal)", "principal", "reports:school", args=("school",)),
    Page("report coach (bigcoach, 300)", "bigcoach", "reports:coach"),
    Page("report network grade 3y (admin)", "admin", "reports:network", args=("network",),
         query=Filled("start={first_day}&end={today}&grade={grade}")),
    Page("report csv 3y (admin)", "admin", "reports:network_export", args=("network", "csv"),
         query=THREE_YEARS),
)


def objects() -> dict[str, int | str]:
    """Ids of the objects page URLs point at, looked up in the benchmark database (and the
    secret of the calendar feed, which the district dataset sets to a known value)."""
    import datetime

    from django.db import models

    from bettertogether.coaching.models import InteractionTeacher
    from bettertogether.demo.coaching_vocabulary import DISTRICT_TODAY
    from bettertogether.demo.common import BENCH_CALENDAR_TOKENS
    from bettertogether.directory.models import (
        GradeLevel,
        Membership,
        Person,
        Role,
        SchoolYear,
        Term,
    )
    from bettertogether.goals.models import Cycle, CycleStatus, EvidencePoint
    from bettertogether.menu.models import (
        OPEN_STATUSES,
        CoachingSession,
        SessionStatus,
        SupportRequest,
    )

    teacher = Person.objects.get(email=PERSONAS["teacher"])
    coach = Person.objects.get(email=PERSONAS["coach"])
    # The bench coach's teacher with the longest timeline.
    coached = (
        InteractionTeacher.objects.filter(coach=coach)
        .values("teacher_id").order_by().annotate(n=models.Count("id")).order_by("-n")
        .values_list("teacher_id", flat=True).first()
    )
    school = Membership.objects.select_related("organisation").get(
        person__email=PERSONAS["principal"], role=Role.SCHOOL_LEADER
    ).organisation
    # The dataset is written as of DISTRICT_TODAY: sessions before it happened.
    today = datetime.datetime.combine(DISTRICT_TODAY, datetime.time(0), tzinfo=datetime.UTC)
    sessions = CoachingSession.objects.filter(coach=coach, status=SessionStatus.SCHEDULED)
    # The first request of the bench coach's inbox, the next session that came from a
    # request, and the latest session held but not logged yet.
    request = (SupportRequest.objects.filter(coach=coach, status__in=OPEN_STATUSES)
               .order_by("created_at", "id").values_list("pk", flat=True).first())
    session = (sessions.filter(starts_at__gte=today, request__isnull=False)
               .order_by("starts_at", "id").values_list("pk", flat=True).first())
    unlogged = (sessions.filter(starts_at__lt=today, interaction__isnull=True)
                .order_by("-starts_at", "-id").values_list("pk", flat=True).first())
    # The bench pair's cycle under way with evidence (its goal, and its first open stage:
    # overdue), and their latest completed cycle with evidence before and after.
    pair = Cycle.objects.filter(coach=coach, teachers=teacher).order_by("-started_on", "-id")
    cycle = pair.filter(status=CycleStatus.ACTIVE, measures__points__isnull=False).first()
    done = pair.filter(status=CycleStatus.COMPLETED,
                       measures__points__moment=EvidencePoint.Moment.AFTER).first()
    stage = cycle.stages.filter(completed_on__isnull=True).order_by("position").first()
    # The reports' periods as of DISTRICT_TODAY: from the first day of the first school
    # year, and the term under way (the latest started, to its end or today). The grade
    # the most teachers teach.
    network = school.network_id
    first_day = (SchoolYear.objects.filter(network_id=network).order_by("starts_on")
                 .values_list("starts_on", flat=True).first())
    term = (Term.objects.filter(school_year__network_id=network, starts_on__lte=DISTRICT_TODAY)
            .order_by("-starts_on").values_list("starts_on", "ends_on").first())
    grade = (GradeLevel.objects.filter(network_id=network)
             .annotate(n=models.Count("profiles")).order_by("-n", "pk")
             .values_list("pk", flat=True).first())
    return {"teacher": teacher.pk, "school": school.pk, "coached": coached,
            "network": network, "request": request, "session": session,
            "unlogged": unlogged, "bigcoach_feed": BENCH_CALENDAR_TOKENS["bigcoach"],
            "goal": cycle.goal_id, "cycle": cycle.pk, "stage": stage.pk,
            "cycle_done": done.pk, "first_day": first_day.isoformat(),
            "today": DISTRICT_TODAY.isoformat(), "term_start": term[0].isoformat(),
            "term_end": min(term[1], DISTRICT_TODAY).isoformat(), "grade": grade,
            "csv": "csv"}  # the export's format, an argument of its URL


@functools.cache
def _objects() -> dict[str, int | str]:
    """`objects()` once per process, for the `Filled` query strings."""
    return objects()
