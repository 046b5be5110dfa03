"""Coaching as school leaders and network admins see it: a school's figures (counts and
minutes, never content), and the kinds of support a network offers its coaches."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bettertogether.core.forms import apply_errors
from bettertogether.directory import disclosure

from . import services, summaries
from .forms import SchoolSummaryForm, SupportKindForm
from .summaries import Period


def school_summary(request, pk):
    """What a school's leaders (and its network's admins) see of coaching there."""
    form = SchoolSummaryForm(request.GET or None, periods=Period.choices)
    if not form.is_valid() or not form.cleaned_data["period"]:
        # An unknown period is not an error to show: the page falls back to the year.
        form = SchoolSummaryForm(initial={"period": Period.YEAR}, periods=Period.choices)
        period = Period.YEAR
    else:
        period = form.cleaned_data["period"]
    summary = summaries.school_summary(actor=request.user, pk=pk, period=period)
    return render(request, "coaching/school_summary.html", {
        "form": form, "summary": summary, "school": summary.school,
        "min_teachers": disclosure.MIN_TEACHERS,
    })


def _saved(request, kind, created: bool = False) -> None:
    if created:
        text = _("Added “%(name)s”: coaches can log it now.")
    elif kind.is_active:
        text = _("Saved “%(name)s”.")
    else:
        text = _("Saved “%(name)s”, switched off: coaches no longer choose it, past entries "
                 "keep it.")
    messages.success(request, text % {"name": kind.name})


def support_kinds(request, pk):
    """The built-in kinds, the network's own, and a form to add one."""
    network = summaries.network_get_for_support_kinds(actor=request.user, pk=pk)
    form = SupportKindForm(request.POST or None, initial={"is_contact": True,
                                                         "default_minutes": 15})
    if request.method == "POST" and form.is_valid():
        try:
            kind = services.support_kind_create(actor=request.user, network=network,
                                                **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            _saved(request, kind, created=True)
            return redirect("coaching:support_kinds", pk=network.pk)
    return render(request, "coaching/support_kinds.html", {
        "network": network, "form": form,
        **summaries.support_kinds_of_network(network=network),
    }, status=422 if form.errors else 200)


def support_kind_edit(request, pk, kind_pk):
    network = summaries.network_get_for_support_kinds(actor=request.user, pk=pk)
    kind = summaries.support_kind_get_for(network=network, pk=kind_pk)
    form = SupportKindForm(
        request.POST or None, with_switch=True,
        in_use=summaries.support_kind_in_use(kind=kind),
        initial={"name": kind.name, "default_minutes": kind.default_minutes,
                 "is_contact": kind.is_contact, "is_active": kind.is_active},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.support_kind_update(actor=request.user, kind=kind, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            _saved(request, kind)
            return redirect("coaching:support_kinds", pk=network.pk)
    return render(request, "coaching/support_kind_edit.html", {
        "network": network, "kind": kind, "form": form,
    }, status=422 if form.errors else 200)


@require_POST
def support_kind_switch(request, pk, kind_pk):
    """Switch one of the network's kinds off (or back on) from the list, in one click."""
    network = summaries.network_get_for_support_kinds(actor=request.user, pk=pk)
    kind = summaries.support_kind_get_for(network=network, pk=kind_pk)
    try:
        services.support_kind_update(
            actor=request.user, kind=kind, name=kind.name,
            default_minutes=kind.default_minutes, is_contact=kind.is_contact,
            is_active=not kind.is_active)
    except ValidationError as error:
        # Only when the kind no longer passes the checks (say, a clashing name): edit it.
        messages.error(request, " ".join(error.messages))
        return redirect("coaching:support_kind_edit", pk=network.pk, kind_pk=kind.pk)
    if kind.is_active:
        text = _("Switched on “%(name)s”: coaches can log it again.")
    else:
        text = _("Switched off “%(name)s”: coaches no longer choose it, past entries keep it.")
    messages.success(request, text % {"name": kind.name})
    return redirect("coaching:support_kinds", pk=network.pk)
