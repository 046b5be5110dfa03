"""The support admin shows notifications and lets nobody change them."""

from django.urls import reverse

from bettertogether.notifications.models import Notification
from bettertogether.testing import factories as f


def test_notification_admin_lists_what_was_sent_read_only(cast, client_for):
    staff = f.PersonFactory(full_name="Sue Support", is_staff=True, is_superuser=True)
    notification = f.NotificationFactory(recipient=cast.teacher, title="Cora Coach answered")
    client = client_for(staff)

    listing = client.get(reverse("admin:notifications_notification_changelist"))
    change = client.post(
        reverse("admin:notifications_notification_change", args=[notification.pk]),
        {"title": "Changed"})

    assert listing.status_code == 200
    content = listing.content.decode()
    for column in ("Recipient", "Kind", "Title", "Created", "Read", "Emailed"):
        assert f">{column}</a>" in content
    assert "Cora Coach answered" in content
    assert "Tess Teacher" in content
    assert change.status_code == 403
    assert Notification.objects.get().title == "Cora Coach answered"
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 403
