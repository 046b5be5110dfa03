"""Canary: text planted in every confidential field of the menu must reach only the pair.

- A request's `note`, `preferred_times` and `coach_message`, and a session's `agenda`: the
  coach and the teacher, on the request's and the session's pages; never in a
  notification, an email, a calendar feed or the activity log.
- The `private_note` of an interaction logged from a session: the coach alone, never even
  the teacher.
"""

import logging

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from bettertogether.activity.models import ActivityEntry
from bettertogether.menu import services
from bettertogether.menu.tests.support import log_session, move, propose, schedule
from bettertogether.notifications.models import Notification
from bettertogether.testing import factories as f

NOTE = "CANARY-REQUEST-NOTE-4d1e"
TIMES = "CANARY-PREFERRED-TIMES-9a2c"
MESSAGE = "CANARY-COACH-MESSAGE-e83f"
AGENDA = "CANARY-AGENDA-57b0"
PRIVATE = "CANARY-SESSION-PRIVATE-c6a9"
PAIR = (NOTE, TIMES, MESSAGE, AGENDA)
CANARIES = (*PAIR, PRIVATE)


@pytest.fixture
def planted(cast, item, session, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = services.request_create(actor=cast.teacher, coach=cast.coach, item=item,
                                          note=NOTE, preferred_times=TIMES)
        propose(cast.coach, request, message=MESSAGE)
        agenda = schedule(cast.coach, [cast.teacher], title="Planning ahead", agenda=AGENDA)
        move(cast.coach, session, session.starts_at, agenda=AGENDA)
        logged = schedule(cast.coach, [cast.teacher], title="Logged one", agenda=AGENDA,
                          starts_at=session.starts_at)
        log_session(cast.coach, logged, private_note=PRIVATE, shared_note="Shared words")
    return {"request": request, "agenda": agenda, "session": session, "logged": logged}


def _urls(cast, item, planted):
    request, sessions = planted["request"], (planted["agenda"], planted["session"],
                                             planted["logged"])
    return [
        reverse("menu:menu"),
        reverse("menu:item_create"),
        reverse("menu:item_edit", args=[item.pk]),
        reverse("menu:request_new", args=[item.pk]),
        reverse("menu:network_menu", args=[cast.network.pk]),
        reverse("menu:inbox"),
        reverse("menu:inbox") + "?status=all",
        reverse("menu:inbox") + f"?teacher={cast.teacher.pk}",
        reverse("menu:my_requests"),
        reverse("menu:request", args=[request.pk]),
        reverse("menu:sessions"),
        reverse("menu:session_new"),
        *(reverse("menu:session", args=[s.pk]) for s in sessions),
        *(reverse("menu:session_edit", args=[s.pk]) for s in sessions),
        reverse("menu:session_log", args=[planted["session"].pk]),
        reverse("menu:calendar"),
        reverse("notifications:list"),
        reverse("core:home"),
        reverse("coaching:mine"),
        reverse("coaching:caseload"),
        reverse("coaching:teacher", args=[cast.teacher.pk]),
        reverse("coaching:my_log"),
        reverse("activity:log"),
        "/support/",
        "/support/notifications/notification/",
        "/support/activity/activityentry/",
    ]


def _everything_seen_by(person, urls) -> str:
    client = Client()
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    pages = "".join(client.get(url).content.decode() for url in urls)
    token = services.calendar_feed_reset(actor=person)
    feed = Client().get(reverse("menu:feed", args=[token])).content.decode()
    titles = "".join(Notification.objects.filter(recipient=person)
                     .values_list("title", flat=True))
    emails = "".join(m.subject + m.body + m.alternatives[0].content for m in mail.outbox
                     if person.email in m.to)
    return pages + feed + titles + emails


@pytest.mark.parametrize("who", ["second_coach", "other_teacher", "leader", "admin",
                                 "outsider", "support_staff"])
def test_canary_nothing_confidential_for_anyone_outside_the_pair(cast, persona, item, planted,
                                                                 who, caplog):
    caplog.set_level(logging.DEBUG)
    if who == "support_staff":
        actor = f.PersonFactory(is_staff=True, is_superuser=True, email="staff@bt.test")
    else:
        actor = persona(who)

    seen = _everything_seen_by(actor, _urls(cast, item, planted))

    for canary in CANARIES:
        assert canary not in seen, f"{canary} reached {who}"
    assert not any(canary in caplog.text for canary in CANARIES)


def test_canary_teacher_sees_the_pairs_words_but_never_the_private_note(cast, item, planted,
                                                                        caplog):
    caplog.set_level(logging.DEBUG)

    seen = _everything_seen_by(cast.teacher, _urls(cast, item, planted))

    assert all(canary in seen for canary in PAIR)
    assert PRIVATE not in seen
    assert not any(canary in caplog.text for canary in CANARIES)


def test_canary_coach_sees_all_of_it(cast, item, planted, caplog):
    caplog.set_level(logging.DEBUG)

    seen = _everything_seen_by(cast.coach, _urls(cast, item, planted))

    assert all(canary in seen for canary in CANARIES)
    assert not any(canary in caplog.text for canary in CANARIES)


@pytest.mark.parametrize("who", ["coach", "teacher"])
def test_canary_never_in_the_pairs_own_calendar_feed(cast, planted, who):
    token = services.calendar_feed_reset(actor=getattr(cast, who))

    feed = Client().get(reverse("menu:feed", args=[token])).content.decode()

    assert "Planning ahead" in feed
    assert not any(canary in feed for canary in CANARIES)


def test_canary_never_in_notifications_emails_or_activity(cast, planted):
    texts = [
        repr(list(Notification.objects.values())),
        "".join(m.subject + m.body + m.alternatives[0].content for m in mail.outbox),
        repr(list(ActivityEntry.objects.values())),
    ]

    # The session fixture's notification was made before the emails were captured.
    assert Notification.objects.count() == 5
    assert len(mail.outbox) == 4
    assert not any(canary in text for text in texts for canary in CANARIES)
