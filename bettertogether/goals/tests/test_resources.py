"""The library of conversation resources through its services: who keeps what, what is
checked, the activity entries (never a resource's text), and pulling one into a session's
agenda."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bettertogether.activity.models import ActivityEntry
from bettertogether.goals import resource_services as services
from bettertogether.goals.models import ConversationResource
from bettertogether.menu.models import SessionStatus
from bettertogether.testing import factories as f

BODY = "What did the exit tickets show?\nWho is nearly there?"


def own(coach, title="Fraction talk stems", body=BODY, **extra):
    extra.setdefault("kind", "stems")
    extra.setdefault("purpose", "debrief")
    return services.resource_create(actor=coach, title=title, body=body, **extra)


def shared(admin, network, title="Riverside debrief protocol", body="1. Teacher first."):
    return services.resource_create(actor=admin, kind="protocol", purpose="debrief",
                                    title=title, body=body, for_network=network)


def built_in(title="Quick debrief questions"):
    return ConversationResource.objects.get(network=None, owner=None, title=title)


@pytest.fixture
def session(cast):
    return f.CoachingSessionFactory(coach=cast.coach, school=cast.school,
                                    attendees=[cast.teacher], title="Number talk debrief",
                                    agenda="Look at the exit tickets.")


# --- keeping resources ----------------------------------------------------------------------


def test_resource_create_by_a_coach_is_their_own(cast):
    resource = own(cast.coach)

    assert (resource.owner, resource.network, resource.kind, resource.purpose) == (
        cast.coach, cast.network, "stems", "debrief")


def test_resource_create_for_the_network_by_its_admin_is_shared(cast):
    resource = shared(cast.admin, cast.network)

    assert (resource.owner, resource.network) == (None, cast.network)


@pytest.mark.parametrize("who", ["coach", "leader", "outsider"])
def test_resource_create_for_a_network_by_anyone_but_its_admin_is_refused(cast, who):
    with pytest.raises(PermissionDenied):
        shared(getattr(cast, who), cast.network)
    assert not ConversationResource.objects.filter(network=cast.network).exists()


@pytest.mark.parametrize("who", ["teacher", "leader", "admin"])
def test_resource_create_of_ones_own_needs_a_coach(cast, who):
    with pytest.raises(PermissionDenied):
        own(getattr(cast, who))


def test_resource_create_twice_keeps_one(cast):
    first = own(cast.coach)
    second = own(cast.coach)

    assert first.pk == second.pk
    assert ConversationResource.objects.filter(owner=cast.coach).count() == 1
    assert ActivityEntry.objects.filter(action="resource.create").count() == 1


def test_resource_create_with_a_title_already_on_the_shelf_is_refused(cast):
    own(cast.coach)

    with pytest.raises(ValidationError) as error:
        own(cast.coach, title="fraction TALK stems", body="Something else")

    assert error.value.message_dict == {
        "title": ["You already have a resource called “fraction TALK stems”."]}


def test_resource_titles_are_per_shelf(cast, second_coach):
    own(cast.coach)
    shared(cast.admin, cast.network, title="Fraction talk stems")

    assert own(second_coach).owner == second_coach


@pytest.mark.parametrize(("fields", "errors"), [
    ({"title": "  "}, {"title": ["Give it a title."]}),
    ({"body": ""}, {"body": ["Write the questions or the steps."]}),
    ({"kind": "essay"}, {"kind": ["Choose question stems or a protocol."]}),
    ({"purpose": "gossip"}, {"purpose": ["Choose what it is for."]}),
    ({"title": "x" * 161}, {"title": ["Ensure this value has at most 160 characters "
                                      "(it has 161)."]}),
])
def test_resource_create_checks_every_field(cast, fields, errors):
    with pytest.raises(ValidationError) as error:
        own(cast.coach, **fields)

    assert error.value.message_dict == errors
    assert not ConversationResource.objects.filter(owner=cast.coach).exists()


def test_resource_update_changes_the_keepers_own(cast):
    resource = own(cast.coach)

    services.resource_update(actor=cast.coach, resource=resource, kind="protocol",
                             purpose="reflect", title="Looking back", body=BODY)

    resource.refresh_from_db()
    assert (resource.kind, resource.purpose, resource.title) == ("protocol", "reflect",
                                                                 "Looking back")


def test_resource_update_to_another_title_on_the_shelf_is_refused(cast):
    own(cast.coach, title="Taken")
    resource = own(cast.coach)

    with pytest.raises(ValidationError) as error:
        services.resource_update(actor=cast.coach, resource=resource, kind="stems",
                                 purpose="debrief", title="taken", body=BODY)

    assert error.value.message_dict == {"title": ["You already have a resource called "
                                                  "“taken”."]}


@pytest.mark.parametrize(("keeper", "who"), [
    ("own", "second_coach"), ("own", "admin"), ("shared", "coach"), ("shared", "outsider"),
    ("built_in", "coach"), ("built_in", "admin"),
])
def test_resource_update_and_delete_refused_to_all_but_its_keeper(cast, persona, keeper,
                                                                  who):
    resource = {"own": lambda: own(cast.coach),
                "shared": lambda: shared(cast.admin, cast.network),
                "built_in": built_in}[keeper]()
    actor = persona(who)

    with pytest.raises(PermissionDenied):
        services.resource_update(actor=actor, resource=resource, kind="stems",
                                 purpose="plan", title="Mine now", body="Mine")
    with pytest.raises(PermissionDenied):
        services.resource_delete(actor=actor, resource=resource)
    assert ConversationResource.objects.get(pk=resource.pk).title == resource.title


def test_resource_delete_takes_it_off_the_shelf(cast):
    resource = shared(cast.admin, cast.network)

    services.resource_delete(actor=cast.admin, resource=resource)

    assert not ConversationResource.objects.filter(pk=resource.pk).exists()


def test_activity_of_a_coachs_own_resource_names_neither_title_nor_text(cast):
    resource = own(cast.coach, title="Stems for Tess", body="Canary-own-body-51")
    services.resource_update(actor=cast.coach, resource=resource, kind="stems",
                             purpose="plan", title="Stems for Tess again",
                             body="Canary-own-body-52")
    services.resource_delete(actor=cast.coach, resource=resource)

    entries = list(ActivityEntry.objects.filter(target_type="goals.conversationresource")
                   .order_by("pk").values_list("action", "target_label", "details",
                                               "network_id"))
    assert entries == [
        ("resource.create", "Own resource", {"kind": "stems"}, cast.network.pk),
        ("resource.update", "Own resource", {"kind": "stems",
                                             "fields": ["purpose", "title", "body"]},
         cast.network.pk),
        ("resource.delete", "Own resource", {"kind": "stems"}, cast.network.pk),
    ]


def test_activity_of_a_network_resource_names_its_title_only(cast):
    resource = shared(cast.admin, cast.network, body="Canary-shared-body-77")

    entry = ActivityEntry.objects.get(action="resource.create")

    assert (entry.target_id, entry.target_label, entry.details) == (
        resource.pk, "Riverside debrief protocol", {"kind": "protocol"})
    assert "Canary" not in str(list(ActivityEntry.objects.values()))


# --- into a session's agenda ----------------------------------------------------------------


def test_session_agenda_add_resource_appends_title_and_text(cast, session):
    resource = built_in()

    services.session_agenda_add_resource(actor=cast.coach, session=session,
                                         resource=resource)

    session.refresh_from_db()
    assert session.agenda == (f"Look at the exit tickets.\n\nQuick debrief questions\n"
                              f"{resource.body}")
    assert session.sequence == 0  # the agenda is not in the calendar feed


def test_session_agenda_add_resource_twice_adds_it_once(cast, session):
    for _ in range(2):
        services.session_agenda_add_resource(actor=cast.coach, session=session,
                                             resource=built_in())

    session.refresh_from_db()
    assert session.agenda.count("Quick debrief questions") == 1
    assert ActivityEntry.objects.filter(action="session.add_resource").count() == 1


def test_session_agenda_add_resource_into_an_empty_agenda(cast, session):
    session.agenda = ""
    session.save(update_fields=["agenda"])

    services.session_agenda_add_resource(actor=cast.coach, session=session,
                                         resource=own(cast.coach))

    session.refresh_from_db()
    assert session.agenda == f"Fraction talk stems\n{BODY}"


def test_session_agenda_add_resource_that_does_not_fit_is_refused(cast, session):
    session.agenda = "x" * 1990
    session.save(update_fields=["agenda"])

    with pytest.raises(ValidationError) as error:
        services.session_agenda_add_resource(actor=cast.coach, session=session,
                                             resource=built_in())

    length = 1990 + 2 + len("Quick debrief questions\n") + len(built_in().body)
    assert error.value.message_dict == {"session": [
        f"It does not fit: the agenda of Number talk debrief would be {length} characters, "
        "and an agenda holds 2000. Shorten the agenda first, or copy the part you need."]}
    session.refresh_from_db()
    assert session.agenda == "x" * 1990


@pytest.mark.parametrize("who", ["teacher", "second_coach", "admin"])
def test_session_agenda_add_resource_is_the_sessions_coachs(cast, persona, session, who):
    with pytest.raises(PermissionDenied):
        services.session_agenda_add_resource(actor=persona(who), session=session,
                                             resource=built_in())


def test_session_agenda_add_resource_of_another_coach_is_refused(cast, second_coach,
                                                                 session):
    with pytest.raises(PermissionDenied):
        services.session_agenda_add_resource(actor=cast.coach, session=session,
                                             resource=own(second_coach))


def test_session_agenda_add_resource_to_a_cancelled_session_is_refused(cast, session):
    session.status = SessionStatus.CANCELLED
    session.save(update_fields=["status"])

    with pytest.raises(ValidationError) as error:
        services.session_agenda_add_resource(actor=cast.coach, session=session,
                                             resource=built_in())

    assert error.value.message_dict == {"session": [
        "That session was cancelled: choose another."]}


def test_session_agenda_activity_names_the_sessions_kind_never_the_text(cast, session):
    services.session_agenda_add_resource(
        actor=cast.coach, session=session,
        resource=own(cast.coach, title="Canary-title-9", body="Canary-body-9"))

    entry = ActivityEntry.objects.get(action="session.add_resource")
    assert (entry.target_id, entry.target_label, entry.details) == (
        session.pk, f"Co-planning session {session.pk}", {})
    assert "Number talk" not in entry.target_label  # a session's title is the coach's words
    assert "Canary" not in str(list(ActivityEntry.objects.values()))
