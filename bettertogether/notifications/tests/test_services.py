"""Sending a notification: the row, deduplication, who is skipped, the immediate email."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bettertogether.activity.models import ActivityEntry
from bettertogether.notifications import services
from bettertogether.notifications.models import Delivery, Notification, NotificationPreference
from bettertogether.notifications.tasks import send_notification_email
from bettertogether.notifications.tests.support import send, state
from bettertogether.testing import factories as f
from bettertogether.testing.smtp import link_in, text_body

SITE = "https://bt.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE


# --- the row ------------------------------------------------------------------------------


def test_notification_send_creates_the_row_in_the_recipients_network(cast):
    notification = send(cast.coach)

    assert Notification.objects.get() == notification
    assert (notification.recipient, notification.kind, notification.title, notification.url,
            notification.network, notification.read_at, notification.emailed_at) == (
        cast.coach, "request_new", "Tess Teacher asked for Co-planning",
        "/coaching/requests/5/", cast.network, None, None)


def test_notification_send_with_a_school_keeps_its_network(cast):
    notification = send(cast.coach, network=cast.school)

    assert notification.network == cast.network


def test_notification_send_long_title_is_one_line_of_200_characters(cast):
    notification = send(cast.coach, title="Tess Teacher\nasked " + "x" * 300)

    assert len(notification.title) == 200
    assert notification.title.startswith("Tess Teacher asked xxx")
    assert notification.title.endswith("x…")


def test_notification_send_same_dedupe_key_twice_notifies_once(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = send(cast.teacher, kind="session_tomorrow", dedupe_key="session:7:tomorrow")
    with django_capture_on_commit_callbacks(execute=True):
        second = send(cast.teacher, kind="session_tomorrow", dedupe_key="session:7:tomorrow")

    assert first is not None
    assert second is None
    assert list(Notification.objects.all()) == [first]
    assert len(mail.outbox) == 1


def test_notification_send_same_dedupe_key_for_two_people_notifies_both(cast):
    send(cast.teacher, dedupe_key="session:7:tomorrow")
    send(cast.coach, dedupe_key="session:7:tomorrow")
    send(cast.coach)
    send(cast.coach)

    assert Notification.objects.count() == 4


def test_notification_send_to_switched_off_person_does_nothing(
    cast, django_capture_on_commit_callbacks
):
    cast.teacher.is_active = False
    cast.teacher.save()

    with django_capture_on_commit_callbacks(execute=True):
        assert send(cast.teacher) is None

    assert state() == []
    assert mail.outbox == []


@pytest.mark.parametrize(("field", "value"), [
    ("url", "https://evil.example/"),
    ("url", "//evil.example/"),
    ("url", "coaching/requests/5/"),
    ("kind", "party"),
    ("title", "   "),
])
def test_notification_send_bad_arguments_raise_and_change_nothing(cast, field, value):
    arguments = {"kind": "request_new", "title": "A title", "url": "/coaching/"}
    arguments[field] = value

    with pytest.raises(ValidationError) as raised:
        send(cast.teacher, **arguments)

    assert list(raised.value.error_dict) == [field]
    assert state() == []


# --- the immediate email ------------------------------------------------------------------


def test_notification_send_immediate_emails_title_and_link(
    cast, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = send(cast.coach)

    message = smtp_sink.wait_for("coach@riverside.test")
    assert message["Subject"] == "Tess Teacher asked for Co-planning"
    body = text_body(message)
    assert "A teacher asked for support: Tess Teacher asked for Co-planning" in body
    assert link_in(message, path="/coaching/") == SITE + "/coaching/requests/5/"
    assert link_in(message, path="/notifications/settings/") == (
        SITE + "/notifications/settings/")
    assert "You get an email for each notification." in body
    html = message.get_body(preferencelist=("html",)).get_content()
    assert f'<a href="{SITE}/coaching/requests/5/">' in html
    assert len(smtp_sink.messages) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_notification_email_says_only_the_kind_title_link_and_preference(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(cast.coach)

    [message] = mail.outbox
    assert message.body == (
        "Hello Cora,\n\n"
        "A teacher asked for support: Tess Teacher asked for Co-planning\n\n"
        "See it in Better Together:\n"
        f"{SITE}/coaching/requests/5/\n\n"
        "You get an email for each notification. To get one email a day instead, or no "
        "email at all, change your notification settings:\n"
        f"{SITE}/notifications/settings/\n\n"
        "— Better Together\n"
    )


def test_notification_send_email_waits_for_the_commit(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send(cast.coach)

    assert mail.outbox == []
    assert len(callbacks) == 1


def test_notification_send_rolled_back_sends_nothing(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), \
            transaction.atomic():
        send(cast.coach)
        raise RuntimeError("the caller's write failed")

    assert state() == []
    assert mail.outbox == []


def test_send_notification_email_twice_sends_once(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = send(cast.coach)

    assert send_notification_email.call(notification_id=notification.pk) is False
    assert [m.to for m in mail.outbox] == [["coach@riverside.test"]]


def test_notification_email_sent_again_after_its_worker_died_is_the_same_message(
    cast, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = send(cast.coach)
    # The worker was killed after the mail server took the email and before it recorded
    # it: the task runs again (core/worker.py) and sends it again.
    Notification.objects.filter(pk=notification.pk).update(emailed_at=None)

    assert send_notification_email.call(notification_id=notification.pk) is True

    first, second = smtp_sink.messages
    assert first["Message-ID"] == second["Message-ID"] == (
        f"<notification-{notification.pk}-{int(notification.created_at.timestamp())}"
        "@bt.example>")


def test_two_notification_emails_have_two_message_ids(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(cast.coach)
        send(cast.coach)

    first, second = mail.outbox
    assert first.message()["Message-ID"] != second.message()["Message-ID"]


def test_send_notification_email_after_switching_to_the_app_only_sends_nothing(cast):
    notification = send(cast.coach)  # queued, but the worker has not run yet
    services.notification_preference_update(actor=cast.coach, delivery=Delivery.NONE)

    assert send_notification_email.call(notification_id=notification.pk) is False
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is None


@pytest.mark.parametrize("delivery", [Delivery.DIGEST, Delivery.NONE])
def test_notification_send_for_digest_or_app_only_sends_no_email_now(
    cast, django_capture_on_commit_callbacks, delivery
):
    f.NotificationPreferenceFactory(person=cast.coach, delivery=delivery)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = send(cast.coach)

    assert callbacks == []
    assert mail.outbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_notification_email_speaks_en_gb_for_an_en_gb_network(
    cast, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(cast.outsider, kind="session_cancelled", title="Co-planning on 3 March",
             url="/menu/sessions/4/")

    message = smtp_sink.wait_for("outsider@northfield.test")
    assert "A session was cancelled: Co-planning on 3 March" in text_body(message)
    assert "canceled" not in text_body(message)
    assert '<html lang="en-gb">' in message.get_body(preferencelist=("html",)).get_content()


def test_notification_email_speaks_en_us_for_an_en_us_network(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send(cast.teacher, kind="session_cancelled", title="Co-planning on March 3")

    [message] = mail.outbox
    assert "A session was canceled: Co-planning on March 3" in message.body


# --- reading and choosing -----------------------------------------------------------------


def test_notifications_mark_read_given_ids_marks_only_the_actors_own(cast):
    mine, other_mine = send(cast.coach), send(cast.coach)
    theirs = send(cast.teacher)

    changed = services.notifications_mark_read(actor=cast.coach, ids=[mine.pk, theirs.pk])

    assert changed == 1
    assert [(n.pk, n.read_at is not None) for n in Notification.objects.order_by("pk")] == [
        (mine.pk, True), (other_mine.pk, False), (theirs.pk, False)]


def test_notifications_mark_read_none_marks_all_the_actors_own(cast):
    send(cast.coach)
    send(cast.coach)
    theirs = send(cast.teacher)

    assert services.notifications_mark_read(actor=cast.coach, ids=None) == 2
    assert services.notifications_mark_read(actor=cast.coach, ids=None) == 0
    assert list(Notification.objects.filter(read_at__isnull=True)) == [theirs]


def test_notifications_mark_read_bad_ids_raise_and_change_nothing(cast):
    send(cast.coach)
    before = state()

    with pytest.raises(ValidationError):
        services.notifications_mark_read(actor=cast.coach, ids=["1"])

    assert state() == before


def test_notifications_mark_read_anonymous_is_refused(cast):
    with pytest.raises(PermissionDenied):
        services.notifications_mark_read(actor=AnonymousUser(), ids=None)


def test_notification_preference_update_saves_and_records_activity(cast):
    preference = services.notification_preference_update(actor=cast.teacher,
                                                         delivery=Delivery.DIGEST)

    assert NotificationPreference.objects.get() == preference
    assert (preference.person, preference.delivery) == (cast.teacher, "digest")
    entry = ActivityEntry.objects.get()
    assert (entry.actor, entry.action, entry.target_id, entry.target_label, entry.organisation,
            entry.network_id, entry.details) == (
        cast.teacher, "notification_preference.update", preference.pk, "Daily digest",
        cast.network, cast.network.pk, {"fields": ["delivery"], "kind": "digest"})


def test_notification_preference_update_same_choice_again_records_nothing(cast):
    first = services.notification_preference_update(actor=cast.teacher, delivery="none")
    updated_at = first.updated_at

    again = services.notification_preference_update(actor=cast.teacher, delivery="none")

    assert again.updated_at == updated_at
    assert ActivityEntry.objects.count() == 1


def test_notification_preference_update_bad_choice_raises_and_changes_nothing(cast):
    f.NotificationPreferenceFactory(person=cast.teacher, delivery="digest")

    with pytest.raises(ValidationError) as raised:
        services.notification_preference_update(actor=cast.teacher, delivery="weekly")

    assert list(raised.value.error_dict) == ["delivery"]
    assert NotificationPreference.objects.get().delivery == "digest"
    assert ActivityEntry.objects.count() == 0


def test_notification_preference_update_for_someone_without_a_network(db):
    person = f.PersonFactory()

    services.notification_preference_update(actor=person, delivery="digest")

    entry = ActivityEntry.objects.get()
    assert (entry.organisation, entry.network) == (None, None)
    assert timezone.now() >= person.notification_preference.updated_at
