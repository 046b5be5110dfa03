import pytest

from bettertogether.testing import factories as f


@pytest.fixture(autouse=True)
def _built_in_kinds(db):
    f.built_in_support_kinds()


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
