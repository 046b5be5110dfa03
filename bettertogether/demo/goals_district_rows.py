"""The rows of the benchmark's goals and cycles, one story at a time (`goals_district`
decides how many of each): a goal, the cycle run on it with the template's stages and
their dates, its measures and their points. Ids are given here so rows can refer to each
other before a single `COPY` per table writes them."""

from __future__ import annotations

import datetime
import random
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import NOT_PROVIDED, UUIDField

from bettertogether.goals.models import (
    Cycle,
    CycleStage,
    EvidenceMeasure,
    EvidencePoint,
    Goal,
    GrowthGoal,
    InteractionIndicator,
    StageInteraction,
)

from .coaching_district import first_free_id, write_rows
from .goals_vocabulary import (
    COACH_REFLECTIONS,
    PRIVATE_NOTES,
    STAGE_WORDS,
    TEACHER_REFLECTIONS,
    Idea,
)

DAY = datetime.timedelta(days=1)
EXTRA_MEASURES = (("Exit ticket: meets the learning target", "share", "Meets the target", None),
                  ("Work sample: meets the success criteria", "share", "Every criterion", None),
                  ("Quick check", "score", "", 10))
# Growth by outcome: share of students (percentage points) and effect size of a score.
GROWTH = {"met": ((0.2, 0.45), (0.6, 1.4)), "partly_met": ((0.05, 0.25), (0.25, 0.7)),
          "not_met": ((-0.08, 0.08), (-0.1, 0.25))}


class Table:
    """Rows of one table with the ids they will have; written with one `COPY`."""

    def __init__(self, model, columns: tuple[str, ...]):
        self.model, self.columns, self.rows = model, columns, []
        self.next = first_free_id(model)

    def add(self, *values) -> int:
        pk, self.next = self.next, self.next + 1
        self.rows.append((pk, *values))
        return pk

    def write(self, rng: random.Random) -> None:
        """Columns this seeder does not know of (added to the model since) get their
        default, NULL or a fresh UUID; anything else is a mistake to fix here."""
        extra = [f for f in self.model._meta.concrete_fields
                 if f.column not in ("id", *self.columns)]
        fillers = [_filler(rng, self.model, f) for f in extra]
        rows = self.rows if not extra else [
            (*row, *(fill() for fill in fillers)) for row in self.rows]
        write_rows(self.model, ("id", *self.columns, *(f.column for f in extra)), rows)


def _filler(rng: random.Random, model, f):
    if isinstance(f, UUIDField):
        return lambda: uuid.UUID(int=rng.getrandbits(128), version=4)
    if f.default is not NOT_PROVIDED:
        return f.get_default
    if f.null:
        return lambda: None
    raise RuntimeError(f"{model.__name__}.{f.name} is new: teach goals_district_rows to fill it.")


@dataclass
class Plan:
    """One measure's evidence before its values are drawn: `monitored` measures get a
    checkpoint every few school days (exit tickets) instead of one to three."""

    cycle: int
    measure: int
    kind: str
    scale: float | None
    students: int
    outcome: str
    before: datetime.date | None
    after: datetime.date | None
    last: datetime.date  # the latest day a checkpoint may have
    checkpoints: list[datetime.date] = field(default_factory=list)
    start: tuple = ()  # the class before: (share meeting the target, mean, sd)


class Rows:
    def __init__(self, rng: random.Random, network_id: int, zone, today: datetime.date,
                 templates: dict[str, tuple[int, list]]):
        self.rng, self.network_id, self.zone, self.today = rng, network_id, zone, today
        self.templates = templates
        self.goals = Table(Goal, (
            "network_id", "school_id", "coach_id", "title", "student_outcome",
            "success_criteria", "measure", "baseline", "target", "expectations",
            "is_powerful", "is_easy", "is_emotionally_compelling", "is_reachable",
            "is_student_focused", "status", "reflection", "source_request_id",
            "idempotency_key", "created_at", "updated_at", "closed_at"))
        self.goal_teachers = Table(Goal.teachers.through, ("goal_id", "person_id"))
        self.goal_tags = Table(Goal.indicators.through, ("goal_id", "frameworkitem_id"))
        self.cycles = Table(Cycle, (
            "network_id", "school_id", "coach_id", "goal_id", "template_id", "title",
            "status", "outcome", "coach_reflection", "teacher_reflection", "private_notes",
            "started_on", "idempotency_key", "created_at", "updated_at", "closed_at"))
        self.cycle_teachers = Table(Cycle.teachers.through, ("cycle_id", "person_id"))
        self.cycle_tags = Table(Cycle.indicators.through, ("cycle_id", "frameworkitem_id"))
        self.stages = Table(CycleStage, (
            "cycle_id", "position", "name", "purpose", "guidance", "collects_evidence",
            "due_on", "plan", "happened", "completed_on"))
        self.measures = Table(EvidenceMeasure, (
            "cycle_id", "name", "kind", "target_description", "scale_max", "position",
            "created_at"))
        self.points = Table(EvidencePoint, (
            "measure_id", "moment", "taken_on", "students", "meeting_target", "mean", "sd",
            "created_at"))
        self.stage_links = Table(StageInteraction, ("stage_id", "interaction_id"))
        self.interaction_tags = Table(InteractionIndicator, ("interaction_id", "item_id"))
        self.growth = Table(GrowthGoal, ("teacher_id", "title", "description", "status",
                                         "created_at", "updated_at"))
        self.plans: list[Plan] = []
        # Stages of this year's cycles: (stage, coach, teacher, from, to, first indicator).
        self.windows: list[tuple] = []

    def tables(self) -> list[Table]:
        return [table for table in vars(self).values() if isinstance(table, Table)]

    def _uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def at(self, day: datetime.date, hour: int = 15) -> datetime.datetime:
        minute = self.rng.randrange(0, 120, 5)
        return datetime.datetime.combine(day, datetime.time(hour + minute // 60, minute % 60),
                                         tzinfo=self.zone)

    # --- goals ----------------------------------------------------------------------------

    def klass(self, idea: Idea) -> tuple:
        """The class a goal is for, as its first measure finds it before the cycle: (students,
        kind, highest score, share meeting the target, mean, SD)."""
        rng = self.rng
        students = rng.randint(8, 12) if rng.random() < 0.12 else int(rng.triangular(14, 33, 24))
        _name, kind, _target, scale = idea.measures[0]
        top = float(scale or 100)
        return (students, kind, scale, rng.uniform(0.1, 0.6), top * rng.uniform(0.3, 0.55),
                top * rng.uniform(0.12, 0.22))

    def goal(self, idea: Idea, coach: int, school: int, teachers, status: str, created,
             klass: tuple, *, closed=None, request=None, tags=(), checks: int = 5,
             reflection: str = "") -> int:
        base, goal = _baseline(self.rng, klass)
        pk = self.goals.add(
            self.network_id, school, coach, idea.title, idea.outcome, idea.criteria,
            idea.measure, idea.baseline.format(base=base), idea.target.format(goal=goal),
            idea.expectations, *(i < checks for i in range(5)), status, reflection, request,
            self._uuid(), created, closed or created, closed)
        for teacher in teachers:
            self.goal_teachers.add(pk, teacher)
        for item in tags:
            self.goal_tags.add(pk, item)
        return pk

    def growth_goal(self, teacher: int, title: str, description: str, status: str,
                    written) -> None:
        self.growth.add(teacher, title, description, status, written,
                        written + datetime.timedelta(days=self.rng.randint(0, 60))
                        if status != "active" else written)

    # --- cycles ---------------------------------------------------------------------------

    def timeline(self, template: str, started: datetime.date, state: str,
                 limit: datetime.date, done_count: int | None = None):
        """Due dates as `cycle_start` sets them, when each stage was done (`done_count`
        stages, if given), and when the cycle closed: completed, stopped early, or under
        way as of `today`."""
        rng, stages = self.rng, self.templates[template][1]
        due, dues = started, []
        for stage in stages:
            due += stage[4] * DAY
            dues.append(due)
        done, previous = [], started
        count = rng.randint(1, len(dues) - 1) if state == "stopped" else len(dues)
        for due in dues[:count if done_count is None else done_count]:
            if state == "active" and done_count is None and (
                    due >= self.today or rng.random() > 0.82):
                break  # not done yet: the stage is due, or overdue
            day = min(max(previous, due + rng.randint(-3, 6) * DAY), limit - DAY)
            previous = day = day - max(0, day.weekday() - 4) * DAY
            done.append(max(day, started))
        if state == "active" and len(done) == len(dues):
            done.pop()  # a cycle whose every stage is done would have been closed
        closed = None
        if state != "active":
            closed = min(limit - DAY,
                         done[-1] + rng.randint(0, 4 if state == "completed" else 20) * DAY)
        return dues, done + [None] * (len(dues) - len(done)), closed

    def cycle(self, goal: int, idea: Idea, coach: int, school: int, teachers, template: str,
              started: datetime.date, state: str, outcome: str, limit: datetime.date,
              klass: tuple, *, tags=(), measures: int = 1, this_year: bool = False,
              done_count: int | None = None,
              private: str | None = None) -> tuple[int, datetime.date | None]:
        rng = self.rng
        dues, done, closed = self.timeline(template, started, state, limit, done_count)
        closed_at = self.at(closed, 16) if closed else None
        touched = max((day for day in done if day), default=started)
        pk = self.cycles.add(
            self.network_id, school, coach, goal, self.templates[template][0], idea.title,
            state, outcome, rng.choice(COACH_REFLECTIONS[outcome]) if outcome else "",
            rng.choice(TEACHER_REFLECTIONS) if outcome and rng.random() < 0.7 else "",
            private if private is not None else rng.choice(PRIVATE_NOTES)
            if rng.random() < 0.15 else "", started, self._uuid(),
            self.at(started, 14), closed_at or self.at(touched, 16), closed_at)
        for teacher in teachers:
            self.cycle_teachers.add(pk, teacher)
        for item in tags:
            self.cycle_tags.add(pk, item)
        if closed is not None:  # the goal just added closes with its cycle
            *row, _updated, _closed = self.goals.rows[-1]
            self.goals.rows[-1] = (*row, closed_at, closed_at)
        evidence_windows, begin = [], started
        current = next((i for i, day in enumerate(done) if day is None), None)
        for i, (stage, due, day) in enumerate(zip(self.templates[template][1], dues, done,
                                                  strict=True)):
            position, name, purpose, guidance, _days, collects = stage
            plan, happened = rng.choice(STAGE_WORDS[purpose])
            if day is None and i != current:
                plan = ""
            stage_pk = self.stages.add(pk, position, name, purpose, guidance, collects, due,
                                       plan, happened if day else "", day)
            end = day or (min(due, self.today - DAY) if state == "active" else closed)
            if this_year and begin <= (end or begin) and (day or i == current):
                self.windows.append((stage_pk, coach, teachers[0], begin, end,
                                     tags[0] if tags else None))
            if collects:
                evidence_windows.append((begin, end if day else None))
            begin = day or due
        self._measures(pk, idea, measures, evidence_windows, outcome or rng.choice(
            ("met", "partly_met")), klass, closed or self.today - DAY)
        return pk, closed

    def _measures(self, cycle: int, idea: Idea, count: int, windows: list, outcome: str,
                  klass: tuple, last: datetime.date) -> None:
        rng = self.rng
        chosen = (idea.measures + EXTRA_MEASURES)[:count]
        first, final = windows[0], windows[-1]
        before = min(first[0] + rng.randint(0, 3) * DAY, first[1] or last)
        after = final[1] - rng.randint(0, 2) * DAY if final[1] else None
        if after is not None and after <= before:
            after = None
        for position, (name, kind, target, scale) in enumerate(chosen):
            made = self.at(min(before, last), 16)
            pk = self.measures.add(cycle, name, kind, target,
                                   Decimal(scale) if scale else None, position, made)
            plan = Plan(cycle, pk, kind, float(scale) if scale else None, klass[0], outcome,
                        before if before <= last else None, after, min(last, after or last),
                        start=klass[3:] if position == 0 else ())
            if plan.before is not None:
                span = (plan.last - before).days
                plan.checkpoints = sorted({before + rng.randint(1, span - 1) * DAY
                                           for _ in range(rng.randint(1, 3))}) if span > 2 else []
            self.plans.append(plan)

    # --- points ---------------------------------------------------------------------------

    def points_of(self, plan: Plan) -> int:
        """Draw the plan's values and add its points: before, checkpoints, after."""
        if plan.before is None:
            return 0
        rng, moments = self.rng, [("before", plan.before)]
        moments += [("checkpoint", day) for day in plan.checkpoints if plan.before < day]
        if plan.after is not None:
            moments.append(("after", plan.after))
        (low, high), (d_low, d_high) = GROWTH[plan.outcome]
        growth = rng.uniform(low, high) if plan.kind == "share" else rng.uniform(d_low, d_high)
        top = plan.scale or 100.0
        share0, mean0, sd0 = plan.start or (rng.uniform(0.1, 0.6), top * rng.uniform(0.3, 0.55),
                                            top * rng.uniform(0.12, 0.22))
        span = max(1, ((plan.after or plan.last) - plan.before).days)
        for moment, day in moments:
            students = max(8, plan.students - rng.randint(0, 2))
            progress = (day - plan.before).days / span
            if plan.kind == "share":
                share = share0 + growth * progress + (rng.gauss(0, 0.04) if progress else 0)
                meeting = min(students, max(0, round(share * students)))
                values = (meeting, None, None)
            else:
                mean = min(top * 0.97, max(0.0, mean0 + growth * sd0 * progress
                                           + (rng.gauss(0, 0.08) * sd0 if progress else 0)))
                sd = min(top, sd0 * rng.uniform(0.85, 1.1))
                values = (None, Decimal(f"{mean:.2f}"), Decimal(f"{sd:.2f}"))
            self.points.add(plan.measure, moment, day, students, *values,
                            self.at(day, 16))
        return len(moments)


def _baseline(rng: random.Random, klass: tuple) -> tuple[str, str]:
    """Words for a goal's baseline and target from its class: how many students meet the
    target now and how many should, or the class mean now and the mean aimed at."""
    students, kind, scale, share, mean, _sd = klass
    if kind == "share":
        now = round(students * share)
        aim = min(students, now + round(students * rng.uniform(0.25, 0.4)))
        return f"{now} of {students} students", f"{aim} of {students} students"
    top = scale or 100
    return f"{mean:.1f}" + (f" of {top}" if scale else ""), f"{min(top, mean * 1.4):.0f}"
