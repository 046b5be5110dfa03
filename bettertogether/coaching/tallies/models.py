"""The tallies of the coach's log, and the network recounts waiting for the task worker.

The tables keep the names they had when the reports app owned them (`reports_weektally`,
…): the models moved here so that the services writing the log can recount them without
the coaching app importing the reports. They hold counts, minutes and moments only — never
a note:

- `WeekTally`: one coach's log in one week (Monday, network time), by school and kind.
- `CoachWeek`: the same without the kind — the trend, the schools and the coaches.
- `KindWeek`: a whole network's week by kind — the network-wide report's hours.
- `PairTerm`: one coach's contacts with one teacher within one term (or month before the
  first term): how many, how long, the first and the last. The term-by-term depth of
  coaching comes from it.
- `PairReach`: the months of contact of each coach and teacher, as bits. Teachers reached,
  coverage and caseload balance come from it.
- `TallyRecount`: a change of a network's calendar whose recount has not finished; while
  one is pending the reports say their figures are being recounted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WeekTally(models.Model):
    network = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    school = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, null=True,
                               related_name="+")
    kind = models.ForeignKey("coaching.SupportKind", on_delete=models.CASCADE, related_name="+")
    is_contact = models.BooleanField()
    week = models.DateField()
    interactions = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()
    teacher_contacts = models.PositiveIntegerField()

    class Meta:
        db_table = "reports_weektally"
        indexes = [
            models.Index(fields=["network", "week"], name="week_tally_network"),
            models.Index(fields=["school", "week"], name="week_tally_school"),
            models.Index(fields=["coach", "week"], name="week_tally_coach"),
        ]

    def __str__(self) -> str:
        return f"Week {self.week} of coach {self.coach_id}"


class CoachWeek(models.Model):
    network = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    school = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, null=True,
                               related_name="+")
    is_contact = models.BooleanField()
    week = models.DateField()
    interactions = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()
    teacher_contacts = models.PositiveIntegerField()

    class Meta:
        db_table = "reports_coachweek"
        indexes = [
            models.Index(fields=["network", "week"], name="coach_week_network"),
            models.Index(fields=["school", "week"], name="coach_week_school"),
            models.Index(fields=["coach", "week"], name="coach_week_coach"),
        ]

    def __str__(self) -> str:
        return f"Week {self.week} of coach {self.coach_id}"


class KindWeek(models.Model):
    """A network's whole log in one week, by kind: the network-wide report's hours."""

    network = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                related_name="+")
    kind = models.ForeignKey("coaching.SupportKind", on_delete=models.CASCADE, related_name="+")
    is_contact = models.BooleanField()
    week = models.DateField()
    interactions = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()
    teacher_contacts = models.PositiveIntegerField()

    class Meta:
        db_table = "reports_kindweek"
        indexes = [models.Index(fields=["network", "week"], name="kind_week_network")]

    def __str__(self) -> str:
        return f"Week {self.week} of network {self.network_id}"


class PairReach(models.Model):
    """The months in which one coach had a contact with one teacher at one school, as bits.

    Month n counts from January 1999 (network time): bit n mod 62 of `months_<n // 62>`,
    twenty columns to April 2102 — every day the product accepts (`directory.dates`) with a
    year to spare either side (`buckets.py`). "Teachers reached in a period" is then one
    pass over a row per pair, whatever the length of the period; a month only partly
    inside the period is checked against the log.
    """

    network = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")
    school = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, null=True,
                               related_name="+")
    months_0 = models.BigIntegerField(default=0)  # 1999-01 to 2004-02
    months_1 = models.BigIntegerField(default=0)
    months_2 = models.BigIntegerField(default=0)
    months_3 = models.BigIntegerField(default=0)
    months_4 = models.BigIntegerField(default=0)
    months_5 = models.BigIntegerField(default=0)
    months_6 = models.BigIntegerField(default=0)
    months_7 = models.BigIntegerField(default=0)
    months_8 = models.BigIntegerField(default=0)
    months_9 = models.BigIntegerField(default=0)
    months_10 = models.BigIntegerField(default=0)
    months_11 = models.BigIntegerField(default=0)
    months_12 = models.BigIntegerField(default=0)
    months_13 = models.BigIntegerField(default=0)
    months_14 = models.BigIntegerField(default=0)
    months_15 = models.BigIntegerField(default=0)
    months_16 = models.BigIntegerField(default=0)
    months_17 = models.BigIntegerField(default=0)
    months_18 = models.BigIntegerField(default=0)
    months_19 = models.BigIntegerField(default=0)  # 2097-03 to 2102-04

    class Meta:
        db_table = "reports_pairreach"
        indexes = [
            models.Index(fields=["network"], name="pair_reach_network"),
            models.Index(fields=["school"], name="pair_reach_school"),
            models.Index(fields=["coach", "teacher"], name="pair_reach_pair"),
        ]

    def __str__(self) -> str:
        return f"Coach {self.coach_id} with {self.teacher_id}"


class PairTerm(models.Model):
    network = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                related_name="+")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                              related_name="+")
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="+")
    school = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, null=True,
                               related_name="+")
    bucket = models.DateField()
    contacts = models.PositiveIntegerField()
    minutes = models.PositiveIntegerField()
    first_at = models.DateTimeField()
    last_at = models.DateTimeField()

    class Meta:
        db_table = "reports_pairterm"
        indexes = [
            models.Index(fields=["network", "bucket"], name="pair_term_network"),
            models.Index(fields=["school", "bucket"], name="pair_term_school"),
            models.Index(fields=["coach", "teacher", "bucket"], name="pair_term_pair"),
        ]

    def __str__(self) -> str:
        return f"Coach {self.coach_id} with {self.teacher_id} from {self.bucket}"


class TallyRecount(models.Model):
    """A change of the network's calendar, waiting for the worker to recount the tallies.

    `EVERYTHING` after a change of time zone; `PAIR_TERMS` after a change of terms, for the
    days from `first_day` to the day before `after_day` (no `after_day`: to the end).
    """

    class Part(models.TextChoices):
        EVERYTHING = "everything", _("Every tally")
        PAIR_TERMS = "pair_terms", _("Contacts by term")

    network = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE,
                                related_name="+")
    part = models.CharField(max_length=12, choices=Part.choices)
    first_day = models.DateField(null=True, blank=True)
    after_day = models.DateField(null=True, blank=True)
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    done_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["network", "done_at"], name="tally_recount_pending")]

    def __str__(self) -> str:
        return f"Recount of {self.part} for network {self.network_id}"
