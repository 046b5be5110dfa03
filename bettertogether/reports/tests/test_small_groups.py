"""Small schools and small caseloads are never described to leaders, one by one."""

from __future__ import annotations

from bettertogether.coaching.tests.support import log
from bettertogether.directory.models import Role
from bettertogether.reports import selectors
from bettertogether.reports.engine import LEADER, Scope
from bettertogether.reports.models import ReportKind
from bettertogether.reports.tests.support import (
    DAY,
    at,
    coach_at,
    more_teachers,
    network_scope,
    report,
    rows,
    school_scope,
    section,
    today,
)
from bettertogether.testing import factories as f


def _period(cast):
    return today(cast) - 29 * DAY, today(cast)


def test_a_school_of_fewer_than_five_teachers_shows_its_leaders_no_figure(cast):
    roosevelt_coach = coach_at(cast.other_school, "Rob Roosevelt")
    few = more_teachers(cast, 2, school=cast.other_school, coach=roosevelt_coach)
    log(roosevelt_coach, [few[0]], occurred_at=at(cast, today(cast) - DAY))

    found = report(school_scope(cast, cast.other_school), *_period(cast))
    assert found["suppressed"].startswith("This school has fewer than 5 teachers")
    assert found["sections"] == [] and found["headline"] == []
    # The network report, filtered to that school, hides it the same way.
    filtered = report(network_scope(cast), *_period(cast), school_id=cast.other_school.pk)
    assert filtered["suppressed"]


def test_a_coachs_snapshot_hides_a_school_where_they_have_few_teachers(cast):
    log(cast.coach, [cast.teacher], occurred_at=at(cast, today(cast) - DAY))
    as_leader = Scope(kind=ReportKind.COACH, network=cast.network, coach=cast.coach,
                      audience=LEADER)

    found = report(as_leader, *_period(cast))

    assert rows(found, "reach") == [["Lincoln Elementary", None, None, None]]
    assert section(found, "reach")["note"]


def test_coach_rows_under_a_subject_filter_hide_a_coach_with_few_of_its_teachers(cast):
    """Sam has one maths teacher: hidden. Tom, the smallest of the others, is hidden with
    him, or the network's figures less Cora's and Tom's would give Sam's back."""
    maths = f.SubjectFactory(network=cast.network, name="Maths")
    teachers = more_teachers(cast, 6, coach=cast.coach, subjects=[maths])
    second = coach_at(cast.school, "Sam Second")
    f.CaseloadAssignmentFactory(coach=second, teacher=teachers[0], school=cast.school,
                                school_year=cast.school_year)
    third = coach_at(cast.school, "Tom Third")
    more_teachers(cast, 5, coach=third, subjects=[maths])
    log(cast.coach, teachers[:5], occurred_at=at(cast, today(cast) - DAY))

    found = report(network_scope(cast), *_period(cast), subject_id=maths.pk)

    coaches = {row[0]: row for row in rows(found, "coaches")}
    assert coaches["Cora Coach"][1:4] == [6, 5, 1]
    assert coaches["Sam Second"][1:] == [None] * 5
    assert coaches["Tom Third"][1:] == [None] * 5
    assert section(found, "coaches")["note"].startswith("2 row(s) are hidden")


def test_coach_rows_hide_a_small_count_of_teachers(cast):
    more_teachers(cast, 5, coach=cast.coach)
    log(cast.coach, [cast.teacher], occurred_at=at(cast, today(cast) - DAY), minutes=60)

    found = report(network_scope(cast), *_period(cast))

    assert rows(found, "coaches") == [["Cora Coach", 6, None, 1, 1.0, 0.0]]


def test_a_snapshot_goes_only_to_leaders_of_the_network_of_the_report(cast):
    other_admin = f.PersonFactory(full_name="Other Network Admin")
    f.MembershipFactory(person=other_admin, organisation=cast.outsider_network,
                        role=Role.NETWORK_ADMIN)
    f.MembershipFactory(person=cast.coach, organisation=cast.outsider_school, role=Role.COACH)

    leaders = set(selectors.leaders_for_snapshot(actor=cast.coach))

    assert cast.leader in leaders and cast.admin in leaders
    assert other_admin not in leaders and cast.outsider not in leaders
