"""Support staff in the app: superuser status opens the support admin, nothing more.

In the app's own pages a superuser is treated like anyone else, by their memberships: with
none, every network's page is the same 404 as a page that does not exist; and nobody,
staff included, changes what every network shares (the built-in rows) or switches
themselves off.
"""

import pytest
import rules
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import reverse

from bettertogether.directory.models import Person, Role
from bettertogether.directory.tests.support import world_state
from bettertogether.goals.models import ConversationResource, CycleTemplate
from bettertogether.testing import factories as f


@pytest.fixture
def support(db):
    return Person.objects.create_superuser("support@bettertogether.test", "a-long-password-1")


def test_superuser_holds_no_app_permission_without_a_membership(cast, support):
    assert support.has_perm("directory.manage_organisation", cast.network) is False
    assert support.has_perm("directory.manage_person", cast.teacher) is False
    assert support.has_perm("directory.open_organisation", cast.outsider_network) is False
    builtin = ConversationResource.objects.filter(network=None, owner=None).first()
    assert support.has_perm("goals.change_resource", builtin) is False


def test_superuser_keeps_the_support_admins_model_permissions(support):
    assert support.has_perm("directory.change_person") is True
    assert support.has_perm("goals.delete_conversationresource") is True


def test_no_app_permission_shares_a_name_with_a_model_permission(db):
    """An app permission named like a model's ("app.view_model") would be decided by the
    app's rules in the support admin too, and lock support staff out of it."""
    model_perms = {f"{p.content_type.app_label}.{p.codename}"
                   for p in Permission.objects.select_related("content_type")}

    assert not {name for name in rules.permissions.permissions if name in model_perms}
    assert apps.is_installed("rules")


@pytest.mark.parametrize(("name", "args"), [
    ("directory:people", []),
    ("directory:person", ["teacher"]),
    ("directory:organisation", ["network"]),
    ("directory:organisation", ["outsider_network"]),
    ("directory:organisation_settings", ["network"]),
    ("goals:frameworks", ["network"]),
    ("goals:frameworks", ["outsider_network"]),
    ("goals:resources", []),
    ("goals:templates", ["network"]),
    ("activity:log", []),
])
def test_superuser_without_membership_gets_404_on_network_pages(cast, client_for, support,
                                                                name, args):
    response = client_for(support).get(reverse(name, args=[getattr(cast, a).pk for a in args]))

    assert response.status_code == 404


def test_superuser_cannot_delete_a_built_in_resource(cast, client_for, support):
    f.MembershipFactory(person=support, organisation=cast.network, role=Role.NETWORK_ADMIN)
    builtin = ConversationResource.objects.filter(network=None, owner=None).first()
    before = ConversationResource.objects.count()

    response = client_for(support).post(reverse("goals:resource_delete", args=[builtin.pk]))

    assert response.status_code == 403
    assert "Built-in resources are shared by every network" in response.text
    assert ConversationResource.objects.count() == before


def test_library_offers_no_edit_for_built_in_resources(cast, client_for, support):
    f.MembershipFactory(person=support, organisation=cast.network, role=Role.NETWORK_ADMIN)
    builtin = ConversationResource.objects.filter(network=None, owner=None).first()

    response = client_for(support).get(reverse("goals:resources"))

    assert response.status_code == 200
    assert reverse("goals:resource_edit", args=[builtin.pk]) not in response.text


def test_built_in_cycle_template_cannot_be_changed(cast, client_for):
    builtin = CycleTemplate.objects.filter(network=None).first()
    before = (builtin.name, builtin.description)

    response = client_for(cast.admin).post(
        reverse("goals:template", args=[cast.network.pk, builtin.pk]),
        {"name": "Taken over", "description": "", "is_active": "on"})

    assert response.status_code == 403
    assert "Built-in cycle templates are shared by every network" in response.text
    builtin.refresh_from_db()
    assert (builtin.name, builtin.description) == before


def test_superuser_cannot_switch_themselves_off(cast, client_for, support):
    f.MembershipFactory(person=support, organisation=cast.network, role=Role.NETWORK_ADMIN)
    before = world_state()

    response = client_for(support).post(
        reverse("directory:person_deactivate", args=[support.pk]), follow=True)

    assert "You cannot switch your own account off or on." in response.text
    assert world_state() == before


def test_superuser_cannot_switch_off_another_networks_person(cast, client_for, support):
    before = world_state()

    response = client_for(support).post(
        reverse("directory:person_deactivate", args=[cast.teacher.pk]))

    assert response.status_code == 404
    assert world_state() == before


@pytest.mark.parametrize("path", [
    "/support/",
    "/support/directory/person/",
    "/support/directory/organisation/",
    "/support/activity/activityentry/",
])
def test_support_admin_still_opens_for_staff(cast, client_for, support, path):
    response = client_for(support).get(path)

    assert response.status_code == 200


def test_support_admin_opens_a_persons_page_for_staff(cast, client_for, support):
    response = client_for(support).get(
        reverse("admin:directory_person_change", args=[cast.teacher.pk]))

    assert response.status_code == 200
