"""Reads for the reports: which report the actor may open (404 otherwise), the choices of
its filters, and the snapshots a coach published or a leader received."""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Q, QuerySet
from django.http import Http404

from bettertogether.coaching.models import SupportKind
from bettertogether.coaching.tallies.network import recounting
from bettertogether.directory import calendar
from bettertogether.directory.models import (
    GradeLevel,
    Organisation,
    Person,
    Role,
    Subject,
)
from bettertogether.directory.scope import scope_for
from bettertogether.directory.selectors import organisations_visible_to

from .engine import LEADER, OWN, Filters, Scope
from .models import ReportExport, ReportKind, ReportSnapshot
from .rules import (
    export_requester_q,
    is_snapshot_reader,
    may_read_coach_report,
    may_read_network_report,
    may_read_school_report,
    snapshot_leader_q,
    snapshot_publisher_q,
)


def _coach_school(actor) -> Organisation:
    """The coach's lowest-numbered school (its network is the one the log writes to), and
    whether that network's tallies are being recounted."""
    scope = scope_for(actor)
    if not may_read_coach_report.test(actor):
        raise Http404("No such report")
    school = (Organisation.objects.filter(pk__in=scope.coach_school_ids)
              .select_related("network").annotate(recounting=recounting(OuterRef("network_id")))
              .order_by("pk").first())
    if school is None:
        raise Http404("No such report")
    return school


def coach_network(actor) -> Organisation:
    """The network a coach works in (their lowest-numbered one, as the log does)."""
    school = _coach_school(actor)
    return school.network or school


def _organisation(*, actor, pk: int, network) -> Organisation:
    """`organisation_get_for`, with whether its network's tallies are being recounted read
    in the same query (a report's count of queries stays what it was)."""
    try:
        return (organisations_visible_to(actor=actor)
                .annotate(recounting=recounting(network)).get(pk=pk))
    except (Organisation.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such organisation") from exc


def scope_for_coach(*, actor) -> Scope:
    school = _coach_school(actor)
    return Scope(kind=ReportKind.COACH, network=school.network or school, coach=actor,
                 audience=OWN, recounting=school.recounting)


def scope_for_school(*, actor, pk: int) -> Scope:
    school = _organisation(actor=actor, pk=pk, network=OuterRef("network_id"))
    if not may_read_school_report.test(actor, school):
        raise Http404("No such report")
    return Scope(kind=ReportKind.SCHOOL, network=school.network, school=school,
                 audience=LEADER, recounting=school.recounting)


def scope_for_network(*, actor, pk: int) -> Scope:
    network = _organisation(actor=actor, pk=pk, network=OuterRef("pk"))
    if not may_read_network_report.test(actor, network):
        raise Http404("No such report")
    return Scope(kind=ReportKind.NETWORK, network=network, audience=LEADER,
                 recounting=network.recounting)


def scope_of(*, actor, kind: str, subject_id: int | None) -> Scope:
    """The scope of a report kind for the actor (used by exports and the PDF task)."""
    if kind == ReportKind.COACH:
        return scope_for_coach(actor=actor)
    if kind == ReportKind.SCHOOL:
        return scope_for_school(actor=actor, pk=subject_id)
    if kind == ReportKind.NETWORK:
        return scope_for_network(actor=actor, pk=subject_id)
    raise Http404("No such report")


def reports_for(*, actor) -> dict:
    """The reports the actor may open, for the reports page and the navigation."""
    scope = scope_for(actor)
    schools = Organisation.objects.filter(pk__in=scope.leader_school_ids).order_by("name")
    networks = Organisation.objects.filter(pk__in=scope.admin_network_ids).order_by("name")
    return {"coach": may_read_coach_report.test(actor), "schools": list(schools),
            "networks": list(networks)}


# --- the period and the filters ---------------------------------------------------------------


def today_for(network: Organisation) -> datetime.date:
    return calendar.today_in(calendar.zone_of(network))


def presets(network: Organisation, *, today: datetime.date | None = None) -> list[dict]:
    """Ready periods: this term so far, the last term, this school year so far, every school
    year, the last 30 days. The terms follow `directory.calendar`'s rule: one query."""
    today = today or today_for(network)
    found = []
    known = calendar.network_calendar(network.pk)
    term, last_term = known.this_term(today), known.last_term(today)
    if term is not None and term.first_day <= today:
        found.append({"key": "term", "label": term.name, "start": term.first_day,
                      "end": term.so_far(today).last_day})
    if last_term is not None:
        found.append({"key": "last_term", "label": last_term.name,
                      "start": last_term.first_day, "end": last_term.last_day})
    year = known.school_year_on(today)
    if year is not None and year.starts_on <= today:
        found.append({"key": "year", "label": year.name, "start": year.starts_on,
                      "end": min(year.ends_on, today)})
    started = [year for year in known.years if year.starts_on <= today]
    if len(started) > 1:
        found.append({"key": "all", "label": "all", "start": started[0].starts_on,
                      "end": today})
    recent = calendar.recent_days(today)
    found.append({"key": "30d", "label": "30d", "start": recent.first_day,
                  "end": recent.last_day})
    return found


def default_period(network: Organisation) -> tuple[datetime.date, datetime.date]:
    for preset in presets(network):
        if preset["key"] == "year":
            return preset["start"], preset["end"]
    today = today_for(network)
    return today - datetime.timedelta(days=89), today


def filter_choices(*, scope: Scope) -> dict[str, list[tuple[int, str]]]:
    """The schools, grades, subjects, coaches and kinds a report's filters offer."""
    network_id = scope.network.pk
    found = {
        "grades": list(GradeLevel.objects.filter(network_id=network_id)
                       .order_by("position", "name").values_list("pk", "name")),
        "subjects": list(Subject.objects.filter(network_id=network_id)
                         .order_by("name").values_list("pk", "name")),
        "kinds": list(SupportKind.objects.filter(Q(network__isnull=True)
                                                 | Q(network_id=network_id))
                      .order_by("-is_contact", "name").values_list("pk", "name")),
        "schools": [], "coaches": [],
    }
    if scope.kind == ReportKind.COACH:
        found["schools"] = list(Organisation.objects.filter(
            pk__in=scope_for(scope.coach).coach_school_ids).order_by("name")
            .values_list("pk", "name"))
    elif scope.kind == ReportKind.NETWORK:
        found["schools"] = list(Organisation.objects.filter(
            network_id=network_id, kind=Organisation.Kind.SCHOOL).order_by("name")
            .values_list("pk", "name"))
    if scope.kind != ReportKind.COACH:
        # One filter on the membership: a coach *of this school or network*.
        where = ({"memberships__organisation_id": scope.school.pk}
                 if scope.kind == ReportKind.SCHOOL else {"memberships__network_id": network_id})
        coaches = Person.objects.filter(is_active=True, memberships__role=Role.COACH, **where)
        found["coaches"] = list(coaches.distinct().order_by("full_name")
                                .values_list("pk", "full_name"))
    return found


# --- exports and snapshots -----------------------------------------------------------------


def export_get_for(*, actor, pk) -> ReportExport:
    """A PDF export, for the person who asked for it while they may still read the report."""
    try:
        export = ReportExport.objects.filter(export_requester_q(actor)).get(pk=pk)
    except (ReportExport.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such export") from exc
    scope_of(actor=actor, kind=export.kind, subject_id=export.subject_id)
    return export


def exports_for(*, actor, kind: str, subject_id: int | None) -> QuerySet[ReportExport]:
    return ReportExport.objects.filter(export_requester_q(actor), kind=kind,
                                       subject_id=subject_id)[:5]


def snapshot_get_for(*, actor, token) -> ReportSnapshot:
    try:
        snapshot = ReportSnapshot.objects.select_related("coach", "leader").get(token=token)
    except (ReportSnapshot.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("No such report") from exc
    if not is_snapshot_reader.test(actor, snapshot):
        raise Http404("No such report")
    return snapshot


def snapshots_published_by(*, actor) -> QuerySet[ReportSnapshot]:
    return ReportSnapshot.objects.filter(snapshot_publisher_q(actor)).select_related("leader")


def snapshots_shared_with(*, actor) -> QuerySet[ReportSnapshot]:
    return (ReportSnapshot.objects.filter(snapshot_leader_q(actor))
            .select_related("coach"))


def leaders_for_snapshot(*, actor) -> QuerySet[Person]:
    """The leaders a coach may publish to: the leaders of the schools they coach in, and
    the admins of the network their report is about (never another network's)."""
    scope = scope_for(actor)
    network = coach_network(actor)  # the network the snapshot's report is about
    schools = Organisation.objects.filter(pk__in=scope.coach_school_ids,
                                          network_id=network.pk).values("pk")
    return (Person.objects.filter(is_active=True)
            .filter(Q(memberships__role=Role.SCHOOL_LEADER,
                      memberships__organisation_id__in=schools)
                    | Q(memberships__role=Role.NETWORK_ADMIN,
                        memberships__organisation_id=network.pk))
            .exclude(pk=actor.pk).distinct().order_by("full_name"))


def filters_default(scope: Scope) -> Filters:
    start, end = default_period(scope.network)
    return Filters(start=start, end=end)
