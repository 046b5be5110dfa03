"""The session pages doing their work: scheduling, changing, cancelling, the log form
prefilled from the session, and the calendar address."""

import datetime
import uuid

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from bettertogether.coaching.models import Interaction
from bettertogether.coaching.tests.support import kind
from bettertogether.menu import services
from bettertogether.menu.models import CalendarFeed, CoachingSession, SessionStatus
from bettertogether.menu.tests.support import CHICAGO, accept, log_session


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_session_new_offers_the_caseload_and_preselects_a_teacher(cast, client_for):
    response = client_for(cast.coach).get(reverse("menu:session_new")
                                          + f"?teacher={cast.teacher.pk}")

    form = response.context["form"]
    assert list(form.fields["teachers"].queryset) == [cast.teacher]
    assert form.initial["teachers"] == [cast.teacher.pk]
    assert form.initial["idempotency_key"]


def test_session_new_schedules_once_per_key(cast, client_for):
    data = {"title": "Team planning", "teachers": [cast.teacher.pk],
            "kind": kind("Co-planning").pk, "starts_at": "2031-03-04T15:30",
            "ends_at": "16:15", "agenda": "Unit 4", "idempotency_key": str(uuid.uuid4())}
    client = client_for(cast.coach)

    first = client.post(reverse("menu:session_new"), data)
    again = client.post(reverse("menu:session_new"), data)

    session = CoachingSession.objects.get()
    assert first["Location"] == again["Location"] == reverse("menu:session", args=[session.pk])
    assert _messages(first) == ["Scheduled. The teachers have been told."]
    assert (session.title, session.agenda, session.starts_at.isoformat()) == (
        "Team planning", "Unit 4", "2031-03-04T21:30:00+00:00")


def test_session_page_offers_the_coach_log_change_and_cancel(cast, client_for, session):
    coach = client_for(cast.coach).get(reverse("menu:session", args=[session.pk]))
    teacher = client_for(cast.teacher).get(reverse("menu:session", args=[session.pk]))

    for name in ("menu:session_log", "menu:session_edit", "menu:session_cancel"):
        link = reverse(name, args=[session.pk]).encode()
        assert link in coach.content
        assert link not in teacher.content
    assert (coach.context["is_coach"], teacher.context["is_coach"]) == (True, False)


def test_session_edit_moves_the_session(cast, client_for, session):
    response = client_for(cast.coach).post(reverse("menu:session_edit", args=[session.pk]), {
        "title": "Moved conversation", "starts_at": "2031-03-04T15:30", "ends_at": "16:00",
        "location": "Room 4"})

    session.refresh_from_db()
    assert response["Location"] == reverse("menu:session", args=[session.pk])
    assert _messages(response) == ["Saved. Calendars will pick up the change."]
    assert (session.title, session.location, session.sequence,
            session.starts_at.isoformat()) == (
        "Moved conversation", "Room 4", 1, "2031-03-04T21:30:00+00:00")


def test_session_edit_form_starts_from_the_session_in_local_time(cast, client_for, session):
    response = client_for(cast.coach).get(reverse("menu:session_edit", args=[session.pk]))

    initial = response.context["form"].initial
    assert initial["starts_at"] == session.starts_at
    assert initial["starts_at"].tzinfo == CHICAGO
    assert initial["title"] == "Coaching conversation"


def test_session_cancel_returns_the_request_and_says_so(cast, client_for, asked):
    session = accept(cast.coach, asked)

    response = client_for(cast.coach).post(reverse("menu:session_cancel", args=[session.pk]))

    session.refresh_from_db()
    assert response["Location"] == reverse("menu:session", args=[session.pk])
    assert _messages(response) == ["Cancelled. The teachers have been told."]
    assert session.status == SessionStatus.CANCELLED


def test_session_cancel_of_a_logged_session_says_why_not(cast, client_for, session):
    log_session(cast.coach, session)

    response = client_for(cast.coach).post(reverse("menu:session_cancel", args=[session.pk]))

    session.refresh_from_db()
    assert _messages(response) == ["This session is logged: it happened, so it stays."]
    assert session.status == SessionStatus.SCHEDULED


def test_session_log_form_opens_prefilled_from_the_session(cast, client_for, session):
    response = client_for(cast.coach).get(reverse("menu:session_log", args=[session.pk]))

    initial = response.context["form"].initial
    assert (initial["teachers"], initial["kind"], initial["minutes"]) == (
        [cast.teacher.pk], session.kind_id, 45)
    assert initial["occurred_at"] == timezone.localtime(session.starts_at, timezone=CHICAGO)


def test_session_log_post_logs_and_links_the_interaction(cast, client_for, session):
    response = client_for(cast.coach).post(reverse("menu:session_log", args=[session.pk]), {
        "teachers": [cast.teacher.pk], "kind": kind("Co-planning").pk, "minutes": "40",
        "shared_note": "Plan attached", "idempotency_key": str(uuid.uuid4())})

    session.refresh_from_db()
    assert response["Location"] == reverse("menu:session", args=[session.pk])
    assert _messages(response) == ["Logged Coaching conversation."]
    assert session.interaction == Interaction.objects.get()
    assert session.interaction.minutes == 40


def test_session_log_of_a_logged_session_goes_back_to_it(cast, client_for, session):
    log_session(cast.coach, session)

    response = client_for(cast.coach).get(reverse("menu:session_log", args=[session.pk]))

    assert response["Location"] == reverse("menu:session", args=[session.pk])
    assert _messages(response) == ["This session is logged already."]


def test_sessions_list_shows_what_is_ready_to_log(cast, client_for, session):
    response = client_for(cast.coach).get(reverse("menu:sessions"))

    assert response.context["to_log"] == [session]
    assert reverse("menu:session_log", args=[session.pk]).encode() in response.content


def test_calendar_revoke_turns_the_address_off(cast, client_for, settings):
    client = client_for(cast.teacher)
    client.post(reverse("menu:calendar_reset"))
    address = client.get(reverse("menu:calendar")).context["address"]

    response = client.post(reverse("menu:calendar_revoke"))

    assert response["Location"] == reverse("menu:calendar")
    assert _messages(response) == ["Your calendar address is turned off."]
    assert client.get(address.removeprefix(settings.SITE_URL)).status_code == 404


def test_calendar_page_dates_the_address_in_the_organisations_zone(cast, client_for):
    services.calendar_feed_reset(actor=cast.teacher)
    # 03:00 on 2 March in UTC is still 1 March in Chicago.
    CalendarFeed.objects.filter(person=cast.teacher).update(
        created_at=datetime.datetime(2031, 3, 2, 3, 0, tzinfo=datetime.UTC))

    response = client_for(cast.teacher).get(reverse("menu:calendar"))

    assert b"Your address was made on 1 March 2031." in response.content
