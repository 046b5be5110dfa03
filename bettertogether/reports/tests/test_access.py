"""Who may open each report and each export.

- The coach's report and its exports: any coach, about their own work (404 for anyone who
  is not a coach).
- A school's report: its leaders and its network's admins.
- A network's report: its admins.
- The coach's own log, notes included: only ever the coach's own entries.

Everyone else gets a 404, exactly as for a report that does not exist; signed out, every
page leads to the sign-in page.
"""

import pytest
from django.test import Client
from django.urls import reverse

from bettertogether.coaching.tests.support import log
from bettertogether.directory.models import Role
from bettertogether.directory.tests.support import assert_login_redirect
from bettertogether.reports.tests.support import coach_at, csv_rows, xlsx_text
from bettertogether.testing import factories as f

EVERYONE = ["coach", "second_coach", "teacher", "other_teacher", "leader", "admin",
            "outsider"]
FORMATS = ["csv", "xlsx"]


def _expect(allowed: dict) -> list:
    """(who, status) for everyone: the statuses given, 404 for the rest."""
    return [(who, allowed.get(who, 404)) for who in EVERYONE]


def _url(name, cast, fmt="csv"):
    return {
        "index": reverse("reports:index"),
        "coach": reverse("reports:coach"),
        "coach_export": reverse("reports:coach_export", args=[fmt]),
        "coach_log_export": reverse("reports:coach_log_export", args=[fmt]),
        "school": reverse("reports:school", args=[cast.school.pk]),
        "school_export": reverse("reports:school_export", args=[cast.school.pk, fmt]),
        "network": reverse("reports:network", args=[cast.network.pk]),
        "network_export": reverse("reports:network_export", args=[cast.network.pk, fmt]),
    }[name]


@pytest.fixture
def second_coach(cast):
    """Another coach at Lincoln: a colleague of the cast's coach."""
    return coach_at(cast.school, "Sam Second")


@pytest.fixture
def persona(cast, second_coach):
    def get(name):
        return second_coach if name == "second_coach" else getattr(cast, name)

    return get


@pytest.fixture
def other_leader(cast):
    """The principal of Roosevelt, the network's other school."""
    person = f.PersonFactory(full_name="Rita Roosevelt")
    f.MembershipFactory(person=person, organisation=cast.other_school, role=Role.SCHOOL_LEADER)
    return person


# --- the pages ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_reports_index_opens_for_everyone_signed_in(cast, client_for, persona, who):
    response = client_for(persona(who)).get(_url("index", cast))

    assert response.status_code == 200


def test_reports_index_offers_exactly_the_readers_reports(cast, client_for, second_coach):
    coach_page = _url("coach", cast)
    school_page = _url("school", cast)
    network_page = _url("network", cast)
    offered = {who: client_for(person).get(_url("index", cast)).content.decode()
               for who, person in [("coach", cast.coach), ("leader", cast.leader),
                                   ("admin", cast.admin), ("teacher", cast.teacher),
                                   ("outsider", cast.outsider)]}

    assert coach_page in offered["coach"]
    assert school_page not in offered["coach"] and network_page not in offered["coach"]
    assert school_page in offered["leader"]
    assert coach_page not in offered["leader"] and network_page not in offered["leader"]
    assert network_page in offered["admin"]
    assert coach_page not in offered["admin"]
    assert "No reports for you yet" in offered["teacher"]
    assert network_page not in offered["outsider"] and school_page not in offered["outsider"]
    assert reverse("reports:network", args=[cast.outsider_network.pk]) in offered["outsider"]


@pytest.mark.parametrize(("who", "status"), _expect({"coach": 200, "second_coach": 200}))
def test_coach_report_is_any_coachs_own(cast, client_for, persona, who, status):
    response = client_for(persona(who)).get(_url("coach", cast))

    assert response.status_code == status
    if status == 200:
        assert response.context["report"]["title"] == (
            f"Coaching impact: {persona(who).full_name}")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("who", "status"), _expect({"coach": 200, "second_coach": 200}))
def test_coach_export_is_any_coachs_own(cast, client_for, persona, who, status, fmt):
    response = client_for(persona(who)).get(_url("coach_export", cast, fmt))

    assert response.status_code == status
    if status == 200:
        assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(("who", "status"), _expect({"leader": 200, "admin": 200}))
def test_school_report_for_its_leaders_and_the_networks_admins(cast, client_for, persona,
                                                               who, status):
    assert client_for(persona(who)).get(_url("school", cast)).status_code == status


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("who", "status"), _expect({"leader": 200, "admin": 200}))
def test_school_export_for_its_leaders_and_the_networks_admins(cast, client_for, persona,
                                                               who, status, fmt):
    assert client_for(persona(who)).get(_url("school_export", cast, fmt)).status_code == status


@pytest.mark.parametrize(("who", "status"), _expect({"admin": 200}))
def test_network_report_for_its_admins(cast, client_for, persona, who, status):
    assert client_for(persona(who)).get(_url("network", cast)).status_code == status


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("who", "status"), _expect({"admin": 200}))
def test_network_export_for_its_admins(cast, client_for, persona, who, status, fmt):
    assert client_for(persona(who)).get(_url("network_export", cast, fmt)).status_code == status


def test_leader_of_another_school_gets_404(cast, client_for, other_leader):
    client = client_for(other_leader)

    assert client.get(_url("school", cast)).status_code == 404
    assert client.get(_url("school_export", cast)).status_code == 404
    assert client.get(reverse("reports:school", args=[cast.other_school.pk])).status_code == 200


def test_admin_of_another_network_reads_their_own_not_riversides(cast, client_for):
    client = client_for(cast.outsider)

    assert client.get(reverse("reports:network",
                              args=[cast.outsider_network.pk])).status_code == 200
    assert client.get(reverse("reports:school",
                              args=[cast.outsider_school.pk])).status_code == 200
    for name in ("school", "school_export", "network", "network_export"):
        assert client.get(_url(name, cast)).status_code == 404, name


def test_riversides_admin_cannot_read_northfield(cast, client_for):
    client = client_for(cast.admin)

    assert client.get(reverse("reports:network",
                              args=[cast.outsider_network.pk])).status_code == 404
    assert client.get(reverse("reports:school",
                              args=[cast.outsider_school.pk])).status_code == 404
    assert client.get(reverse("reports:network_export",
                              args=[cast.outsider_network.pk, "csv"])).status_code == 404


def test_a_school_is_not_a_network_nor_the_other_way_round(cast, client_for):
    admin = client_for(cast.admin)

    assert admin.get(reverse("reports:network", args=[cast.school.pk])).status_code == 404
    assert admin.get(reverse("reports:school", args=[cast.network.pk])).status_code == 404
    assert admin.get(reverse("reports:school", args=[999_999])).status_code == 404


@pytest.mark.parametrize("name", ["coach_export", "school_export", "network_export",
                                  "coach_log_export"])
def test_an_unknown_format_is_404(cast, client_for, name):
    reader = {"coach_export": cast.coach, "coach_log_export": cast.coach,
              "school_export": cast.leader, "network_export": cast.admin}[name]

    assert client_for(reader).get(_url(name, cast, "pdf")).status_code == 404


def test_a_deactivated_coach_is_signed_out_of_their_report(cast, client_for):
    client = client_for(cast.coach)
    cast.coach.is_active = False
    cast.coach.save(update_fields=["is_active"])

    for name in ("coach", "coach_export", "coach_log_export"):
        url = _url(name, cast)
        assert_login_redirect(client.get(url), url)


@pytest.mark.parametrize("name", ["index", "coach", "coach_export", "coach_log_export",
                                  "school", "school_export", "network", "network_export"])
def test_report_pages_anonymous_redirect_to_login(cast, name):
    url = _url(name, cast)

    assert_login_redirect(Client().get(url), url)


# --- the coach's own log --------------------------------------------------------------------

OWN_NOTE = "Own-log shared note 51c3"
OWN_PRIVATE = "Own-log private note 8e02"


@pytest.fixture
def logged(cast):
    log(cast.coach, [cast.teacher], shared_note=OWN_NOTE, private_note=OWN_PRIVATE)
    log(cast.coach, [], kind_name="Planning", private_note=OWN_PRIVATE)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(("who", "status"), _expect({"coach": 200, "second_coach": 200}))
def test_coach_log_export_is_only_ever_the_coachs_own(cast, client_for, persona, logged, who,
                                                      status, fmt):
    response = client_for(persona(who)).get(_url("coach_log_export", cast, fmt))

    assert response.status_code == status
    if status != 200:
        return
    text = (response.content.decode() if fmt == "csv" else xlsx_text(response.content))
    if who == "coach":
        assert OWN_NOTE in text and OWN_PRIVATE in text
    else:
        assert OWN_NOTE not in text and OWN_PRIVATE not in text
        assert cast.teacher.full_name not in text


def test_second_coachs_log_export_holds_their_entries_alone(cast, client_for, logged,
                                                           second_coach):
    log(second_coach, [cast.other_teacher], kind_name="Co-teaching", minutes=35,
        shared_note="Second coach's own words")

    rows = csv_rows(client_for(second_coach).get(_url("coach_log_export", cast)).content)

    assert len(rows) == 2  # the header and their one entry
    assert rows[1][1] == "Co-teaching" and rows[1][3] == "35"
    assert rows[1][6] == cast.other_teacher.full_name
    assert rows[1][7] == "Second coach's own words"
