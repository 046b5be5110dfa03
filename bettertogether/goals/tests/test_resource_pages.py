"""The library pages: who opens and posts each one, what the library shows, bad input, and
what a page costs.

Coaches and network admins open the library; teachers and leaders get 404. A resource the
actor cannot see (another coach's own) is a 404; one they see but may not change (built in,
or the network's for a coach) is a 403 on the change. The outsider is an admin of another
network: they have a library of their own, with nothing of Riverside's in it.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from bettertogether.activity.models import ActivityEntry
from bettertogether.directory.tests.support import assert_login_redirect, count_queries
from bettertogether.goals.models import ConversationResource
from bettertogether.goals.tests.test_resources import BODY, built_in, own, shared
from bettertogether.menu.models import CoachingSession
from bettertogether.testing import factories as f

EVERYONE = ["coach", "second_coach", "teacher", "other_teacher", "leader", "admin", "outsider"]
LIBRARY_USERS = {"coach": 200, "second_coach": 200, "admin": 200, "outsider": 200}
# Everyone who opens a library sees the built-in resources, and may change none of them.
BUILT_IN_READERS = {"coach": 403, "second_coach": 403, "admin": 403, "outsider": 403}
MANY = 15


def _expect(allowed: dict) -> list:
    return [(who, allowed.get(who, 404)) for who in EVERYONE]


@pytest.fixture
def world(cast):
    session = f.CoachingSessionFactory(coach=cast.coach, school=cast.school,
                                       attendees=[cast.teacher], title="Number talk debrief")
    return {"own": own(cast.coach), "shared": shared(cast.admin, cast.network),
            "built_in": built_in(), "session": session}


def _state() -> dict:
    return {
        "resources": list(ConversationResource.objects.order_by("pk").values_list(
            "pk", "owner_id", "network_id", "kind", "purpose", "title", "body")),
        "agendas": list(CoachingSession.objects.order_by("pk").values_list("pk", "agenda")),
        "activity": ActivityEntry.objects.count(),
    }


def _form_data(**fields):
    return {"title": "Planning from exit tickets", "kind": "stems", "purpose": "plan",
            "body": "Which students met the target?", **fields}


# --- who -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), _expect(LIBRARY_USERS))
def test_library_opens_for_coaches_and_admins(client_for, persona, world, who, status):
    response = client_for(persona(who)).get(reverse("goals:resources"))

    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Quick debrief questions" in page
        assert ("Fraction talk stems" in page) == (who == "coach")
        assert ("Riverside debrief protocol" in page) == (who != "outsider")


def test_library_is_404_for_someone_without_a_role(client_for):
    assert client_for(f.PersonFactory()).get(reverse("goals:resources")).status_code == 404


@pytest.mark.parametrize(("who", "status"), _expect(LIBRARY_USERS))
def test_resource_new_opens_for_coaches_and_admins(client_for, persona, who, status):
    assert client_for(persona(who)).get(reverse("goals:resource_new")).status_code == status


@pytest.mark.parametrize(("keeper", "allowed"), [
    ("own", {"coach": 200}),
    ("shared", {"admin": 200, "coach": 403, "second_coach": 403}),
    ("built_in", BUILT_IN_READERS),
])
@pytest.mark.parametrize("who", EVERYONE)
def test_resource_edit_is_its_keepers(client_for, persona, world, keeper, allowed, who):
    url = reverse("goals:resource_edit", args=[world[keeper].pk])

    assert client_for(persona(who)).get(url).status_code == allowed.get(who, 404)


@pytest.mark.parametrize(("keeper", "allowed"), [
    ("own", {"coach": 302}),
    ("shared", {"admin": 302, "coach": 403, "second_coach": 403}),
    ("built_in", BUILT_IN_READERS),
])
@pytest.mark.parametrize("who", EVERYONE)
def test_resource_delete_is_its_keepers(client_for, persona, world, keeper, allowed, who):
    url = reverse("goals:resource_delete", args=[world[keeper].pk])

    response = client_for(persona(who)).post(url)

    status = allowed.get(who, 404)
    assert response.status_code == status
    assert ConversationResource.objects.filter(pk=world[keeper].pk).exists() == (status != 302)


@pytest.mark.parametrize(("who", "status"), _expect({"coach": 302, "second_coach": 422}))
def test_resource_to_session_is_for_the_sessions_coach(client_for, persona, world, who,
                                                       status):
    url = reverse("goals:resource_to_session", args=[world["built_in"].pk])

    response = client_for(persona(who)).post(url, {"session": world["session"].pk})

    assert response.status_code == status
    world["session"].refresh_from_db()
    assert ("Quick debrief questions" in world["session"].agenda) == (status == 302)


def test_resource_to_session_with_another_coachs_resource_is_404(client_for, world,
                                                                 second_coach):
    url = reverse("goals:resource_to_session", args=[own(second_coach).pk])

    assert client_for(world["session"].coach).post(
        url, {"session": world["session"].pk}).status_code == 404


@pytest.mark.parametrize("name", ["resources", "resource_new", "resource_edit",
                                  "resource_delete", "resource_to_session"])
def test_library_pages_anonymous_redirect_to_login(world, name):
    args = [] if name in ("resources", "resource_new") else [world["own"].pk]
    url = reverse(f"goals:{name}", args=args)

    assert_login_redirect(Client().get(url), url)


# --- what the library shows ----------------------------------------------------------------


def test_library_groups_by_purpose_in_the_order_of_a_cycle(cast, client_for, world):
    groups = client_for(cast.coach).get(reverse("goals:resources")).context["groups"]

    assert [g.purpose for g in groups] == ["identify", "goal", "learn", "plan", "assess",
                                           "teach", "improve", "reflect", "debrief"]
    debrief = {row.resource.title: (row.source, row.can_change) for row in groups[-1].rows}
    assert debrief == {"Debrief after an observation": ("built_in", False),
                       "Fraction talk stems": ("own", True),
                       "Quick debrief questions": ("built_in", False),
                       "Riverside debrief protocol": ("network", False)}


def test_library_filters_by_purpose_and_ignores_an_unknown_one(cast, client_for, world):
    client = client_for(cast.admin)

    plan = client.get(reverse("goals:resources"), {"purpose": "plan"}).context["groups"]
    unknown = client.get(reverse("goals:resources"), {"purpose": "gossip"})

    assert [(g.purpose, [r.resource.title for r in g.rows]) for g in plan] == [
        ("plan", ["Planning from student work"])]
    assert unknown.status_code == 200
    assert len(unknown.context["groups"]) == 9


def test_library_offers_the_coachs_upcoming_sessions_only(cast, client_for, world,
                                                          second_coach):
    f.CoachingSessionFactory(coach=second_coach, school=cast.school, attendees=[cast.coach],
                             title="Coach attends this")

    response = client_for(cast.coach).get(reverse("goals:resources"))

    assert [s.title for s in response.context["sessions"]] == ["Number talk debrief"]
    assert "Add to the agenda of…" in response.content.decode()
    admin_page = client_for(cast.admin).get(reverse("goals:resources")).content.decode()
    assert "Add to the agenda of…" not in admin_page


def test_goal_list_links_to_the_library_for_coaches(cast, client_for):
    url = reverse("goals:resources")

    assert url in client_for(cast.coach).get(reverse("goals:list")).content.decode()
    assert url not in client_for(cast.teacher).get(reverse("goals:list")).content.decode()


# --- writes through the pages --------------------------------------------------------------


def test_resource_new_by_a_coach_goes_on_their_shelf(cast, client_for):
    response = client_for(cast.coach).post(reverse("goals:resource_new"), _form_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("goals:resources") + "?purpose=plan"
    assert ConversationResource.objects.get(title="Planning from exit tickets").owner == (
        cast.coach)


def test_resource_new_by_an_admin_is_shared_with_the_network(cast, client_for):
    form = client_for(cast.admin).get(reverse("goals:resource_new")).context["form"]
    assert "share" not in form.fields  # one place it can go

    client_for(cast.admin).post(reverse("goals:resource_new"), _form_data())

    made = ConversationResource.objects.get(title="Planning from exit tickets")
    assert (made.owner, made.network) == (None, cast.network)


def test_resource_new_by_a_coach_who_is_an_admin_chooses_where(cast, client_for):
    f.MembershipFactory(person=cast.coach, organisation=cast.network, role="network_admin")

    client_for(cast.coach).post(reverse("goals:resource_new"),
                                _form_data(share=str(cast.network.pk)))
    client_for(cast.coach).post(reverse("goals:resource_new"),
                                _form_data(title="Just mine", share="me"))

    assert ConversationResource.objects.get(title="Planning from exit tickets").owner is None
    assert ConversationResource.objects.get(title="Just mine").owner == cast.coach


def test_resource_edit_saves_and_returns_to_its_purpose(cast, client_for, world):
    url = reverse("goals:resource_edit", args=[world["own"].pk])

    response = client_for(cast.coach).post(url, _form_data(purpose="reflect"))

    assert response["Location"] == reverse("goals:resources") + "?purpose=reflect"
    world["own"].refresh_from_db()
    assert (world["own"].title, world["own"].purpose) == ("Planning from exit tickets",
                                                          "reflect")


def test_resource_to_session_appends_to_the_agenda(cast, client_for, world):
    url = reverse("goals:resource_to_session", args=[world["own"].pk])

    response = client_for(cast.coach).post(url, {"session": world["session"].pk,
                                                 "purpose": "debrief"})

    assert response["Location"] == reverse("goals:resources") + "?purpose=debrief"
    world["session"].refresh_from_db()
    assert world["session"].agenda.endswith(f"Fraction talk stems\n{BODY}")


# --- bad input -----------------------------------------------------------------------------


def _refused(client, url, data):
    before = _state()
    response = client.post(url, data)
    assert _state() == before, "a refused form changed something"
    assert response.status_code == 422
    return response


def assert_error_next_to(response, field, message):
    form = response.context["form"]
    assert form.errors == {field: [message]}
    assert (f'<ul class="errorlist" id="id_{field}_error"><li>{escape(message)}</li></ul>'
            in response.content.decode())


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"title": ""}, "title", "This field is required."),
    ({"body": ""}, "body", "This field is required."),
    ({"body": "x" * 6001}, "body", "Ensure this value has at most 6000 characters "
                                   "(it has 6001)."),
    ({"purpose": "gossip"}, "purpose", "Select a valid choice. gossip is not one of the "
                                       "available choices."),
    ({"title": "FRACTION talk stems"}, "title",
     "You already have a resource called “FRACTION talk stems”."),
])
@pytest.mark.parametrize("page", ["new", "edit"])
def test_resource_form_bad_input_is_422_next_to_the_field(cast, client_for, world, fields,
                                                          field, message, page):
    target = own(cast.coach, title="Other stems") if page == "edit" else None
    url = (reverse("goals:resource_edit", args=[target.pk]) if target
           else reverse("goals:resource_new"))

    response = _refused(client_for(cast.coach), url, _form_data(**fields))

    assert_error_next_to(response, field, message)


@pytest.mark.parametrize(("agenda", "session_value", "message"), [
    ("x" * 1990, None, "It does not fit: the agenda of Number talk debrief would be "
                       "{length} characters, and an agenda holds 2000. Shorten the agenda "
                       "first, or copy the part you need."),
    ("", "999999", "Choose one of your upcoming sessions."),
    ("", "", "This field is required."),
])
def test_resource_to_session_bad_input_is_422_next_to_the_select(
        cast, client_for, world, agenda, session_value, message):
    session, resource = world["session"], world["built_in"]
    CoachingSession.objects.filter(pk=session.pk).update(agenda=agenda)
    message = message.format(length=1990 + 2 + len(resource.title) + 1 + len(resource.body))
    url = reverse("goals:resource_to_session", args=[resource.pk])

    response = _refused(client_for(cast.coach), url, {
        "session": session.pk if session_value is None else session_value})

    page = response.content.decode()
    assert (f'<ul class="errorlist" id="agenda-{resource.pk}-error"><li>{escape(message)}'
            f'</li></ul>') in page
    assert 'aria-invalid="true"' in page


# --- cost ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["coach", "admin"])
def test_library_query_count_does_not_grow(cast, client_for, persona, world, who,
                                           django_assert_num_queries):
    client = client_for(persona(who))
    url = reverse("goals:resources")

    def grow():
        for i in range(MANY):
            own(cast.coach, title=f"Stems {i}")
            shared(cast.admin, cast.network, title=f"Protocol {i}")
            f.CoachingSessionFactory(coach=cast.coach, school=cast.school,
                                     attendees=[cast.teacher, cast.other_teacher])

    client.get(url)
    one = count_queries(client, url)
    grow()
    with django_assert_num_queries(one):
        response = client.get(url)
    rows = sum(len(g.rows) for g in response.context["groups"])
    assert rows == 12 + MANY + 1 + (MANY + 1 if who == "coach" else 0)
