import pytest
from django.utils import translation

# A real SMTP server on loopback: a test that asks for `smtp_sink` sends its email there.
from bettertogether.testing.smtp import smtp_sink  # noqa: F401 (a pytest fixture)


@pytest.fixture(autouse=True)
def _back_to_source_language():
    # Pages for the en-GB outsider switch the thread's language; later tests start in US
    # English again.
    yield
    translation.activate("en-us")
