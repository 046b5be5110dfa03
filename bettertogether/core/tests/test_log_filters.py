"""Log lines name no working link: invitation, password-reset and calendar-feed secrets."""

import logging

import pytest
from django.test import Client
from django.urls import reverse

from bettertogether.accounts import services as accounts
from bettertogether.core.log_filters import redact_secret_links
from bettertogether.testing import factories as f


@pytest.mark.parametrize(
    ("line", "logged"),
    [
        ('"GET /accounts/invite/Zx9-_aB/ HTTP/1.1" 200 1520',
         '"GET /accounts/invite/…/ HTTP/1.1" 200 1520'),
        ("Gone: /accounts/invite/Zx9-_aB/", "Gone: /accounts/invite/…/"),
        ("Not Found: /accounts/password/reset/MTI/cj1b2c-0f9e8d7c6b5a/",
         "Not Found: /accounts/password/reset/MTI/…/"),
        ('"GET /calendar/Qw3rTy_12.ics HTTP/1.1" 200 800',
         '"GET /calendar/….ics HTTP/1.1" 200 800'),
    ],
)
def test_redact_secret_links_hides_the_secret(line, logged):
    assert redact_secret_links(line) == logged


@pytest.mark.parametrize(
    "line",
    ["GET /accounts/password/reset/MTI/set-password/", "GET /accounts/password/reset/sent/",
     "GET /accounts/invitations/12/resend/", "GET /calendar/"],
)
def test_redact_secret_links_keeps_lines_without_a_secret(line):
    assert redact_secret_links(line) == line


def test_redact_secret_links_on_a_withdrawn_invitation_link(cast, caplog):
    invitation = f.InvitationFactory(token="withdrawn-link-Zx9", organisation=cast.school,
                                     invited_by=cast.admin)
    accounts.invitation_revoke(actor=cast.admin, invitation=invitation)

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = Client().get(reverse("accounts:invitation_accept",
                                        args=["withdrawn-link-Zx9"]))

    assert response.status_code == 410
    assert [r.getMessage() for r in caplog.records if r.name == "django.request"] == [
        "Gone: /accounts/invite/…/"]
    assert "withdrawn-link-Zx9" not in caplog.text


def test_redact_secret_links_on_an_unknown_calendar_feed(db, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = Client().get(reverse("menu:feed", args=["guessed-Qw3rTy"]))

    assert response.status_code == 404
    assert [r.getMessage() for r in caplog.records if r.name == "django.request"] == [
        "Not Found: /calendar/….ics"]
    assert "guessed-Qw3rTy" not in caplog.text
