"""Facts that later capabilities add to the caseload, without this app importing them.

The caseload reads what happened between a coach and each teacher. The log is this app's
own; requests (the coaching menu), goals and cycles live in apps that depend on this one,
so they register a *fact source* when they start (in their `AppConfig.ready`):

    def request_facts(*, coach_id: int, teacher_ids: list[int]) -> dict[int, dict]:
        ...one query...
        return {teacher_id: {"asked_for_help": True, "open_requests": 2}}

Each source answers for a whole caseload in a fixed number of queries, so the caseload
costs the same at any size. Keys a source may return are the fields of `ExtraFacts`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

FactSource = Callable[..., dict[int, dict]]

_sources: list[FactSource] = []


@dataclass(frozen=True)
class ExtraFacts:
    asked_for_help: bool = False
    open_requests: int = 0
    oldest_open_request: object = None  # when the oldest open request was made
    has_goal_or_cycle: bool = False
    has_evidence: bool = False
    live_goals: int = 0  # goals drafted or under way
    active_cycles: int = 0
    next_stage_due: object = None  # the earliest due date of an open stage of a cycle


_FIELDS = frozenset(field.name for field in dataclasses.fields(ExtraFacts))


def register(source: FactSource) -> None:
    """Add a fact source (once; registering the same function again changes nothing)."""
    if source not in _sources:
        _sources.append(source)


def gather(*, coach_id: int, teacher_ids: list[int]) -> dict[int, ExtraFacts]:
    """Every registered source's facts about these teachers, merged per teacher."""
    merged: dict[int, dict] = {}
    for source in _sources:
        for teacher_id, values in source(coach_id=coach_id, teacher_ids=teacher_ids).items():
            merged.setdefault(teacher_id, {}).update(
                {key: value for key, value in values.items() if key in _FIELDS})
    return {teacher_id: ExtraFacts(**values) for teacher_id, values in merged.items()}


# --- timeline events ----------------------------------------------------------------------
#
# A teacher's timeline shows the log's interactions and, from later capabilities, events
# such as "asked for Co-plan a lesson" or "a session: Observe the number talk". An event
# carries metadata only (a title, a status, a link to a page that checks who is looking),
# never what anyone wrote, so it is safe on either person's timeline.


@dataclass(frozen=True)
class TimelineEvent:
    occurred_at: object  # an aware datetime
    title: str
    status: str
    url: str
    is_event: bool = True


TimelineSource = Callable[..., list[TimelineEvent]]

_timeline_sources: list[TimelineSource] = []


def register_timeline(source: TimelineSource) -> None:
    """Add a timeline source: `source(*, coach_id, teacher_id, limit)`, where `coach_id` is
    None for the teacher's own timeline (every coach)."""
    if source not in _timeline_sources:
        _timeline_sources.append(source)


def timeline_events(*, coach_id: int | None, teacher_id: int, limit: int) -> list:
    events: list[TimelineEvent] = []
    for source in _timeline_sources:
        events.extend(source(coach_id=coach_id, teacher_id=teacher_id, limit=limit))
    return events


# --- sections of the teacher page ---------------------------------------------------------
#
# A teacher as their coach sees them (`views.teacher`) shows what later capabilities keep
# about that teacher, such as the teacher's own growth goals. A section source decides
# who may see its rows (through its own app's rules) and answers None for anyone else, so
# the page draws nothing it was not given.


@dataclass(frozen=True)
class TeacherSection:
    template: str  # drawn with `section` in its context
    rows: list


TeacherSectionSource = Callable[..., TeacherSection | None]

_teacher_section_sources: list[TeacherSectionSource] = []


def register_teacher_section(source: TeacherSectionSource) -> None:
    """Add a section source: `source(*, actor, teacher)`, a `TeacherSection` or None."""
    if source not in _teacher_section_sources:
        _teacher_section_sources.append(source)


def teacher_sections(*, actor, teacher) -> list[TeacherSection]:
    found = (source(actor=actor, teacher=teacher) for source in _teacher_section_sources)
    return [section for section in found if section is not None]
