"""Who may open and post each page of sessions and the calendar; the calendar feed, whose
secret address is its only credential."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from bettertogether.coaching.tests.support import kind
from bettertogether.directory.tests.support import assert_login_redirect
from bettertogether.menu import services
from bettertogether.menu.models import CalendarFeed
from bettertogether.menu.tests.support import menu_state

EVERYONE = ["coach", "second_coach", "teacher", "other_teacher", "leader", "admin", "outsider"]


def _expect(allowed: dict) -> list:
    return [(who, allowed.get(who, 404)) for who in EVERYONE]


def _urls(session):
    return {
        "sessions": reverse("menu:sessions"),
        "session_new": reverse("menu:session_new"),
        "session": reverse("menu:session", args=[session.pk]),
        "session_edit": reverse("menu:session_edit", args=[session.pk]),
        "session_cancel": reverse("menu:session_cancel", args=[session.pk]),
        "session_log": reverse("menu:session_log", args=[session.pk]),
        "calendar": reverse("menu:calendar"),
        "calendar_reset": reverse("menu:calendar_reset"),
        "calendar_revoke": reverse("menu:calendar_revoke"),
    }


def _post_data(cast, session, name):
    times = {"starts_at": "2031-03-04T15:30", "ends_at": "16:15"}
    return {
        "session_new": {"title": "Team planning", "teachers": [cast.teacher.pk],
                        "kind": kind("Co-planning").pk, "idempotency_key": str(uuid.uuid4()),
                        **times},
        "session_edit": {"title": "Moved conversation", **times},
        "session_log": {"teachers": [cast.teacher.pk], "kind": kind("Co-planning").pk,
                        "minutes": "40", "idempotency_key": str(uuid.uuid4())},
    }.get(name, {})


COACH_OR_TEACHER = {"coach": 200, "second_coach": 200, "teacher": 200, "other_teacher": 200}
GET_PAGES = {
    "sessions": _expect(COACH_OR_TEACHER),
    "session_new": _expect({"coach": 200, "second_coach": 200}),
    "session": _expect({"coach": 200, "teacher": 200}),
    "session_edit": _expect({"coach": 200, "teacher": 403}),
    "session_log": _expect({"coach": 200, "teacher": 403}),
    # One's own calendar address, whatever one's roles: someone who stopped teaching can
    # still see and turn off the address they made.
    "calendar": _expect({who: 200 for who in EVERYONE}),
}
POSTS = {
    # Sam may schedule, but not with Cora's teacher: the form says so (see test_bad_input).
    "session_new": _expect({"coach": 302, "second_coach": 422}),
    "session_edit": _expect({"coach": 302, "teacher": 403}),
    "session_cancel": _expect({"coach": 302, "teacher": 403}),
    "session_log": _expect({"coach": 302, "teacher": 403}),
    "calendar_reset": _expect({who: 302 for who in EVERYONE}),
    "calendar_revoke": _expect({who: 302 for who in EVERYONE}),
}


@pytest.mark.parametrize(("name", "who", "status"),
                         [(name, who, status) for name, rows in GET_PAGES.items()
                          for who, status in rows])
def test_session_page_get_by_persona(cast, client_for, persona, session, name, who, status):
    response = client_for(persona(who)).get(_urls(session)[name])

    assert response.status_code == status


@pytest.mark.parametrize(("name", "who", "status"),
                         [(name, who, status) for name, rows in POSTS.items()
                          for who, status in rows])
def test_session_page_post_by_persona(cast, client_for, persona, session, name, who, status):
    actor = persona(who)
    if name == "calendar_revoke":
        services.calendar_feed_reset(actor=actor)
    before = menu_state()

    response = client_for(actor).post(_urls(session)[name], _post_data(cast, session, name))

    assert response.status_code == status
    if status == 302:
        assert menu_state() != before
    else:
        assert menu_state() == before


@pytest.mark.parametrize("name", ["session_cancel", "calendar_reset", "calendar_revoke"])
def test_session_writes_are_post_only(cast, client_for, session, name):
    assert client_for(cast.coach).get(_urls(session)[name]).status_code == 405


@pytest.mark.parametrize("name", list(GET_PAGES) + list(POSTS))
def test_session_page_anonymous_is_sent_to_sign_in(cast, session, name):
    url = _urls(session)[name]
    before = menu_state()

    assert_login_redirect(Client().get(url), url)
    assert_login_redirect(Client().post(url, _post_data(cast, session, name)), url)
    assert menu_state() == before


# --- the feed: public by secret -----------------------------------------------------------


def _feed(token):
    return reverse("menu:feed", args=[token])


@pytest.mark.parametrize("who", ["coach", "teacher"])
def test_feed_with_the_right_token_answers_without_signing_in(cast, session, who):
    token = services.calendar_feed_reset(actor=getattr(cast, who))

    response = Client().get(_feed(token))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == 'inline; filename="better-together.ics"'
    assert response["X-Robots-Tag"] == "noindex"
    assert "no-cache" in response["Cache-Control"]
    assert CalendarFeed.objects.get(person=getattr(cast, who)).last_fetched_at is not None


def test_feed_with_a_wrong_token_is_404(cast, client_for, session):
    services.calendar_feed_reset(actor=cast.teacher)

    assert Client().get(_feed("not-the-token")).status_code == 404
    assert client_for(cast.teacher).get(_feed("not-the-token")).status_code == 404


def test_feed_with_a_revoked_token_is_404(cast, session):
    token = services.calendar_feed_reset(actor=cast.teacher)
    services.calendar_feed_revoke(actor=cast.teacher)

    assert Client().get(_feed(token)).status_code == 404


def test_feed_with_a_replaced_token_is_404_and_the_new_one_answers(cast, session):
    old = services.calendar_feed_reset(actor=cast.teacher)
    new = services.calendar_feed_reset(actor=cast.teacher)

    assert Client().get(_feed(old)).status_code == 404
    assert Client().get(_feed(new)).status_code == 200


def test_feed_of_a_switched_off_person_is_404(cast, session):
    token = services.calendar_feed_reset(actor=cast.teacher)
    cast.teacher.is_active = False
    cast.teacher.save()

    assert Client().get(_feed(token)).status_code == 404


def test_feed_post_is_refused(cast, session):
    token = services.calendar_feed_reset(actor=cast.teacher)

    assert Client().post(_feed(token)).status_code == 405


def test_calendar_page_shows_the_address_once(cast, client_for):
    client = client_for(cast.teacher)

    made = client.post(reverse("menu:calendar_reset"))
    first = client.get(reverse("menu:calendar"))
    second = client.get(reverse("menu:calendar"))

    assert made["Location"] == reverse("menu:calendar")
    address = first.context["address"]
    assert address.startswith("http") and address.endswith(".ics")
    assert address.encode() in first.content
    assert second.context["address"] is None
    assert address.encode() not in second.content
    token = address.rsplit("/", 1)[1].removesuffix(".ics")
    assert Client().get(_feed(token)).status_code == 200
