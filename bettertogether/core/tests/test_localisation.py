"""A request speaks its organisation's language and tells its time, and nothing of it
outlives the request in the worker thread.

The test client serves every request in the test's own thread, as a worker thread serves
one request after another: what one request switched on must be off for the next.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from bettertogether.coaching.tests.support import log
from bettertogether.core.middleware import OrganisationMiddleware
from bettertogether.testing import factories as f

WINTER = datetime.datetime(2026, 1, 14, 16, 23, tzinfo=datetime.UTC)  # 10:23 in Chicago


def _thread_state() -> tuple[str, str]:
    return translation.get_language(), timezone.get_current_timezone_name()


def _serve(person):
    """One request through the middleware; what the view saw, and the thread after."""
    seen = []

    def view(request):
        seen.append(_thread_state())
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.user = person
    OrganisationMiddleware(view)(request)
    return seen[0], _thread_state(), request.LANGUAGE_CODE


def test_middleware_two_requests_in_one_thread_keep_their_own_language_and_zone(cast):
    before = _thread_state()
    london = cast.outsider  # Northfield: en-GB, Europe/London

    first = _serve(london)
    anonymous = _serve(AnonymousUser())
    chicago = _serve(cast.coach)  # Riverside: en-US, America/Chicago
    again = _serve(london)

    assert first == (("en-gb", "Europe/London"), before, "en-gb")
    assert anonymous == (("en-us", "UTC"), before, "en-us")
    assert chicago == (("en-us", "America/Chicago"), before, "en-us")
    assert again == first


def test_middleware_person_without_a_network_gets_the_defaults(cast):
    loner = f.PersonFactory()

    assert _serve(loner)[0] == ("en-us", "UTC")


def test_middleware_restores_the_thread_when_the_view_fails(cast):
    before = _thread_state()
    seen = []

    def failing(request):
        seen.append(_thread_state())
        raise RuntimeError("the view broke")

    request = RequestFactory().get("/")
    request.user = cast.outsider
    with pytest.raises(RuntimeError):
        OrganisationMiddleware(failing)(request)

    assert seen == [("en-gb", "Europe/London")]
    assert _thread_state() == before


def test_middleware_reads_the_network_once_per_request(cast, django_assert_num_queries):
    request = RequestFactory().get("/")
    request.user = cast.coach
    middleware = OrganisationMiddleware(lambda request: HttpResponse("ok"))

    with django_assert_num_queries(2):  # the person's scope, then their network's settings
        middleware(request)
        middleware(request)


def test_pages_in_one_thread_do_not_inherit_the_last_ones_language_or_zone(cast, client_for):
    log(cast.coach, [cast.teacher], occurred_at=WINTER)
    before = _thread_state()

    british = client_for(cast.outsider).get(reverse("core:home"))
    signed_out = Client().get(reverse("accounts:login"))
    american = client_for(cast.coach).get(reverse("coaching:my_log"))

    assert british.content.startswith(b'<!doctype html>\n<html lang="en-gb">')
    assert b"Your trust" in british.content
    assert signed_out.content.startswith(b'<!doctype html>\n<html lang="en-us">')
    assert american.content.startswith(b'<!doctype html>\n<html lang="en-us">')
    assert "Wed, Jan 14, 2026, 10:23 AM" in american.content.decode()  # Chicago, not UTC
    assert _thread_state() == before


def test_british_page_shows_london_time(cast, client_for):
    """The same moment on a page of an English trust's person reads in London time."""
    coach = f.PersonFactory(full_name="Nia Northfield")
    teacher = f.PersonFactory()
    f.MembershipFactory(person=coach, organisation=cast.outsider_school, role="coach")
    f.MembershipFactory(person=teacher, organisation=cast.outsider_school, role="teacher")
    year = f.SchoolYearFactory(network=cast.outsider_network)
    f.CaseloadAssignmentFactory(coach=coach, teacher=teacher, school=cast.outsider_school,
                                school_year=year)
    log(coach, [teacher], occurred_at=WINTER)

    page = client_for(coach).get(reverse("coaching:my_log")).content.decode()

    assert "Wed 14 Jan 2026, 16:23" in page
