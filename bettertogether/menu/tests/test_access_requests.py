"""Who may open and post each page of the menu and of requests.

Outside a page's reach it is a 404, exactly like a page that does not exist; a person who
may see a request but not answer it (the teacher on the coach's buttons, the coach on the
teacher's) gets 403. Signed out, every page leads to the sign-in page.
"""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from bettertogether.coaching.tests.support import kind
from bettertogether.directory.tests.support import assert_login_redirect
from bettertogether.menu import services
from bettertogether.menu.models import RequestStatus
from bettertogether.menu.tests.support import menu_state, propose
from bettertogether.testing import factories as f

EVERYONE = ["coach", "second_coach", "teacher", "other_teacher", "leader", "admin", "outsider"]


def _expect(allowed: dict) -> list:
    """(who, status) for everyone: the statuses given, 404 for anyone not named."""
    return [(who, allowed.get(who, 404)) for who in EVERYONE]


def _urls(cast, item, request):
    return {
        "menu": reverse("menu:menu"),
        "item_create": reverse("menu:item_create"),
        "item_edit": reverse("menu:item_edit", args=[item.pk]),
        "request_new": reverse("menu:request_new", args=[item.pk]),
        "network_menu": reverse("menu:network_menu", args=[cast.network.pk]),
        "network_item_create": reverse("menu:network_item_create", args=[cast.network.pk]),
        "inbox": reverse("menu:inbox"),
        "my_requests": reverse("menu:my_requests"),
        "request": reverse("menu:request", args=[request.pk]),
        "request_accept": reverse("menu:request_accept", args=[request.pk]),
        "request_propose": reverse("menu:request_propose", args=[request.pk]),
        "request_decline": reverse("menu:request_decline", args=[request.pk]),
        "request_take": reverse("menu:request_take", args=[request.pk]),
        "request_withdraw": reverse("menu:request_withdraw", args=[request.pk]),
    }


def _post_data(cast, name):
    item_fields = {"kind": kind("Copies and materials").pk, "typical_minutes": "5"}
    return {
        "item_create": {"title": "Copies for Friday", **item_fields},
        "item_edit": {"title": "Co-plan a unit", **item_fields, "is_active": "on"},
        "network_item_create": {"title": "New-teacher welcome", **item_fields},
        "request_new": {"coach": cast.coach.pk, "idempotency_key": str(uuid.uuid4())},
        "request_accept": {"accept-starts_at": "2031-03-04T15:30", "accept-ends_at": "16:15"},
        "request_propose": {"propose-starts_at": "2031-03-05T08:00",
                            "propose-ends_at": "08:30"},
        "request_decline": {"decline-message": "Not this week"},
    }.get(name, {})


GET_PAGES = {
    "menu": _expect({"coach": 200, "second_coach": 200, "teacher": 200,
                     "other_teacher": 200}),
    "item_create": _expect({"coach": 200, "second_coach": 200}),
    "item_edit": _expect({"coach": 200}),
    "request_new": _expect({"teacher": 200, "other_teacher": 200}),
    "network_menu": _expect({"admin": 200}),
    "network_item_create": _expect({"admin": 200}),
    "inbox": _expect({"coach": 200, "second_coach": 200}),
    "my_requests": _expect({"teacher": 200, "other_teacher": 200}),
    "request": _expect({"coach": 200, "teacher": 200}),
}

POSTS = {
    "item_create": _expect({"coach": 302, "second_coach": 302}),
    "item_edit": _expect({"coach": 302}),
    "request_new": _expect({"teacher": 302, "other_teacher": 302}),
    "network_item_create": _expect({"admin": 302}),
    "request_accept": _expect({"coach": 302, "teacher": 403}),
    "request_propose": _expect({"coach": 302, "teacher": 403}),
    "request_decline": _expect({"coach": 302, "teacher": 403}),
    "request_take": _expect({"teacher": 302, "coach": 403}),
    "request_withdraw": _expect({"teacher": 302, "coach": 403}),
}


@pytest.mark.parametrize(("name", "who", "status"),
                         [(name, who, status) for name, rows in GET_PAGES.items()
                          for who, status in rows])
def test_menu_page_get_by_persona(cast, client_for, persona, item, asked, name, who, status):
    url = _urls(cast, item, asked)[name]

    response = client_for(persona(who)).get(url)

    assert response.status_code == status


@pytest.mark.parametrize(("name", "who", "status"),
                         [(name, who, status) for name, rows in POSTS.items()
                          for who, status in rows])
def test_menu_page_post_by_persona(cast, client_for, persona, item, asked, name, who, status):
    if name == "request_take":
        propose(cast.coach, asked)
    url = _urls(cast, item, asked)[name]
    before = menu_state()

    response = client_for(persona(who)).post(url, _post_data(cast, name))

    assert response.status_code == status
    if status == 302:
        assert menu_state() != before
    else:
        assert menu_state() == before


@pytest.mark.parametrize("name", ["request_accept", "request_propose", "request_decline",
                                  "request_take", "request_withdraw"])
def test_request_answers_are_post_only(cast, client_for, item, asked, name):
    for person in (cast.coach, cast.teacher):
        response = client_for(person).get(_urls(cast, item, asked)[name])

        assert response.status_code == 405


@pytest.mark.parametrize("name", list(GET_PAGES) + list(POSTS))
def test_menu_page_anonymous_is_sent_to_sign_in(cast, item, asked, name):
    url = _urls(cast, item, asked)[name]
    before = menu_state()

    assert_login_redirect(Client().get(url), url)
    assert_login_redirect(Client().post(url, _post_data(cast, name)), url)
    assert menu_state() == before


def test_request_new_for_a_switched_off_item_is_404(cast, client_for, item):
    item.is_active = False
    item.save()

    response = client_for(cast.teacher).get(reverse("menu:request_new", args=[item.pk]))

    assert response.status_code == 404


def test_request_new_for_an_item_of_another_network_is_404(cast, client_for):
    theirs = f.MenuItemFactory(network=cast.outsider_network, coach=None)

    response = client_for(cast.teacher).get(reverse("menu:request_new", args=[theirs.pk]))

    assert response.status_code == 404


def test_item_edit_of_a_network_item_by_its_admin_only(cast, client_for):
    welcome = services.menu_item_create(actor=cast.admin, network=cast.network,
                                        title="New-teacher welcome", kind=kind("Check-in"),
                                        typical_minutes=30)
    url = reverse("menu:item_edit", args=[welcome.pk])

    assert client_for(cast.admin).get(url).status_code == 200
    assert client_for(cast.coach).get(url).status_code == 404
    assert client_for(cast.outsider).get(url).status_code == 404


def test_network_menu_of_a_school_is_404_even_for_the_admin(cast, client_for):
    for name in ("menu:network_menu", "menu:network_item_create"):
        url = reverse(name, args=[cast.school.pk])

        assert client_for(cast.admin).get(url).status_code == 404


def test_request_answered_already_has_no_answer_forms(cast, client_for, asked):
    client_for(cast.coach).post(reverse("menu:request_decline", args=[asked.pk]),
                                {"decline-message": "Not this week"})
    asked.refresh_from_db()
    assert asked.status == RequestStatus.DECLINED

    response = client_for(cast.coach).get(reverse("menu:request", args=[asked.pk]))

    assert response.status_code == 200
    assert "accept" not in response.context
    assert reverse("menu:request_accept", args=[asked.pk]).encode() not in response.content
