"""What a framework file is read into, and the problems found on the way.

Both readers return either a `ParsedFramework` (checked as a whole, ready to compare with
the database) or `Problems`: every problem at once, each with where it is, what is wrong
and how to fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_BYTES = 5 * 1024 * 1024
MAX_ITEMS = 20_000
PROBLEMS_KEPT = 500

# The longest values the models hold.
TITLE_MAX, IDENTIFIER_MAX, VERSION_MAX, PUBLISHER_MAX = 200, 255, 60, 200
CODE_MAX, STATEMENT_MAX = 60, 2000

STANDARD, INDICATOR = "standard", "indicator"


@dataclass(frozen=True)
class Problem:
    what: str
    fix: str = ""
    path: str = ""  # a JSON path, counting from 0: CFItems[3].fullStatement
    line: int | None = None
    column: str = ""  # a CSV column's name, or the character on the line of a JSON error

    @property
    def where(self) -> str:
        parts = [self.path] if self.path else []
        if self.line:
            parts.append(_("line %(line)s") % {"line": self.line})
        if self.column:
            parts.append(_("column %(column)s") % {"column": self.column})
        return ", ".join(parts)


@dataclass
class Problems:
    """Collects problems; keeps the first `PROBLEMS_KEPT` and counts them all, so a badly
    broken file cannot fill memory."""

    kept: list[Problem] = field(default_factory=list)
    total: int = 0

    def add(self, what: str, fix: str = "", *, path: str = "", line: int | None = None,
            column: str = "") -> None:
        self.total += 1
        if len(self.kept) < PROBLEMS_KEPT:
            self.kept.append(Problem(what=what, fix=fix, path=path, line=line, column=column))

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def __iter__(self):
        return iter(self.kept)


@dataclass(frozen=True)
class ParsedItem:
    key: str  # how a later import finds the item again: its CASE identifier, or its CSV code
    level: str  # STANDARD or INDICATOR
    code: str
    statement: str
    identifier: str  # the CASE identifier; empty from a CSV
    parent_key: str | None  # the standard an indicator belongs to
    position: int


@dataclass(frozen=True)
class ParsedFramework:
    kind: str  # "case" or "csv"
    title: str
    items: list[ParsedItem]
    identifier: str = ""
    version: str = ""
    publisher: str = ""
    # Where the title is in the file, for a problem about it found later.
    title_at: dict = field(default_factory=dict)

    @property
    def standard_count(self) -> int:
        return sum(1 for item in self.items if item.level == STANDARD)

    @property
    def indicator_count(self) -> int:
        return sum(1 for item in self.items if item.level == INDICATOR)


def decode(data: bytes, problems: Problems) -> str | None:
    """UTF-8 text, with or without a byte-order mark; anything else is a problem."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.add(
            _("The file is not UTF-8 text: the first character we could not read is on "
              "line %(line)s.") % {"line": line},
            _("Save it again as UTF-8 (in Excel: “CSV UTF-8”) and upload it once more."),
            line=line)
        return None


def too_long(value: str, limit: int) -> str:
    return _("It can be %(limit)s characters at most; this one has %(n)s.") % {
        "limit": limit, "n": len(value)}
