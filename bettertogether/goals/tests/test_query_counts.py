"""Goal and cycle pages cost the same number of queries for one row as for many."""

import uuid

from django.urls import reverse

from bettertogether.coaching.tests.support import kind
from bettertogether.directory.models import Role
from bettertogether.directory.tests.support import count_queries
from bettertogether.goals import cycles
from bettertogether.goals.models import Cycle, CycleStatus
from bettertogether.goals.tests.support import a_cycle, a_goal
from bettertogether.testing import factories as f

MANY = 12


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
        teachers.append(teacher)
    return teachers


def test_goal_list_query_count_does_not_grow(cast, client_for, django_assert_num_queries):
    a_cycle(cast.coach, a_goal(cast.coach, [cast.teacher]))

    def grow():
        for teacher in _teachers(cast, MANY):
            a_cycle(cast.coach, a_goal(cast.coach, [teacher, cast.teacher]))

    response = _same_cost(client_for(cast.coach), reverse("goals:list"), grow,
                          django_assert_num_queries)
    assert len(response.context["cycles"]) == 1 + MANY


def test_goal_list_for_teacher_query_count_does_not_grow(cast, client_for,
                                                         django_assert_num_queries):
    a_cycle(cast.coach, a_goal(cast.coach, [cast.teacher]))

    def grow():
        for _ in range(MANY):
            a_cycle(cast.coach, a_goal(cast.coach, [cast.teacher]))

    _same_cost(client_for(cast.teacher), reverse("goals:list"), grow,
               django_assert_num_queries)


def test_goal_page_query_count_does_not_grow(cast, client_for, django_assert_num_queries):
    goal = a_goal(cast.coach, [cast.teacher])
    a_cycle(cast.coach, goal)

    def grow():
        goal.teachers.add(*_teachers(cast, MANY))
        for _ in range(3):  # cycles stopped early, moved onto the goal (one runs at a time)
            stopped = a_cycle(cast.coach, a_goal(cast.coach, [cast.teacher]))
            Cycle.objects.filter(pk=stopped.pk).update(goal=goal, status=CycleStatus.STOPPED)

    _same_cost(client_for(cast.coach), reverse("goals:goal", args=[goal.pk]), grow,
               django_assert_num_queries)


def test_cycle_page_query_count_does_not_grow(cast, client_for, django_assert_num_queries):
    goal = a_goal(cast.coach, [cast.teacher])
    cycle = a_cycle(cast.coach, goal)
    first = cycle.stages.get(position=1)
    cycles.stage_log(actor=cast.coach, stage=first, kind=kind("Co-planning"),
                     teachers=[cast.teacher], minutes=45, occurred_at=None,
                     idempotency_key=uuid.uuid4())

    def grow():
        cycle.teachers.add(*_teachers(cast, 3))
        for stage in cycle.stages.all():
            for _ in range(3):
                cycles.stage_log(actor=cast.coach, stage=stage, kind=kind("Co-teaching"),
                                 teachers=[cast.teacher], minutes=50, occurred_at=None,
                                 idempotency_key=uuid.uuid4())

    for who in (cast.coach, cast.teacher):
        _same_cost(client_for(who), reverse("goals:cycle", args=[cycle.pk]), grow if
                   who == cast.coach else (lambda: None), django_assert_num_queries)
