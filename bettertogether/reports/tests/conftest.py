import datetime
import uuid

import pytest

from bettertogether.testing import factories as f


@pytest.fixture(autouse=True)
def _lincoln_big_enough(request, db):
    """Lincoln gets three more teachers (in no caseload, never contacted), so it has the
    five a school needs before its leaders see any figure; the cast's own teachers keep
    every figure the tests check. Tests of small schools build their own."""
    if "cast" not in request.fixturenames:
        return
    cast = request.getfixturevalue("cast")
    for n in range(3):
        person = f.PersonFactory(full_name=f"Lincoln colleague {n + 1}")
        f.MembershipFactory(person=person, organisation=cast.school, role="teacher")


@pytest.fixture
def terms(cast):
    """Autumn and Spring of the cast's school year, made before anything is logged (the
    tallies bucket contacts by term). Today is in Spring."""
    day = datetime.timedelta(days=1)
    year = cast.school_year
    autumn = f.TermFactory(school_year=year, name="Autumn", starts_on=year.starts_on,
                           ends_on=year.starts_on + 55 * day)
    spring = f.TermFactory(school_year=year, name="Spring",
                           starts_on=year.starts_on + 56 * day, ends_on=year.ends_on)
    return autumn, spring


@pytest.fixture
def second_coach_at_roosevelt(cast):
    from bettertogether.reports.tests.support import coach_at, more_teachers

    coach = coach_at(cast.other_school, "Rob Roosevelt")
    teacher = more_teachers(cast, 1, school=cast.other_school, coach=coach)[0]
    return coach, teacher


@pytest.fixture
def post_pdf(django_capture_on_commit_callbacks):
    """POST the report page's PDF form and run the queued task, as the worker would."""

    def post(client, url, *, key=None, query=""):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"{url}{query}", {"idempotency_key": str(key or uuid.uuid4())})

    return post
