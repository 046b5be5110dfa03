"""A network admin invites a colleague; the email travels over SMTP; the link works once."""

import pytest
from playwright.sync_api import expect

from bettertogether.accounts.models import Invitation
from bettertogether.directory.models import Person, Role
from bettertogether.testing import factories as f
from bettertogether.testing.browser import check_console, expect_field_error, sign_in
from bettertogether.testing.smtp import link_in, text_body

pytestmark = pytest.mark.browser

NEW_PASSWORD = "maple-syrup-on-tuesdays"


def test_invitation_sent_accepted_and_used_once(page, open_page, server, cast, smtp_sink):
    sign_in(page, server, cast.admin.email, f.PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Invitations").click()
    page.get_by_label("Full name").fill("Nina Newcoach")
    page.get_by_label("Email address").fill("Nina@Riverside.test")
    page.get_by_label("School or network").select_option(label="Lincoln Elementary (School)")
    page.get_by_label("Role").select_option(label="Coach")
    page.get_by_role("button", name="Send invitation").click()

    expect(page.get_by_role("status")).to_contain_text("Invitation sent to nina@riverside.test.")
    expect(page.get_by_role("listitem").filter(has_text="Nina Newcoach")).to_contain_text(
        "Coach, Lincoln Elementary")
    message = smtp_sink.wait_for("nina@riverside.test")
    assert message["Subject"] == "You are invited to Better Together at Lincoln Elementary"
    assert "Adam Admin has invited you" in text_body(message)
    link = link_in(message, path="/accounts/invite/")
    assert link.startswith(f"{server}/accounts/invite/")

    invitee = open_page()
    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Welcome to Better Together")
    expect(invitee.get_by_label("Your name")).to_have_value("Nina Newcoach")
    invitee.get_by_label("Choose a password").fill(NEW_PASSWORD)
    invitee.get_by_label("Type the password again").fill(NEW_PASSWORD)
    invitee.get_by_role("button", name="Create my account").click()

    expect(invitee).to_have_url(f"{server}/")
    expect(invitee.get_by_role("heading", level=1)).to_have_text("Welcome back, Nina")
    expect(invitee.get_by_role("status")).to_contain_text("Welcome to Better Together, Nina.")
    expect(invitee.get_by_role("navigation", name="Main").get_by_role(
        "link", name="My caseload")).to_be_visible()
    person = Person.objects.get(email="nina@riverside.test")
    assert list(person.memberships.values_list("organisation", "role")) == [
        (cast.school.pk, Role.COACH)]

    invitee.goto(link)
    expect(invitee.get_by_role("heading", level=1)).to_have_text(
        "This invitation cannot be used")
    expect(invitee.get_by_role("main")).to_contain_text("already been used")
    check_console(invitee)


def test_invitation_form_bad_input_changes_nothing(page, server, cast, smtp_sink):
    sign_in(page, server, cast.admin.email, f.PASSWORD)
    page.goto(f"{server}/accounts/invitations/")
    page.get_by_label("Email address").fill("not-an-address")
    page.get_by_role("button", name="Send invitation").click()

    expect(page.get_by_role("alert")).to_contain_text("see the messages next to the fields")
    expect_field_error(page, "Full name", "This field is required.")
    expect_field_error(page, "Email address", "Enter a valid email address.")
    expect_field_error(page, "School or network", "This field is required.")
    expect(page.get_by_label("Email address")).to_have_value("not-an-address")
    assert not Invitation.objects.exists()
    assert smtp_sink.messages == []


def test_invitation_accept_bad_input_creates_nothing(page, server, cast):
    invitation = f.InvitationFactory(
        token="a-secret-link-token", email="ines@riverside.test", full_name="Ines Invitee",
        organisation=cast.school, role=Role.TEACHER, invited_by=cast.admin,
    )
    page.goto(f"{server}/accounts/invite/a-secret-link-token/")
    page.get_by_label("Your name").fill("")
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD + "!")
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_role("alert")).to_contain_text("see the messages next to the fields")
    expect_field_error(page, "Your name", "This field is required.")
    expect_field_error(page, "Type the password again", "The two passwords are not the same.")
    assert not Person.objects.filter(email="ines@riverside.test").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None

    # Putting it right works on the same page.
    page.get_by_label("Your name").fill("Ines Invitee")
    page.get_by_label("Choose a password").fill(NEW_PASSWORD)
    page.get_by_label("Type the password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome back, Ines")
    assert Person.objects.filter(email="ines@riverside.test").count() == 1


def test_someone_another_network_holds_answers_at_home(page, open_page, server, cast,
                                                       smtp_sink):
    nell = f.PersonFactory(full_name="Nell North", email="nell@northfield.test")
    f.MembershipFactory(person=nell, organisation=cast.outsider_school, role=Role.COACH)
    sign_in(page, server, cast.admin.email, f.PASSWORD)
    page.goto(f"{server}/accounts/invitations/")
    for school in ("Lincoln Elementary", "Roosevelt Middle"):
        page.get_by_label("Full name").fill("Nell North")
        page.get_by_label("Email address").fill("nell@northfield.test")
        page.get_by_label("School or network").select_option(label=f"{school} (School)")
        page.get_by_label("Role").select_option(label="Coach")
        page.get_by_role("button", name="Send invitation").click()
        expect(page.get_by_role("status")).to_contain_text(
            "Invitation sent to nell@northfield.test.")

    invitee = open_page()
    sign_in(invitee, server, nell.email, f.PASSWORD)
    invitations = invitee.get_by_role("region", name="Invitations for you")
    lincoln = invitations.get_by_role("listitem").filter(has_text="at Lincoln Elementary")
    roosevelt = invitations.get_by_role("listitem").filter(has_text="at Roosevelt Middle")
    expect(lincoln).to_contain_text("Riverside asks you to join as Coach at Lincoln Elementary.")
    lincoln.get_by_role("button", name="Accept").click()
    expect(lincoln).to_contain_text("You joined.")
    roosevelt.get_by_role("button", name="Decline").click()
    expect(roosevelt).to_contain_text("You declined. Nothing was added to your account.")
    check_console(invitee)

    assert sorted(nell.memberships.values_list("organisation__name", flat=True)) == [
        "Lincoln Elementary", "Northfield Primary"]
    page.goto(f"{server}/accounts/invitations/?status=declined")
    expect(page.get_by_role("listitem").filter(has_text="Nell North")).to_contain_text(
        "Declined")
