"""Small groups are never described to leaders (`audience=LEADER`): a filter that leaves
fewer than `MIN_TEACHERS` teachers hides the whole report, a grade row or a school row about
fewer than that many is hidden, and so is a count of 1 to 4 teachers, with whatever would
give it back (None in the report, "hidden" on the page and in the exports); a small school
is left out of the network's totals; and student evidence needs `MIN_CYCLES_WITH_EVIDENCE`
cycles and groups of at least the school's smallest group. A coach reading their own work
sees it all."""

from __future__ import annotations

import statistics

import pytest
from django.urls import reverse

from bettertogether.coaching.tests.support import log
from bettertogether.directory.disclosure import MIN_CYCLES_WITH_EVIDENCE, MIN_TEACHERS
from bettertogether.goals.models import EvidenceMeasure
from bettertogether.goals.starter import install as install_starter
from bettertogether.goals.tests.evidence_support import (
    running_cycle,
    score_measure,
    score_point,
    share_measure,
    share_point,
)
from bettertogether.reports.tests.support import (
    DAY,
    at,
    coach_at,
    coach_scope,
    counted,
    csv_rows,
    headline,
    more_teachers,
    network_scope,
    report,
    row,
    rows,
    school_scope,
    section,
    today,
    xlsx_text,
)
from bettertogether.testing import factories as f

SUPPRESSED_MESSAGE = "Fewer than 5 teachers match these filters"


@pytest.fixture(autouse=True)
def _starter(db):
    install_starter()


def _period(cast):
    return today(cast) - 29 * DAY, today(cast)


def _query(cast, **extra) -> str:
    start, end = _period(cast)
    return "?" + "&".join(f"{k}={v}" for k, v in {"start": start.isoformat(),
                                                   "end": end.isoformat(), **extra}.items())


def test_minimum_is_five_teachers_and_three_cycles():
    assert MIN_TEACHERS == 5
    assert MIN_CYCLES_WITH_EVIDENCE == 3


# --- the whole report --------------------------------------------------------------------------


@pytest.fixture
def grades(cast):
    """Grade 3: four teachers at Lincoln (and one at Roosevelt); Grade 4: five at Lincoln."""
    third = f.GradeLevelFactory(network=cast.network, name="Grade 3", position=3)
    fourth = f.GradeLevelFactory(network=cast.network, name="Grade 4", position=4)
    small = more_teachers(cast, 4, coach=cast.coach, grades=[third])
    more_teachers(cast, 1, school=cast.other_school, grades=[third])
    large = more_teachers(cast, 5, coach=cast.coach, grades=[fourth])
    moment = at(cast, today(cast) - 2 * DAY)
    log(cast.coach, [small[0]], occurred_at=moment, minutes=30)
    log(cast.coach, [large[0]], occurred_at=moment, minutes=45)
    return third, fourth


def test_a_grade_filter_of_fewer_than_five_teachers_hides_the_whole_report(cast, grades):
    third, fourth = grades

    found = report(school_scope(cast), *_period(cast), grade_id=third.pk)

    assert found["suppressed"].startswith(SUPPRESSED_MESSAGE)
    assert found["sections"] == [] and found["headline"] == []
    shown = report(school_scope(cast), *_period(cast), grade_id=fourth.pk)
    assert not shown["suppressed"] and shown["headline"][1]["value"] == 1
    # Across the network Grade 3 has five teachers: shown there.
    assert not report(network_scope(cast), *_period(cast), grade_id=third.pk)["suppressed"]


def test_a_subject_or_coach_filter_counts_the_teachers_it_leaves(cast):
    maths = f.SubjectFactory(network=cast.network, name="Maths")
    more_teachers(cast, 3, coach=cast.coach, subjects=[maths])
    more_teachers(cast, 2, subjects=[maths])  # at Lincoln, in no caseload
    second = coach_at(cast.school)

    assert not report(school_scope(cast), *_period(cast), subject_id=maths.pk)["suppressed"]
    # Under a subject, a coach filter is about the coach's teachers of it (as the coach's
    # row in the coaches' table is): three of them are too few.
    for coach in (cast.coach, second):
        by_coach = report(network_scope(cast), *_period(cast), subject_id=maths.pk,
                          coach_id=coach.pk)
        assert by_coach["suppressed"].startswith(SUPPRESSED_MESSAGE)
    more_teachers(cast, 2, coach=cast.coach, subjects=[maths])
    assert not report(network_scope(cast), *_period(cast), subject_id=maths.pk,
                      coach_id=cast.coach.pk)["suppressed"]
    # Without a subject or a grade, a coach filter describes the coach's work.
    assert not report(network_scope(cast), *_period(cast), coach_id=second.pk)["suppressed"]


def test_the_hidden_report_on_the_page_and_in_the_exports(cast, grades, client_for):
    third, _fourth = grades
    query = _query(cast, grade=third.pk)
    client = client_for(cast.leader)

    page = client.get(reverse("reports:school", args=[cast.school.pk]) + query)
    exported = client.get(reverse("reports:school_export", args=[cast.school.pk, "csv"])
                          + query)
    excel = client.get(reverse("reports:school_export", args=[cast.school.pk, "xlsx"])
                       + query)

    html = page.content.decode()
    assert page.status_code == 200
    assert "Nothing to show for so few teachers" in html
    assert SUPPRESSED_MESSAGE in html
    assert "Hours logged" not in html and 'id="section-' not in html
    lines = csv_rows(exported.content)
    assert any(line and line[0].startswith(SUPPRESSED_MESSAGE) for line in lines)
    assert ["Hours logged"] not in [line[:1] for line in lines]
    assert SUPPRESSED_MESSAGE in xlsx_text(excel.content)


def test_the_coachs_own_report_is_never_suppressed(cast, grades):
    tiny = f.GradeLevelFactory(network=cast.network, name="Grade 6", position=6)
    cast.teacher.profile.grades.add(tiny)
    log(cast.coach, [cast.teacher], occurred_at=at(cast, today(cast) - DAY), minutes=20)

    own = report(coach_scope(cast), *_period(cast), grade_id=tiny.pk)

    assert own["audience"] == "own" and not own["suppressed"]
    assert own["headline"][1]["value"] == 1
    assert ["Grade 6", 1, 1, "100%"] in rows(own, "grades")
    assert ["Grade 3", 4, 1, "25%"] in rows(report(coach_scope(cast), *_period(cast)),
                                            "grades")


def test_the_coachs_own_page_is_not_suppressed(cast, grades, client_for):
    third, _fourth = grades

    page = client_for(cast.coach).get(reverse("reports:coach") + _query(cast, grade=third.pk))

    assert page.status_code == 200
    assert not page.context["report"]["suppressed"]
    assert "Nothing to show for so few teachers" not in page.content.decode()


# --- rows --------------------------------------------------------------------------------------


def _grade(cast, name: str, position: int, caseload: int, reached: int):
    grade = f.GradeLevelFactory(network=cast.network, name=name, position=position)
    teachers = more_teachers(cast, caseload, coach=cast.coach, grades=[grade])
    if reached:
        log(cast.coach, teachers[:reached], occurred_at=at(cast, today(cast) - 2 * DAY))
    return grade


def test_a_grade_of_fewer_than_five_caseload_teachers_is_a_hidden_row_with_a_second(cast):
    """Grade 3's four teachers are hidden; so is Grade 4, the smallest of the others, or the
    caseload teachers of the headline less Grades 4 and 5 would give Grade 3 back."""
    _grade(cast, "Grade 3", 3, caseload=3, reached=0)
    _grade(cast, "Grade 4", 4, caseload=5, reached=0)
    _grade(cast, "Grade 5", 5, caseload=6, reached=5)

    grade_rows = section(report(school_scope(cast), *_period(cast)), "grades")

    assert grade_rows["rows"] == [["Grade 3", None, None, None], ["Grade 4", None, None, None],
                                  ["Grade 5", 6, 5, "83%"]]
    assert grade_rows["note"] == (
        "2 row(s) are hidden: they describe fewer than 5 teachers, or would give such a row "
        "back.")


def test_a_count_of_one_to_four_teachers_reached_is_hidden_with_a_second(cast):
    _grade(cast, "Grade 4", 4, caseload=5, reached=2)
    _grade(cast, "Grade 5", 5, caseload=6, reached=6)
    _grade(cast, "Grade 6", 6, caseload=7, reached=0)

    found = report(school_scope(cast), *_period(cast))

    assert rows(found, "grades") == [["Grade 4", 5, None, None], ["Grade 5", 6, None, None],
                                     ["Grade 6", 7, 0, "0%"]]
    assert section(found, "grades")["note"] == (
        "Counts of 1 to 4 teachers are hidden, with any figure that would give them back.")
    # The coach reads their own report whole.
    assert rows(report(coach_scope(cast), *_period(cast)), "grades") == [
        ["Grade 4", 5, 2, "40%"], ["Grade 5", 6, 6, "100%"], ["Grade 6", 7, 0, "0%"]]


def test_small_counts_of_teachers_in_the_headline_and_the_terms_are_hidden(cast, terms):
    teachers = more_teachers(cast, 6, coach=cast.coach)
    log(cast.coach, teachers[:2], occurred_at=at(cast, today(cast) - 2 * DAY))
    start = terms[0].starts_on

    found = report(school_scope(cast), start, today(cast))

    assert headline(found, "Teachers reached") is None
    assert section(found, "reach")["rows"] == [["Lincoln Elementary", 7, None, None]]
    depth = {row[0]: row for row in rows(found, "terms")}
    assert depth["Spring 2026–27"][2:] == [None, 0, 0, 0]  # two contacted: hidden
    assert row(found, "compare", "Teachers reached")[1:] == [0, None, None]
    log(cast.coach, teachers[2:5], occurred_at=at(cast, today(cast) - DAY))
    again = report(school_scope(cast), start, today(cast))
    assert headline(again, "Teachers reached") == 5
    assert {r[0]: r for r in rows(again, "terms")}["Spring 2026–27"][2] == 5


def test_hidden_rows_on_the_page_and_in_the_exports(cast, client_for):
    _grade(cast, "Grade 3", 3, caseload=3, reached=0)
    _grade(cast, "Grade 4", 4, caseload=5, reached=0)
    _grade(cast, "Grade 5", 5, caseload=6, reached=5)
    client = client_for(cast.leader)
    query = _query(cast)

    page = client.get(reverse("reports:school", args=[cast.school.pk]) + query)
    exported = client.get(reverse("reports:school_export", args=[cast.school.pk, "csv"])
                          + query)
    excel = client.get(reverse("reports:school_export", args=[cast.school.pk, "xlsx"])
                       + query)

    html = page.content.decode()
    grades_html = html[html.index('id="section-grades"'):]
    grades_html = grades_html[:grades_html.index("</section>")]
    assert grades_html.count(">hidden</span>") == 6
    assert "2 row(s) are hidden" in grades_html
    lines = csv_rows(exported.content)
    assert ["Grade 3", "hidden", "hidden", "hidden"] in lines
    assert ["Grade 5", "6", "5", "83%"] in lines
    assert ">hidden<" in xlsx_text(excel.content)


def test_a_school_of_fewer_than_five_teachers_is_hidden_and_left_out_of_the_totals(cast):
    more_teachers(cast, 3, coach=cast.coach)  # Lincoln: eight teachers
    roosevelt = coach_at(cast.other_school, "Rob Roosevelt")
    few = more_teachers(cast, 4, school=cast.other_school, coach=roosevelt)
    empty = f.SchoolFactory(name="Washington High", network=cast.network)
    moment = at(cast, today(cast) - DAY)
    log(cast.coach, [cast.teacher], occurred_at=moment)
    log(roosevelt, [few[0]], occurred_at=moment)

    found = report(network_scope(cast), *_period(cast))

    schools = section(found, "schools")
    assert schools["rows"] == [
        ["Lincoln Elementary", 8, None, None, None, None],
        ["Roosevelt Middle", None, None, None, None, None],
        [empty.name, None, None, None, None, None],
    ]
    assert schools["note"] == (
        "2 row(s) are hidden: they describe fewer than 5 teachers, or would give such a row "
        "back. Counts of 1 to 4 teachers are hidden, with any figure that would give them "
        "back.")
    # Roosevelt's contact is in no total: the network's figures are its shown schools'.
    assert headline(found, "Contacts with teachers") == 1
    assert headline(report(counted(network_scope(cast)), *_period(cast)),
                    "Contacts with teachers") == 2
    more_teachers(cast, 1, school=cast.other_school)
    grown = report(network_scope(cast), *_period(cast))
    assert headline(grown, "Contacts with teachers") == 2
    assert row_of(grown, "Roosevelt Middle") == ["Roosevelt Middle", 5, None, None, None,
                                                 None]


def test_a_hidden_count_in_the_schools_table_hides_a_second(cast):
    """Roosevelt's two teachers reached are hidden; so is Lincoln's figure, or the
    network's teachers reached less Lincoln's and Washington's would give them back."""
    lincoln = more_teachers(cast, 5, coach=cast.coach)  # ten teachers
    log(cast.coach, lincoln, occurred_at=at(cast, today(cast) - DAY))
    roosevelt = coach_at(cast.other_school, "Rob Roosevelt")
    theirs = more_teachers(cast, 6, school=cast.other_school, coach=roosevelt)
    log(roosevelt, theirs[:2], occurred_at=at(cast, today(cast) - DAY))
    washington = f.SchoolFactory(name="Washington High", network=cast.network)
    more_teachers(cast, 5, school=washington)

    found = report(network_scope(cast), *_period(cast))

    assert rows(found, "schools") == [
        ["Lincoln Elementary", 10, 6, None, None, None],
        ["Roosevelt Middle", 6, 6, None, None, None],
        ["Washington High", 5, 0, 0, 5, "0%"],
    ]
    assert headline(found, "Teachers reached") == 7


def row_of(found, school):
    return next(r for r in rows(found, "schools") if r[0] == school)


def test_the_network_tables_hidden_school_in_the_exports(cast, client_for):
    more_teachers(cast, 2, school=cast.other_school)
    query = _query(cast)

    exported = client_for(cast.admin).get(
        reverse("reports:network_export", args=[cast.network.pk, "csv"]) + query)

    assert ["Roosevelt Middle", *["hidden"] * 5] in csv_rows(exported.content)


# --- student evidence ------------------------------------------------------------------------


def _share_growth(cast, cycle, before=(20, 8), after=(21, 15), name="Explains reasoning"):
    measure = share_measure(cast.coach, cycle, name=name)
    share_point(cast.coach, measure, "before", *before, ago=30)
    share_point(cast.coach, measure, "after", *after, ago=2)
    return measure


def _score_growth(cast, cycle, before=(20, 10, 2), after=(20, 12, 2.5), name="Quiz"):
    measure = score_measure(cast.coach, cycle, name=name)
    score_point(cast.coach, measure, "before", *before, ago=30)
    score_point(cast.coach, measure, "after", *after, ago=2)
    return measure


def _growth(found) -> dict:
    table = section(found, "growth")
    return {"rows": table["rows"], "note": table["note"]}


def _cycles(cast, n):
    return [running_cycle(cast) for _ in range(n)]


def test_evidence_needs_three_cycles_before_a_leader_sees_a_figure(cast):
    cycles = _cycles(cast, 2)
    for n, cycle in enumerate(cycles):
        _share_growth(cast, cycle, after=(21, 12 + n))
        _score_growth(cast, cycle, after=(20, 12 + n, 2.5))

    two = _growth(report(school_scope(cast), *_period(cast)))

    assert two["rows"][0] == ["Cycles with before-and-after evidence", 2, ""]
    assert two["rows"][1][1:] == [2, "—"] and two["rows"][2][1:] == [2, "—"]
    assert two["note"] == "A figure needs at least 3 cycles of its own before it is shown."

    third = running_cycle(cast)
    _share_growth(cast, third, after=(21, 16))
    three = _growth(report(school_scope(cast), *_period(cast)))
    changes = EvidenceMeasure.objects.filter(growth_change_pp__isnull=False).values_list(
        "growth_change_pp", flat=True)
    assert three["rows"][1] == [
        "Mean change in the share of students meeting the target", 3,
        f"{round(statistics.fmean(changes), 1):+.1f} percentage points"]
    assert three["rows"][2][1:] == [2, "—"]  # still two cycles with scores
    assert three["note"]

    _score_growth(cast, third, after=(20, 13, 2.5))
    shown = _growth(report(school_scope(cast), *_period(cast)))
    effects = EvidenceMeasure.objects.filter(growth_g__isnull=False).values_list(
        "growth_g", flat=True)
    assert shown["rows"][2] == ["Median effect size on scores (Hedges' g)", 3,
                                f"{round(statistics.median(effects), 2):+.2f}"]
    assert shown["note"] == ""

    # An even count: the mean of the two middle effects, on either database.
    _score_growth(cast, running_cycle(cast), after=(20, 11, 2.5))
    even = _growth(report(school_scope(cast), *_period(cast)))
    effects = sorted(EvidenceMeasure.objects.filter(growth_g__isnull=False).values_list(
        "growth_g", flat=True))
    assert len(effects) == 4 and effects[1] != effects[2]
    assert even["rows"][2] == ["Median effect size on scores (Hedges' g)", 4,
                               f"{round((effects[1] + effects[2]) / 2, 2):+.2f}"]


def test_evidence_of_a_group_smaller_than_the_schools_minimum_is_left_out(cast):
    cast.school.min_student_group = 15
    cast.school.save(update_fields=["min_student_group"])
    cycles = _cycles(cast, 3)
    for cycle in cycles:
        _share_growth(cast, cycle)
    _share_growth(cast, cycles[0], before=(12, 3), after=(14, 13), name="Small group")

    for scope in (school_scope(cast), network_scope(cast)):
        found = _growth(report(scope, *_period(cast)))

        changes = EvidenceMeasure.objects.filter(growth_students__gte=15).values_list(
            "growth_change_pp", flat=True)
        assert found["rows"][0][1] == 3
        assert found["rows"][1][2] == (
            f"{round(statistics.fmean(changes), 1):+.1f} percentage points")
        assert found["rows"][3][1] == 1  # the small group, left out

    assert section(report(school_scope(cast), *_period(cast)), "growth")["rows"][3][0] == (
        "Measures left out: a group smaller than 15 students")


def test_the_coach_sees_the_evidence_of_one_cycle_of_their_own(cast):
    cycle = running_cycle(cast)
    measure = _share_growth(cast, cycle)

    found = _growth(report(coach_scope(cast), *_period(cast)))

    measure.refresh_from_db()
    assert found["rows"][1] == ["Mean change in the share of students meeting the target", 1,
                                f"{measure.growth_change_pp:+.1f} percentage points"]
    assert found["note"] == ""
    leader = _growth(report(school_scope(cast), *_period(cast)))
    assert leader["rows"][1][2] == "—"


def test_evidence_outside_the_period_is_not_counted(cast):
    for cycle in _cycles(cast, 3):
        _share_growth(cast, cycle)

    found = _growth(report(school_scope(cast), today(cast) - 60 * DAY, today(cast) - 10 * DAY))

    assert found["rows"][0][1] == 0 and found["rows"][1][2] == "—"
