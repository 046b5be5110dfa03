"""The demo datasets' coaching menus, requests, sessions, notifications and calendar feeds."""

import datetime
import io
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.tasks.signals import task_enqueued
from django.test.utils import override_settings
from django.urls import resolve
from django.utils import timezone

from bettertogether.accounts.models import token_digest
from bettertogether.coaching.models import InteractionTeacher
from bettertogether.demo.coaching_vocabulary import DISTRICT_TODAY
from bettertogether.demo.common import BENCH_CALENDAR_TOKENS, BENCH_PERSONAS, SMALL_NETWORK
from bettertogether.demo.management.commands.seed_demo import QUIET_MAIL, seed_all
from bettertogether.demo.tests.test_seed_demo import TINY
from bettertogether.directory.models import Membership, Organisation, Person, Role
from bettertogether.menu.models import (
    CalendarFeed,
    CoachingSession,
    MenuItem,
    RequestStatus,
    SessionStatus,
    SupportRequest,
)
from bettertogether.notifications.models import Notification

pytestmark = pytest.mark.slow

MENU_MODELS = (MenuItem, SupportRequest, CoachingSession, CoachingSession.attendees.through,
               Notification, CalendarFeed)


def _seed_small() -> None:
    call_command("seed_demo", scale="small", stdout=io.StringIO())


def _counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in MENU_MODELS}


@pytest.mark.usefixtures("small_demo")
@pytest.mark.django_db
def test_seed_small_menus():
    for network in Organisation.objects.filter(kind=Organisation.Kind.NETWORK):
        shared = MenuItem.objects.filter(network=network, coach__isnull=True)
        assert 2 <= shared.count() <= 3, network.name
    coaches = Person.objects.filter(memberships__role=Role.COACH).distinct()
    for coach in coaches:
        assert 5 <= MenuItem.objects.filter(coach=coach).count() <= 7, coach.full_name
    for item in MenuItem.objects.select_related("kind"):
        assert item.kind.is_contact and item.kind.network_id is None
        assert item.typical_minutes > 0 and item.description and item.outcome
    assert MenuItem.objects.filter(coach__email="coach@riverside.example",
                                   title="Co-plan a lesson").exists()


@pytest.mark.usefixtures("small_demo")
@pytest.mark.django_db
def test_seed_small_requests_in_every_status():
    teacher = Person.objects.get(email="teacher@riverside.example")
    riverside = SupportRequest.objects.filter(network__name=SMALL_NETWORK)
    assert set(riverside.values_list("status", flat=True)) == set(RequestStatus.values)
    assert set(teacher.support_requests.values_list("status", flat=True)) == set(
        RequestStatus.values)
    now = timezone.now()
    for request in SupportRequest.objects.select_related("item", "school"):
        assert request.note and request.created_at < now
        assert request.item.coach_id in (None, request.coach_id)
        assert request.item.network_id == request.network_id == request.school.network_id
        for person, role in ((request.teacher_id, Role.TEACHER), (request.coach_id, Role.COACH)):
            assert Membership.objects.filter(person_id=person, organisation=request.school,
                                             role=role).exists()
        session = CoachingSession.objects.filter(request=request).first()
        match request.status:
            case RequestStatus.PENDING:
                assert request.answered_at is None and session is None
            case RequestStatus.PROPOSED:
                assert request.proposed_start > now and session is None
            case RequestStatus.SCHEDULED:
                assert session.interaction_id is None
                assert session.status == SessionStatus.SCHEDULED
            case RequestStatus.DONE:
                assert session.interaction_id is not None and session.starts_at < now
            case RequestStatus.DECLINED:
                assert request.coach_message and session is None
            case RequestStatus.WITHDRAWN:
                assert session is None
        if request.answered_at is not None:
            assert request.created_at < request.answered_at <= now
            if session is not None:
                assert request.answered_at < session.starts_at


@pytest.mark.usefixtures("small_demo")
@pytest.mark.django_db
def test_seed_small_sessions():
    zone = ZoneInfo("America/Chicago")
    tomorrow = timezone.localdate(timezone=zone) + datetime.timedelta(days=1)
    mine = CoachingSession.objects.filter(coach__email="coach@riverside.example",
                                          attendees__email="teacher@riverside.example",
                                          status=SessionStatus.SCHEDULED)
    assert any(timezone.localtime(s.starts_at, zone).date() == tomorrow for s in mine)
    now = timezone.now()
    upcoming = CoachingSession.objects.filter(starts_at__gt=now, status=SessionStatus.SCHEDULED)
    assert upcoming.count() >= 8
    assert upcoming.filter(starts_at__gt=now + datetime.timedelta(days=7)).exists()
    assert CoachingSession.objects.filter(starts_at__lt=now, interaction__isnull=True,
                                          status=SessionStatus.SCHEDULED).exists()  # to log
    cancelled = CoachingSession.objects.get(status=SessionStatus.CANCELLED)
    assert cancelled.sequence >= 1 and cancelled.request_id is None
    for session in CoachingSession.objects.exclude(interaction=None).select_related(
            "interaction"):
        logged = session.interaction
        assert logged.coach_id == session.coach_id and logged.occurred_at == session.starts_at
        assert set(InteractionTeacher.objects.filter(interaction=logged).values_list(
            "teacher_id", flat=True)) == set(session.attendees.values_list("id", flat=True))
    assert CoachingSession.objects.exclude(interaction=None).filter(request=None).exists()


@pytest.mark.django_db
def test_seed_small_notifications_tell_titles_only_and_send_nothing(
        django_capture_on_commit_callbacks):
    enqueued = []

    def record(sender, task_result, **kwargs):
        enqueued.append(task_result.task.name)

    # As `seed_demo` runs: its transaction commits while emails are being dropped.
    task_enqueued.connect(record)
    try:
        with override_settings(**QUIET_MAIL), django_capture_on_commit_callbacks(execute=True):
            _seed_small()
    finally:
        task_enqueued.disconnect(record)

    assert enqueued and not [name for name in enqueued if "notification" in name], enqueued
    assert mail.outbox == []
    words = {text for request in SupportRequest.objects.all()
             for text in (request.note, request.coach_message) if text}
    for email in ("coach@riverside.example", "teacher@riverside.example"):
        notes = Notification.objects.filter(recipient__email=email)
        assert notes.filter(read_at__isnull=True).exists(), email
        assert notes.filter(read_at__isnull=False).exists(), email
        assert notes.filter(kind=Notification.Kind.SESSION_TOMORROW).count() == 1
        for note in notes:
            assert note.created_at <= timezone.now() and note.title
            assert not any(text in note.title for text in words)
            match = resolve(note.url)
            model = SupportRequest if match.url_name == "request" else CoachingSession
            target = model.objects.get(pk=match.kwargs["pk"])
            assert note.recipient_id in {getattr(target, "coach_id", None),
                                         getattr(target, "teacher_id", None),
                                         *(getattr(target, "attendees", Person.objects.none())
                                           .values_list("id", flat=True))}


@pytest.mark.usefixtures("small_demo")
@pytest.mark.django_db
def test_seed_small_menu_twice_creates_nothing_more():
    before = _counts()

    _seed_small()

    assert _counts() == before
    assert all(n > 0 for label, n in before.items() if label != CalendarFeed._meta.label)


@pytest.mark.django_db
def test_seed_district_menu():
    seed_all(scale="district", seed=7, size=TINY)

    coaches = Person.objects.filter(memberships__role=Role.COACH).distinct()
    for coach in coaches:
        assert MenuItem.objects.filter(coach=coach).count() == 6
    assert MenuItem.objects.filter(coach__isnull=True).count() == 3
    assert SupportRequest.objects.count() == TINY.requests
    assert set(SupportRequest.objects.values_list("status", flat=True)) == set(
        RequestStatus.values)
    done = SupportRequest.objects.filter(status__in=[RequestStatus.DONE,
                                                     RequestStatus.SCHEDULED]).count()
    assert done > TINY.requests / 2
    sessions = CoachingSession.objects.all()
    assert TINY.sessions <= sessions.count() <= TINY.sessions + 30
    assert sessions.exclude(interaction=None).count() > sessions.count() / 2
    assert sessions.filter(status=SessionStatus.CANCELLED, request=None).exists()
    today = datetime.datetime.combine(DISTRICT_TODAY, datetime.time(0), tzinfo=datetime.UTC)
    assert sessions.filter(starts_at__gte=today, status=SessionStatus.SCHEDULED).exists()
    for session in sessions.exclude(interaction=None).select_related("interaction", "request"):
        assert session.starts_at == session.interaction.occurred_at
        assert session.coach_id == session.interaction.coach_id
        teachers = set(session.attendees.values_list("id", flat=True))
        assert teachers == set(InteractionTeacher.objects.filter(
            interaction=session.interaction).values_list("teacher_id", flat=True))
        if session.request is not None:
            assert session.request.status == RequestStatus.DONE
            assert teachers == {session.request.teacher_id}
    for request in SupportRequest.objects.select_related("item"):
        assert request.item.coach_id in (None, request.coach_id)
        assert Membership.objects.filter(person_id=request.teacher_id,
                                         organisation_id=request.school_id,
                                         role=Role.TEACHER).exists()
    bench_teacher = Person.objects.get(email=BENCH_PERSONAS["teacher"])
    assert set(bench_teacher.support_requests.values_list("status", flat=True)) == set(
        RequestStatus.values)
    for persona, token in BENCH_CALENDAR_TOKENS.items():
        feed = CalendarFeed.objects.get(person__email=BENCH_PERSONAS[persona])
        assert feed.token_digest == token_digest(token)
    # New rows get fresh ids after the ones written by hand.
    request = SupportRequest.objects.first()
    request.pk, request.idempotency_key = None, uuid.uuid4()
    request.save()
    assert request.pk > TINY.requests


def _menu_snapshot():
    return (
        sorted(SupportRequest.objects.values_list("coach__email", "teacher__email",
                                                  "item__title", "status", "created_at")),
        sorted(CoachingSession.objects.values_list("coach__email", "title", "starts_at",
                                                   "status", "interaction__idempotency_key")),
    )


@pytest.mark.django_db
def test_seed_district_menu_same_seed_same_data():
    with transaction.atomic():
        seed_all(scale="district", seed=7, size=TINY)
        first = _menu_snapshot()
        transaction.set_rollback(True)

    seed_all(scale="district", seed=7, size=TINY)

    assert _menu_snapshot() == first
