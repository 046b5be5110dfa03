"""No private page stays in the browser: signed-in responses are `Cache-Control: no-store`.

On a shared school computer the back button must not show the last person's pages to the
next one. Pages whose address is a key (an invitation, a password reset, a calendar feed)
are no-store for anyone; public pages, static files and responses that choose their own
caching are left as they are.
"""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from bettertogether.menu import services as menu
from bettertogether.testing import factories as f
from bettertogether.testing.factories import PASSWORD

NO_STORE = "no-store"
# What Django's `never_cache` writes: its own views (sign-in, the password reset's link) and
# ours that chose it (the calendar feed, the health check) keep it.
NEVER_CACHE = "max-age=0, no-cache, no-store, must-revalidate, private"

# The main pages of each role, as (url name, the cast's objects its arguments come from).
MAIN_PAGES = {
    "coach": [
        ("core:home", ()), ("core:profile", ()), ("coaching:log", ()),
        ("coaching:my_log", ()), ("coaching:caseload", ()), ("coaching:teacher", ("teacher",)),
        ("menu:menu", ()), ("menu:inbox", ()), ("menu:sessions", ()), ("menu:calendar", ()),
        ("goals:list", ()), ("goals:resources", ()), ("reports:coach", ()),
        ("notifications:list", ()), ("directory:people", ()),
    ],
    "teacher": [
        ("core:home", ()), ("coaching:mine", ()), ("menu:my_requests", ()),
        ("goals:list", ()), ("notifications:settings", ()), ("accounts:password_change", ()),
    ],
    "leader": [
        ("core:home", ()), ("coaching:school_summary", ("school",)),
        ("goals:school_summary", ("school",)), ("reports:school", ("school",)),
        ("directory:organisation", ("school",)),
    ],
    "admin": [
        ("core:home", ()), ("directory:people", ()), ("directory:organisations", ()),
        ("accounts:invitations", ()), ("activity:log", ()), ("rostering:imports", ()),
        ("reports:network", ("network",)), ("coaching:support_kinds", ("network",)),
    ],
}


def _url(cast, name, args):
    return reverse(name, args=[getattr(cast, arg).pk for arg in args])


@pytest.mark.parametrize(
    ("who", "name", "args"),
    [(who, name, args) for who, pages in MAIN_PAGES.items() for name, args in pages],
)
def test_no_store_on_each_roles_main_pages(cast, client_for, who, name, args):
    response = client_for(getattr(cast, who)).get(_url(cast, name, args))

    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_no_store_on_a_partial_a_download_and_a_404_for_a_signed_in_person(cast, client_for):
    client = client_for(cast.admin)

    partial = client.get(reverse("directory:people"), headers={"HX-Request": "true"})
    download = client_for(cast.coach).get(reverse("reports:coach_export", args=["csv"]))
    missing = client_for(cast.outsider).get(reverse("coaching:teacher", args=[cast.teacher.pk]))

    assert [(r.status_code, r["Cache-Control"]) for r in (partial, download, missing)] == [
        (200, NO_STORE), (200, NO_STORE), (404, NO_STORE)]


def test_no_store_on_the_support_admin(cast, client_for):
    staff = f.PersonFactory(email="support@example.org", is_staff=True, is_superuser=True)

    response = client_for(staff).get("/support/")

    assert response.status_code == 200
    assert NO_STORE in response["Cache-Control"].split(", ")


def test_no_store_on_secret_addresses_for_anyone(cast, django_capture_on_commit_callbacks):
    invitation = f.InvitationFactory(token="live-invitation", organisation=cast.school,
                                     invited_by=cast.admin)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(reverse("accounts:password_reset"), {"email": cast.teacher.email})
    [reset_path] = re.findall(r"/accounts/password/reset/\S+", mail.outbox[0].body)
    anonymous = Client()

    invite = anonymous.get(reverse("accounts:invitation_accept", args=["live-invitation"]))
    reset = anonymous.get(reset_path)
    choose = anonymous.get(reset["Location"])

    assert invitation.status == "pending"
    assert [(r.status_code, r["Cache-Control"]) for r in (invite, reset, choose)] == [
        (200, NO_STORE), (302, NEVER_CACHE), (200, NEVER_CACHE)]


def test_no_store_on_the_calendar_feed_keeps_its_own_header(cast):
    token = menu.calendar_feed_reset(actor=cast.coach)

    response = Client().get(reverse("menu:feed", args=[token]))

    assert response.status_code == 200
    assert response["Cache-Control"] == NEVER_CACHE


def test_no_store_leaves_the_public_sign_in_page_alone_and_signing_in_works(cast):
    client = Client()

    page = client.get(reverse("accounts:login"))
    signed_in = client.post(reverse("accounts:login"),
                            {"username": cast.coach.email, "password": PASSWORD})
    home = client.get(signed_in["Location"])

    assert (page.status_code, page["Cache-Control"]) == (200, NEVER_CACHE)
    assert b'name="username"' in page.content
    assert (signed_in.status_code, signed_in["Location"]) == (302, reverse("core:home"))
    assert (home.status_code, home["Cache-Control"]) == (200, NO_STORE)


def test_no_store_leaves_a_public_page_without_a_secret_alone(db):
    response = Client().get(reverse("accounts:password_reset"))

    assert response.status_code == 200
    assert not response.has_header("Cache-Control")


def test_no_store_leaves_static_files_and_chosen_caching_alone(cast, client_for):
    client = client_for(cast.coach)

    static = client.get("/static/bettertogether/app.css")
    health = client.get(reverse("core:healthz"))

    assert static.status_code == 200
    assert NO_STORE not in static.get("Cache-Control", "")
    assert health["Cache-Control"] == NEVER_CACHE


def test_no_store_is_not_added_once_signed_out(cast, client_for):
    client = client_for(cast.coach)

    signed_out = client.post(reverse("accounts:logout"))
    page = client.get(reverse("accounts:password_reset"))

    assert signed_out.status_code == 302
    assert not page.has_header("Cache-Control")
