"""Bad input gets a clear message and changes nothing; a second click does nothing twice.

- Control characters pasted from a word processor are taken out of every form's data
  before it is read, and out of every export cell, so an Excel export cannot fail on them.
- Ids past the database's integer range in a multiple choice, and dates outside the span,
  are answered next to the field.
- A post form's key (`{% form_guard %}`) makes a double click or a replay do its work once.
- A request larger than its page takes is refused before its body is read.
"""

from __future__ import annotations

import datetime
import io
import re
import uuid
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from bettertogether.coaching.models import Interaction, PersonalNote
from bettertogether.coaching.tests.support import log
from bettertogether.core import once
from bettertogether.core.fields import DateField, DateTimeField, ModelMultipleChoiceField
from bettertogether.core.models import Submission
from bettertogether.directory.models import Person
from bettertogether.goals.models import GrowthGoal
from bettertogether.reports import exports

ROOT = Path(__file__).resolve().parents[2]
KEY = re.compile(r'name="submission" value="([0-9a-f-]{36})"')


def _key_from(response) -> str:
    match = KEY.search(response.content.decode())
    assert match, "the page's post form carries no submission key"
    return match.group(1)


# --- control characters ------------------------------------------------------------------


def test_control_characters_are_taken_out_before_a_form_reads_them(cast, client_for):
    client = client_for(cast.teacher)
    response = client.post(reverse("goals:growth_new"), {
        "title": "Fractions\x0b with \x1bmanipulatives\x0c",
        "description": "Line one\r\nline two\tand a tab\x07"})
    assert response.status_code == 302
    goal = GrowthGoal.objects.get(teacher=cast.teacher)
    assert goal.title == "Fractions with manipulatives"
    assert goal.description == "Line one\r\nline two\tand a tab"


def test_an_excel_export_of_text_that_holds_control_characters_opens(cast, client_for):
    entry = log(cast.coach, [cast.teacher], shared_note="Before")
    # Text that arrived before the rule, or by another road, straight into the table.
    Interaction.objects.filter(pk=entry.pk).update(shared_note="Soft\x0bbreak and \x1bescape")
    response = client_for(cast.coach).get(reverse("reports:coach_log_export", args=["xlsx"]))
    assert response.status_code == 200
    cells = [str(c.value) for row in load_workbook(io.BytesIO(response.content)).active.rows
             for c in row if c.value is not None]
    assert "Softbreak and escape" in cells
    assert not any(re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", c) for c in cells)


def test_export_cells_lose_control_characters_and_keep_tabs_out_of_formula_reach():
    assert exports._safe("a\x0bb\x1b") == "ab"
    assert exports._safe("=SUM(A1)") == "'=SUM(A1)"


# --- numbers and dates no database holds --------------------------------------------------


@pytest.mark.parametrize("value", ["99999999999999999999", str(2**63), "-99999999999999999999"])
def test_a_multiple_choice_refuses_an_id_past_the_integer_range(db, value):
    field = ModelMultipleChoiceField(queryset=Person.objects.all())
    with pytest.raises(ValidationError) as refused:
        field.clean([value])
    assert refused.value.code == "invalid_choice"


def test_the_quick_log_answers_an_id_past_the_integer_range_next_to_the_field(
        cast, client_for):
    before = Interaction.objects.count()
    response = client_for(cast.coach).post(reverse("coaching:log"), {
        "kind": "", "teachers": ["99999999999999999999999"], "minutes": "15",
        "idempotency_key": str(uuid.uuid4())})
    assert response.status_code in (200, 422)
    assert "Select a valid choice" in response.content.decode()
    assert Interaction.objects.count() == before


@pytest.mark.parametrize("typed", ["0001-01-01", "9999-12-31", "1999-12-31", "2100-01-01"])
def test_a_date_outside_the_span_is_answered_next_to_the_field(typed):
    with pytest.raises(ValidationError) as refused:
        DateField().clean(typed)
    assert "Choose a date from 1 January 2000 to 31 December 2099." in refused.value.messages
    with pytest.raises(ValidationError):
        DateTimeField().clean(f"{typed} 10:00")


def test_a_date_field_offers_only_days_in_the_span():
    html = DateField(widget=forms.DateInput(attrs={"type": "date"})).widget.render("d", None)
    assert 'min="2000-01-01"' in html and 'max="2099-12-31"' in html
    assert DateField().clean("2026-09-01") == datetime.date(2026, 9, 1)


def test_every_form_takes_its_dates_and_multiple_choices_from_core():
    """Django's own fields let a date in year 9999 or an id past the integer range through
    to the database: every form uses core.fields' instead."""
    offenders = []
    for path in (ROOT / "bettertogether").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts or path.name == "fields.py":
            continue
        text = path.read_text()
        for name in ("forms.DateField(", "forms.DateTimeField(",
                     "forms.ModelMultipleChoiceField("):
            if name in text:
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert offenders == []


# --- a second click ----------------------------------------------------------------------


def test_every_post_form_carries_its_key():
    """Every post form renders `{% form_guard %}` (the CSRF token and the submission key),
    itself or through the shared post form; signing out needs no key."""
    missing = []
    form = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)
    for path in (ROOT / "bettertogether").rglob("templates/**/*.html"):
        if "testing" in path.parts:  # the stand-in sign-in provider is not the product
            continue
        for body in form.findall(path.read_text()):
            if "{% form_guard %}" in body or "includes/post_form.html" in body:
                continue
            if "accounts:logout" in path.read_text() and "Sign out" in body:
                continue
            missing.append(str(path.relative_to(ROOT)))
    assert missing == []


def test_a_double_click_adds_a_growth_goal_once_and_both_land_on_the_same_page(
        cast, client_for):
    client = client_for(cast.teacher)
    key = _key_from(client.get(reverse("goals:growth_new")))
    data = {"title": "Use exit tickets daily", "description": "", "submission": key}
    first = client.post(reverse("goals:growth_new"), data)
    second = client.post(reverse("goals:growth_new"), data)
    assert first.status_code == 302
    assert second.status_code == 303 and second["Location"] == first["Location"]
    assert GrowthGoal.objects.filter(teacher=cast.teacher).count() == 1
    page = client.get(second["Location"]).content.decode()
    assert "That was already done: it was sent once." in page


def test_a_replayed_personal_note_is_kept_once(cast, client_for):
    client = client_for(cast.coach)
    url = reverse("coaching:note_add", args=[cast.teacher.pk])
    key = _key_from(client.get(reverse("coaching:teacher", args=[cast.teacher.pk])))
    for _ in range(3):
        client.post(url, {"text": "Prefers mornings", "submission": key})
    assert PersonalNote.objects.filter(coach=cast.coach, teacher=cast.teacher).count() == 1


def test_a_form_shown_again_with_a_message_lets_its_key_go(cast, client_for):
    client = client_for(cast.teacher)
    key = str(uuid.uuid4())
    refused = client.post(reverse("goals:growth_new"), {"title": "", "submission": key})
    assert refused.status_code == 422
    assert not Submission.objects.filter(key=key).exists()
    fixed = client.post(reverse("goals:growth_new"), {"title": "Wait time", "submission": key})
    assert fixed.status_code == 302
    assert GrowthGoal.objects.filter(teacher=cast.teacher).count() == 1


def test_a_second_click_while_the_first_still_runs_does_nothing(
        cast, client_for, monkeypatch):
    monkeypatch.setattr(once, "WAIT_SECONDS", 0.2)
    key = uuid.uuid4()
    Submission.objects.create(person=cast.teacher, key=key, path="/goals/growth/new/")
    response = client_for(cast.teacher).post(
        reverse("goals:growth_new"), {"title": "Wait time", "submission": str(key)},
        HTTP_REFERER="http://testserver/goals/")
    assert response.status_code == 303 and response["Location"] == "http://testserver/goals/"
    assert not GrowthGoal.objects.exists()


def test_the_same_key_from_two_people_is_two_posts(cast, client_for):
    key = str(uuid.uuid4())
    for person in (cast.teacher, cast.other_teacher):
        client_for(person).post(reverse("goals:growth_new"),
                                {"title": "Wait time", "submission": key})
    assert GrowthGoal.objects.count() == 2


def test_keys_older_than_a_day_are_cleared_when_a_new_one_comes(cast, client_for):
    old = Submission.objects.create(
        person=cast.teacher, key=uuid.uuid4(), path="/", location="/goals/",
        created_at=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    client_for(cast.teacher).post(reverse("goals:growth_new"),
                                  {"title": "Wait time", "submission": str(uuid.uuid4())})
    assert not Submission.objects.filter(pk=old.pk).exists()


# --- bodies too large --------------------------------------------------------------------


def test_a_request_larger_than_a_form_takes_is_refused_unread(cast, client_for, settings):
    settings.MAX_REQUEST_BYTES = 64 * 1024
    response = client_for(cast.teacher).post(
        reverse("goals:growth_new"), {"title": "x" * (100 * 1024)})
    assert response.status_code == 413
    assert "That was too large to send" in response.content.decode()
    assert not GrowthGoal.objects.exists()


def test_a_page_that_takes_a_file_allows_its_own_size(cast, client_for, settings):
    settings.MAX_REQUEST_BYTES = 64 * 1024
    upload = io.BytesIO(b"sourcedId,email\n" + b"x" * (200 * 1024))
    upload.name = "users.csv"
    response = client_for(cast.admin).post(reverse("rostering:imports"), {
        "network": cast.network.pk, "file": upload})
    assert response.status_code != 413
