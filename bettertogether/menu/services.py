"""Writes of the coaching menu: items, requests and their answers.

Each takes the acting person, runs in a transaction, validates, records an activity entry
(the item's title, never a note) and tells the other person through a notification whose
title is built from metadata only. Sessions are in `sessions.py`.
"""

from __future__ import annotations

import datetime
import secrets
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bettertogether.accounts.models import token_digest
from bettertogether.activity.services import activity_record
from bettertogether.coaching.models import Place, SupportKind
from bettertogether.directory.localisation import in_organisation
from bettertogether.directory.models import Membership, Organisation, Person, Role
from bettertogether.directory.scope import scope_for
from bettertogether.notifications.models import Notification
from bettertogether.notifications.services import notification_send

from . import rules
from .models import (
    OPEN_STATUSES,
    CalendarFeed,
    CoachingSession,
    MenuItem,
    RequestStatus,
    SupportRequest,
)

MAX_MINUTES = 8 * 60
# A coach may put a session that happened earlier today in the calendar, to log it; an
# answer to a teacher's request is for a time ahead (or the minutes already running, as
# the teacher walks in), never for one that has passed.
SCHEDULE_GRACE = datetime.timedelta(hours=12)
ANSWER_GRACE = datetime.timedelta(minutes=15)


# --- menu items ---------------------------------------------------------------------------


def _item_owner(actor, network: Organisation | None) -> tuple[Organisation, Person | None]:
    """Where a new item goes: the coach's own menu, or (for its admin) a network's."""
    if network is not None:
        if not rules.administers_network.test(actor, network):  # menu.manage_network_items
            raise PermissionDenied("Only the network's admins change its menu.")
        return network, None
    if not rules.is_coach.test(actor):  # menu.offer_items
        raise PermissionDenied("Only coaches offer menu items.")
    return Organisation.objects.get(pk=scope_for(actor).primary_network_id), actor


def _check_item(item: MenuItem) -> None:
    kind = item.kind
    if kind.network_id not in (None, item.network_id) or not kind.is_active or not kind.is_contact:
        raise ValidationError({"kind": _("Choose a kind of support with teachers.")})
    if not item.title.strip():
        raise ValidationError({"title": _("Give the item a title.")})
    if not 1 <= item.typical_minutes <= MAX_MINUTES:
        raise ValidationError({"typical_minutes": _("Choose from 1 to 480 minutes.")})
    clash = MenuItem.objects.filter(network_id=item.network_id, coach_id=item.coach_id,
                                    title__iexact=item.title).exclude(pk=item.pk)
    if clash.exists():
        raise ValidationError({"title": _("This menu already has an item called %(title)s.")
                               % {"title": item.title}})


@transaction.atomic
def menu_item_create(
    *, actor, title: str, kind: SupportKind, typical_minutes: int, description: str = "",
    outcome: str = "", network: Organisation | None = None,
) -> MenuItem:
    """Add an item to the coach's own menu, or (`network` given) to the network's menu."""
    owner_network, coach = _item_owner(actor, network)
    item = MenuItem(network=owner_network, coach=coach, title=title.strip(), kind=kind,
                    typical_minutes=typical_minutes, description=description.strip(),
                    outcome=outcome.strip())
    _check_item(item)
    item.full_clean(exclude=["network", "coach", "kind"], validate_constraints=False)
    try:
        with transaction.atomic():
            item.save()
    except IntegrityError as exc:  # a double submit raced this one
        raise ValidationError({"title": _("This menu already has an item called %(title)s.")
                               % {"title": item.title}}) from exc
    activity_record(actor=actor, action="menu_item.create", target=item,
                    organisation=owner_network, label=item.title, details={"kind": kind.name})
    return item


@transaction.atomic
def menu_item_update(
    *, actor, item: MenuItem, title: str, kind: SupportKind, typical_minutes: int,
    description: str = "", outcome: str = "", is_active: bool = True,
) -> MenuItem:
    if not actor.has_perm("menu.change_item", item):
        raise PermissionDenied("Only the item's owner changes it.")
    values = {"title": title.strip(), "kind": kind, "typical_minutes": typical_minutes,
              "description": description.strip(), "outcome": outcome.strip(),
              "is_active": is_active}
    changed = [name for name, value in values.items() if getattr(item, name) != value]
    for name, value in values.items():
        setattr(item, name, value)
    item.updated_at = timezone.now()
    _check_item(item)
    item.full_clean(exclude=["network", "coach", "kind"], validate_constraints=False)
    item.save()
    activity_record(actor=actor, action="menu_item.update", target=item,
                    organisation=item.network, label=item.title,
                    details={"kind": kind.name, "fields": changed})
    return item


# --- requests -----------------------------------------------------------------------------


def shared_school(*, coach: Person, teacher: Person) -> Organisation | None:
    """A school where the teacher teaches and the coach coaches (the lowest id if several)."""
    coach_schools = Membership.objects.filter(person=coach, role=Role.COACH).values(
        "organisation_id")
    school_id = (
        Membership.objects.filter(person=teacher, role=Role.TEACHER,
                                  organisation_id__in=coach_schools)
        .order_by("organisation_id").values_list("organisation_id", flat=True).first()
    )
    return Organisation.objects.get(pk=school_id) if school_id is not None else None


def notify(*, recipient: Person, network: Organisation, kind: str, url: str, title) -> None:
    with in_organisation(network):
        text = str(title())
    notification_send(recipient=recipient, network=network, kind=kind, title=text, url=url)


def _request_url(request: SupportRequest) -> str:
    return reverse("menu:request", args=[request.pk])


@transaction.atomic
def request_create(
    *, actor, coach: Person, item: MenuItem, note: str = "", preferred_times: str = "",
    idempotency_key: uuid.UUID | None = None,
) -> SupportRequest:
    """A teacher asks one of their coaches for an item of the coach's menu."""
    key = idempotency_key or uuid.uuid4()
    existing = SupportRequest.objects.filter(teacher=actor, idempotency_key=key).first()
    if existing is not None:
        return existing
    if not rules.is_teacher.test(actor):  # menu.request_support
        raise PermissionDenied("Only teachers request support.")
    school = shared_school(coach=coach, teacher=actor) if coach.is_active else None
    if school is None or coach.pk == actor.pk:
        raise ValidationError({"coach": _("Choose one of the coaches of your school.")})
    offered = item.is_active and rules.is_offered_by(item, coach_id=coach.pk,
                                                     network_id=school.network_id)
    if not offered:
        raise ValidationError({"item": _("%(coach)s does not offer that.") % {
            "coach": coach.full_name}})
    request = SupportRequest(
        network_id=school.network_id, school=school, teacher=actor, coach=coach, item=item,
        note=note.strip(), preferred_times=preferred_times.strip(), idempotency_key=key)
    request.full_clean(exclude=["network", "school", "teacher", "coach", "item"])
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:
        return SupportRequest.objects.get(teacher=actor, idempotency_key=key)
    activity_record(actor=actor, action="request.create", target=request, organisation=school,
                    label=item.title, details={"kind": item.kind.name})
    notify(recipient=coach, network=school.network, kind=Notification.Kind.REQUEST_NEW,
            url=_request_url(request),
            title=lambda: _("%(teacher)s asked for %(item)s") % {
                "teacher": actor.full_name, "item": item.title})
    return request


def _require_open(request: SupportRequest, *allowed: str) -> None:
    if request.status not in (allowed or OPEN_STATUSES):
        raise ValidationError(_("This request is already %(status)s.") % {
            "status": request.get_status_display().lower()})


def check_times(starts_at: datetime.datetime | None, ends_at: datetime.datetime | None,
                 *, allow_past: bool = False, grace: datetime.timedelta = SCHEDULE_GRACE,
                 ) -> None:
    errors = {}
    if starts_at is None:
        errors["starts_at"] = _("Give the day and time it starts.")
    if ends_at is None:
        errors["ends_at"] = _("Give the time it ends.")
    if errors:
        raise ValidationError(errors)
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("It must end after it starts.")})
    if ends_at - starts_at > datetime.timedelta(minutes=MAX_MINUTES):
        raise ValidationError({"ends_at": _("A session lasts at most 8 hours.")})
    if not allow_past and starts_at < timezone.now() - grace:
        raise ValidationError({"starts_at": _("That has already passed: choose a time ahead.")})


def _answer(request: SupportRequest, *, status: str, message: str | None = None) -> None:
    request.status = status
    if message is not None and (message.strip() or status == RequestStatus.DECLINED):
        # Saying yes without a word keeps the message sent with an earlier proposal.
        request.coach_message = message.strip()
    now = timezone.now()
    request.answered_at = request.answered_at or now
    request.updated_at = now


@transaction.atomic
def request_accept(
    *, actor, request: SupportRequest, starts_at: datetime.datetime,
    ends_at: datetime.datetime, place: str = "", location: str = "", message: str = "",
) -> CoachingSession:
    """The coach says yes with a time: the request becomes a scheduled session."""
    from .sessions import session_from_request

    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if not actor.has_perm("menu.answer_request", request):
        raise PermissionDenied("Only the coach asked answers a request.")
    if request.status == RequestStatus.SCHEDULED and hasattr(request, "session"):
        return request.session  # a double click: the first one scheduled it
    _require_open(request)
    check_times(starts_at, ends_at, grace=ANSWER_GRACE)
    _answer(request, status=RequestStatus.SCHEDULED, message=message)
    request.save(update_fields=["status", "coach_message", "answered_at", "updated_at"])
    session = session_from_request(actor=actor, request=request, starts_at=starts_at,
                                   ends_at=ends_at, place=place, location=location)
    activity_record(actor=actor, action="request.accept", target=request,
                    organisation=request.school, label=request.item.title)
    return session


@transaction.atomic
def request_propose(
    *, actor, request: SupportRequest, starts_at: datetime.datetime,
    ends_at: datetime.datetime, place: str = "", message: str = "",
) -> SupportRequest:
    """The coach suggests a time; the teacher takes it (or withdraws)."""
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if not actor.has_perm("menu.answer_request", request):
        raise PermissionDenied("Only the coach asked answers a request.")
    _require_open(request)
    check_times(starts_at, ends_at, grace=ANSWER_GRACE)
    if place and place not in Place.values:
        raise ValidationError({"place": _("Choose a place from the list.")})
    _answer(request, status=RequestStatus.PROPOSED, message=message)
    request.proposed_start, request.proposed_end, request.proposed_place = (
        starts_at, ends_at, place)
    request.save(update_fields=["status", "coach_message", "answered_at", "updated_at",
                                "proposed_start", "proposed_end", "proposed_place"])
    activity_record(actor=actor, action="request.propose", target=request,
                    organisation=request.school, label=request.item.title)
    notify(recipient=request.teacher, network=request.school.network,
            kind=Notification.Kind.REQUEST_ANSWERED, url=_request_url(request),
            title=lambda: _("%(coach)s proposed a time for %(item)s") % {
                "coach": actor.full_name, "item": request.item.title})
    return request


@transaction.atomic
def request_take_proposal(*, actor, request: SupportRequest) -> CoachingSession:
    """The teacher takes the time the coach proposed: the session is scheduled."""
    from .sessions import session_from_request

    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if not actor.has_perm("menu.withdraw_request", request):
        raise PermissionDenied("Only the teacher who asked takes a proposed time.")
    if request.status == RequestStatus.SCHEDULED and hasattr(request, "session"):
        return request.session
    _require_open(request, RequestStatus.PROPOSED)
    if request.proposed_end <= timezone.now():
        # Seen too late: a session already over would only wait to be logged.
        raise ValidationError(_("That time has passed: ask your coach for another."))
    request.status = RequestStatus.SCHEDULED
    request.updated_at = timezone.now()
    request.save(update_fields=["status", "updated_at"])
    session = session_from_request(
        actor=request.coach, request=request, starts_at=request.proposed_start,
        ends_at=request.proposed_end, place=request.proposed_place, location="",
        acting=actor)
    activity_record(actor=actor, action="request.take_proposal", target=request,
                    organisation=request.school, label=request.item.title)
    return session


@transaction.atomic
def request_decline(*, actor, request: SupportRequest, message: str) -> SupportRequest:
    """The coach says no, with a message: a decline without a word is not kind."""
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if not actor.has_perm("menu.answer_request", request):
        raise PermissionDenied("Only the coach asked answers a request.")
    if request.status == RequestStatus.DECLINED:
        return request
    _require_open(request)
    if not message.strip():
        raise ValidationError({"message": _(
            "Say a word to the teacher: why not now, or what else might help.")})
    _answer(request, status=RequestStatus.DECLINED, message=message)
    request.save(update_fields=["status", "coach_message", "answered_at", "updated_at"])
    activity_record(actor=actor, action="request.decline", target=request,
                    organisation=request.school, label=request.item.title)
    notify(recipient=request.teacher, network=request.school.network,
            kind=Notification.Kind.REQUEST_ANSWERED, url=_request_url(request),
            title=lambda: _("%(coach)s answered your request for %(item)s") % {
                "coach": actor.full_name, "item": request.item.title})
    return request


@transaction.atomic
def request_withdraw(*, actor, request: SupportRequest) -> SupportRequest:
    request = SupportRequest.objects.select_for_update().get(pk=request.pk)
    if not actor.has_perm("menu.withdraw_request", request):
        raise PermissionDenied("Only the teacher who asked withdraws a request.")
    if request.status == RequestStatus.WITHDRAWN:
        return request
    _require_open(request)
    request.status = RequestStatus.WITHDRAWN
    request.updated_at = timezone.now()
    request.save(update_fields=["status", "updated_at"])
    activity_record(actor=actor, action="request.withdraw", target=request,
                    organisation=request.school, label=request.item.title)
    return request


# --- calendar feeds -----------------------------------------------------------------------


@transaction.atomic
def calendar_feed_reset(*, actor) -> str:
    """Make the actor's secret calendar address (a new one revokes the old). Returns the
    token: it is shown once, and only its digest is kept."""
    token = secrets.token_urlsafe(32)
    digest = token_digest(token)
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        person=actor, defaults={"token_digest": digest})
    if not created:
        feed.token_digest = digest
        feed.created_at = timezone.now()
        feed.last_fetched_at = None
        feed.save(update_fields=["token_digest", "created_at", "last_fetched_at"])
    activity_record(actor=actor, action="calendar_feed.reset" if not created
                    else "calendar_feed.create", target=feed, label=actor.full_name)
    return token


@transaction.atomic
def calendar_feed_revoke(*, actor) -> None:
    """Turn the actor's calendar address off: calendars subscribed to it stop updating."""
    deleted, _rows = CalendarFeed.objects.filter(person=actor).delete()
    if deleted:
        activity_record(actor=actor, action="calendar_feed.revoke", label=actor.full_name)
