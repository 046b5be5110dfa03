"""One network asks a person another network holds to join; the person answers at home.

Nobody who already has an account is attached to a network without saying yes, and the
inviting admin never learns whether an address has an account, or a switched-off one,
elsewhere.
"""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from bettertogether.accounts import services
from bettertogether.accounts.models import Invitation
from bettertogether.accounts.tests.support import world_state
from bettertogether.activity.models import ActivityEntry
from bettertogether.directory.models import Membership, Person, Role
from bettertogether.directory.tests.support import new_entries
from bettertogether.testing import factories as f


@pytest.fixture
def nell(cast):
    """A coach at Northfield Primary, whom Riverside would like at Lincoln."""
    nell = f.PersonFactory(full_name="Nell North", email="nell@northfield.test")
    f.MembershipFactory(person=nell, organisation=cast.outsider_school, role=Role.COACH)
    return nell


def _invite(client, cast, email, name="Nell North"):
    return client.post(reverse("accounts:invitations"), {
        "full_name": name, "email": email, "organisation": cast.school.pk, "role": "coach"},
        follow=True)


def _said(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- the invitation form tells nothing about other networks' accounts ---------------------


def test_invitation_form_answers_alike_for_new_taken_and_switched_off_addresses(
        cast, client_for, nell):
    gone = f.PersonFactory(full_name="Gil Gone", email="gil@northfield.test", is_active=False)
    f.MembershipFactory(person=gone, organisation=cast.outsider_school, role=Role.TEACHER)
    client = client_for(cast.admin)

    answers = [_invite(client, cast, email) for email in
               ["nobody@new.test", "nell@northfield.test", "gil@northfield.test"]]

    assert {r.status_code for r in answers} == {200}
    said = [_said(r) for r in answers]
    assert said == [[f"Invitation sent to {email}."] for email in
                    ["nobody@new.test", "nell@northfield.test", "gil@northfield.test"]]
    assert all(r.context["form"].errors == {} for r in answers)
    assert not Membership.objects.filter(person__in=[nell, gone], network=cast.network).exists()


def test_invitation_to_another_networks_person_attaches_nothing(
        cast, client_for, nell, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(client_for(cast.admin), cast, "nell@northfield.test")

    invitation = Invitation.objects.get(email="nell@northfield.test")
    assert invitation.status == Invitation.Status.PENDING
    assert list(Membership.objects.filter(person=nell).values_list("network_id", flat=True)
                ) == [cast.outsider_network.pk]
    [email] = mail.outbox
    assert email.to == ["nell@northfield.test"]


# --- the invited person answers on their home page -------------------------------------


@pytest.fixture
def asked(cast, nell):
    return services.invitation_send(actor=cast.admin, email="nell@northfield.test",
                                    full_name="Nell North", organisation=cast.school,
                                    role=Role.COACH)


def test_home_page_shows_the_invitation_in_words(cast, client_for, nell, asked):
    response = client_for(nell).get(reverse("core:home"))

    assert "Riverside asks you to join as Coach at Lincoln Elementary." in response.text
    assert reverse("accounts:invitation_join", args=[asked.pk]) in response.text
    assert reverse("accounts:invitation_decline", args=[asked.pk]) in response.text


@pytest.mark.parametrize("who", ["admin", "coach", "teacher", "outsider"])
def test_home_page_of_anyone_else_shows_no_invitation(cast, client_for, asked, who):
    response = client_for(getattr(cast, who)).get(reverse("core:home"))

    assert "asks you to join" not in response.text


def test_accepting_gives_the_role_once_and_records_it_in_the_inviting_network(
        cast, client_for, nell, asked):
    client = client_for(nell)
    before = world_state()

    first = client.post(reverse("accounts:invitation_join", args=[asked.pk]),
                        headers={"HX-Request": "true"})
    second = client.post(reverse("accounts:invitation_join", args=[asked.pk]),
                         headers={"HX-Request": "true"})

    assert first.status_code == second.status_code == 200
    assert "You joined." in first.text
    assert Membership.objects.filter(person=nell, organisation=cast.school,
                                     role=Role.COACH).count() == 1
    asked.refresh_from_db()
    assert (asked.status, asked.accepted_by) == (Invitation.Status.ACCEPTED, nell)
    entries = new_entries(before)
    assert sorted(e.action for e in entries) == ["invitation.accept", "membership.grant"]
    assert {e.network_id for e in entries} == {cast.network.pk}
    nell.refresh_from_db()
    assert nell.full_name == "Nell North"


def test_accepting_keeps_the_home_network(cast, client_for, nell, asked):
    from bettertogether.directory.homes import home_network_id

    client_for(nell).post(reverse("accounts:invitation_join", args=[asked.pk]))

    assert home_network_id(Person.objects.get(pk=nell.pk)) == cast.outsider_network.pk
    assert client_for(cast.admin).post(
        reverse("directory:person_deactivate", args=[nell.pk])).status_code == 302
    assert Person.objects.get(pk=nell.pk).is_active


def test_declining_creates_nothing_and_the_admin_sees_it_declined(cast, client_for, nell,
                                                                   asked):
    before = world_state()

    response = client_for(nell).post(reverse("accounts:invitation_decline", args=[asked.pk]),
                                     headers={"HX-Request": "true"})

    assert "You declined." in response.text
    assert not Membership.objects.filter(person=nell, network=cast.network).exists()
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.network_id) == (
        nell, "invitation.decline", cast.network.pk)
    listed = client_for(cast.admin).get(reverse("accounts:invitations"), {"status": "declined"})
    assert [i.pk for i in listed.context["page"].object_list] == [asked.pk]
    assert "Declined" in listed.text
    assert "asks you to join" not in client_for(nell).get(reverse("core:home")).text


def test_declining_without_htmx_comes_home_with_a_message(cast, client_for, nell, asked):
    response = client_for(nell).post(reverse("accounts:invitation_decline", args=[asked.pk]),
                                     follow=True)

    assert response.redirect_chain[-1][0] == reverse("core:home")
    assert "You declined the invitation from Riverside." in _said(response)


def test_a_declined_invitation_cannot_be_accepted_afterwards(cast, client_for, nell, asked):
    client = client_for(nell)
    client.post(reverse("accounts:invitation_decline", args=[asked.pk]))
    before = world_state()

    response = client.post(reverse("accounts:invitation_join", args=[asked.pk]), follow=True)

    assert "You declined this invitation." in _said(response)
    assert world_state() == before


@pytest.mark.parametrize("who", ["admin", "coach", "teacher", "outsider"])
@pytest.mark.parametrize("answer", ["accounts:invitation_join", "accounts:invitation_decline"])
def test_nobody_else_answers_an_invitation(cast, client_for, asked, who, answer):
    before = world_state()

    response = client_for(getattr(cast, who)).post(reverse(answer, args=[asked.pk]))

    assert response.status_code == 404
    assert world_state() == before


def test_answering_signed_out_goes_to_sign_in(cast, asked):
    before = world_state()

    response = Client().post(reverse("accounts:invitation_join", args=[asked.pk]))

    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert world_state() == before


def test_answers_are_posts_only(cast, client_for, nell, asked):
    response = client_for(nell).get(reverse("accounts:invitation_join", args=[asked.pk]))

    assert response.status_code == 405


def test_a_second_send_refreshes_the_open_invitation(cast, nell, asked):
    again = services.invitation_send(actor=cast.admin, email="NELL@northfield.test",
                                     full_name="Nell North", organisation=cast.school,
                                     role=Role.COACH)

    assert again.pk == asked.pk
    assert Invitation.objects.filter(email="nell@northfield.test").count() == 1


def test_after_a_decline_a_new_invitation_may_be_sent(cast, nell, asked):
    services.invitation_decline(actor=nell, invitation=asked)

    again = services.invitation_send(actor=cast.admin, email="nell@northfield.test",
                                     full_name="Nell North", organisation=cast.school,
                                     role=Role.COACH)

    assert again.pk != asked.pk
    assert ActivityEntry.objects.filter(action="invitation.send").count() == 2


def test_home_page_costs_the_same_with_one_invitation_or_several(cast, client_for, nell, asked):
    from bettertogether.directory.tests.support import count_queries

    client = client_for(nell)
    one = count_queries(client, reverse("core:home"))
    for school in (cast.other_school, cast.network):
        services.invitation_send(actor=cast.admin, email="nell@northfield.test",
                                 full_name="Nell North", organisation=school,
                                 role=Role.COACH if school.kind == "school" else
                                 Role.FACILITATOR)

    response = client.get(reverse("core:home"))
    assert response.text.count("asks you to join") == 3
    assert count_queries(client, reverse("core:home")) == one
