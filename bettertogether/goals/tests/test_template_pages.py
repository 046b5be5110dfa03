"""The cycle-template pages of a network: only its admins open them (404 for everyone else,
like a page that does not exist); a built-in template opens read-only and its changes are
403. Bad input is a 422 with the message next to the field; the pages cost the same for
one template or stage as for many."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from bettertogether.activity.models import ActivityEntry
from bettertogether.directory.tests.support import assert_login_redirect, count_queries
from bettertogether.goals import template_services as services
from bettertogether.goals.models import CycleTemplate, TemplateStage
from bettertogether.goals.tests.support import template
from bettertogether.goals.tests.test_templates import IMPACT, a_copy, save, stage, stages

EVERYONE = ["coach", "second_coach", "teacher", "other_teacher", "leader", "admin", "outsider"]
MANY = 12


def _expect(status_for_admin) -> list:
    return [(who, status_for_admin if who == "admin" else 404) for who in EVERYONE]


@pytest.fixture
def copy(cast):
    return a_copy(cast)


def _urls(cast, tmpl) -> dict:
    n, first = cast.network.pk, stage(tmpl, 1)
    return {
        "templates": reverse("goals:templates", args=[n]),
        "template": reverse("goals:template", args=[n, tmpl.pk]),
        "template_copy": reverse("goals:template_copy", args=[n, tmpl.pk]),
        "template_stage": reverse("goals:template_stage", args=[n, tmpl.pk, first.pk]),
        "template_stage_new": reverse("goals:template_stage_new", args=[n, tmpl.pk]),
        "template_stage_move": reverse("goals:template_stage_move",
                                       args=[n, tmpl.pk, first.pk]),
        "template_stage_delete": reverse("goals:template_stage_delete",
                                         args=[n, tmpl.pk, first.pk]),
    }


def _state() -> dict:
    return {
        "templates": list(CycleTemplate.objects.order_by("pk").values_list(
            "pk", "network_id", "name", "description", "is_active")),
        "stages": list(TemplateStage.objects.order_by("pk").values_list(
            "pk", "template_id", "position", "name", "purpose", "expected_days")),
        "activity": ActivityEntry.objects.count(),
    }


STAGE = {"stage-name": "Check in", "stage-purpose": "improve", "stage-expected_days": "5",
         "stage-position": "4"}
POSTS = {
    "template": {"name": "Riverside cycle", "is_active": "on"},
    "template_copy": {"name": "Another copy"},
    "template_stage": {"name": "Look together", "purpose": "identify",
                       "expected_days": "12", "position": "1"},
    "template_stage_new": STAGE,
    "template_stage_move": {"direction": "down"},
    "template_stage_delete": {},
}


# --- who -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["templates", "template", "template_stage"])
@pytest.mark.parametrize(("who", "status"), _expect(200))
def test_template_pages_open_for_the_networks_admins(client_for, persona, cast, copy, name,
                                                     who, status):
    assert client_for(persona(who)).get(_urls(cast, copy)[name]).status_code == status


@pytest.mark.parametrize("name", sorted(POSTS))
@pytest.mark.parametrize(("who", "status"), _expect(302))
def test_template_changes_by_the_networks_admins_only(client_for, persona, cast, copy, name,
                                                      who, status):
    before = _state()

    response = client_for(persona(who)).post(_urls(cast, copy)[name], POSTS[name])

    assert response.status_code == status
    assert (_state() == before) == (status != 302)


def test_a_built_in_template_opens_read_only(cast, client_for):
    response = client_for(cast.admin).get(_urls(cast, template(IMPACT))["template"])

    assert response.status_code == 200
    assert response.context["can_change"] is False
    assert "stage_form" not in response.context
    assert "Make a copy" in response.content.decode()


@pytest.mark.parametrize("name", ["template", "template_stage", "template_stage_new",
                                  "template_stage_move", "template_stage_delete"])
def test_built_in_template_changes_are_403(cast, client_for, name):
    url = _urls(cast, template(IMPACT))[name]
    before = _state()

    client = client_for(cast.admin)
    response = client.get(url) if name == "template_stage" else client.post(url,
                                                                             POSTS[name])

    assert response.status_code == 403
    assert _state() == before


def test_another_networks_template_is_404(cast, client_for):
    theirs = services.template_copy(actor=cast.outsider, template=template(IMPACT),
                                    network=cast.outsider_network, name="Northfield cycle")

    response = client_for(cast.admin).get(
        reverse("goals:template", args=[cast.network.pk, theirs.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["templates", "template", "template_stage"])
def test_template_pages_anonymous_redirect_to_login(cast, copy, name):
    url = _urls(cast, copy)[name]

    assert_login_redirect(Client().get(url), url)


def test_organisation_page_links_to_the_templates(cast, client_for):
    page = client_for(cast.admin).get(reverse("directory:organisation",
                                              args=[cast.network.pk])).content.decode()

    assert reverse("goals:templates", args=[cast.network.pk]) in page
    assert reverse("goals:resources") in page


# --- writes through the pages --------------------------------------------------------------


def test_make_a_copy_from_the_list_opens_the_copy(cast, client_for):
    client = client_for(cast.admin)
    offered = client.get(reverse("goals:templates", args=[cast.network.pk])).context
    name = next(t.copy_name for t in offered["built_in"] if t.name == IMPACT)

    response = client.post(_urls(cast, template(IMPACT))["template_copy"], {"name": name})

    made = CycleTemplate.objects.get(network=cast.network)
    assert made.name == "Impact Cycle (Riverside)"
    assert response["Location"] == reverse("goals:template", args=[cast.network.pk, made.pk])
    again = client.get(reverse("goals:templates", args=[cast.network.pk])).context
    assert next(t.copy_name for t in again["built_in"] if t.name == IMPACT) == (
        "Impact Cycle (Riverside) 2")


def test_the_editing_page_says_running_cycles_keep_their_stages(cast, client_for, copy):
    page = client_for(cast.admin).get(_urls(cast, copy)["template"]).content.decode()

    assert "cycles under way keep the stages they started with" in page


def test_stage_pages_add_edit_move_and_delete(cast, client_for, copy):
    client, urls = client_for(cast.admin), _urls(cast, copy)

    client.post(urls["template_stage_new"], {**STAGE, "stage-position": "2"})
    client.post(urls["template_stage"], POSTS["template_stage"])
    client.post(urls["template_stage_move"], {"direction": "down"})
    client.post(reverse("goals:template_stage_delete",
                        args=[cast.network.pk, copy.pk, stage(copy, 4).pk]))

    assert stages(copy) == [(1, "Check in", 5), (2, "Look together", 12), (3, "Learn", 10)]


def test_deleting_the_last_stage_says_why_not(cast, client_for, copy):
    for position in (3, 2):
        services.template_stage_delete(actor=cast.admin, stage=stage(copy, position))

    response = client_for(cast.admin).post(_urls(cast, copy)["template_stage_delete"],
                                           follow=True)

    assert "A template keeps at least one stage" in response.content.decode()
    assert len(stages(copy)) == 1


# --- bad input -----------------------------------------------------------------------------


def _refused(client, url, data):
    before = _state()
    response = client.post(url, data)
    assert _state() == before, "a refused form changed something"
    assert response.status_code == 422
    return response


def assert_error_next_to(response, form_name, field, message):
    form = response.context[form_name]
    assert form.errors == {field: [message]}
    assert (f'<ul class="errorlist" id="id_{form.add_prefix(field)}_error">'
            f'<li>{escape(message)}</li></ul>') in response.content.decode()


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"stage-name": ""}, "name", "This field is required."),
    ({"stage-expected_days": "0"}, "expected_days",
     "Ensure this value is greater than or equal to 1."),
    ({"stage-expected_days": "91"}, "expected_days",
     "Ensure this value is less than or equal to 90."),
    ({"stage-position": "9"}, "position",
     "Select a valid choice. 9 is not one of the available choices."),
    ({"stage-purpose": "gossip"}, "purpose",
     "Select a valid choice. gossip is not one of the available choices."),
])
def test_stage_new_bad_input_is_422(cast, client_for, copy, fields, field, message):
    response = _refused(client_for(cast.admin), _urls(cast, copy)["template_stage_new"],
                        {**STAGE, **fields})

    assert_error_next_to(response, "stage_form", field, message)


def test_stage_edit_bad_input_is_422(cast, client_for, copy):
    response = _refused(client_for(cast.admin), _urls(cast, copy)["template_stage"],
                        {**POSTS["template_stage"], "expected_days": "120"})

    assert_error_next_to(response, "form", "expected_days",
                         "Ensure this value is less than or equal to 90.")


def test_template_rename_to_a_taken_name_is_422(cast, client_for, copy):
    a_copy(cast, name="Taken")

    response = _refused(client_for(cast.admin), _urls(cast, copy)["template"],
                        {"name": "Taken"})

    assert_error_next_to(response, "form", "name",
                         "Your network already has a template called “Taken”.")


@pytest.mark.parametrize(("name", "message"), [
    ("Riverside Impact Cycle", "Your network already has a template called "
                               "“Riverside Impact Cycle”."),
    ("", "This field is required."),
])
def test_copy_with_a_bad_name_is_422_next_to_the_name(cast, client_for, copy, name,
                                                      message):
    source = template("Tech integration cycle")

    response = _refused(client_for(cast.admin), _urls(cast, source)["template_copy"],
                        {"name": name})

    assert (f'<ul class="errorlist" id="copy-{source.pk}-error"><li>{escape(message)}'
            f'</li></ul>') in response.content.decode()


# --- cost ----------------------------------------------------------------------------------


def _same_cost(client, url, grow, django_assert_num_queries):
    client.get(url)
    one = count_queries(client, url)
    grow()
    with django_assert_num_queries(one):
        response = client.get(url)
    return response


def test_templates_page_query_count_does_not_grow(cast, client_for, copy,
                                                  django_assert_num_queries):
    def grow():
        for i in range(MANY):
            a_copy(cast, name=f"Copy {i}", source="Student-Centered Coaching cycle")

    response = _same_cost(client_for(cast.admin),
                          reverse("goals:templates", args=[cast.network.pk]), grow,
                          django_assert_num_queries)

    assert len(response.context["own"]) == 1 + MANY


def test_template_page_query_count_does_not_grow(cast, client_for, copy,
                                                 django_assert_num_queries):
    def grow():
        for i in range(MANY):
            save(cast, copy, name=f"Stage {i}")

    response = _same_cost(client_for(cast.admin), _urls(cast, copy)["template"], grow,
                          django_assert_num_queries)

    assert len(response.context["stages"]) == 3 + MANY
