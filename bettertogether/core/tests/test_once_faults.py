"""A post whose database went away under it (PostgreSQL restarted) is answered truthfully
when it is sent again, and its work is never done twice (`core/once.py`).

The restart is played by ending the post's own database connection from another one
(`pg_terminate_backend`, as a restart does to every connection), after its service has
committed or before it has. Between two requests the server replaces a broken connection
(`close_old_connections`); the test client does not, so the tests do it themselves.
"""

from __future__ import annotations

import uuid

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse

from bettertogether.coaching import services as coaching_services
from bettertogether.coaching.models import Interaction
from bettertogether.coaching.tests.support import kind
from bettertogether.core import once
from bettertogether.goals import services as goals_services
from bettertogether.goals.models import GrowthGoal

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="a restart ends PostgreSQL connections; SQLite has none"),
    pytest.mark.django_db(transaction=True),
]


def _end_this_connection() -> None:
    """What a restart of PostgreSQL does to the connection of a post running now."""
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(dbname=settings["NAME"], user=settings["USER"],
                         password=settings["PASSWORD"] or None, host=settings["HOST"] or None,
                         port=settings["PORT"] or None, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def _restart(monkeypatch, module, name, *, after_commit: bool) -> None:
    real = getattr(module, name)

    def service(**kwargs):
        if not after_commit:
            _end_this_connection()
        done = real(**kwargs)
        _end_this_connection()
        return done

    monkeypatch.setattr(module, name, service, raising=True)


def _client(person) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _send_again(client, url, data):
    close_old_connections()  # what the server does before the next request
    return client.post(url, data, HTTP_REFERER=f"http://testserver{url}")


def _quick_log(cast):
    return {"kind": kind("Tech help").pk, "teachers": [cast.teacher.pk], "minutes": "10",
            "submission": str(uuid.uuid4()), "idempotency_key": str(uuid.uuid4())}


@pytest.fixture(autouse=True)
def _short_wait(monkeypatch):
    monkeypatch.setattr(once, "WAIT_SECONDS", 0.3)


def test_quick_log_saved_before_the_restart_is_acknowledged_when_sent_again_once(
        cast, monkeypatch):
    client, url, data = _client(cast.coach), reverse("coaching:log"), _quick_log(cast)
    _restart(monkeypatch, coaching_services, "interaction_log", after_commit=True)

    first = client.post(url, data)
    monkeypatch.undo()
    again = _send_again(client, url, data)

    assert first.status_code == 500
    assert (again.status_code, again["Location"]) == (302, url)
    assert Interaction.objects.filter(idempotency_key=data["idempotency_key"]).count() == 1
    assert "Logged: Tech help" in client.get(url).content.decode()


def test_quick_log_lost_with_the_restart_is_saved_when_sent_again(cast, monkeypatch):
    client, url, data = _client(cast.coach), reverse("coaching:log"), _quick_log(cast)
    _restart(monkeypatch, coaching_services, "interaction_log", after_commit=False)

    first = client.post(url, data)
    monkeypatch.undo()
    assert Interaction.objects.filter(idempotency_key=data["idempotency_key"]).count() == 0
    again = _send_again(client, url, data)

    assert (first.status_code, again.status_code) == (500, 302)
    assert Interaction.objects.filter(idempotency_key=data["idempotency_key"]).count() == 1


def test_form_without_its_own_key_is_not_done_twice_and_says_it_may_have_been_saved(
        cast, monkeypatch):
    client, url = _client(cast.teacher), reverse("goals:growth_new")
    data = {"title": "Wait time", "description": "", "submission": str(uuid.uuid4())}
    _restart(monkeypatch, goals_services, "growth_goal_create", after_commit=True)

    first = client.post(url, data)
    monkeypatch.undo()
    again = _send_again(client, url, data)
    third = _send_again(client, url, data)

    assert first.status_code == 500
    assert (again.status_code, again["Location"]) == (303, f"http://testserver{url}")
    assert third.status_code == 303
    assert GrowthGoal.objects.filter(teacher=cast.teacher).count() == 1
    page = client.get(url).content.decode()
    assert "Your first click may or may not have been saved" in page


def test_second_click_while_the_first_post_runs_still_waits_for_it(cast, monkeypatch):
    # The first post holds its key's lock on a connection of its own, as another server
    # thread would while it runs.
    data = {"title": "Wait time", "description": "", "submission": str(uuid.uuid4())}
    once.Submission.objects.create(person=cast.teacher, key=data["submission"],
                                   path="/goals/growth/new/")
    settings = connection.settings_dict
    with psycopg.connect(dbname=settings["NAME"], user=settings["USER"],
                         password=settings["PASSWORD"] or None, host=settings["HOST"] or None,
                         port=settings["PORT"] or None, autocommit=True) as first:
        first.execute("SELECT pg_advisory_lock(%s, hashtext(%s))",
                      [once.LOCK_SPACE, f"{cast.teacher.pk}:{data['submission']}"])

        client = _client(cast.teacher)
        second = client.post(reverse("goals:growth_new"), data,
                             HTTP_REFERER="http://testserver/goals/")

    assert (second.status_code, second["Location"]) == (303, "http://testserver/goals/")
    assert not GrowthGoal.objects.exists()
    assert "Your first click is still being saved" in client.get("/goals/").content.decode()
