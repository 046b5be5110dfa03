"""A roster that lists someone another network holds asks them to join; it never attaches
them, renames them or switches them on or off, and the preview says so without a word
about the other network."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from bettertogether.accounts import services as accounts
from bettertogether.accounts.models import Invitation
from bettertogether.directory.models import Membership, Person, Role
from bettertogether.rostering.models import ImportRun, RosterClass
from bettertogether.testing import factories as f

from .support import FIXTURES, fixture_files, import_files, import_fixture, world_state

MARIA = "maria.rivera@maple.example"
CSV = ("email,name,role,school,grades,subjects\n"
       "maria.rivera@maple.example,Maria Rivera,teacher,Lincoln Elementary,3,Mathematics\n"
       "maria.rivera@maple.example,Maria Rivera,coach,Roosevelt Middle,,\n"
       "new.person@maple.example,New Person,teacher,Lincoln Elementary,,\n")


@pytest.fixture
def maria(cast):
    """A teacher at Northfield Primary, under another name, with a grade of Northfield's."""
    maria = f.PersonFactory(email=MARIA, full_name="Maria R-Lopez")
    f.MembershipFactory(person=maria, organisation=cast.outsider_school, role=Role.TEACHER)
    maria.profile.grades.set([f.GradeLevelFactory(network=cast.outsider_network,
                                                  name="Year 4")])
    return maria


def _csv(tmp_path, cast, text=CSV, *, dry_run=False):
    path = tmp_path / "roster.csv"
    path.write_text(text, encoding="utf-8")
    from bettertogether.rostering.services import roster_import

    return roster_import(actor=cast.admin, network=cast.network, path=path, dry_run=dry_run)


def _account(person):
    person.refresh_from_db()
    return (person.full_name, person.preferred_name, person.source_id, person.is_active,
            sorted(person.profile.grades.values_list("name", flat=True)),
            sorted(Membership.objects.filter(person=person).values_list("network_id", "role")))


def test_oneroster_asks_instead_of_attaching(cast, tmp_path, maria,
                                            django_capture_on_commit_callbacks):
    account = _account(maria)

    with django_capture_on_commit_callbacks(execute=True):
        run = import_fixture(tmp_path, cast.network, "oneroster-1.2", actor=cast.admin)

    assert run.status == ImportRun.Status.DONE, run.problems
    assert _account(maria) == account
    assert not RosterClass.objects.filter(teacher=maria).exists()
    [invitation] = Invitation.objects.filter(email=MARIA)
    assert (invitation.organisation.name, invitation.role, invitation.network, invitation.status,
            invitation.invited_by, invitation.full_name) == (
        "Hillcrest Elementary", Role.TEACHER, cast.network, Invitation.Status.PENDING,
        cast.admin, "Maria Rivera")
    assert run.summary["asked"] == {"people": 1, "before": 0, "listed": [
        {"name": "Maria Rivera", "email": MARIA}]}
    assert [m.to for m in mail.outbox] == [[MARIA]]


def test_plain_csv_asks_once_per_role_and_brings_in_the_others(cast, tmp_path, maria):
    account = _account(maria)

    run = _csv(tmp_path, cast)

    assert run.status == ImportRun.Status.DONE, run.problems
    assert _account(maria) == account
    assert sorted(Invitation.objects.filter(email=MARIA).values_list(
        "organisation__name", "role")) == [("Lincoln Elementary", "teacher"),
                                           ("Roosevelt Middle", "coach")]
    assert Membership.objects.filter(person__email="new.person@maple.example").exists()
    assert run.summary["asked"]["people"] == 1
    assert run.summary["people"]["created"] == 1


def test_a_preview_asks_nobody_yet_but_says_who_will_be_asked(cast, tmp_path, maria):
    before = world_state()

    run = _csv(tmp_path, cast, dry_run=True)

    assert world_state() == before
    assert not Invitation.objects.exists()
    assert run.summary["asked"]["listed"] == [{"name": "Maria Rivera", "email": MARIA}]


def test_preview_page_names_them_as_the_roster_does_and_nothing_of_the_other_network(
        cast, tmp_path, client_for, maria):
    run = _csv(tmp_path, cast, dry_run=True)

    page = client_for(cast.admin).get(reverse("rostering:import", args=[run.pk]))

    assert ("1 person already belongs to another network: they will be asked to join, and "
            "join only if they accept.") in page.text
    assert "Maria Rivera &lt;maria.rivera@maple.example&gt;" in page.text
    for elsewhere in ["Northfield", "R-Lopez", "Year 4"]:
        assert elsewhere not in page.text


def test_importing_again_asks_nobody_twice(cast, tmp_path, maria):
    _csv(tmp_path, cast)
    invitations = list(Invitation.objects.order_by("pk").values_list("pk", "token_hash",
                                                                     "sent_at"))

    again = _csv(tmp_path, cast)

    assert list(Invitation.objects.order_by("pk").values_list("pk", "token_hash", "sent_at")
                ) == invitations
    assert again.summary["asked"] == {"people": 0, "before": 1, "listed": []}


def test_a_declined_invitation_is_not_sent_again_by_an_import(cast, tmp_path, maria):
    _csv(tmp_path, cast)
    for invitation in Invitation.objects.filter(email=MARIA):
        accounts.invitation_decline(actor=maria, invitation=invitation)

    _csv(tmp_path, cast)

    assert Invitation.objects.filter(email=MARIA).count() == 2
    assert not Membership.objects.filter(person=maria, network=cast.network).exists()


def test_once_accepted_the_import_gives_roles_but_keeps_the_account(cast, tmp_path, maria):
    _csv(tmp_path, cast)
    for invitation in Invitation.objects.filter(email=MARIA):
        accounts.invitation_answer_accept(actor=maria, invitation=invitation)
    account = _account(maria)

    run = _csv(tmp_path, cast, CSV.replace("Maria Rivera", "Maria Renamed"))

    assert run.status == ImportRun.Status.DONE, run.problems
    assert _account(maria)[:4] == account[:4]
    assert sorted(Membership.objects.filter(person=maria, network=cast.network)
                  .values_list("organisation__name", "role")) == [
        ("Lincoln Elementary", "teacher"), ("Roosevelt Middle", "coach")]
    assert run.summary["asked"]["people"] == 0


def test_a_switched_off_account_elsewhere_is_asked_like_anyone_and_stays_off(cast, tmp_path,
                                                                              maria):
    Person.objects.filter(pk=maria.pk).update(is_active=False)

    run = _csv(tmp_path, cast)

    assert Person.objects.get(pk=maria.pk).is_active is False
    assert run.summary["asked"]["people"] == 1
    assert not Membership.objects.filter(person=maria, network=cast.network).exists()


def test_oneroster_complete_file_never_switches_on_another_networks_person(cast, tmp_path,
                                                                           maria):
    Person.objects.filter(pk=maria.pk).update(is_active=False)
    files = fixture_files("oneroster-1.2")

    import_files(tmp_path, cast.network, files, actor=cast.admin)
    import_files(tmp_path, cast.network, files, actor=cast.admin)

    assert Person.objects.get(pk=maria.pk).is_active is False


def test_the_nightly_command_says_who_is_asked(cast, maria):
    out = io.StringIO()

    call_command("import_roster", str(FIXTURES / "oneroster-1.2"), "--network", "Riverside",
                 stdout=out, stderr=io.StringIO())

    assert ("  asked to join: 1 people already belong to another network and are asked to "
            "join, never added without their yes") in out.getvalue().splitlines()
    assert Invitation.objects.filter(email=MARIA, invited_by=None).count() == 1
