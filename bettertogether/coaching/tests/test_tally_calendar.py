"""A change of the network's calendar — its time zone, a term added, moved or deleted, a
school year deleted — is recounted: recorded as pending, queued for the worker on commit,
and done by it, after which the tallies equal the log again. Through the services and
through the support admin alike."""

from __future__ import annotations

import datetime
import io
import zoneinfo

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from bettertogether.coaching.models import PairTerm, TallyRecount, WeekTally
from bettertogether.coaching.tallies import proof
from bettertogether.coaching.tallies.buckets import days_moved_by
from bettertogether.coaching.tallies.network import rebuild, recount_pending
from bettertogether.coaching.tests.support import log
from bettertogether.directory import services as directory
from bettertogether.directory.models import SchoolYear, Term
from bettertogether.testing import factories as f

DAY = datetime.timedelta(days=1)
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")  # the cast's network


def _sunday_night(cast, weeks_ago: int) -> datetime.datetime:
    """23:30 on a Sunday, network time (Chicago): Monday already in London."""
    today = timezone.localdate()
    sunday = today - datetime.timedelta(days=today.weekday() + 1 + 7 * weeks_ago)
    return datetime.datetime.combine(sunday, datetime.time(23, 30), tzinfo=CHICAGO)


def _set_zone(cast, zone: str, organisation=None):
    organisation = organisation or cast.network
    return directory.organisation_update(
        actor=cast.admin, organisation=organisation, name=organisation.name,
        locale=organisation.locale, time_zone=zone,
        leader_visibility=organisation.leader_visibility)


def _pending(network) -> list[TallyRecount]:
    return list(TallyRecount.objects.filter(network=network, done_at__isnull=True))


def test_a_time_zone_change_is_recounted_by_the_worker(cast, django_capture_on_commit_callbacks):
    for weeks_ago in (1, 3):
        log(cast.coach, [cast.teacher], occurred_at=_sunday_night(cast, weeks_ago))
    weeks = set(WeekTally.objects.values_list("week", flat=True))

    with django_capture_on_commit_callbacks() as queued:
        _set_zone(cast, "Europe/London")

    [pending] = _pending(cast.network)
    assert (pending.part, pending.first_day, pending.after_day) == ("everything", None, None)
    assert len(queued) == 1
    assert set(proof.differences(cast.network)) == {"weeks", "coach_weeks", "kind_weeks"}
    queued[0]()  # the worker's turn (the test settings run tasks at once)
    assert proof.differences(cast.network) == {}
    assert set(WeekTally.objects.values_list("week", flat=True)) == {
        week + 7 * DAY for week in weeks}
    assert _pending(cast.network) == []


def test_a_time_zone_change_with_nothing_logged_queues_nothing(
        cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        _set_zone(cast, "Europe/London")

    assert (queued, _pending(cast.network)) == ([], [])


def test_a_school_time_zone_is_not_the_tallies(cast, django_capture_on_commit_callbacks):
    log(cast.coach, [cast.teacher], occurred_at=_sunday_night(cast, 1))
    with django_capture_on_commit_callbacks() as queued:
        _set_zone(cast, "Europe/London", organisation=cast.school)

    assert (queued, _pending(cast.network)) == ([], [])
    assert proof.differences(cast.network) == {}


def test_a_new_term_takes_the_contacts_logged_from_its_first_day(
        cast, django_capture_on_commit_callbacks):
    year = cast.school_year
    early = log(cast.coach, [cast.teacher], occurred_at=_noon(year.starts_on + 3 * DAY))
    log(cast.coach, [cast.teacher], occurred_at=_noon(year.starts_on + 40 * DAY))

    with django_capture_on_commit_callbacks(execute=True):
        directory.term_create(actor=cast.admin, school_year=year, name="Spring",
                              starts_on=year.starts_on + 30 * DAY, ends_on=year.ends_on)

    assert proof.differences(cast.network) == {}
    assert sorted(PairTerm.objects.values_list("bucket", "contacts")) == [
        (early.occurred_at.date().replace(day=1), 1), (year.starts_on + 30 * DAY, 1)]
    assert _pending(cast.network) == []


def test_a_new_school_year_with_terms_takes_its_contacts(
        cast, django_capture_on_commit_callbacks):
    day = timezone.localdate() - 500 * DAY
    log(cast.coach, [cast.teacher], occurred_at=_noon(day))

    with django_capture_on_commit_callbacks(execute=True):
        directory.school_year_create(
            actor=cast.admin, network=cast.network, name="Long ago", starts_on=day - 10 * DAY,
            ends_on=day + 100 * DAY, terms=[("Only", day - 10 * DAY, day + 100 * DAY)])

    assert list(PairTerm.objects.values_list("bucket", flat=True)) == [day - 10 * DAY]
    assert proof.differences(cast.network) == {}


def test_a_term_where_nothing_was_logged_queues_nothing(
        cast, django_capture_on_commit_callbacks):
    year = cast.school_year
    log(cast.coach, [cast.teacher], occurred_at=_noon(year.starts_on + 3 * DAY))
    directory.term_create(actor=cast.admin, school_year=year, name="Autumn",
                          starts_on=year.starts_on, ends_on=year.starts_on + 50 * DAY)
    recount_pending(network_id=cast.network.pk)

    with django_capture_on_commit_callbacks() as queued:
        # A later term: the contact stays in Autumn, and nothing was logged after.
        directory.term_create(actor=cast.admin, school_year=year, name="Spring",
                              starts_on=year.starts_on + 60 * DAY, ends_on=year.ends_on)

    assert (queued, _pending(cast.network)) == ([], [])
    assert proof.differences(cast.network) == {}


def test_the_worker_does_every_pending_recount_at_once(cast):
    year = cast.school_year
    for days in (5, 35, 65):
        log(cast.coach, [cast.teacher, cast.other_teacher],
            occurred_at=_noon(year.starts_on + days * DAY))
    for days, name in ((30, "Second"), (0, "First"), (60, "Third")):
        directory.term_create(actor=cast.admin, school_year=year, name=name,
                              starts_on=year.starts_on + days * DAY, ends_on=year.ends_on)

    assert len(_pending(cast.network)) == 3
    assert recount_pending(network_id=cast.network.pk) == 3
    assert proof.differences(cast.network) == {}
    assert recount_pending(network_id=cast.network.pk) == 0


def test_a_rebuild_settles_pending_recounts(cast):
    log(cast.coach, [cast.teacher], occurred_at=_sunday_night(cast, 2))
    _set_zone(cast, "Asia/Kathmandu")

    rebuild(cast.network)

    assert _pending(cast.network) == []
    assert proof.differences(cast.network) == {}


def test_report_tallies_check_says_a_network_is_being_recounted(cast):
    log(cast.coach, [cast.teacher], occurred_at=_sunday_night(cast, 2))
    _set_zone(cast, "Europe/London")
    out = io.StringIO()

    call_command("report_tallies", "--check", "--network", str(cast.network.pk), stdout=out)

    assert "Riverside (id" in out.getvalue()
    assert "being recounted after 1 change(s) of its time zone or terms" in out.getvalue()
    assert "equal the log; 1 being recounted" in out.getvalue()


# --- the support admin -------------------------------------------------------------------------


@pytest.fixture
def support(client_for):
    staff = f.PersonFactory(full_name="Sue Support", is_staff=True, is_superuser=True)
    return client_for(staff)


def _term_form(term: Term, **changes) -> dict:
    data = {"name": term.name, "school_year": term.school_year_id,
            "starts_on": term.starts_on.isoformat(), "ends_on": term.ends_on.isoformat()}
    return {**data, **changes}


def test_the_support_admin_moving_a_term_is_recounted(
        cast, support, django_capture_on_commit_callbacks):
    year = cast.school_year
    term = f.TermFactory(school_year=year, name="Spring", starts_on=year.starts_on + 30 * DAY,
                         ends_on=year.ends_on)
    log(cast.coach, [cast.teacher], occurred_at=_noon(year.starts_on + 20 * DAY))
    url = reverse("admin:directory_term_change", args=[term.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = support.post(url, _term_form(
            term, starts_on=(year.starts_on + 10 * DAY).isoformat()))

    assert response.status_code == 302
    assert list(PairTerm.objects.values_list("bucket", flat=True)) == [year.starts_on + 10 * DAY]
    assert proof.differences(cast.network) == {}


def test_the_support_admin_deleting_a_term_or_a_year_is_recounted(
        cast, support, django_capture_on_commit_callbacks):
    year = cast.school_year
    term = f.TermFactory(school_year=year, name="Spring", starts_on=year.starts_on,
                         ends_on=year.ends_on)
    other = f.SchoolYearFactory(network=cast.network, name="Before",
                                starts_on=year.starts_on - 300 * DAY,
                                ends_on=year.starts_on - DAY)
    f.TermFactory(school_year=other, name="Old", starts_on=other.starts_on,
                  ends_on=other.ends_on)
    log(cast.coach, [cast.teacher], occurred_at=_noon(year.starts_on + 20 * DAY))
    log(cast.coach, [cast.teacher], occurred_at=_noon(other.starts_on + 20 * DAY))
    rebuild(cast.network)

    with django_capture_on_commit_callbacks(execute=True):
        support.post(reverse("admin:directory_term_delete", args=[term.pk]), {"post": "yes"})
    with django_capture_on_commit_callbacks(execute=True):
        support.post(reverse("admin:directory_schoolyear_changelist"),
                     {"action": "delete_selected", "_selected_action": [other.pk],
                      "post": "yes"})

    assert not Term.objects.filter(pk=term.pk).exists()
    assert not SchoolYear.objects.filter(pk=other.pk).exists()
    assert sorted(PairTerm.objects.values_list("bucket", flat=True)) == sorted({
        (year.starts_on + 20 * DAY).replace(day=1), (other.starts_on + 20 * DAY).replace(day=1)})
    assert proof.differences(cast.network) == {}


def test_the_support_admin_changing_a_time_zone_is_recounted(
        cast, support, django_capture_on_commit_callbacks):
    log(cast.coach, [cast.teacher], occurred_at=_sunday_night(cast, 1))
    data = {key: ("" if value is None else value)
            for key, value in model_to_dict(cast.network).items()}
    data["time_zone"] = "Europe/London"

    with django_capture_on_commit_callbacks(execute=True):
        response = support.post(
            reverse("admin:directory_organisation_change", args=[cast.network.pk]), data)

    assert response.status_code == 302
    cast.network.refresh_from_db()
    assert cast.network.time_zone == "Europe/London"
    assert proof.differences(cast.network) == {}
    assert _pending(cast.network) == []


# --- which days a change of terms moves ----------------------------------------------------------

A, B, C = datetime.date(2026, 1, 5), datetime.date(2026, 4, 20), datetime.date(2026, 9, 1)


@pytest.mark.parametrize("starts, changed, expected", [
    # A term added between two: from the term before it to the next one.
    ([A, B, C], {B}, (A, C)),
    # A term deleted (its start gone): the same days.
    ([A, C], {B}, (A, C)),
    # A term moved from B to a later day: from the term before to the next after both.
    ([A, B + 10 * DAY, C], {B, B + 10 * DAY}, (A, C)),
    # The first term added: from the month before it, to the next term.
    ([A, B, C], {A}, (datetime.date(2026, 1, 1), B)),
    # The last term: to the end of time.
    ([A, B, C], {C}, (B, datetime.date.max)),
])
def test_the_days_a_change_of_terms_moves(starts, changed, expected):
    assert days_moved_by(starts, frozenset(changed)) == expected


def _noon(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(12), tzinfo=CHICAGO)
