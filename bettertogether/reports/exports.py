"""A report's tables as CSV and Excel, and a coach's own log as CSV and Excel.

The aggregate exports write exactly the report's tables (the figures a reader saw, a hidden
one in the same word as on the page); the log export is the coach's own entries and is
offered to that coach alone. Cells that a spreadsheet would run as a formula are quoted.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from bettertogether.coaching.models import Interaction, Place
from bettertogether.core.text import without_controls
from bettertogether.directory import disclosure
from bettertogether.directory.calendar import DAY, midnight
from bettertogether.directory.moments import machine_text, zone_label

from .report_base import Report

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")



def _safe(value):
    value = disclosure.as_text(value)
    if isinstance(value, str):
        value = without_controls(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _head(report: Report) -> list[list]:
    rows = [[report["title"]], [_("Period"), report["period"]["label"]]]
    rows += [[item["label"], item["value"]] for item in report["filters"]]
    if report.get("recounting"):
        rows.append([report["recounting"]])
    if report["suppressed"]:
        rows.append([report["suppressed"]])
    return rows


def report_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in _head(report):
        writer.writerow([_safe(cell) for cell in row])
    writer.writerow([])
    writer.writerow([_("Headline"), _("Value"), _("Counted from")])
    for item in report["headline"]:
        writer.writerow([_safe(item["label"]), _safe(item["value"]), _safe(item["detail"])])
    for section in report["sections"]:
        writer.writerow([])
        writer.writerow([_safe(section["title"])])
        writer.writerow([_safe(cell) for cell in section["columns"]])
        for row in section["rows"]:
            writer.writerow([_safe(cell) for cell in row])
        if section.get("note"):
            writer.writerow([_safe(section["note"])])
    return out.getvalue()


def _sheet_title(title: str, used: set[str]) -> str:
    clean = "".join(ch for ch in without_controls(title) if ch not in "[]:*?/\\")[:28] or "Sheet"
    name, n = clean, 2
    while name in used:
        name, n = f"{clean[:25]} {n}", n + 1
    used.add(name)
    return name


def report_xlsx(report: Report) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")[:28]
    used = {summary.title}
    bold = Font(bold=True)
    for row in _head(report):
        summary.append([_safe(cell) for cell in row])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([])
    summary.append([_("Headline"), _("Value"), _("Counted from")])
    for cell in summary[summary.max_row]:
        cell.font = bold
    for item in report["headline"]:
        summary.append([_safe(item["label"]), _safe(item["value"]), _safe(item["detail"])])
    for section in report["sections"]:
        sheet = book.create_sheet(_sheet_title(section["title"], used))
        sheet.append([_safe(section["title"])])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([_safe(cell) for cell in section["columns"]])
        for cell in sheet[2]:
            cell.font = bold
        for row in section["rows"]:
            sheet.append([_safe(cell) for cell in row])
        if section.get("note"):
            sheet.append([_safe(section["note"])])
        sheet.column_dimensions["A"].width = 38
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- the coach's own log ---------------------------------------------------------------------


def _log_rows(coach, start, end, zone):
    """The coach's entries from `start` to `end`, the days and times the network's: a
    spreadsheet reads "2026-12-08 10:23", and the heading names the zone."""
    places = dict(Place.choices)
    entries = (Interaction.objects.filter(coach_id=coach.pk,
                                          occurred_at__gte=midnight(start, zone),
                                          occurred_at__lt=midnight(end + DAY, zone))
               .select_related("kind", "school").prefetch_related("teachers")
               .order_by("occurred_at", "pk"))
    header = [_("When (%(zone)s)") % {"zone": zone_label(zone)}, _("Kind of support"),
              _("Time with teachers"), _("Minutes"), _("Where"), _("School"), _("Teachers"),
              _("Note shared with the teacher"), _("Private note")]
    yield header
    for entry in entries.iterator(chunk_size=500):
        yield [machine_text(entry.occurred_at, zone=zone),
               entry.kind.name, _("yes") if entry.kind.is_contact else _("no"), entry.minutes,
               str(places.get(entry.place, "")), entry.school.name if entry.school else "",
               "; ".join(sorted(t.full_name for t in entry.teachers.all())),
               entry.shared_note, entry.private_note]


def log_csv(coach, start, end, zone) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in _log_rows(coach, start, end, zone):
        writer.writerow([_safe(cell) if cell is not None else "" for cell in row])
    return out.getvalue()


def log_xlsx(coach, start, end, zone) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("My log")[:28]
    for n, row in enumerate(_log_rows(coach, start, end, zone)):
        sheet.append([_safe(cell) if cell is not None else "" for cell in row])
        if n == 0:
            for cell in sheet[1]:
                cell.font = Font(bold=True)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
