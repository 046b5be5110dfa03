"""The activity log through the disclosure gate: a coaching action names neither the teacher
nor the coach unless the school shows who was coached; a school too small to describe
shows none; administrative actions stay named; the reader's own actions are theirs."""

import pytest
from django.urls import reverse

from bettertogether.activity.models import ACTION_LABELS, COACHING_ACTIONS, CoachingAction
from bettertogether.activity.selectors import activity_lines, activity_visible_to
from bettertogether.coaching.tests.support import log
from bettertogether.directory import services as directory
from bettertogether.directory.models import LeaderVisibility, Role
from bettertogether.goals.starter import install as install_starter
from bettertogether.goals.tests.support import a_cycle, a_goal
from bettertogether.menu import services as menu
from bettertogether.testing import factories as f


@pytest.fixture(autouse=True)
def _built_ins(db):
    f.built_in_support_kinds()
    install_starter()


@pytest.fixture
def coached(cast, lincoln_of_five):
    """At Lincoln (five teachers): a caseload the admin made, a request Tess made, a contact
    Cora logged and a cycle she started."""
    directory.caseload_assign(actor=cast.admin, coach=cast.coach, teacher=cast.other_teacher,
                              school=cast.school, school_year=cast.school_year)
    item = f.MenuItemFactory(network=cast.network, coach=cast.coach, title="Co-plan a lesson")
    menu.request_create(actor=cast.teacher, coach=cast.coach, item=item)
    log(cast.coach, [cast.teacher], "Co-planning")
    a_cycle(cast.coach, a_goal(cast.coach, [cast.teacher]))


def _policy(school, policy):
    school.leader_visibility = policy
    school.save(update_fields=["leader_visibility"])


def _lines(reader) -> list[str]:
    return [f"{line.who} {line.action_label} {line.target_label}".strip()
            for line in activity_lines(actor=reader,
                                       entries=activity_visible_to(actor=reader))]


def test_every_coaching_action_is_declared_next_to_its_label():
    assert {"request.create", "interaction.log", "cycle.reflect", "goal.create",
            "evidence_point.record", "personal_note.add"} <= COACHING_ACTIONS
    assert not {"caseload.assign", "invitation.send", "membership.grant",
                "organisation.update_settings", "roster.import"} & COACHING_ACTIONS
    assert all(isinstance(ACTION_LABELS[a], CoachingAction) for a in COACHING_ACTIONS)
    assert str(ACTION_LABELS["request.create"]) == "asked for"


def test_under_totals_only_a_coaching_entry_names_nobody(cast, coached):
    lines = _lines(cast.admin)

    assert "A teacher asked for Co-plan a lesson" in lines
    assert "A coach logged Co-planning" in lines
    assert any(line.startswith("A coach started a coaching cycle:") for line in lines)
    assert not [line for line in lines if "Tess Teacher" in line]
    # Administrative actions stay named, the caseload's people too: admins make them.
    assert "Adam Admin added to a caseload: Otto Other → Cora Coach" in lines


def test_under_who_and_kind_a_coaching_entry_names_who(cast, coached):
    _policy(cast.school, LeaderVisibility.WHO_AND_KIND)

    lines = _lines(cast.admin)

    assert "Tess Teacher asked for Co-plan a lesson" in lines
    assert "Cora Coach logged Co-planning" in lines


def test_a_school_too_small_to_describe_shows_no_coaching_entry(cast):
    _policy(cast.other_school, LeaderVisibility.WHO_AND_KIND)
    coach = f.PersonFactory(full_name="Rob Roosevelt")
    f.MembershipFactory(person=coach, organisation=cast.other_school, role=Role.COACH)
    teacher = f.PersonFactory(full_name="Rory Roosevelt")
    f.MembershipFactory(person=teacher, organisation=cast.other_school, role=Role.TEACHER)
    directory.caseload_assign(actor=cast.admin, coach=coach, teacher=teacher,
                              school=cast.other_school, school_year=cast.school_year)
    log(coach, [teacher], "Data dive")

    lines = _lines(cast.admin)

    assert lines == ["Adam Admin added to a caseload: Rory Roosevelt → Rob Roosevelt"]


def test_a_readers_own_coaching_actions_stay_named(cast):
    """An admin who also coaches at a small school reads their own entries whole."""
    f.MembershipFactory(person=cast.admin, organisation=cast.school, role=Role.COACH)
    log(cast.admin, [cast.teacher], "Co-planning")

    assert _lines(cast.admin) == ["Adam Admin logged Co-planning"]


def test_a_personal_note_entry_never_names_its_teacher(cast, lincoln_of_five):
    entry = f.ActivityEntryFactory(actor=cast.coach, action="personal_note.add",
                                   organisation=cast.school, target_label="Tess Teacher")

    [line] = activity_lines(actor=cast.admin, entries=[
        activity_visible_to(actor=cast.admin).get(pk=entry.pk)])

    assert (line.who, line.action_label, line.target_label) == (
        "A coach", "added a personal note about", "a teacher")


@pytest.mark.parametrize("who", ["admin"])
def test_the_log_page_and_the_home_page_read_the_same(cast, client_for, coached, who):
    client = client_for(getattr(cast, who))

    page = client.get(reverse("activity:log")).content.decode()
    home = client.get(reverse("core:home")).content.decode()

    for content in (page, home):
        assert "<strong>A teacher</strong> asked for <strong>Co-plan a lesson</strong>" in content
        assert "Tess Teacher" not in content


def test_the_log_page_query_count_does_not_grow_with_coaching(cast, client_for, coached,
                                                               django_assert_num_queries):
    from bettertogether.directory.tests.support import count_queries

    client = client_for(cast.admin)
    url = reverse("activity:log")
    client.get(url)
    one = count_queries(client, url)
    for _ in range(10):
        log(cast.coach, [cast.teacher], "Co-planning")

    with django_assert_num_queries(one):
        response = client.get(url)

    assert [line.who for line in response.context["lines"]].count("A coach") >= 11
