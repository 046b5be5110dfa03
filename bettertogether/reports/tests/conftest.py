import pytest

from bettertogether.testing import factories as f


@pytest.fixture(autouse=True)
def _built_in_kinds(db):
    f.built_in_support_kinds()
