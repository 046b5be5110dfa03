"""Invitations are visible to their network's admins only, at a constant query cost."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.urls import reverse

from bettertogether.accounts.selectors import invitation_get_for, invitations_visible_to
from bettertogether.directory.models import Role
from bettertogether.directory.tests.support import count_queries
from bettertogether.testing import factories as f


@pytest.fixture
def invitations(cast):
    return {
        "school": f.InvitationFactory(organisation=cast.school, full_name="At Lincoln"),
        "network": f.InvitationFactory(organisation=cast.network, role=Role.FACILITATOR,
                                       full_name="At Riverside"),
        "foreign": f.InvitationFactory(organisation=cast.outsider_school,
                                       full_name="At Northfield"),
    }


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("admin", {"At Lincoln", "At Riverside"}),
        ("outsider", {"At Northfield"}),
        ("leader", set()),
        ("coach", set()),
        ("teacher", set()),
    ],
)
def test_invitations_visible_to_by_persona(cast, invitations, who, visible):
    listed = invitations_visible_to(actor=getattr(cast, who))

    assert {i.full_name for i in listed} == visible


def test_invitations_visible_to_anonymous_is_none(cast, invitations):
    assert list(invitations_visible_to(actor=AnonymousUser())) == []


def test_invitation_get_for_other_network_is_404(cast, invitations):
    assert invitation_get_for(actor=cast.admin, pk=invitations["school"].pk) == (
        invitations["school"])
    with pytest.raises(Http404):
        invitation_get_for(actor=cast.admin, pk=invitations["foreign"].pk)
    with pytest.raises(Http404):
        invitation_get_for(actor=cast.leader, pk=invitations["school"].pk)
    with pytest.raises(Http404):
        invitation_get_for(actor=cast.admin, pk="x")


@pytest.mark.parametrize("status", ["pending", "all"])
def test_invitations_page_query_count_does_not_grow(cast, client_for,
                                                    django_assert_num_queries, status):
    f.InvitationFactory(organisation=cast.school, invited_by=cast.admin)
    client = client_for(cast.admin)
    url = reverse("accounts:invitations") + f"?status={status}"
    client.get(url)
    one = count_queries(client, url)
    for n in range(24):
        inviter = f.PersonFactory()
        school = f.SchoolFactory(network=cast.network, name=f"Added {n}")
        f.InvitationFactory(organisation=school, invited_by=inviter)

    with django_assert_num_queries(one):
        response = client.get(url)

    assert len(response.context["page"].object_list) == 25
