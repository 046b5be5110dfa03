"""A rule that decides one object and also filters a list has two forms beside each other
in its app's `rules.py`: the predicate and its set form. On a small world — every persona
of the cast, every row of the kind — both hold for exactly the same rows, so the page of one
object and a list cannot disagree. (The goals app's rules: `goals/tests/test_rules_agree.py`.)
"""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.utils import timezone

from bettertogether.activity import rules as activity_rules
from bettertogether.activity.models import ActivityEntry
from bettertogether.coaching import rules as coaching_rules
from bettertogether.coaching.models import Interaction, PersonalNote
from bettertogether.directory.models import Person, Role
from bettertogether.menu import rules as menu_rules
from bettertogether.menu.models import CoachingSession, MenuItem, SupportRequest
from bettertogether.notifications import rules as notification_rules
from bettertogether.notifications.models import Notification
from bettertogether.reports import rules as report_rules
from bettertogether.reports.models import ReportExport, ReportSnapshot
from bettertogether.testing import factories as f

PERSONAS = ["coach", "teacher", "other_teacher", "leader", "admin", "outsider", "second_coach"]


@pytest.fixture
def world(cast):
    """A second coach, and a few rows of each kind between every pair of the cast."""
    f.built_in_support_kinds()
    second = f.PersonFactory(full_name="Sam Second", email="second@riverside.test")
    f.MembershipFactory(person=second, organisation=cast.school, role=Role.COACH)
    coaches, teachers = [cast.coach, second], [cast.teacher, cast.other_teacher]
    for coach in coaches:
        for teacher in teachers:
            f.InteractionFactory(coach=coach, network=cast.network, school=cast.school,
                                 teachers=[teacher])
            f.PersonalNoteFactory(coach=coach, teacher=teacher)
            f.SupportRequestFactory(coach=coach, teacher=teacher, school=cast.school)
            f.CoachingSessionFactory(coach=coach, school=cast.school, attendees=[teacher])
        f.MenuItemFactory(coach=coach, network=cast.network)
    f.CoachingSessionFactory(coach=cast.coach, school=cast.school, attendees=teachers)
    f.MenuItemFactory(coach=None, network=cast.network)
    f.MenuItemFactory(coach=None, network=cast.outsider_network)
    now = timezone.now()
    for leader, withdrawn in ((cast.leader, None), (cast.leader, now), (cast.admin, None)):
        ReportSnapshot.objects.create(coach=cast.coach, leader=leader, network=cast.network,
                                      title="Autumn", idempotency_key=uuid.uuid4(),
                                      withdrawn_at=withdrawn)
    for person in (cast.coach, cast.leader, cast.admin):
        ReportExport.objects.create(requested_by=person, kind="coach",
                                    idempotency_key=uuid.uuid4())
        f.NotificationFactory(recipient=person)
    f.NotificationFactory(recipient=cast.teacher)
    for organisation, network in ((cast.school, cast.network),
                                  (cast.outsider_school, cast.outsider_network)):
        ActivityEntry.objects.create(action="goal.create", target_type="goal",
                                     organisation=organisation,
                                     network=network, target_label="Goal",
                                     created_at=now - datetime.timedelta(minutes=1))
    cast.second_coach = second
    return cast


def _actor(world, name):
    """The person as a new request sees them: nothing remembered from another one."""
    return Person.objects.get(pk=getattr(world, name).pk)


def _agree(actor, model, predicate, q, rows=None):
    rows = list(rows if rows is not None else model.objects.all())
    by_predicate = {row.pk for row in rows if predicate.test(actor, row)}
    by_filter = set(model.objects.filter(q(actor)).values_list("pk", flat=True))
    assert by_predicate == by_filter
    return by_filter


@pytest.mark.parametrize("name", PERSONAS)
def test_coaching_rules_agree_with_their_filters(world, name):
    actor = _actor(world, name)
    _agree(actor, Interaction, coaching_rules.is_author, coaching_rules.author_q)
    _agree(actor, PersonalNote, coaching_rules.is_author, coaching_rules.author_q)
    people = Person.objects.prefetch_related("memberships")
    assert _agree(actor, Person, coaching_rules.is_coach_of_teacher,
                  coaching_rules.coach_of_teacher_q, rows=people) == _agree(
        actor, Person, coaching_rules.is_coach_of_teacher, coaching_rules.coach_of_teacher_q)


@pytest.mark.parametrize("name", PERSONAS)
def test_menu_rules_agree_with_their_filters(world, name):
    actor = _actor(world, name)
    _agree(actor, MenuItem, menu_rules.is_item_owner, menu_rules.item_owner_q)
    _agree(actor, SupportRequest, menu_rules.is_request_coach, menu_rules.request_coach_q)
    _agree(actor, SupportRequest, menu_rules.is_request_teacher, menu_rules.request_teacher_q)
    _agree(actor, SupportRequest, menu_rules.may_view_request, menu_rules.request_pair_q)
    _agree(actor, CoachingSession, menu_rules.is_session_coach, menu_rules.session_coach_q)
    seen = _agree(actor, CoachingSession, menu_rules.may_view_session, menu_rules.session_pair_q,
                  rows=CoachingSession.objects.prefetch_related("attendees"))
    assert seen == set(menu_rules.session_ids(person_id=actor.pk))
    if name in ("coach", "teacher", "other_teacher", "second_coach"):
        assert seen


@pytest.mark.parametrize("name", PERSONAS)
def test_report_rules_agree_with_their_filters(world, name):
    actor = _actor(world, name)
    _agree(actor, ReportSnapshot, report_rules.is_snapshot_publisher,
           report_rules.snapshot_publisher_q)
    _agree(actor, ReportSnapshot, report_rules.is_snapshot_leader, report_rules.snapshot_leader_q)
    read = _agree(actor, ReportSnapshot, report_rules.is_snapshot_reader,
                  report_rules.snapshot_reader_q)
    assert len(read) == {"coach": 3, "leader": 1, "admin": 1}.get(name, 0)
    _agree(actor, ReportExport, report_rules.is_export_requester, report_rules.export_requester_q)


@pytest.mark.parametrize("name", PERSONAS)
def test_notification_and_activity_rules_agree_with_their_filters(world, name):
    actor = _actor(world, name)
    _agree(actor, Notification, notification_rules.is_recipient, notification_rules.recipient_q)
    shown = _agree(actor, ActivityEntry, activity_rules.is_admin_of_entry_network,
                   activity_rules.entry_network_admin_q)
    assert bool(shown) == (name in ("admin", "outsider"))
