"""The plain CSV roster, for a school without a OneRoster export.

One line per person and role, under this header (the template download holds an example):

| column   | what it holds                                                                 |
|----------|-------------------------------------------------------------------------------|
| name     | the person's full name (required)                                             |
| email    | their email address: how they sign in, and how they are matched (required)    |
| role     | teacher, coach, principal (or headteacher), network admin, or facilitator      |
| school   | the school's name, for teachers, coaches and principals; a new name adds it   |
| grades   | optional: grades or year groups they teach, separated by semicolons (3;4)      |
| subjects | optional: subjects they teach, separated by semicolons (Mathematics;Science)   |

The columns may come in any order; grades and subjects may be left out. A person with two
roles has two lines. People are matched by email address, so importing the file again
changes nothing. A plain CSV only adds and updates: it never switches anyone off.
"""

from __future__ import annotations

import csv
import io
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from bettertogether.directory.models import Role

from .problems import Problems
from .roster import NETWORK, Roster, RosterPerson, RosterSchool
from .upload import BadEncoding, Source, encoding_message

COLUMNS = ("name", "email", "role", "school", "grades", "subjects")
REQUIRED_COLUMNS = ("name", "email", "role", "school")

ROLE_WORDS = {
    "teacher": Role.TEACHER,
    "coach": Role.COACH,
    "principal": Role.SCHOOL_LEADER,
    "headteacher": Role.SCHOOL_LEADER,
    "school leader": Role.SCHOOL_LEADER,
    "network admin": Role.NETWORK_ADMIN,
    "district admin": Role.NETWORK_ADMIN,
    "trust admin": Role.NETWORK_ADMIN,
    "facilitator": Role.FACILITATOR,
    "programme facilitator": Role.FACILITATOR,
    "program facilitator": Role.FACILITATOR,
}
NETWORK_LEVEL = {Role.NETWORK_ADMIN, Role.FACILITATOR}

TEMPLATE = (
    "name,email,role,school,grades,subjects\r\n"
    "Maria Rivera,maria.rivera@example.org,teacher,Lincoln Elementary,3;4,Mathematics;Science\r\n"
    "Jo Park,jo.park@example.org,coach,Lincoln Elementary,K;1;2,English Language Arts\r\n"
    "Sam Okafor,sam.okafor@example.org,principal,Lincoln Elementary,,\r\n"
    "Dana Lee,dana.lee@example.org,network admin,,,\r\n"
)

_SEPARATORS = re.compile(r"[;,]")


def _items(value: str) -> set[str]:
    return {item.strip() for item in _SEPARATORS.split(value) if item.strip()}


def read_plain_csv(source: Source, problems: Problems) -> Roster | None:
    name = source.names[0]
    try:
        text = source.read_text(name)
    except BadEncoding as error:
        problems.add(encoding_message(error), file=name, line=error.line)
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
        index = _check_header(header, name, problems)
        if index is None:
            return None
        roster = Roster(kind="csv")
        people: dict[str, RosterPerson] = {}
        schools: dict[str, RosterSchool] = {}
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            _read_row(row, reader.line_num, index, len(header), name, people, schools,
                      problems)
    except csv.Error as error:
        problems.add(_("This line is not valid CSV (%(error)s).") % {"error": error},
                     file=name, line=reader.line_num)
        return None
    if not people and not problems:
        problems.add(_("The file has a header but nobody under it."), file=name, line=2)
    if problems:
        return None
    roster.schools = list(schools.values())
    roster.people = list(people.values())
    return roster


def _check_header(header: list[str], name: str, problems: Problems) -> dict[str, int] | None:
    if not header:
        problems.add(_("The file is empty. Start from the template: its first line is "
                       "name,email,role,school,grades,subjects."), file=name, line=1)
        return None
    unknown = [column for column in header if column not in COLUMNS]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if unknown or missing or len(set(header)) != len(header):
        problems.add(_("The first line must name the columns name, email, role and school "
                       "(and optionally grades and subjects). %(detail)s") % {
            "detail": _("Missing: %(missing)s. Not ours: %(unknown)s.") % {
                "missing": ", ".join(missing) or "—", "unknown": ", ".join(unknown) or "—"}},
            file=name, line=1)
        return None
    return {column: header.index(column) for column in header}


def _read_row(row, line, index, width, name, people, schools, problems) -> None:
    if len(row) != width:
        problems.add(_("This line has %(n)s values; the header has %(width)s.") % {
            "n": len(row), "width": width}, file=name, line=line)
        return

    def value(column: str) -> str:
        return row[index[column]].strip() if column in index else ""

    full_name, email = value("name"), value("email").lower()
    role = ROLE_WORDS.get(" ".join(value("role").lower().split()))
    school = " ".join(value("school").split())
    found = len(problems)
    if not full_name:
        problems.add(_("name is required."), file=name, line=line, column="name")
    elif len(full_name) > 200:
        problems.add(_("A name can be 200 characters at most."), file=name, line=line,
                     column="name")
    try:
        validate_email(email)
    except ValidationError:
        problems.add(_("“%(email)s” is not an email address.") % {"email": email} if email
                     else _("email is required."), file=name, line=line, column="email")
    if role is None:
        problems.add(_("“%(role)s” is not a role we know; use teacher, coach, principal, "
                       "network admin or facilitator.") % {"role": value("role")},
                     file=name, line=line, column="role")
    elif role not in NETWORK_LEVEL and not school:
        problems.add(_("A %(role)s needs a school.") % {"role": value("role").lower()},
                     file=name, line=line, column="school")
    elif len(school) > 200:
        problems.add(_("A school's name can be 200 characters at most."), file=name, line=line,
                     column="school")
    grades, subjects = _items(value("grades")), _items(value("subjects"))
    if any(len(grade) > 16 for grade in grades):
        problems.add(_("A grade can be 16 characters at most; separate grades with "
                       "semicolons."), file=name, line=line, column="grades")
    if any(len(subject) > 80 for subject in subjects):
        problems.add(_("A subject can be 80 characters at most; separate subjects with "
                       "semicolons."), file=name, line=line, column="subjects")
    person = people.get(email)
    if person is not None and person.full_name != full_name and full_name:
        problems.add(_("%(email)s is called %(first)s on line %(line)s; use the same name on "
                       "every line.") % {"email": email, "first": person.full_name,
                                         "line": person.line},
                     file=name, line=line, column="name")
    if len(problems) > found:
        return
    if person is None:
        person = people[email] = RosterPerson(source_id="", email=email, full_name=full_name,
                                              file=name, line=line)
    if role in NETWORK_LEVEL:
        person.roles.add((role, NETWORK))
    else:
        key = school.lower()
        schools.setdefault(key, RosterSchool(key=key, name=school, file=name, line=line))
        person.roles.add((role, key))
    person.grades |= grades
    person.subjects |= subjects
