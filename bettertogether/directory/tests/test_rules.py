"""The directory's permissions, declared once in rules.py, for every member of the cast."""

import pytest

from bettertogether.directory.models import Person, Role
from bettertogether.testing import factories as f

CAST = ["coach", "teacher", "other_teacher", "leader", "admin", "outsider"]


def _holders(cast, perm, obj) -> set[str]:
    return {who for who in CAST if getattr(cast, who).has_perm(perm, obj)}


@pytest.mark.parametrize(
    ("perm", "target", "holders"),
    [
        ("directory.manage_organisation", "school", {"admin"}),
        ("directory.manage_organisation", "network", {"admin"}),
        ("directory.manage_organisation", "outsider_school", {"outsider"}),
        ("directory.invite_people", "school", {"admin"}),
        ("directory.assign_caseload", "school", {"admin"}),
        ("directory.view_activity", "network", {"admin"}),
        ("directory.view_school_people", "school", {"admin", "leader", "coach"}),
        ("directory.view_school_people", "other_school", {"admin"}),
        ("directory.view_school_people", "outsider_school", {"outsider"}),
    ],
)
def test_organisation_permissions(cast, perm, target, holders):
    assert _holders(cast, perm, getattr(cast, target)) == holders


@pytest.mark.parametrize(
    ("perm", "target", "holders"),
    [
        ("directory.manage_person", "teacher", {"admin"}),
        ("directory.manage_person", "admin", set()),
        ("directory.manage_person", "outsider", set()),
        ("directory.edit_profile", "teacher", {"admin", "teacher"}),
        ("directory.edit_profile", "coach", {"admin", "coach"}),
        ("directory.edit_profile", "admin", {"admin"}),
        ("directory.edit_profile", "outsider", {"outsider"}),
    ],
)
def test_person_permissions(cast, perm, target, holders):
    assert _holders(cast, perm, getattr(cast, target)) == holders


def test_admin_anything_is_for_network_admins(cast):
    assert {who for who in CAST if getattr(cast, who).has_perm("directory.admin_anything")} == {
        "admin", "outsider"}


def test_permissions_on_nothing_are_refused(cast):
    assert not cast.admin.has_perm("directory.manage_organisation", None)
    assert not cast.admin.has_perm("directory.manage_person", None)
    assert not cast.admin.has_perm("directory.view_school_people", None)


def test_switched_off_admin_holds_no_permission(cast):
    admin = Person.objects.get(pk=cast.admin.pk)
    admin.is_active = False

    assert not admin.has_perm("directory.manage_organisation", cast.school)
    assert not admin.has_perm("directory.manage_person", cast.teacher)


def test_admin_cannot_manage_a_person_without_a_role_in_their_network(cast):
    newcomer = f.PersonFactory()

    assert not cast.admin.has_perm("directory.manage_person", newcomer)
    f.MembershipFactory(person=newcomer, organisation=cast.other_school, role=Role.TEACHER)
    assert cast.admin.has_perm("directory.manage_person", newcomer)
