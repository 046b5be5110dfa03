"""What every part of a report shares: its filters and scope, the context a report is built
in, the shape of a section (a table and its chart) and a few small helpers.

Where the rest lives:

- `query.py` turns the scope and the filters into the SQL conditions of every source;
- `sources.py` decides which tally (or the log) answers each question, and reads the hours;
- `rows.py` names the rows the queries return;
- `sections_time.py`, `sections_teachers.py`, `sections_outcomes.py` build the sections;
- `engine.py` puts a report together and says what a report is.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import NotRequired, TypedDict

from django.utils import formats

from bettertogether.directory.calendar import midnight
from bettertogether.directory.models import Organisation, Person
from bettertogether.goals.models import GoalStatus

from .models import ReportKind
from .rows import KindName, SchoolTeacherRow, TermRow

OWN, LEADER = "own", "leader"
MET_STATUSES = (GoalStatus.MET, GoalStatus.PARTLY_MET)
DAY = datetime.timedelta(days=1)
FILTER_NAMES = ("school_id", "grade_id", "subject_id", "coach_id", "kind_id")


@dataclass(frozen=True)
class Filters:
    start: datetime.date
    end: datetime.date  # inclusive
    school_id: int | None = None
    grade_id: int | None = None
    subject_id: int | None = None
    coach_id: int | None = None
    kind_id: int | None = None

    @property
    def teacher_filtered(self) -> bool:
        return bool(self.grade_id or self.subject_id)

    def as_data(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(),
                **{name: getattr(self, name) for name in FILTER_NAMES
                   if getattr(self, name)}}

    @classmethod
    def from_data(cls, data: dict) -> Filters:
        return cls(start=datetime.date.fromisoformat(data["start"]),
                   end=datetime.date.fromisoformat(data["end"]),
                   **{name: data.get(name) for name in FILTER_NAMES})


@dataclass(frozen=True)
class Scope:
    """What a report is about and for whom: a coach's own work, a school, or a network."""

    kind: str
    network: Organisation
    school: Organisation | None = None
    coach: Person | None = None
    audience: str = LEADER
    recounting: bool = False  # the network's tallies are being recounted (`coaching.tallies`)

    @property
    def suppresses(self) -> bool:
        """Read by a leader, an admin or a snapshot's reader: every figure passes the
        disclosure gate (`directory.disclosure`)."""
        return self.audience == LEADER

    @property
    def school_id(self) -> int | None:
        """The school a school's report is about (None for the others)."""
        return self.school.pk if self.kind == ReportKind.SCHOOL else None

    @property
    def coach_id(self) -> int | None:
        """The coach a coach's own report is about (None for the others)."""
        return self.coach.pk if self.kind == ReportKind.COACH else None


@dataclass
class ReportContext:
    """One report being built: its scope and filters, and what is read once and shared by
    its sections."""

    scope: Scope
    filters: Filters
    zone: object
    since: datetime.datetime  # the period's first moment, in the network's zone
    until: datetime.datetime  # the moment after its last day
    terms: list[TermRow] = field(default_factory=list)
    teachers: object = None  # a subquery of the teachers the grade/subject filters leave
    # For a leader's report across schools: each school's teachers (under the grade or
    # subject filter), and the schools too small to describe, left out of every figure.
    sizes: dict = field(default_factory=dict)
    excluded: frozenset = frozenset()
    coach_teachers: list[SchoolTeacherRow] | None = None  # a coach's caseload, once read

    @property
    def school_id(self) -> int | None:
        """The one school the report reads: a school's report, or the school filter."""
        return self.scope.school_id or self.filters.school_id

    @property
    def coach_id(self) -> int | None:
        """The one coach the report reads: a coach's own report, or the coach filter."""
        return self.scope.coach_id or self.filters.coach_id

    def narrowed_to(self, filters: Filters) -> ReportContext:
        """The same report over other days (the comparison of two terms)."""
        return ReportContext(scope=self.scope, filters=filters, zone=self.zone,
                             since=midnight(filters.start, self.zone),
                             until=midnight(filters.end + DAY, self.zone),
                             teachers=self.teachers, sizes=self.sizes, excluded=self.excluded)


@dataclass(frozen=True)
class ReportNames:
    """The names a report may print, by id: kinds of support, schools, coaches, grades and
    subjects of its network (read once by the engine)."""

    kinds: dict[int, KindName]
    schools: dict[int, str]
    coaches: dict[int, str]
    grades: dict[int, str]
    subjects: dict[int, str]


# --- the shape of a section: a table, and a chart drawn from it -----------------------------

class Chart(TypedDict):
    """A chart of its table's own columns: `label` is the column that names the bars or
    points, `values` the columns drawn as series (positions in `Section.columns`)."""

    type: str  # "bar" or "line"
    label: int
    values: list[int]
    unit: str


class Section(TypedDict):
    """One part of a report as every surface shows it: the page, the PDF, CSV, Excel and a
    snapshot (stored as it is: JSON). Each row holds one cell per column, in the columns'
    order; a hidden cell is `disclosure.HIDDEN`."""

    id: str
    title: str
    description: str
    columns: list[str]
    rows: list[list]
    chart: Chart | None
    note: str


class Headline(TypedDict):
    label: str
    value: object  # a number, or `disclosure.HIDDEN`
    detail: str


class Period(TypedDict):
    start: str  # ISO dates
    end: str
    label: str


class Report(TypedDict):
    """A whole report: what the page, the PDF, the exports and a snapshot show. JSON-ready,
    so a snapshot stores it as it is (one stored before `recounting` existed lacks it)."""

    kind: str
    audience: str
    min_teachers: int
    title: str
    period: Period
    filters: list[dict]  # {"label", "value"} of each filter in force
    suppressed: str  # why no figure is shown, or ""
    recounting: NotRequired[str]
    headline: list[Headline]
    sections: list[Section]


def make_table(table_id: str, title: str, columns: list[str], rows: list[list], *,
               description: str = "", chart: Chart | None = None, note: str = "") -> Section:
    return {"id": table_id, "title": title, "description": description, "columns": columns,
            "rows": rows, "chart": chart, "note": note}


def make_chart(kind: str, label: int, values: list[int], *, unit: str = "") -> Chart:
    """A chart of the table's own columns: `label` names the bars, `values` the series."""
    return {"type": kind, "label": label, "values": values, "unit": unit}


# --- small helpers ---------------------------------------------------------------------------

def hours(minutes: int | None) -> float:
    return round((minutes or 0) / 60, 1)


def share(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def day_label(day: datetime.date) -> str:
    return formats.date_format(day, "j M Y")


def cell_share(part: int, whole: int) -> str:
    found = share(part, whole)
    return "—" if found is None else f"{found}%"
