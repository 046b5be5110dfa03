"""A coach and a teacher set a goal together, run a Student-Centered cycle through every
stage with pre- and post-assessment evidence, close it with both reflections, and the
teacher sees the growth chart. And a network admin imports a CASE framework."""

import datetime
import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bettertogether.goals import starter as goals_starter
from bettertogether.goals.models import Cycle, EvidencePoint, Framework, Goal
from bettertogether.goals.tests.frameworks_support import case_package
from bettertogether.testing.browser import (
    PHONE,
    check_axe,
    check_console,
    check_no_horizontal_scroll,
    sign_in_as,
)
from bettertogether.testing.factories import built_in_support_kinds

pytestmark = pytest.mark.browser
SCC = "Student-Centered Coaching cycle"


@pytest.fixture(autouse=True)
def _built_ins(cast):
    built_in_support_kinds()
    goals_starter.install()


def _set_goal(coach, server, cast):
    coach.goto(f"{server}/goals/")
    coach.get_by_role("link", name="Set a goal").click()
    coach.get_by_label("Teachers").select_option(str(cast.teacher.pk))
    coach.get_by_label("Short title").fill("Explaining reasoning in fractions")
    coach.get_by_label("What students will know or be able to do").fill(
        "Students explain their reasoning when they compare fractions.")
    coach.get_by_label("Success criteria").fill(
        "I can compare two fractions.\nI can explain how I know.")
    coach.get_by_label("How it will be measured").fill("Exit ticket, reasoning rubric")
    coach.get_by_label("Baseline").fill("8 of 24 students")
    coach.get_by_label("Target").fill("18 of 24 students")
    coach.get_by_label("Expectations: who does what by when").fill(
        "Coach models on Tuesday; teacher tries it on Thursday.")
    coach.get_by_label("Powerful: it will make a real difference for students").check()
    coach.get_by_label("Student-focused: about what students know or do").check()
    check_axe(coach)
    coach.get_by_role("button", name="Set the goal").click()
    expect(coach.get_by_text("Goal set.")).to_be_visible()


def _record(page, measure, *, moment, day, students, meeting):
    article = page.get_by_role("article", name=measure)
    details = article.locator("details").filter(has_text="Record a point")
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    article.get_by_label("When in the cycle").select_option(label=moment)
    article.get_by_label("Date").fill(day.isoformat())
    article.get_by_label("Number of students").fill(str(students))
    article.get_by_label("Students meeting the target").fill(str(meeting))
    article.get_by_role("button", name="Record").click()


def test_goal_and_student_centered_cycle_from_start_to_growth_chart(open_page, server, cast):
    coach = open_page()
    sign_in_as(coach, server, cast.coach)
    _set_goal(coach, server, cast)
    goal = Goal.objects.get()
    assert (goal.status, goal.is_powerful, goal.is_easy) == ("active", True, False)

    # The teacher reads the goal and adds to the expectations: it is set together.
    teacher = open_page(viewport=PHONE)
    sign_in_as(teacher, server, cast.teacher)
    teacher.goto(f"{server}/goals/")
    teacher.get_by_role("link", name="Explaining reasoning in fractions").click()
    expect(teacher.get_by_text("I can explain how I know.")).to_be_visible()
    check_no_horizontal_scroll(teacher)
    check_axe(teacher)

    # The coach starts a Student-Centered cycle that began five weeks ago.
    start = timezone.localdate() - datetime.timedelta(days=35)
    coach.get_by_label("Cycle", exact=True).select_option(label=f"{SCC} (7 stages)")
    coach.get_by_label("Starts on").fill(start.isoformat())
    coach.get_by_role("button", name="Start a cycle").click()
    expect(coach.get_by_text("The cycle has started: first stage, Goal.")).to_be_visible()
    cycle = Cycle.objects.get()

    # A measure, and the pre-assessment.
    expect(coach.get_by_label("What is measured")).to_be_visible()  # open while there is none
    coach.get_by_label("What is measured").fill("Explains their reasoning")
    coach.get_by_label("Share of students meeting the target").check()
    coach.get_by_label("What meeting the target means").fill("3 or more on the rubric")
    coach.get_by_role("button", name="Add the measure").click()
    _record(coach, "Explains their reasoning", moment="Before",
            day=start + datetime.timedelta(days=15), students=24, meeting=8)
    expect(coach.get_by_role("table", name="Explains their reasoning: the numbers")
           ).to_be_visible()

    # Every stage: plan it (the first one pulls in a conversation resource), then done.
    for position in range(1, 8):
        stage = cycle.stages.get(position=position)
        coach.goto(f"{server}/cycles/{cycle.pk}/stages/{stage.pk}/")
        if position == 1:
            coach.get_by_role("button", name=re.compile(
                r"^Add to the plan\W+Setting a goal that matters$")).click()
            expect(coach.get_by_label("What we plan")).to_have_value(
                "Setting a goal that matters\n" + (
                    "What would you like students to know or be able to do by the end of "
                    "the unit?\nHow will we know they got there? What will we look at?\n"
                    "Why does this goal matter to you?\nIs this something we can reach in "
                    "the next six to eight weeks?"))
        else:
            coach.get_by_label("What we plan").fill(f"Plan for {stage.name}")
        coach.get_by_label("What happened").fill(f"Done: {stage.name}")
        coach.get_by_role("button", name="Save").click()
        expect(coach.get_by_text(f"Saved {stage.name}.")).to_be_visible()
        if position == 5:
            coach.get_by_role("link", name=f"Log a contact for {stage.name}").click()
            coach.get_by_label("Kind of support").select_option(label="Co-teaching (50 min)")
            coach.get_by_role("button", name="Log it").click()
            expect(coach.get_by_text(f"Logged in {stage.name}.")).to_be_visible()
        coach.get_by_role("button", name=f"Mark done {stage.name}").click()
        expect(coach.get_by_text(f"{stage.name} is done.")).to_be_visible()

    # The post-assessment, then close with the coach's reflection.
    _record(coach, "Explains their reasoning", moment="After",
            day=timezone.localdate() - datetime.timedelta(days=1), students=24, meeting=18)
    expect(coach.get_by_text("7 of 7 stages done")).to_be_visible()
    assert EvidencePoint.objects.count() == 2
    close = coach.get_by_role("region", name="Close the cycle")
    close.get_by_label("Goal met", exact=True).check()
    close.get_by_label("Your reflection").fill("Most students now explain how they know.")
    close.get_by_role("button", name="Close the cycle").click()
    expect(coach.get_by_text("The cycle is closed. What comes next?")).to_be_visible()
    check_axe(coach)

    # The teacher reflects and sees the growth chart with its table, never private notes.
    teacher.goto(f"{server}/cycles/{cycle.pk}/")
    teacher.get_by_label("Your reflection").fill("They argue with evidence now.")
    teacher.get_by_role("button", name="Save my reflection").click()
    expect(teacher.get_by_text("Saved your reflection. Your coach sees it.")).to_be_visible()
    chart = teacher.get_by_role("img", name="Explains their reasoning", exact=True)
    expect(chart).to_be_visible()
    table = teacher.get_by_role("table", name="Explains their reasoning: the numbers")
    expect(table.get_by_role("cell", name="8 (33%)")).to_be_visible()
    expect(table.get_by_role("cell", name="18 (75%)")).to_be_visible()
    expect(teacher.get_by_text("Most students now explain how they know.")).to_be_visible()
    expect(teacher.get_by_role("region", name="Your private notes")).to_have_count(0)
    check_no_horizontal_scroll(teacher)
    check_axe(teacher)

    cycle.refresh_from_db()
    goal.refresh_from_db()
    assert (cycle.status, cycle.outcome, goal.status) == ("completed", "met", "met")
    assert cycle.teacher_reflection == "They argue with evidence now."
    check_console(coach)
    check_console(teacher)


def test_admin_imports_a_case_framework_in_the_browser(page, server, cast, tmp_path,
                                                       settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    package = tmp_path / "framework.json"
    package.write_text(json.dumps(case_package()))
    sign_in_as(page, server, cast.admin)
    page.goto(f"{server}/schools/{cast.network.pk}/")
    page.get_by_role("link", name="Frameworks").click()
    check_axe(page)

    page.get_by_label("Framework file").set_input_files(str(package))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("button", name="Apply this import")).to_be_visible()
    check_axe(page)
    page.get_by_role("button", name="Apply this import").click()

    framework = Framework.objects.get()
    expect(page.get_by_role("heading", name=framework.title)).to_be_visible()
    assert framework.items.count() > 0
    check_axe(page)
    check_console(page)
