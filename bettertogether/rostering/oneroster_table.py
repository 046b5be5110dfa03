"""Reading one OneRoster CSV file as a stream of rows, and checking the values we use.

A file is never held whole: its rows pass one at a time to the reader of that file
(`oneroster.py`), which keeps only what the import needs. Values are judged only when the
reader asks for them, so only the columns and rows an import uses can be a problem; each
distinct value is judged once. References to other files are checked against the
`IdIndex` of a file read earlier (or the ids an earlier import stored, for a delta).
"""

from __future__ import annotations

import csv
import datetime
import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator
from itertools import pairwise

from django.utils.translation import gettext as _

from . import oneroster_spec as spec
from .problems import Problems
from .upload import FileUnreadable, Source, csv_message

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_DATE_AND_TIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ]\d{2}:\d{2}")
_JUDGED_KINDS = {spec.ENUM, spec.BOOL, spec.DATE}
_CACHED_VALUES = 10_000  # distinct values remembered per column
CONFIRMED_KEPT = 100_000  # references remembered as found, per column (a few megabytes)


class IdIndex:
    """The sourcedIds of one file as 8-byte fingerprints (the string's hash) in 256
    sorted buckets: a district's half a million students cost 4 MB, not 60. Two ids that
    happen to share a fingerprint (about one chance in 10¹⁸ per pair) would only make a
    missing reference pass unnoticed."""

    def __init__(self):
        self._buckets = [array("q") for _ in range(256)]
        self.count = 0

    def add(self, value: str) -> None:
        fingerprint = hash(value)
        self._buckets[fingerprint & 255].append(fingerprint)
        self.count += 1

    def seal(self) -> set[int]:
        """Sort for lookups; the fingerprints that were added more than once."""
        repeated: set[int] = set()
        for at, bucket in enumerate(self._buckets):
            ordered = sorted(bucket)
            repeated.update(a for a, b in pairwise(ordered) if a == b)
            self._buckets[at] = array("q", ordered)
        return repeated

    def has_fingerprint(self, fingerprint: int) -> bool:
        bucket = self._buckets[fingerprint & 255]
        at = bisect_left(bucket, fingerprint)
        return at < len(bucket) and bucket[at] == fingerprint

    def __contains__(self, value: str) -> bool:
        return self.has_fingerprint(hash(value))


def split_list(value: str) -> list[str]:
    """A OneRoster list value: comma-separated, spaces around items ignored."""
    return [item.strip() for item in value.split(",") if item.strip()]


class Table:
    """One data file of the bundle, read row by row.

    `rows()` yields `(line, cells)`; `value(cells, line, column)` gives a column's value,
    judged and reported where it is wrong. `broken` is set when the file could not be
    read to its end: references into it are then not judged (its problem says enough)."""

    def __init__(self, source: Source, member: str, name: str, mode: str,
                 columns: list[spec.Column], problems: Problems):
        self.source, self.member, self.name, self.mode = source, member, name, mode
        self.columns = {column.name: column for column in columns}
        self._spec_order = [column.name for column in columns]
        self.problems = problems
        self.index: dict[str, int] = {}
        self.width = 0
        self._header_cells = 0
        self.broken = False
        self.ids = IdIndex()
        self._verdicts: dict[str, dict[str, tuple]] = {}

    # --- rows ----------------------------------------------------------------------------

    def read_header(self) -> bool:
        """Read the header alone, so that the reader knows where each column is before the
        rows; False (with the problems said) when the file cannot be read by it."""
        try:
            with self.source.lines(self.member) as lines:
                try:
                    header = next(csv.reader(lines, strict=True), None)
                except csv.Error as error:
                    self.problems.add(csv_message(error), file=self.name, line=1)
                    header = None
                    self.broken = True
                    return False
        except FileUnreadable as error:
            self.problems.add(error.message, file=self.name, line=error.line)
            self.broken = True
            return False
        if not self._read_header(header):
            self.broken = True
        return not self.broken

    def rows(self, *, again: bool = False) -> Iterator[tuple[int, list[str]]]:
        """The file's rows with the line each ends on; blank lines are skipped and a row
        of the wrong width is reported and skipped. Read `again` (to say where something
        found at the end is), nothing is reported twice."""
        if self.broken and not again:
            return
        try:
            with self.source.lines(self.member) as lines:
                reader = csv.reader(lines, strict=True)
                try:
                    next(reader, None)  # the header, read by `read_header`
                    lines.record_done(reader.line_num)
                    width = self.width
                    for cells in reader:
                        lines.record_done(reader.line_num)
                        if len(cells) == width and (cells[0] or any(cells)):
                            yield reader.line_num, cells  # nearly every line
                        elif again:
                            if len(cells) >= width:
                                yield reader.line_num, cells
                        else:
                            fitted = self._fit(cells, reader.line_num)
                            if fitted is not None:
                                yield reader.line_num, fitted
                except csv.Error as error:
                    self.broken = True
                    self.problems.add(csv_message(error), file=self.name, line=reader.line_num)
        except FileUnreadable as error:
            self.broken = True
            self.problems.add(error.message, file=self.name, line=error.line)

    def _fit(self, cells: list[str], line: int) -> list[str] | None:
        if len(cells) == self.width:
            return cells if any(cells) else None
        if not any(cell.strip() for cell in cells):
            return None  # a blank line, or one of nothing but commas
        if self.width < len(cells) <= self._header_cells and not any(
                cell.strip() for cell in cells[self.width:]):
            return cells[:self.width]  # the empty cells of the header's unnamed columns
        self.problems.add(_("This line has %(n)s values; the header has %(width)s.") % {
            "n": len(cells), "width": self.width}, file=self.name, line=line,
            kind="width")
        return None

    # --- header --------------------------------------------------------------------------

    def _read_header(self, header: list[str] | None) -> bool:
        """Find the columns we know by name, in any order; say what was read leniently."""
        cells = [cell.strip() for cell in header or []]
        self._header_cells = len(cells)
        while cells and not cells[-1]:
            cells.pop()  # trailing empty header cells: spreadsheets add them
        if not cells:
            self.problems.add(_("The file is empty: it needs at least its header line."),
                              file=self.name, line=1)
            return False
        self.width = len(cells)
        known = _header_keys(self.columns.values())
        ignored: list[str] = []
        cased: list[str] = []
        for at, cell in enumerate(cells):
            column = known.get(spec.header_key(cell))
            if column is None:
                if not cell.startswith("metadata."):
                    ignored.append(cell or _("(a column without a name)"))
                continue
            if column.name in self.index:
                self._duplicate_column(column, cell)
                continue
            self.index[column.name] = at
            if cell == column.name or not column.used:
                continue  # a column we never read is not worth a word however it is spelt
            if cell.lower() == column.name.lower():
                cased.append(cell)
            else:
                self._renamed(cell, column)
        self._header_notes(ignored, cased)
        return self._has_needed_columns()

    def _duplicate_column(self, column: spec.Column, cell: str) -> None:
        message = _("%(column)s is in the header twice.") % {"column": column.name}
        if column.used:
            self.problems.add(message, file=self.name, line=1, column=column.name)
        else:
            self.problems.warn(message + " " + _("We do not use it."), file=self.name,
                               line=1, column=column.name)

    def _renamed(self, cell: str, column: spec.Column) -> None:
        self.problems.warn(_("The column “%(found)s” was read as %(column)s, a spelling some "
                             "exports use.") % {"found": cell, "column": column.name},
                           file=self.name, line=1, column=column.name)

    def _header_notes(self, ignored: list[str], cased: list[str]) -> None:
        if cased:
            shown = ", ".join(cased[:6]) + (_(" and %(n)s more") % {"n": len(cased) - 6}
                                            if len(cased) > 6 else "")
            self.problems.warn(_("Column names were read whatever their case (OneRoster's "
                                 "are case-sensitive): %(columns)s.") % {"columns": shown},
                               file=self.name, line=1)
        if ignored:
            self.problems.warn(_("Columns that are not OneRoster's were left aside: "
                                 "%(columns)s.") % {"columns": ", ".join(ignored[:10])},
                               file=self.name, line=1)
        placed = [name for name in self._spec_order if name in self.index]
        if [self.index[name] for name in placed] != sorted(self.index[n] for n in placed):
            self.problems.warn(_("The columns are not in the spec's order; they were read by "
                                 "their names."), file=self.name, line=1)
        absent = [column.name for column in self.columns.values()
                  if column.used and not column.needed and column.name not in self.index]
        if absent:
            self.problems.warn(_("The header has no %(columns)s; read as empty on every "
                                 "line.") % {"columns": ", ".join(absent)},
                               file=self.name, line=1)

    def _has_needed_columns(self) -> bool:
        missing = [column.name for column in self.columns.values()
                   if column.needed and column.name not in self.index]
        for name in missing:
            self.problems.add(_("The header has no column %(column)s, which we need to read "
                                "this file.") % {"column": name}, file=self.name, line=1,
                              column=name)
        return not missing

    # --- values --------------------------------------------------------------------------

    def value(self, cells: list[str], line: int, name: str) -> str:
        """The column's value on this row: enumerations and booleans as the spec writes
        them, dates as YYYY-MM-DD. A value that cannot be understood is reported and read
        as empty; one read leniently is reported as a warning."""
        at = self.index.get(name)
        raw = cells[at] if at is not None else ""
        column = self.columns[name]
        judged = column.kind in _JUDGED_KINDS
        value = self._judged(column, raw, line) if judged else raw.strip()
        if not value and not raw.strip() and self._required(column):
            self.problems.add(_("%(column)s is required.") % {"column": name},
                              file=self.name, line=line, column=name, kind="required")
        return value

    def _required(self, column: spec.Column) -> bool:
        return column.needed or (column.name == "status" and self.mode == "delta")

    def _judged(self, column: spec.Column, raw: str, line: int) -> str:
        verdicts = self._verdicts.setdefault(column.name, {})
        verdict = verdicts.get(raw)
        if verdict is None:
            verdict = _JUDGES[column.kind](raw.strip(), column)
            if len(verdicts) < _CACHED_VALUES:
                verdicts[raw] = verdict
        value, message, wrong = verdict
        if message and wrong:
            self.problems.add(message, file=self.name, line=line, column=column.name,
                              kind=f"value:{column.name}")
        elif message:
            self.problems.warn(message, file=self.name, line=line, column=column.name,
                               kind=f"lenient:{column.name}:{raw}")
        return value

    # --- references and ids --------------------------------------------------------------

    def check_reference(self, value: str, line: int, column_name: str, target: Reference,
                        *, warn: bool = False) -> bool:
        """Whether `value` (one sourcedId) is defined in the target file or, where a
        delta allows it, by an earlier import; reports it when it is not."""
        if not value or target.holds(value):
            return True
        message = target.missing_message(value)
        if warn:
            self.problems.warn(_("%(column)s names what is not in %(target)s (such as "
                                 "%(id)s); it was left aside.") % {
                "column": column_name, "target": target.target, "id": value},
                file=self.name, line=line, column=column_name, kind=f"reference:{column_name}")
        else:
            self.problems.add(message, file=self.name, line=line, column=column_name,
                              kind=f"reference:{column_name}")
        return False

    def report_repeated_ids(self) -> None:
        """Seal the id index; if any sourcedId is used twice, read the file again to say
        where (only then: a clean file is read once)."""
        repeated = self.ids.seal()
        if not repeated or self.broken:
            return
        first: dict[str, int] = {}
        at = self.index["sourcedId"]
        for line, cells in self.rows(again=True):
            sourced_id = cells[at].strip()
            if hash(sourced_id) not in repeated:
                continue
            if sourced_id in first:
                self.problems.add(_("sourcedId %(id)s is already used on line %(line)s; each "
                                    "must be unique in the file.") % {
                    "id": sourced_id, "line": first[sourced_id]}, file=self.name, line=line,
                    column="sourcedId", kind="repeated-id")
            else:
                first[sourced_id] = line


def _header_keys(columns) -> dict[str, spec.Column]:
    known: dict[str, spec.Column] = {}
    for column in columns:
        known.setdefault(spec.header_key(column.name), column)
        for alias in column.aliases:
            known.setdefault(spec.header_key(alias), column)
    return known


class Reference:
    """What a reference column may name: the sourcedIds of a file read earlier and, when
    that file is sent as changes (delta) or not at all, those an earlier import stored.
    A reference is `unchecked` when its target cannot tell: a file that could not be read
    to its end (its problem says enough), or one sent as changes that no import keeps."""

    def __init__(self, target: str, ids: IdIndex | None, *,
                 known: Callable[[], set[str]] | None, complete: bool, unchecked: bool):
        self.target = target
        self.ids = ids
        self.complete = complete
        self.unchecked = unchecked
        self._known = known
        self._known_ids: set[str] | None = None
        self._known_fingerprints: set[int] | None = None
        self._confirmed: set[str] = set()  # values found already: most are named often

    def _stored(self) -> set[str]:
        if self._known_ids is None:
            self._known_ids = self._known() if self._known is not None else set()
        return self._known_ids

    def holds(self, value: str) -> bool:
        if value in self._confirmed or self.unchecked:
            return True
        found = (self.ids is not None and value in self.ids) or (
            not self.complete and value in self._stored())
        if found and len(self._confirmed) < CONFIRMED_KEPT:
            self._confirmed.add(value)
        return found

    def holds_fingerprint(self, fingerprint: int) -> bool:
        if self.unchecked or (self.ids is not None and self.ids.has_fingerprint(fingerprint)):
            return True
        if self.complete:
            return False
        if self._known_fingerprints is None:
            self._known_fingerprints = {hash(value) for value in self._stored()}
        return fingerprint in self._known_fingerprints

    def missing_message(self, value: str) -> str:
        if self.complete or self._known is None:
            return _("%(id)s is not a sourcedId in %(target)s.") % {"id": value,
                                                                   "target": self.target}
        return _("%(id)s is not a sourcedId in %(target)s, nor in an earlier import.") % {
            "id": value, "target": self.target}


# --- judging values --------------------------------------------------------------------------
# Each judge returns (value, message, wrong): the value as read, what to say about it (if
# anything), and whether that is a problem (True) or a warning (False).


def _enum(value: str, column: spec.Column) -> tuple[str, str, bool]:
    if not value or value in column.values:
        return value, "", False
    if value[:4].lower() == "ext:":
        return value, "", False
    lowered = value.lower()
    spelled = {allowed.lower(): allowed for allowed in column.values}
    if lowered in spelled:
        return spelled[lowered], _("“%(value)s” was read as %(read)s.") % {
            "value": value, "read": spelled[lowered]}, False
    if lowered in column.variants:
        read = column.variants[lowered]
        return read, _("“%(value)s” is not a OneRoster %(version)s value; it was read as "
                       "%(read)s.") % {"value": value, "read": read,
                                       "version": _version_of(column)}, False
    return "", _("“%(value)s” is not a %(column)s; use one of: %(allowed)s.") % {
        "value": value, "column": column.name,
        "allowed": ", ".join(sorted(column.values))}, True


def _version_of(column: spec.Column) -> str:
    if column.values is spec.USER_ROLES_11:
        return "1.1"
    if column.values is spec.ROLES_12:
        return "1.2"
    return "1.1 or 1.2"


def _bool(value: str, column: spec.Column) -> tuple[str, str, bool]:
    if value in spec.BOOLEAN:
        return value, "", False
    read = value.lower() if value.lower() in spec.BOOLEAN else column.variants.get(
        value.lower())
    if read is not None:
        return read, _("“%(value)s” was read as %(read)s.") % {"value": value,
                                                                "read": read}, False
    if not value:
        return "", "", False
    return "", _("%(column)s must be true or false (found “%(value)s”).") % {
        "column": column.name, "value": value}, True


def _date(value: str, column: spec.Column) -> tuple[str, str, bool]:
    if not value:
        return "", "", False
    if _DATE.match(value) and _real_date(value):
        return value, "", False
    with_time = _DATE_AND_TIME.match(value)
    if with_time and _real_date(with_time[1]):
        return with_time[1], _("“%(value)s” is a date and time; read as the date "
                               "%(date)s.") % {"value": value, "date": with_time[1]}, False
    return "", _("%(column)s must be a date written YYYY-MM-DD (found “%(value)s”).") % {
        "column": column.name, "value": value}, True


def _real_date(value: str) -> bool:
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


_JUDGES = {spec.ENUM: _enum, spec.BOOL: _bool, spec.DATE: _date}
