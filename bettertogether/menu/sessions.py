"""Writes of coaching sessions: scheduling, changing, cancelling, and logging what happened.

Every change a calendar client must pick up raises the session's `sequence` (RFC 5545
SEQUENCE); a cancelled session stays in the feed with STATUS:CANCELLED so clients remove it.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bettertogether.activity.services import activity_record
from bettertogether.coaching.models import Interaction, Place, SupportKind
from bettertogether.coaching.services import interaction_log, teachers_school
from bettertogether.directory.calendar import zone_of
from bettertogether.directory.models import Person
from bettertogether.directory.moments import moment_text
from bettertogether.notifications.models import Notification

from .models import CoachingSession, RequestStatus, SessionStatus, SupportRequest
from .rules import is_coach
from .services import check_times, notify


def _when(session: CoachingSession) -> str:
    """The start in the organisation's time zone, named: a notification's title is also an
    email's subject, read wherever the reader is."""
    return moment_text(session.starts_at, zone=zone_of(session.network), with_zone=True)


def _label(session: CoachingSession) -> str:
    """An activity label from metadata only: a session's title may be the coach's words."""
    return f"{session.kind.name} session {session.pk}"


def _session_url(session: CoachingSession) -> str:
    return reverse("menu:session", args=[session.pk])


def _tell_attendees(session: CoachingSession, *, kind: str, acting: Person, title) -> None:
    for person in [session.coach, *session.attendees.all()]:
        if person.pk != acting.pk:
            notify(recipient=person, network=session.network, kind=kind,
                    url=_session_url(session), title=title)


def _check_place(place: str) -> None:
    if place and place not in Place.values:
        raise ValidationError({"place": _("Choose a place from the list.")})


def session_from_request(
    *, actor, request: SupportRequest, starts_at: datetime.datetime,
    ends_at: datetime.datetime, place: str, location: str, acting: Person | None = None,
) -> CoachingSession:
    """The session an answered request becomes (called inside the request's transaction).

    `actor` is the request's coach; `acting` is who said yes (the teacher taking a
    proposed time), told nothing, while the other side is notified.
    """
    _check_place(place)
    session = CoachingSession(
        network_id=request.network_id, school=request.school, coach=request.coach,
        request=request, kind=request.item.kind, title=request.item.title,
        starts_at=starts_at, ends_at=ends_at, place=place, location=location.strip())
    session.full_clean(exclude=["network", "school", "coach", "request", "kind",
                                "interaction"])
    session.save()
    session.attendees.set([request.teacher])
    activity_record(actor=acting or actor, action="session.schedule", target=session,
                    organisation=request.school, label=_label(session))
    _tell_attendees(session, kind=Notification.Kind.SESSION_SCHEDULED, acting=acting or actor,
                    title=lambda: _("%(title)s is scheduled for %(when)s") % {
                        "title": session.title, "when": _when(session)})
    return session


@transaction.atomic
def session_schedule(
    *, actor, teachers: Iterable[Person], kind: SupportKind, title: str,
    starts_at: datetime.datetime, ends_at: datetime.datetime, place: str = "",
    location: str = "", agenda: str = "", idempotency_key: uuid.UUID | None = None,
) -> CoachingSession:
    """A coach schedules a session with one or several teachers (a grade-level team)."""
    if not is_coach.test(actor):  # menu.schedule_session
        raise PermissionDenied("Only coaches schedule sessions.")
    key = idempotency_key or uuid.uuid4()
    existing = CoachingSession.objects.filter(coach=actor, idempotency_key=key).first()
    if existing is not None:
        return existing
    teachers = list(dict.fromkeys(teachers))
    if not teachers:
        raise ValidationError({"teachers": _("Choose the teacher or teachers to meet.")})
    if not title.strip():
        raise ValidationError({"title": _("Give the session a title.")})
    check_times(starts_at, ends_at)
    _check_place(place)
    school = teachers_school(actor, teachers)
    if kind.network_id not in (None, school.network_id) or not kind.is_contact:
        raise ValidationError({"kind": _("Choose a kind of support with teachers.")})
    session = CoachingSession(
        network_id=school.network_id, school=school, coach=actor, kind=kind,
        title=title.strip(), starts_at=starts_at, ends_at=ends_at, place=place,
        location=location.strip(), agenda=agenda.strip(), idempotency_key=key)
    session.full_clean(exclude=["network", "school", "coach", "request", "kind",
                                "interaction"])
    try:
        with transaction.atomic():
            session.save()
    except IntegrityError:
        return CoachingSession.objects.get(coach=actor, idempotency_key=key)
    session.attendees.set(teachers)
    activity_record(actor=actor, action="session.schedule", target=session,
                    organisation=school, label=_label(session),
                    details={"count": len(teachers), "kind": kind.name})
    _tell_attendees(session, kind=Notification.Kind.SESSION_SCHEDULED, acting=actor,
                    title=lambda: _("%(coach)s scheduled %(title)s for %(when)s") % {
                        "coach": actor.full_name, "title": session.title,
                        "when": _when(session)})
    return session


def _require_coach_of(actor, session: CoachingSession) -> None:
    if not actor.has_perm("menu.change_session", session):
        raise PermissionDenied("Only the session's coach changes it.")


@transaction.atomic
def session_update(
    *, actor, session: CoachingSession, title: str, starts_at: datetime.datetime,
    ends_at: datetime.datetime, place: str = "", location: str = "", agenda: str = "",
) -> CoachingSession:
    """Move or change a session; calendars pick it up through the raised sequence."""
    session = CoachingSession.objects.select_for_update().get(pk=session.pk)
    _require_coach_of(actor, session)
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled: schedule a new one."))
    if session.interaction_id is not None:
        raise ValidationError(_("This session is logged: change the log entry instead."))
    if not title.strip():
        raise ValidationError({"title": _("Give the session a title.")})
    check_times(starts_at, ends_at, allow_past=True)
    _check_place(place)
    moved = (starts_at, ends_at) != (session.starts_at, session.ends_at)
    changed = [name for name, value in (("title", title.strip()), ("starts_at", starts_at),
                                        ("ends_at", ends_at), ("place", place),
                                        ("location", location.strip()),
                                        ("agenda", agenda.strip()))
               if getattr(session, name) != value]
    if not changed:
        return session
    session.title, session.starts_at, session.ends_at = title.strip(), starts_at, ends_at
    session.place, session.location, session.agenda = place, location.strip(), agenda.strip()
    session.sequence += 1
    session.updated_at = timezone.now()
    session.full_clean(exclude=["network", "school", "coach", "request", "kind",
                                "interaction"])
    session.save()
    activity_record(actor=actor, action="session.update", target=session,
                    organisation=session.school, label=_label(session),
                    details={"fields": changed})
    if moved:
        _tell_attendees(session, kind=Notification.Kind.SESSION_CHANGED, acting=actor,
                        title=lambda: _("%(title)s moved to %(when)s") % {
                            "title": session.title, "when": _when(session)})
    return session


@transaction.atomic
def session_cancel(*, actor, session: CoachingSession) -> CoachingSession:
    """Cancel a session. A request it came from goes back to the coach, open again."""
    session = CoachingSession.objects.select_for_update().get(pk=session.pk)
    _require_coach_of(actor, session)
    if session.is_cancelled:
        return session
    if session.interaction_id is not None:
        raise ValidationError(_("This session is logged: it happened, so it stays."))
    session.status = SessionStatus.CANCELLED
    session.sequence += 1
    session.updated_at = timezone.now()
    request = session.request
    session.request = None
    session.save(update_fields=["status", "sequence", "updated_at", "request"])
    if request is not None:
        request.status = RequestStatus.PENDING
        request.updated_at = timezone.now()
        request.save(update_fields=["status", "updated_at"])
    activity_record(actor=actor, action="session.cancel", target=session,
                    organisation=session.school, label=_label(session))
    _tell_attendees(session, kind=Notification.Kind.SESSION_CANCELLED, acting=actor,
                    title=lambda: _("%(title)s on %(when)s is cancelled") % {
                        "title": session.title, "when": _when(session)})
    return session


@transaction.atomic
def session_log(
    *, actor, session: CoachingSession, kind: SupportKind, teachers: Iterable[Person],
    minutes: int | None, occurred_at: datetime.datetime | None, place: str = "",
    shared_note: str = "", private_note: str = "", idempotency_key: uuid.UUID | None = None,
) -> Interaction:
    """Log what happened in a session: an interaction linked to it; its request is done."""
    session = CoachingSession.objects.select_for_update().get(pk=session.pk)
    _require_coach_of(actor, session)
    if session.interaction_id is not None:
        return session.interaction  # logged already (a retried save)
    if session.is_cancelled:
        raise ValidationError(_("This session was cancelled, so there is nothing to log."))
    interaction = interaction_log(
        actor=actor, kind=kind, teachers=teachers, minutes=minutes,
        occurred_at=occurred_at or session.starts_at, place=place, shared_note=shared_note,
        private_note=private_note, idempotency_key=idempotency_key)
    session.interaction = interaction
    session.updated_at = timezone.now()
    session.save(update_fields=["interaction", "updated_at"])
    if session.request_id is not None:
        SupportRequest.objects.filter(pk=session.request_id).update(
            status=RequestStatus.DONE, updated_at=timezone.now())
    activity_record(actor=actor, action="session.log", target=session,
                    organisation=session.school, label=_label(session))
    return interaction
