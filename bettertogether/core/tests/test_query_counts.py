"""Home costs the same number of queries for a small and a large school, for every role."""

from django.urls import reverse

from bettertogether.directory.models import Role
from bettertogether.directory.tests.support import count_queries
from bettertogether.testing import factories as f

MANY = 30


def _same_cost(client, grow, django_assert_num_queries):
    url = reverse("core:home")
    client.get(url)  # warm up
    one = count_queries(client, url)
    grow()
    with django_assert_num_queries(one):
        response = client.get(url)
    assert response.status_code == 200
    return response.context


def _coached_teachers(cast, n):
    grade = f.GradeLevelFactory(network=cast.network)
    for _ in range(n):
        teacher = f.PersonFactory()
        teacher.profile.grades.add(grade)
        f.MembershipFactory(person=teacher, organisation=cast.school, role=Role.TEACHER)
        f.CaseloadAssignmentFactory(coach=cast.coach, teacher=teacher, school=cast.school,
                                    school_year=cast.school_year)


def test_home_for_coach_query_count_does_not_grow(cast, client_for,
                                                  django_assert_num_queries):
    context = _same_cost(client_for(cast.coach), lambda: _coached_teachers(cast, MANY),
                         django_assert_num_queries)

    assert context["coach"]["count"] == 1 + MANY


def test_home_for_teacher_query_count_does_not_grow(cast, client_for,
                                                    django_assert_num_queries):
    def grow():
        for _ in range(5):
            coach = f.PersonFactory()
            f.MembershipFactory(person=coach, organisation=cast.school, role=Role.COACH)
            f.CaseloadAssignmentFactory(coach=coach, teacher=cast.teacher, school=cast.school,
                                        school_year=cast.school_year)

    context = _same_cost(client_for(cast.teacher), grow, django_assert_num_queries)

    assert len(context["teacher"]["coaches"]) == 6


def test_home_for_leader_query_count_does_not_grow(cast, client_for,
                                                   django_assert_num_queries):
    def grow():
        _coached_teachers(cast, MANY)
        for n in range(5):
            school = f.SchoolFactory(network=cast.network, name=f"Led {n}")
            f.MembershipFactory(person=cast.leader, organisation=school,
                                role=Role.SCHOOL_LEADER)
            f.MembershipFactory(organisation=school, role=Role.TEACHER)

    context = _same_cost(client_for(cast.leader), grow, django_assert_num_queries)

    rows = {row["school"].name: row for row in context["leader"]["schools"]}
    assert len(rows) == 6
    assert (rows["Lincoln Elementary"]["teachers"], rows["Lincoln Elementary"]["coached"]) == (
        2 + MANY, 1 + MANY)


def test_home_for_admin_query_count_does_not_grow(cast, client_for,
                                                  django_assert_num_queries):
    def grow():
        _coached_teachers(cast, MANY)
        for n in range(MANY):
            school = f.SchoolFactory(network=cast.network, name=f"Added {n}")
            f.InvitationFactory(organisation=school)
            f.ActivityEntryFactory(organisation=school)

    context = _same_cost(client_for(cast.admin), grow, django_assert_num_queries)

    assert context["admin"]["school_count"] == 2 + MANY
    assert len(context["admin"]["recent_activity"]) == 6


def test_home_for_facilitator_query_count_does_not_grow(cast, client_for,
                                                        django_assert_num_queries):
    fay = f.PersonFactory()
    f.MembershipFactory(person=fay, organisation=cast.network, role=Role.FACILITATOR)

    def grow():
        for _ in range(MANY):
            f.MembershipFactory(organisation=cast.other_school, role=Role.COACH)

    context = _same_cost(client_for(fay), grow, django_assert_num_queries)

    assert context["facilitator"]["coaches"] == 1 + MANY
