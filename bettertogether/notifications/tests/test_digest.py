"""The daily digest: one email per person of everything not yet emailed, once."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from bettertogether.notifications import services
from bettertogether.notifications.models import Notification
from bettertogether.notifications.tasks import send_digests
from bettertogether.notifications.tests.support import send
from bettertogether.testing import factories as f
from bettertogether.testing.smtp import link_in, text_body

SITE = "https://bt.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


@pytest.fixture
def on_digest(cast):
    """The cast's teacher and coach both chose the daily digest."""
    for person in (cast.teacher, cast.coach):
        f.NotificationPreferenceFactory(person=person, delivery="digest")


def test_digest_send_emails_each_person_once_with_all_their_titles(cast, on_digest, smtp_sink):
    send(cast.teacher, kind="request_answered", title="Cora Coach answered: Co-planning",
         url="/menu/requests/1/")
    send(cast.teacher, kind="session_tomorrow", title="Co-planning tomorrow at 09:00",
         url="/menu/sessions/2/")
    send(cast.coach, title="Tess Teacher asked for Co-planning")
    now = timezone.now()

    assert services.digest_send(now=now) == 2

    message = smtp_sink.wait_for("teacher@riverside.test")
    assert message["Subject"] == "Better Together: 2 new notifications"
    body = text_body(message)
    assert "Here are your 2 new notifications:" in body
    assert "- Your coach answered your request: Cora Coach answered: Co-planning" in body
    assert "- A session tomorrow: Co-planning tomorrow at 09:00" in body
    assert body.index("Cora Coach answered") < body.index("Co-planning tomorrow")
    assert link_in(message, path="/menu/sessions/") == SITE + "/menu/sessions/2/"
    assert link_in(message, path="/notifications/settings/") == (
        SITE + "/notifications/settings/")
    assert "You get one email a day listing what is new." in body
    coach_message = smtp_sink.wait_for("coach@riverside.test")
    assert coach_message["Subject"] == "Better Together: 1 new notification"
    assert "Tess Teacher asked for Co-planning" in text_body(coach_message)
    assert len(smtp_sink.messages) == 2
    assert set(Notification.objects.values_list("emailed_at", flat=True)) == {now}


def test_digest_send_twice_sends_once(cast, on_digest):
    send(cast.teacher)
    send(cast.teacher)

    assert services.digest_send() == 1
    assert services.digest_send() == 0

    assert [m.to for m in mail.outbox] == [["teacher@riverside.test"]]


def test_digest_send_again_the_next_day_sends_only_what_is_new(cast, on_digest):
    send(cast.teacher, title="Monday's news")
    services.digest_send()
    send(cast.teacher, title="Tuesday's news")

    assert services.digest_send() == 1

    second = mail.outbox[1].body
    assert "Tuesday's news" in second
    assert "Monday's news" not in second


def test_digest_send_leaves_what_arrives_after_now_for_tomorrow(cast, on_digest):
    early = send(cast.teacher, title="Early")
    late = send(cast.teacher, title="Late")
    Notification.objects.filter(pk=late.pk).update(
        created_at=timezone.now() + datetime.timedelta(minutes=5))

    services.digest_send()

    assert "Late" not in mail.outbox[0].body
    assert list(Notification.objects.filter(emailed_at__isnull=False)) == [early]


def test_digest_send_skips_immediate_app_only_and_switched_off_people(cast):
    f.NotificationPreferenceFactory(person=cast.leader, delivery="none")
    f.NotificationPreferenceFactory(person=cast.other_teacher, delivery="digest")
    cast.other_teacher.is_active = False
    cast.other_teacher.save()
    f.NotificationFactory(recipient=cast.coach)  # immediate (no choice made)
    f.NotificationFactory(recipient=cast.leader)
    f.NotificationFactory(recipient=cast.other_teacher)

    assert services.digest_send() == 0

    assert mail.outbox == []
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()


def test_digest_send_app_only_never_emails_even_after_many_runs(
    cast, django_capture_on_commit_callbacks
):
    f.NotificationPreferenceFactory(person=cast.teacher, delivery="none")

    with django_capture_on_commit_callbacks(execute=True):
        send(cast.teacher)
        send(cast.teacher, kind="session_tomorrow", dedupe_key="s1")
    services.digest_send()
    services.digest_send()

    assert mail.outbox == []
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2


def test_digest_send_skips_what_was_already_emailed_immediately(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(cast.teacher, title="Sent at once")
    f.NotificationPreferenceFactory(person=cast.teacher, delivery="digest")
    send(cast.teacher, title="Kept for the digest")

    assert services.digest_send() == 1

    assert [m.subject for m in mail.outbox] == [
        "Sent at once", "Better Together: 1 new notification"]
    assert "Sent at once" not in mail.outbox[1].body


def test_digest_send_speaks_en_gb_for_an_en_gb_network(cast):
    f.NotificationPreferenceFactory(person=cast.outsider, delivery="digest")
    send(cast.outsider, kind="session_cancelled", title="Co-planning on 3 March")

    services.digest_send()

    [message] = mail.outbox
    assert "- A session was cancelled: Co-planning on 3 March" in message.body
    assert '<html lang="en-gb">' in message.alternatives[0].content


@pytest.mark.parametrize(("who", "when"), [
    ("teacher", "Wed, Mar 4, 2026, 10:23 AM CST"),  # Riverside: America/Chicago
    ("outsider", "Wed 4 Mar 2026, 16:23 GMT"),  # Northfield: Europe/London
])
def test_digest_gives_each_notifications_time_in_the_networks_zone(cast, who, when):
    person = getattr(cast, who)
    f.NotificationPreferenceFactory(person=person, delivery="digest")
    sent = send(person, title="Co-planning on 3 March")
    Notification.objects.filter(pk=sent.pk).update(
        created_at=datetime.datetime(2026, 3, 4, 16, 23, tzinfo=datetime.UTC))

    services.digest_send()

    [message] = mail.outbox
    assert f"Co-planning on 3 March ({when})" in message.body
    assert f"Co-planning on 3 March</a> ({when})" in message.alternatives[0].content


def test_send_digests_task_sends_the_digests(cast, on_digest):
    send(cast.teacher)

    result = send_digests.enqueue()

    assert result.return_value == 1
    assert [m.to for m in mail.outbox] == [["teacher@riverside.test"]]


def test_send_digests_command_reports_how_many_it_sent(cast, on_digest):
    send(cast.teacher)
    send(cast.coach)
    out = io.StringIO()

    call_command("send_digests", stdout=out)
    call_command("send_digests", stdout=out)

    assert out.getvalue() == "Sent 2 digest emails.\nSent 0 digest emails.\n"
    assert len(mail.outbox) == 2
