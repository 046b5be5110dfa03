"""The disclosure gate on its own: floors, groups and counts, the rule against differencing,
schools too small to describe, the leader-visibility policy, and how a hidden figure
reads."""

from __future__ import annotations

import pytest

from bettertogether.directory import disclosure
from bettertogether.directory.models import LeaderVisibility, Role, TeacherProfile
from bettertogether.directory.rules import may_see_caseloads
from bettertogether.testing import factories as f


def _teachers(school, n: int) -> list:
    made = []
    for _ in range(n):
        person = f.PersonFactory()
        f.MembershipFactory(person=person, organisation=school, role=Role.TEACHER)
        made.append(person)
    return made


# --- floors ----------------------------------------------------------------------------------


def test_floors_are_the_products():
    assert (disclosure.MIN_TEACHERS, disclosure.MIN_STUDENTS,
            disclosure.MIN_CYCLES_WITH_EVIDENCE, disclosure.MIN_RATINGS,
            disclosure.MIN_FREE_TEXT) == (5, 10, 3, 3, 5)


def test_at_least_an_organisation_raises_a_floor_never_lowers_it():
    assert disclosure.at_least(10, 15) == 15
    assert disclosure.at_least(10, 4) == 10
    assert disclosure.at_least(10, None, 0) == 10
    assert disclosure.at_least(3) == 3


def test_student_floor_is_the_highest_bar_of_the_organisations(cast):
    cast.school.min_student_group = 15
    assert disclosure.student_floor(cast.school) == 15
    assert disclosure.student_floor(cast.network) == 10
    assert disclosure.student_floor(cast.network, cast.school) == 15
    assert disclosure.student_floor(None) == 10


def test_survey_floors_for_the_apps_to_come():
    class Chosen:
        min_ratings, min_free_text = 6, 2

    assert (disclosure.ratings_floor(), disclosure.free_text_floor()) == (3, 5)
    assert (disclosure.ratings_floor(Chosen()), disclosure.free_text_floor(Chosen())) == (6, 5)


def test_evidence_is_shown_over_three_cycles():
    assert [disclosure.evidence_shown(n) for n in (0, 2, 3, 9)] == [False, False, True, True]


# --- groups and counts -----------------------------------------------------------------------


def test_group_shown_from_five_teachers():
    assert [disclosure.group_shown(n) for n in (0, 1, 4, 5, 40)] == [
        False, False, False, True, True]


def test_count_shown_when_none_or_at_least_five():
    assert [disclosure.count_shown(n) for n in (0, 1, 4, 5, 40)] == [
        True, False, False, True, True]
    assert [disclosure.teachers(n) for n in (0, 1, 4, 5, None)] == [0, None, None, 5, None]


def test_share_text_is_hidden_with_either_figure():
    assert disclosure.share_text(5, 20) == "25%"
    assert disclosure.share_text(0, 0) == "—"
    assert disclosure.share_text(None, 20) is None
    assert disclosure.share_text(5, None) is None


# --- differencing ----------------------------------------------------------------------------


def test_complete_hides_nothing_more_when_nothing_is_hidden():
    assert disclosure.complete(set(), values=[3, 7, 9]) == set()


def test_complete_hides_a_second_row_so_one_cannot_be_subtracted_out():
    # Row 0 (3 teachers) is hidden; the total less row 1 and row 2 would give it back.
    assert disclosure.complete({0}, values=[3, 7, 9]) == {0, 1}


def test_complete_hides_until_the_hidden_rows_add_up_to_a_shown_count():
    # Two hidden rows of 1 and 2 still add up to 3: a third one is hidden.
    assert disclosure.complete({0, 1}, values=[1, 2, 0, 6, 8]) == {0, 1, 3}


def test_complete_prefers_a_row_that_moves_the_count():
    assert disclosure.complete({0}, values=[2, 0, 0, 5]) == {0, 3}


def test_complete_with_groups_needs_the_hidden_rows_to_be_about_five_teachers():
    # Two hidden grades of 2 teachers each, none reached: still about only 4 teachers.
    assert disclosure.complete({0, 1}, values=[0, 0, 3], groups=[2, 2, 9]) == {0, 1, 2}
    assert disclosure.complete({0, 1}, values=[0, 0, 3], groups=[2, 3, 9]) == {0, 1}


def test_complete_of_every_row_is_safe():
    assert disclosure.complete({0}, values=[2]) == {0}
    assert disclosure.complete({0, 1}, values=[1, 1]) == {0, 1}


# --- schools too small to describe -----------------------------------------------------------


def test_school_sizes_count_switched_on_teachers_of_each_school(cast):
    empty = f.SchoolFactory(network=cast.network, name="Empty")
    gone = _teachers(cast.other_school, 2)[0]
    gone.is_active = False
    gone.save(update_fields=["is_active"])

    sizes = disclosure.school_sizes(network_ids=[cast.network.pk])

    assert sizes == {cast.school.pk: 2, cast.other_school.pk: 1, empty.pk: 0}
    assert disclosure.school_sizes(school_ids=[cast.school.pk]) == {cast.school.pk: 2}
    assert disclosure.hidden_schools({1: 4, 2: 5, 3: 0}) == frozenset({1, 3})


def test_school_sizes_under_a_grade_count_its_teachers(cast):
    third = f.GradeLevelFactory(network=cast.network, name="Grade 3")
    cast.teacher.profile.grades.add(third)

    sizes = disclosure.school_sizes(
        network_ids=[cast.network.pk],
        teachers_of=TeacherProfile.objects.filter(grades=third).values("person_id"))

    assert sizes[cast.school.pk] == 1 and sizes[cast.other_school.pk] == 0


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("policy", "size", "named"), [
    (LeaderVisibility.TOTALS, 20, False),
    (LeaderVisibility.WHO_AND_KIND, 20, True),
    (LeaderVisibility.WHO_AND_KIND, 4, False),  # too small to describe, whatever the policy
    (LeaderVisibility.WHO_AND_KIND, None, True),  # a network has no size of its own
])
def test_names_coached_follows_the_policy_and_the_size(cast, policy, size, named):
    cast.school.leader_visibility = policy

    assert disclosure.names_coached(cast.school, size=size) is named


@pytest.mark.parametrize(("who", "policy", "teachers", "sees"), [
    ("admin", LeaderVisibility.TOTALS, 2, True),
    ("coach", LeaderVisibility.TOTALS, 2, True),
    ("leader", LeaderVisibility.TOTALS, 5, False),
    ("leader", LeaderVisibility.WHO_AND_KIND, 5, True),
    ("leader", LeaderVisibility.WHO_AND_KIND, 2, False),
    ("teacher", LeaderVisibility.WHO_AND_KIND, 5, False),
    ("outsider", LeaderVisibility.WHO_AND_KIND, 5, False),
])
def test_may_see_caseloads(cast, who, policy, teachers, sees):
    _teachers(cast.school, teachers - 2)
    cast.school.leader_visibility = policy

    found = may_see_caseloads.test(getattr(cast, who), cast.school)

    assert found is sees


def test_coaching_names_for_a_reader(cast):
    small = f.SchoolFactory(network=cast.network, name="Small")
    _teachers(cast.school, 3)  # Lincoln: five
    rule = disclosure.coaching_names_for(reader=cast.admin, network_ids=[cast.network.pk])

    assert cast.other_school.pk in rule.small_school_ids and small.pk in rule.small_school_ids
    assert cast.school.pk not in rule.small_school_ids
    assert rule.names(organisation=cast.school, actor_id=cast.teacher.pk) is False
    cast.school.leader_visibility = LeaderVisibility.WHO_AND_KIND
    assert rule.names(organisation=cast.school, actor_id=cast.teacher.pk) is True
    small.leader_visibility = LeaderVisibility.WHO_AND_KIND
    assert rule.names(organisation=small, actor_id=cast.teacher.pk) is False
    assert rule.names(organisation=None, actor_id=cast.teacher.pk) is False
    # The reader's own actions are theirs to see.
    assert rule.names(organisation=small, actor_id=cast.admin.pk) is True


# --- how a hidden figure reads ---------------------------------------------------------------


def test_a_hidden_figure_reads_the_same_word_everywhere():
    assert disclosure.as_text(None) == "hidden" == disclosure.hidden_word()
    assert disclosure.as_text(0) == 0 and disclosure.as_text("3%") == "3%"
    html = str(disclosure.hidden_html())
    assert html == ('<span class="suppressed" title="Hidden: it would describe fewer than 5 '
                    'teachers">hidden</span>')


def test_hidden_note_names_rows_and_figures():
    assert disclosure.hidden_note(0) == ""
    assert disclosure.hidden_note(2) == (
        "2 row(s) are hidden: they describe fewer than 5 teachers, or would give such a row "
        "back.")
    assert disclosure.hidden_note(0, 3) == (
        "Counts of 1 to 4 teachers are hidden, with any figure that would give them back.")
