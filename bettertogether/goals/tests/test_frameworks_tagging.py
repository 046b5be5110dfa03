"""Tagging work with a framework's items: an interaction by the coach who logged it, a cycle
by its coach; the pages for both, by persona."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from bettertogether.activity.models import ActivityEntry
from bettertogether.directory.tests.support import assert_login_redirect
from bettertogether.goals.frameworks.services import cycle_tag, interaction_tag
from bettertogether.goals.models import FrameworkItem, InteractionIndicator
from bettertogether.testing import factories as f

from .frameworks_support import import_case, import_csv
from .support import a_cycle, a_goal


@pytest.fixture
def items(cast):
    import_case(cast.network, cast.admin)
    return {item.code: item for item in FrameworkItem.objects.all()}


@pytest.fixture
def contact(cast):
    return f.InteractionFactory(coach=cast.coach, network=cast.network, school=cast.school,
                                minutes=25, teachers=[cast.teacher],
                                shared_note="Talked about exit tickets")


@pytest.fixture
def cycle(cast):
    return a_cycle(cast.coach, a_goal(cast.coach, [cast.teacher]))


def _tags(interaction) -> set[str]:
    return set(InteractionIndicator.objects.filter(interaction=interaction)
               .values_list("item__code", flat=True))


# --- services -------------------------------------------------------------------------------


def test_coach_tags_an_interaction_and_retags_it(cast, items, contact):
    interaction_tag(actor=cast.coach, interaction=contact,
                    items=[items["FB.1.a"], items["FB.2"], items["FB.1.a"]])
    assert _tags(contact) == {"FB.1.a", "FB.2"}

    interaction_tag(actor=cast.coach, interaction=contact, items=[items["FB.2"],
                                                                  items["FB.2.b"]])

    assert _tags(contact) == {"FB.2", "FB.2.b"}
    entries = ActivityEntry.objects.filter(action="interaction.tag").order_by("pk")
    assert [(e.target_id, e.target_label, e.details) for e in entries] == [
        (contact.pk, "Check-in", {"count": 2}), (contact.pk, "Check-in", {"count": 2})]


def test_tagging_the_same_items_again_writes_nothing(cast, items, contact):
    interaction_tag(actor=cast.coach, interaction=contact, items=[items["FB.1"]])
    entries = ActivityEntry.objects.count()

    interaction_tag(actor=cast.coach, interaction=contact, items=[items["FB.1"]])

    assert ActivityEntry.objects.count() == entries


@pytest.mark.parametrize("who", ["teacher", "leader", "admin", "second_coach"])
def test_only_the_interactions_coach_tags_it(cast, persona, items, contact, who):
    with pytest.raises(PermissionDenied):
        interaction_tag(actor=persona(who), interaction=contact, items=[items["FB.1"]])

    assert _tags(contact) == set()


def test_items_of_another_network_are_refused(cast, items, contact, cycle):
    import_csv(cast.outsider_network, cast.outsider)
    elsewhere = FrameworkItem.objects.get(code="TP.1")

    with pytest.raises(ValidationError):
        interaction_tag(actor=cast.coach, interaction=contact, items=[items["FB.1"], elsewhere])
    with pytest.raises(ValidationError):
        cycle_tag(actor=cast.coach, cycle=cycle, items=[elsewhere])

    assert _tags(contact) == set()
    assert not cycle.indicators.exists()


def test_cycles_coach_tags_it(cast, items, cycle):
    cycle_tag(actor=cast.coach, cycle=cycle, items=[items["FB.1"], items["FB.1.b"]])

    assert set(cycle.indicators.values_list("code", flat=True)) == {"FB.1", "FB.1.b"}
    entry = ActivityEntry.objects.get(action="cycle.tag")
    assert (entry.target_id, entry.target_label, entry.details) == (
        cycle.pk, f"Student-Centered Coaching cycle cycle {cycle.pk}", {"count": 2})


@pytest.mark.parametrize("who", ["teacher", "second_coach", "admin"])
def test_only_the_cycles_coach_tags_it(cast, persona, items, cycle, who):
    with pytest.raises(PermissionDenied):
        cycle_tag(actor=persona(who), cycle=cycle, items=[items["FB.1"]])


# --- pages ----------------------------------------------------------------------------------


def _interaction_url(contact, **query):
    url = reverse("goals:interaction_tag", args=[contact.pk])
    return f"{url}?next={query['next']}" if "next" in query else url


@pytest.mark.parametrize(("who", "status"), [
    ("coach", 200), ("second_coach", 404), ("teacher", 404), ("other_teacher", 404),
    ("leader", 404), ("admin", 404), ("outsider", 404)])
def test_interaction_tag_page_by_persona(cast, persona, client_for, items, contact, who,
                                         status):
    client = client_for(persona(who))
    url = _interaction_url(contact)

    assert client.get(url).status_code == status
    assert client.post(url, {"indicators": [items["FB.1"].pk]}).status_code == (
        302 if status == 200 else status)
    assert _tags(contact) == ({"FB.1"} if who == "coach" else set())


def test_interaction_tag_page_shows_the_networks_items_checked(cast, client_for, items,
                                                               contact):
    interaction_tag(actor=cast.coach, interaction=contact, items=[items["FB.1.b"]])

    response = client_for(cast.coach).get(_interaction_url(contact))

    form = response.context["form"]
    assert form["indicators"].value() == [str(items["FB.1.b"].pk)]
    assert [title for title, _choices in form.fields["indicators"].choices] == [
        "Riverside Feedback Practices"]
    assert b"Talked about exit tickets" not in response.content


def test_tagging_goes_back_where_the_coach_came_from(cast, client_for, items, contact, cycle):
    client = client_for(cast.coach)
    data = {"indicators": [items["FB.1"].pk]}

    back = reverse("goals:cycle", args=[cycle.pk])
    assert client.post(_interaction_url(contact, next=back), data)["Location"] == back
    outside = client.post(_interaction_url(contact, next="https://elsewhere.example/"), data)
    assert outside["Location"] == reverse("coaching:my_log")


def test_tagging_none_untags_everything(cast, client_for, items, contact):
    interaction_tag(actor=cast.coach, interaction=contact, items=[items["FB.1"]])

    client_for(cast.coach).post(_interaction_url(contact), {})

    assert _tags(contact) == set()


def test_an_unknown_item_is_422(cast, client_for, items, contact):
    response = client_for(cast.coach).post(_interaction_url(contact), {"indicators": ["999999"]})

    assert response.status_code == 422
    assert _tags(contact) == set()


def test_tag_page_without_frameworks_says_so(cast, client_for, contact):
    response = client_for(cast.coach).get(_interaction_url(contact))

    assert response.status_code == 200
    assert b"No frameworks yet" in response.content


@pytest.mark.parametrize(("who", "status"), [
    ("coach", 200), ("teacher", 403), ("second_coach", 404), ("other_teacher", 404),
    ("leader", 404), ("admin", 404), ("outsider", 404)])
def test_cycle_tag_page_by_persona(cast, persona, client_for, items, cycle, who, status):
    client = client_for(persona(who))
    url = reverse("goals:cycle_tag", args=[cycle.pk])

    assert client.get(url).status_code == status
    response = client.post(url, {"indicators": [items["FB.2.a"].pk]})

    assert response.status_code == (302 if status == 200 else status)
    if status == 200:
        assert response["Location"] == reverse("goals:cycle", args=[cycle.pk])
    assert list(cycle.indicators.values_list("code", flat=True)) == (
        ["FB.2.a"] if who == "coach" else [])


def test_anonymous_tagging_is_sent_to_sign_in(cast, contact, cycle):
    client = Client()

    for url in (_interaction_url(contact), reverse("goals:cycle_tag", args=[cycle.pk])):
        assert_login_redirect(client.get(url), url)
