"""The writes of the coach's log: validation, idempotency, ownership, activity entries."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bettertogether.activity.models import ActivityEntry
from bettertogether.coaching import services
from bettertogether.coaching.models import Interaction, InteractionTeacher, PersonalNote
from bettertogether.coaching.tests.support import kind, log
from bettertogether.directory.models import Role
from bettertogether.testing import factories as f


def _state():
    return (
        list(Interaction.objects.order_by("pk").values_list(
            "pk", "kind_id", "minutes", "occurred_at", "shared_note", "private_note")),
        list(InteractionTeacher.objects.order_by("pk").values_list("pk", "teacher_id")),
        list(PersonalNote.objects.order_by("pk").values_list("pk", "text")),
        ActivityEntry.objects.count(),
    )


def test_interaction_log_uses_usual_minutes_and_links_teacher(cast):
    interaction = log(cast.coach, [cast.teacher], "Copies and materials")

    assert interaction.minutes == 5
    assert interaction.school == cast.school
    assert interaction.network == cast.network
    link = InteractionTeacher.objects.get()
    assert (link.teacher, link.coach, link.occurred_at) == (
        cast.teacher, cast.coach, interaction.occurred_at)


def test_interaction_log_same_key_twice_logs_once(cast):
    key = uuid.uuid4()

    first = log(cast.coach, [cast.teacher], idempotency_key=key)
    second = log(cast.coach, [cast.teacher], idempotency_key=key, minutes=99)

    assert first.pk == second.pk
    assert Interaction.objects.count() == 1
    assert InteractionTeacher.objects.count() == 1
    assert ActivityEntry.objects.filter(action="interaction.log").count() == 1


def test_interaction_log_same_key_for_two_coaches_logs_twice(cast):
    second_coach = f.PersonFactory()
    f.MembershipFactory(person=second_coach, organisation=cast.school, role=Role.COACH)
    key = uuid.uuid4()

    log(cast.coach, [cast.teacher], idempotency_key=key)
    log(second_coach, [cast.teacher], idempotency_key=key)

    assert Interaction.objects.count() == 2


@pytest.mark.parametrize(
    ("arguments", "field"),
    [
        ({"kind_name": "Tech help", "teachers": []}, "teachers"),
        ({"kind_name": "Planning", "teachers": "teacher"}, "teachers"),
        ({"kind_name": "Tech help", "teachers": "teacher", "minutes": 2000}, "minutes"),
        ({"kind_name": "Tech help", "teachers": "teacher",
          "occurred_at": "next week"}, "occurred_at"),
    ],
)
def test_interaction_log_refuses_bad_input_and_changes_nothing(cast, arguments, field):
    arguments = dict(arguments)
    if arguments.get("teachers") == "teacher":
        arguments["teachers"] = [cast.teacher]
    if arguments.get("occurred_at") == "next week":
        arguments["occurred_at"] = timezone.now() + datetime.timedelta(days=7)
    before = _state()

    with pytest.raises(ValidationError) as raised:
        log(cast.coach, **arguments)

    assert field in raised.value.error_dict
    assert _state() == before


def test_interaction_log_refuses_teacher_outside_coachs_schools(cast):
    elsewhere = f.PersonFactory(full_name="Rhea Roosevelt")
    f.MembershipFactory(person=elsewhere, organisation=cast.other_school, role=Role.TEACHER)
    before = _state()

    with pytest.raises(ValidationError) as raised:
        log(cast.coach, [elsewhere])

    assert "Rhea Roosevelt" in raised.value.error_dict["teachers"][0].message % (
        raised.value.error_dict["teachers"][0].params or {})
    assert _state() == before


def test_interaction_log_refuses_another_networks_kind(cast):
    foreign = f.SupportKindFactory(network=cast.outsider_network, name="Their kind")
    before = _state()

    with pytest.raises(ValidationError) as raised:
        services.interaction_log(actor=cast.coach, kind=foreign, teachers=[cast.teacher],
                                 idempotency_key=uuid.uuid4())

    assert "kind" in raised.value.error_dict
    assert _state() == before


@pytest.mark.parametrize("who", ["teacher", "leader", "admin", "outsider"])
def test_interaction_log_by_non_coach_is_refused(cast, who):
    with pytest.raises(PermissionDenied):
        log(getattr(cast, who), [cast.teacher])

    assert Interaction.objects.count() == 0


def test_interaction_log_own_time_has_no_school(cast):
    interaction = log(cast.coach, [], "Planning")

    assert interaction.school is None
    assert interaction.minutes == 30
    assert not InteractionTeacher.objects.exists()


def test_interaction_update_by_owner_replaces_teachers_and_fields(cast):
    interaction = log(cast.coach, [cast.teacher])
    when = timezone.now() - datetime.timedelta(days=2)

    services.interaction_update(
        actor=cast.coach, interaction=interaction, kind=kind("Co-planning"),
        teachers=[cast.other_teacher], minutes=40, occurred_at=when, shared_note="Plan")

    interaction.refresh_from_db()
    assert (interaction.kind.name, interaction.minutes, interaction.shared_note) == (
        "Co-planning", 40, "Plan")
    assert list(InteractionTeacher.objects.values_list("teacher_id", "occurred_at")) == [
        (cast.other_teacher.pk, when)]


@pytest.mark.parametrize("who", ["teacher", "leader", "admin", "outsider", "second_coach"])
def test_interaction_update_and_delete_by_anyone_but_owner_is_refused(cast, who):
    if who == "second_coach":
        actor = f.PersonFactory()
        f.MembershipFactory(person=actor, organisation=cast.school, role=Role.COACH)
    else:
        actor = getattr(cast, who)
    interaction = log(cast.coach, [cast.teacher], shared_note="Kept")
    before = _state()

    with pytest.raises(PermissionDenied):
        services.interaction_update(actor=actor, interaction=interaction, kind=kind("Check-in"),
                                    teachers=[cast.teacher], minutes=5,
                                    occurred_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.interaction_delete(actor=actor, interaction=interaction)

    assert _state() == before


def test_interaction_delete_by_owner_removes_links_and_records(cast):
    interaction = log(cast.coach, [cast.teacher])

    services.interaction_delete(actor=cast.coach, interaction=interaction)

    assert not Interaction.objects.exists()
    assert not InteractionTeacher.objects.exists()
    entry = ActivityEntry.objects.get(action="interaction.delete")
    assert (entry.actor, entry.target_label) == (cast.coach, "Tech help")


def test_activity_entries_never_contain_note_text(cast):
    interaction = log(cast.coach, [cast.teacher], shared_note="SHARED-TEXT",
                      private_note="PRIVATE-TEXT")
    services.interaction_update(
        actor=cast.coach, interaction=interaction, kind=kind("Check-in"),
        teachers=[cast.teacher], minutes=5, occurred_at=timezone.now(),
        shared_note="SHARED-TEXT-2", private_note="PRIVATE-TEXT-2")
    note = services.personal_note_add(actor=cast.coach, teacher=cast.teacher,
                                      text="PERSONAL-TEXT")
    services.personal_note_delete(actor=cast.coach, note=note)
    services.interaction_delete(actor=cast.coach, interaction=interaction)

    entries = list(ActivityEntry.objects.order_by("pk").values_list(
        "action", "target_label", "details"))
    assert [e[0] for e in entries] == [
        "interaction.log", "interaction.update", "personal_note.add", "personal_note.delete",
        "interaction.delete"]
    assert "TEXT" not in repr(entries)


def test_personal_note_add_and_delete_by_coach(cast):
    note = services.personal_note_add(actor=cast.coach, teacher=cast.teacher,
                                      text="  Their daughter started college  ")

    assert note.text == "Their daughter started college"
    services.personal_note_delete(actor=cast.coach, note=note)
    assert not PersonalNote.objects.exists()


def test_personal_note_add_refuses_blank_text(cast):
    with pytest.raises(ValidationError):
        services.personal_note_add(actor=cast.coach, teacher=cast.teacher, text="   ")

    assert not PersonalNote.objects.exists()


@pytest.mark.parametrize("about", ["outsider", "leader", "coach"])
def test_personal_note_add_about_someone_not_taught_in_coachs_schools_is_refused(cast, about):
    with pytest.raises(PermissionDenied):
        services.personal_note_add(actor=cast.coach, teacher=getattr(cast, about), text="x")

    assert not PersonalNote.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "leader", "admin"])
def test_personal_note_add_by_non_coach_is_refused(cast, who):
    with pytest.raises(PermissionDenied):
        services.personal_note_add(actor=getattr(cast, who), teacher=cast.teacher, text="x")


def test_personal_note_delete_by_another_coach_is_refused(cast):
    note = f.PersonalNoteFactory(coach=cast.coach, teacher=cast.teacher)
    second_coach = f.PersonFactory()
    f.MembershipFactory(person=second_coach, organisation=cast.school, role=Role.COACH)

    with pytest.raises(PermissionDenied):
        services.personal_note_delete(actor=second_coach, note=note)

    assert PersonalNote.objects.filter(pk=note.pk).exists()
