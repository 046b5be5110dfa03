"""The menu's pages cost the same number of queries for one row as for thirty."""

import datetime

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bettertogether.coaching.tests.support import kind
from bettertogether.directory.models import Role
from bettertogether.directory.tests.support import count_queries
from bettertogether.menu import services, sessions
from bettertogether.menu.tests.support import an_item, ask, at, schedule
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


def _teachers(cast, n):
    teachers = []
    for _ in range(n):
        teacher = f.PersonFactory()
        f.MembershipFactory(person=teacher, organisation=cast.school, role=Role.TEACHER)
        f.CaseloadAssignmentFactory(coach=cast.coach, teacher=teacher, school=cast.school,
                                    school_year=cast.school_year)
        teachers.append(teacher)
    return teachers


def test_menu_for_the_coach_query_count_does_not_grow(cast, client_for, item,
                                                      django_assert_num_queries):
    ask(cast.teacher, cast.coach, item)

    def grow():
        for n in range(MANY):
            more = an_item(cast.coach, title=f"Item {n:02d}", kind_name="Tech help")
            ask(cast.teacher, cast.coach, more)
        services.menu_item_create(actor=cast.admin, network=cast.network, title="Welcome",
                                  kind=kind("Check-in"), typical_minutes=30)

    response = _same_cost(client_for(cast.coach), reverse("menu:menu"), grow,
                          django_assert_num_queries)

    assert len(response.context["items"]) == 1 + MANY + 1
    assert response.context["open_count"] == 1 + MANY


def test_menu_for_the_teacher_query_count_does_not_grow(cast, client_for, item,
                                                        django_assert_num_queries):
    def grow():
        for n in range(MANY):
            coach = f.PersonFactory(full_name=f"Coach {n:02d}")
            f.MembershipFactory(person=coach, organisation=cast.school, role=Role.COACH)
            an_item(coach, title=f"Item {n:02d}")
        services.menu_item_create(actor=cast.admin, network=cast.network, title="Welcome",
                                  kind=kind("Check-in"), typical_minutes=30)

    response = _same_cost(client_for(cast.teacher), reverse("menu:menu"), grow,
                          django_assert_num_queries)

    menus = response.context["menus"]
    assert len(menus) == 1 + MANY
    assert all(len(menu.items) == 2 for menu in menus)  # their own and the network's


def test_inbox_query_count_does_not_grow(cast, client_for, item, django_assert_num_queries):
    ask(cast.teacher, cast.coach, item)

    def grow():
        for teacher in _teachers(cast, MANY):
            ask(teacher, cast.coach, item)

    response = _same_cost(client_for(cast.coach), reverse("menu:inbox"), grow,
                          django_assert_num_queries)

    assert response.context["page"].paginator.count == 1 + MANY
    assert len(response.context["page"].object_list) == 30


def test_inbox_all_query_count_does_not_grow(cast, client_for, item,
                                             django_assert_num_queries):
    services.request_withdraw(actor=cast.teacher, request=ask(cast.teacher, cast.coach, item))

    def grow():
        for n, teacher in enumerate(_teachers(cast, MANY)):
            request = ask(teacher, cast.coach, item)
            if n % 3 == 0:
                services.request_accept(actor=cast.coach, request=request,
                                        starts_at=at(days=n + 1),
                                        ends_at=at(days=n + 1, hour=16))

    response = _same_cost(client_for(cast.coach), reverse("menu:inbox") + "?status=all", grow,
                          django_assert_num_queries)

    assert response.context["page"].paginator.count == 1 + MANY


def test_my_requests_query_count_does_not_grow(cast, client_for, item,
                                               django_assert_num_queries):
    ask(cast.teacher, cast.coach, item)

    def grow():
        for n in range(MANY):
            coach = f.PersonFactory()
            f.MembershipFactory(person=coach, organisation=cast.school, role=Role.COACH)
            ask(cast.teacher, coach, an_item(coach, title=f"Item {n}"))

    response = _same_cost(client_for(cast.teacher), reverse("menu:my_requests"), grow,
                          django_assert_num_queries)

    assert response.context["page"].paginator.count == 1 + MANY


def _grow_sessions(cast):
    teachers = _teachers(cast, 3)
    past = timezone.now() - datetime.timedelta(days=2)
    for n in range(MANY):
        attendees = [cast.teacher, *teachers[: n % 4]]
        if n % 3 == 0:
            f.CoachingSessionFactory(coach=cast.coach, school=cast.school, attendees=attendees,
                                     starts_at=past - datetime.timedelta(days=n))
        else:
            made = schedule(cast.coach, attendees, title=f"Session {n}", starts_at=at(days=n))
            if n % 5 == 0:
                sessions.session_cancel(actor=cast.coach, session=made)


def _one_past_one_coming(cast, session):
    # Upcoming and past are two lists, each with its attendees: one row in each.
    assert session.ends_at < timezone.now()
    schedule(cast.coach, [cast.teacher], title="Coming up")


def test_sessions_list_for_the_coach_query_count_does_not_grow(cast, client_for, session,
                                                               django_assert_num_queries):
    _one_past_one_coming(cast, session)

    response = _same_cost(client_for(cast.coach), reverse("menu:sessions"),
                          lambda: _grow_sessions(cast), django_assert_num_queries)

    assert len(response.context["upcoming"]) + len(response.context["past"]) == 2 + MANY
    assert len(response.context["to_log"]) == 10


def test_sessions_list_for_the_teacher_query_count_does_not_grow(cast, client_for, session,
                                                                 django_assert_num_queries):
    _one_past_one_coming(cast, session)

    response = _same_cost(client_for(cast.teacher), reverse("menu:sessions"),
                          lambda: _grow_sessions(cast), django_assert_num_queries)

    assert len(response.context["upcoming"]) + len(response.context["past"]) == 2 + MANY


def test_session_detail_query_count_does_not_grow(cast, client_for, session,
                                                  django_assert_num_queries):
    def grow():
        session.attendees.add(*_teachers(cast, MANY))

    url = reverse("menu:session", args=[session.pk])
    for person in (cast.coach, cast.teacher):
        client_for(person).get(url)
    response = _same_cost(client_for(cast.coach), url, grow, django_assert_num_queries)

    assert len(response.context["session"].attendees.all()) == 1 + MANY


def test_calendar_feed_query_count_does_not_grow(cast, session, django_assert_num_queries):
    # A feed is built once and then served from the cache: compare two builds.
    token = services.calendar_feed_reset(actor=cast.teacher)
    url = reverse("menu:feed", args=[token])
    client = Client()
    client.get(url)
    cache.clear()
    one = count_queries(client, url)
    _grow_sessions(cast)
    cache.clear()

    with django_assert_num_queries(one):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.count(b"BEGIN:VEVENT") == 1 + MANY
