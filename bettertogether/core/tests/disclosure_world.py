"""Random schools for the disclosure gate's property test: what Hypothesis draws, how it
becomes rows (through the services, so the tallies and the activity log follow), and an
oracle that counts teachers straight from the drawing, without the report engine."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from hypothesis import strategies as st

from bettertogether.coaching.tests.support import log
from bettertogether.directory import services as directory_services
from bettertogether.directory.calendar import zone_of
from bettertogether.directory.models import LeaderVisibility, Role, TeacherProfile
from bettertogether.goals import evidence
from bettertogether.goals.models import MeasureKind
from bettertogether.goals.tests.support import a_cycle, a_goal
from bettertogether.menu import services as menu_services
from bettertogether.reports.engine import Filters
from bettertogether.testing import factories as f

DAY = datetime.timedelta(days=1)
CONTACT_KINDS = ("Tech help", "Co-teaching", "Co-planning")
GRADES, SUBJECTS = ("Grade 3", "Grade 4", "Grade 5"), ("Maths", "Art")
YEAR_BEFORE, YEAR_AFTER, TERM_SPLIT = 150, 150, 60  # days around today


@dataclass(frozen=True)
class Contact:
    coach: int
    school: int
    teachers: tuple[int, ...]  # indices into the school's teachers
    kind: int
    ago: int  # days before today


@dataclass(frozen=True)
class Drawn:
    """One world: schools of 0–12 teachers, coaches, caseloads, contacts, requests, cycles
    with evidence, and the filters a reader chooses."""

    sizes: tuple[int, ...]
    policies: tuple[str, ...]
    grades: tuple[tuple[int, ...], ...]  # per school, per teacher
    subjects: tuple[tuple[int, ...], ...]
    coach_schools: tuple[frozenset[int], ...]
    caseloads: frozenset[tuple[int, int, int]]  # (coach, school, teacher)
    contacts: tuple[Contact, ...]
    own_time: tuple[tuple[int, int], ...]  # (coach, days ago)
    requests: tuple[tuple[int, int, int], ...]  # (coach, school, teacher)
    cycles: tuple[tuple[int, int, int, int], ...]  # (coach, school, teacher, students)
    period: tuple[int, int]  # (days ago of the start, of the end)
    school: int | None
    grade: int | None
    subject: int | None
    coach: int | None
    kind: int | None


@st.composite
def worlds(draw) -> Drawn:
    n_schools = draw(st.integers(2, 3))
    sizes = tuple(draw(st.integers(0, 12)) for _ in range(n_schools))
    policies = tuple(draw(st.sampled_from(LeaderVisibility.values)) for _ in sizes)
    grades = tuple(tuple(draw(st.integers(0, len(GRADES) - 1)) for _ in range(n))
                   for n in sizes)
    subjects = tuple(tuple(draw(st.integers(0, len(SUBJECTS) - 1)) for _ in range(n))
                     for n in sizes)
    schools = st.integers(0, n_schools - 1)
    coach_schools = tuple(draw(st.frozensets(schools, min_size=1, max_size=2))
                          for _ in range(draw(st.integers(1, 3))))
    pairs = [(c, s, t) for c, served in enumerate(coach_schools) for s in sorted(served)
             for t in range(sizes[s])]
    chosen = draw(st.lists(st.booleans(), min_size=len(pairs), max_size=len(pairs)))
    caseloads = frozenset(pair for pair, yes in zip(pairs, chosen, strict=True) if yes)
    contacts, requests, cycles = [], [], []
    for _ in range(draw(st.integers(0, 12)) if pairs else 0):
        coach, school, _t = draw(st.sampled_from(pairs))
        teachers = draw(st.sets(st.integers(0, sizes[school] - 1), min_size=1, max_size=4))
        contacts.append(Contact(coach, school, tuple(sorted(teachers)),
                                draw(st.integers(0, len(CONTACT_KINDS) - 1)),
                                draw(st.integers(0, 140))))
    for _ in range(draw(st.integers(0, 3)) if pairs else 0):
        requests.append(draw(st.sampled_from(pairs)))
    for _ in range(draw(st.integers(0, 4)) if pairs else 0):
        coach, school, teacher = draw(st.sampled_from(pairs))
        cycles.append((coach, school, teacher, draw(st.integers(5, 30))))
    own_time = tuple((draw(st.integers(0, len(coach_schools) - 1)), draw(st.integers(0, 140)))
                     for _ in range(draw(st.integers(0, 2))))
    start = draw(st.integers(0, 145))
    optional = lambda n: draw(st.none() | st.integers(0, n - 1))  # noqa: E731
    return Drawn(sizes=sizes, policies=policies, grades=grades, subjects=subjects,
                 coach_schools=coach_schools, caseloads=caseloads, contacts=tuple(contacts),
                 own_time=own_time, requests=tuple(requests), cycles=tuple(cycles),
                 period=(start, draw(st.integers(0, start))),
                 school=optional(n_schools), grade=optional(len(GRADES)),
                 subject=optional(len(SUBJECTS)), coach=optional(len(coach_schools)),
                 kind=optional(len(CONTACT_KINDS)))


@dataclass
class Built:
    """The rows a drawing became."""

    drawn: Drawn
    network: object
    schools: list
    teachers: list[list]  # per school
    coaches: list
    leaders: list  # one per school
    admin: object
    year: object
    today: datetime.date
    grades: list
    subjects: list
    kinds: list
    names: set[str] = field(default_factory=set)  # every teacher's and coach's name

    def at(self, ago: int) -> datetime.datetime:
        return datetime.datetime.combine(self.today - ago * DAY, datetime.time(12),
                                         tzinfo=zone_of(self.network))

    def filters(self, *, school: bool = True, coach: bool = True) -> Filters:
        d = self.drawn
        return Filters(start=self.today - d.period[0] * DAY, end=self.today - d.period[1] * DAY,
                       school_id=self.schools[d.school].pk if school and d.school is not None
                       else None,
                       grade_id=self.grades[d.grade].pk if d.grade is not None else None,
                       subject_id=self.subjects[d.subject].pk if d.subject is not None
                       else None,
                       coach_id=self.coaches[d.coach].pk if coach and d.coach is not None
                       else None,
                       kind_id=self.kinds[d.kind].pk if d.kind is not None else None)


def build(drawn: Drawn, today: datetime.date) -> Built:
    from bettertogether.coaching.tests.support import kind

    network = f.NetworkFactory(name=f"Random {uuid.uuid4().hex[:6]}")
    schools = [f.SchoolFactory(network=network, name=f"School {n}", leader_visibility=policy)
               for n, policy in enumerate(drawn.policies)]
    year = f.SchoolYearFactory(network=network, name="This year",
                               starts_on=today - YEAR_BEFORE * DAY,
                               ends_on=today + YEAR_AFTER * DAY)
    f.TermFactory(school_year=year, name="First", starts_on=year.starts_on,
                  ends_on=today - (TERM_SPLIT + 1) * DAY)
    f.TermFactory(school_year=year, name="Second", starts_on=today - TERM_SPLIT * DAY,
                  ends_on=year.ends_on)
    grades = [f.GradeLevelFactory(network=network, name=name, position=n)
              for n, name in enumerate(GRADES)]
    subjects = [f.SubjectFactory(network=network, name=name) for name in SUBJECTS]
    admin = f.PersonFactory(full_name=f"Admin {network.name}")
    f.MembershipFactory(person=admin, organisation=network, role=Role.NETWORK_ADMIN)
    built = Built(drawn=drawn, network=network, schools=schools, teachers=[], coaches=[],
                  leaders=[], admin=admin, year=year, today=today, grades=grades,
                  subjects=subjects, kinds=[kind(name) for name in CONTACT_KINDS])
    for s, school in enumerate(schools):
        leader = f.PersonFactory(full_name=f"Leader Of{s}")
        f.MembershipFactory(person=leader, organisation=school, role=Role.SCHOOL_LEADER)
        built.leaders.append(leader)
        staff = []
        for t in range(drawn.sizes[s]):
            person = f.PersonFactory(full_name=f"Teacher Tee{s}x{t}")
            f.MembershipFactory(person=person, organisation=school, role=Role.TEACHER)
            profile = TeacherProfile.objects.get(person=person)
            profile.grades.add(grades[drawn.grades[s][t]])
            profile.subjects.add(subjects[drawn.subjects[s][t]])
            staff.append(person)
        built.teachers.append(staff)
    for c, served in enumerate(drawn.coach_schools):
        coach = f.PersonFactory(full_name=f"Coach Cee{c}")
        for s in sorted(served):
            f.MembershipFactory(person=coach, organisation=schools[s], role=Role.COACH)
        built.coaches.append(coach)
    built.names = {p.full_name for staff in built.teachers for p in staff} | {
        c.full_name for c in built.coaches}
    _activity(built)
    return built


def _activity(built: Built) -> None:
    """Caseloads, contacts, own time, requests and cycles, each through its service."""
    drawn = built.drawn
    for coach, school, teacher in sorted(drawn.caseloads):
        directory_services.caseload_assign(
            actor=built.admin, coach=built.coaches[coach],
            teacher=built.teachers[school][teacher], school=built.schools[school],
            school_year=built.year)
    for contact in drawn.contacts:
        log(built.coaches[contact.coach],
            [built.teachers[contact.school][t] for t in contact.teachers],
            CONTACT_KINDS[contact.kind], occurred_at=built.at(contact.ago), minutes=30)
    for coach, ago in drawn.own_time:
        log(built.coaches[coach], [], "Planning", occurred_at=built.at(ago), minutes=45)
    for coach, school, teacher in drawn.requests:
        item = f.MenuItemFactory(network=built.network, coach=built.coaches[coach])
        menu_services.request_create(actor=built.teachers[school][teacher],
                                     coach=built.coaches[coach], item=item)
    for coach, school, teacher, students in drawn.cycles:
        person, who = built.teachers[school][teacher], built.coaches[coach]
        cycle = a_cycle(who, a_goal(who, [person]), started_on=built.today - 40 * DAY)
        measure = evidence.measure_add(actor=who, cycle=cycle, name="Reasoning",
                                       kind=MeasureKind.SHARE)
        for moment, meeting, ago in (("before", students // 3, 30), ("after", students // 2, 2)):
            evidence.point_record(actor=who, measure=measure, moment=moment,
                                  taken_on=built.today - ago * DAY, students=students,
                                  meeting_target=meeting)


# --- the oracle: teachers counted from the drawing ---------------------------------------------


class Oracle:
    """Who a report under the drawn filters is about, counted without the engine."""

    def __init__(self, built: Built, *, school: int | None, coach: int | None) -> None:
        self.built, self.drawn = built, built.drawn
        self.school, self.coach = school, coach

    def in_filter(self, s: int, t: int) -> bool:
        d = self.drawn
        return ((d.grade is None or d.grades[s][t] == d.grade)
                and (d.subject is None or d.subjects[s][t] == d.subject))

    def population(self, s: int, *, coach_scope: int | None = None) -> int:
        """A school's teachers as a report narrowed to it counts them."""
        coach = coach_scope if coach_scope is not None else self.coach
        if coach is not None and (self.drawn.grade is not None
                                  or self.drawn.subject is not None):
            return len({t for c, school, t in self.drawn.caseloads
                        if c == coach and school == s and self.in_filter(s, t)})
        return sum(1 for t in range(self.drawn.sizes[s]) if self.in_filter(s, t))

    def reached(self, schools) -> dict[int, set[int]]:
        """Teachers reached in the period, by school (teachers of one school each)."""
        d, start, end = self.drawn, self.drawn.period[1], self.drawn.period[0]
        found: dict[int, set[int]] = {s: set() for s in schools}
        for contact in d.contacts:
            if not start <= contact.ago <= end or contact.school not in found:
                continue
            if self.coach is not None and contact.coach != self.coach:
                continue
            if d.kind is not None and contact.kind != d.kind:
                continue
            found[contact.school] |= {t for t in contact.teachers
                                      if self.in_filter(contact.school, t)}
        return found

    def caseload(self, schools) -> dict[int, set[int]]:
        found: dict[int, set[int]] = {s: set() for s in schools}
        for c, s, t in self.drawn.caseloads:
            if s in found and (self.coach is None or c == self.coach) and self.in_filter(s, t):
                found[s].add(t)
        return found

    def by_grade(self, sets: dict[int, set[int]]) -> dict[str, int]:
        counted: dict[str, int] = {}
        for s, teachers in sets.items():
            for t in teachers:
                name = GRADES[self.drawn.grades[s][t]]
                counted[name] = counted.get(name, 0) + 1
        return counted
