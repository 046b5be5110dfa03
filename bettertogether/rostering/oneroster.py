"""A OneRoster 1.1 or 1.2 bundle, read into a `Roster`.

How OneRoster's people and roles become Better Together's:

- teacher (1.1 users.csv, 1.2 roles.csv) at a school: teacher there.
- principal (1.2) at a school: school leader there.
- administrator (1.1), districtAdministrator or siteAdministrator (1.2): network admin when
  held at the district, school leader when held at a school.
- student: never stored as a person; only counted in each class's size.
- aide, counselor, guardian, parent, proctor, relative, systemAdministrator: not brought
  in; counted in the summary.

A department counts as the school it belongs to; state, national and local organisations
are not brought in. A 1.2 role whose endDate has passed is ignored. A class's grades and
subjects are its own, or its course's when it has none; its size is the number of active
student enrollments in a complete (bulk) enrollments file.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import compress
from operator import and_

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from bettertogether.directory.models import Role

from . import oneroster_files as files
from . import oneroster_spec as spec
from .problems import Problems
from .roster import NETWORK, Roster, RosterClassRecord, RosterPerson, RosterSchool
from .upload import Source

SCHOOL_ROLE = {
    "teacher": Role.TEACHER,
    "principal": Role.SCHOOL_LEADER,
    "administrator": Role.SCHOOL_LEADER,
    "districtAdministrator": Role.SCHOOL_LEADER,
    "siteAdministrator": Role.SCHOOL_LEADER,
}
NETWORK_ROLE = {
    "administrator": Role.NETWORK_ADMIN,
    "districtAdministrator": Role.NETWORK_ADMIN,
    "siteAdministrator": Role.NETWORK_ADMIN,
}


def read_oneroster(source: Source, problems: Problems, *,
                   known: Callable[[str], set[str]],
                   known_org_kinds: Callable[[], dict[str, str]]) -> Roster | None:
    """Check the whole bundle and read it; None when anything is wrong (see `problems`).

    `known(file)` gives the sourcedIds earlier imports stored for orgs, users and classes,
    and `known_org_kinds()` whether each stored org is the district or a school: a delta
    file may refer to them."""
    manifest = files.read_manifest(source, problems)
    if manifest is None:
        return None
    files.check_bundle_files(source, manifest, problems)
    columns_of = spec.READ_FILES[manifest.version]
    tables: dict[str, files.Table] = {}
    for name, columns in columns_of.items():
        mode = manifest.modes.get(name, "absent")
        if mode == "absent" or name not in source.names:
            continue
        table = files.read_table(source, name, mode, columns, problems)
        if table is not None:
            tables[name] = table
    if manifest.version == "1.2" and manifest.modes.get("users.csv") == "bulk" and (
        manifest.modes.get("roles.csv", "absent") == "absent"
    ):
        problems.add(_("A 1.2 bundle with a complete users.csv needs roles.csv too: it says "
                       "who is a teacher, a principal or an administrator."), file="roles.csv")
    unreadable = {name for name, mode in manifest.modes.items()
                  if mode != "absent" and name in columns_of and name not in tables}
    if unreadable:
        return None  # a missing or unreadable file: its references cannot be judged
    # Wrong values and broken references are reported together; reading the roster's
    # meaning (emails, roles, classes) waits until both are clean.
    files.check_references(tables, manifest.modes, columns_of, problems, known)
    if problems:
        return None
    reader = _Interpreter(manifest, tables, problems, known_org_kinds)
    roster = reader.roster()
    return None if problems else roster


class _Interpreter:
    def __init__(self, manifest, tables, problems, known_org_kinds):
        self.version = manifest.version
        self.modes = manifest.modes
        self.tables = tables
        self.problems = problems
        self.known_org_kinds = known_org_kinds
        self.today = timezone.localdate()
        self.org_kind: dict[str, str] = {}  # sourcedId → "district" / "school"
        self.school_of: dict[str, str] = {}  # department → its school

    def roster(self) -> Roster:
        roster = Roster(kind=f"oneroster-{self.version}")
        roster.complete_people = self.modes.get("users.csv") == "bulk"
        roster.complete_classes = self.modes.get("classes.csv") == "bulk"
        self._orgs(roster)
        people = self._people(roster)
        self._classes(roster, people)
        roster.people = list(people.values())
        return roster

    # --- orgs --------------------------------------------------------------------------

    def _orgs(self, roster: Roster) -> None:
        for sourced_id, kind in self.known_org_kinds().items():
            self.org_kind[sourced_id] = kind
        table = self.tables.get("orgs.csv")
        if table is None:
            return
        at = table.index
        districts = []
        departments = []
        for row, line in zip(table.rows, table.lines, strict=True):
            kind, sourced_id = row[at["type"]], row[at["sourcedId"]]
            removed = row[at["status"]] == "tobedeleted"
            if kind == "district":
                self.org_kind[sourced_id] = "district"
                if not removed:
                    districts.append((sourced_id, row[at["name"]].strip(), line))
            elif kind == "school":
                self.org_kind[sourced_id] = "school"
                roster.schools.append(RosterSchool(key=sourced_id, name=row[at["name"]].strip(),
                                                   removed=removed, file=table.name, line=line))
                if len(row[at["name"]].strip()) > 200:
                    self.problems.add(_("A school's name can be 200 characters at most."),
                                      file=table.name, line=line, column="name")
            elif kind == "department":
                departments.append((sourced_id, row[at["parentSourcedId"]]))
        for sourced_id, parent in departments:
            if self.org_kind.get(parent) == "school":
                self.school_of[sourced_id] = parent
        if len(districts) > 1:
            self.problems.add(_("orgs.csv holds %(n)s districts; import one district at a time, "
                                "into its own network.") % {"n": len(districts)},
                              file=table.name, line=districts[1][2], column="type")
        elif districts:
            roster.district_id, roster.district_name = districts[0][0], districts[0][1]

    def _place(self, org_id: str) -> str | None:
        """NETWORK for the district, a school's sourcedId, or None for anything else."""
        kind = self.org_kind.get(org_id)
        if kind == "district":
            return NETWORK
        if kind == "school":
            return org_id
        return self.school_of.get(org_id)

    def _grant(self, person: RosterPerson, role: str, org_id: str) -> bool:
        place = self._place(org_id)
        if place is None:
            return False
        granted = NETWORK_ROLE.get(role) if place == NETWORK else SCHOOL_ROLE.get(role)
        if granted is None:
            return False
        person.roles.add((granted, place))
        return True

    # --- users and roles ----------------------------------------------------------------

    def _people(self, roster: Roster) -> dict[str, RosterPerson]:
        table = self.tables.get("users.csv")
        if table is None:
            return {}
        roles_by_user = self._roles_by_user() if self.version == "1.2" else None
        at = table.index
        people: dict[str, RosterPerson] = {}
        emails: dict[str, int] = {}
        for row, line in zip(table.rows, table.lines, strict=True):
            sourced_id = row[at["sourcedId"]]
            person = RosterPerson(
                source_id=sourced_id, email="", full_name="", file=table.name, line=line,
                enabled=row[at["enabledUser"]] == "true",
                removed=row[at["status"]] == "tobedeleted",
            )
            if roles_by_user is None:
                assignments = [(row[at["role"]], org) for org in
                               files.split_list(row[at["orgSourcedIds"]])]
                named_roles = {row[at["role"]]}
            else:
                assignments = roles_by_user.get(sourced_id, [])
                named_roles = {role for role, _org in assignments} or {"none"}
            for role, org_id in assignments:
                self._grant(person, role, org_id)
            if not person.roles:
                for role in named_roles:
                    roster.skipped[role] += 1
                continue
            if not self._fill_person(person, row, at, table.name, line, emails):
                continue
            people[sourced_id] = person
        return people

    def _roles_by_user(self) -> dict[str, list[tuple[str, str]]]:
        table = self.tables.get("roles.csv")
        roles: dict[str, list[tuple[str, str]]] = defaultdict(list)
        if table is None:
            return roles
        at = table.index
        for row in table.rows:
            if row[at["status"]] == "tobedeleted":
                continue
            ends = row[at["endDate"]]
            if ends and datetime.date.fromisoformat(ends) < self.today:
                continue
            roles[row[at["userSourcedId"]]].append((row[at["role"]], row[at["orgSourcedId"]]))
        return roles

    def _fill_person(self, person, row, at, file, line, emails) -> bool:
        given, family = row[at["givenName"]].strip(), row[at["familyName"]].strip()
        person.full_name = f"{given} {family}".strip()
        if "preferredGivenName" in at:
            person.preferred_name = row[at["preferredGivenName"]].strip()
        email = row[at["email"]].strip().lower()
        if not email and "@" in row[at["username"]]:
            email = row[at["username"]].strip().lower()
        person.email = email
        if person.removed:
            return True  # only switched off: no need for a usable address
        if not email:
            self.problems.add(_("%(name)s has no email address (in email, or an address as the "
                                "username). People sign in with their email, so every teacher, "
                                "principal and administrator needs one.") % {
                "name": person.full_name}, file=file, line=line, column="email")
            return False
        try:
            validate_email(email)
        except ValidationError:
            self.problems.add(_("“%(email)s” is not an email address.") % {"email": email},
                              file=file, line=line, column="email")
            return False
        if email in emails:
            self.problems.add(_("%(email)s is also the address on line %(line)s; each person "
                                "needs their own.") % {"email": email, "line": emails[email]},
                              file=file, line=line, column="email")
            return False
        emails[email] = line
        if len(person.full_name) > 200 or len(person.preferred_name) > 100:
            self.problems.add(_("This name is too long: 200 characters at most (100 for a "
                                "preferred name)."), file=file, line=line, column="givenName")
            return False
        return True

    # --- classes and enrollments ------------------------------------------------------------

    def _classes(self, roster: Roster, people: dict[str, RosterPerson]) -> None:
        table = self.tables.get("classes.csv")
        courses = self._courses()
        teachers, sizes = self._enrollments(roster, people)
        if table is None:
            self._teacher_only_changes(roster, teachers)
            return
        at = table.index
        for row, line in zip(table.rows, table.lines, strict=True):
            sourced_id = row[at["sourcedId"]]
            school = row[at["schoolSourcedId"]]
            if self._place(school) in (None, NETWORK):
                self.problems.add(_("schoolSourcedId %(id)s is not a school.") % {"id": school},
                                  file=table.name, line=line, column="schoolSourcedId")
                continue
            course_grades, course_subjects = courses.get(row[at["courseSourcedId"]], ([], []))
            grades = files.split_list(row[at["grades"]]) or course_grades
            subjects = files.split_list(row[at["subjects"]]) or course_subjects
            record = RosterClassRecord(
                source_id=sourced_id, school_key=self._place(school),
                title=row[at["title"]].strip()[:255], subject=", ".join(subjects)[:255],
                grades=grades, teacher_ids=teachers.pop(sourced_id, []),
                student_count=sizes.get(sourced_id, 0) if sizes is not None else None,
                removed=row[at["status"]] == "tobedeleted",
            )
            roster.classes.append(record)
            if record.removed:
                continue
            for teacher_id in record.teacher_ids:
                person = people.get(teacher_id)
                if person is not None:
                    person.grades.update(grades)
                    person.subjects.update(subjects)
        self._teacher_only_changes(roster, teachers)

    def _teacher_only_changes(self, roster, teachers) -> None:
        """Teacher enrollments (from a delta) for classes an earlier import stored."""
        for class_id, teacher_ids in teachers.items():
            roster.classes.append(RosterClassRecord(
                source_id=class_id, school_key="", title="", subject="", grades=[],
                teacher_ids=teacher_ids, student_count=None,
            ))

    def _courses(self) -> dict[str, tuple[list[str], list[str]]]:
        table = self.tables.get("courses.csv")
        if table is None:
            return {}
        at = table.index
        return {
            row[at["sourcedId"]]: (files.split_list(row[at["grades"]]),
                                   files.split_list(row[at["subjects"]]))
            for row in table.rows
        }

    def _enrollments(self, roster, people):
        """Each class's teachers (primary first) and, from a bulk file, its student count."""
        table = self.tables.get("enrollments.csv")
        teachers: dict[str, list[str]] = defaultdict(list)
        if table is None:
            return teachers, None
        classes, users, roles = (table.values("classSourcedId"), table.values("userSourcedId"),
                                 table.values("role"))
        primary = table.values("primary")
        active = [status != "tobedeleted" for status in table.values("status")]
        students = Counter(compress(classes, map(and_, map("student".__eq__, roles), active)))
        delta = table.mode == "delta"
        for at in compress(range(len(roles)), map("teacher".__eq__, roles)):
            if active[at] and (users[at] in people or delta):
                listed = teachers[classes[at]]
                if primary[at] == "true":
                    listed.insert(0, users[at])
                else:
                    listed.append(users[at])
        roster.students_counted = sum(students.values())
        return teachers, (students if table.mode == "bulk" else None)
