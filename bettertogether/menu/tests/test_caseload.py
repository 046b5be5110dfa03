"""What the caseload learns from requests: who asked for help (a trusting relationship),
how many requests are open, and that those teachers come first."""

import datetime

from django.urls import reverse
from django.utils import timezone

from bettertogether.coaching.selectors import caseload_rows
from bettertogether.coaching.tests.support import log
from bettertogether.directory.models import Role
from bettertogether.directory.tests.support import count_queries
from bettertogether.menu import services
from bettertogether.menu.facts import request_facts
from bettertogether.menu.tests.support import accept, ask, propose
from bettertogether.testing import factories as f


def _teacher(cast, name):
    teacher = f.PersonFactory(full_name=name)
    f.MembershipFactory(person=teacher, organisation=cast.school, role=Role.TEACHER)
    f.CaseloadAssignmentFactory(coach=cast.coach, teacher=teacher, school=cast.school,
                                school_year=cast.school_year)
    return teacher


def _row(cast, teacher):
    rows = caseload_rows(actor=cast.coach, school_year=cast.school_year)
    return next(row for row in rows if row.teacher_id == teacher.pk)


def test_caseload_teacher_who_asked_is_trusting(cast, asked):
    row = _row(cast, cast.teacher)

    assert (row.stage, row.reason, row.open_requests) == ("trusting", "Asked you for help", 1)
    assert row.oldest_open_request == asked.created_at


def test_caseload_teacher_who_asked_stays_trusting_after_the_answer(cast, asked):
    accept(cast.coach, asked)

    row = _row(cast, cast.teacher)

    assert (row.stage, row.reason, row.open_requests, row.oldest_open_request) == (
        "trusting", "Asked you for help", 0, None)


def test_caseload_teacher_who_asked_then_withdrew_still_asked(cast, asked):
    services.request_withdraw(actor=cast.teacher, request=asked)

    row = _row(cast, cast.teacher)

    assert (row.stage, row.open_requests) == ("trusting", 0)


def test_caseload_proposed_request_is_still_open(cast, asked, item):
    propose(cast.coach, asked)
    ask(cast.teacher, cast.coach, item)

    assert _row(cast, cast.teacher).open_requests == 2


def test_caseload_request_to_another_coach_does_not_count(cast, item, second_coach):
    f.CaseloadAssignmentFactory(coach=second_coach, teacher=cast.teacher, school=cast.school,
                                school_year=cast.school_year)
    theirs = services.menu_item_create(actor=second_coach, title="Read-aloud",
                                       kind=item.kind, typical_minutes=30)
    ask(cast.teacher, second_coach, theirs)

    row = _row(cast, cast.teacher)

    assert (row.stage, row.open_requests) == ("new", 0)


def test_caseload_teachers_with_open_requests_come_first_oldest_first(cast, item):
    first, second = _teacher(cast, "Abe Early"), _teacher(cast, "Bea Later")
    for teacher in (cast.teacher, first, second):
        log(cast.coach, [teacher])  # contacted today: nobody is nudged
    newer = ask(second, cast.coach, item)
    older = ask(first, cast.coach, item)
    older.created_at = timezone.now() - datetime.timedelta(days=2)
    older.save(update_fields=["created_at"])
    assert newer.created_at > older.created_at

    rows = caseload_rows(actor=cast.coach, school_year=cast.school_year)

    assert [row.teacher_name for row in rows] == ["Abe Early", "Bea Later", "Tess Teacher"]


def test_request_facts_answer_for_a_whole_caseload_in_one_query(cast, item,
                                                                django_assert_num_queries):
    teachers = [_teacher(cast, f"Teacher {n}") for n in range(5)]
    for teacher in teachers[:3]:
        ask(teacher, cast.coach, item)

    with django_assert_num_queries(1):
        facts = request_facts(coach_id=cast.coach.pk,
                              teacher_ids=[t.pk for t in [cast.teacher, *teachers]])

    assert sorted(facts) == sorted(t.pk for t in teachers[:3])
    assert {fact["open_requests"] for fact in facts.values()} == {1}


def test_caseload_page_links_the_open_requests_to_the_inbox(cast, client_for, asked):
    response = client_for(cast.coach).get(reverse("coaching:caseload"))

    link = reverse("menu:inbox") + f"?teacher={cast.teacher.pk}"
    assert (f'<a class="badge badge-danger" href="{link}">1 open request</a>'
            in response.content.decode())


def test_caseload_page_query_count_is_the_same_for_one_and_many_requests(
        cast, client_for, item, django_assert_num_queries):
    ask(cast.teacher, cast.coach, item)
    client = client_for(cast.coach)
    url = reverse("coaching:caseload")
    client.get(url)
    one = count_queries(client, url)
    for n in range(30):
        ask(_teacher(cast, f"Teacher {n:02d}"), cast.coach, item)

    with django_assert_num_queries(one):
        response = client.get(url)

    assert response.status_code == 200
    assert sum(item["row"].open_requests for item in response.context["rows"]) == 31
