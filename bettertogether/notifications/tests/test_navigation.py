"""Everyone signed in finds "Notifications" in the navigation, with the unread count."""

import pytest
from django.urls import reverse

from bettertogether.notifications.models import Notification
from bettertogether.testing import factories as f

EVERYONE = ["coach", "teacher", "other_teacher", "leader", "admin", "outsider"]


@pytest.mark.parametrize("who", EVERYONE)
def test_navigation_offers_notifications_to_everyone(cast, client_for, who):
    response = client_for(getattr(cast, who)).get(reverse("core:home"))

    assert ("Notifications", "/notifications/", "notifications") in response.context["nav"]
    assert b'<li><a href="/notifications/">Notifications</a></li>' in response.content


def test_navigation_counts_only_the_persons_unread(cast, client_for):
    for _ in range(3):
        f.NotificationFactory(recipient=cast.teacher)
    read = f.NotificationFactory(recipient=cast.teacher)
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    f.NotificationFactory(recipient=cast.coach)

    response = client_for(cast.teacher).get(reverse("core:home"))

    assert (b'<li><a href="/notifications/">Notifications (3)'
            b'<span class="visually-hidden"> unread</span></a></li>') in response.content


def test_navigation_marks_notifications_pages_current(cast, client_for):
    client = client_for(cast.teacher)

    for name in ("notifications:list", "notifications:settings"):
        response = client.get(reverse(name))
        assert response.context["active"] == "notifications"
        assert b'aria-current="page">Notifications</a>' in response.content
