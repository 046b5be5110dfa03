"""A person two networks share: each network sees and acts on its own part of them only.

Sam is a teacher at Northfield Primary first (Northfield is Sam's home network, which
manages the account) and later joined Riverside as a teacher at Lincoln.
"""

import pytest
from django.urls import reverse

from bettertogether.directory import services
from bettertogether.directory.homes import home_network_id
from bettertogether.directory.models import CaseloadAssignment, Membership, Person, Role
from bettertogether.directory.tests.support import new_entries, world_state
from bettertogether.testing import factories as f


@pytest.fixture
def sam(cast):
    sam = f.PersonFactory(full_name="Sam Shared", email="sam@shared.test")
    f.MembershipFactory(person=sam, organisation=cast.outsider_school, role=Role.COACH)
    f.MembershipFactory(person=sam, organisation=cast.school, role=Role.TEACHER)
    north_grade = f.GradeLevelFactory(network=cast.outsider_network, name="Year 4 North")
    river_grade = f.GradeLevelFactory(network=cast.network, name="Grade 3 River")
    sam.profile.grades.set([north_grade, river_grade])
    return sam


def test_shared_person_has_the_network_that_had_them_first_as_home(cast, sam):
    assert home_network_id(sam) == cast.outsider_network.pk


@pytest.mark.parametrize("who", ["admin", "coach", "leader", "teacher"])
def test_person_page_shows_only_the_readers_network(cast, client_for, sam, who):
    response = client_for(getattr(cast, who)).get(reverse("directory:person", args=[sam.pk]))

    assert response.status_code == 200
    assert "Lincoln Elementary" in response.text
    assert "Grade 3 River" in response.text
    assert "Northfield" not in response.text
    assert "Year 4 North" not in response.text
    assert "Coach" not in {m.get_role_display() for m in response.context["person"]
                           .memberships.all()}


def test_person_page_of_home_network_shows_only_its_own_part(cast, client_for, sam):
    response = client_for(cast.outsider).get(reverse("directory:person", args=[sam.pk]))

    assert response.status_code == 200
    assert "Northfield Primary" in response.text
    assert "Lincoln" not in response.text and "Riverside" not in response.text
    assert "Grade 3 River" not in response.text
    assert response.context["can_manage"] and response.context["can_edit"]


def test_person_page_of_the_other_network_offers_removal_only(cast, client_for, sam):
    response = client_for(cast.admin).get(reverse("directory:person", args=[sam.pk]))

    assert response.context["can_manage"] is False
    assert response.context["can_edit"] is False
    assert [n.pk for n in response.context["removable_from"]] == [cast.network.pk]
    assert reverse("directory:person_deactivate", args=[sam.pk]) not in response.text
    assert reverse("directory:person_edit", args=[sam.pk]) not in response.text
    assert "Another network manages this account" in response.text


def test_own_profile_shows_every_network(cast, client_for, sam):
    response = client_for(sam).get(reverse("core:profile"))

    assert "Lincoln Elementary" in response.text and "Northfield Primary" in response.text


@pytest.mark.parametrize("who", ["admin", "outsider"])
def test_people_list_shows_only_the_readers_network_roles(cast, client_for, sam, who):
    response = client_for(getattr(cast, who)).get(reverse("directory:people"))

    [row] = [p for p in response.context["page"].object_list if p.pk == sam.pk]
    networks = {m.network_id for m in row.memberships.all()}
    assert networks == {getattr(cast, "network" if who == "admin" else "outsider_network").pk}


def test_people_list_role_filter_ignores_another_networks_roles(cast, client_for, sam):
    response = client_for(cast.admin).get(reverse("directory:people"), {"role": Role.COACH})

    assert sam.pk not in {p.pk for p in response.context["page"].object_list}


@pytest.mark.parametrize("view", ["directory:person_deactivate", "directory:person_reactivate"])
def test_other_network_cannot_switch_the_account_off_or_on(cast, client_for, sam, view):
    if view == "directory:person_reactivate":
        services.person_deactivate(actor=cast.outsider, person=sam)
    before = world_state()

    response = client_for(cast.admin).post(reverse(view, args=[sam.pk]), follow=True)

    assert "This account is managed by another network." in response.text
    assert world_state() == before


def test_home_network_switches_the_account_off_and_on(cast, client_for, sam):
    client = client_for(cast.outsider)

    client.post(reverse("directory:person_deactivate", args=[sam.pk]))
    off = Person.objects.get(pk=sam.pk).is_active
    client.post(reverse("directory:person_reactivate", args=[sam.pk]))

    assert (off, Person.objects.get(pk=sam.pk).is_active) == (False, True)


def test_other_network_cannot_rename(cast, client_for, sam):
    client = client_for(cast.admin)
    before = world_state()

    page = client.get(reverse("directory:person_edit", args=[sam.pk]))
    saved = client.post(reverse("directory:person_edit", args=[sam.pk]),
                        {"full_name": "Taken Over"})

    assert (page.status_code, saved.status_code) == (403, 403)
    assert world_state() == before


def test_home_network_rename_keeps_the_other_networks_grades(cast, client_for, sam):
    response = client_for(cast.outsider).post(
        reverse("directory:person_edit", args=[sam.pk]), {"full_name": "Samantha Shared"})

    assert response.status_code == 302
    sam.refresh_from_db()
    assert sam.full_name == "Samantha Shared"
    assert set(sam.profile.grades.values_list("name", flat=True)) == {"Grade 3 River"}


def test_other_network_removes_the_person_from_itself_only(cast, client_for, sam):
    assignment = f.CaseloadAssignmentFactory(coach=cast.coach, teacher=sam, school=cast.school,
                                             school_year=cast.school_year)
    before = world_state()

    response = client_for(cast.admin).post(reverse("directory:person_remove", args=[sam.pk]),
                                           {"network": cast.network.pk})

    assert response.status_code == 302
    assert response.url == reverse("directory:people")
    assert set(Membership.objects.filter(person=sam).values_list("network_id", flat=True)) == {
        cast.outsider_network.pk}
    assert CaseloadAssignment.objects.filter(pk=assignment.pk).exists()
    assert Person.objects.get(pk=sam.pk).is_active
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.target_id, entry.network_id) == (
        cast.admin, "person.remove_from_network", sam.pk, cast.network.pk)


def test_removing_twice_removes_once(cast, client_for, sam):
    client = client_for(cast.admin)
    client.post(reverse("directory:person_remove", args=[sam.pk]), {"network": cast.network.pk})
    before = world_state()

    again = client.post(reverse("directory:person_remove", args=[sam.pk]),
                        {"network": cast.network.pk})

    assert again.status_code == 404
    assert world_state() == before


@pytest.mark.parametrize(("who", "status"), [("coach", 403), ("teacher", 403),
                                             ("leader", 403)])
def test_remove_from_network_refused_without_admin_role(cast, client_for, sam, who, status):
    before = world_state()

    response = client_for(getattr(cast, who)).post(
        reverse("directory:person_remove", args=[sam.pk]), {"network": cast.network.pk})

    assert response.status_code == status
    assert world_state() == before


def test_remove_from_network_cannot_name_another_network(cast, client_for, sam):
    before = world_state()

    response = client_for(cast.admin).post(reverse("directory:person_remove", args=[sam.pk]),
                                           {"network": cast.outsider_network.pk}, follow=True)

    assert "Choose one of your networks" in response.text
    assert world_state() == before


def test_outsider_without_the_person_gets_404_on_every_people_action(cast, client_for):
    for name in ["directory:person", "directory:person_edit"]:
        assert client_for(cast.outsider).get(reverse(name, args=[cast.teacher.pk])
                                             ).status_code == 404
    response = client_for(cast.outsider).post(
        reverse("directory:person_remove", args=[cast.teacher.pk]), {"network": cast.network.pk})
    assert response.status_code == 404


def test_when_the_home_network_lets_go_the_other_network_manages_the_account(cast, sam):
    services.person_remove_from_network(actor=cast.outsider, person=sam,
                                        network=cast.outsider_network)

    sam.refresh_from_db()
    assert sam.home_network_id == cast.network.pk
    services.person_deactivate(actor=cast.admin, person=sam)
    assert Person.objects.get(pk=sam.pk).is_active is False


def test_admin_cannot_remove_themselves(cast):
    with pytest.raises(Exception) as refused:
        services.person_remove_from_network(actor=cast.admin, person=cast.admin,
                                            network=cast.network)

    assert type(refused.value).__name__ == "PermissionDenied"
    assert Membership.objects.filter(person=cast.admin).exists()


def test_other_network_cannot_remove_a_role_held_at_home(cast, client_for, sam):
    northfield_role = Membership.objects.get(person=sam, network=cast.outsider_network)
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:person_role_revoke", args=[sam.pk, northfield_role.pk]))

    assert response.status_code == 404
    assert world_state() == before


def test_other_network_gives_roles_in_its_own_schools_only(cast, client_for, sam):
    before = world_state()

    response = client_for(cast.admin).post(
        reverse("directory:person_role_grant", args=[sam.pk]),
        {"organisation": cast.outsider_school.pk, "role": Role.SCHOOL_LEADER})

    assert response.status_code == 422
    assert world_state() == before


def test_people_list_costs_the_same_with_shared_people(cast, client_for, sam):
    from bettertogether.directory.tests.support import count_queries

    client = client_for(cast.admin)
    one = count_queries(client, reverse("directory:people"))
    for n in range(3):
        other = f.PersonFactory(full_name=f"Shared {n}")
        f.MembershipFactory(person=other, organisation=cast.outsider_school)
        f.MembershipFactory(person=other, organisation=cast.school)

    assert count_queries(client, reverse("directory:people")) == one
