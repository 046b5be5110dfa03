"""Frameworks: a network's list with the upload → preview → apply flow, one framework with
how much coaching touched each item, the CSV template, and a coach's tagging of an
interaction or a cycle with standards and indicators."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bettertogether.coaching import selectors as coaching
from bettertogether.core.forms import apply_errors
from bettertogether.core.limits import accepts_upload
from bettertogether.core.redirects import next_path
from bettertogether.directory.rules import is_network_admin

from . import rules
from . import selectors as goals
from .frameworks import selectors, services
from .frameworks.forms import ApplyForm, FrameworkUploadForm, TagForm
from .frameworks.plain_csv import TEMPLATE
from .frameworks.rules import IMPORT_FRAMEWORKS
from .frameworks.structure import MAX_BYTES
from .models import StageInteraction


def _list_page(request, network, *, form=None, result=None, status=200):
    can_import = request.user.has_perm(IMPORT_FRAMEWORKS, network)
    if can_import and form is None:
        form = FrameworkUploadForm()
    return render(request, "goals/frameworks/list.html", {
        "organisation": network, "frameworks": list(selectors.frameworks_of(network=network)),
        "can_import": can_import, "form": form if can_import else None, "result": result,
        "apply_form": ApplyForm(initial={"token": result.token}) if result and result.token
        else None,
    }, status=status)


@accepts_upload(MAX_BYTES)
def framework_list(request, pk):
    """The network's frameworks; for its admins, the upload that previews an import."""
    network = selectors.framework_network_get_for(actor=request.user, pk=pk)
    if request.method != "POST":
        return _list_page(request, network)
    if not request.user.has_perm(IMPORT_FRAMEWORKS, network):
        raise PermissionDenied
    form = FrameworkUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _list_page(request, network, form=form, status=422)
    result = services.framework_preview(actor=request.user, network=network,
                                        upload=form.cleaned_data["file"])
    return _list_page(request, network, form=FrameworkUploadForm(), result=result,
                      status=200 if result.ok else 422)


@require_POST
def framework_apply(request, pk):
    network = selectors.framework_network_get_for(actor=request.user, pk=pk)
    if not request.user.has_perm(IMPORT_FRAMEWORKS, network):
        raise PermissionDenied
    form = ApplyForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("This preview has expired. Upload the file again."))
        result = services.framework_apply(actor=request.user, network=network,
                                          token=form.cleaned_data["token"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("goals:frameworks", pk=network.pk)
    if not result.ok:
        return _list_page(request, network, result=result, status=422)
    if result.summary.changes:
        messages.success(request, _("Imported %(title)s.") % {"title": result.title})
    else:
        messages.success(request, _("%(title)s was up to date: nothing changed.") % {
            "title": result.title})
    return redirect("goals:framework", pk=result.framework.pk)


def framework_detail(request, pk):
    """One framework's standards and indicators, with how much coaching touched each."""
    framework = selectors.framework_get_for(actor=request.user, pk=pk)
    blocks = selectors.framework_coverage(framework=framework)
    rows = [row for block in blocks for row in
            ([block.standard] if block.standard else []) + block.indicators]
    return render(request, "goals/frameworks/detail.html", {
        "framework": framework, "organisation": framework.network, "blocks": blocks,
        "standard_count": sum(1 for block in blocks if block.standard),
        "indicator_count": sum(len(block.indicators) for block in blocks),
        "touched_count": sum(1 for row in rows if row.touched),
    })


def framework_template(request):
    if not is_network_admin.test(request.user):
        raise Http404
    response = HttpResponse(TEMPLATE, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="framework-template.csv"'
    return response


def _back(request, fallback: str) -> str:
    """Where to go after tagging: the page the coach came from, if it is ours."""
    return next_path(request) or fallback


def _tag_page(request, *, form, back, interaction=None, cycle=None, status=200):
    return render(request, "goals/frameworks/tag.html", {
        "form": form, "back": back, "interaction": interaction, "cycle": cycle,
        "has_choices": bool(form.items_by_pk),
    }, status=status)


def interaction_tag(request, interaction_pk):
    """The coach who logged an interaction tags it with what it worked on."""
    interaction = coaching.interaction_get_for(actor=request.user, pk=interaction_pk)
    cycle_id = (StageInteraction.objects.filter(interaction=interaction)
                .values_list("stage__cycle_id", flat=True).first())
    back = _back(request, reverse("goals:cycle", args=[cycle_id]) if cycle_id
                 else reverse("coaching:my_log"))
    form = TagForm(request.POST if request.method == "POST" else None,
                   items=selectors.taggable_items_for(network_id=interaction.network_id),
                   initial={"indicators": [str(pk) for pk in
                                      selectors.interaction_item_ids(interaction=interaction)]})
    if request.method == "POST" and form.is_valid():
        try:
            services.interaction_tag(actor=request.user, interaction=interaction,
                                     items=form.cleaned_data["indicators"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved the standards this contact worked on."))
            return redirect(back)
    return _tag_page(request, form=form, back=back, interaction=interaction,
                     status=422 if form.errors else 200)


def cycle_tag(request, pk):
    """The cycle's coach tags it with the standards and indicators it works toward."""
    cycle = goals.cycle_get_for(actor=request.user, pk=pk)
    if not rules.is_its_coach.test(request.user, cycle):
        raise PermissionDenied
    back = reverse("goals:cycle", args=[cycle.pk])
    form = TagForm(request.POST if request.method == "POST" else None,
                   items=selectors.taggable_items_for(network_id=cycle.network_id),
                   initial={"indicators": [str(i.pk) for i in cycle.indicators.all()]})
    if request.method == "POST" and form.is_valid():
        try:
            services.cycle_tag(actor=request.user, cycle=cycle,
                               items=form.cleaned_data["indicators"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved the standards this cycle works toward."))
            return redirect(back)
    return _tag_page(request, form=form, back=back, cycle=cycle,
                     status=422 if form.errors else 200)
