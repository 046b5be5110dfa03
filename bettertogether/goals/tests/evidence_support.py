"""Helpers shared by the evidence tests: a cycle under way for 40 days, measures, points
and small files that really are (or are not) PDF, PNG and JPEG."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bettertogether.goals import evidence
from bettertogether.goals.models import MeasureKind
from bettertogether.goals.tests.support import a_cycle, a_goal

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


def running_cycle(cast, teachers=None):
    """A cycle of the cast's coach with the cast's teacher, started 40 days ago."""
    goal = a_goal(cast.coach, teachers or [cast.teacher])
    return a_cycle(cast.coach, goal, started_on=days_ago(40))


def share_measure(actor, cycle, name="Explains their reasoning", **extra):
    extra.setdefault("target_description", "3 or more on the reasoning rubric")
    return evidence.measure_add(actor=actor, cycle=cycle, name=name, kind=MeasureKind.SHARE,
                                **extra)


def score_measure(actor, cycle, name="Fractions quiz", scale_max=Decimal("20"), **extra):
    return evidence.measure_add(actor=actor, cycle=cycle, name=name, kind=MeasureKind.SCORE,
                                scale_max=scale_max, **extra)


def share_point(actor, measure, moment, students, meeting, ago=30):
    return evidence.point_record(actor=actor, measure=measure, moment=moment,
                                 taken_on=days_ago(ago), students=students,
                                 meeting_target=meeting)


def score_point(actor, measure, moment, students, mean, sd, ago=30):
    return evidence.point_record(actor=actor, measure=measure, moment=moment,
                                 taken_on=days_ago(ago), students=students,
                                 mean=Decimal(str(mean)), sd=Decimal(str(sd)))


def upload(content=PDF, name="work.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
