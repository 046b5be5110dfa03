"""A OneRoster 1.1 or 1.2 bundle, read into a `Roster`.

How OneRoster's people and roles become Better Together's:

- teacher (1.1 users.csv, 1.2 roles.csv) at a school: teacher there.
- principal (1.2) at a school: school leader there.
- administrator (1.1), districtAdministrator or siteAdministrator (1.2): network admin when
  held at the district, school leader when held at a school.
- student: never stored as a person; only counted in each class's size.
- aide, counselor, guardian, parent, proctor, relative, systemAdministrator: not brought
  in; counted in the summary, with every other reason a person is left out (a role that
  has ended, no email address, marked to be deleted…).

A department counts as the school it belongs to; a department that belongs to no school
but holds classes or people is brought in as a school (some exports type their schools so),
with a warning. State, national and local organisations are not brought in. A 1.2 role
whose endDate has passed is ignored. A class's grades and subjects are its own, or its
course's when it has none; its size is the number of active student enrollments in a
complete (bulk) enrollments file.

The bundle is read in one pass, file by file, each as a stream (`oneroster_table`), and
every problem found on the way is reported together: a wrong value, a broken reference, a
teacher's unusable email address. Only what an import uses is kept in memory: the schools,
the people brought in, the classes, and an 8-byte fingerprint of every other sourcedId
that another file may name.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from . import oneroster_spec as spec
from .oneroster_manifest import Manifest, read_manifest
from .oneroster_people import PeopleReading
from .oneroster_table import Reference, Table, split_list
from .problems import Problems
from .roster import NETWORK, Roster, RosterClassRecord, RosterSchool
from .upload import Source, UploadRejected


def read_oneroster(source: Source, problems: Problems, *,
                   known: Callable[[str], set[str]],
                   known_org_kinds: Callable[[], dict[str, str]]) -> Roster | None:
    """Check the whole bundle and read it. Every problem found is in `problems`; the
    roster is returned as far as it could be read (so that the import's plan can add its
    own problems in the same pass), or None when the bundle cannot be read at all.

    `known(file)` gives the sourcedIds earlier imports stored for orgs, users and classes,
    and `known_org_kinds()` whether each stored org is the district or a school: a delta
    file may refer to them."""
    for note in source.notes:
        problems.warn(note)
    manifest = read_manifest(source, problems)
    if manifest is None:
        return None
    reader = _BundleReader(source, manifest, problems, known, known_org_kinds)
    try:
        return reader.read()
    except UploadRejected as error:
        problems.add(error.message)
        return None


@dataclass(slots=True)
class _Org:
    kind: str
    name: str
    parent: str
    removed: bool
    line: int


@dataclass(slots=True)
class _Class:
    source_id: str
    place: str
    course: str
    title: str
    grades: list[str]
    subjects: list[str]
    removed: bool


class _BundleReader(PeopleReading):
    def __init__(self, source: Source, manifest: Manifest, problems: Problems, known,
                 known_org_kinds):
        self.source, self.manifest, self.problems = source, manifest, problems
        self.version = manifest.version
        self.known = known
        self.org_kinds: dict[str, str] = dict(known_org_kinds())  # stored orgs
        self.today = timezone.localdate().isoformat()
        self.tables: dict[str, Table] = {}
        self.orgs: dict[str, _Org] = {}
        self.promoted: set[str] = set()  # departments read as schools
        self.courses: dict[str, tuple[list[str], list[str]]] = {}
        self.classes: list[_Class] = []
        self.class_teachers: dict[str, list[str]] = defaultdict(list)
        self.class_sizes: Counter | None = None
        self.roster = Roster(kind=f"oneroster-{self.version}")
        self.start_people()

    def read(self) -> Roster:
        roster = self.roster
        roster.complete_people = self.manifest.mode("users.csv") == "bulk"
        roster.complete_classes = self.manifest.mode("classes.csv") == "bulk"
        handlers = {"orgs.csv": self._orgs, "courses.csv": self._courses,
                    "classes.csv": self._classes, "roles.csv": self._roles,
                    "users.csv": self._users, "enrollments.csv": self._enrollments}
        for name in spec.READ_ORDER[self.version]:
            member = self.manifest.members.get(name)
            if member is None:
                continue
            table = Table(self.source, member, name, self.manifest.mode(name),
                          spec.COLUMNS[self.version][name], self.problems)
            self.tables[name] = table
            if table.read_header():
                handlers[name](table)
        self._finish_classes()
        self._finish_schools()
        roster.people = list(self.people.values())
        return roster

    def reference(self, target: str) -> Reference:
        """What a column naming `target`'s sourcedIds may name."""
        table = self.tables.get(target)
        complete = table is not None and table.mode == "bulk"
        kept = target in spec.KEPT
        return Reference(
            target, table.ids if table is not None else None,
            known=(lambda: self.known(target)) if kept and not complete else None,
            complete=complete,
            unchecked=(table is not None and table.broken) or (not complete and not kept),
        )

    # --- orgs ----------------------------------------------------------------------------

    def _orgs(self, table: Table) -> None:
        for line, cells in table.rows():
            sourced_id = table.value(cells, line, "sourcedId")
            kind = table.value(cells, line, "type")
            org = _Org(kind=kind, name=table.value(cells, line, "name"),
                       parent=table.value(cells, line, "parentSourcedId"),
                       removed=table.value(cells, line, "status") == "tobedeleted", line=line)
            if sourced_id:
                table.ids.add(sourced_id)
                self.orgs[sourced_id] = org
        table.report_repeated_ids()
        parents = self.reference("orgs.csv")
        for org in self.orgs.values():
            table.check_reference(org.parent, org.line, "parentSourcedId", parents, warn=True)
        districts = [(key, org) for key, org in self.orgs.items()
                     if org.kind == "district" and not org.removed]
        if len(districts) > 1:
            self.problems.add(_("orgs.csv holds %(n)s districts; import one district at a time, "
                                "into its own network.") % {"n": len(districts)},
                              file=table.name, line=districts[1][1].line, column="type")
        elif districts:
            self.roster.district_id, self.roster.district_name = districts[0][0], districts[0][
                1].name

    def place(self, org_id: str) -> str | None:
        """NETWORK for the district, a school's sourcedId for a school or for a department
        (its school's), None for anything else."""
        org = self.orgs.get(org_id)
        kind = org.kind if org is not None else self.org_kinds.get(org_id)
        if kind == "district":
            return NETWORK
        if kind == "school":
            return org_id
        if kind == "department":
            return self._school_of_department(org_id)
        return None

    def _typed(self, org_id: str) -> bool:
        """Whether the org's type could be read (a wrong one is its own problem already)."""
        org = self.orgs.get(org_id)
        return org is None or bool(org.kind)

    def _school_of_department(self, org_id: str) -> str:
        """The school above a department. A chain of departments under no school (some
        exports type their schools as departments of the district) is a school at its
        top: that department is used as a school."""
        top = org_id
        parent = self.orgs[org_id].parent
        seen = {org_id}
        while parent and parent not in seen and len(seen) < 50:
            seen.add(parent)
            org = self.orgs.get(parent)
            kind = org.kind if org is not None else self.org_kinds.get(parent)
            if kind == "school":
                return parent
            if kind != "department" or org is None:
                break
            top, parent = parent, org.parent
        self.promoted.add(top)
        return top

    def _finish_schools(self) -> None:
        table = self.tables.get("orgs.csv")
        for key, org in self.orgs.items():
            if org.kind != "school" and key not in self.promoted:
                continue
            if key in self.promoted:
                self.problems.warn(_("An org typed department belongs to no school, but "
                                     "classes or people are placed in it: it was brought in "
                                     "as a school."), file="orgs.csv", line=org.line,
                                   column="type", kind="department-as-school")
            if len(org.name) > 200:
                self.problems.add(_("A school's name can be 200 characters at most."),
                                  file="orgs.csv", line=org.line, column="name")
            self.roster.schools.append(RosterSchool(
                key=key, name=org.name, removed=org.removed,
                file=table.name if table else "orgs.csv", line=org.line))

    # --- courses and classes -------------------------------------------------------------

    def _courses(self, table: Table) -> None:
        for line, cells in table.rows():
            sourced_id = table.value(cells, line, "sourcedId")
            if not sourced_id:
                continue
            table.ids.add(sourced_id)
            self.courses[sourced_id] = (split_list(table.value(cells, line, "grades")),
                                        split_list(table.value(cells, line, "subjects")))
        table.report_repeated_ids()

    def _classes(self, table: Table) -> None:
        schools, courses = self.reference("orgs.csv"), self.reference("courses.csv")
        orgs_readable = not (self.tables.get("orgs.csv") and self.tables["orgs.csv"].broken)
        for line, cells in table.rows():
            def value(name, cells=cells, line=line):
                return table.value(cells, line, name)

            sourced_id = value("sourcedId")
            school = value("schoolSourcedId")
            course = value("courseSourcedId")
            table.check_reference(course, line, "courseSourcedId", courses, warn=True)
            if not sourced_id:
                continue
            table.ids.add(sourced_id)
            place = None
            if school and table.check_reference(school, line, "schoolSourcedId", schools):
                place = self.place(school)
                if place in (None, NETWORK) and orgs_readable and self._typed(school):
                    self.problems.add(_("schoolSourcedId %(id)s is not a school.") % {
                        "id": school}, file=table.name, line=line, column="schoolSourcedId")
            self.classes.append(_Class(
                source_id=sourced_id, place=place or "", course=course,
                title=self._class_title(table, value, sourced_id, line),
                grades=split_list(value("grades")), subjects=split_list(value("subjects")),
                removed=value("status") == "tobedeleted"))
        table.report_repeated_ids()

    def _class_title(self, table, value, sourced_id, line) -> str:
        title = value("title")
        if title:
            return title[:255]
        title = value("classCode") or sourced_id
        self.problems.warn(_("A class has no title; it was named by its classCode, or else "
                             "its sourcedId (“%(title)s”).") % {"title": title},
                           file=table.name, line=line, column="title", kind="class-title")
        return title[:255]

    # --- enrollments ---------------------------------------------------------------------

    def _enrollments(self, table: Table) -> None:
        """Each class's teachers (primary first) and, from a bulk file, its student count."""
        classes, users = self.reference("classes.csv"), self.reference("users.csv")
        delta = table.mode == "delta"
        students: Counter = Counter()
        teachers = self.class_teachers
        at_role, at_status = table.index.get("role"), table.index.get("status")
        at_class, at_user = table.index["classSourcedId"], table.index["userSourcedId"]
        check = table.check_reference
        for line, cells in table.rows():
            class_id, user = cells[at_class].strip(), cells[at_user].strip()
            if not class_id or not user:  # required: reported
                table.value(cells, line, "classSourcedId")
                table.value(cells, line, "userSourcedId")
            if not classes.holds(class_id):
                check(class_id, line, "classSourcedId", classes)
            if not users.holds(user):
                check(user, line, "userSourcedId", users)
            role = cells[at_role]
            if role not in spec.ENROLLMENT_ROLES:
                role = table.value(cells, line, "role")
            status = cells[at_status] if at_status is not None else ""
            if status not in ("active", ""):
                status = table.value(cells, line, "status")
            elif not status and delta:
                table.value(cells, line, "status")  # required in a delta: reported
            if status == "tobedeleted":
                continue
            if role == "student":
                students[class_id] += 1
            elif role == "teacher" and (user in self.people or delta):
                listed = teachers[class_id]
                if table.value(cells, line, "primary") == "true":
                    listed.insert(0, user)
                else:
                    listed.append(user)
        self.roster.students_counted = sum(students.values())
        self.class_sizes = students if table.mode == "bulk" else None

    def _finish_classes(self) -> None:
        teachers, sizes = self.class_teachers, self.class_sizes
        for found in self.classes:
            if not found.place or found.place == NETWORK:
                continue
            course_grades, course_subjects = self.courses.get(found.course, ([], []))
            grades = found.grades or course_grades
            subjects = found.subjects or course_subjects
            record = RosterClassRecord(
                source_id=found.source_id, school_key=found.place, title=found.title,
                subject=", ".join(subjects)[:255], grades=grades,
                teacher_ids=teachers.pop(found.source_id, []),
                student_count=sizes.get(found.source_id, 0) if sizes is not None else None,
                removed=found.removed,
            )
            self.roster.classes.append(record)
            if record.removed:
                continue
            for teacher_id in record.teacher_ids:
                person = self.people.get(teacher_id)
                if person is not None:
                    person.grades.update(grades)
                    person.subjects.update(subjects)
        for class_id, teacher_ids in teachers.items():
            # Teacher enrollments (from a delta) for classes an earlier import stored.
            self.roster.classes.append(RosterClassRecord(
                source_id=class_id, school_key="", title="", subject="", grades=[],
                teacher_ids=teacher_ids, student_count=None,
            ))
