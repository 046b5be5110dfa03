"""The directory: who is who, where, and in which role.

The hierarchy has two levels. A **network** (a US district, an English trust or local
authority) contains **schools**. Both are `Organisation` rows; a school points at its
network, a network points at nothing. Nothing in the product crosses from one network to
another: every read is scoped to the networks the acting person belongs to.

A **person** signs in by email. What a person may do comes from **memberships**: one row
per (person, organisation, role). The same person may be a teacher in one school and a
coach in three others, or a network admin and a programme facilitator. Roles:

- *teacher* — held in a school; may be in one or more coaches' caseloads.
- *coach* — held in each school the coach serves.
- *school leader* (principal / headteacher) — held in a school; sees that school's
  aggregates under the school's leader-visibility policy, never confidential content.
- *network admin* — held in a network; manages its schools, people, rosters, settings.
- *programme facilitator* — held in a network; runs programmes and cohorts.

Each membership also stores its network, so "everyone in this network" is one indexed
lookup rather than a join through the organisation tree.

A **school year** (with its **terms**) belongs to a network. A **caseload assignment**
says that a coach works with a teacher in a school during a school year; a teacher may
have more than one coach. Grade levels (year groups) and subjects are per-network lists.

A person may belong to several networks. Each network acts on its own part of that person
(its memberships) and never on the account as a whole, except the person's **home
network**: the one network that may rename them and switch their sign-in off or on. It is
`Person.home_network`, set when a network brings the person in (an invitation or a roster
import creating the account); while the person holds no role there any more (or it was
never set), it is the network of their oldest membership (`homes.home_network_id`). A
network that did not bring a person in may ask them to join (an invitation they accept or
decline), and may remove them from itself again; nothing else.

Organisation settings: locale (en-US or en-GB terminology), time zone, the
leader-visibility policy — what a school leader may see of coaching in their school — and
the smallest group of students whose evidence a leader may see (10, or more). A network also
says how its people sign in: whether a password is allowed, and which Microsoft Entra
tenants (and their verified domains) vouch for its people (`signin.py`).
"""

from __future__ import annotations

import zoneinfo

import rules
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import signin
from .disclosure import MIN_STUDENTS


class Locale(models.TextChoices):
    EN_US = "en-us", _("English (United States)")
    EN_GB = "en-gb", _("English (United Kingdom)")


class LeaderVisibility(models.TextChoices):
    TOTALS = "totals", _("Totals only: hours, contacts and cycles, with no names")
    WHO_AND_KIND = "who_and_kind", _(
        "Totals, and who was coached on what kind of support (never any content)"
    )


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones())]


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NETWORK = "network", pgettext_lazy("organisation kind", "District")
        SCHOOL = "school", _("School")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    network = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="schools",
        limit_choices_to={"kind": "network"},
        help_text=_("The network a school belongs to; empty for a network."),
    )
    locale = models.CharField(
        _("terminology"), max_length=8, choices=Locale.choices, default=Locale.EN_US
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="America/New_York", choices=time_zone_choices
    )
    leader_visibility = models.CharField(
        _("what school leaders see of coaching"),
        max_length=16,
        choices=LeaderVisibility.choices,
        default=LeaderVisibility.TOTALS,
    )
    min_student_group = models.PositiveSmallIntegerField(
        _("smallest group of students shown to leaders"),
        default=MIN_STUDENTS,
        help_text=_("Student evidence over fewer students is never shown to leaders. "
                    "At least 10."),
    )
    password_sign_in = models.BooleanField(
        _("people may sign in with a password"),
        default=True,
        help_text=_(
            "Turn this off when everyone signs in through your single sign-on provider. "
            "Set on the network; it applies to all its schools."
        ),
    )
    entra_tenants = models.TextField(
        _("Microsoft Entra tenants"),
        blank=True,
        default="",
        help_text=_("The tenant IDs of the Entra organisations that sign your people in, "
                    "one a line. Set on the network."),
    )
    entra_domains = models.TextField(
        _("verified domains of those tenants"),
        blank=True,
        default="",
        help_text=_("The domains your tenants have verified, one a line; their subdomains "
                    "count too."),
    )
    source_id = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="network", network__isnull=True))
                | (Q(kind="school", network__isnull=False)),
                name="organisation_school_has_network",
            ),
            models.UniqueConstraint(
                fields=["network", "name"], name="organisation_unique_name_in_network"
            ),
            models.CheckConstraint(condition=Q(min_student_group__gte=MIN_STUDENTS),
                                   name="organisation_min_student_group"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_network(self) -> bool:
        return self.kind == self.Kind.NETWORK

    @property
    def network_root_id(self) -> int:
        return self.id if self.network_id is None else self.network_id

    def clean(self) -> None:
        if self.kind == self.Kind.SCHOOL and self.network_id is None:
            raise ValidationError({"network": _("A school must belong to a network.")})
        if self.kind == self.Kind.NETWORK and self.network_id is not None:
            raise ValidationError({"network": _("A network cannot belong to another one.")})
        if self.network is not None and not self.network.is_network:
            raise ValidationError({"network": _("Choose a network, not a school.")})
        signin.validate(tenants=self.entra_tenants, domains=self.entra_domains,
                        is_network=self.kind == self.Kind.NETWORK)

    @property
    def entra_tenant_list(self) -> list[str]:
        return signin.values(self.entra_tenants)

    @property
    def entra_domain_list(self) -> list[str]:
        return signin.values(self.entra_domains)


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> Person:
        if not email:
            raise ValueError("A person needs an email address.")
        person = self.model(email=self.normalize_email(email).lower(), **extra)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def create_superuser(self, email: str, password: str | None = None, **extra) -> Person:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("full_name", email.split("@")[0])
        return self.create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> Person:
        return self.get(email__iexact=username or "")


class Person(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    preferred_name = models.CharField(
        _("preferred name"), max_length=100, blank=True, help_text=_("What colleagues call you.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("support staff"), default=False, help_text=_("May sign in to the support admin.")
    )
    source_id = models.CharField(max_length=255, blank=True, default="", db_index=True)
    date_joined = models.DateTimeField(default=timezone.now, editable=False)
    deactivated_at = models.DateTimeField(null=True, blank=True, editable=False)
    home_network = models.ForeignKey(
        "Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        limit_choices_to={"kind": "network"},
        help_text=_("The network that controls this account: only its admins rename the "
                    "person or switch their sign-in off or on."),
    )

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        indexes = [
            models.Index(fields=["full_name", "id"], name="person_name_order"),
            # Few people are switched off: counting "active" memberships is an anti-join
            # against this small index instead of a scan of every person.
            models.Index(fields=["id"], condition=Q(is_active=False), name="person_inactive"),
        ]
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def has_perm(self, perm: str, obj=None) -> bool:
        """The app's own permissions (each app's `rules.py`) are decided by their rules
        alone, for support staff too: being a superuser opens the support admin, never
        another network's pages. Django's model permissions (the support admin's) keep
        their usual meaning, superusers holding them all."""
        if rules.perm_exists(perm):
            return self.is_active and rules.has_perm(perm, self, obj)
        return super().has_perm(perm, obj)

    def get_short_name(self) -> str:
        return self.preferred_name or self.full_name.split(" ")[0]

    @property
    def initials(self) -> str:
        parts = [p for p in self.full_name.split() if p]
        return "".join(p[0] for p in parts[:2]).upper() or self.email[:1].upper()

    def clean(self) -> None:
        self.email = self.__class__.objects.normalize_email(self.email).lower()


class Role(models.TextChoices):
    TEACHER = "teacher", _("Teacher")
    COACH = "coach", _("Coach")
    SCHOOL_LEADER = "school_leader", _("Principal")
    NETWORK_ADMIN = "network_admin", _("District admin")
    FACILITATOR = "facilitator", _("Program facilitator")


SCHOOL_ROLES = frozenset({Role.TEACHER, Role.COACH, Role.SCHOOL_LEADER})
NETWORK_ROLES = frozenset({Role.NETWORK_ADMIN, Role.FACILITATOR})


class Membership(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    network = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="network_memberships",
        editable=False,
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "organisation", "role"], name="membership_unique_role"
            )
        ]
        indexes = [
            models.Index(fields=["network", "role"], name="membership_network_role"),
            models.Index(fields=["organisation", "role"], name="membership_org_role"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()}, {self.organisation}"

    def clean(self) -> None:
        org = self.organisation
        if self.role in SCHOOL_ROLES and org.is_network:
            raise ValidationError({"organisation": _("This role is held in a school.")})
        if self.role in NETWORK_ROLES and not org.is_network:
            raise ValidationError({"organisation": _("This role is held in a network.")})
        self.network_id = org.network_root_id


class SchoolYear(models.Model):
    network = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="school_years"
    )
    name = models.CharField(_("name"), max_length=40)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    class Meta:
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="school_year_unique_name"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="school_year_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("The last day must come after the first.")})


class Term(models.Model):
    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(_("name"), max_length=40)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "name"], name="term_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.school_year.name}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("The last day must come after the first.")})
        year = self.school_year
        if self.starts_on and self.ends_on and (
            self.starts_on < year.starts_on or self.ends_on > year.ends_on
        ):
            raise ValidationError(_("A term must fall within its school year."))


class GradeLevel(models.Model):
    network = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="grades")
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "code"], name="grade_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name


class Subject(models.Model):
    network = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="subjects")
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "name"], name="subject_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class TeacherProfile(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="profile")
    grades = models.ManyToManyField(GradeLevel, blank=True, related_name="profiles")
    subjects = models.ManyToManyField(Subject, blank=True, related_name="profiles")
    years_experience = models.PositiveSmallIntegerField(
        _("years in teaching"), null=True, blank=True
    )
    interests = models.TextField(
        _("interests"), blank=True, max_length=1000,
        help_text=_("What you enjoy, what you want to learn, clubs you run."),
    )

    def __str__(self) -> str:
        return f"Profile of {self.person}"


class CaseloadAssignment(models.Model):
    coach = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="caseload")
    teacher = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="coaches")
    school = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="caseloads")
    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["teacher__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["coach", "teacher", "school_year"], name="caseload_unique_pair"
            ),
            models.CheckConstraint(
                condition=~Q(coach=models.F("teacher")), name="caseload_not_self"
            ),
        ]
        indexes = [models.Index(fields=["coach", "school_year"], name="caseload_coach_year")]

    def __str__(self) -> str:
        return f"{self.coach} coaches {self.teacher} ({self.school_year})"


class PersonSession(AbstractBaseSession):
    """A signed-in session that knows whose it is, so deactivating a person ends them all."""

    person_id = models.BigIntegerField(null=True, db_index=True)

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore
