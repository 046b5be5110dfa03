"""Recording a cycle's evidence through the services: who may, what is checked, what is
logged."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from bettertogether.activity.models import ActivityEntry
from bettertogether.goals import cycles, evidence
from bettertogether.goals.models import EvidenceMeasure, EvidencePoint, EvidenceSample
from bettertogether.goals.rules import may_record_evidence
from bettertogether.goals.tests.evidence_support import (
    JPEG,
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

BEFORE, CHECKPOINT, AFTER = "before", "checkpoint", "after"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def cycle(cast):
    return running_cycle(cast)


def _errors(call) -> dict:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def test_measure_add_by_the_coach_and_by_the_teacher(cast, cycle):
    first = share_measure(cast.coach, cycle)
    second = score_measure(cast.teacher, cycle)

    assert [(m.name, m.position) for m in cycle.measures.all()] == [
        ("Explains their reasoning", 0), ("Fractions quiz", 1)]
    assert (first.kind, second.scale_max) == ("share", Decimal("20.00"))


@pytest.mark.parametrize("who", ["other_teacher", "second_coach", "leader", "admin",
                                 "outsider"])
def test_measure_add_by_anyone_else_is_refused(cast, cycle, persona, who):
    with pytest.raises(PermissionDenied):
        share_measure(persona(who), cycle)
    assert not EvidenceMeasure.objects.exists()


def test_measure_add_checks_its_fields(cast, cycle):
    errors = _errors(lambda: evidence.measure_add(actor=cast.coach, cycle=cycle, name=" ",
                                                  kind="share", scale_max=Decimal("4")))

    assert set(errors) == {"name", "scale_max"}
    assert _errors(lambda: evidence.measure_add(actor=cast.coach, cycle=cycle, name="Quiz",
                                                kind="guess"))["kind"]
    assert _errors(lambda: score_measure(cast.coach, cycle, scale_max=Decimal("0")))[
        "scale_max"] == ["The highest possible score is more than 0."]


def test_measure_add_twice_adds_it_once_and_a_clashing_name_is_refused(cast, cycle):
    first = share_measure(cast.coach, cycle)
    again = share_measure(cast.coach, cycle)

    assert again.pk == first.pk
    assert _errors(lambda: score_measure(cast.coach, cycle, name="explains their reasoning"))[
        "name"] == ["This cycle has a measure called that already."]
    assert EvidenceMeasure.objects.count() == 1


def test_measure_update_keeps_the_kind_once_there_are_points(cast, cycle):
    measure = score_measure(cast.coach, cycle)
    score_point(cast.coach, measure, BEFORE, 20, 11.5, 3.2)

    errors = _errors(lambda: evidence.measure_update(
        actor=cast.coach, measure=measure, name="Quiz", kind="share"))
    assert list(errors) == ["kind"]
    errors = _errors(lambda: evidence.measure_update(
        actor=cast.coach, measure=measure, name="Quiz", kind="score", scale_max=Decimal("10")))
    assert errors == {"scale_max": ["A recorded mean is higher than this."]}

    evidence.measure_update(actor=cast.teacher, measure=measure, name="Quiz out of 25",
                            kind="score", scale_max=Decimal("25"))
    measure.refresh_from_db()
    assert (measure.name, measure.scale_max) == ("Quiz out of 25", Decimal("25.00"))


def test_measure_delete_only_without_points(cast, cycle):
    kept, gone = share_measure(cast.coach, cycle), score_measure(cast.coach, cycle)
    share_point(cast.coach, kept, BEFORE, 20, 8)

    with pytest.raises(ValidationError):
        evidence.measure_delete(actor=cast.coach, measure=kept)
    evidence.measure_delete(actor=cast.teacher, measure=gone)

    assert list(EvidenceMeasure.objects.values_list("pk", flat=True)) == [kept.pk]


def test_point_record_share_and_score(cast, cycle):
    share, score = share_measure(cast.coach, cycle), score_measure(cast.coach, cycle)

    share_point(cast.teacher, share, BEFORE, 20, 8, ago=35)
    share_point(cast.coach, share, CHECKPOINT, 20, 11, ago=20)
    share_point(cast.coach, share, AFTER, 21, 15, ago=5)
    point = score_point(cast.coach, score, BEFORE, 20, "11.25", "3.5")

    assert list(share.points.values_list("moment", "students", "meeting_target")) == [
        (BEFORE, 20, 8), (CHECKPOINT, 20, 11), (AFTER, 21, 15)]
    point.refresh_from_db()
    assert (point.mean, point.sd, point.meeting_target) == (Decimal("11.250"),
                                                            Decimal("3.500"), None)


def test_point_record_checks_a_share(cast, cycle):
    measure = share_measure(cast.coach, cycle)

    assert _errors(lambda: share_point(cast.coach, measure, BEFORE, 20, 21)) == {
        "meeting_target": ["More students met the target than were assessed: at most 20."]}
    assert list(_errors(lambda: share_point(cast.coach, measure, BEFORE, 20, None))) == [
        "meeting_target"]
    assert list(_errors(lambda: share_point(cast.coach, measure, BEFORE, 0, 0))) == [
        "students"]
    assert "mean" in _errors(lambda: score_point(cast.coach, measure, BEFORE, 20, 3, 1))
    assert not EvidencePoint.objects.exists()


def test_point_record_checks_a_score(cast, cycle):
    measure = score_measure(cast.coach, cycle)  # out of 20

    assert set(_errors(lambda: evidence.point_record(
        actor=cast.coach, measure=measure, moment=BEFORE, taken_on=days_ago(30),
        students=20))) == {"mean", "sd"}
    assert list(_errors(lambda: score_point(cast.coach, measure, BEFORE, 20, 21, 2))) == [
        "mean"]
    assert list(_errors(lambda: score_point(cast.coach, measure, BEFORE, 20, 12, -1))) == [
        "sd"]
    assert list(_errors(lambda: score_point(cast.coach, measure, BEFORE, 20, "12.1234", 2))
                ) == ["mean"]
    assert "meeting_target" in _errors(lambda: share_point(cast.coach, measure, BEFORE, 20, 5))
    assert not EvidencePoint.objects.exists()


def test_point_record_allows_one_before_and_one_after(cast, cycle):
    measure = share_measure(cast.coach, cycle)
    share_point(cast.coach, measure, BEFORE, 20, 8, ago=30)
    share_point(cast.coach, measure, AFTER, 20, 14, ago=2)

    errors = _errors(lambda: share_point(cast.coach, measure, BEFORE, 22, 9, ago=29))
    assert errors["moment"][0].startswith("This measure has its “before” already")
    assert list(_errors(lambda: share_point(cast.coach, measure, AFTER, 20, 15, ago=1))) == [
        "moment"]
    assert measure.points.count() == 2


def test_point_record_twice_records_it_once(cast, cycle):
    measure = share_measure(cast.coach, cycle)

    first = share_point(cast.coach, measure, CHECKPOINT, 20, 12, ago=10)
    again = share_point(cast.coach, measure, CHECKPOINT, 20, 12, ago=10)
    first_before = share_point(cast.coach, measure, BEFORE, 20, 8, ago=30)
    again_before = share_point(cast.coach, measure, BEFORE, 20, 8, ago=30)

    assert (again.pk, again_before.pk) == (first.pk, first_before.pk)
    assert measure.points.count() == 2
    assert ActivityEntry.objects.filter(action="evidence_point.record").count() == 2


def test_point_record_dates_lie_within_the_cycle_and_in_order(cast, cycle):
    measure = share_measure(cast.coach, cycle)

    assert list(_errors(lambda: share_point(cast.coach, measure, BEFORE, 20, 8, ago=41))) == [
        "taken_on"]
    assert list(_errors(lambda: share_point(cast.coach, measure, BEFORE, 20, 8, ago=-1))) == [
        "taken_on"]
    share_point(cast.coach, measure, BEFORE, 20, 8, ago=20)
    assert _errors(lambda: share_point(cast.coach, measure, AFTER, 20, 8, ago=25)) == {
        "taken_on": ["This is earlier than the “before” point."]}
    share_point(cast.coach, measure, AFTER, 20, 12, ago=5)
    assert list(_errors(lambda: share_point(cast.coach, measure, CHECKPOINT, 20, 8, ago=2))
                ) == ["taken_on"]


def _close(cast, cycle):
    return cycles.cycle_close(actor=cast.coach, cycle=cycle, outcome="met",
                              coach_reflection="Most of the class explains it now.")


def test_after_closing_only_the_coach_records_evidence(cast, cycle):
    measure = share_measure(cast.coach, cycle)
    cycle = _close(cast, cycle)

    with pytest.raises(ValidationError):
        share_point(cast.teacher, measure, BEFORE, 20, 8)
    with pytest.raises(ValidationError):
        evidence.sample_upload(actor=cast.teacher, cycle=cycle, file=upload())
    share_point(cast.coach, measure, BEFORE, 20, 8)
    assert list(_errors(lambda: share_point(cast.coach, measure, AFTER, 20, 8, ago=-1))) == [
        "taken_on"]

    assert may_record_evidence.test(cast.coach, cycle) is True
    assert may_record_evidence.test(cast.teacher, cycle) is False


@pytest.mark.parametrize(("content", "name", "content_type", "stored_as"), [
    (PDF, "work.pdf", "application/pdf", "work.pdf"),
    (PNG, "Shape sort.PNG", "image/png", "Shape_sort.png"),
    (JPEG, "photo.jpeg", "image/jpeg", "photo.jpg"),
    (PDF, "../../etc/Maria's essay (1).pdf", "application/pdf", "Marias_essay_1.pdf"),
])
def test_sample_upload_keeps_a_checked_file_under_a_plain_name(cast, cycle, content, name,
                                                                content_type, stored_as):
    sample = evidence.sample_upload(actor=cast.teacher, cycle=cycle, file=upload(content, name),
                                    description="A typical piece at the start")

    sample.refresh_from_db()
    assert (sample.content_type, sample.original_name, sample.size) == (
        content_type, stored_as, len(content))
    assert sample.file.name.startswith(f"evidence/{cycle.pk}/")
    assert sample.file.name.rsplit("/", 1)[1] == "sample" + stored_as[stored_as.rindex("."):]
    with sample.file.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(("content", "name", "message"), [
    (b"<html><script>alert(1)</script>", "work.pdf", "Upload a PDF, PNG or JPEG file."),
    (b"GIF89a" + b"\x00" * 20, "work.gif", "Upload a PDF, PNG or JPEG file."),
    (PNG, "work.pdf", "This file's contents do not match its name (.pdf)."),
    (PDF, "work", "This file's contents do not match its name (no ending)."),
])
def test_sample_upload_refuses_what_is_not_a_pdf_png_or_jpeg(cast, cycle, content, name,
                                                              message):
    errors = _errors(lambda: evidence.sample_upload(actor=cast.coach, cycle=cycle,
                                                    file=upload(content, name)))

    assert errors["file"][0].startswith(message)
    assert not EvidenceSample.objects.exists()


def test_sample_upload_refuses_a_file_over_the_limit(cast, cycle, settings):
    settings.EVIDENCE_SAMPLE_MAX_BYTES = 1024 * 1024
    big = upload(PDF + b"0" * (1024 * 1024), "scan.pdf")

    errors = _errors(lambda: evidence.sample_upload(actor=cast.coach, cycle=cycle, file=big))

    assert errors["file"][0].startswith("This file is larger than 1 MB.")
    assert not EvidenceSample.objects.exists()


def test_sample_upload_by_anyone_else_is_refused(cast, cycle, second_coach):
    with pytest.raises(PermissionDenied):
        evidence.sample_upload(actor=second_coach, cycle=cycle, file=upload())


def test_sample_delete_removes_the_file_once_committed(cast, cycle,
                                                       django_capture_on_commit_callbacks):
    sample = evidence.sample_upload(actor=cast.coach, cycle=cycle, file=upload())
    name = sample.file.name

    with django_capture_on_commit_callbacks(execute=True):
        evidence.sample_delete(actor=cast.teacher, sample=sample)

    assert not EvidenceSample.objects.exists()
    assert not default_storage.exists(name)


CANARY = "CANARY-EVIDENCE-5e71d2"


def test_no_evidence_text_reaches_the_activity_log(cast, cycle):
    measure = share_measure(cast.coach, cycle, name=f"Measure {CANARY}",
                            target_description=f"Target {CANARY}")
    evidence.measure_update(actor=cast.teacher, measure=measure, name=f"Renamed {CANARY}",
                            kind="share", target_description=f"Again {CANARY}")
    point = share_point(cast.coach, measure, BEFORE, 20, 8)
    evidence.point_delete(actor=cast.coach, point=point)
    evidence.measure_delete(actor=cast.coach, measure=measure)
    sample = evidence.sample_upload(actor=cast.coach, cycle=cycle,
                                    file=upload(PDF, f"{CANARY}.pdf"),
                                    description=f"Shows {CANARY}")
    evidence.sample_delete(actor=cast.coach, sample=sample)

    entries = ActivityEntry.objects.filter(action__startswith="evidence_")
    assert sorted(entries.values_list("action", flat=True)) == sorted([
        "evidence_measure.add", "evidence_measure.update", "evidence_point.record",
        "evidence_point.delete", "evidence_measure.delete", "evidence_sample.upload",
        "evidence_sample.delete"])
    label = f"Evidence for {cycle.template.name} cycle {cycle.pk}"
    assert set(entries.values_list("target_label", flat=True)) == {label}
    for entry in ActivityEntry.objects.all():
        assert CANARY not in f"{entry.target_label} {entry.details} {entry.action}"
