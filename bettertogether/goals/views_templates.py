"""Cycle templates as a network's admins keep them: the built-in ones and the network's
own, making a copy, and editing a copy's name, offer and stages (add, change, move, delete).

Every page lives under the network (`/goals/templates/<network>/…`): for anyone but its
admins it does not exist. A built-in template opens read-only, with its "Make a copy".
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bettertogether.core.errors import Refused
from bettertogether.core.forms import apply_errors

from . import template_selectors as selectors
from . import template_services as services
from .template_forms import TemplateCopyForm, TemplateForm, TemplateStageForm


def template_list(request, network_pk, copy_error=None, status=200):
    """The built-in templates and the network's own, each with a "Make a copy" form."""
    network = selectors.network_for_templates(actor=request.user, pk=network_pk)
    shelf = selectors.templates_of_network(network=network)
    taken = {t.name for t in shelf["own"]}
    for template in shelf["built_in"] + shelf["own"]:
        template.copy_name = selectors.copy_name(template=template, network=network,
                                                 taken=taken)
        if copy_error is not None and copy_error[0] == template.pk:
            template.copy_name = copy_error[1].data.get("name", "")
            template.copy_errors = copy_error[1].errors.get("name", [])
    return render(request, "goals/templates.html", {
        "network": network, "built_in": shelf["built_in"], "own": shelf["own"],
        "copy_error": copy_error,
    }, status=status)


@require_POST
def template_copy(request, network_pk, pk):
    network = selectors.network_for_templates(actor=request.user, pk=network_pk)
    template = selectors.template_get_for(network=network, pk=pk)
    form = TemplateCopyForm(request.POST)
    if form.is_valid():
        try:
            copy = services.template_copy(actor=request.user, template=template,
                                          network=network, name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your copy “%(name)s” is ready: change it here. "
                                        "Coaches are offered it from now on.") % {
                                            "name": copy.name})
            return redirect("goals:template", network_pk=network.pk, pk=copy.pk)
    return template_list(request, network_pk, copy_error=(template.pk, form), status=422)


def _template(request, network_pk, pk):
    network = selectors.network_for_templates(actor=request.user, pk=network_pk)
    return network, selectors.template_get_for(network=network, pk=pk)


def _own_template(request, network_pk, pk):
    network, template = _template(request, network_pk, pk)
    if not request.user.has_perm("goals.change_template", template):
        if template.network_id is not None:
            raise PermissionDenied  # the network's own, and the actor is not its admin
        raise Refused(_("Built-in cycle templates are shared by every network, so nobody "
                        "changes them. Make a copy for your network and change that."))
    return network, template


def _detail_page(request, *, network, template, forms=None, status=200):
    can_change = request.user.has_perm("goals.change_template", template)
    stages = selectors.stages_of_template(template=template)
    template.copy_name = selectors.copy_name(template=template, network=network,
                                             taken={template.name})
    forms = forms or {}
    if can_change:
        forms.setdefault("form", TemplateForm(initial={
            "name": template.name, "description": template.description,
            "is_active": template.is_active}))
        forms.setdefault("stage_form", TemplateStageForm(
            prefix="stage", places=len(stages) + 1, initial={"expected_days": 7}))
    return render(request, "goals/template.html", {
        "network": network, "template": template, "stages": stages,
        "can_change": can_change, "total_days": sum(s.expected_days for s in stages),
        "running": selectors.running_cycles_of(template=template) if can_change else 0,
        **forms,
    }, status=status)


def template_detail(request, network_pk, pk):
    """One template with its stages; the network's own is changed here."""
    if request.method != "POST":
        network, template = _template(request, network_pk, pk)
        return _detail_page(request, network=network, template=template)
    network, template = _own_template(request, network_pk, pk)
    form = TemplateForm(request.POST)
    if form.is_valid():
        try:
            services.template_update(actor=request.user, template=template,
                                     **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved “%(name)s”.") % {"name": template.name})
            return redirect("goals:template", network_pk=network.pk, pk=template.pk)
    return _detail_page(request, network=network, template=template, forms={"form": form},
                        status=422)


@require_POST
def template_stage_new(request, network_pk, pk):
    network, template = _own_template(request, network_pk, pk)
    places = len(selectors.stages_of_template(template=template)) + 1
    form = TemplateStageForm(request.POST, prefix="stage", places=places)
    if form.is_valid():
        try:
            stage = services.template_stage_save(actor=request.user, template=template,
                                                 **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Added the stage %(name)s.") % {"name": stage.name})
            return redirect("goals:template", network_pk=network.pk, pk=template.pk)
    return _detail_page(request, network=network, template=template,
                        forms={"stage_form": form}, status=422)


def template_stage_edit(request, network_pk, pk, stage_pk):
    network, template = _own_template(request, network_pk, pk)
    stage = selectors.template_stage_get_for(template=template, pk=stage_pk)
    places = len(selectors.stages_of_template(template=template))
    form = TemplateStageForm(request.POST or None, places=places, initial={
        "name": stage.name, "purpose": stage.purpose, "guidance": stage.guidance,
        "expected_days": stage.expected_days, "collects_evidence": stage.collects_evidence,
        "position": stage.position})
    if request.method == "POST" and form.is_valid():
        try:
            services.template_stage_save(actor=request.user, template=template, stage=stage,
                                         **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved the stage %(name)s.") % {"name": stage.name})
            return redirect("goals:template", network_pk=network.pk, pk=template.pk)
    return render(request, "goals/template_stage.html", {
        "network": network, "template": template, "stage": stage, "form": form,
    }, status=422 if form.errors else 200)


@require_POST
def template_stage_delete(request, network_pk, pk, stage_pk):
    network, template = _own_template(request, network_pk, pk)
    stage = selectors.template_stage_get_for(template=template, pk=stage_pk)
    try:
        services.template_stage_delete(actor=request.user, stage=stage)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Deleted the stage %(name)s.") % {"name": stage.name})
    return redirect("goals:template", network_pk=network.pk, pk=template.pk)


@require_POST
def template_stage_move(request, network_pk, pk, stage_pk):
    network, template = _own_template(request, network_pk, pk)
    stage = selectors.template_stage_get_for(template=template, pk=stage_pk)
    try:
        services.template_stage_move(actor=request.user, stage=stage,
                                     direction=request.POST.get("direction", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("goals:template", network_pk=network.pk, pk=template.pk)
