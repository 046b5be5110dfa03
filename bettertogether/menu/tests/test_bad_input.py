"""Bad input on every form: a 422, the message next to the field it is about, and nothing
saved."""

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from bettertogether.coaching.tests.support import kind
from bettertogether.menu import services
from bettertogether.menu.tests.support import an_item, menu_state


def assert_error_next_to(response, form_name, field, message):
    assert response.status_code == 422
    form = response.context[form_name]
    assert form.errors == {field: [message]}
    html_name = form.add_prefix(field)
    assert (f'<ul class="errorlist" id="id_{html_name}_error"><li>{escape(message)}</li></ul>'
            in response.content.decode())


def _post(client, url, data):
    before = menu_state()
    response = client.post(url, data)
    assert menu_state() == before, "a refused form changed something"
    return response


REQUIRED = "This field is required."


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"title": ""}, "title", REQUIRED),
    ({"title": "co-plan a LESSON"}, "title",
     "This menu already has an item called co-plan a LESSON."),
    ({"kind": "Planning"}, "kind",
     "Select a valid choice. {kind} is not one of the available choices."),
    ({"kind": ""}, "kind", REQUIRED),
    ({"typical_minutes": "0"}, "typical_minutes",
     "Ensure this value is greater than or equal to 1."),
    ({"typical_minutes": "481"}, "typical_minutes",
     "Ensure this value is less than or equal to 480."),
])
def test_item_create_bad_input_is_422(cast, client_for, item, fields, field, message):
    data = {"title": "Copies for Friday", "kind": kind("Copies and materials").pk,
            "typical_minutes": "5", **fields}
    if fields.get("kind") == "Planning":
        data["kind"] = kind("Planning").pk
        message = message.format(kind=data["kind"])

    response = _post(client_for(cast.coach), reverse("menu:item_create"), data)

    assert_error_next_to(response, "form", field, message)


def test_item_edit_to_another_items_title_is_422(cast, client_for, item):
    other = an_item(cast.coach, title="Copies for Friday", kind_name="Copies and materials")

    response = _post(client_for(cast.coach), reverse("menu:item_edit", args=[other.pk]),
                     {"title": "Co-plan a lesson", "kind": other.kind_id,
                      "typical_minutes": "5", "is_active": "on"})

    assert_error_next_to(response, "form", "title",
                         "This menu already has an item called Co-plan a lesson.")


def test_network_item_create_duplicate_title_is_422(cast, client_for):
    services.menu_item_create(actor=cast.admin, network=cast.network, title="Welcome",
                              kind=kind("Check-in"), typical_minutes=30)

    response = _post(client_for(cast.admin),
                     reverse("menu:network_item_create", args=[cast.network.pk]),
                     {"title": "Welcome", "kind": kind("Check-in").pk, "typical_minutes": "30"})

    assert_error_next_to(response, "form", "title",
                         "This menu already has an item called Welcome.")


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"coach": "second_coach"}, "coach", "Choose one of the coaches of your school."),
    ({"coach": ""}, "coach", "Choose one of the coaches of your school."),
    ({"note": "x" * 2001}, "note",
     "Ensure this value has at most 2000 characters (it has 2001)."),
    ({"idempotency_key": ""}, "idempotency_key", REQUIRED),
])
def test_request_new_bad_input_is_422(cast, client_for, item, second_coach, fields, field,
                                      message):
    data = {"coach": cast.coach.pk, "note": "Fractions", "idempotency_key": str(uuid.uuid4()),
            **fields}
    if data["coach"] == "second_coach":
        data["coach"] = second_coach.pk  # Sam does not offer Cora's own item

    response = _post(client_for(cast.teacher), reverse("menu:request_new", args=[item.pk]),
                     data)

    assert_error_next_to(response, "form", field, message)


def _in_days(days, hour=15, minute=30):
    day = timezone.localdate() + datetime.timedelta(days=days)
    return f"{day:%Y-%m-%d}T{hour:02d}:{minute:02d}"


TIME_ERRORS = [
    ({"starts_at": _in_days(2, 10), "ends_at": "09:00"}, "ends_at",
     "It must end after it starts."),
    ({"starts_at": _in_days(2, 8), "ends_at": "16:31"}, "ends_at",
     "A session lasts at most 8 hours."),
    ({"starts_at": _in_days(-3, 8), "ends_at": "09:00"}, "starts_at",
     "That has already passed: choose a time ahead."),
    ({"starts_at": "", "ends_at": "09:00"}, "starts_at", REQUIRED),
    ({"starts_at": "next Tuesday", "ends_at": "09:00"}, "starts_at",
     "Enter a valid date/time."),
    ({"starts_at": _in_days(2, 8), "ends_at": "25:00"}, "ends_at", "Enter a valid time."),
    ({"starts_at": _in_days(2, 8), "ends_at": "09:00", "place": "moon"}, "place",
     "Select a valid choice. moon is not one of the available choices."),
]


@pytest.mark.parametrize("answer", ["accept", "propose"])
@pytest.mark.parametrize(("fields", "field", "message"), TIME_ERRORS)
def test_request_accept_and_propose_bad_times_are_422(cast, client_for, asked, answer, fields,
                                                      field, message):
    data = {f"{answer}-{name}": value for name, value in fields.items()}

    response = _post(client_for(cast.coach),
                     reverse(f"menu:request_{answer}", args=[asked.pk]), data)

    assert_error_next_to(response, answer, field, message)


@pytest.mark.parametrize("message", ["", "   "])
def test_request_decline_without_a_message_is_422(cast, client_for, asked, message):
    response = _post(client_for(cast.coach), reverse("menu:request_decline", args=[asked.pk]),
                     {"decline-message": message})

    assert_error_next_to(response, "decline", "message",
                         "Say a word to the teacher: why not now, or what else might help.")


def test_request_accept_of_a_withdrawn_request_is_422_above_the_form(cast, client_for, asked):
    services.request_withdraw(actor=cast.teacher, request=asked)

    response = _post(client_for(cast.coach), reverse("menu:request_accept", args=[asked.pk]),
                     {"accept-starts_at": _in_days(2), "accept-ends_at": "16:15"})

    assert response.status_code == 422
    assert response.context["accept"].non_field_errors() == [
        "This request is already withdrawn."]
    assert b"This request is already withdrawn." in response.content


def _session_data(cast, **fields):
    return {"title": "Team planning", "teachers": [cast.teacher.pk],
            "kind": kind("Co-planning").pk, "starts_at": _in_days(2), "ends_at": "16:15",
            "idempotency_key": str(uuid.uuid4()), **fields}


@pytest.mark.parametrize(("fields", "field", "message"), [
    *TIME_ERRORS,
    ({"title": ""}, "title", REQUIRED),
    ({"teachers": []}, "teachers", REQUIRED),
    ({"teachers": "other_teacher"}, "teachers",
     "Select a valid choice. {pk} is not one of the available choices."),
    ({"kind": "Planning"}, "kind",
     "Select a valid choice. {pk} is not one of the available choices."),
])
def test_session_new_bad_input_is_422(cast, client_for, fields, field, message):
    if fields.get("teachers") == "other_teacher":
        fields = {"teachers": [cast.other_teacher.pk]}
        message = message.format(pk=cast.other_teacher.pk)
    if fields.get("kind") == "Planning":
        fields = {"kind": kind("Planning").pk}
        message = message.format(pk=kind("Planning").pk)

    response = _post(client_for(cast.coach), reverse("menu:session_new"),
                     _session_data(cast, **fields))

    assert_error_next_to(response, "form", field, message)


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"starts_at": _in_days(2, 10), "ends_at": "09:00"}, "ends_at",
     "It must end after it starts."),
    ({"starts_at": _in_days(2, 8), "ends_at": "16:31"}, "ends_at",
     "A session lasts at most 8 hours."),
    ({"title": "  "}, "title", REQUIRED),
])
def test_session_edit_bad_input_is_422(cast, client_for, session, fields, field, message):
    data = {"title": session.title, "starts_at": _in_days(2), "ends_at": "16:15", **fields}

    response = _post(client_for(cast.coach), reverse("menu:session_edit", args=[session.pk]),
                     data)

    assert_error_next_to(response, "form", field, message)


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"kind": ""}, "kind", REQUIRED),
    ({"minutes": "0"}, "minutes", "Ensure this value is greater than or equal to 1."),
    ({"occurred_at": _in_days(3)}, "occurred_at",
     "That is in the future: log it when it happens."),
    ({"teachers": []}, "teachers", "Choose the teacher or teachers you worked with."),
])
def test_session_log_bad_input_is_422(cast, client_for, session, fields, field, message):
    data = {"teachers": [cast.teacher.pk], "kind": kind("Co-planning").pk, "minutes": "40",
            "idempotency_key": str(uuid.uuid4()), **fields}

    response = _post(client_for(cast.coach), reverse("menu:session_log", args=[session.pk]),
                     data)

    assert_error_next_to(response, "form", field, message)
