"""Goals: the list of a coach's or teacher's goals and cycles, one goal, setting and changing
a goal, closing it, and a teacher's own growth goals. Cycles are in `views_cycles.py`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bettertogether.coaching.rules import may_read_school_summary
from bettertogether.core.forms import apply_errors
from bettertogether.directory import calendar, disclosure
from bettertogether.directory import selectors as directory
from bettertogether.directory.scope import scope_for
from bettertogether.menu import selectors as menu
from bettertogether.menu.rules import is_request_coach

from . import rules, selectors, services, summaries
from .forms import CycleStartForm, GoalCloseForm, GoalForm, GrowthGoalForm
from .models import FrameworkItem


def _indicators(scope):
    return (FrameworkItem.objects.filter(framework__network_id__in=scope.network_ids)
            .select_related("framework").only("id", "code", "statement", "framework__title")
            .order_by("framework__title", "position", "pk"))


def goal_list(request):
    """A coach's or teacher's goals and cycles: open first, then what is closed."""
    actor = request.user
    if not rules.may_open_goals.test(actor):  # goals.view_goals
        raise Http404
    is_teacher = rules.is_teacher.test(actor)
    lists = {
        "cycles": list(selectors.cycles_for(actor=actor)),
        "open_goals": list(selectors.goals_for(actor=actor)),
        "closed_goals": list(selectors.goals_for(actor=actor, status="closed")[:20]),
        "closed_cycles": list(selectors.cycles_for(actor=actor, active=False)[:20]),
    }
    for rows in lists.values():
        for row in rows:  # "with": the teachers for the coach, the coach for a teacher
            row.led_by_me = rules.is_its_coach.test(actor, row)
    return render(request, "goals/list.html", {
        **lists, "is_coach": rules.is_coach.test(actor), "is_teacher": is_teacher,
        "growth": list(selectors.growth_goals_of(actor=actor, teacher=actor))
        if is_teacher else [],
    })


def goal_new(request):
    if not rules.is_coach.test(request.user):
        raise Http404
    scope = scope_for(request.user)
    initial = {}
    teacher = request.GET.get("teacher", "")
    if teacher.isdigit():
        initial["teachers"] = [int(teacher)]
    source = None
    request_pk = request.GET.get("request") or request.POST.get("request") or ""
    if request_pk.isdigit():
        source = menu.request_get_for(actor=request.user, pk=int(request_pk))
        if not is_request_coach.test(request.user, source):
            raise Http404
        initial["teachers"] = [source.teacher_id]
    after = request.GET.get("after", "")
    if after.isdigit():
        initial.update(services.goal_next_from(
            goal=selectors.goal_get_for(actor=request.user, pk=int(after))))
    form = GoalForm(request.POST or None, initial=initial,
                    teachers=selectors.coach_teachers_for_goals(actor=request.user),
                    indicators=_indicators(scope))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            goal = services.goal_create(
                actor=request.user, teachers=list(data["teachers"]),
                indicators=list(data.get("indicators") or []), source_request=source,
                idempotency_key=data["idempotency_key"],
                activate="activate" in request.POST, **form.goal_fields())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Goal set. Start a cycle on it when you are ready."))
            return redirect("goals:goal", pk=goal.pk)
    return render(request, "goals/goal_form.html", {"form": form, "goal": None,
                                                    "source": source},
                  status=422 if form.errors else 200)


def goal_detail(request, pk, close_form=None, cycle_form=None, status=200):
    goal = selectors.goal_get_for(actor=request.user, pk=pk)
    is_coach = rules.is_its_coach.test(request.user, goal)
    cycles = list(goal.cycles.select_related("template")
                  .only("id", "title", "status", "started_on", "template__name", "goal_id")
                  .order_by("-started_on", "-id"))
    under_way = next((cycle for cycle in cycles if cycle.is_active), None)
    context = {"goal": goal, "is_coach": is_coach, "cycles": cycles, "under_way": under_way}
    if is_coach and not goal.is_closed:
        if under_way is None or cycle_form is not None:  # one cycle at a time
            context["cycle_form"] = cycle_form or CycleStartForm(
                templates=list(selectors.templates_for(network_id=goal.network_id)),
                initial={"started_on": timezone.localdate()})
        context["close_form"] = close_form or GoalCloseForm()
    return render(request, "goals/goal.html", context, status=status)


def goal_edit(request, pk):
    goal = selectors.goal_get_for(actor=request.user, pk=pk)
    if goal.is_closed:
        messages.info(request, _("This goal is closed. Start a new one from it instead."))
        return redirect("goals:goal", pk=goal.pk)
    is_coach = rules.is_its_coach.test(request.user, goal)
    initial = {name: getattr(goal, name) for name in GoalForm.base_fields
               if hasattr(goal, name) and name not in ("teachers", "indicators")}
    initial["indicators"] = [i.pk for i in goal.indicators.all()]
    form = GoalForm(request.POST or None, initial=initial, new=False, is_coach=is_coach,
                    indicators=_indicators(scope_for(request.user)))
    if request.method == "POST" and form.is_valid():
        extra = ({"indicators": list(form.cleaned_data["indicators"])}
                 if "indicators" in form.cleaned_data else {})
        try:
            services.goal_update(actor=request.user, goal=goal, **extra, **form.goal_fields())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved the goal."))
            return redirect("goals:goal", pk=goal.pk)
    return render(request, "goals/goal_form.html", {"form": form, "goal": goal},
                  status=422 if form.errors else 200)


@require_POST
def goal_activate(request, pk):
    goal = selectors.goal_get_for(actor=request.user, pk=pk)
    if not rules.is_its_coach.test(request.user, goal):
        raise PermissionDenied
    try:
        services.goal_activate(actor=request.user, goal=goal)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The goal is under way."))
    return redirect("goals:goal", pk=goal.pk)


@require_POST
def goal_close(request, pk):
    goal = selectors.goal_get_for(actor=request.user, pk=pk)
    if not rules.is_its_coach.test(request.user, goal):
        raise PermissionDenied
    form = GoalCloseForm(request.POST)
    if form.is_valid():
        try:
            services.goal_close(actor=request.user, goal=goal, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Closed the goal."))
            return redirect("goals:goal", pk=goal.pk)
    return goal_detail(request, pk, close_form=form, status=422)


# --- growth goals ---------------------------------------------------------------------------


def growth_new(request):
    if not rules.is_teacher.test(request.user):
        raise Http404
    form = GrowthGoalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.growth_goal_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Added your growth goal. Your coaches see it."))
            return redirect("goals:list")
    return render(request, "goals/growth_form.html", {"form": form, "growth": None},
                  status=422 if form.errors else 200)


def growth_edit(request, pk):
    growth = selectors.growth_goal_get_for(actor=request.user, pk=pk)
    form = GrowthGoalForm(request.POST or None, new=False, initial={
        "title": growth.title, "description": growth.description, "status": growth.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.growth_goal_update(actor=request.user, goal=growth, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved your growth goal."))
            return redirect("goals:list")
    return render(request, "goals/growth_form.html", {"form": form, "growth": growth},
                  status=422 if form.errors else 200)


def school_summary(request, pk):
    """Goals and cycles in a school, for its leaders and the network's admins: counts."""
    school = directory.organisation_get_for(actor=request.user, pk=pk)
    if not may_read_school_summary.test(request.user, school):
        raise Http404
    year = calendar.current_school_year(network_id=school.network_id)
    return render(request, "goals/school_summary.html", {
        "school": school, "school_year": year,
        "summary": summaries.school_goals_summary(school=school, school_year=year),
        "min_cycles": disclosure.MIN_CYCLES_WITH_EVIDENCE,
        "min_teachers": disclosure.MIN_TEACHERS,
    })
