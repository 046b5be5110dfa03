"""Every write of the menu leaves one activity entry: who did what to which object, with the
item's or session's title, never a note, preferred times, a coach's message or an agenda."""

import datetime

from django.utils import timezone

from bettertogether.activity.models import ActivityEntry
from bettertogether.menu import services, sessions
from bettertogether.menu.tests.support import (
    accept,
    an_item,
    ask,
    log_session,
    move,
    propose,
    schedule,
)

NOTE = "ACTIVITY-NOTE-51c2"
TIMES = "ACTIVITY-TIMES-8e0d"
MESSAGE = "ACTIVITY-MESSAGE-3fa7"
AGENDA = "ACTIVITY-AGENDA-a91b"
PRIVATE = "ACTIVITY-PRIVATE-07d4"
SECRETS = (NOTE, TIMES, MESSAGE, AGENDA, PRIVATE)


def _entries_since(pk):
    return list(ActivityEntry.objects.filter(pk__gt=pk).order_by("pk").values_list(
        "actor_id", "action", "target_type", "target_label", "organisation_id"))


def _last():
    return ActivityEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _ask(cast, item):
    return ask(cast.teacher, cast.coach, item, note=NOTE, preferred_times=TIMES)


def test_request_create_records_the_item_title(cast, item):
    before = _last()

    request = _ask(cast, item)

    assert _entries_since(before) == [
        (cast.teacher.pk, "request.create", "menu.supportrequest", "Co-plan a lesson",
         cast.school.pk)]
    assert ActivityEntry.objects.get(pk__gt=before).target_id == request.pk


def test_request_accept_records_the_answer_and_the_session(cast, item):
    request = _ask(cast, item)
    before = _last()

    session = accept(cast.coach, request, message=MESSAGE)

    assert _entries_since(before) == [
        (cast.coach.pk, "session.schedule", "menu.coachingsession",
         f"Co-planning session {session.pk}", cast.school.pk),
        (cast.coach.pk, "request.accept", "menu.supportrequest", "Co-plan a lesson",
         cast.school.pk),
    ]


def test_request_propose_and_take_record_who_did_each(cast, item):
    request = _ask(cast, item)
    before = _last()

    propose(cast.coach, request, message=MESSAGE)
    session = services.request_take_proposal(actor=cast.teacher, request=request)

    assert _entries_since(before) == [
        (cast.coach.pk, "request.propose", "menu.supportrequest", "Co-plan a lesson",
         cast.school.pk),
        (cast.teacher.pk, "session.schedule", "menu.coachingsession",
         f"Co-planning session {session.pk}", cast.school.pk),
        (cast.teacher.pk, "request.take_proposal", "menu.supportrequest", "Co-plan a lesson",
         cast.school.pk),
    ]


def test_request_decline_and_withdraw_record_the_item_title(cast, item):
    declined, withdrawn = _ask(cast, item), _ask(cast, item)
    before = _last()

    services.request_decline(actor=cast.coach, request=declined, message=MESSAGE)
    services.request_withdraw(actor=cast.teacher, request=withdrawn)

    assert _entries_since(before) == [
        (cast.coach.pk, "request.decline", "menu.supportrequest", "Co-plan a lesson",
         cast.school.pk),
        (cast.teacher.pk, "request.withdraw", "menu.supportrequest", "Co-plan a lesson",
         cast.school.pk),
    ]


def test_session_writes_record_the_kind_never_the_coachs_title(cast):
    """A session's title may be the coach's own words: its entries name the kind only."""
    before = _last()
    started = timezone.now().replace(second=0, microsecond=0) - datetime.timedelta(hours=1)

    session = schedule(cast.coach, [cast.teacher], agenda=AGENDA)
    move(cast.coach, session, session.starts_at + datetime.timedelta(hours=1),
         agenda=AGENDA + " too")
    sessions.session_cancel(actor=cast.coach, session=session)
    done = schedule(cast.coach, [cast.teacher], title="Debrief", starts_at=started)
    log_session(cast.coach, done, private_note=PRIVATE, shared_note=NOTE)

    first, second = (f"{session.kind.name} session {session.pk}",
                     f"{done.kind.name} session {done.pk}")
    assert _entries_since(before) == [
        (cast.coach.pk, "session.schedule", "menu.coachingsession", first, cast.school.pk),
        (cast.coach.pk, "session.update", "menu.coachingsession", first, cast.school.pk),
        (cast.coach.pk, "session.cancel", "menu.coachingsession", first, cast.school.pk),
        (cast.coach.pk, "session.schedule", "menu.coachingsession", second, cast.school.pk),
        (cast.coach.pk, "interaction.log", "coaching.interaction", "Co-planning",
         cast.school.pk),
        (cast.coach.pk, "session.log", "menu.coachingsession", second, cast.school.pk),
    ]
    assert not ActivityEntry.objects.filter(target_label__contains="Grade 3 team").exists()
    update = ActivityEntry.objects.get(action="session.update")
    assert update.details == {"fields": ["starts_at", "ends_at", "agenda"]}


def test_calendar_feed_writes_record_the_person_only(cast):
    before = _last()

    services.calendar_feed_reset(actor=cast.teacher)
    services.calendar_feed_reset(actor=cast.teacher)
    services.calendar_feed_revoke(actor=cast.teacher)
    services.calendar_feed_revoke(actor=cast.teacher)

    assert [row[:2] + row[3:] for row in _entries_since(before)] == [
        (cast.teacher.pk, "calendar_feed.create", "Tess Teacher", None),
        (cast.teacher.pk, "calendar_feed.reset", "Tess Teacher", None),
        (cast.teacher.pk, "calendar_feed.revoke", "Tess Teacher", None),
    ]


def test_no_write_puts_confidential_text_in_the_activity_log(cast):
    item = an_item(cast.coach, description=NOTE, outcome=TIMES)
    request = _ask(cast, item)
    propose(cast.coach, request, message=MESSAGE)
    session = accept(cast.coach, request, message=MESSAGE)
    move(cast.coach, session, session.starts_at, agenda=AGENDA)
    sessions.session_cancel(actor=cast.coach, session=session)
    services.request_decline(actor=cast.coach, request=request, message=MESSAGE)
    other = schedule(cast.coach, [cast.teacher], agenda=AGENDA,
                             starts_at=timezone.now() - datetime.timedelta(hours=2))
    log_session(cast.coach, other, private_note=PRIVATE, shared_note=NOTE)

    rows = repr(list(ActivityEntry.objects.values()))

    assert ActivityEntry.objects.filter(action__startswith="request.").count() == 4
    assert not any(secret in rows for secret in SECRETS)
