"""What a school's leaders (and its network's admins) see of coaching there: counts and
minutes, names only under the WHO_AND_KIND policy, never content."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from bettertogether.coaching import services, summaries
from bettertogether.coaching.summaries import KindRow, Period
from bettertogether.coaching.tests.support import log
from bettertogether.coaching.tests.test_canary import CANARIES, PERSONAL, PRIVATE, SHARED
from bettertogether.directory import calendar
from bettertogether.directory.models import LeaderVisibility, Role
from bettertogether.directory.tests.support import assert_login_redirect
from bettertogether.testing import factories as f

# Lincoln has the five teachers a school needs before its leaders see a figure; a smaller
# school's summary is tested on its own below.
pytestmark = pytest.mark.usefixtures("lincoln_of_five")


def _url(school, period=""):
    url = reverse("coaching:school_summary", args=[school.pk])
    return f"{url}?period={period}" if period else url


def _ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def _policy(school, policy):
    school.leader_visibility = policy
    school.save(update_fields=["leader_visibility"])


@pytest.fixture
def other_leader(cast):
    """The principal of Roosevelt, the network's other school."""
    person = f.PersonFactory(full_name="Rita Roosevelt")
    f.MembershipFactory(person=person, organisation=cast.other_school, role=Role.SCHOOL_LEADER)
    return person


@pytest.fixture
def logged(cast, second_coach):
    """A few weeks of coaching at Lincoln, with some that must not count."""
    log(cast.coach, [cast.teacher], "Tech help")  # 10 minutes
    log(cast.coach, [cast.teacher, cast.other_teacher], "Co-planning", minutes=40,
        occurred_at=_ago(40))
    log(cast.coach, [cast.teacher], "Tech help", minutes=5, occurred_at=_ago(3))
    log(cast.coach, [], "Planning", minutes=30)  # own time, no school
    log(second_coach, [], "Meetings", minutes=45, occurred_at=_ago(10))
    # Not counted: before the school year, and a coach serving only Roosevelt.
    log(cast.coach, [cast.teacher], "Observation", occurred_at=_ago(120))
    roosevelt_coach = f.PersonFactory()
    roosevelt_teacher = f.PersonFactory(full_name="Rory Roosevelt")
    f.MembershipFactory(person=roosevelt_coach, organisation=cast.other_school, role=Role.COACH)
    f.MembershipFactory(person=roosevelt_teacher, organisation=cast.other_school,
                        role=Role.TEACHER)
    log(roosevelt_coach, [roosevelt_teacher], "Data dive")
    log(roosevelt_coach, [], "Duties")


# --- who sees it ------------------------------------------------------------------------


def test_school_summary_url(cast):
    assert _url(cast.school) == f"/coaching/schools/{cast.school.pk}/"


@pytest.mark.parametrize(("who", "status"), [
    ("leader", 200), ("admin", 200), ("coach", 404), ("second_coach", 404),
    ("teacher", 404), ("other_teacher", 404), ("outsider", 404),
])
def test_school_summary_only_for_the_schools_leaders_and_admins(cast, client_for, persona,
                                                                 who, status):
    assert client_for(persona(who)).get(_url(cast.school)).status_code == status


def test_school_summary_leader_of_another_school_is_404(cast, client_for, other_leader):
    client = client_for(other_leader)

    assert client.get(_url(cast.school)).status_code == 404
    assert client.get(_url(cast.other_school)).status_code == 200


def test_school_summary_refused_looks_like_a_school_that_does_not_exist(cast, client_for):
    client = client_for(cast.coach)

    refused = client.get(_url(cast.school))
    missing = client.get(reverse("coaching:school_summary", args=[999_999]))

    assert refused.status_code == missing.status_code == 404
    assert refused.templates[0].name == missing.templates[0].name == "404.html"


def test_school_summary_of_a_network_or_another_networks_school_is_404(cast, client_for):
    client = client_for(cast.admin)

    assert client.get(_url(cast.network)).status_code == 404
    assert client.get(_url(cast.outsider_school)).status_code == 404


def test_school_summary_anonymous_redirects_to_login(cast):
    url = _url(cast.school)

    assert_login_redirect(Client().get(url), url)


# --- the figures ------------------------------------------------------------------------


def test_school_summary_figures_for_the_school_year_are_exact(cast, client_for, logged):
    summary = client_for(cast.leader).get(_url(cast.school)).context["summary"]

    assert summary.window.label == "This school year"
    assert summary.contacts == 3
    assert (summary.contact_minutes, summary.own_minutes, summary.total_minutes) == (55, 75, 130)
    assert (summary.contact_hours, summary.own_hours, summary.total_hours) == (0.9, 1.2, 2.2)
    # Two teachers reached, and one coach's caseload of one: counts of so few are hidden
    # (with Sam's caseload of none, or the home page's teachers with a coach less it
    # would give Cora's back).
    assert (summary.teachers_reached, summary.teachers_in_school, summary.reached_share) == (
        None, 5, None)
    assert summary.kinds == [
        KindRow("Co-planning", True, 1, 40),
        KindRow("Tech help", True, 2, 15),
        KindRow("Meetings", False, 1, 45),
        KindRow("Planning", False, 1, 30),
    ]
    assert [(part["minutes"], part["share"]) for part in summary.split] == [(55, 42), (75, 58)]
    assert [(c.name, c.caseload) for c in summary.coaches] == [("Cora Coach", None),
                                                                ("Sam Second", None)]


def test_school_summary_last_30_days(cast, client_for, logged):
    summary = client_for(cast.admin).get(_url(cast.school, "30d")).context["summary"]

    assert summary.window.label == "The last 30 days"
    assert summary.contacts == 2
    assert [(k.name, k.count, k.minutes) for k in summary.kinds] == [
        ("Tech help", 2, 15), ("Meetings", 1, 45), ("Planning", 1, 30)]
    assert (summary.teachers_reached, summary.reached_share) == (None, None)


def test_school_summary_this_term_starts_on_the_terms_first_day(cast, client_for, logged):
    today = timezone.localdate()
    f.TermFactory(school_year=cast.school_year, name="Autumn",
                  starts_on=cast.school_year.starts_on,
                  ends_on=today - datetime.timedelta(days=20))
    f.TermFactory(school_year=cast.school_year, name="Spring",
                  starts_on=today - datetime.timedelta(days=5),
                  ends_on=today + datetime.timedelta(days=60))

    summary = client_for(cast.leader).get(_url(cast.school, "term")).context["summary"]

    assert summary.window.label == "Spring"
    assert [(k.name, k.count, k.minutes) for k in summary.kinds] == [
        ("Tech help", 2, 15), ("Planning", 1, 30)]


def test_school_summary_this_term_without_terms_is_the_school_year(cast, client_for, logged):
    summary = client_for(cast.leader).get(_url(cast.school, "term")).context["summary"]

    assert summary.window.first_day == cast.school_year.starts_on
    assert summary.contacts == 3


def test_school_summary_unknown_period_falls_back_to_the_year(cast, client_for, logged):
    response = client_for(cast.leader).get(_url(cast.school, "forever"))

    assert response.status_code == 200
    assert response.context["summary"].window.label == "This school year"
    assert not response.context["form"].errors


def test_school_summary_page_shows_the_figures(cast, client_for, logged):
    content = client_for(cast.leader).get(_url(cast.school)).content.decode()

    assert "Coaching in Lincoln Elementary" in content
    assert ('<span class="stat-value">3</span><span class="stat-label">contacts with '
            'teachers</span>') in content
    assert ('<span class="stat-value"><span class="suppressed" title="Hidden: it would describe '
            'fewer than 5 teachers">hidden</span></span><span class="stat-label">teachers '
            'reached, of 5</span>') in content
    assert '<th scope="row">Co-planning</th>' in content
    assert "hours in all (130 minutes)" in content


def test_school_summary_with_nothing_logged(cast, client_for):
    response = client_for(cast.leader).get(_url(cast.school))

    assert response.context["summary"].contacts == 0
    assert b"Nothing logged in this period" in response.content


def test_school_summary_without_a_school_year_offers_the_last_30_days(cast, client_for):
    cast.school_year.delete()
    log(cast.coach, [cast.teacher])
    client = client_for(cast.leader)

    year = client.get(_url(cast.school))
    recent = client.get(_url(cast.school, "30d"))

    assert year.context["summary"].window is None
    assert b"No school year yet" in year.content
    assert recent.context["summary"].contacts == 1


@pytest.mark.parametrize("who", ["leader", "admin"])
def test_school_summary_of_a_school_of_fewer_than_five_teachers_shows_nothing(
        cast, client_for, other_leader, who):
    """Roosevelt has four teachers: no figure and no name, whatever its policy."""
    _policy(cast.other_school, LeaderVisibility.WHO_AND_KIND)
    coach = f.PersonFactory(full_name="Rob Roosevelt")
    f.MembershipFactory(person=coach, organisation=cast.other_school, role=Role.COACH)
    teachers = [f.MembershipFactory(person=f.PersonFactory(full_name=f"Rory {n}"),
                                    organisation=cast.other_school, role=Role.TEACHER).person
                for n in range(4)]
    f.CaseloadAssignmentFactory(coach=coach, teacher=teachers[0], school=cast.other_school,
                                school_year=cast.school_year)
    log(coach, teachers[:1], "Data dive")
    reader = other_leader if who == "leader" else cast.admin

    response = client_for(reader).get(_url(cast.other_school))

    summary = response.context["summary"]
    assert summary.hidden and summary.teachers_reached is None
    assert (summary.kinds, summary.coaches, summary.teachers) == ([], [], None)
    content = response.content.decode()
    assert "This school has fewer than 5 teachers, so no figure is shown" in content
    for never in ("Rory 0", "Rob Roosevelt", "Data dive", "contacts with teachers"):
        assert never not in content


def test_school_summary_shows_five_teachers_reached(cast, client_for, lincoln_of_five):
    log(cast.coach, [cast.teacher, cast.other_teacher, *lincoln_of_five])

    summary = client_for(cast.leader).get(_url(cast.school)).context["summary"]

    assert (summary.teachers_reached, summary.reached_share) == (5, 100)


# --- the policy ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["leader", "admin"])
def test_school_summary_totals_policy_shows_no_teacher_names(cast, client_for, logged, who):
    _policy(cast.school, LeaderVisibility.TOTALS)

    response = client_for(getattr(cast, who)).get(_url(cast.school))

    assert response.context["summary"].teachers is None
    for name in ("Tess Teacher", "Otto Other", "Rory Roosevelt"):
        assert name not in response.content.decode()
    assert b"shares coaching totals with its principals" in response.content


@pytest.mark.parametrize("who", ["leader", "admin"])
def test_school_summary_who_and_kind_policy_lists_teachers_and_kinds(cast, client_for, logged,
                                                                    who):
    _policy(cast.school, LeaderVisibility.WHO_AND_KIND)

    response = client_for(getattr(cast, who)).get(_url(cast.school))

    teachers = [(t.name, t.contacts, t.kinds) for t in response.context["summary"].teachers]
    assert teachers == [("Otto Other", 1, ("Co-planning",)),
                        ("Tess Teacher", 3, ("Co-planning", "Tech help"))]
    content = response.content.decode()
    assert '<th scope="row">Tess Teacher</th>' in content
    assert '<span class="badge">Co-planning</span>' in content
    assert "Rory Roosevelt" not in content


def test_school_summary_counts_only_teachers_of_the_school_now(cast, client_for, logged):
    _policy(cast.school, LeaderVisibility.WHO_AND_KIND)
    f.MembershipFactory(organisation=cast.school, role=Role.TEACHER)
    cast.other_teacher.memberships.filter(organisation=cast.school).delete()

    summary = client_for(cast.leader).get(_url(cast.school)).context["summary"]

    assert (summary.teachers_reached, summary.teachers_in_school) == (None, 5)
    assert [t.name for t in summary.teachers] == ["Tess Teacher"]


def test_school_summary_in_en_gb_says_headteachers(cast, client_for):
    headteacher = f.PersonFactory()
    f.MembershipFactory(person=headteacher, organisation=cast.outsider_school,
                        role=Role.SCHOOL_LEADER)
    f.SchoolYearFactory(network=cast.outsider_network)
    for _ in range(5):
        f.MembershipFactory(organisation=cast.outsider_school, role=Role.TEACHER)
    try:
        response = client_for(headteacher).get(_url(cast.outsider_school))
    finally:
        translation.activate("en-us")

    assert b"shares coaching totals with its headteachers" in response.content
    assert b"principal" not in response.content.lower()


# --- where it is linked from ----------------------------------------------------------------


def test_home_links_each_leaders_school_to_its_summary(cast, client_for, other_leader):
    f.MembershipFactory(person=other_leader, organisation=cast.school, role=Role.SCHOOL_LEADER)

    content = client_for(other_leader).get(reverse("core:home")).content.decode()

    assert f'href="{_url(cast.school)}">Coaching in Lincoln Elementary</a>' in content
    assert f'href="{_url(cast.other_school)}">Coaching in Roosevelt Middle</a>' in content


@pytest.mark.parametrize(("who", "linked"), [
    ("leader", True), ("admin", True), ("coach", False), ("teacher", False)])
def test_school_page_links_to_the_summary_for_leaders_and_admins(cast, client_for, persona,
                                                                 who, linked):
    page = client_for(persona(who)).get(reverse("directory:organisation", args=[cast.school.pk]))

    assert (f'href="{_url(cast.school)}"' in page.content.decode()) is linked


def test_school_summary_is_in_the_schools_section(cast, client_for):
    assert client_for(cast.leader).get(_url(cast.school)).context["active"] == "organisations"


def test_period_window_of_the_year_covers_its_last_day(cast):
    zone = calendar.zone_of(cast.school)
    window = summaries.period_window(period=Period.YEAR, school_year=cast.school_year,
                                     zone=zone, now=timezone.now())

    assert window.since.date() == cast.school_year.starts_on
    assert window.until.date() == cast.school_year.ends_on + datetime.timedelta(days=1)


# --- never content ----------------------------------------------------------------------------


@pytest.mark.parametrize("policy", [LeaderVisibility.TOTALS, LeaderVisibility.WHO_AND_KIND])
@pytest.mark.parametrize("who", ["leader", "admin"])
def test_school_summary_canary_no_note_reaches_leaders_or_admins(cast, client_for, who,
                                                                 policy, caplog):
    caplog.set_level("DEBUG")
    _policy(cast.school, policy)
    log(cast.coach, [cast.teacher], "Check-in", shared_note=SHARED, private_note=PRIVATE)
    log(cast.coach, [], "Planning", private_note=PRIVATE)
    services.personal_note_add(actor=cast.coach, teacher=cast.teacher, text=PERSONAL)
    client = client_for(getattr(cast, who))

    seen = "".join(client.get(_url(cast.school, period)).content.decode()
                   for period in ("", "term", "30d"))

    assert "Check-in" in seen  # the page drew the entry's kind...
    for canary in CANARIES:  # ...and nothing of what was said
        assert canary not in seen
        assert canary not in caplog.text


@pytest.mark.parametrize("who", ["leader", "admin"])
def test_school_summary_never_reads_a_note_column(cast, client_for, logged, who):
    _policy(cast.school, LeaderVisibility.WHO_AND_KIND)
    client = client_for(getattr(cast, who))
    client.get(_url(cast.school))  # warm up the session and scope

    with CaptureQueriesContext(connection) as captured:
        assert client.get(_url(cast.school)).status_code == 200

    sql = " ".join(query["sql"] for query in captured.captured_queries)
    assert "shared_note" not in sql
    assert "private_note" not in sql
    assert "personalnote" not in sql
