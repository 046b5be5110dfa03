"""An object of another network answers exactly like one that does not exist, everywhere."""

import pytest
from django.urls import reverse

from bettertogether.accounts.tests.support import world_state
from bettertogether.directory.models import CaseloadAssignment, Role
from bettertogether.directory.tests.support import without_tokens
from bettertogether.testing import factories as f

MISSING = 999_999


@pytest.fixture
def northfield(cast):
    """Northfield objects of every kind a Riverside page can be asked for by id."""
    teacher = f.PersonFactory(full_name="Nina North")
    coach = f.PersonFactory(full_name="Cal North")
    f.MembershipFactory(person=teacher, organisation=cast.outsider_school, role=Role.TEACHER)
    f.MembershipFactory(person=coach, organisation=cast.outsider_school, role=Role.COACH)
    year = f.SchoolYearFactory(network=cast.outsider_network)
    assignment = f.CaseloadAssignmentFactory(coach=coach, teacher=teacher,
                                             school=cast.outsider_school, school_year=year)
    invitation = f.InvitationFactory(organisation=cast.outsider_school,
                                     invited_by=cast.outsider)
    return {
        "person": teacher.pk,
        "school": cast.outsider_school.pk,
        "network": cast.outsider_network.pk,
        "assignment": assignment.pk,
        "invitation": invitation.pk,
        "lincoln": cast.school.pk,  # a Riverside school, kept as is in both requests
    }


# (url name, method, which Northfield ids fill the url)
URLS = [
    ("directory:person", "get", ["person"]),
    ("directory:person_edit", "get", ["person"]),
    ("directory:person_edit", "post", ["person"]),
    ("directory:person_deactivate", "post", ["person"]),
    ("directory:person_reactivate", "post", ["person"]),
    ("directory:person_remove", "post", ["person"]),
    ("directory:person_role_grant", "post", ["person"]),
    ("directory:organisation", "get", ["school"]),
    ("directory:organisation", "get", ["network"]),
    ("directory:organisation_settings", "get", ["school"]),
    ("directory:organisation_settings", "post", ["network"]),
    ("directory:school_year_create", "post", ["network"]),
    ("directory:school_caseloads", "get", ["school"]),
    ("directory:school_caseloads", "post", ["school"]),
    ("directory:caseload_remove", "post", ["school", "assignment"]),
    ("directory:caseload_remove", "post", ["lincoln", "assignment"]),
    ("accounts:invitation_resend", "post", ["invitation"]),
    ("accounts:invitation_revoke", "post", ["invitation"]),
    ("accounts:invitation_join", "post", ["invitation"]),
    ("accounts:invitation_decline", "post", ["invitation"]),
]


@pytest.mark.parametrize(("who"), ["admin", "leader", "coach", "teacher"])
@pytest.mark.parametrize(("name", "method", "keys"), URLS)
def test_object_of_another_network_is_the_same_404_as_a_missing_one(
    cast, client_for, northfield, who, name, method, keys
):
    client = client_for(getattr(cast, who))
    send = getattr(client, method)
    data = {"name": "Taken over", "full_name": "Taken over"} if method == "post" else None
    before = world_state()

    foreign = send(reverse(name, args=[northfield[k] for k in keys]), data)
    missing = send(reverse(name, args=[northfield[k] if k == "lincoln" else MISSING
                                       for k in keys]), data)

    assert foreign.status_code == missing.status_code == 404
    assert without_tokens(foreign.content) == without_tokens(missing.content)
    assert world_state() == before
    assert CaseloadAssignment.objects.filter(pk=northfield["assignment"]).exists()
