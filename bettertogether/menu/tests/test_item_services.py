"""Menu items: a coach's own, a network's, and changing or switching one off."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bettertogether.activity.models import ActivityEntry
from bettertogether.coaching.tests.support import kind
from bettertogether.menu import services
from bettertogether.menu.models import MenuItem
from bettertogether.menu.tests.support import an_item
from bettertogether.testing import factories as f


def _update(actor, item, **changes):
    values = {"title": item.title, "kind": item.kind, "typical_minutes": item.typical_minutes,
              "description": item.description, "outcome": item.outcome,
              "is_active": item.is_active, **changes}
    return services.menu_item_update(actor=actor, item=item, **values)


def test_menu_item_create_goes_on_the_coachs_own_menu(cast):
    item = an_item(cast.coach, title="  Set up your smartboard ", kind_name="Tech help",
                   minutes=20, outcome="A board that works when the bell rings")

    item.refresh_from_db()
    assert (item.network, item.coach, item.title, item.kind, item.typical_minutes,
            item.outcome, item.is_active) == (
        cast.network, cast.coach, "Set up your smartboard", kind("Tech help"), 20,
        "A board that works when the bell rings", True)
    assert not item.is_network_item


def test_menu_item_create_network_item_by_its_admin(cast):
    item = services.menu_item_create(actor=cast.admin, network=cast.network,
                                     title="New-teacher welcome", kind=kind("Check-in"),
                                     typical_minutes=30)

    assert (item.network, item.coach, item.is_network_item) == (cast.network, None, True)


@pytest.mark.parametrize("who", ["coach", "outsider"])
def test_menu_item_create_network_item_by_non_admin_is_denied(cast, who):
    with pytest.raises(PermissionDenied):
        services.menu_item_create(actor=getattr(cast, who), network=cast.network,
                                  title="New-teacher welcome", kind=kind("Check-in"),
                                  typical_minutes=30)

    assert not MenuItem.objects.exists()


def test_menu_item_create_for_a_school_is_denied_even_to_the_admin(cast):
    with pytest.raises(PermissionDenied):
        services.menu_item_create(actor=cast.admin, network=cast.school, title="Welcome",
                                  kind=kind("Check-in"), typical_minutes=30)


@pytest.mark.parametrize("title", ["Co-plan a lesson", "co-plan A LESSON", " Co-plan a lesson "])
def test_menu_item_create_duplicate_title_is_refused_on_title(cast, item, title):
    with pytest.raises(ValidationError) as caught:
        an_item(cast.coach, title=title)

    assert caught.value.message_dict == {
        "title": [f"This menu already has an item called {title.strip()}."]}
    assert list(MenuItem.objects.all()) == [item]


def test_menu_item_create_same_title_on_two_coaches_menus_is_fine(cast, item, second_coach):
    theirs = an_item(second_coach)

    assert theirs.title == item.title
    assert MenuItem.objects.count() == 2


@pytest.mark.parametrize("kind_name", ["Planning", "Meetings", "Duties", "Own learning"])
def test_menu_item_create_own_time_kind_is_refused(cast, kind_name):
    with pytest.raises(ValidationError) as caught:
        an_item(cast.coach, kind_name=kind_name)

    assert caught.value.message_dict == {"kind": ["Choose a kind of support with teachers."]}
    assert not MenuItem.objects.exists()


def test_menu_item_create_another_networks_kind_is_refused(cast):
    theirs = f.SupportKindFactory(network=cast.outsider_network, name="Northfield thing")

    with pytest.raises(ValidationError) as caught:
        services.menu_item_create(actor=cast.coach, title="Thing", kind=theirs,
                                  typical_minutes=10)

    assert list(caught.value.message_dict) == ["kind"]


@pytest.mark.parametrize(("minutes", "field"), [(0, "typical_minutes"), (481, "typical_minutes")])
def test_menu_item_create_minutes_out_of_range_is_refused(cast, minutes, field):
    with pytest.raises(ValidationError) as caught:
        an_item(cast.coach, minutes=minutes)

    assert caught.value.message_dict == {field: ["Choose from 1 to 480 minutes."]}


def test_menu_item_create_blank_title_is_refused(cast):
    with pytest.raises(ValidationError) as caught:
        an_item(cast.coach, title="   ")

    assert caught.value.message_dict == {"title": ["Give the item a title."]}


@pytest.mark.parametrize("who", ["teacher", "other_teacher", "leader", "admin", "outsider"])
def test_menu_item_create_by_non_coach_is_denied(cast, who):
    with pytest.raises(PermissionDenied):
        an_item(getattr(cast, who))

    assert not MenuItem.objects.exists()


def test_menu_item_update_changes_the_item(cast, item):
    _update(cast.coach, item, title="Co-plan a unit", typical_minutes=90,
            description="Two planning periods", kind=kind("Modelling a lesson"))

    item.refresh_from_db()
    assert (item.title, item.typical_minutes, item.description, item.kind) == (
        "Co-plan a unit", 90, "Two planning periods", kind("Modelling a lesson"))


def test_menu_item_update_switches_an_item_off_and_on(cast, item):
    _update(cast.coach, item, is_active=False)
    item.refresh_from_db()
    assert item.is_active is False

    _update(cast.coach, item, is_active=True)
    item.refresh_from_db()
    assert item.is_active is True


def test_menu_item_update_to_another_items_title_is_refused(cast, item):
    other = an_item(cast.coach, title="Copies for Friday", kind_name="Copies and materials")

    with pytest.raises(ValidationError) as caught:
        _update(cast.coach, other, title="CO-PLAN a lesson")

    assert list(caught.value.message_dict) == ["title"]
    other.refresh_from_db()
    assert other.title == "Copies for Friday"


def test_menu_item_update_keeping_its_own_title_is_fine(cast, item):
    _update(cast.coach, item, typical_minutes=50)

    item.refresh_from_db()
    assert item.typical_minutes == 50


@pytest.mark.parametrize("who", ["second_coach", "teacher", "admin", "outsider"])
def test_menu_item_update_by_anyone_but_its_owner_is_denied(cast, persona, item, who):
    with pytest.raises(PermissionDenied):
        _update(persona(who), item, title="Mine now")

    item.refresh_from_db()
    assert item.title == "Co-plan a lesson"


def test_menu_item_update_network_item_by_its_admin_only(cast):
    item = services.menu_item_create(actor=cast.admin, network=cast.network,
                                     title="New-teacher welcome", kind=kind("Check-in"),
                                     typical_minutes=30)

    _update(cast.admin, item, typical_minutes=40)
    with pytest.raises(PermissionDenied):
        _update(cast.coach, item, typical_minutes=10)

    item.refresh_from_db()
    assert item.typical_minutes == 40


def test_menu_item_update_records_the_fields_it_changed(cast, item):
    _update(cast.coach, item, title="Co-plan a unit", typical_minutes=90)
    _update(cast.coach, item, is_active=False)
    _update(cast.coach, item, is_active=True)

    assert list(ActivityEntry.objects.filter(action="menu_item.update").order_by("pk")
                .values_list("details", flat=True)) == [
        {"kind": "Co-planning", "fields": ["title", "typical_minutes"]},
        {"kind": "Co-planning", "fields": ["is_active"]},
        {"kind": "Co-planning", "fields": ["is_active"]},
    ]


def test_menu_item_writes_record_the_title_only(cast):
    item = an_item(cast.coach, description="DESCRIPTION-TEXT", outcome="OUTCOME-TEXT")
    _update(cast.coach, item, is_active=False)

    entries = list(ActivityEntry.objects.filter(target_id=item.pk).order_by("pk").values_list(
        "action", "target_type", "target_label", "organisation_id", "details"))
    assert entries == [
        ("menu_item.create", "menu.menuitem", "Co-plan a lesson", cast.network.pk,
         {"kind": "Co-planning"}),
        ("menu_item.update", "menu.menuitem", "Co-plan a lesson", cast.network.pk,
         {"kind": "Co-planning", "fields": ["is_active"]}),
    ]
