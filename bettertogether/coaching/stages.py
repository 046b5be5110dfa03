"""Relationship stages: derived from what happened between a coach and a teacher, never typed.

    new → connected (any contact) → trusting (the teacher asked for help, or repeated contact
    over weeks) → partnering (a goal or cycle together) → data-driven (a cycle with student
    evidence)

`stage_for` is a pure function of the facts and the network's rules, and says why in plain
language. Facts that later capabilities provide (help requests, goals, cycles, evidence)
are fields of `Facts` that default to false until those capabilities fill them in.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext


class Stage(models.TextChoices):
    NEW = "new", gettext_lazy("New")
    CONNECTED = "connected", gettext_lazy("Connected")
    TRUSTING = "trusting", gettext_lazy("Trusting")
    PARTNERING = "partnering", gettext_lazy("Partnering")
    DATA_DRIVEN = "data_driven", gettext_lazy("Data-driven")


@dataclass(frozen=True)
class Facts:
    """What happened between one coach and one teacher."""

    contacts: int = 0
    first_contact: datetime.datetime | None = None
    last_contact: datetime.datetime | None = None
    asked_for_help: bool = False
    has_goal_or_cycle: bool = False
    has_evidence: bool = False


@dataclass(frozen=True)
class Rules:
    """The tunable part: see `RelationshipRules` for the network's own values."""

    trusting_min_contacts: int = 3
    trusting_min_weeks: int = 3


@dataclass(frozen=True)
class StageReading:
    stage: Stage
    reason: str

    @property
    def label(self) -> str:
        return str(self.stage.label)


def _weeks_between(first: datetime.datetime, last: datetime.datetime) -> int:
    return (last - first).days // 7


def _day(moment: datetime.datetime) -> str:
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return formats.date_format(moment, "j M")


def stage_for(facts: Facts, rules: Rules) -> StageReading:
    """The highest stage the facts reach, and why."""
    if facts.has_evidence:
        return StageReading(Stage.DATA_DRIVEN, _("A coaching cycle with student evidence"))
    if facts.has_goal_or_cycle:
        return StageReading(Stage.PARTNERING, _("Working on a goal or cycle together"))
    if facts.asked_for_help:
        return StageReading(Stage.TRUSTING, _("Asked you for help"))
    if facts.contacts <= 0 or facts.first_contact is None or facts.last_contact is None:
        return StageReading(Stage.NEW, _("No contact logged yet"))
    weeks = _weeks_between(facts.first_contact, facts.last_contact)
    if facts.contacts >= rules.trusting_min_contacts and weeks >= rules.trusting_min_weeks:
        return StageReading(Stage.TRUSTING, ngettext(
            "%(contacts)s contacts over %(weeks)s week",
            "%(contacts)s contacts over %(weeks)s weeks", weeks,
        ) % {"contacts": facts.contacts, "weeks": weeks})
    so_far = ngettext("%(n)s contact so far", "%(n)s contacts so far",
                      facts.contacts) % {"n": facts.contacts}
    return StageReading(Stage.CONNECTED, _("First contact on %(day)s; %(so_far)s") % {
        "day": _day(facts.first_contact), "so_far": so_far})
