"""Signing in and out, and the password pages, as a browser uses them."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from bettertogether.directory.models import PersonSession
from bettertogether.directory.tests.support import assert_login_redirect
from bettertogether.testing.factories import PASSWORD


def test_sign_in_with_email_in_any_case(cast):
    client = Client()

    response = client.post(reverse("accounts:login"),
                           {"username": "TEACHER@riverside.test", "password": PASSWORD})

    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(cast.teacher.pk)


def test_sign_in_with_wrong_password_says_so(cast):
    response = Client().post(reverse("accounts:login"),
                             {"username": cast.teacher.email, "password": "wrong-password"})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "That email address and password do not match an account. Check both and try again."]


def test_sign_in_follows_next_within_the_site(cast):
    response = Client().post(
        reverse("accounts:login") + "?next=/people/",
        {"username": cast.teacher.email, "password": PASSWORD, "next": "/people/"})

    assert response["Location"] == "/people/"


def test_sign_in_ignores_next_to_another_site(cast):
    response = Client().post(
        reverse("accounts:login"),
        {"username": cast.teacher.email, "password": PASSWORD,
         "next": "https://evil.example/steal"})

    assert response["Location"] == reverse("core:home")


def test_sign_in_page_sends_a_signed_in_person_home(cast, client_for):
    response = client_for(cast.teacher).get(reverse("accounts:login"))

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_sign_out_ends_the_session(cast, client_for):
    client = client_for(cast.teacher)

    response = client.post(reverse("accounts:logout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login")
    assert PersonSession.objects.filter(person_id=cast.teacher.pk).count() == 0
    assert_login_redirect(client.get(reverse("core:home")), reverse("core:home"))


def test_password_change_needs_signing_in(cast):
    url = reverse("accounts:password_change")

    assert_login_redirect(Client().get(url), url)


def test_password_change_by_oneself(cast, client_for):
    client = client_for(cast.teacher)

    response = client.post(reverse("accounts:password_change"), {
        "old_password": PASSWORD, "new_password1": "winter-lantern-88",
        "new_password2": "winter-lantern-88"})

    assert response.status_code == 302
    cast.teacher.refresh_from_db()
    assert cast.teacher.check_password("winter-lantern-88")
    assert client.get(reverse("core:home")).status_code == 200


def test_password_change_with_wrong_old_password_changes_nothing(cast, client_for):
    response = client_for(cast.teacher).post(reverse("accounts:password_change"), {
        "old_password": "not-it", "new_password1": "winter-lantern-88",
        "new_password2": "winter-lantern-88"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["old_password"]
    cast.teacher.refresh_from_db()
    assert cast.teacher.check_password(PASSWORD)


@pytest.mark.parametrize("who", ["teacher", "outsider"])
def test_password_reset_emails_a_link(cast, django_capture_on_commit_callbacks, who):
    person = getattr(cast, who)

    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("accounts:password_reset"), {"email": person.email})

    assert response.status_code == 302
    [message] = mail.outbox
    assert (message.to, message.subject) == (
        [person.email], "Reset your Better Together password")
    assert "/accounts/password/reset/" in message.body


def test_password_reset_for_unknown_email_sends_nothing_and_looks_the_same(cast):
    response = Client().post(reverse("accounts:password_reset"),
                             {"email": "nobody@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []
