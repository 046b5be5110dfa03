import datetime

import pytest
from django.utils import timezone, translation

from bettertogether.directory.models import Role
from bettertogether.menu.tests.support import an_item, ask, schedule
from bettertogether.testing import factories as f


@pytest.fixture(autouse=True)
def _back_to_source_language():
    # Pages for the en-GB outsider switch the thread's language; later tests start in US
    # English again.
    yield
    translation.activate("en-us")


@pytest.fixture
def second_coach(cast):
    """Another coach at Lincoln: a colleague of the cast's coach, asked for nothing."""
    coach = f.PersonFactory(full_name="Sam Second", email="second@riverside.test")
    f.MembershipFactory(person=coach, organisation=cast.school, role=Role.COACH)
    return coach


@pytest.fixture
def persona(cast, second_coach):
    def get(name):
        return second_coach if name == "second_coach" else getattr(cast, name)

    return get


@pytest.fixture
def item(cast):
    """The coach's own "Co-plan a lesson"."""
    return an_item(cast.coach)


@pytest.fixture
def asked(cast, item):
    """Tess asked Cora for "Co-plan a lesson": a pending request."""
    return ask(cast.teacher, cast.coach, item, note="Fractions unit, week 3",
               preferred_times="Tuesdays after 3")


@pytest.fixture
def session(cast):
    """Cora's session with Tess that began an hour ago, not logged yet."""
    return schedule(cast.coach, [cast.teacher], title="Coaching conversation",
                    starts_at=timezone.now().replace(second=0, microsecond=0)
                    - datetime.timedelta(hours=1))
