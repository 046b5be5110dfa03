"""Requests and sessions appear on a teacher's timeline, as titles and statuses only."""

import datetime

from django.urls import reverse
from django.utils import timezone

from bettertogether.coaching.selectors import timeline_for
from bettertogether.coaching.tests.support import kind
from bettertogether.menu import services, sessions
from bettertogether.menu.tests.support import accept, an_item, ask, at


def test_timeline_shows_requests_and_unlogged_sessions_to_the_coach(cast, asked):
    session = services.request_accept(actor=cast.coach, request=asked, starts_at=at(1),
                                      ends_at=at(1, 15, 45))

    rows = timeline_for(actor=cast.coach, teacher=cast.teacher)

    assert [(row.title, row.status, row.url) for row in rows] == [
        ("Session: Co-plan a lesson", "Scheduled", reverse("menu:session", args=[session.pk])),
        ("Asked for Co-plan a lesson", "Scheduled", reverse("menu:request", args=[asked.pk])),
    ]


def test_timeline_leaves_out_a_logged_session_and_shows_its_interaction(cast, asked):
    began = timezone.now() - datetime.timedelta(hours=1)
    session = accept(cast.coach, asked, starts_at=began)
    sessions.session_log(actor=cast.coach, session=session, kind=kind("Co-planning"),
                         teachers=[cast.teacher], minutes=45, occurred_at=session.starts_at)

    rows = timeline_for(actor=cast.teacher, teacher=cast.teacher)

    # The request was made just now; the session it became began an hour ago.
    assert [(row.is_event, row.title if row.is_event else row.kind) for row in rows] == [
        (True, "Asked for Co-plan a lesson"), (False, "Co-planning")]


def test_timeline_of_another_coach_holds_nothing_of_this_pair(cast, second_coach, asked):
    other = an_item(second_coach, title="Set up your smartboard", kind_name="Tech help")
    ask(cast.teacher, second_coach, other)

    coach_rows = timeline_for(actor=cast.coach, teacher=cast.teacher)
    second_rows = timeline_for(actor=second_coach, teacher=cast.teacher)
    own_rows = timeline_for(actor=cast.teacher, teacher=cast.teacher)

    assert [row.title for row in coach_rows] == ["Asked for Co-plan a lesson"]
    assert [row.title for row in second_rows] == ["Asked for Set up your smartboard"]
    assert sorted(row.title for row in own_rows) == ["Asked for Co-plan a lesson",
                                                     "Asked for Set up your smartboard"]


def test_teacher_page_links_to_the_request(cast, client_for, asked):
    response = client_for(cast.coach).get(reverse("coaching:teacher", args=[cast.teacher.pk]))

    content = response.content.decode()
    assert f'href="{reverse("menu:request", args=[asked.pk])}"' in content
    assert "Fractions unit, week 3" not in content  # the note stays on the request page
