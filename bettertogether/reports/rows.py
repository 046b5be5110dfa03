"""The rows a report reads from the database, each with names.

The queries of a report return plain tuples (they are cheap, and a network report reads
thousands); each query here names its row type, and the code that reads the rows uses the
names (`row.minutes`, never `row[4]`). A report's own tables — what a reader sees — are
described in `report_base.py` (`Section`, `Chart`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import NamedTuple


class KindWeekRow(NamedTuple):
    """Entries and minutes of one kind of support in one week (from a tally or the log)."""

    kind_id: int
    is_contact: bool
    week: datetime.date  # the Monday the week starts on
    entries: int
    minutes: int


class CoachRow(NamedTuple):
    """Entries and minutes of one coach at one school (None: own time) in the period."""

    school_id: int | None
    coach_id: int
    is_contact: bool
    entries: int
    minutes: int


class TermRow(NamedTuple):
    """A term of the network that touches the period."""

    pk: int
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    year: str  # the school year's name

    @property
    def label(self) -> str:
        return f"{self.name} {self.year}"


class TermDepthRow(NamedTuple):
    """Teachers contacted in a term, and those in repeated contact (`PairTerm`)."""

    bucket: datetime.date  # the term's first day
    connected: int
    repeated: int


class PairRow(NamedTuple):
    """One coach with one teacher at one school (the log's links, fetched once)."""

    coach_id: int
    teacher_id: int
    school_id: int | None


class SchoolTeacherRow(NamedTuple):
    """A teacher of a caseload, at its school."""

    school_id: int
    teacher_id: int


class TeacherGradeRow(NamedTuple):
    """A grade a teacher teaches."""

    teacher_id: int
    grade_id: int


class KindName(NamedTuple):
    """What a report prints for a kind of support."""

    name: str
    is_contact: bool


@dataclass
class TimeTotals:
    """Time summed from `KindWeekRow`s or `CoachRow`s: minutes with teachers and own time,
    and contacts (entries with at least one teacher)."""

    contact_minutes: int = 0
    own_minutes: int = 0
    contacts: int = 0

    def add(self, row: KindWeekRow | CoachRow) -> None:
        if row.is_contact:
            self.contact_minutes += row.minutes
            self.contacts += row.entries
        else:
            self.own_minutes += row.minutes
