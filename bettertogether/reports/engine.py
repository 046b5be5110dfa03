"""The impact reports: one engine for the coach's, the school's and the network's report.

A report is a plain, JSON-ready dictionary — a heading, headline figures, and sections that
are each a **table** (columns and rows) with an optional chart drawn from that same table —
so the page, the PDF, the CSV and Excel exports and a published snapshot all show the same
figures, and every chart has its data table by construction.

What it reads: the tallies of the log (`coaching.tallies`), the log itself where they cannot
answer, the caseloads, and counts of requests, sessions, goals, cycles and stored evidence
growth. `sources.py` decides which tally or table answers each question, `query.py` turns
the scope and the filters into the SQL conditions of every source, and `rows.py` names the
rows that come back. It never selects a note, a reflection, a goal's words, a measure's
name or a file, so no content can reach a report.

Who reads what (`Scope`):
- a coach reads their own work, in full (`audience=OWN`);
- a school's leaders and the network's admins read a school; the admins read the network;
  a coach's published snapshot is built for its leader. For these readers
  (`audience=LEADER`) every figure passes the disclosure gate (`directory.disclosure`):
  small groups and small counts of teachers are hidden, schools too small to describe are
  left out of every total, and student evidence follows the school's minimum group and
  the gate's minimum of cycles.

A report runs a fixed number of queries, whatever the size of the log (the tests hold it
to that with one and with many rows).
"""

from __future__ import annotations

from django.db.models import (
    Q,
)
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from bettertogether.directory import disclosure
from bettertogether.directory.calendar import midnight, zone_of
from bettertogether.directory.models import (
    GradeLevel,
    Organisation,
    Person,
    Role,
    Subject,
    Term,
)

from . import query
from .models import ReportKind
from .report_base import (
    DAY,
    LEADER,
    OWN,
    Filters,
    Report,
    ReportContext,
    ReportNames,
    Scope,
    day_label,
    hours,
)
from .rows import KindName, TermRow, TimeTotals
from .sections_outcomes import (
    funnel_section,
    goal_counts,
    goal_section,
    growth_section,
)
from .sections_teachers import (
    Reach,
    coach_section,
    grade_section,
    population_size,
    reach_section,
    school_populations,
)
from .sections_time import (
    comparison_section,
    term_section,
    time_sections,
)
from .sources import week_rows as read_week_rows

__all__ = ["DAY", "LEADER", "OWN", "Filters", "Scope", "build_report"]


def build_report(*, scope: Scope, filters: Filters) -> Report:
    zone = zone_of(scope.network)
    ctx = ReportContext(scope=scope, filters=filters, zone=zone,
                        since=midnight(filters.start, zone),
                        until=midnight(filters.end + DAY, zone))
    ctx.terms = list(map(TermRow._make, Term.objects.filter(query.terms(ctx))
                         .order_by("starts_on").values_list("pk", "name", "starts_on", "ends_on",
                                                            "school_year__name")))
    ctx.teachers = query.teacher_population(filters)
    names = _names(ctx)
    report = {
        "kind": str(scope.kind), "audience": scope.audience,
        "min_teachers": disclosure.MIN_TEACHERS,
        "title": _title(scope), "period": {"start": filters.start.isoformat(),
                                           "end": filters.end.isoformat(),
                                           "label": f"{day_label(filters.start)} – "
                                                    f"{day_label(filters.end)}"},
        "filters": _filter_labels(ctx, names), "suppressed": "",
        "recounting": _recounting_note(scope), "headline": [], "sections": [],
    }
    narrowed = (ctx.teachers is not None or scope.kind == ReportKind.SCHOOL
                or filters.school_id)
    if scope.suppresses and narrowed:
        # A small school, or a grade or subject of a few teachers: every figure of the
        # report would describe them one by one.
        population = population_size(ctx)
        if not disclosure.group_shown(population):
            report["suppressed"] = (_(
                "Fewer than %(n)s teachers match these filters, so no figure is shown: it "
                "could describe one person. Widen the filters.") if ctx.teachers is not None
                else _("This school has fewer than %(n)s teachers, so no figure is shown: "
                       "it could describe one person.")) % {"n": disclosure.MIN_TEACHERS}
            return report
    if scope.suppresses and scope.kind != ReportKind.SCHOOL:
        # Across schools: those too small to describe are left out of every figure.
        ctx.sizes = disclosure.school_sizes(network_ids=[scope.network.pk],
                                            teachers_of=ctx.teachers)
        ctx.excluded = disclosure.hidden_schools(school_populations(ctx))
    week_rows = read_week_rows(ctx)
    reach = Reach(ctx)
    goals = goal_counts(ctx)
    report["sections"] += time_sections(ctx, names, week_rows)
    report["sections"].append(reach_section(ctx, names, reach))
    report["sections"].append(grade_section(ctx, names, reach))
    if scope.kind != ReportKind.NETWORK:
        report["sections"].append(term_section(ctx, week_rows))
    report["sections"].append(funnel_section(ctx))
    report["sections"].append(goal_section(goals))
    report["sections"].append(growth_section(ctx))
    if scope.kind == ReportKind.NETWORK:
        report["sections"].append(coach_section(ctx, names, reach))
    time = TimeTotals()
    for row in week_rows:
        time.add(row)
    contact_minutes, own_minutes, contacts = time.contact_minutes, time.own_minutes, time.contacts
    report["headline"] = [
        {"label": _("Hours logged"), "value": hours(contact_minutes + own_minutes),
         "detail": _("%(with)s with teachers, %(own)s own time") % {
             "with": _grouped(hours(contact_minutes)), "own": _grouped(hours(own_minutes))}},
        {"label": _("Contacts with teachers"), "value": contacts,
         "detail": _("log entries with at least one teacher")},
        _reached_headline(ctx, reach.totals()),
        {"label": _("Coaching cycles completed"), "value": goals["cycles_completed"],
         "detail": _("%(started)s started in the period") % {
             "started": _grouped(goals["cycles_started"])}},
        {"label": _("Goals met"), "value": goals["goals_met"],
         "detail": _("met or partly met, of %(closed)s goals closed") % {
             "closed": _grouped(goals["goals_closed"])}},
    ]
    if scope.kind != ReportKind.NETWORK:  # the network compares its schools instead
        report["sections"].insert(1, comparison_section(ctx))
    report["sections"] = [section for section in report["sections"] if section]
    return report

def _recounting_note(scope: Scope) -> str:
    """Said while the network's tallies are recounted after its time zone or terms changed:
    until then some weeks, terms and months still count entries where they used to fall."""
    if not scope.recounting:
        return ""
    return _("The network's time zone or terms have just changed, and these figures are being "
             "counted again to match. Until that is done, which usually takes a few minutes, "
             "some contacts may still show in the week, term or month they fell in before.")

def _reached_headline(ctx: ReportContext, totals: dict[str, int]) -> dict:
    """Teachers reached, and how many of the caseloads: counts of teachers, so a leader
    reads each only when the gate shows it."""
    reached, caseload = totals["reached"], totals["caseload"]
    of_caseload = totals["reached_caseload"]
    if ctx.scope.suppresses:
        # Reached splits into the caseload's teachers and the others: a part of 1 to 4
        # hides the part shown, which would give it back.
        outside = reached - of_caseload
        reached, caseload = disclosure.teachers(reached), disclosure.teachers(caseload)
        if caseload is None or disclosure.teachers(outside) is None:
            of_caseload = None
        of_caseload = disclosure.teachers(of_caseload)
    share = disclosure.share_text(of_caseload, caseload)
    return {"label": _("Teachers reached"), "value": reached,
            "detail": _("%(reached)s of %(all)s caseload teachers (%(share)s)") % {
                "reached": _shown(of_caseload), "all": _shown(caseload),
                "share": _shown(share)}}

def _shown(value) -> str:
    """A figure inside a sentence: grouped, or the word a hidden figure reads."""
    if value is disclosure.HIDDEN:
        return disclosure.hidden_word()
    return _grouped(value) if isinstance(value, int) else value

def _grouped(number) -> str:
    """A figure inside a sentence, its thousands grouped as the language groups them."""
    return number_format(number, force_grouping=True)

def _title(scope: Scope) -> str:
    if scope.kind == ReportKind.COACH:
        return _("Coaching impact: %(name)s") % {"name": scope.coach.full_name}
    if scope.kind == ReportKind.SCHOOL:
        return _("Coaching impact: %(name)s") % {"name": scope.school.name}
    return _("Coaching impact across %(name)s") % {"name": scope.network.name}

def _names(ctx: ReportContext) -> ReportNames:
    """Names of the schools, coaches, kinds, grades and subjects a report may print: two
    queries (kinds, schools) plus one for coaches in a network report."""
    from bettertogether.coaching.models import SupportKind

    network_id = ctx.scope.network.pk
    kinds = {pk: KindName(name, is_contact) for pk, name, is_contact in SupportKind.objects.filter(
        Q(network__isnull=True) | Q(network_id=network_id)).values_list("pk", "name",
                                                                          "is_contact")}
    schools = dict(Organisation.objects.filter(network_id=network_id,
                                               kind=Organisation.Kind.SCHOOL)
                   .values_list("pk", "name"))
    coaches, subjects = {}, {}
    if ctx.scope.kind == ReportKind.NETWORK or ctx.filters.coach_id:
        coaches = dict(Person.objects.filter(
            memberships__network_id=network_id, memberships__role=Role.COACH)
            .distinct().values_list("pk", "full_name"))
    grades = dict(GradeLevel.objects.filter(network_id=network_id).values_list("pk", "name"))
    if ctx.filters.subject_id:
        subjects = dict(Subject.objects.filter(network_id=network_id,
                                               pk=ctx.filters.subject_id)
                        .values_list("pk", "name"))
    return ReportNames(kinds=kinds, schools=schools, coaches=coaches, grades=grades,
                       subjects=subjects)

def _filter_labels(ctx: ReportContext, names: ReportNames) -> list[dict]:
    filters, found = ctx.filters, []
    kind = names.kinds.get(filters.kind_id)
    for label, value in ((_("School"), names.schools.get(filters.school_id)),
                         (_("Grade"), names.grades.get(filters.grade_id)),
                         (_("Subject"), names.subjects.get(filters.subject_id)),
                         (_("Coach"), names.coaches.get(filters.coach_id)),
                         (_("Kind of support"), kind.name if kind else None)):
        if value:
            found.append({"label": label, "value": value})
    return found
