"""Sessions: the list, one session, scheduling, changing, cancelling, logging what happened
(the log form opens prefilled), and the personal calendar feed."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from bettertogether.accounts.models import token_digest
from bettertogether.coaching import selectors as coaching
from bettertogether.coaching.forms import InteractionForm
from bettertogether.core.forms import apply_errors
from bettertogether.directory.scope import scope_for

from . import rules, selectors, services
from . import sessions as session_services
from .forms import SessionForm
from .ical import calendar_for
from .models import CalendarFeed


def session_list(request):
    if not rules.may_open_sessions.test(request.user):  # menu.view_sessions
        raise Http404
    is_coach = rules.is_coach.test(request.user)
    found = selectors.sessions_for(actor=request.user)
    return render(request, "menu/sessions.html", {
        **found, "is_coach": is_coach,
        "to_log": list(selectors.sessions_to_log(actor=request.user)[:10])
        if is_coach else [],
    })


def session_detail(request, pk):
    session = selectors.session_get_for(actor=request.user, pk=pk)
    return render(request, "menu/session.html", {
        "session": session,
        "is_coach": request.user.has_perm("menu.change_session", session),
        "has_started": session.starts_at <= timezone.now(),
    })


def _local(moment):
    return timezone.localtime(moment).replace(second=0, microsecond=0)


def session_new(request):
    if not request.user.has_perm("menu.schedule_session"):
        raise Http404
    scope = scope_for(request.user)
    kinds = list(coaching.support_kinds_for(network_id=scope.primary_network_id))
    teachers = coaching.coach_teachers(actor=request.user)
    initial = {}
    preselect = request.GET.get("teacher", "")
    if preselect.isdigit():
        initial["teachers"] = [int(preselect)]
    form = SessionForm(request.POST or None, teachers=teachers, kinds=kinds, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = session_services.session_schedule(
                actor=request.user, teachers=list(data["teachers"]), kind=data["kind"],
                title=data["title"], starts_at=data["starts_at"], ends_at=data["ends_at"],
                place=data["place"], location=data["location"], agenda=data["agenda"],
                idempotency_key=data["idempotency_key"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Scheduled. The teachers have been told."))
            return redirect("menu:session", pk=session.pk)
    return render(request, "menu/session_form.html", {"form": form, "session": None},
                  status=422 if form.errors else 200)


def session_edit(request, pk):
    session = selectors.session_get_for(actor=request.user, pk=pk)
    if not request.user.has_perm("menu.change_session", session):
        raise PermissionDenied
    if session.interaction_id is not None or session.is_cancelled:
        messages.info(request, _("This session is logged or cancelled, so it stays as it is."))
        return redirect("menu:session", pk=session.pk)
    form = SessionForm(request.POST or None, new=False, initial={
        "title": session.title, "starts_at": _local(session.starts_at),
        "ends_at": _local(session.ends_at).time(), "place": session.place,
        "location": session.location, "agenda": session.agenda,
    })
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session_services.session_update(
                actor=request.user, session=session, title=data["title"],
                starts_at=data["starts_at"], ends_at=data["ends_at"], place=data["place"],
                location=data["location"], agenda=data["agenda"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Saved. Calendars will pick up the change."))
            return redirect("menu:session", pk=session.pk)
    return render(request, "menu/session_form.html", {"form": form, "session": session},
                  status=422 if form.errors else 200)


@require_POST
def session_cancel(request, pk):
    session = selectors.session_get_for(actor=request.user, pk=pk)
    if not request.user.has_perm("menu.change_session", session):
        raise PermissionDenied
    try:
        session_services.session_cancel(actor=request.user, session=session)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Cancelled. The teachers have been told."))
    return redirect("menu:session", pk=session.pk)


def session_log(request, pk):
    """After the session: the coach's log form, prefilled from it."""
    session = selectors.session_get_for(actor=request.user, pk=pk)
    if not request.user.has_perm("menu.change_session", session):
        raise PermissionDenied
    if session.interaction_id is not None:
        messages.info(request, _("This session is logged already."))
        return redirect("menu:session", pk=session.pk)
    scope = scope_for(request.user)
    kinds = list(coaching.support_kinds_for(network_id=scope.primary_network_id))
    if session.kind not in kinds:
        kinds.append(session.kind)
    attendee_ids = [person.pk for person in session.attendees.all()]
    teachers = coaching.coach_teachers(actor=request.user, also=attendee_ids)
    if request.method == "POST":
        form = InteractionForm(request.POST, kinds=kinds, teachers=teachers)
        if form.is_valid():
            try:
                session_services.session_log(
                    actor=request.user, session=session,
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    **form.service_arguments())
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("Logged %(title)s.") % {"title": session.title})
                return redirect("menu:session", pk=session.pk)
    else:
        form = InteractionForm(initial={
            "teachers": attendee_ids, "kind": session.kind_id, "minutes": session.minutes,
            "occurred_at": _local(session.starts_at), "place": session.place,
        }, kinds=kinds, teachers=teachers)
    return render(request, "menu/session_log.html", {"form": form, "session": session},
                  status=422 if form.errors else 200)


# --- the calendar feed --------------------------------------------------------------------


def calendar_settings(request):
    """The person's secret calendar address: make one, make a new one, or turn it off."""
    feed = CalendarFeed.objects.filter(person=request.user).first()
    token = request.session.pop("calendar_token", None)
    address = (settings.SITE_URL + reverse("menu:feed", args=[token])) if token else None
    return render(request, "menu/calendar.html", {"feed": feed, "address": address})


@require_POST
def calendar_reset(request):
    token = services.calendar_feed_reset(actor=request.user)
    # Shown once, on the next page: only a digest is kept.
    request.session["calendar_token"] = token
    messages.success(request, _("Your calendar address is ready. Copy it now: it is shown "
                                "only once."))
    return redirect("menu:calendar")


@require_POST
def calendar_revoke(request):
    services.calendar_feed_revoke(actor=request.user)
    messages.success(request, _("Your calendar address is turned off."))
    return redirect("menu:calendar")


@login_not_required
@require_GET
@never_cache
def feed(request, token):
    """The calendar itself, for calendar clients: the secret address is the credential."""
    found = (CalendarFeed.objects.select_related("person")
             .filter(token_digest=token_digest(token), person__is_active=True).first())
    if found is None:
        raise Http404
    now = timezone.now()
    if found.last_fetched_at is None or (now - found.last_fetched_at).total_seconds() > 300:
        CalendarFeed.objects.filter(pk=found.pk).update(last_fetched_at=now)
    response = HttpResponse(calendar_for(person=found.person, now=now),
                            content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="better-together.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
