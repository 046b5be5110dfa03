"""A list page costs the same number of queries for one row as for many."""

import pytest
from django.urls import reverse

from bettertogether.directory.models import LeaderVisibility, Organisation, Role
from bettertogether.directory.tests.support import count_queries
from bettertogether.testing import factories as f

MANY = 30


def _add_teachers(cast, n, *, school=None, coached=True):
    """`n` more teachers at Lincoln, each with a grade and a subject, in the coach's caseload."""
    school = school or cast.school
    grade = f.GradeLevelFactory(network=cast.network)
    subject = f.SubjectFactory(network=cast.network)
    for _ in range(n):
        teacher = f.PersonFactory()
        teacher.profile.grades.add(grade)
        teacher.profile.subjects.add(subject)
        f.MembershipFactory(person=teacher, organisation=school, role=Role.TEACHER)
        if coached:
            f.CaseloadAssignmentFactory(coach=cast.coach, teacher=teacher, school=school,
                                        school_year=cast.school_year)


def _same_cost(client, url, grow, django_assert_num_queries, **extra):
    client.get(url, **extra)  # warm up: first-request work is not the page's cost
    one = count_queries(client, url, **extra)
    grow()
    with django_assert_num_queries(one):
        response = client.get(url, **extra)
    assert response.status_code == 200
    return response


def test_people_list_query_count_does_not_grow(cast, client_for, django_assert_num_queries):
    response = _same_cost(client_for(cast.admin), reverse("directory:people"),
                          lambda: _add_teachers(cast, MANY), django_assert_num_queries)

    assert response.context["page"].paginator.count == 5 + MANY


def test_people_list_htmx_query_count_does_not_grow(cast, client_for,
                                                    django_assert_num_queries):
    response = _same_cost(client_for(cast.teacher), reverse("directory:people"),
                          lambda: _add_teachers(cast, MANY), django_assert_num_queries,
                          headers={"HX-Request": "true"})

    assert response.context["page"].paginator.count == 4 + MANY


def test_schools_list_query_count_does_not_grow(cast, client_for, django_assert_num_queries):
    def grow():
        for n in range(MANY):
            school = f.SchoolFactory(network=cast.network, name=f"Added School {n}")
            f.MembershipFactory(organisation=school, role=Role.TEACHER)
            f.MembershipFactory(organisation=school, role=Role.COACH)

    response = _same_cost(client_for(cast.admin), reverse("directory:organisations"), grow,
                          django_assert_num_queries)

    assert len(response.context["rows"]) == 2 + MANY


def test_school_caseloads_query_count_does_not_grow(cast, client_for,
                                                    django_assert_num_queries):
    def grow():
        _add_teachers(cast, MANY)
        for _ in range(5):
            coach = f.PersonFactory()
            f.MembershipFactory(person=coach, organisation=cast.school, role=Role.COACH)
            f.CaseloadAssignmentFactory(coach=coach, teacher=cast.other_teacher,
                                        school=cast.school, school_year=cast.school_year)

    response = _same_cost(client_for(cast.admin),
                          reverse("directory:school_caseloads", args=[cast.school.pk]), grow,
                          django_assert_num_queries)

    assert sum(len(v) for v in response.context["groups"].values()) == 1 + MANY + 5


@pytest.mark.usefixtures("lincoln_of_five")
def test_school_caseloads_for_leader_query_count_does_not_grow(cast, client_for,
                                                               django_assert_num_queries):
    Organisation.objects.filter(pk=cast.school.pk).update(
        leader_visibility=LeaderVisibility.WHO_AND_KIND)
    response = _same_cost(client_for(cast.leader),
                          reverse("directory:school_caseloads", args=[cast.school.pk]),
                          lambda: _add_teachers(cast, MANY), django_assert_num_queries)

    assert len(response.context["groups"][cast.coach]) == 1 + MANY


def test_person_page_query_count_does_not_grow_with_roles(cast, client_for,
                                                          django_assert_num_queries):
    def grow():
        for n in range(10):
            school = f.SchoolFactory(network=cast.network, name=f"Added School {n}")
            f.MembershipFactory(person=cast.teacher, organisation=school, role=Role.TEACHER)
            cast.teacher.profile.grades.add(f.GradeLevelFactory(network=cast.network))

    _same_cost(client_for(cast.admin), reverse("directory:person", args=[cast.teacher.pk]),
               grow, django_assert_num_queries)


def test_network_page_query_count_does_not_grow(cast, client_for, django_assert_num_queries):
    def grow():
        for n in range(MANY):
            f.SchoolFactory(network=cast.network, name=f"Added School {n}")
        for year in range(2000, 2010):
            school_year = f.SchoolYearFactory(network=cast.network, name=str(year))
            f.TermFactory(school_year=school_year)

    _same_cost(client_for(cast.admin), reverse("directory:organisation", args=[cast.network.pk]),
               grow, django_assert_num_queries)
