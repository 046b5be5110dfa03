"""A network admin manages the kinds of support: the built-in ones are read-only, the
network's own are added, changed and switched off, never deleted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from bettertogether.coaching import services, summaries
from bettertogether.coaching.models import Interaction, SupportKind
from bettertogether.coaching.tests.support import kind as built_in
from bettertogether.directory.tests.support import (
    assert_login_redirect,
    new_entries,
    world_state,
)
from bettertogether.testing import factories as f

ADD = {"name": "Lesson study", "default_minutes": "40", "is_contact": "True"}


def _list_url(network):
    return reverse("coaching:support_kinds", args=[network.pk])


def _edit_url(network, kind):
    return reverse("coaching:support_kind_edit", args=[network.pk, kind.pk])


def _switch_url(network, kind):
    return reverse("coaching:support_kind_switch", args=[network.pk, kind.pk])


def _own(cast, name="Lesson study", **extra):
    return services.support_kind_create(actor=cast.admin, network=cast.network, name=name,
                                        default_minutes=extra.get("minutes", 40),
                                        is_contact=extra.get("is_contact", True))


def _own_kinds():
    return list(SupportKind.objects.filter(network__isnull=False)
                .values_list("name", "default_minutes", "is_contact", "is_active"))


# --- who may open it ----------------------------------------------------------------------


def test_support_kinds_urls(cast):
    kind = _own(cast)
    base = f"/coaching/networks/{cast.network.pk}/support-kinds/"

    assert _list_url(cast.network) == base
    assert _edit_url(cast.network, kind) == f"{base}{kind.pk}/"
    assert _switch_url(cast.network, kind) == f"{base}{kind.pk}/switch/"


def test_support_kinds_page_lists_built_in_and_own_kinds(cast, client_for):
    kind = _own(cast)

    response = client_for(cast.admin).get(_list_url(cast.network))

    assert response.status_code == 200
    assert len(response.context["built_in"]) == 14
    assert response.context["own"] == [kind]
    content = response.content.decode()
    assert content.count('<span class="badge badge-muted">built in</span>') == 14
    assert f'href="{_edit_url(cast.network, kind)}"' in content
    assert f'href="{_edit_url(cast.network, built_in("Tech help"))}"' not in content
    assert response.context["active"] == "organisations"


@pytest.mark.parametrize("who", [
    "coach", "second_coach", "teacher", "other_teacher", "leader", "outsider"])
def test_support_kinds_refused_is_404_and_changes_nothing(cast, client_for, persona, who):
    kind = _own(cast)
    client = client_for(persona(who))
    before = world_state()
    kinds_before = _own_kinds()

    assert client.get(_list_url(cast.network)).status_code == 404
    assert client.post(_list_url(cast.network), ADD | {"name": "Sneaky"}).status_code == 404
    assert client.get(_edit_url(cast.network, kind)).status_code == 404
    assert client.post(_edit_url(cast.network, kind), ADD | {"name": "Renamed"}).status_code == 404
    assert client.post(_switch_url(cast.network, kind)).status_code == 404
    assert world_state() == before
    assert _own_kinds() == kinds_before


def test_support_kinds_of_another_network_or_a_school_are_404(cast, client_for):
    theirs = services.support_kind_create(actor=cast.outsider, network=cast.outsider_network,
                                          name="Theirs", default_minutes=20, is_contact=True)
    client = client_for(cast.admin)

    assert client.get(_list_url(cast.outsider_network)).status_code == 404
    assert client.get(_list_url(cast.school)).status_code == 404
    # Their kind under our network's address does not exist either, nor does a built-in one.
    assert client.get(_edit_url(cast.network, theirs)).status_code == 404
    assert client.post(_switch_url(cast.network, theirs)).status_code == 404
    assert client.get(_edit_url(cast.network, built_in("Tech help"))).status_code == 404
    assert client.post(_switch_url(cast.network, built_in("Tech help"))).status_code == 404
    assert SupportKind.objects.get(pk=theirs.pk).is_active
    assert built_in("Tech help").is_active


def test_support_kinds_anonymous_redirects_to_login(cast):
    kind = _own(cast)

    for url in (_list_url(cast.network), _edit_url(cast.network, kind)):
        assert_login_redirect(Client().get(url), url)
    url = _switch_url(cast.network, kind)
    assert_login_redirect(Client().post(url), url)
    assert SupportKind.objects.get(pk=kind.pk).is_active


def test_network_page_links_to_the_support_kinds_for_admins_only(cast, client_for):
    link = f'href="{_list_url(cast.network)}"'
    network_page = reverse("directory:organisation", args=[cast.network.pk])

    assert link in client_for(cast.admin).get(network_page).content.decode()
    school_page = client_for(cast.admin).get(
        reverse("directory:organisation", args=[cast.school.pk]))
    assert b"Kinds of support" not in school_page.content


# --- adding -------------------------------------------------------------------------------


def test_support_kind_added_with_an_activity_entry(cast, client_for):
    before = world_state()

    response = client_for(cast.admin).post(_list_url(cast.network), ADD)

    assert response.status_code == 302
    assert response["Location"] == _list_url(cast.network)
    assert _own_kinds() == [("Lesson study", 40, True, True)]
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.organisation, entry.target_label,
            entry.details) == (cast.admin, "support_kind.create", cast.network,
                               "Lesson study", {})
    assert entry.action_label == "added the kind of support"


def test_support_kind_for_own_time(cast, client_for):
    client_for(cast.admin).post(_list_url(cast.network), ADD | {"is_contact": "False"})

    assert _own_kinds() == [("Lesson study", 40, False, True)]


def test_support_kind_double_submit_makes_one(cast, client_for):
    client = client_for(cast.admin)

    first = client.post(_list_url(cast.network), ADD)
    second = client.post(_list_url(cast.network), ADD)

    assert first.status_code == 302
    assert second.status_code == 422
    assert second.context["form"].errors["name"] == [
        "There is already a kind of support called “Lesson study”: choose another name."]
    assert _own_kinds() == [("Lesson study", 40, True, True)]


@pytest.mark.parametrize("name", ["Tech help", "tech HELP", "  Planning "])
def test_support_kind_clashing_with_a_built_in_name_is_422(cast, client_for, name):
    before = world_state()

    response = client_for(cast.admin).post(_list_url(cast.network), ADD | {"name": name})

    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["name"]
    assert "There is already a kind of support called" in response.content.decode()
    assert _own_kinds() == []
    assert world_state() == before


def test_support_kind_same_name_as_another_networks_is_fine(cast):
    services.support_kind_create(actor=cast.outsider, network=cast.outsider_network,
                                 name="Lesson study", default_minutes=20, is_contact=True)

    assert _own(cast).name == "Lesson study"


@pytest.mark.parametrize(("data", "fields"), [
    ({"default_minutes": "0"}, ["default_minutes"]),
    ({"default_minutes": "481"}, ["default_minutes"]),
    ({"default_minutes": "ten"}, ["default_minutes"]),
    ({"name": "   ", "default_minutes": ""}, ["default_minutes", "name"]),
    ({"name": "x" * 61}, ["name"]),
    ({"is_contact": "sometimes"}, ["is_contact"]),
])
def test_support_kind_bad_input_is_422_and_creates_nothing(cast, client_for, data, fields):
    response = client_for(cast.admin).post(_list_url(cast.network), ADD | data)

    assert response.status_code == 422
    assert sorted(response.context["form"].errors) == fields
    assert _own_kinds() == []


def test_support_kind_service_validates_minutes_and_name(cast):
    with pytest.raises(ValidationError) as caught:
        services.support_kind_create(actor=cast.admin, network=cast.network, name="",
                                     default_minutes=481, is_contact=True)

    assert sorted(caught.value.error_dict) == ["default_minutes", "name"]
    assert _own_kinds() == []


def test_support_kind_raced_double_submit_is_stopped_by_the_database(cast, monkeypatch):
    _own(cast)
    # The second request checked the name before the first one had saved it.
    monkeypatch.setattr(services, "_support_kind_checked", lambda **kw: kw["name"])

    with pytest.raises(ValidationError) as caught:
        _own(cast)

    assert caught.value.message_dict == {"name": [
        "There is already a kind of support called “Lesson study”: choose another name."]}
    assert _own_kinds() == [("Lesson study", 40, True, True)]


@pytest.mark.parametrize("who", ["coach", "leader", "teacher", "outsider"])
def test_support_kind_services_refuse_anyone_but_the_networks_admins(cast, who):
    kind = _own(cast)
    actor = getattr(cast, who)

    with pytest.raises(PermissionDenied):
        services.support_kind_create(actor=actor, network=cast.network, name="Mine",
                                     default_minutes=10, is_contact=True)
    with pytest.raises(PermissionDenied):
        services.support_kind_update(actor=actor, kind=kind, name="Mine", default_minutes=10,
                                     is_contact=True, is_active=False)
    assert _own_kinds() == [("Lesson study", 40, True, True)]


def test_support_kind_services_refuse_built_in_kinds_and_schools(cast):
    with pytest.raises(PermissionDenied):
        services.support_kind_update(actor=cast.admin, kind=built_in("Tech help"),
                                     name="Tech help", default_minutes=10, is_contact=True,
                                     is_active=False)
    with pytest.raises(PermissionDenied):
        services.support_kind_create(actor=cast.admin, network=cast.school, name="Mine",
                                     default_minutes=10, is_contact=True)
    assert built_in("Tech help").is_active


# --- changing and switching off -------------------------------------------------------------


def test_support_kind_edited_with_an_activity_entry(cast, client_for):
    kind = _own(cast)
    client = client_for(cast.admin)
    before = world_state()

    page = client.get(_edit_url(cast.network, kind))
    response = client.post(_edit_url(cast.network, kind), {
        "name": "Lesson study cycle", "default_minutes": "90", "is_contact": "True",
        "is_active": "on"})

    assert page.status_code == 200
    assert page.context["form"].initial["name"] == "Lesson study"
    assert response.status_code == 302
    assert _own_kinds() == [("Lesson study cycle", 90, True, True)]
    [entry] = new_entries(before)
    assert (entry.action, entry.target_label, entry.details) == (
        "support_kind.update", "Lesson study cycle", {"fields": ["name", "default_minutes"]})


def test_support_kind_edit_keeps_its_own_name_and_refuses_anothers(cast, client_for):
    kind = _own(cast)
    _own(cast, "Walkthrough")
    client = client_for(cast.admin)

    same = client.post(_edit_url(cast.network, kind), ADD | {"name": "lesson STUDY",
                                                             "is_active": "on"})
    clash = client.post(_edit_url(cast.network, kind), ADD | {"name": "walkthrough",
                                                              "is_active": "on"})

    assert same.status_code == 302
    assert clash.status_code == 422
    assert list(clash.context["form"].errors) == ["name"]
    assert sorted(_own_kinds()) == [("Walkthrough", 40, True, True),
                                    ("lesson STUDY", 40, True, True)]


def test_support_kind_in_use_keeps_whose_time_it_is(cast, client_for):
    kind = _own(cast)
    services.interaction_log(actor=cast.coach, kind=kind, teachers=[cast.teacher])
    client = client_for(cast.admin)

    form = client.get(_edit_url(cast.network, kind)).context["form"]
    response = client.post(_edit_url(cast.network, kind), ADD | {"is_contact": "False",
                                                                 "is_active": "on"})

    assert form.fields["is_contact"].disabled
    assert response.status_code == 302  # the disabled field keeps its value
    assert SupportKind.objects.get(pk=kind.pk).is_contact
    with pytest.raises(ValidationError) as caught:
        services.support_kind_update(actor=cast.admin, kind=kind, name=kind.name,
                                     default_minutes=40, is_contact=False, is_active=True)
    assert list(caught.value.error_dict) == ["is_contact"]


def test_support_kind_offered_on_a_menu_is_in_use(cast):
    kind = _own(cast)
    f.MenuItemFactory(network=cast.network, coach=cast.coach, kind=kind)

    assert summaries.support_kind_in_use(kind=kind)
    with pytest.raises(ValidationError):
        services.support_kind_update(actor=cast.admin, kind=kind, name=kind.name,
                                     default_minutes=40, is_contact=False, is_active=True)


def test_support_kind_not_in_use_may_become_own_time(cast, client_for):
    kind = _own(cast)

    client_for(cast.admin).post(_edit_url(cast.network, kind), ADD | {"is_contact": "False",
                                                                      "is_active": "on"})

    assert not SupportKind.objects.get(pk=kind.pk).is_contact


def test_support_kind_switched_off_leaves_the_quick_log_but_past_entries_keep_it(
        cast, client_for):
    kind = _own(cast)
    entry = services.interaction_log(actor=cast.coach, kind=kind, teachers=[cast.teacher])
    coach = client_for(cast.coach)
    assert kind.pk in coach.get(reverse("coaching:log")).context["form"].kinds
    before = world_state()

    response = client_for(cast.admin).post(_switch_url(cast.network, kind))

    assert response.status_code == 302
    assert _own_kinds() == [("Lesson study", 40, True, False)]
    [activity] = new_entries(before)
    assert (activity.action, activity.details) == ("support_kind.update",
                                                   {"fields": ["is_active"]})
    assert kind.pk not in coach.get(reverse("coaching:log")).context["form"].kinds
    refused = coach.post(reverse("coaching:log"), {
        "kind": str(kind.pk), "teachers": [str(cast.teacher.pk)],
        "idempotency_key": "9b2f7c1e-8a51-4a7e-9a55-2f3b0d9c1e11"})
    assert refused.status_code == 422
    assert Interaction.objects.get(pk=entry.pk).kind_id == kind.pk
    assert b"Lesson study" in coach.get(reverse("coaching:my_log")).content


def test_support_kind_switched_back_on(cast, client_for):
    kind = _own(cast)
    client = client_for(cast.admin)

    client.post(_switch_url(cast.network, kind))
    client.post(_switch_url(cast.network, kind))

    assert _own_kinds() == [("Lesson study", 40, True, True)]
    assert kind.pk in client_for(cast.coach).get(reverse("coaching:log")).context["form"].kinds


def test_support_kind_switch_is_post_only(cast, client_for):
    kind = _own(cast)

    assert client_for(cast.admin).get(_switch_url(cast.network, kind)).status_code == 405
    assert SupportKind.objects.get(pk=kind.pk).is_active


def test_support_kind_switched_off_from_the_edit_form(cast, client_for):
    kind = _own(cast)

    response = client_for(cast.admin).post(_edit_url(cast.network, kind), ADD)

    assert response.status_code == 302
    assert _own_kinds() == [("Lesson study", 40, True, False)]


def test_support_kind_edit_bad_minutes_is_422_and_changes_nothing(cast, client_for):
    kind = _own(cast)

    response = client_for(cast.admin).post(_edit_url(cast.network, kind),
                                           ADD | {"default_minutes": "0", "is_active": "on"})

    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["default_minutes"]
    assert _own_kinds() == [("Lesson study", 40, True, True)]
