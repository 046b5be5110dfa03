"""Sessions: scheduled by a coach, moved, cancelled, and logged when they happened."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bettertogether.coaching.models import Interaction, Place
from bettertogether.coaching.tests.support import kind
from bettertogether.directory.models import Role
from bettertogether.menu import services, sessions
from bettertogether.menu.models import CoachingSession, RequestStatus, SessionStatus
from bettertogether.menu.tests.support import accept, at, log_session, move, schedule
from bettertogether.testing import factories as f


def _started(cast, request=None, **extra):
    """A session that began an hour ago."""
    starts_at = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(hours=1)
    if request is not None:
        return accept(cast.coach, request, starts_at=starts_at)
    return schedule(cast.coach, [cast.teacher], starts_at=starts_at, **extra)


def _teammate(cast, name="Tom Teammate"):
    teammate = f.PersonFactory(full_name=name)
    f.MembershipFactory(person=teammate, organisation=cast.school, role=Role.TEACHER)
    return teammate


def test_session_schedule_with_several_teachers(cast):
    teammate = _teammate(cast)

    session = schedule(cast.coach, [cast.teacher, teammate, cast.teacher],
                       title=" Grade 3 team planning ", starts_at=at(hour=14), minutes=60,
                       place=Place.MEETING, location="Library", agenda="Unit 4 pacing")

    assert (session.coach, session.school, session.network, session.title, session.kind,
            session.starts_at, session.ends_at, session.place, session.location,
            session.agenda, session.request, session.sequence) == (
        cast.coach, cast.school, cast.network, "Grade 3 team planning", kind("Co-planning"),
        at(hour=14), at(hour=15), Place.MEETING, "Library", "Unit 4 pacing", None, 0)
    assert set(session.attendees.all()) == {cast.teacher, teammate}


def test_session_schedule_twice_with_one_key_makes_one_session(cast):
    key = uuid.uuid4()

    first = schedule(cast.coach, [cast.teacher], idempotency_key=key)
    second = schedule(cast.coach, [cast.teacher], idempotency_key=key, title="Again")

    assert first.pk == second.pk
    assert list(CoachingSession.objects.values_list("title", flat=True)) == [
        "Grade 3 team planning"]


@pytest.mark.parametrize(
    ("teachers", "extra", "field"),
    [
        ([], {}, "teachers"),
        (["outsider_teacher"], {}, "teachers"),
        (["teacher"], {"title": "  "}, "title"),
        (["teacher"], {"kind_name": "Planning"}, "kind"),
        (["teacher"], {"place": "moon"}, "place"),
        (["teacher"], {"starts_at": at(days=-3)}, "starts_at"),
        (["teacher"], {"minutes": 9 * 60}, "ends_at"),
    ],
)
def test_session_schedule_bad_input_is_refused_and_makes_nothing(cast, teachers, extra, field):
    elsewhere = f.PersonFactory(full_name="Nora North")
    f.MembershipFactory(person=elsewhere, organisation=cast.outsider_school, role=Role.TEACHER)
    people = {"teacher": cast.teacher, "outsider_teacher": elsewhere}

    with pytest.raises(ValidationError) as caught:
        schedule(cast.coach, [people[name] for name in teachers], **extra)

    assert list(caught.value.message_dict) == [field]
    assert not CoachingSession.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "leader", "admin", "outsider"])
def test_session_schedule_by_a_non_coach_is_denied(cast, who):
    with pytest.raises(PermissionDenied):
        schedule(getattr(cast, who), [cast.teacher])

    assert not CoachingSession.objects.exists()


def test_session_update_raises_the_sequence_and_keeps_the_uid(cast):
    session = schedule(cast.coach, [cast.teacher])
    uid = session.uid

    moved = move(cast.coach, session, at(days=2, hour=9), location="Room 4")

    moved.refresh_from_db()
    assert (moved.starts_at, moved.ends_at, moved.location, moved.sequence, moved.uid) == (
        at(days=2, hour=9), at(days=2, hour=9, minute=45), "Room 4", 1, uid)


def test_session_update_without_a_change_keeps_the_sequence(cast):
    session = schedule(cast.coach, [cast.teacher])

    move(cast.coach, session, session.starts_at)

    session.refresh_from_db()
    assert session.sequence == 0


def test_session_update_bad_times_are_refused_and_change_nothing(cast):
    session = schedule(cast.coach, [cast.teacher])

    with pytest.raises(ValidationError) as caught:
        sessions.session_update(actor=cast.coach, session=session, title=session.title,
                                starts_at=at(hour=10), ends_at=at(hour=9))

    assert caught.value.message_dict == {"ends_at": ["It must end after it starts."]}
    session.refresh_from_db()
    assert (session.starts_at, session.sequence) == (at(), 0)


@pytest.mark.parametrize("who", ["second_coach", "teacher", "admin"])
def test_session_update_by_anyone_but_its_coach_is_denied(cast, persona, who):
    session = schedule(cast.coach, [cast.teacher])

    with pytest.raises(PermissionDenied):
        move(persona(who), session, at(days=3))

    session.refresh_from_db()
    assert (session.starts_at, session.sequence) == (at(), 0)


def test_session_update_of_a_cancelled_session_is_refused(cast):
    session = schedule(cast.coach, [cast.teacher])
    sessions.session_cancel(actor=cast.coach, session=session)

    with pytest.raises(ValidationError) as caught:
        move(cast.coach, session, at(days=3))

    assert caught.value.messages == ["This session was cancelled: schedule a new one."]


def test_session_cancel_sets_cancelled_and_raises_the_sequence(cast):
    session = schedule(cast.coach, [cast.teacher])

    sessions.session_cancel(actor=cast.coach, session=session)

    session.refresh_from_db()
    assert (session.status, session.sequence, session.is_cancelled) == (
        SessionStatus.CANCELLED, 1, True)


def test_session_cancel_returns_the_request_to_the_coach_open(cast, asked):
    session = accept(cast.coach, asked)

    sessions.session_cancel(actor=cast.coach, session=session)

    asked.refresh_from_db()
    session.refresh_from_db()
    assert (asked.status, asked.is_open, session.request) == (RequestStatus.PENDING, True, None)
    # Open again, it can be accepted again: a new session, the cancelled one stays.
    again = accept(cast.coach, asked, starts_at=at(days=5))
    assert again.pk != session.pk
    assert CoachingSession.objects.count() == 2


def test_session_cancel_twice_changes_nothing_more(cast):
    session = schedule(cast.coach, [cast.teacher])

    sessions.session_cancel(actor=cast.coach, session=session)
    sessions.session_cancel(actor=cast.coach, session=session)

    session.refresh_from_db()
    assert session.sequence == 1


@pytest.mark.parametrize("who", ["second_coach", "teacher", "admin"])
def test_session_cancel_by_anyone_but_its_coach_is_denied(cast, persona, who):
    session = schedule(cast.coach, [cast.teacher])

    with pytest.raises(PermissionDenied):
        sessions.session_cancel(actor=persona(who), session=session)

    session.refresh_from_db()
    assert session.status == SessionStatus.SCHEDULED


def test_session_log_links_an_interaction_and_marks_the_request_done(cast, asked):
    session = _started(cast, asked)

    interaction = log_session(cast.coach, session, minutes=40, shared_note="Plan attached")

    session.refresh_from_db()
    asked.refresh_from_db()
    assert session.interaction == interaction
    assert asked.status == RequestStatus.DONE
    assert (interaction.coach, interaction.kind, interaction.minutes, interaction.occurred_at,
            interaction.school, interaction.shared_note) == (
        cast.coach, session.kind, 40, session.starts_at, cast.school, "Plan attached")
    assert list(interaction.teachers.all()) == [cast.teacher]


def test_session_log_twice_returns_the_same_interaction(cast):
    session = _started(cast)

    first = log_session(cast.coach, session)
    second = log_session(cast.coach, session)

    assert first.pk == second.pk
    assert Interaction.objects.count() == 1


def test_session_log_of_a_cancelled_session_is_refused(cast):
    session = _started(cast)
    sessions.session_cancel(actor=cast.coach, session=session)

    with pytest.raises(ValidationError) as caught:
        log_session(cast.coach, session)

    assert caught.value.messages == ["This session was cancelled, so there is nothing to log."]
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("who", ["second_coach", "teacher"])
def test_session_log_by_anyone_but_its_coach_is_denied(cast, persona, who):
    session = _started(cast)

    with pytest.raises(PermissionDenied):
        log_session(persona(who), session)

    assert not Interaction.objects.exists()


def test_session_cancel_of_a_logged_session_is_refused(cast, asked):
    session = _started(cast, asked)
    log_session(cast.coach, session)

    with pytest.raises(ValidationError) as caught:
        sessions.session_cancel(actor=cast.coach, session=session)

    assert caught.value.messages == ["This session is logged: it happened, so it stays."]
    session.refresh_from_db()
    asked.refresh_from_db()
    assert (session.status, session.sequence, asked.status) == (
        SessionStatus.SCHEDULED, 0, RequestStatus.DONE)


def test_answering_a_done_request_is_refused(cast, asked):
    log_session(cast.coach, _started(cast, asked))

    with pytest.raises(ValidationError) as caught:
        accept(cast.coach, asked)

    assert caught.value.messages == ["This request is already done."]


def test_session_update_refused_once_the_session_is_logged(cast, session):
    log_session(cast.coach, session)

    with pytest.raises(ValidationError) as error:
        move(cast.coach, session, session.starts_at + datetime.timedelta(hours=1))

    assert error.value.messages == ["This session is logged: change the log entry instead."]


def test_accept_without_a_word_keeps_the_message_of_the_proposal(cast, asked):
    from bettertogether.menu.tests.support import propose

    propose(cast.coach, asked, message="Thursday suits me better")
    accept(cast.coach, asked, message="")

    asked.refresh_from_db()
    assert asked.coach_message == "Thursday suits me better"


@pytest.mark.parametrize("minutes_ago", [20, 60 * 5, 60 * 24 * 3])
def test_a_request_cannot_be_accepted_or_proposed_for_a_time_already_past(
        cast, asked, minutes_ago):
    began = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(
        minutes=minutes_ago)
    for answer in (services.request_accept, services.request_propose):
        with pytest.raises(ValidationError) as refused:
            answer(actor=cast.coach, request=asked, starts_at=began,
                   ends_at=began + datetime.timedelta(minutes=45))
        assert refused.value.message_dict["starts_at"] == [
            "That has already passed: choose a time ahead."]
    asked.refresh_from_db()
    assert asked.status == RequestStatus.PENDING
    assert not CoachingSession.objects.filter(request=asked).exists()


def test_a_request_can_be_accepted_for_the_minutes_already_running(cast, asked):
    now = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(minutes=5)
    session = services.request_accept(actor=cast.coach, request=asked, starts_at=now,
                                      ends_at=now + datetime.timedelta(minutes=45))
    assert session.starts_at == now
