"""The activity log: what an entry may hold, who sees it, and the log page."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bettertogether.activity.models import ActivityEntry
from bettertogether.activity.selectors import activity_visible_to
from bettertogether.activity.services import ALLOWED_DETAIL_KEYS, activity_record
from bettertogether.directory.tests.support import assert_login_redirect, count_queries
from bettertogether.testing import factories as f

# --- recording --------------------------------------------------------------------------


def test_activity_record_keeps_only_allowed_detail_keys(cast):
    entry = activity_record(
        actor=cast.coach, action="profile.update", target=cast.teacher,
        organisation=cast.school,
        details={"role": "teacher", "fields": ["interests"], "note": "She cried today",
                 "reflection": "private", "text": "anything"})

    entry.refresh_from_db()
    assert entry.details == {"role": "teacher", "fields": ["interests"]}
    assert set(entry.details) <= ALLOWED_DETAIL_KEYS


def test_activity_record_names_target_and_organisation(cast):
    entry = activity_record(actor=cast.admin, action="person.create", target=cast.teacher,
                            organisation=cast.school)

    assert (entry.actor, entry.target_type, entry.target_id, entry.target_label) == (
        cast.admin, "directory.person", cast.teacher.pk, "Tess Teacher")
    assert (entry.organisation, entry.network) == (cast.school, cast.network)
    assert entry.details == {}


@pytest.mark.parametrize(
    ("organisation", "network"),
    [("school", "network"), ("network", "network"), ("outsider_school", "outsider_network"),
     (None, None)],
)
def test_activity_record_files_entry_under_the_organisations_network(cast, organisation,
                                                                     network):
    entry = activity_record(actor=cast.admin, action="x.y",
                            organisation=getattr(cast, organisation) if organisation else None)

    assert entry.network == (getattr(cast, network) if network else None)


def test_activity_record_without_a_signed_in_actor_has_no_actor(cast):
    entry = activity_record(actor=AnonymousUser(), action="person.create", target=cast.teacher)
    system = activity_record(actor=None, action="organisation.create")

    assert entry.actor is None
    assert (system.actor, system.target_type, system.target_id, system.target_label) == (
        None, "", None, "")


def test_activity_record_label_is_cut_to_fit(cast):
    entry = activity_record(actor=cast.admin, action="x.y", label="L" * 500)

    entry.refresh_from_db()
    assert entry.target_label == "L" * 200


# --- who sees what ----------------------------------------------------------------------


@pytest.fixture
def entries(cast):
    now = timezone.now()
    return {
        "lincoln": f.ActivityEntryFactory(actor=cast.admin, organisation=cast.school,
                                          target_label="At Lincoln", action="person.create",
                                          created_at=now - datetime.timedelta(minutes=2)),
        "riverside": f.ActivityEntryFactory(actor=cast.admin, organisation=cast.network,
                                            network=cast.network, target_label="At Riverside",
                                            action="invitation.send",
                                            created_at=now - datetime.timedelta(minutes=1)),
        "northfield": f.ActivityEntryFactory(actor=cast.outsider,
                                             organisation=cast.outsider_school,
                                             target_label="At Northfield",
                                             action="person.create", created_at=now),
    }


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("admin", ["At Riverside", "At Lincoln"]),
        ("outsider", ["At Northfield"]),
        ("leader", []),
        ("coach", []),
        ("teacher", []),
    ],
)
def test_activity_visible_to_by_persona(cast, entries, who, visible):
    assert [e.target_label for e in activity_visible_to(actor=getattr(cast, who))] == visible


def test_activity_visible_to_anonymous_is_nothing(cast, entries):
    assert list(activity_visible_to(actor=AnonymousUser())) == []


# --- the log page -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "listed"),
    [("admin", ["At Riverside", "At Lincoln"]), ("outsider", ["At Northfield"])],
)
def test_log_page_by_admin_lists_own_network(cast, client_for, entries, who, listed):
    response = client_for(getattr(cast, who)).get(reverse("activity:log"))

    assert response.status_code == 200
    assert [e.target_label for e in response.context["page"].object_list] == listed


@pytest.mark.parametrize("who", ["coach", "teacher", "other_teacher", "leader"])
def test_log_page_without_admin_role_is_404(cast, client_for, entries, who):
    response = client_for(getattr(cast, who)).get(reverse("activity:log"))

    assert response.status_code == 404


def test_log_page_anonymous_redirects_to_login(cast):
    url = reverse("activity:log")

    assert_login_redirect(Client().get(url), url)


@pytest.mark.parametrize(
    ("action", "listed"),
    [("person.", ["At Lincoln"]), ("invitation.", ["At Riverside"]), ("caseload.", []),
     ("", ["At Riverside", "At Lincoln"])],
)
def test_log_page_filters_by_kind_of_action(cast, client_for, entries, action, listed):
    response = client_for(cast.admin).get(reverse("activity:log") + f"?action={action}")

    assert [e.target_label for e in response.context["page"].object_list] == listed
    assert response.context["action"] == action


def test_log_page_shows_who_did_what_where(cast, client_for, entries):
    response = client_for(cast.admin).get(reverse("activity:log"))

    assert b"Adam Admin" in response.content
    assert b"At Lincoln" in response.content
    assert b"Lincoln Elementary" in response.content
    assert b"At Northfield" not in response.content


def test_log_page_lists_profile_updates_under_profiles(cast, client_for):
    client_for(cast.teacher).post(reverse("core:profile_edit"), {"full_name": "Tess T"})

    response = client_for(cast.admin).get(reverse("activity:log") + "?action=profile.")

    assert [(e.actor, e.action) for e in response.context["page"].object_list] == [
        (cast.teacher, "profile.update")]


def test_log_page_query_count_does_not_grow(cast, client_for, django_assert_num_queries):
    f.ActivityEntryFactory(actor=cast.admin, organisation=cast.school)
    client = client_for(cast.admin)
    client.get(reverse("activity:log"))
    one = count_queries(client, reverse("activity:log"))
    for n in range(29):
        school = f.SchoolFactory(network=cast.network, name=f"Added {n}")
        f.ActivityEntryFactory(organisation=school)  # a different actor each time

    with django_assert_num_queries(one):
        response = client.get(reverse("activity:log"))

    assert len(response.context["page"].object_list) == 30
    assert ActivityEntry.objects.filter(network=cast.network).count() == 30


def test_every_action_a_service_records_has_a_label():
    """An entry in the log reads as a sentence: no service records an unlabelled action."""
    import pathlib
    import re

    from bettertogether.activity.models import ACTION_LABELS

    root = pathlib.Path(__file__).resolve().parents[2]
    recorded = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text()
        if "activity_record" not in text and "action" not in text:
            continue
        recorded |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', text))
        recorded |= set(re.findall(r'"((?:evidence_[a-z]+|cycle_stage)\.[a-z_]+)"', text))
        recorded |= set(re.findall(r'action="[a-z_.]+"\s+if\b[^\n]*\n\s*else\s+"([a-z_.]+)"',
                                   text))

    assert sorted(recorded - set(ACTION_LABELS)) == []
