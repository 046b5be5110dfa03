"""Cycles: starting one on a goal, the cycle page with its stages, a stage's plan and what
happened, logging a contact for a stage, reflections, private notes, and closing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bettertogether.coaching import selectors as coaching
from bettertogether.coaching.forms import InteractionForm
from bettertogether.core.forms import apply_errors
from bettertogether.directory.scope import scope_for

from . import cycles as cycle_services
from . import rules, selectors
from .forms import CycleCloseForm, CycleStartForm, PrivateNotesForm, ReflectionForm, StageForm
from .views_evidence import evidence_context


@require_POST
def cycle_start(request, pk):
    from .views import goal_detail

    goal = selectors.goal_get_for(actor=request.user, pk=pk)
    if not rules.is_its_coach.test(request.user, goal):  # goals.start_cycle
        raise PermissionDenied
    form = CycleStartForm(request.POST,
                          templates=list(selectors.templates_for(network_id=goal.network_id)))
    if form.is_valid():
        data = form.cleaned_data
        try:
            cycle = cycle_services.cycle_start(
                actor=request.user, goal=goal, template=data["template"],
                started_on=data["started_on"], idempotency_key=data["idempotency_key"])
        except cycle_services.CycleUnderWay as error:
            # A second tab, or a page left open: the coach gets the cycle already started.
            messages.warning(request, _("This goal already has a cycle under way, so no "
                                        "second one was started. Here it is."))
            return redirect("goals:cycle", pk=error.cycle.pk)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The cycle has started: first stage, %(name)s.") % {
                "name": cycle.stages.order_by("position").first().name})
            return redirect("goals:cycle", pk=cycle.pk)
    return goal_detail(request, pk, cycle_form=form, status=422)


def cycle_detail(request, pk, forms=None, status=200):
    cycle = selectors.cycle_get_for(actor=request.user, pk=pk)
    is_coach = rules.is_its_coach.test(request.user, cycle)
    is_teacher = rules.is_one_of_its_teachers.test(request.user, cycle)
    forms = forms or {}
    if is_coach:
        forms.setdefault("notes_form", PrivateNotesForm(
            initial={"private_notes": cycle.private_notes}))
        if cycle.is_active:
            forms.setdefault("close_form", CycleCloseForm())
    if is_teacher:
        forms.setdefault("reflection_form", ReflectionForm(
            initial={"reflection": cycle.teacher_reflection}))
    stages = selectors.stages_of(actor=request.user, cycle=cycle)
    return render(request, "goals/cycle.html", {
        "cycle": cycle, "goal": cycle.goal, "stages": stages, "is_coach": is_coach,
        "is_teacher": is_teacher, "done": sum(1 for row in stages if row.stage.completed_on),
        **evidence_context(actor=request.user, cycle=cycle, forms=forms),
        **forms,
    }, status=status)


def _own_cycle(request, pk):
    cycle = selectors.cycle_get_for(actor=request.user, pk=pk)
    if not rules.is_its_coach.test(request.user, cycle):
        raise PermissionDenied
    return cycle


def stage_detail(request, pk, stage_pk):
    """A stage: its guidance, what we plan and what happened, and resources to pull in."""
    cycle = selectors.cycle_get_for(actor=request.user, pk=pk)
    stage = selectors.stage_get_for(actor=request.user, cycle=cycle, pk=stage_pk)
    is_coach = rules.is_its_coach.test(request.user, cycle)
    form = StageForm(request.POST or None, is_coach=is_coach, initial={
        "plan": stage.plan, "happened": stage.happened, "due_on": stage.due_on})
    if request.method == "POST" and form.is_valid():
        try:
            cycle_services.stage_update(actor=request.user, stage=stage, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": stage.name})
            return redirect("goals:cycle", pk=cycle.pk)
    resources = (list(selectors.resources_for(actor=request.user, purpose=stage.purpose))
                 if is_coach and cycle.is_active else [])
    recent = (selectors.recent_interactions_for_stage(actor=request.user, cycle=cycle)
              if is_coach and cycle.is_active else [])
    return render(request, "goals/stage.html", {
        "cycle": cycle, "stage": stage, "form": form, "is_coach": is_coach,
        "resources": resources, "recent": recent,
    }, status=422 if form.errors else 200)


@require_POST
def stage_complete(request, pk, stage_pk):
    cycle = _own_cycle(request, pk)
    stage = selectors.stage_get_for(actor=request.user, cycle=cycle, pk=stage_pk)
    undo = request.POST.get("undo") == "1"
    try:
        cycle_services.stage_complete(actor=request.user, stage=stage, undo=undo)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(name)s is open again.") % {"name": stage.name} if undo
                         else _("%(name)s is done.") % {"name": stage.name})
    return redirect("goals:cycle", pk=cycle.pk)


@require_POST
def stage_resource(request, pk, stage_pk):
    cycle = _own_cycle(request, pk)
    stage = selectors.stage_get_for(actor=request.user, cycle=cycle, pk=stage_pk)
    resource_pk = request.POST.get("resource", "")
    resource = (selectors.resources_for(actor=request.user).filter(pk=resource_pk).first()
                if resource_pk.isdigit() else None)
    if resource is None:
        messages.error(request, _("Choose a resource from the list."))
        return redirect("goals:stage", pk=cycle.pk, stage_pk=stage.pk)
    try:
        cycle_services.stage_add_resource(actor=request.user, stage=stage, resource=resource)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        messages.success(request, _("Added “%(title)s” to the plan.") % {
            "title": resource.title})
    return redirect("goals:stage", pk=cycle.pk, stage_pk=stage.pk)


@require_POST
def stage_attach(request, pk, stage_pk):
    cycle = _own_cycle(request, pk)
    stage = selectors.stage_get_for(actor=request.user, cycle=cycle, pk=stage_pk)
    chosen = request.POST.get("interaction", "")
    interaction = next((i for i in selectors.recent_interactions_for_stage(
        actor=request.user, cycle=cycle) if str(i.pk) == chosen), None)
    if interaction is None:
        messages.error(request, _("Choose an entry of your log from the list."))
    else:
        try:
            cycle_services.stage_attach(actor=request.user, stage=stage,
                                        interaction=interaction)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Put the entry into %(name)s.") % {
                "name": stage.name})
    return redirect("goals:stage", pk=cycle.pk, stage_pk=stage.pk)


def stage_log(request, pk, stage_pk):
    """Log a contact for a stage: the coach's log form, with the cycle's teachers chosen."""
    cycle = _own_cycle(request, pk)
    stage = selectors.stage_get_for(actor=request.user, cycle=cycle, pk=stage_pk)
    scope = scope_for(request.user)
    kinds = list(coaching.support_kinds_for(network_id=scope.primary_network_id))
    teacher_ids = [t.pk for t in cycle.teachers.all()]
    teachers = coaching.coach_teachers(actor=request.user, also=teacher_ids)
    if request.method == "POST":
        form = InteractionForm(request.POST, kinds=kinds, teachers=teachers)
        if form.is_valid():
            try:
                cycle_services.stage_log(
                    actor=request.user, stage=stage,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    **form.service_arguments())
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Logged in %(name)s.") % {"name": stage.name})
                return redirect("goals:cycle", pk=cycle.pk)
    else:
        form = InteractionForm(initial={"teachers": teacher_ids}, kinds=kinds,
                               teachers=teachers)
    return render(request, "goals/stage_log.html", {"form": form, "cycle": cycle,
                                                    "stage": stage},
                  status=422 if form.errors else 200)


@require_POST
def cycle_reflect(request, pk):
    cycle = selectors.cycle_get_for(actor=request.user, pk=pk)
    if not rules.is_one_of_its_teachers.test(request.user, cycle):
        raise PermissionDenied
    form = ReflectionForm(request.POST)
    if form.is_valid():
        try:
            cycle_services.cycle_reflect(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved your reflection. Your coach sees it."))
            return redirect("goals:cycle", pk=cycle.pk)
    return cycle_detail(request, pk, forms={"reflection_form": form}, status=422)


@require_POST
def cycle_private_notes(request, pk):
    cycle = _own_cycle(request, pk)
    form = PrivateNotesForm(request.POST)
    if form.is_valid():
        cycle_services.cycle_private_notes_update(actor=request.user, cycle=cycle,
                                                  **form.cleaned_data)
        messages.success(request, _("Kept your private notes. Only you see them."))
        return redirect("goals:cycle", pk=cycle.pk)
    return cycle_detail(request, pk, forms={"notes_form": form}, status=422)


@require_POST
def cycle_close(request, pk):
    cycle = _own_cycle(request, pk)
    form = CycleCloseForm(request.POST)
    if form.is_valid():
        try:
            cycle_services.cycle_close(actor=request.user, cycle=cycle, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The cycle is closed. What comes next?"))
            return redirect("goals:cycle", pk=cycle.pk)
    return cycle_detail(request, pk, forms={"close_form": form}, status=422)

