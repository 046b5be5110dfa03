"""The coach's answers to a request (accept, propose, decline) and the teacher's (take the
proposed time, withdraw)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bettertogether.coaching.models import Place
from bettertogether.menu import services
from bettertogether.menu.models import (
    CoachingSession,
    RequestStatus,
    SessionStatus,
    SupportRequest,
)
from bettertogether.menu.tests.support import accept, at, propose

CLOSED = ["scheduled", "declined", "withdrawn"]


def _close(cast, request, how):
    if how == "scheduled":
        accept(cast.coach, request)
    elif how == "declined":
        services.request_decline(actor=cast.coach, request=request, message="Not this week")
    else:
        services.request_withdraw(actor=cast.teacher, request=request)
    request.refresh_from_db()
    return request


def test_request_accept_schedules_a_session_with_the_teacher(cast, asked):
    session = accept(cast.coach, asked, starts_at=at(hour=15, minute=30), place=Place.CLASSROOM,
                     location="Room 12", message="See you then")

    asked.refresh_from_db()
    assert (asked.status, asked.coach_message) == (RequestStatus.SCHEDULED, "See you then")
    assert asked.answered_at is not None
    assert (session.request, session.coach, session.school, session.network, session.kind,
            session.title, session.place, session.location, session.status, session.sequence) == (
        asked, cast.coach, cast.school, cast.network, asked.item.kind, "Co-plan a lesson",
        Place.CLASSROOM, "Room 12", SessionStatus.SCHEDULED, 0)
    assert (session.starts_at, session.ends_at) == (
        at(hour=15, minute=30), at(hour=16, minute=15))
    assert list(session.attendees.all()) == [cast.teacher]


def test_request_accept_twice_returns_the_same_session(cast, asked):
    first = accept(cast.coach, asked)
    second = accept(cast.coach, asked, starts_at=at(days=3))

    assert first.pk == second.pk
    assert CoachingSession.objects.count() == 1
    assert CoachingSession.objects.get().starts_at == at()


def test_request_accept_a_proposed_request(cast, asked):
    propose(cast.coach, asked)

    session = accept(cast.coach, asked)

    asked.refresh_from_db()
    assert asked.status == RequestStatus.SCHEDULED
    assert session.request == asked


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "field", "message"),
    [
        (at(hour=10), at(hour=9), "ends_at", "It must end after it starts."),
        (at(hour=10), at(hour=10), "ends_at", "It must end after it starts."),
        (at(hour=8), at(hour=16, minute=1), "ends_at", "A session lasts at most 8 hours."),
        (at(days=-2), at(days=-2, hour=16), "starts_at",
         "That has already passed: choose a time ahead."),
        (None, at(hour=9), "starts_at", "Give the day and time it starts."),
    ],
)
def test_request_accept_bad_times_are_refused_and_nothing_changes(cast, asked, starts_at,
                                                                  ends_at, field, message):
    with pytest.raises(ValidationError) as caught:
        services.request_accept(actor=cast.coach, request=asked, starts_at=starts_at,
                                ends_at=ends_at)

    assert caught.value.message_dict == {field: [message]}
    asked.refresh_from_db()
    assert asked.status == RequestStatus.PENDING
    assert not CoachingSession.objects.exists()


def test_request_accept_unknown_place_is_refused_and_nothing_changes(cast, asked):
    with pytest.raises(ValidationError) as caught:
        accept(cast.coach, asked, place="moon")

    assert caught.value.message_dict == {"place": ["Choose a place from the list."]}
    asked.refresh_from_db()
    assert asked.status == RequestStatus.PENDING
    assert not CoachingSession.objects.exists()


def test_request_propose_records_the_proposed_time(cast, asked):
    request = propose(cast.coach, asked, starts_at=at(days=2, hour=8), minutes=30,
                      place=Place.OFFICE, message="Before school?")

    request.refresh_from_db()
    assert (request.status, request.proposed_start, request.proposed_end,
            request.proposed_place, request.coach_message) == (
        RequestStatus.PROPOSED, at(days=2, hour=8), at(days=2, hour=8, minute=30),
        Place.OFFICE, "Before school?")
    assert request.is_open
    assert not CoachingSession.objects.exists()


def test_request_propose_again_replaces_the_proposal(cast, asked):
    propose(cast.coach, asked, starts_at=at(days=2))
    propose(cast.coach, asked, starts_at=at(days=4))

    asked.refresh_from_db()
    assert asked.proposed_start == at(days=4)


def test_request_take_proposal_by_the_teacher_schedules_the_session(cast, asked):
    propose(cast.coach, asked, starts_at=at(days=2, hour=8), minutes=30, place=Place.OFFICE)

    session = services.request_take_proposal(actor=cast.teacher, request=asked)

    asked.refresh_from_db()
    assert asked.status == RequestStatus.SCHEDULED
    assert (session.request, session.coach, session.starts_at, session.ends_at,
            session.place) == (asked, cast.coach, at(days=2, hour=8),
                               at(days=2, hour=8, minute=30), Place.OFFICE)
    assert list(session.attendees.all()) == [cast.teacher]


def test_request_take_proposal_twice_returns_the_same_session(cast, asked):
    propose(cast.coach, asked)

    first = services.request_take_proposal(actor=cast.teacher, request=asked)
    second = services.request_take_proposal(actor=cast.teacher, request=asked)

    assert first.pk == second.pk
    assert CoachingSession.objects.count() == 1


def test_request_take_proposal_after_the_proposed_time_is_refused(cast, asked):
    propose(cast.coach, asked)
    began = timezone.now() - datetime.timedelta(hours=2)
    SupportRequest.objects.filter(pk=asked.pk).update(
        proposed_start=began, proposed_end=began + datetime.timedelta(minutes=45))

    with pytest.raises(ValidationError) as caught:
        services.request_take_proposal(actor=cast.teacher, request=asked)

    assert caught.value.messages == ["That time has passed: ask your coach for another."]
    asked.refresh_from_db()
    assert asked.status == RequestStatus.PROPOSED
    assert not CoachingSession.objects.exists()


def test_request_take_proposal_of_a_pending_request_is_refused(cast, asked):
    with pytest.raises(ValidationError) as caught:
        services.request_take_proposal(actor=cast.teacher, request=asked)

    assert caught.value.messages == ["This request is already waiting for the coach."]
    assert not CoachingSession.objects.exists()


@pytest.mark.parametrize("who", ["coach", "other_teacher"])
def test_request_take_proposal_by_anyone_but_the_teacher_is_denied(cast, asked, who):
    propose(cast.coach, asked)

    with pytest.raises(PermissionDenied):
        services.request_take_proposal(actor=getattr(cast, who), request=asked)

    asked.refresh_from_db()
    assert asked.status == RequestStatus.PROPOSED


def test_request_decline_with_a_message(cast, asked):
    request = services.request_decline(actor=cast.coach, request=asked,
                                       message=" Not this week: try the PD on Friday ")

    request.refresh_from_db()
    assert (request.status, request.coach_message) == (
        RequestStatus.DECLINED, "Not this week: try the PD on Friday")
    assert not request.is_open


@pytest.mark.parametrize("message", ["", "   \n"])
def test_request_decline_without_a_message_is_refused_on_message(cast, asked, message):
    with pytest.raises(ValidationError) as caught:
        services.request_decline(actor=cast.coach, request=asked, message=message)

    assert caught.value.message_dict == {
        "message": ["Say a word to the teacher: why not now, or what else might help."]}
    asked.refresh_from_db()
    assert (asked.status, asked.coach_message) == (RequestStatus.PENDING, "")


def test_request_decline_twice_changes_nothing_more(cast, asked):
    services.request_decline(actor=cast.coach, request=asked, message="Not now")
    services.request_decline(actor=cast.coach, request=asked, message="Really not")

    asked.refresh_from_db()
    assert asked.coach_message == "Not now"


def test_request_withdraw_by_the_teacher(cast, asked):
    request = services.request_withdraw(actor=cast.teacher, request=asked)

    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN


def test_request_withdraw_a_proposed_request(cast, asked):
    propose(cast.coach, asked)

    services.request_withdraw(actor=cast.teacher, request=asked)

    asked.refresh_from_db()
    assert asked.status == RequestStatus.WITHDRAWN


@pytest.mark.parametrize("who", ["coach", "other_teacher"])
def test_request_withdraw_by_anyone_but_the_teacher_is_denied(cast, asked, who):
    with pytest.raises(PermissionDenied):
        services.request_withdraw(actor=getattr(cast, who), request=asked)

    asked.refresh_from_db()
    assert asked.status == RequestStatus.PENDING


# The same answer twice is a double click, not a mistake: see the *_twice tests.
CLOSED_THEN = [(how, answer) for how in CLOSED
               for answer in ("accept", "propose", "decline", "withdraw")
               if (how, answer) not in {("scheduled", "accept"), ("declined", "decline"),
                                        ("withdrawn", "withdraw")}]


@pytest.mark.parametrize(("how", "answer"), CLOSED_THEN)
def test_answering_a_closed_request_is_refused_clearly(cast, asked, how, answer):
    _close(cast, asked, how)
    before = (asked.status, asked.coach_message, asked.proposed_start)
    calls = {
        "propose": lambda: propose(cast.coach, asked),
        "decline": lambda: services.request_decline(actor=cast.coach, request=asked,
                                                    message="No"),
        "withdraw": lambda: services.request_withdraw(actor=cast.teacher, request=asked),
        "accept": lambda: accept(cast.coach, asked),
    }

    with pytest.raises(ValidationError) as caught:
        calls[answer]()

    assert caught.value.messages == [f"This request is already {how}."]
    asked.refresh_from_db()
    assert (asked.status, asked.coach_message, asked.proposed_start) == before


@pytest.mark.parametrize("answer", ["accept", "propose", "decline"])
@pytest.mark.parametrize("who", ["second_coach", "teacher", "admin"])
def test_only_the_requests_coach_answers_it(cast, persona, asked, answer, who):
    actor = persona(who)
    calls = {
        "accept": lambda: accept(actor, asked),
        "propose": lambda: propose(actor, asked),
        "decline": lambda: services.request_decline(actor=actor, request=asked,
                                                    message="No"),
    }

    with pytest.raises(PermissionDenied):
        calls[answer]()

    asked.refresh_from_db()
    assert (asked.status, asked.coach_message) == (RequestStatus.PENDING, "")
    assert not CoachingSession.objects.exists()


def test_request_accept_just_started_is_fine(cast, asked):
    # A coach catching the teacher in the hallway accepts for "now".
    now = timezone.now().replace(second=0, microsecond=0)

    session = accept(cast.coach, asked, starts_at=now - datetime.timedelta(minutes=5))

    assert session.starts_at == now - datetime.timedelta(minutes=5)
