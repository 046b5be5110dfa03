from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bettertogether.core.forms import apply_errors
from bettertogether.core.limits import accepts_upload

from . import selectors, services
from .forms import RosterUploadForm
from .plain_csv import TEMPLATE
from .upload import MAX_UPLOAD_BYTES


def _require_network_admin(request) -> None:
    if not request.user.has_perm("directory.admin_anything"):  # directory.rules.is_network_admin
        raise Http404


@accepts_upload(MAX_UPLOAD_BYTES)
def imports(request):
    """The network's imports, newest first, and the upload form."""
    _require_network_admin(request)
    networks = selectors.networks_importable_by(actor=request.user)
    form = RosterUploadForm(request.POST or None, request.FILES or None, networks=networks)
    if request.method == "POST" and form.is_valid():
        try:
            run = services.import_run_start(
                actor=request.user, network=form.cleaned_data["network"],
                upload=form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("rostering:import", pk=run.pk)
    page = Paginator(selectors.import_runs_visible_to(actor=request.user), 25).get_page(
        request.GET.get("page"))
    return render(request, "rostering/imports.html", {"form": form, "page": page},
                  status=422 if form.errors else 200)


def import_detail(request, pk):
    run = selectors.import_run_get_for(actor=request.user, pk=pk)
    return render(request, "rostering/import.html", {"run": run})


def import_status(request, pk):
    """The part of the page that follows a run: polled while it runs."""
    run = selectors.import_run_get_for(actor=request.user, pk=pk)
    return render(request, "rostering/_status.html", {"run": run})


@require_POST
def import_apply(request, pk):
    run = selectors.import_run_get_for(actor=request.user, pk=pk)
    try:
        applied = services.import_run_apply(actor=request.user, run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("rostering:import", pk=run.pk)
    return redirect("rostering:import", pk=applied.pk)


@require_POST
def import_discard(request, pk):
    """A preview nobody will apply: its file is deleted now rather than after a day."""
    run = selectors.import_run_get_for(actor=request.user, pk=pk)
    try:
        services.import_run_discard(actor=request.user, run=run)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The preview was discarded and its file deleted."))
    return redirect("rostering:import", pk=run.pk)


def plain_csv_template(request):
    _require_network_admin(request)
    response = HttpResponse(TEMPLATE, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="roster-template.csv"'
    return response
