"""Switching a person off ends every session they have open, at once."""

from django.test import Client
from django.urls import reverse

from bettertogether.activity.models import ActivityEntry
from bettertogether.directory.models import PersonSession
from bettertogether.directory.services import person_deactivate
from bettertogether.directory.tests.support import assert_login_redirect
from bettertogether.testing.factories import PASSWORD


def _sign_in(person) -> Client:
    """Sign in through the real sign-in form, as a browser would."""
    client = Client()
    response = client.post(reverse("accounts:login"),
                           {"username": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    return client


def test_sign_in_stores_a_session_that_knows_its_person(cast):
    _sign_in(cast.teacher)

    assert PersonSession.objects.filter(person_id=cast.teacher.pk).count() == 1


def test_person_deactivate_ends_every_open_session(cast):
    laptop = _sign_in(cast.teacher)
    phone = Client()
    phone.force_login(cast.teacher, backend="django.contrib.auth.backends.ModelBackend")
    assert laptop.get(reverse("core:home")).status_code == 200
    assert phone.get(reverse("core:home")).status_code == 200
    assert PersonSession.objects.filter(person_id=cast.teacher.pk).count() == 2

    person_deactivate(actor=cast.admin, person=cast.teacher)

    assert PersonSession.objects.filter(person_id=cast.teacher.pk).count() == 0
    for client in (laptop, phone):
        assert_login_redirect(client.get(reverse("core:home")), reverse("core:home"))


def test_person_deactivate_records_how_many_sessions_ended(cast):
    _sign_in(cast.teacher)
    _sign_in(cast.teacher)

    person_deactivate(actor=cast.admin, person=cast.teacher)

    entry = ActivityEntry.objects.get(action="person.deactivate")
    assert entry.details == {"count": 2}


def test_person_deactivate_leaves_other_peoples_sessions_alone(cast):
    colleague = _sign_in(cast.other_teacher)
    _sign_in(cast.teacher)

    person_deactivate(actor=cast.admin, person=cast.teacher)

    assert PersonSession.objects.filter(person_id=cast.other_teacher.pk).count() == 1
    assert colleague.get(reverse("core:home")).status_code == 200


def test_switched_off_person_cannot_sign_in_again(cast):
    person_deactivate(actor=cast.admin, person=cast.teacher)

    response = Client().post(reverse("accounts:login"),
                             {"username": cast.teacher.email, "password": PASSWORD})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "That email address and password do not match an account. Check both and try again."]
    assert PersonSession.objects.filter(person_id=cast.teacher.pk).count() == 0
