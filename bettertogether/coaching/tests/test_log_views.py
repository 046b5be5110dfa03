"""The quick log, the coach's whole log, editing and deleting entries."""

import uuid

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from bettertogether.coaching.models import Interaction, InteractionTeacher
from bettertogether.coaching.tests.support import kind, log
from bettertogether.directory.models import Role
from bettertogether.directory.tests.support import assert_login_redirect
from bettertogether.testing import factories as f

NOT_COACHES = ["teacher", "other_teacher", "leader", "admin", "outsider"]


def _post(client, cast, **fields):
    data = {"teachers": [cast.teacher.pk], "kind": kind("Tech help").pk,
            "idempotency_key": str(uuid.uuid4())}
    data.update(fields)
    return client.post(reverse("coaching:log"), data)


# --- who may open the pages ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["coaching:log", "coaching:my_log"])
@pytest.mark.parametrize("who", ["coach", "second_coach"])
def test_log_pages_open_for_coaches(client_for, persona, name, who):
    assert client_for(persona(who)).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", ["coaching:log", "coaching:my_log"])
@pytest.mark.parametrize("who", NOT_COACHES)
def test_log_pages_are_404_for_non_coaches(client_for, persona, name, who):
    assert client_for(persona(who)).get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", ["coaching:log", "coaching:my_log", "coaching:mine"])
def test_coaching_pages_anonymous_redirect_to_login(cast, name):
    url = reverse(name)

    assert_login_redirect(Client().get(url), url)


# --- logging ------------------------------------------------------------------------------


def test_log_get_preselects_teacher_and_offers_only_caseload(cast, client_for):
    response = client_for(cast.coach).get(reverse("coaching:log") + f"?teacher={cast.teacher.pk}")

    form = response.context["form"]
    assert form.initial["teachers"] == [cast.teacher.pk]
    assert list(form.fields["teachers"].queryset) == [cast.teacher]
    assert form.initial["idempotency_key"]
    content = response.content.decode()
    assert f'<option value="{cast.teacher.pk}" selected>Tess Teacher</option>' in content
    assert '<optgroup label="Your own time">' in content


def test_log_post_logs_with_usual_minutes_and_confirms(cast, client_for):
    client = client_for(cast.coach)

    response = _post(client, cast)

    assert response.status_code == 302
    assert response["Location"] == reverse("coaching:log")
    interaction = Interaction.objects.get()
    assert (interaction.coach, interaction.minutes) == (cast.coach, 10)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Logged: Tech help with Tess Teacher (10 min)"]


def test_log_post_twice_with_same_key_logs_once(cast, client_for):
    client = client_for(cast.coach)
    key = str(uuid.uuid4())

    first = _post(client, cast, idempotency_key=key)
    second = _post(client, cast, idempotency_key=key)

    assert (first.status_code, second.status_code) == (302, 302)
    assert Interaction.objects.count() == 1
    assert InteractionTeacher.objects.count() == 1


def test_log_post_own_time_confirms_without_teachers(cast, client_for):
    response = _post(client_for(cast.coach), cast, teachers=[], kind=kind("Planning").pk)

    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Logged: Planning (30 min)"]


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [("/coaching/teachers/1/", "/coaching/teachers/1/"),
     ("https://evil.example/", "/coaching/log/"),
     ("//evil.example/", "/coaching/log/")],
)
def test_log_post_returns_only_to_local_next(cast, client_for, next_url, expected):
    response = _post(client_for(cast.coach), cast, next=next_url)

    assert response["Location"] == expected


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": ""}, "kind"),
        ({"kind": "99999"}, "kind"),
        ({"teachers": []}, "teachers"),
        ({"kind": "Planning"}, "teachers"),
        ({"minutes": "0"}, "minutes"),
        ({"minutes": "abc"}, "minutes"),
        ({"occurred_at": "2999-01-01T10:00"}, "occurred_at"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"teachers": ["other_teacher"]}, "teachers"),
    ],
)
def test_log_post_bad_input_is_422_next_to_field_and_saves_nothing(cast, client_for, fields,
                                                                    field):
    if fields.get("kind") == "Planning":
        fields["kind"] = kind("Planning").pk
    if fields.get("teachers") == ["other_teacher"]:
        fields["teachers"] = [cast.other_teacher.pk]
    key = str(uuid.uuid4())

    response = _post(client_for(cast.coach), cast, idempotency_key=key, **fields)

    assert response.status_code == 422
    form = response.context["form"]
    assert list(form.errors) == [field]
    assert f'value="{key}"' in response.content.decode()
    assert not Interaction.objects.exists()


def test_log_post_without_key_is_422(cast, client_for):
    response = _post(client_for(cast.coach), cast, idempotency_key="")

    assert response.status_code == 422
    assert not Interaction.objects.exists()


@pytest.mark.parametrize("who", NOT_COACHES)
def test_log_post_by_non_coach_is_404(cast, client_for, persona, who):
    response = _post(client_for(persona(who)), cast)

    assert response.status_code == 404
    assert not Interaction.objects.exists()


def test_log_page_shows_recent_entries_and_week_split(cast, client_for):
    log(cast.coach, [cast.teacher], "Copies and materials")
    log(cast.coach, [], "Planning")

    response = client_for(cast.coach).get(reverse("coaching:log"))

    assert [i.kind.name for i in response.context["recent"]] == ["Planning",
                                                                 "Copies and materials"]
    assert response.context["week"] == {"contact": 5, "own": 30, "total": 35}


def test_log_page_lists_only_own_entries(cast, client_for, second_coach):
    log(second_coach, [cast.teacher], "Observation")

    response = client_for(cast.coach).get(reverse("coaching:log"))

    assert response.context["recent"] == []


# --- the whole log --------------------------------------------------------------------------


def test_my_log_filters_by_kind(cast, client_for):
    log(cast.coach, [cast.teacher], "Tech help")
    log(cast.coach, [], "Planning")

    response = client_for(cast.coach).get(
        reverse("coaching:my_log") + f"?kind={kind('Planning').pk}")

    assert [i.kind.name for i in response.context["page"].object_list] == ["Planning"]


def test_my_log_paginates_by_fifty(cast, client_for):
    for _ in range(51):
        f.InteractionFactory(coach=cast.coach, network=cast.network)

    response = client_for(cast.coach).get(reverse("coaching:my_log"))

    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.num_pages == 2


# --- editing and deleting -----------------------------------------------------------------


def test_entry_edit_by_owner_saves(cast, client_for):
    interaction = log(cast.coach, [cast.teacher])
    url = reverse("coaching:entry_edit", args=[interaction.pk])
    client = client_for(cast.coach)
    assert client.get(url).status_code == 200

    response = client.post(url, {"teachers": [cast.teacher.pk], "kind": kind("Check-in").pk,
                                 "minutes": "", "occurred_at": "", "shared_note": "Well done"})

    assert response.status_code == 302
    interaction.refresh_from_db()
    assert (interaction.kind.name, interaction.minutes, interaction.shared_note) == (
        "Check-in", 10, "Well done")


def test_entry_edit_bad_input_is_422_and_changes_nothing(cast, client_for):
    interaction = log(cast.coach, [cast.teacher], shared_note="Before")
    url = reverse("coaching:entry_edit", args=[interaction.pk])

    response = client_for(cast.coach).post(url, {
        "teachers": [], "kind": kind("Check-in").pk, "shared_note": "After"})

    assert response.status_code == 422
    assert "teachers" in response.context["form"].errors
    interaction.refresh_from_db()
    assert (interaction.kind.name, interaction.shared_note) == ("Tech help", "Before")


@pytest.mark.parametrize("who", ["second_coach", *NOT_COACHES])
def test_entry_edit_and_delete_by_anyone_else_is_404(cast, client_for, persona, who):
    interaction = log(cast.coach, [cast.teacher], shared_note="Before")
    client = client_for(persona(who))

    edit_url = reverse("coaching:entry_edit", args=[interaction.pk])
    assert client.get(edit_url).status_code == 404
    assert client.post(edit_url, {"teachers": [cast.teacher.pk],
                                  "kind": kind("Check-in").pk}).status_code == 404
    assert client.post(reverse("coaching:entry_delete", args=[interaction.pk])).status_code == 404
    interaction.refresh_from_db()
    assert interaction.kind.name == "Tech help"


def test_entry_edit_of_missing_entry_is_404(cast, client_for):
    assert client_for(cast.coach).get(
        reverse("coaching:entry_edit", args=[999999])).status_code == 404


def test_entry_delete_by_owner_deletes(cast, client_for):
    interaction = log(cast.coach, [cast.teacher])

    response = client_for(cast.coach).post(
        reverse("coaching:entry_delete", args=[interaction.pk]))

    assert response.status_code == 302
    assert not Interaction.objects.exists()


def test_entry_delete_needs_post(cast, client_for):
    interaction = log(cast.coach, [cast.teacher])

    response = client_for(cast.coach).get(reverse("coaching:entry_delete", args=[interaction.pk]))

    assert response.status_code == 405
    assert Interaction.objects.exists()


def test_entry_edit_keeps_teacher_who_left_the_caseload_choosable(cast, client_for):
    interaction = log(cast.coach, [cast.teacher])
    cast.coach.caseload.all().delete()

    response = client_for(cast.coach).get(reverse("coaching:entry_edit", args=[interaction.pk]))

    assert list(response.context["form"].fields["teachers"].queryset) == [cast.teacher]


def test_log_offers_no_teacher_who_left_the_school(cast, client_for):
    cast.teacher.memberships.filter(role=Role.TEACHER).delete()

    response = client_for(cast.coach).get(reverse("coaching:log"))

    assert list(response.context["form"].fields["teachers"].queryset) == []


def test_log_reads_and_shows_times_in_the_organisations_time_zone(cast, client_for):
    client = client_for(cast.coach)  # Riverside runs on America/Chicago

    _post(client, cast, occurred_at="2026-01-10T09:00")
    response = client.get(reverse("coaching:my_log"))

    interaction = Interaction.objects.get()
    assert interaction.occurred_at.isoformat() == "2026-01-10T15:00:00+00:00"
    assert "Sat, Jan 10, 2026, 9:00 AM" in response.content.decode()
    edit = client.get(reverse("coaching:entry_edit", args=[interaction.pk]))
    assert 'value="2026-01-10T09:00"' in edit.content.decode()
