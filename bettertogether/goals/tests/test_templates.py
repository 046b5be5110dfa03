"""Cycle templates through their services: a network copies one and edits the copy; built-in
templates stay as they are; positions stay 1…n; a cycle keeps the stages it started with."""

import datetime
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bettertogether.activity.models import ActivityEntry
from bettertogether.goals import cycles
from bettertogether.goals import template_services as services
from bettertogether.goals.models import CycleTemplate, TemplateStage
from bettertogether.goals.tests.support import a_goal, template

IMPACT = "Impact Cycle"


def a_copy(cast, name="Riverside Impact Cycle", source=IMPACT):
    return services.template_copy(actor=cast.admin, template=template(source),
                                  network=cast.network, name=name)


def stages(of) -> list[tuple[int, str, int]]:
    return list(of.stages.order_by("position").values_list("position", "name",
                                                            "expected_days"))


def save(cast, copy, stage=None, **fields):
    values = {"name": "Check in", "purpose": "improve", "guidance": "", "expected_days": 7,
              "collects_evidence": False, "position": None, **fields}
    return services.template_stage_save(actor=cast.admin, template=copy, stage=stage,
                                        **values)


def stage(copy, position) -> TemplateStage:
    return copy.stages.get(position=position)


def start(cast, tmpl, title="Explaining reasoning in fractions", **extra):
    goal = a_goal(cast.coach, [cast.teacher], title=title)
    return cycles.cycle_start(actor=cast.coach, goal=goal, template=tmpl,
                              idempotency_key=uuid.uuid4(), **extra)


# --- copying --------------------------------------------------------------------------------


def test_template_copy_copies_every_stage(cast):
    copy = a_copy(cast)

    assert (copy.network, copy.copied_from, copy.is_active) == (cast.network,
                                                                template(IMPACT), True)
    assert stages(copy) == [(1, "Identify", 14), (2, "Learn", 10), (3, "Improve", 28)]
    assert copy.stages.get(position=1).collects_evidence is True
    assert stages(template(IMPACT)) == stages(copy)


def test_template_copy_twice_with_one_name_makes_one(cast):
    first, second = a_copy(cast), a_copy(cast)

    assert first.pk == second.pk
    assert CycleTemplate.objects.filter(network=cast.network).count() == 1


def test_template_copy_of_a_copy(cast):
    again = services.template_copy(actor=cast.admin, template=a_copy(cast),
                                   network=cast.network, name="Shorter Impact Cycle")

    assert again.copied_from.name == "Riverside Impact Cycle"
    assert len(stages(again)) == 3


@pytest.mark.parametrize(("name", "message"), [
    ("  ", "Give the copy a name."),
    ("riverside IMPACT cycle", "Your network already has a template called "
                               "“riverside IMPACT cycle”."),
])
def test_template_copy_checks_the_name(cast, name, message):
    a_copy(cast)

    with pytest.raises(ValidationError) as error:
        a_copy(cast, name=name, source="Tech integration cycle")

    assert error.value.message_dict == {"name": [message]}


@pytest.mark.parametrize("who", ["coach", "leader", "teacher", "outsider"])
def test_template_copy_only_by_the_networks_admins(cast, who):
    with pytest.raises(PermissionDenied):
        services.template_copy(actor=getattr(cast, who), template=template(IMPACT),
                               network=cast.network, name="Ours")


def test_template_copy_of_another_networks_template_is_refused(cast):
    theirs = services.template_copy(actor=cast.outsider, template=template(IMPACT),
                                    network=cast.outsider_network, name="Northfield cycle")

    with pytest.raises(PermissionDenied):
        services.template_copy(actor=cast.admin, template=theirs, network=cast.network,
                               name="Borrowed")


# --- editing --------------------------------------------------------------------------------


def test_template_update_changes_name_description_and_offer(cast):
    copy = a_copy(cast)

    services.template_update(actor=cast.admin, template=copy, name="Riverside cycle",
                             description="Ours.", is_active=False)

    copy.refresh_from_db()
    assert (copy.name, copy.description, copy.is_active) == ("Riverside cycle", "Ours.",
                                                             False)
    assert ActivityEntry.objects.get(action="cycle_template.update").details == {
        "fields": ["name", "description", "is_active"]}


def test_template_update_to_a_name_taken_is_refused(cast):
    a_copy(cast, name="Taken")
    copy = a_copy(cast)

    with pytest.raises(ValidationError) as error:
        services.template_update(actor=cast.admin, template=copy, name="TAKEN",
                                 description="", is_active=True)

    assert error.value.message_dict == {"name": ["Your network already has a template "
                                                 "called “TAKEN”."]}


@pytest.mark.parametrize("who", ["admin", "outsider"])
def test_built_in_templates_are_read_only(cast, who):
    built_in = template(IMPACT)
    actor = getattr(cast, who)
    first = stage(built_in, 1)

    for attempt in (
        lambda: services.template_update(actor=actor, template=built_in, name="Mine",
                                         description="", is_active=True),
        lambda: services.template_stage_save(actor=actor, template=built_in, name="x",
                                             purpose="plan", guidance="", expected_days=3,
                                             collects_evidence=False),
        lambda: services.template_stage_delete(actor=actor, stage=first),
        lambda: services.template_stage_move(actor=actor, stage=first, direction="down"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert stages(built_in) == [(1, "Identify", 14), (2, "Learn", 10), (3, "Improve", 28)]


def test_a_networks_template_is_refused_to_another_networks_admin(cast):
    copy = a_copy(cast)

    with pytest.raises(PermissionDenied):
        services.template_stage_save(actor=cast.outsider, template=copy, name="Theirs",
                                     purpose="plan", guidance="", expected_days=3,
                                     collects_evidence=False)
    with pytest.raises(PermissionDenied):
        services.template_stage_move(actor=cast.outsider, stage=stage(copy, 1),
                                     direction="down")
    assert len(stages(copy)) == 3


def test_stage_save_adds_at_the_end_or_at_a_place(cast):
    copy = a_copy(cast)

    save(cast, copy, name="Check in")
    save(cast, copy, name="Warm up", position=1)

    assert [name for _p, name, _d in stages(copy)] == ["Warm up", "Identify", "Learn",
                                                       "Improve", "Check in"]
    assert [p for p, _n, _d in stages(copy)] == [1, 2, 3, 4, 5]


def test_stage_save_changes_a_stage_and_moves_it(cast):
    copy = a_copy(cast)

    save(cast, copy, stage=stage(copy, 1), name="Identify together", expected_days=21,
         position=3)

    assert stages(copy) == [(1, "Learn", 10), (2, "Improve", 28),
                            (3, "Identify together", 21)]


@pytest.mark.parametrize(("fields", "errors"), [
    ({"name": " "}, {"name": ["Give the stage a name."]}),
    ({"purpose": "gossip"}, {"purpose": ["Choose what the stage is for."]}),
    ({"expected_days": 0}, {"expected_days": ["Choose from 1 to 90 days."]}),
    ({"expected_days": 91}, {"expected_days": ["Choose from 1 to 90 days."]}),
    ({"position": 5}, {"position": ["Choose a place from 1 to 4."]}),
])
def test_stage_save_checks_every_field(cast, fields, errors):
    copy = a_copy(cast)

    with pytest.raises(ValidationError) as error:
        save(cast, copy, **fields)

    assert error.value.message_dict == errors
    assert len(stages(copy)) == 3


def test_stage_save_stops_at_the_most_stages(cast):
    copy = a_copy(cast)
    for i in range(services.MAX_STAGES - 3):
        save(cast, copy, name=f"Stage {i}")

    with pytest.raises(ValidationError) as error:
        save(cast, copy)

    assert error.value.messages == ["A template has at most 20 stages."]


def test_stage_delete_keeps_positions_contiguous_and_one_stage_at_least(cast):
    copy = a_copy(cast)

    services.template_stage_delete(actor=cast.admin, stage=stage(copy, 2))
    services.template_stage_delete(actor=cast.admin, stage=stage(copy, 1))
    with pytest.raises(ValidationError) as error:
        services.template_stage_delete(actor=cast.admin, stage=stage(copy, 1))

    assert error.value.messages == ["A template keeps at least one stage: add another "
                                    "before you delete this one."]
    assert stages(copy) == [(1, "Improve", 28)]


def test_stage_move_swaps_with_the_neighbour(cast):
    copy = a_copy(cast)

    services.template_stage_move(actor=cast.admin, stage=stage(copy, 3), direction="up")
    assert [name for _p, name, _d in stages(copy)] == ["Identify", "Improve", "Learn"]
    services.template_stage_move(actor=cast.admin, stage=stage(copy, 1), direction="down")

    assert [name for _p, name, _d in stages(copy)] == ["Improve", "Identify", "Learn"]


def test_stage_move_past_an_end_changes_nothing(cast):
    copy = a_copy(cast)

    services.template_stage_move(actor=cast.admin, stage=stage(copy, 1), direction="up")
    services.template_stage_move(actor=cast.admin, stage=stage(copy, 3), direction="down")
    with pytest.raises(ValidationError):
        services.template_stage_move(actor=cast.admin, stage=stage(copy, 2),
                                     direction="sideways")

    assert [name for _p, name, _d in stages(copy)] == ["Identify", "Learn", "Improve"]
    assert not ActivityEntry.objects.filter(action="template_stage.move").exists()


def test_template_activity_names_templates_and_stages_never_guidance(cast):
    copy = a_copy(cast)
    added = save(cast, copy, name="Check in", guidance="Canary-guidance-31")
    services.template_stage_move(actor=cast.admin, stage=added, direction="up")
    services.template_stage_delete(actor=cast.admin, stage=stage(copy, 1))

    entries = list(ActivityEntry.objects.order_by("pk").values_list(
        "action", "target_label", "details", "network_id"))
    assert entries == [
        ("cycle_template.copy", "Riverside Impact Cycle", {"count": 3}, cast.network.pk),
        ("template_stage.create", "Check in (Riverside Impact Cycle)", {"count": 4},
         cast.network.pk),
        ("template_stage.move", "Check in (Riverside Impact Cycle)", {}, cast.network.pk),
        ("template_stage.delete", "Identify (Riverside Impact Cycle)", {"count": 3},
         cast.network.pk),
    ]
    assert "Canary" not in str(list(ActivityEntry.objects.values()))


# --- cycles and templates -------------------------------------------------------------------


def test_a_cycle_from_an_edited_copy_gets_the_edits_and_an_earlier_one_keeps_its_stages(cast):
    copy = a_copy(cast)
    day = datetime.date(2026, 11, 2)
    before = start(cast, copy, started_on=day)

    save(cast, copy, stage=stage(copy, 1), name="Look together", expected_days=5)
    services.template_stage_delete(actor=cast.admin, stage=stage(copy, 2))
    save(cast, copy, name="Celebrate", purpose="reflect", expected_days=2)
    after = start(cast, copy, title="Second goal", started_on=day)

    assert [(s.position, s.name, s.due_on) for s in before.stages.order_by("position")] == [
        (1, "Identify", datetime.date(2026, 11, 16)),
        (2, "Learn", datetime.date(2026, 11, 26)),
        (3, "Improve", datetime.date(2026, 12, 24)),
    ]
    assert [(s.position, s.name, s.due_on) for s in after.stages.order_by("position")] == [
        (1, "Look together", datetime.date(2026, 11, 7)),
        (2, "Improve", datetime.date(2026, 12, 5)),
        (3, "Celebrate", datetime.date(2026, 12, 7)),
    ]


def test_a_copy_not_offered_cannot_start_a_cycle(cast):
    copy = a_copy(cast)
    services.template_update(actor=cast.admin, template=copy, name=copy.name,
                             description="", is_active=False)
    copy.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        start(cast, copy)

    assert error.value.message_dict == {"template": ["Choose a cycle template from the list."]}


def test_another_networks_copy_is_not_offered(cast):
    theirs = services.template_copy(actor=cast.outsider, template=template(IMPACT),
                                    network=cast.outsider_network, name="Northfield cycle")

    with pytest.raises(ValidationError) as error:
        start(cast, theirs)

    assert error.value.message_dict == {"template": ["Choose a cycle template from the list."]}
