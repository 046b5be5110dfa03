"""The actor's notifications, opening one, and how they hear about them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from bettertogether.core.forms import apply_errors

from . import selectors, services
from .forms import PreferenceForm
from .models import Delivery

PAGE_SIZE = 30
SAVED = {
    Delivery.IMMEDIATE: _("Saved: you get an email for each notification as it happens."),
    Delivery.DIGEST: _("Saved: you get one email each morning listing everything new."),
    Delivery.NONE: _("Saved: no more notification emails. They still appear here."),
}


def _site_path(url: str) -> str | None:
    """`url` when it is a path of this site; None for anything that could lead elsewhere."""
    if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url
    return None


def notification_list(request):
    notifications = selectors.notifications_for(actor=request.user)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {
        "page": page,
        "unread": selectors.unread_count(actor=request.user),
    })


@require_POST
def mark_all_read(request):
    count = services.notifications_mark_read(actor=request.user, ids=None)
    messages.success(request, ngettext(
        "Marked %(count)s notification as read.", "Marked %(count)s notifications as read.",
        count) % {"count": count})
    return redirect("notifications:list")


def notification_open(request, pk):
    """Mark one notification read and follow its link (only ever to a page of this site)."""
    notification = selectors.notification_get_for(actor=request.user, pk=pk)
    services.notifications_mark_read(actor=request.user, ids=[notification.pk])
    return redirect(_site_path(notification.url) or "notifications:list")


def notification_settings(request):
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            try:
                services.notification_preference_update(
                    actor=request.user, delivery=form.cleaned_data["delivery"])
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, SAVED[form.cleaned_data["delivery"]])
                return redirect("notifications:settings")
    else:
        form = PreferenceForm(initial={"delivery": selectors.delivery_for(person=request.user)})
    return render(request, "notifications/settings.html", {"form": form},
                  status=422 if form.errors else 200)
