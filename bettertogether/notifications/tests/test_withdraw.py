"""Taking back a notification whose page no longer opens for its recipient."""

from bettertogether.notifications.models import Notification
from bettertogether.notifications.services import notification_send, notification_withdraw


def _send(person, key):
    return notification_send(recipient=person, kind=Notification.Kind.REPORT_SHARED,
                             title="Cora Coach shared a report with you",
                             url="/reports/shared/x/", dedupe_key=key)


def test_notification_withdraw_takes_back_that_key_for_that_recipient_only(cast):
    _send(cast.leader, "report_snapshot:1")
    _send(cast.leader, "report_snapshot:2")
    _send(cast.admin, "report_snapshot:1")

    taken = notification_withdraw(recipient=cast.leader, dedupe_key="report_snapshot:1")

    assert taken == 1
    assert sorted(Notification.objects.values_list("recipient__full_name", "dedupe_key")) == [
        ("Adam Admin", "report_snapshot:1"), ("Lena Leader", "report_snapshot:2")]


def test_notification_withdraw_without_a_key_takes_back_nothing(cast):
    notification_send(recipient=cast.leader, kind=Notification.Kind.REPORT_SHARED,
                      title="Shared", url="/reports/")

    assert notification_withdraw(recipient=cast.leader, dedupe_key=" ") == 0
    assert Notification.objects.count() == 1
