"""The notifications pages, as their owner, as everyone else in the cast, and signed out."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from bettertogether.directory.tests.support import assert_login_redirect
from bettertogether.notifications.models import Notification, NotificationPreference
from bettertogether.notifications.tests.support import state
from bettertogether.testing import factories as f

EVERYONE = ["coach", "teacher", "other_teacher", "leader", "admin", "outsider"]
NOT_THE_TEACHER = ["coach", "other_teacher", "leader", "admin", "outsider"]


def _open_url(notification) -> str:
    return reverse("notifications:open", args=[notification.pk])


# --- signed out ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["notifications:list", "notifications:settings"])
def test_notification_pages_anonymous_redirect_to_login(cast, name):
    url = reverse(name)

    assert_login_redirect(Client().get(url), url)


def test_notification_open_anonymous_redirects_to_login_and_changes_nothing(cast):
    notification = f.NotificationFactory(recipient=cast.teacher)
    before = state()

    assert_login_redirect(Client().get(_open_url(notification)), _open_url(notification))
    assert state() == before


# --- the list -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_notification_list_shows_only_the_owners_own(cast, client_for, who):
    person = getattr(cast, who)
    mine = f.NotificationFactory(recipient=person, title=f"For {person.full_name}")
    for other in EVERYONE:
        if other != who:
            f.NotificationFactory(recipient=getattr(cast, other),
                                  title=f"For {getattr(cast, other).full_name}")

    response = client_for(person).get(reverse("notifications:list"))

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [mine]
    content = response.content.decode()
    assert f"For {person.full_name}" in content
    for other in EVERYONE:
        if other != who:
            assert f"For {getattr(cast, other).full_name}" not in content


def test_notification_list_marks_unread_and_links_through_open(cast, client_for):
    read = f.NotificationFactory(recipient=cast.teacher, title="Seen already")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    unread = f.NotificationFactory(recipient=cast.teacher, title="Not seen yet")

    response = client_for(cast.teacher).get(reverse("notifications:list"))

    content = response.content.decode()
    assert response.context["unread"] == 1
    assert content.count('<span class="badge">Unread</span>') == 1
    assert (f'<span class="badge">Unread</span> <strong><a href="{_open_url(unread)}">'
            f"Not seen yet</a></strong>") in content
    assert f'<a href="{_open_url(read)}">Seen already</a>' in content
    assert "Mark all as read" in content
    assert "1 unread" in content


def test_notification_list_all_read_offers_no_mark_all(cast, client_for):
    notification = f.NotificationFactory(recipient=cast.teacher)
    Notification.objects.filter(pk=notification.pk).update(read_at=notification.created_at)

    content = client_for(cast.teacher).get(reverse("notifications:list")).content.decode()

    assert "Mark all as read" not in content
    assert "You are up to date." in content


def test_notification_list_empty_says_what_will_appear(cast, client_for):
    content = client_for(cast.teacher).get(reverse("notifications:list")).content.decode()

    assert "No notifications yet" in content


def test_notification_list_shows_30_a_page_newest_first(cast, client_for):
    made = [f.NotificationFactory(recipient=cast.teacher) for _ in range(31)]
    client = client_for(cast.teacher)

    first = client.get(reverse("notifications:list"))
    second = client.get(reverse("notifications:list") + "?page=2")

    assert list(first.context["page"].object_list) == made[:0:-1]
    assert list(second.context["page"].object_list) == [made[0]]
    assert "Page 1 of 2" in first.content.decode()


def test_notification_mark_all_read_marks_only_the_actors_own(cast, client_for):
    f.NotificationFactory(recipient=cast.teacher)
    f.NotificationFactory(recipient=cast.teacher)
    theirs = f.NotificationFactory(recipient=cast.coach)

    response = client_for(cast.teacher).post(reverse("notifications:mark_all_read"))

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Marked 2 notifications as read."]
    assert list(Notification.objects.filter(read_at__isnull=True)) == [theirs]


def test_notification_mark_all_read_by_get_is_refused(cast, client_for):
    f.NotificationFactory(recipient=cast.teacher)
    before = state()

    response = client_for(cast.teacher).get(reverse("notifications:mark_all_read"))

    assert response.status_code == 405
    assert state() == before


# --- opening one --------------------------------------------------------------------------


def test_notification_open_marks_read_and_follows_its_link(cast, client_for):
    notification = f.NotificationFactory(recipient=cast.teacher, url="/coaching/mine/")

    response = client_for(cast.teacher).get(_open_url(notification))

    assert response.status_code == 302
    assert response["Location"] == "/coaching/mine/"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("who", NOT_THE_TEACHER)
def test_notification_open_of_someone_elses_is_404_and_changes_nothing(cast, client_for, who):
    notification = f.NotificationFactory(recipient=cast.teacher)
    before = state()

    response = client_for(getattr(cast, who)).get(_open_url(notification))

    assert response.status_code == 404
    assert state() == before


def test_notification_open_of_one_that_does_not_exist_is_404(cast, client_for):
    assert client_for(cast.teacher).get(
        reverse("notifications:open", args=[987654])).status_code == 404


@pytest.mark.parametrize("url", [
    "https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)", "",
])
def test_notification_open_link_to_another_site_goes_to_the_list(cast, client_for, url):
    # Rows written around the service (it refuses these links) must not redirect away.
    notification = f.NotificationFactory(recipient=cast.teacher, url=url)

    response = client_for(cast.teacher).get(_open_url(notification))

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")


# --- settings -----------------------------------------------------------------------------


def test_notification_settings_shows_three_choices_with_immediate_by_default(cast, client_for):
    response = client_for(cast.teacher).get(reverse("notifications:settings"))

    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('type="radio" name="delivery"') == 3
    assert 'value="immediate" required id="id_delivery_0" checked' in content
    assert "You always see them here in the app, whichever you choose." in content
    assert NotificationPreference.objects.count() == 0


def test_notification_settings_shows_the_saved_choice(cast, client_for):
    f.NotificationPreferenceFactory(person=cast.teacher, delivery="none")

    response = client_for(cast.teacher).get(reverse("notifications:settings"))

    assert response.context["form"].initial == {"delivery": "none"}
    assert 'value="none" required id="id_delivery_2" checked' in response.content.decode()


@pytest.mark.parametrize("who", EVERYONE)
def test_notification_settings_save_changes_only_the_actors_choice(cast, client_for, who):
    person = getattr(cast, who)
    f.NotificationPreferenceFactory(person=cast.coach if who != "coach" else cast.teacher,
                                    delivery="none")

    response = client_for(person).post(reverse("notifications:settings"),
                                       {"delivery": "digest"})

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:settings")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Saved: you get one email each morning listing everything new."]
    assert NotificationPreference.objects.get(person=person).delivery == "digest"
    assert NotificationPreference.objects.exclude(person=person).get().delivery == "none"


@pytest.mark.parametrize(("posted", "error"), [
    ({"delivery": "weekly"}, "Choose one of the three ways."),
    ({}, "Choose how you want to hear about notifications."),
])
def test_notification_settings_bad_input_is_422_next_to_the_field(cast, client_for, posted,
                                                                  error):
    f.NotificationPreferenceFactory(person=cast.teacher, delivery="none")

    response = client_for(cast.teacher).post(reverse("notifications:settings"), posted)

    assert response.status_code == 422
    assert response.context["form"].errors == {"delivery": [error]}
    content = response.content.decode()
    assert 'class="field field-invalid"' in content
    assert error in content
    assert NotificationPreference.objects.get().delivery == "none"
