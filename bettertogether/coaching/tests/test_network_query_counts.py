"""The school summary and the kinds of support cost the same number of queries for one
row as for many."""

import pytest
from django.urls import reverse

from bettertogether.coaching import services
from bettertogether.coaching.tests.support import kind, log
from bettertogether.coaching.tests.test_query_counts import MANY, _same_cost
from bettertogether.directory.models import LeaderVisibility, Role
from bettertogether.testing import factories as f

KINDS = ["Tech help", "Co-planning", "Observation", "Data dive", "Check-in"]


def _grow_school(cast):
    teachers = []
    for i in range(MANY):
        teacher = f.PersonFactory()
        f.MembershipFactory(person=teacher, organisation=cast.school, role=Role.TEACHER)
        teachers.append(teacher)
        coach = f.PersonFactory()
        f.MembershipFactory(person=coach, organisation=cast.school, role=Role.COACH)
        f.CaseloadAssignmentFactory(coach=coach, teacher=teacher, school=cast.school,
                                    school_year=cast.school_year)
        f.InteractionFactory(coach=coach, network=cast.network, school=cast.school,
                             kind=kind(KINDS[i % len(KINDS)]), teachers=teachers[-3:])
        f.InteractionFactory(coach=coach, network=cast.network, kind=kind("Planning"))
    return teachers


@pytest.mark.parametrize("policy", [LeaderVisibility.TOTALS, LeaderVisibility.WHO_AND_KIND])
@pytest.mark.parametrize(("who", "period"), [("leader", ""), ("admin", "?period=term"),
                                             ("leader", "?period=30d")])
@pytest.mark.usefixtures("lincoln_of_five")
def test_school_summary_query_count_does_not_grow(cast, client_for, django_assert_num_queries,
                                                  policy, who, period):
    cast.school.leader_visibility = policy
    cast.school.save(update_fields=["leader_visibility"])
    f.TermFactory(school_year=cast.school_year)
    log(cast.coach, [cast.teacher])
    url = reverse("coaching:school_summary", args=[cast.school.pk]) + period

    response = _same_cost(client_for(getattr(cast, who)), url, lambda: _grow_school(cast),
                          django_assert_num_queries)

    summary = response.context["summary"]
    assert summary.teachers_in_school == 5 + MANY
    assert summary.contacts == 1 + MANY
    assert len(summary.coaches) == 1 + MANY
    if policy == LeaderVisibility.WHO_AND_KIND:
        assert len(summary.teachers) == 1 + MANY


def test_support_kinds_page_query_count_does_not_grow(cast, client_for,
                                                     django_assert_num_queries):
    services.support_kind_create(actor=cast.admin, network=cast.network, name="Kind 0",
                                 default_minutes=10, is_contact=True)

    def grow():
        for i in range(1, MANY):
            services.support_kind_create(actor=cast.admin, network=cast.network,
                                         name=f"Kind {i}", default_minutes=10,
                                         is_contact=bool(i % 2))

    response = _same_cost(client_for(cast.admin),
                          reverse("coaching:support_kinds", args=[cast.network.pk]), grow,
                          django_assert_num_queries)

    assert len(response.context["own"]) == MANY
