"""Turning a checked `Roster` into the network's schools, people, roles, profiles and classes.

`RosterWriter.plan()` reads what the network holds (a fixed handful of queries, whatever
the roster's size), works out every change in memory and reports anything that would
conflict with what is stored. `write()` then makes exactly those changes with bulk inserts
and updates in one transaction; a preview stops after `plan()`.

Rules worth knowing:

- People are matched by sourcedId among the network's people, then by email address.
- Someone whose address already has an account but who holds no role in this network
  (another network's person, whether switched on or off) is never attached by the roster:
  they are asked. Each role the roster gives them becomes an invitation, which they accept
  or decline on their home page; the preview counts and names them (as the roster does,
  nothing from the other network). An invitation already sent, or declined, for the same
  place and role is not sent again, so a nightly import asks once.
- The roster updates the name and the on/off state only of people who belong to this
  network alone; someone who also belongs to another network keeps their account as it is
  and only gains roles here.
- A complete (bulk) users file switches off the rostered people it no longer lists; people
  added by hand or by invitation (no sourcedId) are never switched off by an import, and
  neither is the person running it. Someone switched off comes back on when a roster lists
  them as active and enabled again.
- Roles are added. A complete roster also removes teacher roles at rostered schools that
  it no longer gives; other roles are only ever removed by hand.
- Grades and subjects from a teacher's classes are added to their profile, never removed:
  teachers may have added their own.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bettertogether.directory.models import (
    GradeLevel,
    Membership,
    Organisation,
    Person,
    PersonSession,
    Role,
    Subject,
    TeacherProfile,
)

from .asking import AskingToJoin
from .batches import BATCH, in_chunks, pk_if_stored, pk_of
from .bulk import insert_rows, update_rows
from .classes import RosterClasses
from .problems import Problems
from .roster import NETWORK, Roster
from .vocabulary import Vocabulary

ASKED_LISTED = 100  # people to be asked to join, named in the summary; the rest counted
PERSON_FIELDS = ("email", "full_name", "preferred_name", "source_id", "is_active",
                 "deactivated_at")


class RosterWriter(AskingToJoin, RosterClasses):
    def __init__(self, *, network: Organisation, roster: Roster, actor, problems: Problems):
        self.network = network
        self.roster = roster
        self.actor = actor
        self.problems = problems
        self.now = timezone.now()
        self.oneroster = roster.kind != "csv"
        self.summary: dict = {}

    # --- plan ----------------------------------------------------------------------------

    def plan(self) -> dict:
        self._plan_network()
        self._plan_schools()
        self._plan_people()
        self._plan_roles()
        self._plan_invitations()
        self._plan_profiles()
        self._plan_classes()
        self.summary = {
            "schools": {"created": len(self.new_schools), "updated": len(self.changed_schools)},
            "people": {
                "created": len(self.new_people), "updated": self.people_updated,
                "deactivated": len(self.deactivated), "reactivated": self.reactivated,
            },
            # People another network holds: asked to join (named as the roster names
            # them), or asked by an earlier import and not again.
            "asked": {"people": len(self.asked_now), "before": self.asked_before,
                      "listed": [{"name": record.full_name, "email": record.email}
                                 for record in self.asked_now[:ASKED_LISTED]]},
            "invitations": {"created": len(self.new_invitations)},
            "roles": {"granted": len(self.new_roles), "removed": len(self.stale_roles)},
            "profiles": {"updated": self.profiles_updated},
            "grades": {"created": len(self.vocabulary.new_grades)},
            "subjects": {"created": len(self.vocabulary.new_subjects)},
            "classes": {"created": len(self.new_classes), "updated": len(self.changed_classes),
                        "removed": len(self.gone_classes)},
            "skipped": dict(sorted(self.roster.skipped.items())),
            "students_counted": self.roster.students_counted,
            "people_listed": len(self.roster.people),
        }
        return self.summary

    @property
    def change_count(self) -> int:
        counted = ("schools", "people", "roles", "profiles", "grades", "subjects", "classes",
                   "invitations")
        return sum(sum(self.summary[key].values()) for key in counted)

    def _plan_network(self) -> None:
        self.set_network_source = False
        district = self.roster.district_id
        if not district:
            return
        if self.network.source_id and self.network.source_id != district:
            self.problems.add(_("This roster is for the district %(id)s, but %(network)s was "
                                "imported from %(stored)s. Check that you chose the right "
                                "file.") % {"id": district, "network": self.network.name,
                                            "stored": self.network.source_id},
                              file="orgs.csv", column="sourcedId")
        self.set_network_source = not self.network.source_id

    def _plan_schools(self) -> None:
        stored = list(Organisation.objects.filter(
            network=self.network, kind=Organisation.Kind.SCHOOL).only("pk", "name", "source_id"))
        by_source = {s.source_id: s for s in stored if s.source_id}
        by_name = {s.name.lower(): s for s in stored}
        self.school_ref: dict[str, int | Organisation] = {NETWORK: self.network.pk}
        self.school_ref.update({s.source_id: s.pk for s in stored if s.source_id})
        self.new_schools: list[Organisation] = []
        self.changed_schools: list[Organisation] = []
        names_taken: dict[str, str] = {}
        for school in self.roster.schools:
            if school.removed:
                continue
            lowered = school.name.lower()
            if lowered in names_taken:
                self.problems.add(_("Two schools are called %(name)s; each needs its own name.")
                                  % {"name": school.name}, file=school.file, line=school.line,
                                  column="name")
                continue
            names_taken[lowered] = school.key
            match = by_source.get(school.key) if self.oneroster else None
            same_name = by_name.get(lowered)
            if match is None and same_name is not None:
                if self.oneroster and same_name.source_id:
                    self.problems.add(_("%(network)s already has a school called %(name)s, from "
                                        "another roster record (%(id)s).") % {
                        "network": self.network.name, "name": school.name,
                        "id": same_name.source_id}, file=school.file, line=school.line,
                        column="name")
                    continue
                match = same_name
                if self.oneroster:
                    match.source_id = school.key
                    self.changed_schools.append(match)
            elif match is not None and match.name != school.name:
                if same_name is not None and same_name.pk != match.pk:
                    self.problems.add(_("%(network)s already has another school called "
                                        "%(name)s.") % {"network": self.network.name,
                                                        "name": school.name},
                                      file=school.file, line=school.line, column="name")
                    continue
                match.name = school.name
                self.changed_schools.append(match)
            if match is None:
                match = Organisation(
                    name=school.name, kind=Organisation.Kind.SCHOOL, network=self.network,
                    locale=self.network.locale, time_zone=self.network.time_zone,
                    leader_visibility=self.network.leader_visibility,
                    source_id=school.key if self.oneroster else "", created_at=self.now,
                )
                self.new_schools.append(match)
            self.school_ref[school.key] = match if match.pk is None else match.pk

    def _plan_people(self) -> None:
        in_network = Membership.objects.filter(network=self.network).values("person_id")
        fields = ("pk", "email", "full_name", "preferred_name", "source_id", "is_active",
                  "deactivated_at", "home_network")
        members = list(Person.objects.filter(pk__in=in_network).only(*fields))
        shared = set(
            Membership.objects.filter(person_id__in=in_network).exclude(network=self.network)
            .values_list("person_id", flat=True).distinct()
        )
        by_source = {p.source_id: p for p in members if p.source_id}
        by_email = {p.email.lower(): p for p in members}
        wanted = [p.email for p in self.roster.people if p.email and p.email not in by_email]
        # Accounts this network does not hold: asked to join, never attached.
        outsiders: dict[str, Person] = {}
        for chunk in in_chunks(wanted):
            outsiders.update((p.email.lower(), p) for p in
                             Person.objects.filter(email__in=chunk).only(*fields))
        self._take_back_own(outsiders, by_email)
        taken = {**outsiders, **by_email}  # every address with an account, for a new email
        self.asked: dict[int, tuple] = {}  # person pk → (first record, roles wanted)
        self.members = members
        self.person_ref: dict[str, int | Person] = {
            p.source_id: p.pk for p in members if p.source_id}
        self.matched: list[tuple] = []  # (roster person, ref)
        self.new_people: list[Person] = []
        changed: dict[int, Person] = {}
        self.deactivated: list[Person] = []
        self.reactivated = 0
        claimed: dict[int, int] = {}
        password = make_password(None)
        for record in self.roster.people:
            person = by_source.get(record.source_id) if record.source_id else None
            if person is None and record.email:
                person = by_email.get(record.email)
            if person is None and record.email in outsiders:
                if not record.removed:
                    outsider = outsiders[record.email]
                    _first, roles = self.asked.setdefault(outsider.pk, (record, set()))
                    roles.update(record.roles)
                continue
            if person is not None and person.pk in claimed:
                self.problems.add(_("This is the same person as on line %(line)s (same email "
                                    "address or sourcedId).") % {"line": claimed[person.pk]},
                                  file=record.file, line=record.line, column="email")
                continue
            if person is None:
                if record.removed:
                    continue
                person = Person(email=record.email, full_name=record.full_name,
                                preferred_name=record.preferred_name, source_id=record.source_id,
                                is_active=record.enabled, password=password,
                                date_joined=self.now, home_network_id=self.network.pk,
                                deactivated_at=None if record.enabled else self.now)
                self.new_people.append(person)
                if record.source_id:
                    self.person_ref[record.source_id] = person
                self.matched.append((record, person))
                continue
            claimed[person.pk] = record.line
            if record.source_id:
                self.person_ref[record.source_id] = person.pk
            if person.pk not in shared and self._update_person(person, record, taken):
                changed[person.pk] = person
            if not record.removed:
                self.matched.append((record, person.pk))
        if self.roster.complete_people and self.oneroster:
            listed = set(claimed)
            for person in members:
                unlisted = person.pk not in listed and person.pk not in shared
                if person.source_id and unlisted and self._switch(person, on=False):
                    changed[person.pk] = person
        self.changed_people = list(changed.values())
        self.people_updated = len(self.changed_people) - len(self.deactivated) - self.reactivated
        self.shared = shared
        self.claimed = claimed

    def _take_back_own(self, outsiders: dict[str, Person], by_email: dict[str, Person]) -> None:
        """People this network brought in who hold no role anywhere now (a complete roster
        ended their roles) are still this network's: matched, not asked."""
        own = [p.pk for p in outsiders.values() if p.home_network_id == self.network.pk]
        elsewhere: set[int] = set()
        for chunk in in_chunks(own):
            elsewhere.update(Membership.objects.filter(person_id__in=chunk)
                             .values_list("person_id", flat=True))
        for email, person in list(outsiders.items()):
            if person.home_network_id == self.network.pk and person.pk not in elsewhere:
                by_email[email] = outsiders.pop(email)

    def _update_person(self, person: Person, record, by_email) -> bool:
        changed = False
        if record.email and record.email != person.email.lower():
            other = by_email.get(record.email)
            if other is not None and other.pk != person.pk:
                self.problems.add(_("%(email)s already belongs to another account.") % {
                    "email": record.email}, file=record.file, line=record.line, column="email")
                return False
            person.email, changed = record.email, True
        if record.full_name and record.full_name != person.full_name:
            person.full_name, changed = record.full_name, True
        if record.preferred_name and record.preferred_name != person.preferred_name:
            person.preferred_name, changed = record.preferred_name, True
        if record.source_id and record.source_id != person.source_id:
            person.source_id, changed = record.source_id, True
        if self.oneroster:
            changed = self._switch(person, on=record.enabled and not record.removed) or changed
        return changed

    def _switch(self, person: Person, *, on: bool) -> bool:
        if on == person.is_active:
            return False
        if not on and self.actor is not None and person.pk == self.actor.pk:
            return False
        person.is_active = on
        person.deactivated_at = None if on else self.now
        if on:
            self.reactivated += 1
        else:
            self.deactivated.append(person)
        return True

    def _plan_roles(self) -> None:
        stored = Membership.objects.filter(network=self.network).values_list(
            "pk", "person_id", "organisation_id", "role")
        held: dict[int, set[tuple[str, int]]] = defaultdict(set)
        membership_pk: dict[tuple[int, int, str], int] = {}
        for pk, person_id, organisation_id, role in stored:
            held[person_id].add((role, organisation_id))
            membership_pk[(person_id, organisation_id, role)] = pk
        self.new_roles: list[tuple] = []  # (person ref, organisation ref, role)
        for record, ref in self.matched:
            have = held.get(ref, set()) if isinstance(ref, int) else set()
            for role, key in sorted(record.roles):
                organisation = self.school_ref.get(key)
                if organisation is None:
                    continue  # a school the roster removes, or one with a problem
                if isinstance(organisation, int) and (role, organisation) in have:
                    continue
                self.new_roles.append((ref, organisation, role))
        self.stale_roles: list[int] = []
        if not (self.roster.complete_people and self.oneroster):
            return
        rostered = {pk for key, pk in self.school_ref.items()
                    if key != NETWORK and isinstance(pk, int)}
        wanted = {ref: {(role, pk_if_stored(self.school_ref.get(key)))
                        for role, key in record.roles}
                  for record, ref in self.matched if isinstance(ref, int)}
        for person in self.members:
            if not person.source_id or person.pk in self.shared:
                continue  # added by hand, or also in another network: roles are only added
            keep = wanted.get(person.pk, set())
            for role, organisation_id in held.get(person.pk, ()):
                if (role == Role.TEACHER and organisation_id in rostered
                        and (role, organisation_id) not in keep):
                    self.stale_roles.append(membership_pk[(person.pk, organisation_id, role)])

    def _plan_profiles(self) -> None:
        """Profile links to add. A profile is its pk, or ("new", person ref) until written."""
        self.vocabulary = Vocabulary.load(self.network)
        profile_of: dict[int, int] = dict(TeacherProfile.objects.filter(
            person__memberships__network=self.network).values_list("person_id", "pk"))
        grades = TeacherProfile.grades.through.objects.filter(
            teacherprofile__person__memberships__network=self.network
        ).values_list("teacherprofile_id", "gradelevel_id")
        subjects = TeacherProfile.subjects.through.objects.filter(
            teacherprofile__person__memberships__network=self.network
        ).values_list("teacherprofile_id", "subject_id")
        have_grades, have_subjects = set(grades), set(subjects)
        outsiders = [ref for _record, ref in self.matched
                     if isinstance(ref, int) and ref not in profile_of]
        for chunk in in_chunks(outsiders):
            profile_of.update(TeacherProfile.objects.filter(person_id__in=chunk)
                              .values_list("person_id", "pk"))
        self.new_profiles: list = []  # person refs
        self.new_grade_links: list[tuple] = []  # (profile, grade ref)
        self.new_subject_links: list[tuple] = []
        touched: set[int] = set()
        grade_of, subject_of = self.vocabulary.grade, self.vocabulary.subject
        for record, ref in self.matched:
            profile = profile_of.get(ref) if isinstance(ref, int) else None
            if profile is None:
                profile = ("new", ref)
                self.new_profiles.append(ref)
            stored = isinstance(profile, int)
            for value in record.grades:
                grade = grade_of(value)
                if (not stored or not isinstance(grade, int)
                        or (profile, grade) not in have_grades):
                    self.new_grade_links.append((profile, grade))
                    if stored:
                        touched.add(profile)
            for value in record.subjects:
                subject = subject_of(value)
                if (not stored or not isinstance(subject, int)
                        or (profile, subject) not in have_subjects):
                    self.new_subject_links.append((profile, subject))
                    if stored:
                        touched.add(profile)
        # New people's profiles are part of "people created", not "profiles updated".
        self.profiles_updated = len(touched)

    # --- write ---------------------------------------------------------------------------

    @transaction.atomic
    def write(self) -> None:
        # One import at a time per network: a second one waits here. If the first changed
        # what the second had planned on, a unique constraint stops the second and none of
        # it is written; it can simply be run again.
        Organisation.objects.select_for_update().get(pk=self.network.pk)
        if self.set_network_source:
            self.network.source_id = self.roster.district_id
            self.network.save(update_fields=["source_id"])
        Organisation.objects.bulk_create(self.new_schools, batch_size=BATCH)
        Organisation.objects.bulk_update(self.changed_schools, ["name", "source_id"],
                                         batch_size=BATCH)
        self._write_new_people()
        update_rows(Person, PERSON_FIELDS,
                    [(*(getattr(p, f) for f in PERSON_FIELDS), p.pk) for p in self.changed_people])
        for chunk in in_chunks([p.pk for p in self.deactivated]):
            PersonSession.objects.filter(person_id__in=chunk).delete()
        self._write_roles()
        self._write_invitations()
        self._write_profiles()
        self._write_classes()

    def _write_new_people(self) -> None:
        """Insert the new people in bulk, then learn their ids: the import stamped them all
        with the same `date_joined`, and each address is unique."""
        fields = ["email", "full_name", "preferred_name", "source_id", "is_active", "password",
                  "date_joined", "deactivated_at", "home_network_id"]
        insert_rows(Person, fields, [tuple(getattr(p, f) for f in fields)
                                     for p in self.new_people])
        if not self.new_people:
            return
        ids = dict(Person.objects.filter(date_joined=self.now).values_list("email", "pk"))
        for person in self.new_people:
            person.pk = ids[person.email]
            person._state.adding = False

    def _write_roles(self) -> None:
        insert_rows(Membership, ["person_id", "organisation_id", "network_id", "role",
                                 "created_at"],
                    [(pk_of(person), pk_of(organisation), self.network.pk, role, self.now)
                     for person, organisation, role in self.new_roles])
        for chunk in in_chunks(self.stale_roles):
            Membership.objects.filter(pk__in=chunk).delete()

    def _write_profiles(self) -> None:
        vocabulary = self.vocabulary
        GradeLevel.objects.bulk_create(vocabulary.new_grades, batch_size=BATCH)
        Subject.objects.bulk_create(vocabulary.new_subjects, batch_size=BATCH)
        new_people = [pk_of(ref) for ref in self.new_profiles]
        insert_rows(TeacherProfile, ["person_id"], [(pk,) for pk in new_people])
        profile_of: dict[int, int] = {}
        for chunk in in_chunks(new_people):
            profile_of.update(TeacherProfile.objects.filter(person_id__in=chunk)
                              .values_list("person_id", "pk"))

        def profile_pk(profile):
            return profile if isinstance(profile, int) else profile_of[pk_of(profile[1])]

        insert_rows(TeacherProfile.grades.through, ["teacherprofile_id", "gradelevel_id"],
                    {(profile_pk(p), pk_of(g)) for p, g in self.new_grade_links},
                    ignore_conflicts=True)
        insert_rows(TeacherProfile.subjects.through, ["teacherprofile_id", "subject_id"],
                    {(profile_pk(p), pk_of(s)) for p, s in self.new_subject_links},
                    ignore_conflicts=True)
