"""The coaching pages cost the same number of queries for one row as for many."""

from django.urls import reverse

from bettertogether.coaching.selectors import TIMELINE_LIMIT
from bettertogether.coaching.tests.support import kind, log
from bettertogether.directory.models import Role
from bettertogether.directory.tests.support import count_queries
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


def _more_teachers(cast, n):
    teachers = []
    for _ in range(n):
        teacher = f.PersonFactory()
        f.MembershipFactory(person=teacher, organisation=cast.school, role=Role.TEACHER)
        f.CaseloadAssignmentFactory(coach=cast.coach, teacher=teacher, school=cast.school,
                                    school_year=cast.school_year)
        teachers.append(teacher)
    return teachers


def _interactions(cast, n, teachers):
    for i in range(n):
        f.InteractionFactory(coach=cast.coach, network=cast.network, school=cast.school,
                             kind=kind("Tech help" if i % 2 else "Planning"),
                             shared_note=f"Note {i}", teachers=teachers)


def test_log_page_query_count_does_not_grow(cast, client_for, django_assert_num_queries):
    log(cast.coach, [cast.teacher])

    def grow():
        teachers = _more_teachers(cast, MANY)
        _interactions(cast, MANY, teachers[:3])

    response = _same_cost(client_for(cast.coach), reverse("coaching:log"), grow,
                          django_assert_num_queries)

    assert len(response.context["recent"]) == 10
    assert response.context["form"].fields["teachers"].queryset.count() == 1 + MANY


def test_my_log_query_count_does_not_grow(cast, client_for, django_assert_num_queries):
    log(cast.coach, [cast.teacher])

    def grow():
        _interactions(cast, MANY, _more_teachers(cast, 3))

    response = _same_cost(client_for(cast.coach), reverse("coaching:my_log"), grow,
                          django_assert_num_queries)

    assert response.context["page"].paginator.count == 1 + MANY


def test_teacher_page_query_count_does_not_grow(cast, client_for, django_assert_num_queries):
    log(cast.coach, [cast.teacher], shared_note="One")
    f.PersonalNoteFactory(coach=cast.coach, teacher=cast.teacher)

    def grow():
        _interactions(cast, MANY, [cast.teacher])
        for _ in range(MANY):
            f.PersonalNoteFactory(coach=cast.coach, teacher=cast.teacher)

    response = _same_cost(client_for(cast.coach),
                          reverse("coaching:teacher", args=[cast.teacher.pk]), grow,
                          django_assert_num_queries)

    # The timeline shows the most recent entries, whatever the history's length.
    assert len(response.context["timeline"]) == min(1 + MANY, TIMELINE_LIMIT)


def test_mine_query_count_does_not_grow(cast, client_for, django_assert_num_queries):
    log(cast.coach, [cast.teacher], shared_note="One")

    def grow():
        _interactions(cast, MANY, [cast.teacher])
        for _ in range(3):
            coach = f.PersonFactory()
            f.MembershipFactory(person=coach, organisation=cast.school, role=Role.COACH)
            f.CaseloadAssignmentFactory(coach=coach, teacher=cast.teacher, school=cast.school,
                                        school_year=cast.school_year)
            log(coach, [cast.teacher])

    response = _same_cost(client_for(cast.teacher), reverse("coaching:mine"), grow,
                          django_assert_num_queries)

    assert len(response.context["timeline"]) == min(1 + MANY + 3, TIMELINE_LIMIT)
    assert len(response.context["coaches"]) == 4


def test_caseload_page_query_count_does_not_grow(cast, client_for, django_assert_num_queries):
    grade = f.GradeLevelFactory(network=cast.network)
    subject = f.SubjectFactory(network=cast.network)
    cast.teacher.profile.grades.add(grade)
    log(cast.coach, [cast.teacher])

    def grow():
        teachers = _more_teachers(cast, MANY)
        for teacher in teachers:
            teacher.profile.grades.add(grade)
            teacher.profile.subjects.add(subject)
        _interactions(cast, 3, teachers)

    response = _same_cost(client_for(cast.coach), reverse("coaching:caseload"), grow,
                          django_assert_num_queries)

    assert len(response.context["rows"]) == 1 + MANY
    assert all(item["row"].contacts >= 1 for item in response.context["rows"])


def test_caseload_page_across_schools_query_count_does_not_grow(cast, client_for,
                                                              django_assert_num_queries):
    f.MembershipFactory(person=cast.coach, organisation=cast.other_school, role=Role.COACH)

    def add(n):
        for _ in range(n):
            teacher = f.PersonFactory()
            f.MembershipFactory(person=teacher, organisation=cast.other_school,
                                role=Role.TEACHER)
            f.CaseloadAssignmentFactory(coach=cast.coach, teacher=teacher,
                                        school=cast.other_school, school_year=cast.school_year)
            log(cast.coach, [teacher])

    add(1)
    response = _same_cost(client_for(cast.coach),
                          reverse("coaching:caseload") + f"?school={cast.other_school.pk}",
                          lambda: add(MANY), django_assert_num_queries)

    assert len(response.context["rows"]) == 1 + MANY


def test_home_for_coach_query_count_does_not_grow(cast, client_for, django_assert_num_queries):
    log(cast.coach, [cast.teacher])

    def grow():
        teachers = _more_teachers(cast, MANY)
        _interactions(cast, 3, teachers[:5])

    response = _same_cost(client_for(cast.coach), reverse("core:home"), grow,
                          django_assert_num_queries)

    assert response.context["coach"]["to_nudge"] == MANY - 5
