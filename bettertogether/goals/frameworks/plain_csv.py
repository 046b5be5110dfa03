"""A framework as a simple CSV, for one that has no CASE package.

The first line is exactly `framework,standard_code,standard,indicator_code,indicator`, and
each line under it holds one indicator of one standard (the template, `sample-framework.csv`,
is a small example):

| column         | what it holds                                                          |
|----------------|------------------------------------------------------------------------|
| framework      | the framework's title: the same on every line (one framework a file)   |
| standard_code  | the standard's code, unique in the file (required)                     |
| standard       | the standard's statement: required the first time the code appears;    |
|                | later lines repeat it word for word or leave it empty                  |
| indicator_code | the indicator's code, unique in the file                               |
| indicator      | the indicator's statement                                              |

A line with empty indicator columns names a standard alone (one with no indicators yet, or
to fix where it comes in the order). Standards come in the order they first appear, each
with its indicators in the order of their lines. Items are matched by code when the file is
imported again, so a changed statement updates the item in place.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from .structure import (
    CODE_MAX,
    INDICATOR,
    MAX_ITEMS,
    STANDARD,
    STATEMENT_MAX,
    TITLE_MAX,
    ParsedFramework,
    ParsedItem,
    Problems,
    decode,
    too_long,
)

COLUMNS = ("framework", "standard_code", "standard", "indicator_code", "indicator")
HEADER = ",".join(COLUMNS)
SAMPLE = Path(__file__).with_name("sample-framework.csv")
TEMPLATE = SAMPLE.read_text(encoding="utf-8")

LIMITS = {"framework": TITLE_MAX, "standard_code": CODE_MAX, "standard": STATEMENT_MAX,
          "indicator_code": CODE_MAX, "indicator": STATEMENT_MAX}


@dataclass
class _Standard:
    code: str
    statement: str
    line: int
    indicators: list[tuple[str, str]] = field(default_factory=list)


def read_csv(data: bytes) -> ParsedFramework | Problems:
    problems = Problems()
    text = decode(data, problems)
    if text is None:
        return problems
    reader = csv.reader(io.StringIO(text, newline=""))
    builder = _Builder(problems)
    try:
        if not _header_ok(next(reader, None), problems):
            return problems
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            builder.add(row, reader.line_num)
            if builder.count > MAX_ITEMS:
                problems.add(_("The file holds more than %(limit)s standards and indicators, "
                               "the most we import.") % {"limit": f"{MAX_ITEMS:,}"},
                             _("Import one framework at a time."), line=reader.line_num)
                return problems
    except csv.Error as error:
        problems.add(_("This line is not valid CSV (%(error)s).") % {"error": error},
                     _("A statement with a comma or a quote in it goes in double quotes, "
                       "with each quote inside it doubled."), line=reader.line_num)
        return problems
    if not builder.standards and not problems:
        problems.add(_("The file has a header but no standards under it."),
                     _("Add a line for each indicator, as in the template."), line=2)
    return problems if problems else builder.result()


def _header_ok(header: list[str] | None, problems: Problems) -> bool:
    if not header or not any(cell.strip() for cell in header):
        problems.add(_("The file is empty."),
                     _("Start from the template: its first line is %(header)s.") % {
                         "header": HEADER}, line=1)
        return False
    found = tuple(cell.strip() for cell in header)
    if found == COLUMNS:
        return True
    wrong = found[len(COLUMNS)] if len(found) > len(COLUMNS) else ""  # an extra column
    for index, expected in enumerate(COLUMNS):
        if index >= len(found) or found[index] != expected:
            wrong = expected
            break
    problems.add(
        _("The first line must be exactly %(header)s; this file's is %(found)s.") % {
            "header": HEADER, "found": ",".join(found)},
        _("Start from the template, and keep its first line as it is."), line=1,
        column=wrong)
    return False


class _Builder:
    def __init__(self, problems: Problems):
        self.problems = problems
        self.title: str | None = None
        self.title_line = 0
        self.standards: dict[str, _Standard] = {}
        self.indicator_lines: dict[str, int] = {}

    @property
    def count(self) -> int:
        return len(self.standards) + len(self.indicator_lines)

    def _add(self, what: str, fix: str, line: int, column: str = "") -> None:
        self.problems.add(what, fix, line=line, column=column)

    def add(self, row: list[str], line: int) -> None:
        if len(row) != len(COLUMNS):
            self._add(_("This line has %(n)s values; the header has %(width)s.") % {
                "n": len(row), "width": len(COLUMNS)},
                _("Put each value in its own column; a statement with a comma in it goes "
                  "in double quotes."), line)
            return
        values = dict(zip(COLUMNS, (" ".join(cell.split()) for cell in row), strict=True))
        found = self.problems.total
        for column, limit in LIMITS.items():
            if len(values[column]) > limit:
                self._add(too_long(values[column], limit), _("Shorten it."), line, column)
        for column in ("framework", "standard_code"):
            if not values[column]:
                self._add(_("%(column)s is required.") % {"column": column},
                          _("Fill it in on every line."), line, column)
        code, text = values["indicator_code"], values["indicator"]
        if bool(code) != bool(text):
            empty = "indicator" if code else "indicator_code"
            self._add(_("An indicator needs both its code and its statement."),
                      _("Fill in %(column)s, or leave both indicator columns empty for a "
                        "line about the standard alone.") % {"column": empty}, line, empty)
        if self.problems.total > found:
            return
        self._framework(values["framework"], line)
        standard = self._standard(values["standard_code"], values["standard"], line)
        if standard is not None and code:
            self._indicator(standard, code, text, line)

    def _framework(self, title: str, line: int) -> None:
        if self.title is None:
            self.title, self.title_line = title, line
        elif title != self.title:
            self._add(_("This line names the framework “%(title)s”; line %(first)s names "
                        "“%(other)s”. A file holds one framework.") % {
                "title": title, "first": self.title_line, "other": self.title},
                _("Use the same title on every line, or put each framework in its own "
                  "file."), line, "framework")

    def _standard(self, code: str, statement: str, line: int) -> _Standard | None:
        standard = self.standards.get(code)
        if standard is None:
            if code in self.indicator_lines:
                self._add(_("%(code)s is already an indicator's code, on line %(first)s.") % {
                    "code": code, "first": self.indicator_lines[code]},
                    _("Codes must be unique in the file."), line, "standard_code")
                return None
            if not statement:
                self._add(_("standard is required the first time standard %(code)s "
                            "appears.") % {"code": code},
                          _("Write the standard's statement on this line."), line, "standard")
                return None
            standard = self.standards[code] = _Standard(code, statement, line)
        elif statement and statement != standard.statement:
            self._add(_("Standard %(code)s reads differently on line %(first)s.") % {
                "code": code, "first": standard.line},
                _("Give it the same words on every line, or leave it empty after the "
                  "first."), line, "standard")
            return None
        return standard

    def _indicator(self, standard: _Standard, code: str, statement: str, line: int) -> None:
        first = self.indicator_lines.get(code) or (
            self.standards[code].line if code in self.standards else None)
        if first is not None:
            self._add(_("%(code)s is already used on line %(first)s.") % {
                "code": code, "first": first},
                _("Codes must be unique in the file."), line, "indicator_code")
            return
        self.indicator_lines[code] = line
        standard.indicators.append((code, statement))

    def result(self) -> ParsedFramework:
        items: list[ParsedItem] = []
        for standard in self.standards.values():
            items.append(ParsedItem(key=standard.code, level=STANDARD, code=standard.code,
                                    statement=standard.statement, identifier="",
                                    parent_key=None, position=len(items)))
            for code, statement in standard.indicators:
                items.append(ParsedItem(key=code, level=INDICATOR, code=code,
                                        statement=statement, identifier="",
                                        parent_key=standard.code, position=len(items)))
        return ParsedFramework(kind="csv", title=self.title or "", items=items,
                               title_at={"line": self.title_line, "column": "framework"})
