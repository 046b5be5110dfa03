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

Read leniently where the meaning is plain, each said as a warning: column names in any case
and their usual other spellings ("E-mail", "Full name", "Year group"), a name split into
first and last name columns, role words in any case, columns of its own that a spreadsheet
adds (left aside). The file is read as a stream, a line at a time.
"""

from __future__ import annotations

import csv
import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from bettertogether.directory.models import Role

from .oneroster_spec import header_key
from .problems import Problems
from .roster import NETWORK, Roster, RosterPerson, RosterSchool
from .upload import FileUnreadable, Source, UploadRejected, csv_message

COLUMNS = ("name", "email", "role", "school", "grades", "subjects")
MAX_LINES = 50_000  # more staff than any school has: a district sends OneRoster
REQUIRED_COLUMNS = ("name", "email", "role", "school")
# Other names spreadsheets give our columns (compared without case, spaces or punctuation).
COLUMN_ALIASES = {
    "fullname": "name", "displayname": "name", "staffname": "name",
    "emailaddress": "email", "mail": "email", "workemail": "email",
    "rolename": "role",
    "schoolname": "school",
    "grade": "grades", "gradelevel": "grades", "gradelevels": "grades",
    "yeargroup": "grades", "yeargroups": "grades",
    "subject": "subjects",
}
FIRST_NAME = frozenset({"firstname", "givenname", "forename"})
LAST_NAME = frozenset({"lastname", "familyname", "surname"})

ROLE_WORDS = {
    "teacher": Role.TEACHER,
    "coach": Role.COACH,
    "instructional coach": Role.COACH,
    "principal": Role.SCHOOL_LEADER,
    "headteacher": Role.SCHOOL_LEADER,
    "head teacher": Role.SCHOOL_LEADER,
    "school leader": Role.SCHOOL_LEADER,
    "network admin": Role.NETWORK_ADMIN,
    "district admin": Role.NETWORK_ADMIN,
    "trust admin": Role.NETWORK_ADMIN,
    "network administrator": Role.NETWORK_ADMIN,
    "district administrator": Role.NETWORK_ADMIN,
    "trust administrator": Role.NETWORK_ADMIN,
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
    roster = Roster(kind="csv")
    people: dict[str, RosterPerson] = {}
    schools: dict[str, RosterSchool] = {}
    try:
        with source.lines(name) as lines:
            reader = csv.reader(lines)
            try:
                header = next(reader, [])
                lines.record_done(reader.line_num)
                index = _check_header(header, name, problems)
                if index is None:
                    return None
                for row in reader:
                    lines.record_done(reader.line_num)
                    if not any(cell.strip() for cell in row):
                        continue
                    if reader.line_num > MAX_LINES:
                        problems.add(_("A plain CSV is for a small school, and this one runs "
                                       "past %(n)s lines. Import a district from its "
                                       "OneRoster export.") % {"n": f"{MAX_LINES:,}"},
                                     file=name, line=reader.line_num)
                        return None
                    _read_row(row, reader.line_num, index, index["width"], name, people,
                              schools, problems)
            except csv.Error as error:
                problems.add(csv_message(error),
                             file=name, line=reader.line_num)
                return None
    except FileUnreadable as error:
        problems.add(error.message, file=name, line=error.line)
        return None
    except UploadRejected as error:
        problems.add(error.message, file=name)
        return None
    if not people and not problems:
        problems.add(_("The file has a header but nobody under it."), file=name, line=2)
    if problems:
        return None
    roster.schools = list(schools.values())
    roster.people = list(people.values())
    return roster


def _check_header(header: list[str], name: str, problems: Problems) -> dict | None:
    """Where each column is: `{column: position}`, with `"name"` as a pair of positions
    when the name is split into first and last name columns."""
    cells = [cell.strip() for cell in header]
    header_cells = len(cells)
    while cells and not cells[-1]:
        cells.pop()
    if not cells:
        problems.add(_("The file is empty. Start from the template: its first line is "
                       "name,email,role,school,grades,subjects."), file=name, line=1)
        return None
    index: dict = {}
    split_name: dict[str, int] = {}
    ignored: list[str] = []
    repeated: list[str] = []
    for at, cell in enumerate(cells):
        key = header_key(cell)
        column = key if key in COLUMNS else COLUMN_ALIASES.get(key)
        if column is None and key in FIRST_NAME | LAST_NAME:
            split_name["first" if key in FIRST_NAME else "last"] = at
            continue
        if column is None:
            ignored.append(cell or _("(a column without a name)"))
        elif column in index:
            repeated.append(cell)
        else:
            index[column] = at
            if cell != column and cell.lower() != column:
                problems.warn(_("The column “%(found)s” was read as %(column)s.") % {
                    "found": cell, "column": column}, file=name, line=1, column=column)
    if "name" not in index and len(split_name) == 2:
        index["name"] = (split_name["first"], split_name["last"])
        problems.warn(_("Names were put together from the first and last name columns."),
                      file=name, line=1, column="name")
    if ignored:
        problems.warn(_("Columns we do not read were left aside: %(columns)s.") % {
            "columns": ", ".join(ignored[:10])}, file=name, line=1)
    missing = [column for column in REQUIRED_COLUMNS if column not in index]
    if missing or repeated:
        problems.add(_("The first line must name the columns name, email, role and school "
                       "(and optionally grades and subjects). %(detail)s") % {
            "detail": _("Missing: %(missing)s. Twice: %(repeated)s.") % {
                "missing": ", ".join(missing) or "—", "repeated": ", ".join(repeated) or "—"}},
            file=name, line=1)
        return None
    index["width"], index["header_cells"] = len(cells), header_cells
    return index


def _read_row(row, line, index, width, name, people, schools, problems) -> None:
    if width < len(row) <= index["header_cells"] and not any(cell.strip() for cell in
                                                              row[width:]):
        row = row[:width]  # the empty cells of the header's unnamed columns
    if len(row) != width:
        problems.add(_("This line has %(n)s values; the header has %(width)s.") % {
            "n": len(row), "width": width}, file=name, line=line, kind="width")
        return

    def value(column: str) -> str:
        at = index.get(column)
        if isinstance(at, tuple):
            return " ".join(row[part].strip() for part in at if row[part].strip())
        return row[at].strip() if at is not None else ""

    full_name, email = value("name"), value("email").lower()
    role = _role(value("role"), name, line, problems)
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
                     else _("email is required."), file=name, line=line, column="email",
                     kind="email" if email else "")
    if role is None:
        problems.add(_("“%(role)s” is not a role we know; use teacher, coach, principal, "
                       "network admin or facilitator.") % {"role": value("role")},
                     file=name, line=line, column="role", kind="role")
    elif role not in NETWORK_LEVEL and not school:
        problems.add(_("A %(role)s needs a school.") % {"role": value("role").lower()},
                     file=name, line=line, column="school", kind="needs-school")
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
                     file=name, line=line, column="name", kind="same-person")
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


def _role(word: str, name: str, line: int, problems: Problems) -> str | None:
    """The role a word names, in any case; "Literacy coach" and the like are coaches."""
    words = " ".join(word.lower().split())
    role = ROLE_WORDS.get(words)
    if role is None and words.endswith(" coach"):
        role = Role.COACH
        problems.warn(_("“%(word)s” was read as coach.") % {"word": word}, file=name,
                      line=line, column="role", kind="coach-word")
    return role
