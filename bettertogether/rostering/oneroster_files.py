"""Reading and checking OneRoster CSV files: the manifest, headers, and every value.

This module knows the CSV rules and nothing of Better Together: it turns each file into
rows and reports, with file, line and column, every value that breaks the spec. References
between files are checked once every file is read (`check_references`).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter

from django.utils.translation import gettext as _

from . import oneroster_spec as spec
from .problems import Problems
from .upload import BadEncoding, Source, encoding_message

# Files other files refer to by sourcedId: only these need an index of their rows.
REFERENCED = frozenset({"orgs.csv", "academicSessions.csv", "courses.csv", "classes.csv",
                        "users.csv"})
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_YEAR = re.compile(r"\d{4}\Z")
# Large quoted fields (long lists of sourcedIds) are legal; the csv module's default
# limit of 128 KB per field is not a OneRoster rule.
csv.field_size_limit(16 * 1024 * 1024)


@dataclass
class Table:
    """One data file: its rows (lists of strings) and the line each row ends on."""

    name: str
    mode: str  # bulk or delta
    index: dict[str, int]
    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    ids: dict[str, int] = field(default_factory=dict)  # sourcedId → row number
    _columns: dict[str, list[str]] = field(default_factory=dict)

    def values(self, name: str) -> list[str]:
        """Every row's value in one column, in row order (kept once computed)."""
        found = self._columns.get(name)
        if found is None:
            found = self._columns[name] = list(map(itemgetter(self.index[name]), self.rows))
        return found


@dataclass
class Manifest:
    version: str
    modes: dict[str, str]  # "orgs.csv" → bulk / delta / absent


def split_list(value: str) -> list[str]:
    """A OneRoster list value: comma-separated, spaces around items ignored."""
    return [item.strip() for item in value.split(",") if item.strip()]


def _csv_rows(text: str):
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    return reader


def read_text(source: Source, name: str, problems: Problems) -> str | None:
    try:
        return source.read_text(name)
    except BadEncoding as error:
        problems.add(encoding_message(error), file=name, line=error.line)
        return None


def read_manifest(source: Source, problems: Problems) -> Manifest | None:
    if "manifest.csv" not in source.names:
        problems.add(_("The zip has no manifest.csv. Every OneRoster bundle starts with one; "
                       "export the roster again from your student information system."),
                     file="manifest.csv")
        return None
    text = read_text(source, "manifest.csv", problems)
    if text is None:
        return None
    reader = _csv_rows(text)
    properties: dict[str, tuple[str, int]] = {}
    try:
        header = next(reader, None)
        if header != spec.MANIFEST_HEADER:
            problems.add(_("The first line must be the header propertyName,value (found "
                           "%(found)s).") % {"found": ",".join(header or [])},
                         file="manifest.csv", line=1)
            return None
        for row in reader:
            if not row:
                continue
            line = reader.line_num
            if len(row) != 2:
                problems.add(_("Each line holds a property name and a value; this one has "
                               "%(n)s values.") % {"n": len(row)}, file="manifest.csv",
                             line=line)
                continue
            name, value = row[0].strip(), row[1].strip()
            if name in properties:
                problems.add(_("%(name)s is also on line %(line)s.") % {
                    "name": name, "line": properties[name][1]}, file="manifest.csv",
                    line=line, column="propertyName")
                continue
            properties[name] = (value, line)
    except csv.Error as error:
        problems.add(_("This line is not valid CSV (%(error)s).") % {"error": error},
                     file="manifest.csv", line=reader.line_num)
        return None
    return _manifest_from(properties, problems)


def _manifest_from(properties: dict[str, tuple[str, int]], problems: Problems):
    manifest_version, line = properties.get("manifest.version", ("", None))
    if manifest_version != spec.MANIFEST_VERSION:
        problems.add(_("manifest.version must be 1.0 (found “%(found)s”).") % {
            "found": manifest_version}, file="manifest.csv", line=line, column="value")
    version, line = properties.get("oneroster.version", ("", None))
    if version not in spec.READ_FILES:
        problems.add(_("oneroster.version must be 1.1 or 1.2 (found “%(found)s”). We read "
                       "OneRoster 1.1 and 1.2 bundles.") % {"found": version},
                     file="manifest.csv", line=line, column="value")
        return None
    modes: dict[str, str] = {}
    for name, (value, line) in properties.items():
        if name in {"manifest.version", "oneroster.version"} or name.startswith("source."):
            continue
        if not name.startswith("file.") or name[5:] not in spec.MANIFEST_FILES[version]:
            problems.add(_("%(name)s is not a OneRoster %(version)s manifest property.") % {
                "name": name, "version": version}, file="manifest.csv", line=line,
                column="propertyName")
            continue
        if value not in spec.PROCESSING_MODES:
            problems.add(_("%(name)s must be bulk, delta or absent (found “%(value)s”).") % {
                "name": name, "value": value}, file="manifest.csv", line=line, column="value")
            continue
        modes[f"{name[5:]}.csv"] = value
    return Manifest(version=version, modes=modes)


def check_bundle_files(source: Source, manifest: Manifest, problems: Problems) -> None:
    """Every file the manifest announces is there, and nothing else is."""
    present = set(source.names) - {"manifest.csv"}
    for name, mode in sorted(manifest.modes.items()):
        if mode in {"bulk", "delta"} and name not in present:
            problems.add(_("manifest.csv lists %(name)s as %(mode)s, but the zip does not "
                           "hold it.") % {"name": name, "mode": mode}, file=name)
        if mode == "absent" and name in present:
            problems.add(_("manifest.csv says %(name)s is absent, but the zip holds it. Mark "
                           "it bulk or delta, or leave it out.") % {"name": name}, file=name)
    for name in sorted(present - set(manifest.modes)):
        problems.add(_("%(name)s is in the zip but manifest.csv does not list it (add a line "
                       "file.%(stem)s,bulk).") % {"name": name, "stem": name[:-4]}, file=name)


def check_header(name: str, header: list[str], columns: list[spec.Column],
                 problems: Problems) -> dict[str, int] | None:
    """Positions of the spec's columns, or None (with a problem) if the header is wrong."""
    index: dict[str, int] = {}
    position = 0
    previous = ""
    for column in columns:
        found = header[position] if position < len(header) else None
        if found == column.name:
            index[column.name] = position
            position += 1
            previous = column.name
            continue
        if column.optional_header:
            continue
        problems.add(_header_message(column.name, found, previous, header), file=name, line=1,
                     column=column.name)
        return None
    for extra in header[position:]:
        if not extra.startswith("metadata."):
            problems.add(_("“%(found)s” is not a column of this file. Extra columns go after "
                           "the spec's and are named metadata.something.") % {"found": extra},
                         file=name, line=1, column=extra)
            return None
    return index


def _header_message(expected: str, found: str | None, previous: str, header: list[str]) -> str:
    after = (_(" (after %(previous)s)") % {"previous": previous}) if previous else _(" (first)")
    if found is None:
        return _("The header stops before the column %(expected)s%(after)s.") % {
            "expected": expected, "after": after}
    if found.lower() == expected.lower():
        return _("Column names are case-sensitive: write %(expected)s, not %(found)s.") % {
            "expected": expected, "found": found}
    if expected in header:
        return _("%(expected)s is in the wrong place: the columns must come in the spec's "
                 "order, with %(expected)s next%(after)s.") % {"expected": expected,
                                                             "after": after}
    return _("The header is missing the column %(expected)s%(after)s; found “%(found)s” "
             "there.") % {"expected": expected, "after": after, "found": found}


def read_table(source: Source, name: str, mode: str, columns: list[spec.Column],
               problems: Problems) -> Table | None:
    text = read_text(source, name, problems)
    if text is None:
        return None
    reader = _csv_rows(text)
    try:
        header = next(reader, None)
        if not header:
            problems.add(_("The file is empty: it needs at least its header line."), file=name,
                         line=1)
            return None
        index = check_header(name, header, columns, problems)
        if index is None:
            return None
        rows = list(reader)
    except csv.Error as error:
        problems.add(_("This line is not valid CSV (%(error)s).") % {"error": error},
                     file=name, line=reader.line_num)
        return None
    table = Table(name=name, mode=mode, index=index)
    table.rows, table.lines = _with_lines(text, rows)
    found: list[tuple[int, str, str]] = []  # (line, column, message), sorted at the end
    _check_widths(table, len(header), found)
    for column in columns:
        if column.name in index:
            _check_column(table, column, found, delta=(mode == "delta"))
    _index_ids(table, found)
    for line, column_name, message in sorted(found, key=lambda item: item[0]):
        problems.add(message, file=name, line=line, column=column_name)
    return table


def _with_lines(text: str, rows: list[list[str]]):
    """The rows without blank lines, and the line each ends on. When every record is one
    physical line (nearly always) the line numbers are a `range`, which costs nothing."""
    physical = text.count("\n") + (0 if text.endswith("\n") else 1)
    if physical == len(rows) + 1 and all(rows):
        return rows, range(2, len(rows) + 2)
    reader = _csv_rows(text)
    next(reader)
    kept, lines = [], []
    for row in reader:
        if row:
            kept.append(row)
            lines.append(reader.line_num)
    return kept, lines


def _check_widths(table: Table, width: int, found: list) -> None:
    short = [at for at, row in enumerate(table.rows) if len(row) != width]
    if not short:
        return
    for at in short:
        found.append((table.lines[at], "", _("This line has %(n)s values; the header has "
                                              "%(width)s.") % {"n": len(table.rows[at]),
                                                               "width": width}))
    dropped = set(short)
    keep = [at for at in range(len(table.rows)) if at not in dropped]
    table._columns.clear()
    table.rows = [table.rows[at] for at in keep]
    table.lines = [table.lines[at] for at in keep]


def _check_column(table: Table, column: spec.Column, found: list, *, delta: bool) -> None:
    """Check one column over every row at once: each distinct value is judged once, and
    rows are walked again only to say where a wrong value is."""
    required = column.required or (delta and column.name in {"status", "dateLastModified"})
    judge = _JUDGES.get(column.kind)
    if not required and judge is None:
        return
    values = table.values(column.name)
    distinct = set(values)
    wrong: dict[str, str] = {}
    if required and "" in distinct:
        wrong[""] = _("%(column)s is required.") % {"column": column.name}
    if judge is not None:
        for value in distinct:
            if value:
                message = judge(value, column)
                if message:
                    wrong[value] = message
    if not wrong:
        return
    lines = table.lines
    for row_at, value in enumerate(values):
        message = wrong.get(value)
        if message:
            found.append((lines[row_at], column.name, message))


def _index_ids(table: Table, found: list) -> None:
    at = table.index["sourcedId"]
    values = table.values("sourcedId")
    if table.name not in REFERENCED:
        if len(set(values)) == len(values):
            return  # unique, and nothing refers to these rows: no index needed
    else:
        ids = {sourced_id: row_at for row_at, sourced_id in enumerate(values)}
        ids.pop("", None)
        if len(ids) == len(table.rows):
            table.ids = ids
            return
    first: dict[str, int] = {}
    for row_at, row in enumerate(table.rows):
        sourced_id = row[at]
        if not sourced_id:
            continue
        if sourced_id in first:
            found.append((table.lines[row_at], "sourcedId", _(
                "sourcedId %(id)s is already used on line %(line)s; each must be unique in "
                "the file.") % {"id": sourced_id, "line": table.lines[first[sourced_id]]}))
            continue
        first[sourced_id] = row_at
    table.ids = first


def _enum(value: str, column: spec.Column) -> str | None:
    if value in column.values or value.startswith("ext:"):
        return None
    return _("“%(value)s” is not a %(column)s; use one of: %(allowed)s.") % {
        "value": value, "column": column.name, "allowed": ", ".join(sorted(column.values))}


def _bool(value: str, column: spec.Column) -> str | None:
    if value in spec.BOOLEAN:
        return None
    return _("%(column)s must be true or false, in lower case (found “%(value)s”).") % {
        "column": column.name, "value": value}


def _date(value: str, column: spec.Column) -> str | None:
    if _DATE.match(value):
        try:
            datetime.date.fromisoformat(value)
            return None
        except ValueError:
            pass
    return _("%(column)s must be a date written YYYY-MM-DD (found “%(value)s”).") % {
        "column": column.name, "value": value}


def _datetime(value: str, column: spec.Column) -> str | None:
    try:
        datetime.datetime.fromisoformat(value)
        if _DATE.match(value[:10]):
            return None
    except ValueError:
        pass
    return _("%(column)s must be a date and time in ISO 8601, such as 2026-08-15T09:30:00Z "
             "(found “%(value)s”).") % {"column": column.name, "value": value}


def _year(value: str, column: spec.Column) -> str | None:
    if _YEAR.match(value):
        return None
    return _("%(column)s must be a four-digit year, such as 2027 (found “%(value)s”).") % {
        "column": column.name, "value": value}


_JUDGES: dict[str, Callable[[str, spec.Column], str | None]] = {
    spec.ENUM: _enum,
    spec.BOOL: _bool,
    spec.DATE: _date,
    spec.DATETIME: _datetime,
    spec.YEAR: _year,
}


def check_references(tables: dict[str, Table], modes: dict[str, str],
                     columns_of: dict[str, list[spec.Column]], problems: Problems,
                     known: Callable[[str], set[str]]) -> None:
    """Every sourcedId a file names is defined. A target sent as a complete (bulk) file
    must hold it; a target sent as changes (delta) or not at all may instead hold it from
    an earlier import, which `known(target)` tells for the files we keep."""
    for name, table in tables.items():
        found: list[tuple[int, str, str]] = []
        for column in columns_of[name]:
            if column.kind not in (spec.REF, spec.REFS) or column.name not in table.index:
                continue
            _check_column_refs(table, column, tables, modes, found, known)
        for line, column_name, message in sorted(found, key=lambda item: item[0]):
            problems.add(message, file=name, line=line, column=column_name)


def _check_column_refs(table, column, tables, modes, found, known):
    target = column.target
    complete = modes.get(target) == "bulk"
    if not complete and target not in {"orgs.csv", "users.csv", "classes.csv"}:
        return  # courses and sessions are not kept, so a delta cannot be checked
    defined = tables[target].ids if target in tables else {}
    values = table.values(column.name)
    if column.kind == spec.REFS:
        named = {item for value in set(values) for item in split_list(value)}
    else:
        named = set(values)
    named.discard("")
    missing = {sourced_id for sourced_id in named if sourced_id not in defined}
    if missing and not complete:
        missing -= known(target)
    if not missing:
        return
    for row_at, value in enumerate(values):
        if not value:
            continue
        items = split_list(value) if column.kind == spec.REFS else (value,)
        for sourced_id in items:
            if sourced_id in missing:
                found.append((table.lines[row_at], column.name,
                              _reference_message(sourced_id, target, complete)))


def _reference_message(sourced_id: str, target: str, complete: bool) -> str:
    if complete:
        return _("%(id)s is not a sourcedId in %(target)s.") % {"id": sourced_id,
                                                               "target": target}
    return _("%(id)s is not a sourcedId in %(target)s, nor in an earlier import.") % {
        "id": sourced_id, "target": target}
