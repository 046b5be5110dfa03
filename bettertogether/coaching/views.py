"""The coach's log: quick log, the full log, a teacher as their coach sees them, and the
teacher's own view of their coaching."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bettertogether.core.forms import apply_errors
from bettertogether.core.redirects import next_path
from bettertogether.directory import calendar
from bettertogether.directory import selectors as directory
from bettertogether.directory.scope import scope_for

from . import selectors, services
from .facts import teacher_sections
from .forms import (
    CaseloadFilterForm,
    InteractionForm,
    KindFilterForm,
    PersonalNoteForm,
    RelationshipRulesForm,
)
from .rules import administers_network, is_teacher

RECENT = 10


def _require_coach(request):
    scope = scope_for(request.user)
    if not request.user.has_perm("coaching.log_interaction"):
        raise Http404
    return scope


def _week_start(zone) -> datetime.datetime:
    today = calendar.today_in(zone)
    return calendar.midnight(today - datetime.timedelta(days=today.weekday()), zone)


def _logged_message(interaction, teachers) -> str:
    names = [t.full_name for t in teachers]
    if not names:
        return _("Logged: %(kind)s (%(minutes)s min)") % {
            "kind": interaction.kind.name, "minutes": interaction.minutes}
    together = names[0] if len(names) == 1 else _("%(some)s and %(last)s") % {
        "some": ", ".join(names[:-1]), "last": names[-1]}
    return _("Logged: %(kind)s with %(names)s (%(minutes)s min)") % {
        "kind": interaction.kind.name, "names": together, "minutes": interaction.minutes}


def log(request):
    """The quick log. A small favour takes three fields and a few seconds."""
    scope = _require_coach(request)
    zone = timezone.get_current_timezone()
    kinds = list(selectors.support_kinds_for(network_id=scope.primary_network_id))
    teachers = selectors.coach_teachers(actor=request.user)
    if request.method == "POST":
        form = InteractionForm(request.POST, kinds=kinds, teachers=teachers)
        if form.is_valid():
            arguments = form.service_arguments()
            try:
                interaction = services.interaction_log(
                    actor=request.user, idempotency_key=form.cleaned_data["idempotency_key"],
                    **arguments)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _logged_message(interaction, arguments["teachers"]))
                return redirect(next_path(request) or reverse("coaching:log"))
    else:
        initial = {"occurred_at": timezone.localtime(timezone=zone).replace(second=0,
                                                                            microsecond=0)}
        preselect = request.GET.get("teacher", "")
        if preselect.isdigit():
            initial["teachers"] = [int(preselect)]
        form = InteractionForm(initial=initial, kinds=kinds, teachers=teachers)
    recent = list(selectors.coach_log(actor=request.user)[:RECENT])
    return render(request, "coaching/log.html", {
        "form": form,
        "recent": recent,
        "week": selectors.minutes_split(actor=request.user, since=_week_start(zone)),
        "next": next_path(request) or "",
    }, status=422 if form.errors else 200)


def my_log(request):
    scope = _require_coach(request)
    kinds = list(selectors.support_kinds_for(network_id=scope.primary_network_id))
    form = KindFilterForm(request.GET or None, kinds=kinds)
    kind_id = form.cleaned_data.get("kind") if form.is_valid() else None
    entries = selectors.coach_log(actor=request.user, kind_id=kind_id)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = urlencode({"kind": kind_id}) if kind_id else ""
    return render(request, "coaching/my_log.html", {"form": form, "page": page, "query": query})


def entry_edit(request, pk):
    scope = _require_coach(request)
    zone = timezone.get_current_timezone()
    interaction = selectors.interaction_get_for(actor=request.user, pk=pk)
    kinds = list(selectors.support_kinds_for(network_id=scope.primary_network_id))
    if interaction.kind not in kinds:
        kinds.append(interaction.kind)  # a kind switched off since it was logged
    # The entry's teachers stay choosable even if they left the caseload since.
    teacher_ids = [t.pk for t in interaction.teachers.all()]
    teachers = selectors.coach_teachers(actor=request.user, also=teacher_ids)
    if request.method == "POST":
        form = InteractionForm(request.POST, kinds=kinds, teachers=teachers,
                               with_key=False)
        if form.is_valid():
            arguments = form.service_arguments()
            arguments["minutes"] = arguments["minutes"] or arguments["kind"].default_minutes
            arguments["occurred_at"] = arguments["occurred_at"] or interaction.occurred_at
            try:
                services.interaction_update(actor=request.user, interaction=interaction,
                                            **arguments)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Saved your changes."))
                return redirect(next_path(request) or reverse("coaching:my_log"))
    else:
        form = InteractionForm(initial={
            "teachers": teacher_ids,
            "kind": interaction.kind_id,
            "minutes": interaction.minutes,
            "occurred_at": timezone.localtime(interaction.occurred_at, timezone=zone),
            "place": interaction.place,
            "shared_note": interaction.shared_note,
            "private_note": interaction.private_note,
        }, kinds=kinds, teachers=teachers, with_key=False)
    return render(request, "coaching/entry_edit.html", {
        "form": form, "interaction": interaction, "next": next_path(request) or "",
    }, status=422 if form.errors else 200)


@require_POST
def entry_delete(request, pk):
    _require_coach(request)
    interaction = selectors.interaction_get_for(actor=request.user, pk=pk)
    if not request.user.has_perm("coaching.edit_interaction", interaction):
        raise PermissionDenied
    services.interaction_delete(actor=request.user, interaction=interaction)
    messages.success(request, _("Deleted the entry."))
    return redirect(next_path(request) or reverse("coaching:my_log"))


def teacher(request, pk, note_form=None):
    """A teacher as their coach sees them: about, personal notes, the timeline."""
    _require_coach(request)
    shown = selectors.teacher_get_for_coach(actor=request.user, pk=pk)
    here = reverse("coaching:teacher", args=[shown.pk])
    return render(request, "coaching/teacher.html", {
        "person": shown,
        "notes": selectors.personal_notes_for(actor=request.user, teacher=shown),
        "note_form": note_form or PersonalNoteForm(),
        "timeline": selectors.timeline_for(actor=request.user, teacher=shown),
        "timeline_limit": selectors.TIMELINE_LIMIT,
        "sections": teacher_sections(actor=request.user, teacher=shown),
        "log_url": reverse("coaching:log") + "?" + urlencode({"teacher": shown.pk,
                                                              "next": here}),
    }, status=422 if note_form is not None and note_form.errors else 200)


@require_POST
def note_add(request, pk):
    _require_coach(request)
    shown = selectors.teacher_get_for_coach(actor=request.user, pk=pk)
    form = PersonalNoteForm(request.POST)
    if form.is_valid():
        try:
            services.personal_note_add(actor=request.user, teacher=shown,
                                       text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Kept your note. Only you see it."))
            return redirect("coaching:teacher", pk=shown.pk)
    return teacher(request, pk, note_form=form)


@require_POST
def note_delete(request, pk, note_pk):
    _require_coach(request)
    shown = selectors.teacher_get_for_coach(actor=request.user, pk=pk)
    note = selectors.personal_note_get_for(actor=request.user, teacher=shown, pk=note_pk)
    services.personal_note_delete(actor=request.user, note=note)
    messages.success(request, _("Deleted the note."))
    return redirect("coaching:teacher", pk=shown.pk)


def mine(request):
    """The teacher's own view: their coaches, and what they did together (shared notes)."""
    if not is_teacher.test(request.user):  # coaching.view_own_coaching
        raise Http404
    return render(request, "coaching/mine.html", {
        "coaches": selectors.my_coaches(actor=request.user),
        "timeline": selectors.timeline_for(actor=request.user, teacher=request.user),
        "timeline_limit": selectors.TIMELINE_LIMIT,
    })


def _relative(moment: datetime.datetime | None, now: datetime.datetime) -> str:
    if moment is None:
        return _("Never")
    if now - moment < datetime.timedelta(minutes=1):
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(moment, now, depth=1)}


CASELOAD_PAGE_SIZE = 50
NUDGES_SHOWN = 10


def caseload(request):
    """Every teacher the coach works with, those who need attention first."""
    scope = _require_coach(request)
    year = calendar.current_school_year(network_id=scope.primary_network_id)
    choices = selectors.caseload_filter_choices(actor=request.user)
    form = CaseloadFilterForm(request.GET or None, **choices)
    filters = form.cleaned_data if form.is_valid() else {}
    now = timezone.now()
    rows = selectors.caseload_rows(actor=request.user, school_year=year, filters=filters,
                                   now=now, with_labels=False)
    here = request.get_full_path()
    log_url = reverse("coaching:log")
    # The menu app serves requests; the caseload links to it by name only.
    requests_url = reverse("menu:inbox")

    def shown(row):
        return {
            "row": row,
            "teacher_url": (reverse("coaching:teacher", args=[row.teacher_id])
                            if row.can_open else ""),
            "last_label": _relative(row.last_contact, now),
            "log_url": log_url + "?" + urlencode({"teacher": row.teacher_id, "next": here}),
            "requests_url": requests_url + "?" + urlencode({"teacher": row.teacher_id}),
        }

    # Everyone is sorted (those who need attention first); only a page of them is drawn.
    page = Paginator(rows, CASELOAD_PAGE_SIZE).get_page(request.GET.get("page"))
    nudged = [row for row in rows if row.needs_nudge]
    query = request.GET.copy()
    query.pop("page", None)
    rules = selectors.relationship_rules_for(network_id=year.network_id if year else None)
    return render(request, "coaching/caseload.html", {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "rows": [shown(row) for row in selectors.with_teaching_labels(list(page.object_list))],
        "total": len(rows),
        "nudged": [shown(row) for row in nudged[:NUDGES_SHOWN]],
        "nudged_more": max(len(nudged) - NUDGES_SHOWN, 0),
        "rules": rules,
        "school_year": year,
        "filtered": any(filters.values()) if filters else False,
    })


def relationship_rules(request, pk):
    """A network admin tunes how stages are read and when coaches are nudged."""
    network = directory.organisation_get_for(actor=request.user, pk=pk)
    if not administers_network.test(request.user, network):  # coaching.tune_relationship_rules
        raise Http404
    rules = selectors.relationship_rules_for(network_id=network.pk)
    if request.method == "POST":
        form = RelationshipRulesForm(request.POST)
        if form.is_valid():
            try:
                services.relationship_rules_update(actor=request.user, network=network,
                                                   **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Saved the relationship rules."))
                return redirect("directory:organisation", pk=network.pk)
    else:
        form = RelationshipRulesForm(initial={
            "trusting_min_contacts": rules.trusting_min_contacts,
            "trusting_min_weeks": rules.trusting_min_weeks,
            "nudge_after_days": rules.nudge_after_days,
        })
    return render(request, "coaching/relationship_rules.html", {
        "form": form, "organisation": network,
    }, status=422 if form.errors else 200)
