"""The notifications page and the navigation's unread count cost the same for 1 row as 30."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bettertogether.directory.tests.support import count_queries
from bettertogether.notifications.models import Notification
from bettertogether.testing import factories as f

MANY = 30


def _same_cost(client, url, grow, django_assert_num_queries):
    client.get(url)  # warm up: first-request work is not the page's cost
    one = count_queries(client, url)
    grow()
    with django_assert_num_queries(one):
        response = client.get(url)
    assert response.status_code == 200
    return response


def test_notification_list_query_count_does_not_grow(cast, client_for,
                                                     django_assert_num_queries):
    f.NotificationFactory(recipient=cast.teacher)

    def grow():
        for _ in range(MANY - 1):
            f.NotificationFactory(recipient=cast.teacher)
        f.NotificationFactory(recipient=cast.coach)

    response = _same_cost(client_for(cast.teacher), reverse("notifications:list"), grow,
                          django_assert_num_queries)

    assert len(response.context["page"].object_list) == MANY
    assert response.context["unread"] == MANY


def test_navigation_unread_count_is_one_query_whatever_the_count(cast, client_for,
                                                                 django_assert_num_queries):
    client = client_for(cast.teacher)
    url = reverse("core:profile")
    client.get(url)
    none_unread = count_queries(client, url)
    for _ in range(MANY):
        f.NotificationFactory(recipient=cast.teacher)

    with django_assert_num_queries(none_unread):
        response = client.get(url)

    assert b"Notifications (30)" in response.content


def test_navigation_unread_count_is_one_query_of_the_page(cast, client_for):
    client = client_for(cast.teacher)
    client.get(reverse("core:profile"))

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("core:profile"))

    table = Notification._meta.db_table
    assert len([q for q in captured.captured_queries if table in q["sql"]]) == 1
