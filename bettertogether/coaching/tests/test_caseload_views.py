"""The coach's caseload: stages, nudges, sort and filters; the rules network admins tune."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bettertogether.coaching.models import RelationshipRules
from bettertogether.coaching.selectors import caseload_rows, nudge_count
from bettertogether.coaching.services import relationship_rules_update
from bettertogether.coaching.tests.support import log
from bettertogether.directory.models import Role
from bettertogether.directory.tests.support import (
    assert_login_redirect,
    new_entries,
    world_state,
)
from bettertogether.testing import factories as f

URL = "/coaching/caseload/"


def _ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def _teacher(cast, name, school=None, *, grade=None, subject=None):
    school = school or cast.school
    teacher = f.PersonFactory(full_name=name)
    f.MembershipFactory(person=teacher, organisation=school, role=Role.TEACHER)
    f.CaseloadAssignmentFactory(coach=cast.coach, teacher=teacher, school=school,
                                school_year=cast.school_year)
    if grade:
        teacher.profile.grades.add(grade)
    if subject:
        teacher.profile.subjects.add(subject)
    return teacher


def _rows(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return [item["row"] for item in response.context["rows"]], response


# --- who sees it ------------------------------------------------------------------------


def test_caseload_url():
    assert reverse("coaching:caseload") == URL


@pytest.mark.parametrize(("who", "status"), [
    ("coach", 200), ("second_coach", 200), ("teacher", 404), ("other_teacher", 404),
    ("leader", 404), ("admin", 404), ("outsider", 404),
])
def test_caseload_page_only_for_coaches(cast, client_for, persona, who, status):
    assert client_for(persona(who)).get(URL).status_code == status


def test_caseload_page_anonymous_redirects_to_login(cast):
    assert_login_redirect(Client().get(URL), URL)


def test_other_coach_sees_an_empty_caseload(cast, client_for, second_coach):
    log(cast.coach, [cast.teacher])

    rows, response = _rows(client_for(second_coach))

    assert rows == []
    assert b"No teachers in your caseload yet" in response.content
    assert b"Tess Teacher" not in response.content


# --- what it shows ------------------------------------------------------------------------


def test_never_contacted_teacher_is_new_and_nudged(cast, client_for):
    rows, response = _rows(client_for(cast.coach))

    [row] = rows
    assert (row.teacher_id, row.school_name, row.last_contact, row.this_term, row.stage,
            row.reason, row.needs_nudge) == (
        cast.teacher.pk, "Lincoln Elementary", None, 0, "new", "No contact logged yet", True)
    content = response.content.decode()
    assert "Not reached in 21 days" in content
    assert "Never" in content
    log_url = (f'/coaching/log/?teacher={cast.teacher.pk}&amp;next=%2Fcoaching%2Fcaseload%2F')
    assert content.count(log_url) == 2  # in the nudge panel and in the row
    assert f'href="/coaching/teachers/{cast.teacher.pk}/"' in content


def test_contacted_teacher_shows_last_contact_count_and_stage(cast, client_for):
    log(cast.coach, [cast.teacher], occurred_at=_ago(22))
    log(cast.coach, [cast.teacher], occurred_at=_ago(3))

    [row], response = _rows(client_for(cast.coach))

    assert (row.contacts, row.this_term, row.stage, row.needs_nudge) == (
        2, 2, "connected", False)
    assert row.reason.endswith("; 2 contacts so far")
    assert "3\xa0days ago" in response.content.decode()
    assert "Not reached in" not in response.content.decode()


def test_repeated_contact_over_weeks_is_trusting(cast, client_for):
    for days in (50, 30, 8):
        log(cast.coach, [cast.teacher], occurred_at=_ago(days))

    [row], _response = _rows(client_for(cast.coach))

    assert (row.stage, row.reason) == ("trusting", "3 contacts over 6 weeks")


def test_only_the_coachs_own_contacts_count(cast, client_for, second_coach):
    f.CaseloadAssignmentFactory(coach=second_coach, teacher=cast.teacher, school=cast.school,
                                school_year=cast.school_year)
    log(second_coach, [cast.teacher])

    [row], _response = _rows(client_for(cast.coach))

    assert (row.contacts, row.stage, row.needs_nudge) == (0, "new", True)


def test_this_term_counts_from_the_current_terms_first_day(cast, client_for):
    f.TermFactory(school_year=cast.school_year, name="Summer",
                  starts_on=cast.school_year.starts_on,
                  ends_on=timezone.localdate() - datetime.timedelta(days=30))
    f.TermFactory(school_year=cast.school_year, name="Autumn",
                  starts_on=timezone.localdate() - datetime.timedelta(days=10),
                  ends_on=timezone.localdate() + datetime.timedelta(days=10))
    log(cast.coach, [cast.teacher], occurred_at=_ago(20))
    log(cast.coach, [cast.teacher], occurred_at=_ago(5))

    [row], _response = _rows(client_for(cast.coach))

    assert (row.contacts, row.this_term) == (2, 1)


def test_this_term_in_a_holiday_counts_the_term_just_ended(cast, client_for):
    f.TermFactory(school_year=cast.school_year, name="Autumn",
                  starts_on=cast.school_year.starts_on,
                  ends_on=timezone.localdate() - datetime.timedelta(days=7))
    f.TermFactory(school_year=cast.school_year, name="Spring",
                  starts_on=timezone.localdate() + datetime.timedelta(days=7),
                  ends_on=timezone.localdate() + datetime.timedelta(days=90))
    log(cast.coach, [cast.teacher], occurred_at=_ago(20))  # in Autumn
    log(cast.coach, [cast.teacher], occurred_at=_ago(2))  # in the holiday after it

    [row], _response = _rows(client_for(cast.coach))

    assert (row.contacts, row.this_term) == (2, 2)


def test_this_term_without_a_term_counts_from_the_school_years_first_day(cast, client_for):
    log(cast.coach, [cast.teacher], occurred_at=_ago(100))  # the year started 90 days ago
    log(cast.coach, [cast.teacher], occurred_at=_ago(80))

    [row], _response = _rows(client_for(cast.coach))

    assert (row.contacts, row.this_term) == (2, 1)


# --- nudges and order ---------------------------------------------------------------------


def test_nudge_follows_the_networks_rules(cast, client_for):
    log(cast.coach, [cast.teacher], occurred_at=_ago(10))
    client = client_for(cast.coach)

    [row], _response = _rows(client)
    assert row.needs_nudge is False

    RelationshipRules.objects.create(network=cast.network, nudge_after_days=7)
    [row], response = _rows(client)
    assert row.needs_nudge is True
    assert "Not reached in 7 days" in response.content.decode()


def test_nudge_boundary_is_inclusive(cast):
    log(cast.coach, [cast.teacher], occurred_at=_ago(21))
    other = _teacher(cast, "Ada Almost")
    log(cast.coach, [other], occurred_at=_ago(20))

    rows = caseload_rows(actor=cast.coach, school_year=cast.school_year)

    assert {r.teacher_name: r.needs_nudge for r in rows} == {
        "Tess Teacher": True, "Ada Almost": False}
    assert nudge_count(actor=cast.coach, school_year=cast.school_year) == 1


def test_those_who_need_attention_come_first(cast, client_for):
    recent = _teacher(cast, "Abe Recent")
    log(cast.coach, [recent], occurred_at=_ago(2))
    month = _teacher(cast, "Bea Month")
    log(cast.coach, [month], occurred_at=_ago(30))
    longest = _teacher(cast, "Cal Longest")
    log(cast.coach, [longest], occurred_at=_ago(60))
    never = _teacher(cast, "Zoe Never")
    zack = _teacher(cast, "Zack Recent")
    log(cast.coach, [zack], occurred_at=_ago(1))

    rows, _response = _rows(client_for(cast.coach))

    assert [r.teacher_name for r in rows] == [
        "Tess Teacher", "Zoe Never",  # never contacted, by name
        "Cal Longest", "Bea Month",   # then the longest since last contact
        "Abe Recent", "Zack Recent",  # then everyone else by name
    ]
    assert [r.teacher_id for r in rows if r.needs_nudge] == [
        cast.teacher.pk, never.pk, longest.pk, month.pk]


# --- filters ------------------------------------------------------------------------------


def test_filters_by_school_grade_and_subject(cast, client_for):
    f.MembershipFactory(person=cast.coach, organisation=cast.other_school, role=Role.COACH)
    grade = f.GradeLevelFactory(network=cast.network, name="Grade 3")
    math = f.SubjectFactory(network=cast.network, name="Maths")
    rhea = _teacher(cast, "Rhea Roosevelt", cast.other_school, grade=grade)
    mo = _teacher(cast, "Mo Maths", subject=math)
    client = client_for(cast.coach)

    everyone, response = _rows(client)
    by_school, _r = _rows(client, f"?school={cast.other_school.pk}")
    by_grade, _r = _rows(client, f"?grade={grade.pk}")
    by_subject, _r = _rows(client, f"?subject={math.pk}")
    nobody, empty = _rows(client, f"?grade={grade.pk}&subject={math.pk}")

    assert {r.teacher_id for r in everyone} == {cast.teacher.pk, rhea.pk, mo.pk}
    assert [r.teacher_id for r in by_school] == [rhea.pk]
    assert [r.teacher_id for r in by_grade] == [rhea.pk]
    assert [(r.teacher_id, r.subjects) for r in by_subject] == [(mo.pk, "Maths")]
    assert nobody == []
    assert b"No teachers match" in empty.content
    form = response.context["form"]
    assert [c[1] for c in form.fields["school"].choices] == [
        "All schools", "Lincoln Elementary", "Roosevelt Middle"]
    assert [c[1] for c in form.fields["grade"].choices] == ["All grades", "Grade 3"]


def test_a_filter_outside_the_choices_is_ignored(cast, client_for):
    rows, response = _rows(client_for(cast.coach), f"?school={cast.outsider_school.pk}")

    assert [r.teacher_id for r in rows] == [cast.teacher.pk]
    assert response.context["form"].errors


# --- navigation and home ----------------------------------------------------------------


def test_nav_my_caseload_points_here_and_is_active(cast, client_for):
    response = client_for(cast.coach).get(URL)

    assert ("My caseload", URL, "caseload") in response.context["nav"]
    assert response.context["active"] == "caseload"


def test_home_counts_teachers_to_nudge(cast, client_for):
    reached = _teacher(cast, "Abe Reached")
    log(cast.coach, [reached], occurred_at=_ago(1))
    _teacher(cast, "Bea Waiting")

    response = client_for(cast.coach).get(reverse("core:home"))

    assert response.context["coach"]["to_nudge"] == 2
    assert "2 teachers to reach out to" in response.content.decode()


def test_home_without_teachers_to_nudge_says_nothing(cast, client_for):
    log(cast.coach, [cast.teacher])

    response = client_for(cast.coach).get(reverse("core:home"))

    assert response.context["coach"]["to_nudge"] == 0
    assert "to reach out to" not in response.content.decode()


# --- the rules ----------------------------------------------------------------------------


def _rules_url(organisation):
    return reverse("coaching:relationship_rules", args=[organisation.pk])


def test_rules_page_shows_defaults_without_writing(cast, client_for):
    response = client_for(cast.admin).get(_rules_url(cast.network))

    assert response.status_code == 200
    assert response.context["form"].initial == {
        "trusting_min_contacts": 3, "trusting_min_weeks": 3, "nudge_after_days": 21}
    assert not RelationshipRules.objects.exists()


def test_rules_saved_by_admin_with_an_activity_entry(cast, client_for):
    before = world_state()

    response = client_for(cast.admin).post(_rules_url(cast.network), {
        "trusting_min_contacts": "4", "trusting_min_weeks": "2", "nudge_after_days": "14"})

    assert response.status_code == 302
    assert response["Location"] == reverse("directory:organisation", args=[cast.network.pk])
    rules = RelationshipRules.objects.get(network=cast.network)
    assert (rules.trusting_min_contacts, rules.trusting_min_weeks, rules.nudge_after_days) == (
        4, 2, 14)
    [entry] = new_entries(before)
    assert (entry.actor, entry.action, entry.organisation, entry.target_label,
            entry.details) == (
        cast.admin, "relationship_rules.update", cast.network, "Riverside",
        {"fields": ["trusting_min_contacts", "trusting_min_weeks", "nudge_after_days"]})
    assert entry.action_label == "changed the relationship rules of"


def test_rules_saved_twice_keep_one_row(cast, client_for):
    client = client_for(cast.admin)
    data = {"trusting_min_contacts": "4", "trusting_min_weeks": "2", "nudge_after_days": "14"}
    client.post(_rules_url(cast.network), data)
    client.post(_rules_url(cast.network), data)

    assert RelationshipRules.objects.count() == 1


@pytest.mark.parametrize(("data", "fields"), [
    ({"trusting_min_contacts": "0", "trusting_min_weeks": "3", "nudge_after_days": "21"},
     ["trusting_min_contacts"]),
    ({"trusting_min_contacts": "3", "trusting_min_weeks": "-1", "nudge_after_days": "0"},
     ["nudge_after_days", "trusting_min_weeks"]),
    ({"trusting_min_contacts": "x", "trusting_min_weeks": "", "nudge_after_days": "400"},
     ["nudge_after_days", "trusting_min_contacts", "trusting_min_weeks"]),
])
def test_rules_bad_input_is_422(cast, client_for, data, fields):
    response = client_for(cast.admin).post(_rules_url(cast.network), data)

    assert response.status_code == 422
    assert sorted(response.context["form"].errors) == fields
    assert not RelationshipRules.objects.exists()


@pytest.mark.parametrize("who", [
    "coach", "second_coach", "teacher", "other_teacher", "leader", "outsider"])
def test_rules_page_refused_is_404(cast, client_for, persona, who):
    client = client_for(persona(who))
    before = world_state()

    assert client.get(_rules_url(cast.network)).status_code == 404
    assert client.post(_rules_url(cast.network), {
        "trusting_min_contacts": "4", "trusting_min_weeks": "2",
        "nudge_after_days": "14"}).status_code == 404
    assert world_state() == before
    assert not RelationshipRules.objects.exists()


def test_rules_of_a_school_or_another_network_are_404(cast, client_for):
    client = client_for(cast.admin)

    assert client.get(_rules_url(cast.school)).status_code == 404
    assert client.get(_rules_url(cast.outsider_network)).status_code == 404


def test_rules_anonymous_redirects_to_login(cast):
    url = _rules_url(cast.network)

    assert_login_redirect(Client().post(url, {"nudge_after_days": "1"}), url)
    assert not RelationshipRules.objects.exists()


def test_network_page_links_to_the_rules_for_admins_only(cast, client_for):
    url = reverse("directory:organisation", args=[cast.network.pk])
    link = f'href="{_rules_url(cast.network)}"'.encode()

    assert link in client_for(cast.admin).get(url).content
    school_page = client_for(cast.admin).get(
        reverse("directory:organisation", args=[cast.school.pk]))
    assert b"Relationship rules" not in school_page.content


def test_caseload_without_a_school_year_is_empty(cast, client_for):
    cast.school_year.delete()

    rows, _response = _rows(client_for(cast.coach))

    assert rows == []
    assert nudge_count(actor=cast.coach, school_year=None) == 0


@pytest.mark.parametrize("who", ["coach", "leader", "outsider"])
def test_rules_service_refuses_anyone_but_the_networks_admins(cast, who):
    with pytest.raises(PermissionDenied):
        relationship_rules_update(actor=getattr(cast, who), network=cast.network,
                                  trusting_min_contacts=4, trusting_min_weeks=2,
                                  nudge_after_days=14)
    with pytest.raises(PermissionDenied):
        relationship_rules_update(actor=cast.admin, network=cast.school,
                                  trusting_min_contacts=4, trusting_min_weeks=2,
                                  nudge_after_days=14)
    assert not RelationshipRules.objects.exists()


def test_rules_service_validates_every_value(cast):
    with pytest.raises(ValidationError) as caught:
        relationship_rules_update(actor=cast.admin, network=cast.network,
                                  trusting_min_contacts=0, trusting_min_weeks=53,
                                  nudge_after_days=366)

    assert sorted(caught.value.message_dict) == [
        "nudge_after_days", "trusting_min_contacts", "trusting_min_weeks"]
    assert not RelationshipRules.objects.exists()


def test_tuned_rules_change_the_stage(cast):
    for days in (15, 1):
        log(cast.coach, [cast.teacher], occurred_at=_ago(days))
    [row] = caseload_rows(actor=cast.coach, school_year=cast.school_year)
    assert row.stage == "connected"

    relationship_rules_update(actor=cast.admin, network=cast.network, trusting_min_contacts=2,
                              trusting_min_weeks=2, nudge_after_days=21)

    [row] = caseload_rows(actor=cast.coach, school_year=cast.school_year)
    assert (row.stage, row.reason) == ("trusting", "2 contacts over 2 weeks")


def test_a_long_caseload_draws_one_page_and_keeps_attention_first(cast, client_for):
    for n in range(55):
        _teacher(cast, f"Teacher {n:02d}")  # none contacted: every one needs a nudge
    rows, response = _rows(client_for(cast.coach))

    assert response.context["total"] == 56
    assert len(rows) == 50
    assert all(row.needs_nudge for row in rows)
    assert len(response.context["nudged"]) == 10
    assert response.context["nudged_more"] == 46
    assert b"and 46 more, first in the list below" in response.content
    second, _ = _rows(client_for(cast.coach), "?page=2")
    assert len(second) == 6
    assert {r.teacher_id for r in rows}.isdisjoint({r.teacher_id for r in second})
