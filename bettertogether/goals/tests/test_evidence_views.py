"""The evidence views as every member of the cast, bad input, double submissions, the file
door, and the cycle page's cost."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from bettertogether.directory.tests.support import assert_login_redirect, count_queries
from bettertogether.goals import cycles, evidence
from bettertogether.goals.models import EvidenceMeasure, EvidencePoint, EvidenceSample
from bettertogether.goals.tests.evidence_support import (
    PDF,
    PNG,
    days_ago,
    running_cycle,
    score_measure,
    score_point,
    share_measure,
    share_point,
    upload,
)

NOT_THEIRS = ["other_teacher", "second_coach", "leader", "admin", "outsider"]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def cycle(cast):
    return running_cycle(cast)


@pytest.fixture
def measure(cast, cycle):
    return share_measure(cast.coach, cycle)


def _point_data(measure, **values):
    data = {"moment": "before", "taken_on": days_ago(20).isoformat(), "students": "20",
            "meeting_target": "8"}
    data.update(values)
    return {f"point-{measure.pk}-{key}": value for key, value in data.items()}


# Each case: (method, url, data or a file to post) built from the cast, cycle and measure.
def _measure_add(cast, cycle, measure):
    return "post", reverse("goals:measure_add", args=[cycle.pk]), {
        "measure-name": "Quiz", "measure-kind": "score", "measure-scale_max": "10"}


def _measure_edit_get(cast, cycle, measure):
    return "get", reverse("goals:measure_edit", args=[cycle.pk, measure.pk]), None


def _measure_edit_post(cast, cycle, measure):
    return "post", reverse("goals:measure_edit", args=[cycle.pk, measure.pk]), {
        "measure-name": "Renamed", "measure-kind": "share"}


def _measure_delete(cast, cycle, measure):
    return "post", reverse("goals:measure_delete", args=[cycle.pk, measure.pk]), {}


def _point_add(cast, cycle, measure):
    return "post", reverse("goals:point_add", args=[cycle.pk, measure.pk]), _point_data(
        measure)


def _point_delete(cast, cycle, measure):
    point = share_point(cast.coach, measure, "before", 20, 8)
    return "post", reverse("goals:point_delete", args=[cycle.pk, point.pk]), {}


def _sample_upload(cast, cycle, measure):
    return "post", reverse("goals:sample_upload", args=[cycle.pk]), {
        "sample-file": upload(), "sample-description": "Start of the cycle"}


def _a_sample(cast, cycle):
    return evidence.sample_upload(actor=cast.coach, cycle=cycle, file=upload())


def _sample_delete(cast, cycle, measure):
    sample = _a_sample(cast, cycle)
    return "post", reverse("goals:sample_delete", args=[cycle.pk, sample.pk]), {}


def _sample_file(cast, cycle, measure):
    sample = _a_sample(cast, cycle)
    return "get", reverse("goals:sample_file", args=[cycle.pk, sample.pk]), None


CASES = [_measure_add, _measure_edit_get, _measure_edit_post, _measure_delete, _point_add,
         _point_delete, _sample_upload, _sample_delete, _sample_file]


def _state():
    return (list(EvidenceMeasure.objects.values_list("pk", "name")),
            list(EvidencePoint.objects.values_list("pk", flat=True)),
            list(EvidenceSample.objects.values_list("pk", flat=True)))


def _send(client, method, url, data):
    return client.get(url) if method == "get" else client.post(url, data)


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("who", ["coach", "teacher"])
def test_evidence_views_work_for_the_pair(cast, cycle, measure, client_for, persona, case,
                                          who):
    method, url, data = case(cast, cycle, measure)
    before = _state()

    response = _send(client_for(persona(who)), method, url, data)

    assert response.status_code == (200 if method == "get" else 302)
    if method == "post":
        assert response["Location"] == reverse("goals:cycle", args=[cycle.pk]) + "#evidence"
        assert _state() != before


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("who", NOT_THEIRS)
def test_evidence_views_are_404_for_anyone_else(cast, cycle, measure, client_for, persona,
                                                case, who):
    method, url, data = case(cast, cycle, measure)
    before = _state()

    response = _send(client_for(persona(who)), method, url, data)

    assert response.status_code == 404
    assert _state() == before


@pytest.mark.parametrize("case", CASES)
def test_evidence_views_send_anonymous_visitors_to_sign_in(cast, cycle, measure, case):
    method, url, data = case(cast, cycle, measure)

    assert_login_redirect(_send(Client(), method, url, data), url)


@pytest.mark.parametrize("case", [_measure_add, _measure_edit_get, _point_add,
                                  _sample_upload, _sample_delete])
def test_after_closing_a_teacher_sees_but_cannot_change(cast, cycle, measure, client_for,
                                                        case):
    method, url, data = case(cast, cycle, measure)
    cycles.cycle_close(actor=cast.coach, cycle=cycle, outcome="met", coach_reflection="Done.")
    before = _state()

    assert _send(client_for(cast.teacher), method, url, data).status_code == 403
    assert _state() == before
    page = client_for(cast.teacher).get(reverse("goals:cycle", args=[cycle.pk]))
    assert page.context["may_record_evidence"] is False
    assert b"Record a point" not in page.content


def test_after_closing_the_coach_can_still_correct(cast, cycle, measure, client_for):
    cycles.cycle_close(actor=cast.coach, cycle=cycle, outcome="met", coach_reflection="Done.")

    response = client_for(cast.coach).post(*_point_add(cast, cycle, measure)[1:])

    assert response.status_code == 302
    assert measure.points.count() == 1


def _field_error(response, message):
    html = response.content.decode()
    # The message sits inside the invalid field's own block, before the next field starts.
    assert re.search(r'<div class="field field-invalid">(?:(?!<div class="field).)*'
                     + re.escape(message), html, re.S), message


def test_measure_add_with_bad_input_is_422_and_changes_nothing(cast, cycle, client_for):
    url = reverse("goals:measure_add", args=[cycle.pk])
    client = client_for(cast.coach)

    blank = client.post(url, {"measure-name": "  ", "measure-kind": "share"})
    scaled = client.post(url, {"measure-name": "Rubric", "measure-kind": "share",
                               "measure-scale_max": "4"})

    assert (blank.status_code, scaled.status_code) == (422, 422)
    _field_error(blank, "Say what is measured.")
    _field_error(scaled, "A share has no highest score: leave this empty.")
    assert not EvidenceMeasure.objects.exists()


def test_measure_edit_of_a_measure_with_points_keeps_its_kind(cast, cycle, measure,
                                                             client_for):
    share_point(cast.coach, measure, "before", 20, 8)
    url = reverse("goals:measure_edit", args=[cycle.pk, measure.pk])

    response = client_for(cast.teacher).post(url, {"measure-name": "Renamed",
                                                   "measure-kind": "score"})

    assert response.status_code == 422
    _field_error(response, "This measure has points already: delete them to change its kind")
    measure.refresh_from_db()
    assert (measure.name, measure.kind) == ("Explains their reasoning", "share")


def test_point_add_with_bad_input_is_422_with_the_message_by_the_field(cast, cycle, measure,
                                                                       client_for):
    share_point(cast.coach, measure, "before", 20, 8, ago=30)
    url = reverse("goals:point_add", args=[cycle.pk, measure.pk])

    response = client_for(cast.teacher).post(url, _point_data(
        measure, moment="after", meeting_target="21"))

    assert response.status_code == 422
    _field_error(response, "More students met the target than were assessed: at most 20.")
    assert response.content.count(b'<details class="more" open>') == 1
    assert measure.points.count() == 1


def test_point_add_a_second_before_is_422(cast, cycle, measure, client_for):
    share_point(cast.coach, measure, "before", 20, 8, ago=30)
    url = reverse("goals:point_add", args=[cycle.pk, measure.pk])

    response = client_for(cast.coach).post(url, _point_data(measure, students="25"))

    assert response.status_code == 422
    _field_error(response, "This measure has its “before” already")
    assert measure.points.count() == 1


def test_point_add_submitted_twice_records_once(cast, cycle, measure, client_for):
    client = client_for(cast.coach)
    url = reverse("goals:point_add", args=[cycle.pk, measure.pk])
    data = _point_data(measure, moment="checkpoint")

    first, second = client.post(url, data), client.post(url, data)

    assert (first.status_code, second.status_code) == (302, 302)
    assert measure.points.count() == 1


def test_sample_upload_of_the_wrong_kind_is_422(cast, cycle, client_for):
    url = reverse("goals:sample_upload", args=[cycle.pk])

    response = client_for(cast.coach).post(url, {"sample-file": upload(PNG, "work.pdf")})

    assert response.status_code == 422
    _field_error(response, "This file&#x27;s contents do not match its name (.pdf).")
    assert not EvidenceSample.objects.exists()


def test_sample_file_is_a_download_with_safe_headers(cast, cycle, client_for):
    sample = evidence.sample_upload(actor=cast.teacher, cycle=cycle,
                                    file=upload(PDF, "Week 1 work.pdf"))

    response = client_for(cast.coach).get(reverse("goals:sample_file",
                                                  args=[cycle.pk, sample.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Week_1_work.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF


def test_sample_file_through_another_cycle_is_404(cast, cycle, client_for):
    other = running_cycle(cast)
    sample = _a_sample(cast, other)

    response = client_for(cast.coach).get(reverse("goals:sample_file",
                                                  args=[cycle.pk, sample.pk]))

    assert response.status_code == 404


def test_cycle_page_shows_an_accessible_chart_and_its_table(cast, cycle, client_for):
    measure = score_measure(cast.coach, cycle, name="Quiz <b>one</b>")
    score_point(cast.coach, measure, "before", 20, 10, 2, ago=30)
    score_point(cast.coach, measure, "after", 20, 12, 2, ago=3)

    response = client_for(cast.teacher).get(reverse("goals:cycle", args=[cycle.pk]))

    html = response.content.decode()
    chart = f"measure-{measure.pk}-chart"
    assert f'role="img" aria-labelledby="{chart}-title" aria-describedby="{chart}-desc"' in html
    assert f'<title id="{chart}-title">Quiz &lt;b&gt;one&lt;/b&gt;</title>' in html
    assert f'<desc id="{chart}-desc">Before (' in html
    assert "<caption>Quiz &lt;b&gt;one&lt;/b&gt;: the numbers</caption>" in html
    assert "<b>one</b>" not in html
    assert "A large effect (Hedges&#x27; g = 0.98" in html
    assert " style=" not in html
    assert b"Record a point" in response.content


MANY = 12


def test_cycle_page_query_count_does_not_grow(cast, cycle, client_for,
                                              django_assert_num_queries):
    measure = share_measure(cast.coach, cycle)
    share_point(cast.coach, measure, "before", 20, 8)
    client = client_for(cast.coach)
    url = reverse("goals:cycle", args=[cycle.pk])
    client.get(url)  # warm up: first-request work is not the page's cost
    one = count_queries(client, url)

    share_point(cast.coach, measure, "checkpoint", 20, 10, ago=15)
    share_point(cast.coach, measure, "after", 20, 14, ago=2)
    for i in range(MANY):
        score = score_measure(cast.teacher, cycle, name=f"Quiz {i}")
        score_point(cast.coach, score, "before", 20, 10, 2, ago=30)
        score_point(cast.coach, score, "checkpoint", 20, 11, 2, ago=15)
        score_point(cast.coach, score, "after", 20, 12, 2, ago=2)
        _a_sample(cast, cycle)

    with django_assert_num_queries(one):
        response = client.get(url)
    assert len(response.context["evidence_blocks"]) == 1 + MANY
    assert len(response.context["evidence"].samples) == MANY
