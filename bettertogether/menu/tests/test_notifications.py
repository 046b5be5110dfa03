"""What the menu tells people: the coach of a new request, the teacher of an answer, and
everyone at a session but the person who changed it. Titles are built from names, item
titles and times only."""

import datetime

from django.core import mail
from django.urls import reverse

from bettertogether.directory.models import Role
from bettertogether.menu import services, sessions
from bettertogether.menu.tests.support import accept, ask, move, propose, schedule
from bettertogether.notifications.models import Notification
from bettertogether.testing import factories as f

NOTE = "NOTIFY-NOTE-19ab"
TIMES = "NOTIFY-TIMES-c4e2"
MESSAGE = "NOTIFY-MESSAGE-77f0"
AGENDA = "NOTIFY-AGENDA-0b3d"


def _sent():
    return list(Notification.objects.order_by("pk").values_list(
        "recipient__full_name", "kind", "title", "url"))


def _ask(cast, item):
    return ask(cast.teacher, cast.coach, item, note=NOTE, preferred_times=TIMES)


def test_request_create_notifies_the_coach(cast, item):
    request = _ask(cast, item)

    assert _sent() == [("Cora Coach", Notification.Kind.REQUEST_NEW,
                        "Tess Teacher asked for Co-plan a lesson",
                        reverse("menu:request", args=[request.pk]))]
    assert Notification.objects.get().network == cast.network


def test_request_create_twice_with_one_key_notifies_once(cast, item):
    request = _ask(cast, item)
    ask(cast.teacher, cast.coach, item, idempotency_key=request.idempotency_key)

    assert Notification.objects.count() == 1


def test_request_propose_notifies_the_teacher(cast, item):
    request = _ask(cast, item)

    propose(cast.coach, request, message=MESSAGE)

    assert _sent()[1:] == [("Tess Teacher", Notification.Kind.REQUEST_ANSWERED,
                            "Cora Coach proposed a time for Co-plan a lesson",
                            reverse("menu:request", args=[request.pk]))]


def test_request_decline_notifies_the_teacher(cast, item):
    request = _ask(cast, item)

    services.request_decline(actor=cast.coach, request=request, message=MESSAGE)

    assert _sent()[1:] == [("Tess Teacher", Notification.Kind.REQUEST_ANSWERED,
                            "Cora Coach answered your request for Co-plan a lesson",
                            reverse("menu:request", args=[request.pk]))]


def test_request_withdraw_notifies_nobody(cast, item):
    request = _ask(cast, item)

    services.request_withdraw(actor=cast.teacher, request=request)

    assert Notification.objects.count() == 1


def test_request_accept_notifies_the_teacher_not_the_coach(cast, item):
    request = _ask(cast, item)

    session = accept(cast.coach, request, starts_at=datetime.datetime(
        2031, 3, 4, 15, 30, tzinfo=datetime.UTC))

    # 15:30 UTC is 09:30 in Chicago, where Lincoln is.
    assert _sent()[1:] == [("Tess Teacher", Notification.Kind.SESSION_SCHEDULED,
                            "Co-plan a lesson is scheduled for Tue, Mar 4, 2031, 9:30 AM CST",
                            reverse("menu:session", args=[session.pk]))]


def test_request_take_proposal_notifies_the_coach_not_the_teacher(cast, item):
    request = _ask(cast, item)
    propose(cast.coach, request, starts_at=datetime.datetime(
        2031, 7, 8, 13, 0, tzinfo=datetime.UTC))

    session = services.request_take_proposal(actor=cast.teacher, request=request)

    # 13:00 UTC is 08:00 in Chicago in July (daylight-saving time).
    assert _sent()[2:] == [("Cora Coach", Notification.Kind.SESSION_SCHEDULED,
                            "Co-plan a lesson is scheduled for Tue, Jul 8, 2031, 8:00 AM CDT",
                            reverse("menu:session", args=[session.pk]))]


def test_session_schedule_notifies_every_attendee_but_not_the_coach(cast):
    teammate = f.PersonFactory(full_name="Tom Teammate")
    f.MembershipFactory(person=teammate, organisation=cast.school, role=Role.TEACHER)

    session = schedule(cast.coach, [cast.teacher, teammate], agenda=AGENDA,
                       starts_at=datetime.datetime(2031, 3, 4, 20, 0, tzinfo=datetime.UTC))

    url = reverse("menu:session", args=[session.pk])
    title = "Cora Coach scheduled Grade 3 team planning for Tue, Mar 4, 2031, 2:00 PM CST"
    assert sorted(_sent()) == [
        ("Tess Teacher", Notification.Kind.SESSION_SCHEDULED, title, url),
        ("Tom Teammate", Notification.Kind.SESSION_SCHEDULED, title, url),
    ]


def test_session_update_notifies_the_attendees_of_a_move(cast):
    session = schedule(cast.coach, [cast.teacher],
                       starts_at=datetime.datetime(2031, 3, 4, 20, 0, tzinfo=datetime.UTC))
    Notification.objects.all().delete()

    move(cast.coach, session, datetime.datetime(2031, 3, 5, 21, 0, tzinfo=datetime.UTC),
         agenda=AGENDA)

    assert _sent() == [("Tess Teacher", Notification.Kind.SESSION_CHANGED,
                        "Grade 3 team planning moved to Wed, Mar 5, 2031, 3:00 PM CST",
                        reverse("menu:session", args=[session.pk]))]


def test_session_update_without_a_move_notifies_nobody(cast):
    session = schedule(cast.coach, [cast.teacher])
    Notification.objects.all().delete()

    move(cast.coach, session, session.starts_at, agenda=AGENDA, location="Room 9")

    assert not Notification.objects.exists()


def test_session_cancel_notifies_the_attendees(cast):
    session = schedule(cast.coach, [cast.teacher],
                       starts_at=datetime.datetime(2031, 3, 4, 20, 0, tzinfo=datetime.UTC))
    Notification.objects.all().delete()

    sessions.session_cancel(actor=cast.coach, session=session)

    assert _sent() == [("Tess Teacher", Notification.Kind.SESSION_CANCELLED,
                        "Grade 3 team planning on Tue, Mar 4, 2031, 2:00 PM CST is cancelled",
                        reverse("menu:session", args=[session.pk]))]


def test_notifications_are_emailed_without_any_confidential_text(
        cast, item, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = _ask(cast, item)
        propose(cast.coach, request, message=MESSAGE)
        session = services.request_take_proposal(actor=cast.teacher, request=request)
        move(cast.coach, session, session.starts_at + datetime.timedelta(hours=1),
             agenda=AGENDA)
        sessions.session_cancel(actor=cast.coach, session=session)
        services.request_decline(actor=cast.coach, request=request, message=MESSAGE)

    titles = [title for _name, _kind, title, _url in _sent()]
    emails = [(m.subject, m.body, m.alternatives[0].content) for m in mail.outbox]

    assert [m.to for m in mail.outbox] == [
        ["coach@riverside.test"], ["teacher@riverside.test"], ["coach@riverside.test"],
        ["teacher@riverside.test"], ["teacher@riverside.test"], ["teacher@riverside.test"]]
    assert [m.subject for m in mail.outbox] == titles
    for secret in (NOTE, TIMES, MESSAGE, AGENDA):
        assert not any(secret in title for title in titles)
        assert not any(secret in part for message in emails for part in message)


def test_session_email_shows_the_networks_local_time_with_its_zone(
        cast, django_capture_on_commit_callbacks):
    """Read on a phone anywhere, the email names the zone of the time it gives."""
    with django_capture_on_commit_callbacks(execute=True):
        schedule(cast.coach, [cast.teacher],
                 starts_at=datetime.datetime(2031, 3, 4, 20, 0, tzinfo=datetime.UTC))

    [email] = mail.outbox
    when = "Tue, Mar 4, 2031, 2:00 PM CST"  # 20:00 UTC, in Chicago
    assert email.subject == f"Cora Coach scheduled Grade 3 team planning for {when}"
    assert when in email.body
    assert when in email.alternatives[0].content
    assert "20:00" not in email.body


def test_session_title_of_an_english_trust_is_in_london_time(cast):
    coach = f.PersonFactory(full_name="Nia Northfield")
    teacher = f.PersonFactory(full_name="Theo Teacher")
    f.MembershipFactory(person=coach, organisation=cast.outsider_school, role=Role.COACH)
    f.MembershipFactory(person=teacher, organisation=cast.outsider_school, role=Role.TEACHER)
    f.CaseloadAssignmentFactory(coach=coach, teacher=teacher, school=cast.outsider_school,
                                school_year=f.SchoolYearFactory(network=cast.outsider_network))

    schedule(coach, [teacher], title="Year 4 planning",
             starts_at=datetime.datetime(2031, 7, 8, 13, 0, tzinfo=datetime.UTC))

    assert _sent()[0][2] == "Nia Northfield scheduled Year 4 planning for Tue 8 Jul 2031, 14:00 BST"
