"""The library of conversation resources: question stems and protocols by purpose, the
coach's own and the network's shared ones beside the built-in set; adding, changing and
deleting them; and pulling one into the agenda of an upcoming session in one step.

Coaches use the library and keep their own resources; network admins keep the ones the
network shares. Teachers and school leaders do not open it (404)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bettertogether.core.errors import Refused
from bettertogether.core.forms import apply_errors
from bettertogether.menu import selectors as menu
from bettertogether.menu.rules import is_session_coach

from . import resource_selectors as library
from . import resource_services as services
from .models import Purpose
from .resource_forms import AgendaForm, LibraryFilterForm, ResourceForm
from .rules import is_coach


def _sessions_led(request) -> list:
    """The coach's upcoming sessions (not those they attend): where a resource can go."""
    if not is_coach.test(request.user):
        return []
    return [s for s in menu.sessions_for(actor=request.user)["upcoming"]
            if is_session_coach.test(request.user, s)]


def _library_url(purpose: str = "") -> str:
    url = reverse("goals:resources")
    return f"{url}?{urlencode({'purpose': purpose})}" if purpose else url


def _library_page(request, *, purpose: str, agenda_error=None, status=200):
    groups = library.library_for(actor=request.user, purpose=purpose)
    return render(request, "goals/resources.html", {
        "filter_form": LibraryFilterForm(initial={"purpose": purpose}),
        "groups": groups, "purpose": purpose, "sessions": _sessions_led(request),
        "agenda_error": agenda_error,
    }, status=status)


def resource_library(request):
    form = LibraryFilterForm(request.GET or None)
    # An unknown purpose is not an error to show: the page shows every purpose instead.
    purpose = form.cleaned_data["purpose"] if form.is_valid() else ""
    return _library_page(request, purpose=purpose)


def _form_page(request, *, form, resource=None):
    return render(request, "goals/resource_form.html", {"form": form, "resource": resource},
                  status=422 if form.errors else 200)


def resource_new(request):
    """A resource of the coach's own, or one an admin shares with their network."""
    if not request.user.has_perm("goals.use_library"):
        raise Http404
    purpose = request.GET.get("purpose", "")
    form = ResourceForm(
        request.POST or None, networks=library.share_networks_for(actor=request.user),
        can_keep_own=is_coach.test(request.user),  # goals.keep_own_resources
        initial={"purpose": purpose} if purpose in Purpose.values else {})
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_create(actor=request.user,
                                                **form.service_arguments())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Added “%(title)s” to the library.") % {
                "title": resource.title})
            return redirect(_library_url(resource.purpose))
    return _form_page(request, form=form)


def _changeable(request, pk):
    resource = library.resource_get_for(actor=request.user, pk=pk)
    if not request.user.has_perm("goals.change_resource", resource):
        if resource.network_id is None and resource.owner_id is None:
            raise Refused(_("Built-in resources are shared by every network, so nobody "
                            "changes or deletes them. Add one of your own instead."))
        raise PermissionDenied  # in the library, but the network's
    return resource


def resource_edit(request, pk):
    resource = _changeable(request, pk)
    form = ResourceForm(request.POST or None, new=False, initial={
        "title": resource.title, "kind": resource.kind, "purpose": resource.purpose,
        "body": resource.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_update(actor=request.user, resource=resource,
                                     **form.service_arguments())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved “%(title)s”.") % {"title": resource.title})
            return redirect(_library_url(resource.purpose))
    return _form_page(request, form=form, resource=resource)


@require_POST
def resource_delete(request, pk):
    resource = _changeable(request, pk)
    services.resource_delete(actor=request.user, resource=resource)
    messages.success(request, _("Deleted “%(title)s”. Plans and agendas it went into keep "
                                "their copy.") % {"title": resource.title})
    return redirect("goals:resources")


@require_POST
def resource_to_session(request, pk):
    """Append a resource to the agenda of one of the coach's upcoming sessions."""
    resource = library.resource_get_for(actor=request.user, pk=pk)
    if not is_coach.test(request.user):
        raise Http404
    purpose = request.POST.get("purpose", "")
    purpose = purpose if purpose in Purpose.values else ""
    form = AgendaForm(request.POST, sessions=_sessions_led(request))
    if form.is_valid():
        session = form.cleaned_data["session"]
        try:
            services.session_agenda_add_resource(actor=request.user, session=session,
                                                 resource=resource)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("“%(title)s” is in the agenda of %(session)s.") % {
                "title": resource.title, "session": session.title})
            return redirect(_library_url(purpose))
    message = " ".join(form.errors.get("session", []) or form.non_field_errors())
    return _library_page(request, purpose=purpose, agenda_error=(resource.pk, message),
                         status=422)
