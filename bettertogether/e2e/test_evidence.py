"""A cycle page with student evidence in a real browser: axe-core, the strict CSP, 360 px."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import expect

from bettertogether.goals import evidence
from bettertogether.goals import starter as goals_starter
from bettertogether.goals.cycles import cycle_start
from bettertogether.goals.models import CycleTemplate
from bettertogether.goals.services import goal_create
from bettertogether.testing.browser import (
    PHONE,
    check_axe,
    check_console,
    check_no_horizontal_scroll,
    sign_in_as,
)

pytestmark = pytest.mark.browser


def _day(ago: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=ago)


@pytest.fixture
def cycle_with_evidence(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    goals_starter.install()
    goal = goal_create(actor=cast.coach, teachers=[cast.teacher], title="Reasoning",
                       student_outcome="Students explain their reasoning.", activate=True)
    template = CycleTemplate.objects.get(network=None, name="Student-Centered Coaching cycle")
    cycle = cycle_start(actor=cast.coach, goal=goal, template=template, started_on=_day(40))
    share = evidence.measure_add(actor=cast.coach, cycle=cycle, name="Explains their reasoning",
                                 kind="share", target_description="3 or more on the rubric")
    for moment, students, meeting, ago in (("before", 24, 8, 35), ("checkpoint", 24, 13, 20),
                                           ("after", 23, 18, 3)):
        evidence.point_record(actor=cast.coach, measure=share, moment=moment,
                              taken_on=_day(ago), students=students, meeting_target=meeting)
    score = evidence.measure_add(actor=cast.teacher, cycle=cycle, name="Fractions quiz",
                                 kind="score", scale_max=Decimal("20"))
    for moment, mean, sd, ago in (("before", "9.4", "3.1", 35), ("after", "12.8", "2.9", 3)):
        evidence.point_record(actor=cast.teacher, measure=score, moment=moment,
                              taken_on=_day(ago), students=24, mean=Decimal(mean),
                              sd=Decimal(sd))
    evidence.sample_upload(actor=cast.teacher, cycle=cycle, description="A typical answer",
                           file=SimpleUploadedFile("answer.pdf", b"%PDF-1.4\n%%EOF\n"))
    return cycle


@pytest.mark.parametrize("who", ["coach", "teacher"])
def test_cycle_page_with_evidence_is_accessible(page, server, cast, cycle_with_evidence, who):
    sign_in_as(page, server, getattr(cast, who))

    page.goto(f"{server}/cycles/{cycle_with_evidence.pk}/")

    chart = page.get_by_role("img", name="Explains their reasoning", exact=True)
    expect(chart).to_have_accessible_description(re.compile(r"^Before \(.*33% of 24 students"))
    expect(page.get_by_role("table", name="Explains their reasoning: the numbers")).to_be_visible()
    check_axe(page)
    page.set_viewport_size(PHONE)
    check_no_horizontal_scroll(page)
    check_axe(page)
    check_console(page)
