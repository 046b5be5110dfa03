import pytest

from bettertogether.directory.models import Role
from bettertogether.testing import factories as f


@pytest.fixture
def second_coach(cast):
    """Another coach at Lincoln: a colleague of the cast's coach, with no caseload."""
    coach = f.PersonFactory(full_name="Sam Second", email="second@riverside.test")
    f.MembershipFactory(person=coach, organisation=cast.school, role=Role.COACH)
    return coach


@pytest.fixture
def persona(cast, second_coach):
    def get(name):
        return second_coach if name == "second_coach" else getattr(cast, name)

    return get
