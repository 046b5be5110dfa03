"""A teacher as their coach sees them, personal notes, and the teacher's own view."""

import pytest
from django.test import Client
from django.urls import reverse

from bettertogether.coaching.models import PersonalNote
from bettertogether.coaching.tests.support import log
from bettertogether.directory.models import Role
from bettertogether.directory.tests.support import assert_login_redirect
from bettertogether.testing import factories as f


@pytest.mark.parametrize(("who", "status"), [
    ("coach", 200), ("second_coach", 200), ("teacher", 404), ("other_teacher", 404),
    ("leader", 404), ("admin", 404), ("outsider", 404),
])
def test_teacher_page_only_for_coaches_of_the_teachers_school(cast, client_for, persona, who,
                                                               status):
    url = reverse("coaching:teacher", args=[cast.teacher.pk])

    assert client_for(persona(who)).get(url).status_code == status


def test_teacher_page_anonymous_redirects_to_login(cast):
    url = reverse("coaching:teacher", args=[cast.teacher.pk])

    assert_login_redirect(Client().get(url), url)


@pytest.mark.parametrize("who", ["leader", "admin", "outsider"])
def test_teacher_page_for_someone_who_does_not_teach_in_coachs_school_is_404(cast, client_for,
                                                                               who):
    rhea = f.PersonFactory(full_name="Rhea Roosevelt")
    f.MembershipFactory(person=rhea, organisation=cast.other_school, role=Role.TEACHER)
    for target in (rhea, getattr(cast, who), cast.coach):
        url = reverse("coaching:teacher", args=[target.pk])
        assert client_for(cast.coach).get(url).status_code == 404


def test_teacher_page_shows_about_timeline_notes_and_log_link(cast, client_for):
    profile = cast.teacher.profile
    profile.interests = "Runs the chess club"
    profile.save()
    log(cast.coach, [cast.teacher], "Copies and materials", shared_note="Printed 30 copies",
        private_note="Seemed stressed")
    f.PersonalNoteFactory(coach=cast.coach, teacher=cast.teacher, text="Loves jazz")

    response = client_for(cast.coach).get(reverse("coaching:teacher", args=[cast.teacher.pk]))

    content = response.content.decode()
    assert "Runs the chess club" in content
    assert [(r.kind, r.minutes, r.shared_note, r.private_note)
            for r in response.context["timeline"]] == [
        ("Copies and materials", 5, "Printed 30 copies", "Seemed stressed")]
    assert [n.text for n in response.context["notes"]] == ["Loves jazz"]
    assert "Only you see these." in content
    assert (f'href="/coaching/log/?teacher={cast.teacher.pk}&amp;'
            f'next=%2Fcoaching%2Fteachers%2F{cast.teacher.pk}%2F"') in content


def test_teacher_page_of_second_coach_shows_none_of_the_first_coachs_work(cast, client_for,
                                                                          second_coach):
    log(cast.coach, [cast.teacher], shared_note="Printed 30 copies", private_note="Stressed")
    f.PersonalNoteFactory(coach=cast.coach, teacher=cast.teacher, text="Loves jazz")

    response = client_for(second_coach).get(reverse("coaching:teacher", args=[cast.teacher.pk]))

    assert response.context["timeline"] == []
    assert list(response.context["notes"]) == []


def test_note_add_by_coach_keeps_note(cast, client_for):
    response = client_for(cast.coach).post(
        reverse("coaching:note_add", args=[cast.teacher.pk]), {"text": "Loves jazz"})

    assert response.status_code == 302
    note = PersonalNote.objects.get()
    assert (note.coach, note.teacher, note.text) == (cast.coach, cast.teacher, "Loves jazz")


def test_note_add_blank_is_422_next_to_field(cast, client_for):
    response = client_for(cast.coach).post(
        reverse("coaching:note_add", args=[cast.teacher.pk]), {"text": "  "})

    assert response.status_code == 422
    assert "text" in response.context["note_form"].errors
    assert not PersonalNote.objects.exists()


@pytest.mark.parametrize("who", ["teacher", "other_teacher", "leader", "admin", "outsider"])
def test_note_add_by_non_coach_is_404(cast, client_for, persona, who):
    response = client_for(persona(who)).post(
        reverse("coaching:note_add", args=[cast.teacher.pk]), {"text": "x"})

    assert response.status_code == 404
    assert not PersonalNote.objects.exists()


@pytest.mark.parametrize("who", ["second_coach", "teacher", "leader", "admin", "outsider"])
def test_note_delete_by_anyone_but_author_is_404(cast, client_for, persona, who):
    note = f.PersonalNoteFactory(coach=cast.coach, teacher=cast.teacher)

    response = client_for(persona(who)).post(
        reverse("coaching:note_delete", args=[cast.teacher.pk, note.pk]))

    assert response.status_code == 404
    assert PersonalNote.objects.filter(pk=note.pk).exists()


def test_note_delete_by_author_deletes(cast, client_for):
    note = f.PersonalNoteFactory(coach=cast.coach, teacher=cast.teacher)

    response = client_for(cast.coach).post(
        reverse("coaching:note_delete", args=[cast.teacher.pk, note.pk]))

    assert response.status_code == 302
    assert not PersonalNote.objects.exists()


# --- the teacher's own view -----------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [
    ("teacher", 200), ("other_teacher", 200), ("coach", 404), ("second_coach", 404),
    ("leader", 404), ("admin", 404), ("outsider", 404),
])
def test_mine_only_for_teachers(cast, client_for, persona, who, status):
    assert client_for(persona(who)).get(reverse("coaching:mine")).status_code == status


def test_mine_shows_coaches_and_every_coachs_shared_notes_only(cast, client_for, second_coach):
    log(cast.coach, [cast.teacher], "Tech help", shared_note="Fixed the projector",
        private_note="Nervous about tech")
    log(second_coach, [cast.teacher], "Observation", shared_note="Great questioning")
    log(cast.coach, [cast.other_teacher], "Check-in", shared_note="Not for Tess")

    response = client_for(cast.teacher).get(reverse("coaching:mine"))

    assert [a.coach for a in response.context["coaches"]] == [cast.coach]
    assert [(r.kind, r.coach_name, r.shared_note, r.private_note)
            for r in response.context["timeline"]] == [
        ("Observation", "Sam Second", "Great questioning", ""),
        ("Tech help", "Cora Coach", "Fixed the projector", ""),
    ]
    assert "Nervous about tech" not in response.content.decode()
