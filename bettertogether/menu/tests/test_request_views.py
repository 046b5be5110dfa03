"""The menu and request pages doing their work: what each page shows, where each post
leads, and what it tells the person."""

import uuid

from django.contrib.messages import get_messages
from django.urls import reverse

from bettertogether.coaching.tests.support import kind
from bettertogether.menu.models import MenuItem, RequestStatus, SupportRequest
from bettertogether.menu.tests.support import ask, propose


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_item_create_adds_to_the_coachs_menu_and_says_so(cast, client_for):
    response = client_for(cast.coach).post(reverse("menu:item_create"), {
        "title": "Set up your smartboard", "kind": kind("Tech help").pk,
        "typical_minutes": "20", "outcome": "A board that works"})

    assert response["Location"] == reverse("menu:menu")
    assert _messages(response) == ["Added to the menu: Set up your smartboard"]
    item = MenuItem.objects.get()
    assert (item.coach, item.title, item.typical_minutes) == (
        cast.coach, "Set up your smartboard", 20)


def test_item_create_offers_only_kinds_with_teachers(cast, client_for):
    response = client_for(cast.coach).get(reverse("menu:item_create"))

    choices = [label for _value, label in response.context["form"].fields["kind"].choices]
    assert "Tech help" in choices
    assert not {"Planning", "Meetings", "Duties", "Own learning"} & set(choices)


def test_item_edit_switches_an_item_off(cast, client_for, item):
    response = client_for(cast.coach).post(reverse("menu:item_edit", args=[item.pk]), {
        "title": item.title, "kind": item.kind_id, "typical_minutes": "45"})

    assert response["Location"] == reverse("menu:menu")
    item.refresh_from_db()
    assert item.is_active is False


def test_network_item_create_lands_on_the_network_menu(cast, client_for):
    client = client_for(cast.admin)

    response = client.post(reverse("menu:network_item_create", args=[cast.network.pk]), {
        "title": "New-teacher welcome", "kind": kind("Check-in").pk, "typical_minutes": "30"})

    assert response["Location"] == reverse("menu:network_menu", args=[cast.network.pk])
    page = client.get(response["Location"])
    assert [i.title for i in page.context["items"]] == ["New-teacher welcome"]


def test_menu_for_the_teacher_shows_their_coaches_offers(cast, client_for, item):
    response = client_for(cast.teacher).get(reverse("menu:menu"))

    content = response.content.decode()
    ask_url = reverse("menu:request_new", args=[item.pk]) + f"?coach={cast.coach.pk}"
    assert f'href="{ask_url}"' in content
    assert "Co-plan a lesson" in content


def test_menu_of_another_coach_holds_nothing_of_cora(cast, client_for, item, asked,
                                                     second_coach):
    response = client_for(second_coach).get(reverse("menu:menu"))

    assert response.context["items"] == []
    assert response.context["open_count"] == 0
    assert b"Co-plan a lesson" not in response.content


def test_request_new_sends_the_request_and_opens_it(cast, client_for, item):
    key = str(uuid.uuid4())
    data = {"coach": cast.coach.pk, "note": "Fractions", "preferred_times": "Tuesdays",
            "idempotency_key": key}
    client = client_for(cast.teacher)

    first = client.post(reverse("menu:request_new", args=[item.pk]), data)
    again = client.post(reverse("menu:request_new", args=[item.pk]), data)

    request = SupportRequest.objects.get()
    assert first["Location"] == again["Location"] == reverse("menu:request", args=[request.pk])
    assert _messages(first) == ["Sent to Cora Coach. You will hear back here."]
    assert (request.note, request.preferred_times) == ("Fractions", "Tuesdays")


def test_request_new_with_one_coach_names_them(cast, client_for, item):
    response = client_for(cast.teacher).get(reverse("menu:request_new", args=[item.pk]))

    assert response.context["only_coach"] == cast.coach
    assert b"Your request goes to Cora Coach." in response.content
    assert response.context["form"].initial["coach"] == cast.coach.pk


def test_inbox_lists_open_requests_and_all_on_asking(cast, client_for, asked, item):
    other = ask(cast.other_teacher, cast.coach, item)
    client_for(cast.coach).post(reverse("menu:request_decline", args=[other.pk]),
                                {"decline-message": "Not now"})
    client = client_for(cast.coach)

    open_page = client.get(reverse("menu:inbox"))
    all_page = client.get(reverse("menu:inbox") + "?status=all")
    one_teacher = client.get(reverse("menu:inbox") + f"?teacher={cast.other_teacher.pk}")

    assert list(open_page.context["page"].object_list) == [asked]
    assert list(all_page.context["page"].object_list) == [other, asked]
    assert list(one_teacher.context["page"].object_list) == []


def test_inbox_of_another_coach_is_empty(cast, client_for, asked, second_coach):
    response = client_for(second_coach).get(reverse("menu:inbox") + "?status=all")

    assert list(response.context["page"].object_list) == []
    assert b"Tess Teacher" not in response.content


def test_my_requests_are_the_teachers_own(cast, client_for, asked):
    mine = client_for(cast.teacher).get(reverse("menu:my_requests"))
    theirs = client_for(cast.other_teacher).get(reverse("menu:my_requests"))

    assert list(mine.context["page"].object_list) == [asked]
    assert list(theirs.context["page"].object_list) == []


def test_request_page_shows_the_coach_the_answers_and_the_teacher_withdraw(cast, client_for,
                                                                          asked):
    coach = client_for(cast.coach).get(reverse("menu:request", args=[asked.pk]))
    teacher = client_for(cast.teacher).get(reverse("menu:request", args=[asked.pk]))

    assert {"accept", "propose", "decline"} <= set(coach.context.keys())
    assert b"Fractions unit, week 3" in coach.content
    assert reverse("menu:request_withdraw", args=[asked.pk]).encode() not in coach.content
    assert "accept" not in teacher.context
    assert b"Fractions unit, week 3" in teacher.content
    assert reverse("menu:request_withdraw", args=[asked.pk]).encode() in teacher.content


def test_request_accept_post_opens_the_new_session(cast, client_for, asked):
    response = client_for(cast.coach).post(reverse("menu:request_accept", args=[asked.pk]), {
        "accept-starts_at": "2031-03-04T15:30", "accept-ends_at": "16:15",
        "accept-location": "Room 12"})

    asked.refresh_from_db()
    assert response["Location"] == reverse("menu:session", args=[asked.session.pk])
    assert _messages(response) == ["Scheduled. The teacher has been told."]
    # The times are read in the organisation's zone: 15:30 in Chicago is 21:30 UTC.
    assert asked.session.starts_at.isoformat() == "2031-03-04T21:30:00+00:00"
    assert asked.session.ends_at.isoformat() == "2031-03-04T22:15:00+00:00"


def test_request_propose_then_take_through_the_pages(cast, client_for, asked):
    proposed = client_for(cast.coach).post(
        reverse("menu:request_propose", args=[asked.pk]),
        {"propose-starts_at": "2031-03-05T08:00", "propose-ends_at": "08:30",
         "propose-message": "Before school?"})
    page = client_for(cast.teacher).get(reverse("menu:request", args=[asked.pk]))
    taken = client_for(cast.teacher).post(reverse("menu:request_take", args=[asked.pk]))

    asked.refresh_from_db()
    assert proposed["Location"] == reverse("menu:request", args=[asked.pk])
    assert b"Before school?" in page.content
    assert reverse("menu:request_take", args=[asked.pk]).encode() in page.content
    assert taken["Location"] == reverse("menu:session", args=[asked.session.pk])
    assert _messages(taken) == ["It is in both your calendars."]
    assert asked.status == RequestStatus.SCHEDULED


def test_request_decline_post_goes_back_to_the_inbox(cast, client_for, asked):
    response = client_for(cast.coach).post(reverse("menu:request_decline", args=[asked.pk]),
                                           {"decline-message": "Not this week"})

    assert response["Location"] == reverse("menu:inbox")
    assert _messages(response) == ["Declined, with your message to the teacher."]


def test_request_withdraw_post_goes_back_to_my_requests(cast, client_for, asked):
    response = client_for(cast.teacher).post(reverse("menu:request_withdraw", args=[asked.pk]))

    assert response["Location"] == reverse("menu:my_requests")
    assert _messages(response) == ["Withdrawn."]


def test_request_take_of_a_pending_request_says_why_not(cast, client_for, asked):
    response = client_for(cast.teacher).post(reverse("menu:request_take", args=[asked.pk]))

    assert response["Location"] == reverse("menu:request", args=[asked.pk])
    assert _messages(response) == ["This request is already waiting for the coach."]


def test_request_withdraw_of_a_scheduled_request_says_why_not(cast, client_for, asked):
    propose(cast.coach, asked)
    client_for(cast.teacher).post(reverse("menu:request_take", args=[asked.pk]))

    response = client_for(cast.teacher).post(reverse("menu:request_withdraw", args=[asked.pk]))

    assert response["Location"] == reverse("menu:request", args=[asked.pk])
    assert _messages(response) == ["This request is already scheduled."]


def test_inbox_pages_keep_the_teacher_and_status_shown(cast, client_for, item):
    for _ in range(31):
        ask(cast.teacher, cast.coach, item)
    ask(cast.other_teacher, cast.coach, item)
    client = client_for(cast.coach)

    one_teacher = client.get(reverse("menu:inbox") + f"?teacher={cast.teacher.pk}")
    every_status = client.get(reverse("menu:inbox") + f"?status=all&teacher={cast.teacher.pk}")
    second_page = client.get(reverse("menu:inbox") + f"?teacher={cast.teacher.pk}&page=2")

    assert one_teacher.context["query"] == f"teacher={cast.teacher.pk}"
    assert f'href="?teacher={cast.teacher.pk}&amp;page=2"'.encode() in one_teacher.content
    assert every_status.context["query"] == f"status=all&teacher={cast.teacher.pk}"
    assert {r.teacher for r in second_page.context["page"].object_list} == {cast.teacher}
    assert len(second_page.context["page"].object_list) == 1
