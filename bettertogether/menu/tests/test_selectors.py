"""The menu's reads: what each person's menu holds, the funnel, lists in order, and the
doors to one request or session (404 for anyone but its people)."""

import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from bettertogether.coaching.tests.support import kind
from bettertogether.directory.models import Role
from bettertogether.menu import selectors, services, sessions
from bettertogether.menu.models import CoachingSession
from bettertogether.menu.tests.support import accept, an_item, ask, at, log_session, schedule
from bettertogether.testing import factories as f


def _welcome(cast):
    return services.menu_item_create(actor=cast.admin, network=cast.network,
                                     title="New-teacher welcome", kind=kind("Check-in"),
                                     typical_minutes=30)


def test_coach_items_are_their_own_and_their_networks_with_this_coachs_funnel(
        cast, item, second_coach):
    welcome = _welcome(cast)
    f.SupportRequestFactory(teacher=cast.teacher, coach=second_coach, school=cast.school,
                            item=welcome)  # Sam's request: not in Cora's funnel
    done = ask(cast.teacher, cast.coach, item)
    log_session(cast.coach, accept(cast.coach, done, starts_at=timezone.now()
                                   - datetime.timedelta(hours=1)))
    accept(cast.coach, ask(cast.teacher, cast.coach, item))
    ask(cast.other_teacher, cast.coach, item)
    ask(cast.teacher, cast.coach, welcome)
    an_item(second_coach, title="Sam's own")

    rows = [(i.title, i.requested, i.scheduled, i.logged)
            for i in selectors.coach_items(actor=cast.coach)]

    assert rows == [("Co-plan a lesson", 3, 2, 1), ("New-teacher welcome", 1, 0, 0)]


def test_coach_items_switched_off_come_last(cast, item):
    off = an_item(cast.coach, title="Aardvark facts", kind_name="Tech help")
    off.is_active = False
    off.save()

    assert [i.title for i in selectors.coach_items(actor=cast.coach)] == [
        "Co-plan a lesson", "Aardvark facts"]


def test_coach_items_for_a_non_coach_are_none(cast, item):
    assert list(selectors.coach_items(actor=cast.teacher)) == []


def test_menus_for_teacher_list_each_coach_of_their_schools_with_what_they_offer(
        cast, item, second_coach):
    welcome = _welcome(cast)
    off = an_item(cast.coach, title="Old thing", kind_name="Tech help")
    off.is_active = False
    off.save()
    elsewhere = f.PersonFactory(full_name="Rosa Roosevelt")
    f.MembershipFactory(person=elsewhere, organisation=cast.other_school, role=Role.COACH)
    an_item(elsewhere, title="Roosevelt only")
    gone = f.PersonFactory(full_name="Gus Gone", is_active=False)
    f.MembershipFactory(person=gone, organisation=cast.school, role=Role.COACH)

    menus = selectors.menus_for_teacher(actor=cast.teacher)

    assert [(m.coach.full_name, m.school_names, [i.title for i in m.items]) for m in menus] == [
        ("Cora Coach", "Lincoln Elementary", ["Co-plan a lesson", "New-teacher welcome"]),
        ("Sam Second", "Lincoln Elementary", ["New-teacher welcome"]),
    ]
    assert selectors.requestable_item_for(actor=cast.teacher, pk=welcome.pk) == (
        welcome, [cast.coach, second_coach])


@pytest.mark.parametrize("who", ["leader", "admin", "outsider"])
def test_menus_for_a_non_teacher_are_empty(cast, item, who):
    assert selectors.menus_for_teacher(actor=getattr(cast, who)) == []


def test_requests_for_coach_open_oldest_first_or_all_newest_first(cast, item):
    first = ask(cast.teacher, cast.coach, item)
    second = ask(cast.other_teacher, cast.coach, item)
    third = ask(cast.teacher, cast.coach, item)
    services.request_decline(actor=cast.coach, request=second, message="Not now")

    assert list(selectors.requests_for_coach(actor=cast.coach)) == [first, third]
    assert list(selectors.requests_for_coach(actor=cast.coach, status="all")) == [
        third, second, first]
    assert list(selectors.requests_for_coach(actor=cast.coach, status="all",
                                             teacher_id=cast.other_teacher.pk)) == [second]
    assert selectors.open_request_count(actor=cast.coach) == 2


def test_requests_for_coach_and_teacher_are_their_own(cast, item, second_coach):
    mine = ask(cast.teacher, cast.coach, item)

    assert list(selectors.requests_for_coach(actor=second_coach)) == []
    assert list(selectors.requests_for_teacher(actor=cast.teacher)) == [mine]
    assert list(selectors.requests_for_teacher(actor=cast.other_teacher)) == []


@pytest.mark.parametrize("who", ["second_coach", "other_teacher", "leader", "admin",
                                 "outsider"])
def test_request_get_for_anyone_but_its_pair_is_404(cast, persona, asked, who):
    with pytest.raises(Http404):
        selectors.request_get_for(actor=persona(who), pk=asked.pk)


@pytest.mark.parametrize("who", ["coach", "teacher"])
def test_request_get_for_its_pair(cast, asked, who):
    assert selectors.request_get_for(actor=getattr(cast, who), pk=asked.pk) == asked


@pytest.mark.parametrize("who", ["second_coach", "other_teacher", "leader", "admin",
                                 "outsider"])
def test_session_get_for_anyone_but_its_people_is_404(cast, persona, session, who):
    with pytest.raises(Http404):
        selectors.session_get_for(actor=persona(who), pk=session.pk)


def test_session_get_for_a_logged_session_never_loads_the_private_note(cast, session):
    log_session(cast.coach, session, private_note="Only Cora")

    found = selectors.session_get_for(actor=cast.teacher, pk=session.pk)

    assert found.interaction_id is not None
    assert not CoachingSession.interaction.is_cached(found)


def test_sessions_for_split_coming_up_and_past_or_cancelled(cast, session):
    coming = schedule(cast.coach, [cast.teacher], title="Coming", starts_at=at(days=2))
    later = schedule(cast.coach, [cast.teacher], title="Later", starts_at=at(days=9))
    called_off = schedule(cast.coach, [cast.teacher], title="Off", starts_at=at(days=3))
    sessions.session_cancel(actor=cast.coach, session=called_off)
    theirs = schedule(cast.coach, [cast.other_teacher], title="Otto's")

    for person in (cast.coach, cast.teacher):
        found = selectors.sessions_for(actor=person)
        mine = [s for s in found["upcoming"] if s != theirs]
        assert mine == [coming, later]
        assert found["past"] == [called_off, session]
    assert selectors.sessions_for(actor=cast.other_teacher)["upcoming"] == [theirs]


def test_sessions_to_log_are_the_coachs_started_unlogged_scheduled_ones(cast, session):
    logged = schedule(cast.coach, [cast.teacher], title="Logged",
                      starts_at=timezone.now() - datetime.timedelta(hours=3))
    log_session(cast.coach, logged)
    schedule(cast.coach, [cast.teacher], title="Tomorrow")

    assert list(selectors.sessions_to_log(actor=cast.coach)) == [session]
    assert list(selectors.sessions_to_log(actor=cast.teacher)) == []
