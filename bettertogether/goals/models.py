"""Goals and coaching cycles: the work a coach and a teacher do together, and its evidence.

A **goal** is set together by a coach and a teacher (or a team of teachers): what students
will know or be able to do, the success criteria ("I can…" learning targets), how it will be
measured, the baseline and the target, and who does what by when. A goal-quality checklist
(powerful, easy, emotionally compelling, reachable, student-focused) is ticked by the pair.
A teacher also keeps their own **professional growth goals**.

A **coaching cycle** runs a goal through the **stages** of a **template**. Templates are data:
three ship built in (Impact Cycle; Student-Centered Coaching; a short tech-integration
cycle), and a network copies and edits its own. Each stage of a cycle keeps its plan, its
due date and when it was done; interactions logged against the cycle land in their stage.
Closing a cycle asks for both reflections and the outcome.

**Evidence** is class-level only — never a student's name: for each measure, the number of
students and either the share meeting the target or the mean and standard deviation of a
score, before, after and at checkpoints between. Anonymised work samples can be attached
and are served only through a permission check.

**Frameworks** of standards (framework → standards → indicators) are imported from CASE 1.1
JSON or CSV; goals, cycles and interactions are tagged with their items.

Who sees what:
- Goals, cycles, stage plans, reflections and evidence are pair-level: the coach and the
  teachers of that goal or cycle. A cycle's `private_notes` belong to its coach alone.
- Growth goals belong to the teacher and are shared with their coaches.
- Leaders and admins see counts only (cycles started and completed, goals met), and
  evidence only as aggregates over groups at least the organisation's minimum size.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- goals ----------------------------------------------------------------------------------


class GoalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    MET = "met", _("Met")
    PARTLY_MET = "partly_met", _("Partly met")
    NOT_MET = "not_met", _("Not met")
    DROPPED = "dropped", _("Dropped")


CLOSED_GOAL_STATUSES = (GoalStatus.MET, GoalStatus.PARTLY_MET, GoalStatus.NOT_MET,
                        GoalStatus.DROPPED)

# The goal-quality checklist (after Jim Knight's PEERS goals), in the order the pair reads it.
CHECKLIST = (
    ("is_powerful", _("Powerful: it will make a real difference for students")),
    ("is_easy", _("Easy: simple to understand and to explain")),
    ("is_emotionally_compelling", _("Emotionally compelling: it matters to the teacher")),
    ("is_reachable", _("Reachable: measurable, and within reach this cycle")),
    ("is_student_focused", _("Student-focused: about what students know or do")),
)


class Goal(models.Model):
    network = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                related_name="+")
    school = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                               related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="goals_coached")
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="goals",
                                      verbose_name=_("teachers"))
    title = models.CharField(_("title"), max_length=160)
    student_outcome = models.TextField(
        _("what students will know or do"), max_length=2000,
        help_text=_("Written about students: “Students will explain their reasoning…”"))
    success_criteria = models.TextField(
        _("success criteria"), max_length=2000, blank=True,
        help_text=_("“I can…” learning targets, one a line."))
    measure = models.TextField(_("how it will be measured"), max_length=1000, blank=True)
    baseline = models.CharField(_("baseline"), max_length=300, blank=True)
    target = models.CharField(_("target"), max_length=300, blank=True)
    expectations = models.TextField(
        _("expectations"), max_length=2000, blank=True,
        help_text=_("Who does what by when: “Coach models on 3 Dec; teacher tries it…”"))
    is_powerful = models.BooleanField(default=False)
    is_easy = models.BooleanField(default=False)
    is_emotionally_compelling = models.BooleanField(default=False)
    is_reachable = models.BooleanField(default=False)
    is_student_focused = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=GoalStatus.choices,
                              default=GoalStatus.DRAFT)
    reflection = models.TextField(_("reflection"), max_length=4000, blank=True)
    indicators = models.ManyToManyField("goals.FrameworkItem", blank=True, related_name="goals")
    source_request = models.ForeignKey("menu.SupportRequest", on_delete=models.SET_NULL,
                                       null=True, blank=True, related_name="goals")
    idempotency_key = models.UUIDField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["coach", "idempotency_key"],
                                    name="goal_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["coach", "status"], name="goal_coach_status"),
            models.Index(fields=["school", "status"], name="goal_school_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_GOAL_STATUSES

    @property
    def checklist(self) -> list[tuple[str, str, bool]]:
        return [(name, label, getattr(self, name)) for name, label in CHECKLIST]


class GrowthGoal(models.Model):
    """A teacher's own professional growth goal, shared with their coaches."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Working on it")
        DONE = "done", _("Done")
        SET_ASIDE = "set_aside", _("Set aside")

    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="growth_goals")
    title = models.CharField(_("goal"), max_length=200)
    description = models.TextField(_("what it looks like when I get there"), max_length=2000,
                                   blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["status", "-created_at", "-id"]
        indexes = [models.Index(fields=["teacher", "status"], name="growth_goal_teacher")]

    def __str__(self) -> str:
        return self.title


# --- cycle templates ------------------------------------------------------------------------


class Purpose(models.TextChoices):
    """What a stage (or a conversation resource) is for."""

    IDENTIFY = "identify", _("Identify")
    GOAL = "goal", _("Set the goal")
    LEARN = "learn", _("Learn")
    PLAN = "plan", _("Plan")
    ASSESS = "assess", _("Assess")
    TEACH = "teach", _("Teach together")
    IMPROVE = "improve", _("Improve")
    REFLECT = "reflect", _("Reflect")
    DEBRIEF = "debrief", _("Debrief")


class CycleTemplate(models.Model):
    network = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                null=True, blank=True, related_name="cycle_templates",
                                help_text=_("Empty for a built-in template."))
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="copies")
    is_active = models.BooleanField(_("offered"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["network_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="cycle_template_name",
                                    condition=Q(network__isnull=False)),
            models.UniqueConstraint(fields=["name"], name="cycle_template_builtin_name",
                                    condition=Q(network__isnull=True)),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_built_in(self) -> bool:
        return self.network_id is None


class TemplateStage(models.Model):
    template = models.ForeignKey(CycleTemplate, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(_("name"), max_length=80)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    guidance = models.TextField(_("what happens in this stage"), max_length=2000, blank=True)
    expected_days = models.PositiveSmallIntegerField(_("expected length in days"), default=7)
    collects_evidence = models.BooleanField(
        _("student evidence is gathered here"), default=False,
        help_text=_("A pre-assessment, a checkpoint or a post-assessment."))

    class Meta:
        ordering = ["template_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "position"],
                                    name="template_stage_position"),
        ]

    def __str__(self) -> str:
        return self.name


# --- cycles ---------------------------------------------------------------------------------


class CycleStatus(models.TextChoices):
    ACTIVE = "active", _("Under way")
    COMPLETED = "completed", _("Completed")
    STOPPED = "stopped", _("Stopped early")


class Outcome(models.TextChoices):
    MET = "met", _("Goal met")
    PARTLY_MET = "partly_met", _("Goal partly met")
    NOT_MET = "not_met", _("Goal not met")


class Cycle(models.Model):
    network = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                related_name="+")
    school = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                               related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="cycles_coached")
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="cycles",
                                      verbose_name=_("teachers"))
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="cycles")
    template = models.ForeignKey(CycleTemplate, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=160)
    status = models.CharField(max_length=12, choices=CycleStatus.choices,
                              default=CycleStatus.ACTIVE)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices,
                               blank=True)
    coach_reflection = models.TextField(_("coach's reflection"), max_length=4000, blank=True)
    teacher_reflection = models.TextField(_("teacher's reflection"), max_length=4000,
                                          blank=True)
    private_notes = models.TextField(
        _("private notes"), max_length=4000, blank=True,
        help_text=_("Only you ever see these: not the teacher, not anyone else."))
    indicators = models.ManyToManyField("goals.FrameworkItem", blank=True, related_name="cycles")
    started_on = models.DateField(_("starts"))
    idempotency_key = models.UUIDField(editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["coach", "idempotency_key"],
                                    name="cycle_once_per_key"),
            # A goal is worked on by one cycle at a time: closing it closes the goal.
            models.UniqueConstraint(fields=["goal"], condition=Q(status="active"),
                                    name="cycle_one_active_per_goal"),
        ]
        indexes = [
            models.Index(fields=["coach", "status"], name="cycle_coach_status"),
            models.Index(fields=["school", "status"], name="cycle_school_status"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_active(self) -> bool:
        return self.status == CycleStatus.ACTIVE


class CycleStage(models.Model):
    """One stage of one cycle: copied from the template when the cycle starts, so editing a
    template never rewrites a cycle under way."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="stages")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    guidance = models.TextField(max_length=2000, blank=True)
    collects_evidence = models.BooleanField(default=False)
    due_on = models.DateField(_("due"))
    plan = models.TextField(_("what we plan"), max_length=4000, blank=True)
    happened = models.TextField(_("what happened"), max_length=4000, blank=True)
    completed_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["cycle_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "position"], name="cycle_stage_position"),
        ]
        indexes = [
            models.Index(fields=["due_on"], condition=Q(completed_on__isnull=True),
                         name="cycle_stage_open_due"),
        ]

    def __str__(self) -> str:
        return self.name


class StageInteraction(models.Model):
    """An interaction of the coach's log that belongs to a stage of a cycle."""

    stage = models.ForeignKey(CycleStage, on_delete=models.CASCADE, related_name="links")
    interaction = models.OneToOneField("coaching.Interaction", on_delete=models.CASCADE,
                                       related_name="cycle_stage_link")

    def __str__(self) -> str:
        return f"Interaction {self.interaction_id} in stage {self.stage_id}"


# --- conversation resources -----------------------------------------------------------------


class ConversationResource(models.Model):
    """Question stems or a protocol for a stage and purpose: built in, the network's, or a
    coach's own."""

    class Kind(models.TextChoices):
        STEMS = "stems", _("Question stems")
        PROTOCOL = "protocol", _("Protocol")

    network = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                null=True, blank=True, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True,
                              blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    purpose = models.CharField(_("purpose"), max_length=12, choices=Purpose.choices)
    title = models.CharField(_("title"), max_length=160)
    body = models.TextField(_("text"), max_length=6000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["purpose", "title", "id"]
        indexes = [models.Index(fields=["purpose"], name="resource_purpose")]

    def __str__(self) -> str:
        return self.title


# Frameworks and evidence live in modules of their own; they are this app's models all the
# same, and are imported from here like the rest.
from .evidence_models import (  # noqa: E402
    EvidenceMeasure,
    EvidencePoint,
    EvidenceSample,
    MeasureKind,
)
from .frameworks.models import Framework, FrameworkItem, InteractionIndicator  # noqa: E402

__all__ = [
    "CHECKLIST", "CLOSED_GOAL_STATUSES", "ConversationResource", "Cycle", "CycleStage",
    "CycleStatus", "CycleTemplate", "EvidenceMeasure", "EvidencePoint", "EvidenceSample",
    "Framework", "FrameworkItem", "Goal", "GoalStatus", "GrowthGoal", "InteractionIndicator",
    "MeasureKind", "Outcome", "Purpose", "StageInteraction", "TemplateStage",
]
