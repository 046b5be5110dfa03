"""The CSV and Excel exports: a report's tables exactly (a CSV that parses, an Excel file
with a sheet per section), cells a spreadsheet would run as a formula quoted, and the
coach's own log one row per entry. Bad input — a range that ends before it starts, dates
that are not dates, a filter that is not one of the choices — shows its message and the
default report with a 422, never an error page."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bettertogether.coaching import services
from bettertogether.coaching.tests.support import kind, log
from bettertogether.reports import selectors
from bettertogether.reports.tests.support import (
    DAY,
    at,
    csv_rows,
    more_teachers,
    school_scope,
    today,
    weekday_weeks_ago,
)
from bettertogether.testing import factories as f


def _period(cast) -> tuple:
    return today(cast) - 29 * DAY, today(cast)


def _query(cast, **extra) -> str:
    start, end = _period(cast)
    params = {"start": start.isoformat(), "end": end.isoformat(), **extra}
    return "?" + "&".join(f"{k}={v}" for k, v in params.items())


@pytest.fixture
def logged(cast):
    f.GradeLevelFactory(network=cast.network, name="Grade 3")
    f.TermFactory(school_year=cast.school_year, name="Autumn")
    more_teachers(cast, 4, coach=cast.coach)
    moment = at(cast, today(cast) - 3 * DAY)
    log(cast.coach, [cast.teacher, cast.other_teacher], "Co-teaching", occurred_at=moment,
        minutes=50)
    log(cast.coach, [], "Planning", occurred_at=moment, minutes=30)


def _export(client, url_name, args, fmt, query=""):
    response = client.get(reverse(url_name, args=[*args, fmt]) + query)
    assert response.status_code == 200, response.status_code
    return response


EXPORTS = [("coach", "reports:coach_export", lambda cast: []),
           ("leader", "reports:school_export", lambda cast: [cast.school.pk]),
           ("admin", "reports:network_export", lambda cast: [cast.network.pk])]
PAGES = {"reports:coach_export": ("reports:coach", False),
         "reports:school_export": ("reports:school", True),
         "reports:network_export": ("reports:network", True)}


def _page_report(client, url_name, args, query):
    page, _has_pk = PAGES[url_name]
    return client.get(reverse(page, args=args) + query).context["report"]


# --- the report as CSV and Excel --------------------------------------------------------------


@pytest.mark.parametrize(("who", "url_name", "args"), EXPORTS)
def test_csv_parses_and_holds_every_table_of_the_report(cast, client_for, logged, who,
                                                        url_name, args):
    client = client_for(getattr(cast, who))
    query = _query(cast)

    response = _export(client, url_name, args(cast), "csv", query)
    report = _page_report(client, url_name, args(cast), query)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    start, end = _period(cast)
    assert response["Content-Disposition"].startswith("attachment; filename=\"coaching-impact")
    assert response["Content-Disposition"].endswith(f'-{start}-{end}.csv"')
    rows = csv_rows(response.content)
    assert rows[0] == [report["title"]]
    assert rows[1] == ["Period", report["period"]["label"]]
    assert ["Headline", "Value", "Counted from"] in rows
    for item in report["headline"]:
        assert [item["label"], _csv_cell(item["value"]), item["detail"]] in rows
    for section in report["sections"]:
        at_title = rows.index([section["title"]])
        assert rows[at_title + 1] == section["columns"]
        table = rows[at_title + 2:at_title + 2 + len(section["rows"])]
        assert table == [[_csv_cell(cell) for cell in row] for row in section["rows"]]
    assert ["Hours logged", "1.3", "0.8 with teachers, 0.5 own time"] in rows


def _csv_cell(cell) -> str:
    if cell is None:
        return "hidden"  # as on the page
    text = str(cell)
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def _xlsx_cell(cell):
    if cell is None:
        return "hidden"
    if cell == "":
        return None  # an empty cell
    return _csv_cell(cell) if isinstance(cell, str) else cell


@pytest.mark.parametrize(("who", "url_name", "args"), EXPORTS)
def test_xlsx_opens_with_a_sheet_per_section(cast, client_for, logged, who, url_name, args):
    client = client_for(getattr(cast, who))
    query = _query(cast)

    response = _export(client, url_name, args(cast), "xlsx", query)
    report = _page_report(client, url_name, args(cast), query)

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 1 + len(report["sections"])
    assert len(set(book.sheetnames)) == len(book.sheetnames)
    summary = book.worksheets[0]
    assert summary.title == "Summary"
    assert summary["A1"].value == report["title"]
    labels = [r[0] for r in summary.iter_rows(values_only=True)]
    assert all(item["label"] in labels for item in report["headline"])
    for sheet, section in zip(book.worksheets[1:], report["sections"], strict=True):
        values = [list(r) for r in sheet.iter_rows(values_only=True)]
        assert values[0][0] == section["title"]
        assert values[1][:len(section["columns"])] == section["columns"]
        for got, expected in zip(values[2:], section["rows"], strict=False):
            assert got[:len(expected)] == [_xlsx_cell(cell) for cell in expected]
        assert all(len(name) <= 31 for name in book.sheetnames)


def test_formula_looking_cells_are_quoted_in_both_formats(cast, client_for):
    evil = f.SupportKindFactory(network=cast.network, name="=HYPERLINK(\"http://x\")",
                                is_contact=True)
    f.GradeLevelFactory(network=cast.network, name="+SUM(A1:A9)")
    cast.coach.full_name = "@Cora"
    cast.coach.save(update_fields=["full_name"])
    services.interaction_log(actor=cast.coach, kind=evil, teachers=[cast.teacher],
                             occurred_at=at(cast, today(cast) - DAY))
    client = client_for(cast.admin)
    url_args = [cast.network.pk]

    rows = csv_rows(_export(client, "reports:network_export", url_args, "csv",
                            _query(cast)).content)
    book = load_workbook(io.BytesIO(_export(client, "reports:network_export", url_args,
                                            "xlsx", _query(cast)).content))

    cells = [cell for row in rows for cell in row]
    assert "'=HYPERLINK(\"http://x\")" in cells
    assert "'@Cora" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(("=", "+", "-", "@")), cell.value
    every = [c.value for s in book.worksheets for r in s.iter_rows() for c in r]
    assert "'=HYPERLINK(\"http://x\")" in every and "'@Cora" in every


def test_a_coach_named_like_a_formula_in_the_title_is_harmless(cast, client_for):
    rows = csv_rows(_export(client_for(cast.coach), "reports:coach_export", [], "csv").content)

    assert rows[0] == ["Coaching impact: Cora Coach"]


# --- the coach's own log -----------------------------------------------------------------------


def test_coach_log_export_is_one_row_per_entry(cast, client_for):
    wednesday = weekday_weeks_ago(cast, 2, 1)
    log(cast.coach, [cast.teacher, cast.other_teacher], "Co-teaching",
        occurred_at=at(cast, wednesday, 23, 30), minutes=50, place="classroom",
        shared_note="We planned fractions", private_note="Ask about the rota")
    log(cast.coach, [], "Planning", occurred_at=at(cast, wednesday, 8), minutes=30)
    log(cast.coach, [cast.teacher], "Tech help", occurred_at=at(cast, wednesday - 40 * DAY),
        minutes=10)  # before the period
    query = f"?start={(wednesday - 7 * DAY).isoformat()}&end={wednesday.isoformat()}"

    response = client_for(cast.coach).get(
        reverse("reports:coach_log_export", args=["csv"]) + query)

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="my-log-{wednesday - 7 * DAY}-{wednesday}.csv"')
    rows = csv_rows(response.content)
    assert rows[0] == ["When (America/Chicago)", "Kind of support", "Time with teachers",
                       "Minutes", "Where", "School", "Teachers", "Note shared with the teacher",
                       "Private note"]
    assert rows[1:] == [
        [f"{wednesday} 08:00", "Planning", "no", "30", "", "", "", "", ""],
        [f"{wednesday} 23:30", "Co-teaching", "yes", "50", "Classroom",
         "Lincoln Elementary", "; ".join(sorted([cast.teacher.full_name,
                                                cast.other_teacher.full_name])),
         "We planned fractions", "Ask about the rota"],
    ]


def test_coach_log_export_as_excel(cast, client_for):
    log(cast.coach, [cast.teacher], "Tech help", minutes=15,
        shared_note="=HYPERLINK(\"http://x\")")
    log(cast.coach, [], "Meetings", minutes=45)

    response = client_for(cast.coach).get(reverse("reports:coach_log_export", args=["xlsx"]))

    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert sheet.title == "My log"
    assert values[0][:4] == ["When (America/Chicago)", "Kind of support", "Time with teachers",
                             "Minutes"]
    assert sorted((r[1], r[3]) for r in values[1:]) == [("Meetings", 45), ("Tech help", 15)]
    tech = next(r for r in values[1:] if r[1] == "Tech help")
    assert tech[6] == cast.teacher.full_name
    assert tech[7] == "'=HYPERLINK(\"http://x\")"
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)


# --- bad input ---------------------------------------------------------------------------------


def _default_period(cast) -> dict:
    start, end = selectors.default_period(cast.network)
    return {"start": start.isoformat(), "end": end.isoformat()}


@pytest.mark.parametrize(("query", "message"), [
    ("start=2026-10-10&end=2026-10-01",
     "The end comes before the start: choose a later day."),
    ("start=yesterday&end=soon", "Enter a valid date."),
    ("start=2026-02-30&end=2026-03-01", "Enter a valid date."),
    ("start=2026-10-01", "This field is required."),
    ("start=2010-01-01&end=2026-10-01", "Choose at most 6 years."),
    ("start=2026-10-01&end=2026-10-20&kind=999999", "Select a valid choice."),
    ("start=2026-10-01&end=2026-10-20&grade=abc", "Select a valid choice."),
    ("start=2026-10-01&end=2026-10-20&coach=1e9", "Select a valid choice."),
])
@pytest.mark.parametrize("who", ["coach", "leader", "admin"])
def test_bad_input_shows_its_message_and_the_default_report(cast, client_for, query,
                                                            message, who):
    url = {"coach": reverse("reports:coach"),
           "leader": reverse("reports:school", args=[cast.school.pk]),
           "admin": reverse("reports:network", args=[cast.network.pk])}[who]
    if "coach=" in query and who == "coach":
        query = query.replace("coach=", "kind=")  # the coach's report has no coach filter

    f.GradeLevelFactory(network=cast.network, name="Grade 3")

    response = client_for(getattr(cast, who)).get(f"{url}?{query}")

    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert response.context["report"]["period"] == {
        **_default_period(cast), "label": response.context["report"]["period"]["label"]}
    assert response.context["report"]["filters"] == []
    assert 'id="section-time_by_kind"' in html
    # The export links of a bad query carry no query: they export the default report.
    assert response.context["urls"]["csv"].endswith("/csv/")


def test_a_filter_of_another_network_is_a_form_error(cast, client_for):
    f.GradeLevelFactory(network=cast.network, name="Grade 3")
    northern = f.GradeLevelFactory(network=cast.outsider_network, name="Year 3")
    northern_kind = f.SupportKindFactory(network=cast.outsider_network, name="Northern help")
    client = client_for(cast.admin)
    url = reverse("reports:network", args=[cast.network.pk])

    for query in (f"grade={northern.pk}", f"kind={northern_kind.pk}",
                  f"school={cast.outsider_school.pk}"):
        response = client.get(f"{url}{_query(cast)}&{query}")

        assert response.status_code == 422, query
        assert "Select a valid choice." in response.content.decode()


def test_a_filter_the_report_does_not_offer_is_ignored(cast, client_for):
    """No grades in the network, one school for the coach, no coach filter on a coach's
    own report: those parameters have no field, so they change nothing."""
    response = client_for(cast.coach).get(
        reverse("reports:coach") + _query(cast, grade=1, school=cast.other_school.pk,
                                          coach=cast.admin.pk))

    assert response.status_code == 200
    assert response.context["report"]["filters"] == []


@pytest.mark.parametrize("name", ["coach_export", "school_export", "network_export",
                                  "coach_log_export"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_bad_input_to_an_export_exports_the_default_period(cast, client_for, name, fmt):
    reader, args = {"coach_export": (cast.coach, []), "coach_log_export": (cast.coach, []),
                    "school_export": (cast.leader, [cast.school.pk]),
                    "network_export": (cast.admin, [cast.network.pk])}[name]
    default = _default_period(cast)

    response = client_for(reader).get(reverse(f"reports:{name}", args=[*args, fmt])
                                      + "?start=garbage&end=2026-01-01&kind=nope")

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(
        f'-{default["start"]}-{default["end"]}.{fmt}"')


def test_a_valid_filter_is_kept_in_the_export_links(cast, client_for):
    query = _query(cast, kind=kind("Tech help").pk)

    response = client_for(cast.leader).get(
        reverse("reports:school", args=[cast.school.pk]) + query)

    assert response.status_code == 200
    assert response.context["urls"]["csv"].endswith("/csv/" + query)
    assert response.context["report"]["filters"] == [
        {"label": "Kind of support", "value": "Tech help"}]


def test_the_default_period_is_the_school_year_so_far(cast):
    assert selectors.default_period(cast.network) == (
        cast.school_year.starts_on, min(cast.school_year.ends_on,
                                        selectors.today_for(cast.network)))
    assert selectors.filters_default(school_scope(cast)).start == cast.school_year.starts_on


def test_coach_log_export_keeps_the_last_day_whole_across_a_clock_change(cast, client_for):
    """1 November 2026 has 25 hours in Chicago: its last hour is still that day."""
    day = datetime.date(2026, 11, 1)
    log(cast.coach, [cast.teacher], occurred_at=at(cast, day, 23, 30), minutes=25)
    log(cast.coach, [cast.teacher], occurred_at=at(cast, day + DAY, 0, 30), minutes=35)

    rows = csv_rows(client_for(cast.coach).get(
        reverse("reports:coach_log_export", args=["csv"])
        + f"?start={day - DAY}&end={day}").content)

    assert [row[3] for row in rows[1:]] == ["25"]
