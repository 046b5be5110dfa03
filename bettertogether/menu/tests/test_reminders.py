"""Reminders of tomorrow's sessions: one per person, session and day, however often run."""

import datetime

from django.core.management import call_command

from bettertogether.coaching.tests.support import kind
from bettertogether.menu import sessions
from bettertogether.menu.reminders import session_reminders_send
from bettertogether.menu.tests.support import at
from bettertogether.notifications.models import Notification


def _schedule(cast, starts_at, title="Observe the number talk"):
    return sessions.session_schedule(actor=cast.coach, teachers=[cast.teacher],
                                     kind=kind("Observation"), title=title,
                                     starts_at=starts_at,
                                     ends_at=starts_at + datetime.timedelta(minutes=30))


def _reminders():
    return list(Notification.objects.filter(kind=Notification.Kind.SESSION_TOMORROW)
                .order_by("recipient__full_name").values_list("recipient__full_name", "title"))


def test_reminders_reach_the_coach_and_the_teacher_of_tomorrows_session(cast):
    session = _schedule(cast, at(1, 9, 30))
    _schedule(cast, at(2, 9, 30), title="The day after")

    sent = session_reminders_send()

    assert sent == 2
    # The zone is named: CST, or CDT in summer.
    title = f"Tomorrow at 9:30 AM {at(1).tzname()}: Observe the number talk"
    assert _reminders() == [("Cora Coach", title), ("Tess Teacher", title)]
    assert set(Notification.objects.filter(kind=Notification.Kind.SESSION_TOMORROW)
               .values_list("url", flat=True)) == {f"/sessions/{session.pk}/"}


def test_reminders_run_twice_remind_once(cast):
    _schedule(cast, at(1, 14))

    session_reminders_send()
    again = session_reminders_send()

    assert again == 0
    assert len(_reminders()) == 2


def test_reminders_skip_cancelled_sessions(cast):
    session = _schedule(cast, at(1, 14))
    sessions.session_cancel(actor=cast.coach, session=session)

    assert session_reminders_send() == 0


def test_reminders_follow_a_session_moved_to_another_day(cast):
    session = _schedule(cast, at(1, 14))
    session_reminders_send()
    sessions.session_update(actor=cast.coach, session=session, title=session.title,
                            starts_at=at(2, 16), ends_at=at(2, 16, 30))

    assert session_reminders_send() == 0  # nothing tomorrow any more
    assert session_reminders_send(now=at(1, 8)) == 2  # a day on, it is tomorrow again
    assert _reminders()[-1] == (
        "Tess Teacher", f"Tomorrow at 4:00 PM {at(2).tzname()}: Observe the number talk")


def test_reminders_use_the_organisation_day_not_utc(cast):
    # 23:30 in Chicago tomorrow is already the day after in UTC.
    _schedule(cast, at(1, 23, 30), title="Late")

    assert session_reminders_send(now=at(0, 12)) == 2


def test_send_session_reminders_command_says_how_many(cast, capsys):
    _schedule(cast, at(1, 10))

    call_command("send_session_reminders")

    assert capsys.readouterr().out == "Sent 2 reminders.\n"
