"""A roster as Better Together understands it, whatever file it came from.

The OneRoster reader and the plain-CSV reader both produce a `Roster`; the writer turns a
`Roster` into schools, people, roles, profiles and classes. Nothing here names a student:
students are only counted, per class.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

# The key of a network-level role in `RosterPerson.roles` (schools are keyed by sourcedId,
# or by name for a plain CSV).
NETWORK = ""


@dataclass
class RosterSchool:
    key: str  # sourcedId, or the school's name in a plain CSV
    name: str
    removed: bool = False  # status tobedeleted
    file: str = ""
    line: int = 0


@dataclass
class RosterPerson:
    source_id: str  # empty for a plain CSV, which matches people by email
    email: str
    full_name: str
    preferred_name: str = ""
    enabled: bool = True
    removed: bool = False  # status tobedeleted
    # (role, school key) pairs; the key is NETWORK for a network-level role.
    roles: set[tuple[str, str]] = field(default_factory=set)
    grades: set[str] = field(default_factory=set)  # grade codes or names, as given
    subjects: set[str] = field(default_factory=set)
    file: str = ""
    line: int = 0


@dataclass
class RosterClassRecord:
    source_id: str
    school_key: str
    title: str
    subject: str
    grades: list[str]
    teacher_ids: list[str]  # sourcedIds, the primary teacher first
    student_count: int | None  # None: leave the stored count as it is (delta enrollments)
    removed: bool = False


@dataclass
class Roster:
    kind: str
    district_id: str = ""
    district_name: str = ""
    schools: list[RosterSchool] = field(default_factory=list)
    people: list[RosterPerson] = field(default_factory=list)
    classes: list[RosterClassRecord] = field(default_factory=list)
    # Which lists are complete (bulk): only a complete list can say someone has gone.
    complete_people: bool = False
    complete_classes: bool = False
    # People the roster lists but does not bring in, by their OneRoster role.
    skipped: Counter = field(default_factory=Counter)
    students_counted: int = 0
