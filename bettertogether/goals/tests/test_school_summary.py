"""What a school's leaders see of goals and cycles: counts, names only under the "who and
kind" policy, and student evidence only over large enough groups and enough cycles."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bettertogether.directory.models import LeaderVisibility, Role
from bettertogether.goals import cycles, evidence
from bettertogether.goals.models import Outcome
from bettertogether.goals.summaries import school_goals_summary
from bettertogether.goals.tests.support import a_cycle, a_goal
from bettertogether.testing import factories as f

EVERYONE = ["coach", "second_coach", "teacher", "other_teacher", "leader", "admin", "outsider"]

# Lincoln has the five teachers a school needs before its leaders see a figure; a smaller
# school's summary is tested on its own below.
pytestmark = pytest.mark.usefixtures("lincoln_of_five")


def _teacher(cast):
    teacher = f.PersonFactory()
    f.MembershipFactory(person=teacher, organisation=cast.school, role=Role.TEACHER)
    return teacher


def _cycle_with_share(cast, *, students=24, before=8, after=18, teacher=None):
    cycle = a_cycle(cast.coach, a_goal(cast.coach, [teacher or cast.teacher]),
                    started_on=timezone.localdate() - datetime.timedelta(days=30))
    measure = evidence.measure_add(actor=cast.coach, cycle=cycle, name="CANARY-MEASURE-1f",
                                   kind="share")
    for moment, meeting, ago in (("before", before, 25), ("after", after, 2)):
        evidence.point_record(actor=cast.coach, measure=measure, moment=moment,
                              taken_on=timezone.localdate() - datetime.timedelta(days=ago),
                              students=students, meeting_target=meeting)
    return cycle


@pytest.mark.parametrize("who", EVERYONE)
def test_school_goals_summary_for_leaders_and_admins_only(client_for, persona, cast, who):
    response = client_for(persona(who)).get(reverse("goals:school_summary",
                                                    args=[cast.school.pk]))

    assert response.status_code == (200 if who in ("leader", "admin") else 404)


def test_school_goals_summary_counts_exactly(cast):
    first = a_cycle(cast.coach, a_goal(cast.coach, [cast.teacher]))
    a_goal(cast.coach, [cast.teacher])
    cycles.cycle_close(actor=cast.coach, cycle=first, outcome=Outcome.MET,
                       coach_reflection="Good")

    summary = school_goals_summary(school=cast.school, school_year=None)

    assert (summary.goals["total"], summary.goals["met"], summary.goals["draft"]) == (2, 1, 1)
    assert (summary.cycles["total"], summary.cycles["completed"]) == (1, 1)
    assert summary.teachers_in_cycles is None  # one teacher: too few to count
    assert summary.who == []  # totals only, by default


def test_school_goals_summary_counts_five_teachers_in_cycles(cast, lincoln_of_five):
    for teacher in [cast.teacher, cast.other_teacher, *lincoln_of_five]:
        a_cycle(cast.coach, a_goal(cast.coach, [teacher]))

    assert school_goals_summary(school=cast.school, school_year=None).teachers_in_cycles == 5


@pytest.mark.parametrize("who", ["leader", "admin"])
def test_school_goals_summary_of_a_school_of_fewer_than_five_teachers_shows_nothing(
        cast, client_for, who):
    leader = f.PersonFactory()
    f.MembershipFactory(person=leader, organisation=cast.other_school, role=Role.SCHOOL_LEADER)
    cast.other_school.leader_visibility = LeaderVisibility.WHO_AND_KIND
    cast.other_school.save(update_fields=["leader_visibility"])
    coach = f.PersonFactory()
    f.MembershipFactory(person=coach, organisation=cast.other_school, role=Role.COACH)
    teacher = f.PersonFactory(full_name="Rory Roosevelt")
    f.MembershipFactory(person=teacher, organisation=cast.other_school, role=Role.TEACHER)
    a_cycle(coach, a_goal(coach, [teacher]))
    reader = leader if who == "leader" else cast.admin

    response = client_for(reader).get(reverse("goals:school_summary",
                                              args=[cast.other_school.pk]))

    assert response.context["summary"].hidden
    content = response.content.decode()
    assert "This school has fewer than 5 teachers, so no figure is shown" in content
    assert "Rory Roosevelt" not in content and "teachers in a cycle" not in content


def test_school_goals_summary_names_only_under_who_and_kind(cast, client_for):
    a_cycle(cast.coach, a_goal(cast.coach, [cast.teacher], title="CANARY-GOAL-33"))
    url = reverse("goals:school_summary", args=[cast.school.pk])

    totals = client_for(cast.leader).get(url).content.decode()
    cast.school.leader_visibility = LeaderVisibility.WHO_AND_KIND
    cast.school.save(update_fields=["leader_visibility"])
    named = client_for(cast.leader).get(url).content.decode()

    assert "Tess Teacher" not in totals
    assert "Tess Teacher" in named and "Student-Centered Coaching cycle" in named
    assert "CANARY-GOAL-33" not in totals + named


def test_evidence_hidden_until_three_cycles_and_small_groups_left_out(cast, client_for):
    url = reverse("goals:school_summary", args=[cast.school.pk])
    _cycle_with_share(cast)
    _cycle_with_share(cast, teacher=_teacher(cast))
    _cycle_with_share(cast, teacher=_teacher(cast), students=9, before=2, after=8)

    two = school_goals_summary(school=cast.school, school_year=None)
    assert (two.evidence_shown, two.evidence.measures_suppressed) == (False, 1)

    _cycle_with_share(cast, teacher=_teacher(cast), students=20, before=5, after=15)
    three = school_goals_summary(school=cast.school, school_year=None)
    page = client_for(cast.leader).get(url).content.decode()

    assert three.evidence_shown
    assert three.evidence.cycles_with_evidence == 3
    assert round(three.evidence.mean_share_change_pp, 6) == round(
        (100 * (18 - 8) / 24 * 2 + 100 * (15 - 5) / 20) / 3, 6)
    assert "CANARY-MEASURE-1f" not in page
    assert "1 smaller group is left out." in page


def test_a_school_that_sets_a_higher_bar_leaves_out_more(cast):
    for _ in range(3):
        _cycle_with_share(cast, teacher=_teacher(cast), students=15, before=5, after=10)
    cast.school.min_student_group = 20
    cast.school.save(update_fields=["min_student_group"])

    summary = school_goals_summary(school=cast.school, school_year=None)

    assert (summary.evidence_shown, summary.evidence.measures_suppressed) == (False, 3)
    assert summary.evidence.min_group == 20


def test_school_goals_summary_query_count_does_not_grow(cast, client_for,
                                                        django_assert_num_queries):
    from bettertogether.directory.tests.support import count_queries

    _cycle_with_share(cast)
    client = client_for(cast.leader)
    url = reverse("goals:school_summary", args=[cast.school.pk])
    client.get(url)
    one = count_queries(client, url)
    for _ in range(6):
        _cycle_with_share(cast, teacher=_teacher(cast))

    with django_assert_num_queries(one):
        assert client.get(url).status_code == 200


def test_score_evidence_reports_the_median_effect_size(cast):
    for mean in ("12.0", "13.0", "14.0"):
        cycle = a_cycle(cast.coach, a_goal(cast.coach, [_teacher(cast)]),
                        started_on=timezone.localdate() - datetime.timedelta(days=30))
        measure = evidence.measure_add(actor=cast.coach, cycle=cycle, name="Quiz",
                                       kind="score")
        for moment, value, ago in (("before", "10.0", 20), ("after", mean, 2)):
            evidence.point_record(actor=cast.coach, measure=measure, moment=moment,
                                  taken_on=timezone.localdate() - datetime.timedelta(days=ago),
                                  students=20, mean=Decimal(value), sd=Decimal("2.0"))

    summary = school_goals_summary(school=cast.school, school_year=None)

    # d = 1.5 in the middle; J = 1 - 3 / (4 * 40 - 9)
    assert summary.evidence.median_g == pytest.approx(1.5 * (1 - 3 / 151))


def test_each_figure_needs_three_cycles_of_its_own(cast, client_for):
    """Three cycles with evidence, but one score measure: its effect size stays hidden."""
    for _ in range(3):
        _cycle_with_share(cast, teacher=_teacher(cast))
    cycle = a_cycle(cast.coach, a_goal(cast.coach, [_teacher(cast)]),
                    started_on=timezone.localdate() - datetime.timedelta(days=30))
    quiz = evidence.measure_add(actor=cast.coach, cycle=cycle, name="Quiz", kind="score")
    for moment, mean, ago in (("before", "10.0", 20), ("after", "14.0", 2)):
        evidence.point_record(actor=cast.coach, measure=quiz, moment=moment,
                              taken_on=timezone.localdate() - datetime.timedelta(days=ago),
                              students=20, mean=Decimal(mean), sd=Decimal("2.0"))

    summary = school_goals_summary(school=cast.school, school_year=None)
    page = client_for(cast.leader).get(
        reverse("goals:school_summary", args=[cast.school.pk])).content.decode()

    assert (summary.share_shown, summary.score_shown) == (True, False)
    assert "average change in the share" in page
    assert "median effect size" not in page
