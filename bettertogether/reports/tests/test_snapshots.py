"""Snapshots: a coach's report, frozen and shared read-only with one named leader."""

from __future__ import annotations

import datetime
import json
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bettertogether.activity.models import ActivityEntry
from bettertogether.coaching.tests.support import log
from bettertogether.directory.models import Role
from bettertogether.notifications.models import Notification
from bettertogether.reports import services
from bettertogether.reports.engine import Filters, build_report
from bettertogether.reports.models import ReportSnapshot
from bettertogether.testing import factories as f

NEW = reverse("reports:snapshot_new")


def _moment(days_ago: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _filters() -> Filters:
    today = timezone.localdate()
    return Filters(start=today - datetime.timedelta(days=60), end=today)


def _post(client, leader, *, key=None, query="", title="Autumn so far", message=""):
    return client.post(NEW + query, {
        "leader": leader.pk, "title": title, "message": message,
        "idempotency_key": str(key or uuid.uuid4()),
    })


def _publish(cast, **extra) -> ReportSnapshot:
    values = {"actor": cast.coach, "leader": cast.leader, "title": "Autumn so far",
              "message": "", "filters": _filters(), "idempotency_key": uuid.uuid4()}
    return services.snapshot_publish(**{**values, **extra})


def _url(snapshot) -> str:
    return reverse("reports:snapshot", args=[snapshot.token])


# --- publishing -------------------------------------------------------------------------


def test_snapshot_new_shows_the_period_filters_and_leaders(cast, client_for):
    log(cast.coach, [cast.teacher], occurred_at=_moment(3), minutes=60)
    response = client_for(cast.coach).get(NEW)
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["preview"]["audience"] == "leader"
    assert response.context["preview"]["period"]["label"] in html
    assert [p.pk for p in response.context["leaders"]] == [cast.admin.pk, cast.leader.pk]
    assert "Lena Leader" in html and "Adam Admin" in html
    assert "Olive Outsider" not in html


def test_snapshot_new_is_404_for_someone_not_a_coach(cast, client_for):
    for person in (cast.teacher, cast.leader, cast.admin, cast.outsider):
        assert client_for(person).get(NEW).status_code == 404
        assert _post(client_for(person), cast.leader).status_code == 404
    assert ReportSnapshot.objects.count() == 0


def test_coach_publishes_to_their_leader(cast, client_for):
    log(cast.coach, [cast.teacher], occurred_at=_moment(3), minutes=60)
    client = client_for(cast.coach)
    response = _post(client, cast.leader, message="Ready for Thursday")
    snapshot = ReportSnapshot.objects.get()
    assert response.status_code == 302
    assert response.url == _url(snapshot)
    assert (snapshot.coach, snapshot.leader, snapshot.network, snapshot.title,
            snapshot.message) == (cast.coach, cast.leader, cast.network, "Autumn so far",
                                  "Ready for Thursday")
    assert snapshot.data["audience"] == "leader"
    assert snapshot.data["headline"][0]["value"] == 1.0
    followed = client.get(response.url)
    assert "Shared with Lena Leader" in followed.content.decode()


def test_publishing_keeps_the_query_string_filters(cast, client_for):
    log(cast.coach, [cast.teacher], occurred_at=_moment(3), minutes=60)
    start = timezone.localdate() - datetime.timedelta(days=10)
    end = timezone.localdate()
    _post(client_for(cast.coach), cast.leader, query=f"?start={start}&end={end}")
    assert ReportSnapshot.objects.get().filters == {"start": start.isoformat(),
                                                    "end": end.isoformat()}


def test_publishing_with_unreadable_filters_is_422_and_creates_nothing(cast, client_for):
    response = _post(client_for(cast.coach), cast.leader, query="?start=2026-05-01&end=2026-01-01")
    assert response.status_code == 422
    assert "The end comes before the start" in response.content.decode()
    assert ReportSnapshot.objects.count() == 0


def test_publishing_records_activity_without_the_coaches_words(cast):
    snapshot = _publish(cast, title="Private title 7f3a", message="Private message 7f3a")
    entry = ActivityEntry.objects.get(action="report_snapshot.publish")
    assert (entry.actor, entry.target_id, entry.target_label, entry.network_id) == (
        cast.coach, snapshot.pk, "Lena Leader", cast.network.pk)
    assert not ActivityEntry.objects.filter(target_label__contains="7f3a").exists()
    assert "7f3a" not in json.dumps(list(ActivityEntry.objects.values("details")))


def test_publishing_notifies_the_leader_from_metadata_only(cast):
    snapshot = _publish(cast, title="Private title 7f3a", message="Private message 7f3a")
    notification = Notification.objects.get(recipient=cast.leader)
    assert (notification.kind, notification.url, notification.title) == (
        Notification.Kind.REPORT_SHARED, _url(snapshot), "Cora Coach shared a report with you")


def test_double_post_with_one_key_makes_one_snapshot(cast, client_for):
    client = client_for(cast.coach)
    key = uuid.uuid4()
    first = _post(client, cast.leader, key=key)
    second = _post(client, cast.leader, key=key)
    snapshot = ReportSnapshot.objects.get()
    assert first.url == second.url == _url(snapshot)
    assert ActivityEntry.objects.filter(action="report_snapshot.publish").count() == 1
    assert Notification.objects.filter(recipient=cast.leader).count() == 1


@pytest.mark.parametrize("who", ["teacher", "outsider", "other_teacher"])
def test_publishing_to_someone_not_an_allowed_leader_fails(cast, client_for, who):
    response = _post(client_for(cast.coach), getattr(cast, who))
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert ReportSnapshot.objects.count() == 0


def test_the_service_refuses_a_leader_outside_the_coaches_schools(cast):
    with pytest.raises(ValidationError) as error:
        _publish(cast, leader=cast.outsider)
    assert error.value.message_dict["leader"] == [
        "You can share a snapshot only with a leader of a school you coach in or an admin "
        "of your network."]
    assert ReportSnapshot.objects.count() == 0
    assert ActivityEntry.objects.filter(action="report_snapshot.publish").count() == 0


def test_the_service_refuses_someone_not_a_coach(cast):
    with pytest.raises(PermissionDenied):
        _publish(cast, actor=cast.leader, leader=cast.admin)
    assert ReportSnapshot.objects.count() == 0


def test_a_missing_title_is_422_and_creates_nothing(cast, client_for):
    response = _post(client_for(cast.coach), cast.leader, title="")
    assert response.status_code == 422
    assert ReportSnapshot.objects.count() == 0


# --- reading ----------------------------------------------------------------------------


def test_the_leader_opens_it_and_sees_the_figures(cast, client_for):
    log(cast.coach, [cast.teacher], occurred_at=_moment(3), minutes=90)
    snapshot = _publish(cast, message="See the <b>co-teaching</b>")
    response = client_for(cast.leader).get(_url(snapshot))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Hours logged" in html and ">1.5<" in html
    assert "the figures do not change" in html
    assert "Shared by Cora Coach with Lena Leader" in html
    assert "See the &lt;b&gt;co-teaching&lt;/b&gt;" in html
    assert "<b>co-teaching</b>" not in html
    assert "Withdraw" not in html


@pytest.mark.parametrize("who", ["admin", "teacher", "other_teacher", "outsider",
                                 "other_leader", "other_coach"])
def test_anyone_but_the_coach_and_the_named_leader_gets_404(cast, client_for, who):
    people = {
        "other_leader": f.MembershipFactory(organisation=cast.school,
                                            role=Role.SCHOOL_LEADER).person,
        "other_coach": f.MembershipFactory(organisation=cast.school, role=Role.COACH).person,
    }
    snapshot = _publish(cast)
    person = people.get(who) or getattr(cast, who)
    client = client_for(person)
    assert client.get(_url(snapshot)).status_code == 404
    withdraw = reverse("reports:snapshot_withdraw", args=[snapshot.token])
    assert client.post(withdraw).status_code == 404
    assert ReportSnapshot.objects.get().withdrawn_at is None


def test_an_unknown_token_is_404(cast, client_for):
    response = client_for(cast.coach).get(reverse("reports:snapshot", args=[uuid.uuid4()]))
    assert response.status_code == 404


def test_the_coach_sees_a_withdraw_button(cast, client_for):
    snapshot = _publish(cast)
    html = client_for(cast.coach).get(_url(snapshot)).content.decode()
    assert reverse("reports:snapshot_withdraw", args=[snapshot.token]) in html
    assert "data-confirm=" in html


def test_the_snapshot_is_frozen(cast, client_for):
    log(cast.coach, [cast.teacher], occurred_at=_moment(3), minutes=60)
    snapshot = _publish(cast)
    frozen = json.loads(json.dumps(snapshot.data))
    log(cast.coach, [cast.teacher], occurred_at=_moment(2), minutes=120)
    log(cast.coach, [cast.other_teacher], occurred_at=_moment(1), minutes=30)

    snapshot.refresh_from_db()
    assert snapshot.data == frozen
    response = client_for(cast.leader).get(_url(snapshot))
    assert response.context["report"] == frozen
    assert response.context["report"]["headline"][0]["value"] == 1.0
    live = build_report(scope=services.snapshot_scope(actor=cast.coach), filters=_filters())
    assert live["headline"][0]["value"] == 3.5


def test_no_note_reaches_the_snapshot(cast, client_for):
    canaries = ["CANARY-shared-91c4", "CANARY-private-91c4", "CANARY-personal-91c4"]
    log(cast.coach, [cast.teacher], occurred_at=_moment(3), minutes=45,
        shared_note=canaries[0], private_note=canaries[1])
    log(cast.coach, [], kind_name="Planning", occurred_at=_moment(2), minutes=30,
        private_note=canaries[1])
    f.PersonalNoteFactory(coach=cast.coach, teacher=cast.teacher, text=canaries[2])
    _post(client_for(cast.coach), cast.leader)
    snapshot = ReportSnapshot.objects.get()

    stored = json.dumps(snapshot.data) + json.dumps(snapshot.filters)
    pages = [client_for(person).get(_url(snapshot)).content.decode()
             for person in (cast.leader, cast.coach)]
    for canary in canaries:
        assert canary not in stored
        for html in pages:
            assert canary not in html


def test_a_grade_with_fewer_than_five_teachers_is_suppressed(cast, client_for):
    grade = f.GradeLevelFactory(network=cast.network, name="Grade 3")
    cast.teacher.profile.grades.add(grade)
    log(cast.coach, [cast.teacher], occurred_at=_moment(3), minutes=60)
    _post(client_for(cast.coach), cast.leader, query=f"?grade={grade.pk}")
    snapshot = ReportSnapshot.objects.get()
    assert snapshot.filters["grade_id"] == grade.pk
    assert snapshot.data["suppressed"]
    assert snapshot.data["sections"] == snapshot.data["headline"] == []
    html = client_for(cast.leader).get(_url(snapshot)).content.decode()
    assert "Nothing to show for so few teachers" in html


def test_the_snapshot_page_query_count_does_not_grow(cast, client_for,
                                                    django_assert_num_queries):
    log(cast.coach, [cast.teacher], occurred_at=_moment(3), minutes=60)
    small = _publish(cast)
    client = client_for(cast.leader)
    client.get(_url(small))
    with CaptureQueriesContext(connection) as one:
        client.get(_url(small))

    teachers = [cast.teacher, cast.other_teacher]
    for n in range(6):
        person = f.PersonFactory(full_name=f"Extra {n}")
        f.MembershipFactory(person=person, organisation=cast.school, role=Role.TEACHER)
        f.CaseloadAssignmentFactory(coach=cast.coach, teacher=person, school=cast.school,
                                    school_year=cast.school_year)
        teachers.append(person)
    for n in range(30):
        log(cast.coach, [teachers[n % len(teachers)]], occurred_at=_moment(n % 50 + 1),
            minutes=15 + n)
    large = _publish(cast)
    assert len(large.data["sections"]) >= len(small.data["sections"])

    with django_assert_num_queries(len(one)):
        response = client.get(_url(large))
    assert response.status_code == 200


# --- withdrawing ------------------------------------------------------------------------


def test_after_withdrawal_the_leader_gets_404_and_the_coach_still_sees_it(cast, client_for):
    snapshot = _publish(cast)
    coach = client_for(cast.coach)
    response = coach.post(reverse("reports:snapshot_withdraw", args=[snapshot.token]))
    assert response.status_code == 302
    assert response.url == reverse("reports:index")
    assert "Lena Leader can no longer open it" in coach.get(response.url).content.decode()

    snapshot.refresh_from_db()
    assert snapshot.withdrawn_at is not None
    assert client_for(cast.leader).get(_url(snapshot)).status_code == 404
    html = coach.get(_url(snapshot)).content.decode()
    assert "Withdrawn on" in html
    assert reverse("reports:snapshot_withdraw", args=[snapshot.token]) not in html


def test_withdrawing_twice_is_once(cast):
    snapshot = _publish(cast)
    services.snapshot_withdraw(actor=cast.coach, snapshot=snapshot)
    first = snapshot.withdrawn_at
    services.snapshot_withdraw(actor=cast.coach, snapshot=snapshot)
    assert snapshot.withdrawn_at == first
    entry = ActivityEntry.objects.get(action="report_snapshot.withdraw")
    assert (entry.actor, entry.target_id, entry.target_label) == (
        cast.coach, snapshot.pk, "Lena Leader")


def test_only_the_coach_withdraws_in_the_service(cast):
    snapshot = _publish(cast)
    with pytest.raises(PermissionDenied):
        services.snapshot_withdraw(actor=cast.leader, snapshot=snapshot)
    snapshot.refresh_from_db()
    assert snapshot.withdrawn_at is None


def test_withdraw_is_post_only(cast, client_for):
    snapshot = _publish(cast)
    response = client_for(cast.coach).get(
        reverse("reports:snapshot_withdraw", args=[snapshot.token]))
    assert response.status_code == 405
