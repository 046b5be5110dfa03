"""Support staff find no working link anywhere in the support admin.

Invitations, password resets and a calendar address are made the way people make them,
their emails are sent by the real database task queue (whose rows the admin shows), and
then a superuser opens every list and every change page of every registered model. No
token, no link and no email body of anyone's may be there. The same secrets are then
shown to work, so the search looked for the real thing.
"""

import html
import re
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.core import mail
from django.test import Client
from django.urls import reverse

from bettertogether.accounts import services as accounts
from bettertogether.directory.models import Role
from bettertogether.testing import factories as f
from bettertogether.testing.cast import build_cast

LINK = re.compile(r"https?://[^\s<>\"']+")
SIGN_IN_EMAIL_SUBJECTS = ("You are invited", "Reset your Better Together password")


@pytest.fixture
def cast(transactional_db):
    return build_cast()


def _make_secrets(cast, client_for, task_queue) -> tuple[str, str]:
    """Invite, reinvite, withdraw, reset passwords, mistype a password and make a calendar
    address, as people do; the queue sends the emails. Returns the calendar address (shown
    once) and the failed sign-in's CSRF token."""
    nia = accounts.invitation_send(actor=cast.admin, email="nia@example.org",
                                   full_name="Nia New", organisation=cast.school,
                                   role=Role.TEACHER)
    accounts.invitation_send(actor=cast.outsider, email="hal@example.org",
                             full_name="Hal Head", organisation=cast.outsider_school,
                             role=Role.SCHOOL_LEADER)
    gone = accounts.invitation_send(actor=cast.admin, email="wes@example.org",
                                    full_name="Wes Withdrawn", organisation=cast.school,
                                    role=Role.COACH)
    task_queue.run()
    accounts.invitation_resend(actor=cast.admin, invitation=nia)  # the first link dies
    accounts.invitation_revoke(actor=cast.admin, invitation=gone)
    for person in (cast.teacher, cast.outsider):
        Client().post(reverse("accounts:password_reset"), {"email": person.email})
    csrf_token = _wrong_password(cast.coach.email)
    task_queue.run()

    coach = client_for(cast.coach)
    coach.post(reverse("menu:calendar_reset"))
    page = coach.get(reverse("menu:calendar")).content.decode()
    [address] = re.findall(r'value="(http[^"]+\.ics)"', page)
    return address, csrf_token


def _wrong_password(email: str) -> str:
    """A failed sign-in through the form (the lock-out keeps its data); returns the form's
    CSRF token, which support staff have no business reading either."""
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(reverse("accounts:login")).content.decode()
    [token] = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    response = browser.post(reverse("accounts:login"), {
        "csrfmiddlewaretoken": token, "username": email, "password": "a-wrong-guess"})
    assert response.status_code == 200
    return token


def _secrets(calendar_address: str, csrf_token: str) -> set[str]:
    """Every link, token and body of the sign-in emails sent, the calendar address, and the
    CSRF token of a failed sign-in."""
    found = {calendar_address, calendar_address.rsplit("/", 1)[1].removesuffix(".ics"),
             csrf_token}
    emails = [m for m in mail.outbox if m.subject.startswith(SIGN_IN_EMAIL_SUBJECTS)]
    assert len(emails) == 6  # 3 invitations, 1 new link, 2 password resets
    for message in emails:
        html_body = message.alternatives[0].content
        found |= {message.body, html_body, html.escape(message.body), html.escape(html_body)}
        for link in LINK.findall(message.body):
            found.add(link)
            found |= {part for part in link.split("/")[-3:] if len(part) > 20}
    return found


def _admin_pages(staff_client) -> list[tuple[str, int, str]]:
    """(address, status, page) of the admin's index, and of every model's list and rows."""
    pages = ["/support/"]
    for model, _model_admin in admin.site._registry.items():
        names = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        pages.append(reverse(f"{names}_changelist"))
        pages += [reverse(f"{names}_change", args=[quote(pk)])
                  for pk in model._default_manager.values_list("pk", flat=True)]
    return [(url, (r := staff_client.get(url)).status_code, r.content.decode())
            for url in pages]


def test_support_admin_shows_no_token_link_or_email_body(cast, client_for, task_queue):
    calendar_address, csrf_token = _make_secrets(cast, client_for, task_queue)
    secrets = _secrets(calendar_address, csrf_token)
    staff = f.PersonFactory(email="support@example.org", is_staff=True, is_superuser=True)

    pages = _admin_pages(client_for(staff))

    task_pages = [url for url, _status, _page in pages if "/dbtaskresult/" in url]
    assert len(task_pages) == 1 + 6  # the queue's list, and its row of each email sent
    assert [(url, status) for url, status, _page in pages if status != 200] == []
    leaks = [(url, secret[:60]) for url, _status, page in pages for secret in secrets
             if secret in page]
    assert leaks == []
    # The search looked for secrets that work: each address still opens what it should.
    assert _opens(calendar_address) == 200
    assert _opens(_link_to("nia@example.org", newest=True)) == 200  # the invitation form
    assert _opens(_link_to("hal@example.org")) == 200
    assert _opens(_link_to(cast.teacher.email)) == 302  # to "choose a new password"
    assert _opens(_link_to(cast.outsider.email)) == 302


def _link_to(address: str, *, newest: bool = False) -> str:
    sent = [m for m in mail.outbox if m.to == [address]]
    return LINK.findall(sent[-1 if newest else 0].body)[0]


def _opens(link: str) -> int:
    return Client().get(urlsplit(link).path).status_code
