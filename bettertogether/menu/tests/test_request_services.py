"""Requests: a teacher asks one of their coaches for a menu item."""

import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bettertogether.coaching.tests.support import kind
from bettertogether.directory.models import Role
from bettertogether.directory.scope import scope_forget
from bettertogether.menu import services
from bettertogether.menu.models import RequestStatus, SupportRequest
from bettertogether.menu.tests.support import an_item, ask
from bettertogether.testing import factories as f


def test_request_create_by_a_teacher_of_a_school_the_coach_serves(cast, item):
    request = ask(cast.teacher, cast.coach, item, note="  Fractions unit ",
                  preferred_times=" Tuesdays after 3 ")

    request.refresh_from_db()
    assert (request.teacher, request.coach, request.item, request.school, request.network,
            request.status, request.note, request.preferred_times) == (
        cast.teacher, cast.coach, item, cast.school, cast.network, RequestStatus.PENDING,
        "Fractions unit", "Tuesdays after 3")
    assert request.is_open


def test_request_create_by_a_teacher_outside_the_caseload_is_fine(cast, item):
    # The menu is for every teacher of the school: asking is how a caseload starts.
    request = ask(cast.other_teacher, cast.coach, item)

    assert request.teacher == cast.other_teacher


def test_request_create_twice_with_one_key_makes_one_request(cast, item):
    key = uuid.uuid4()

    first = ask(cast.teacher, cast.coach, item, idempotency_key=key, note="Once")
    second = ask(cast.teacher, cast.coach, item, idempotency_key=key, note="Twice")

    assert first.pk == second.pk
    assert list(SupportRequest.objects.values_list("note", flat=True)) == ["Once"]


def test_request_create_two_keys_make_two_requests(cast, item):
    ask(cast.teacher, cast.coach, item)
    ask(cast.teacher, cast.coach, item)

    assert SupportRequest.objects.count() == 2


def test_request_create_to_a_coach_of_another_school_is_refused_on_coach(cast):
    elsewhere = f.PersonFactory(full_name="Rosa Roosevelt")
    f.MembershipFactory(person=elsewhere, organisation=cast.other_school, role=Role.COACH)
    theirs = an_item(elsewhere)

    with pytest.raises(ValidationError) as caught:
        ask(cast.teacher, elsewhere, theirs)

    assert caught.value.message_dict == {"coach": ["Choose one of the coaches of your school."]}
    assert not SupportRequest.objects.exists()


def test_request_create_to_a_switched_off_coach_is_refused_on_coach(cast, item):
    cast.coach.is_active = False
    cast.coach.save()

    with pytest.raises(ValidationError) as caught:
        ask(cast.teacher, cast.coach, item)

    assert list(caught.value.message_dict) == ["coach"]


def test_request_create_to_oneself_is_refused_on_coach(cast, item):
    # A coach who also teaches at Lincoln cannot ask themself.
    f.MembershipFactory(person=cast.coach, organisation=cast.school, role=Role.TEACHER)
    scope_forget(cast.coach)

    with pytest.raises(ValidationError) as caught:
        ask(cast.coach, cast.coach, item)

    assert list(caught.value.message_dict) == ["coach"]


def test_request_create_for_an_item_the_coach_does_not_offer_is_refused(cast, second_coach):
    theirs = an_item(second_coach, title="Model a read-aloud", kind_name="Modelling a lesson")

    with pytest.raises(ValidationError) as caught:
        ask(cast.teacher, cast.coach, theirs)

    assert caught.value.message_dict == {"item": ["Cora Coach does not offer that."]}
    assert not SupportRequest.objects.exists()


def test_request_create_network_item_is_offered_by_every_coach_of_the_network(cast,
                                                                              second_coach):
    welcome = services.menu_item_create(actor=cast.admin, network=cast.network,
                                        title="New-teacher welcome", kind=kind("Check-in"),
                                        typical_minutes=30)

    to_cora = ask(cast.teacher, cast.coach, welcome)
    to_sam = ask(cast.teacher, second_coach, welcome)

    assert (to_cora.coach, to_sam.coach) == (cast.coach, second_coach)


def test_request_create_another_networks_item_is_refused(cast):
    theirs = f.MenuItemFactory(network=cast.outsider_network, coach=None,
                               title="Northfield welcome")

    with pytest.raises(ValidationError) as caught:
        ask(cast.teacher, cast.coach, theirs)

    assert list(caught.value.message_dict) == ["item"]


def test_request_create_for_a_switched_off_item_is_refused(cast, item):
    item.is_active = False
    item.save()

    with pytest.raises(ValidationError) as caught:
        ask(cast.teacher, cast.coach, item)

    assert caught.value.message_dict == {"item": ["Cora Coach does not offer that."]}


@pytest.mark.parametrize("who", ["coach", "leader", "admin", "outsider"])
def test_request_create_by_a_non_teacher_is_denied(cast, item, second_coach, who):
    with pytest.raises(PermissionDenied):
        ask(getattr(cast, who), second_coach, item)

    assert not SupportRequest.objects.exists()

