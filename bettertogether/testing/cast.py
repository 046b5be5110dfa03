"""The cast every test reader learns once.

Riverside network, school "Lincoln" (and a second school "Roosevelt"):
- `coach`: coach at Lincoln; `teacher` is in their caseload this year.
- `teacher`: teacher at Lincoln, in the coach's caseload.
- `other_teacher`: teacher at Lincoln, not in the caseload.
- `leader`: principal of Lincoln.
- `admin`: network admin of Riverside.
- `outsider`: network admin of another network (Northfield) with its own school.
"""

from dataclasses import dataclass

from bettertogether.directory.models import Organisation, Person, Role, SchoolYear

from . import factories as f


@dataclass
class Cast:
    network: Organisation
    school: Organisation
    other_school: Organisation
    school_year: SchoolYear
    coach: Person
    teacher: Person
    other_teacher: Person
    leader: Person
    admin: Person
    outsider: Person
    outsider_network: Organisation
    outsider_school: Organisation


def build_cast() -> Cast:
    network = f.NetworkFactory(name="Riverside")
    school = f.SchoolFactory(name="Lincoln Elementary", network=network)
    other_school = f.SchoolFactory(name="Roosevelt Middle", network=network)
    year = f.SchoolYearFactory(network=network, name="2026–27")
    coach = f.PersonFactory(full_name="Cora Coach", email="coach@riverside.test")
    teacher = f.PersonFactory(full_name="Tess Teacher", email="teacher@riverside.test")
    other = f.PersonFactory(full_name="Otto Other", email="other@riverside.test")
    leader = f.PersonFactory(full_name="Lena Leader", email="leader@riverside.test")
    admin = f.PersonFactory(full_name="Adam Admin", email="admin@riverside.test")
    f.MembershipFactory(person=coach, organisation=school, role=Role.COACH)
    f.MembershipFactory(person=teacher, organisation=school, role=Role.TEACHER)
    f.MembershipFactory(person=other, organisation=school, role=Role.TEACHER)
    f.MembershipFactory(person=leader, organisation=school, role=Role.SCHOOL_LEADER)
    f.MembershipFactory(person=admin, organisation=network, role=Role.NETWORK_ADMIN)
    f.CaseloadAssignmentFactory(coach=coach, teacher=teacher, school=school, school_year=year)
    outsider_network = f.NetworkFactory(name="Northfield", locale="en-gb",
                                        time_zone="Europe/London")
    outsider_school = f.SchoolFactory(name="Northfield Primary", network=outsider_network)
    outsider = f.PersonFactory(full_name="Olive Outsider", email="outsider@northfield.test")
    f.MembershipFactory(person=outsider, organisation=outsider_network, role=Role.NETWORK_ADMIN)
    return Cast(
        network=network, school=school, other_school=other_school, school_year=year,
        coach=coach, teacher=teacher, other_teacher=other, leader=leader, admin=admin,
        outsider=outsider, outsider_network=outsider_network, outsider_school=outsider_school,
    )
