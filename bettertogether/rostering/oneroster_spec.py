"""The OneRoster 1.1 and 1.2 CSV files: their columns in spec order (1EdTech OneRoster CSV
Tables 1.1 and CSV Binding 1.2), which of them we read, and the spellings real exports use.

We read only what an import uses, and check what we read:

- `used` columns are read; a value that cannot be understood there is a problem on a row
  we use. Columns we do not use are never judged, so an export's quirks in, say, its
  phone numbers or term dates cannot stop an import.
- `needed` columns must be in the header and hold a value on every row we use.
- enumerations and booleans are matched whatever their case, and known variants (such as
  OneRoster 1.0's `inactive`) are read as the spec's value; each is said as a warning.
- headers are matched by name in any order, whatever their case, and known misspellings
  (`dataLastModified`, `prefferedGivenName`) are read as the spec's column, with a warning;
  other columns are ignored, with a warning unless they are `metadata.…` as the spec allows.

Enumerations may also hold extension values, written `ext:…` as both versions allow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

STATUS = frozenset({"active", "tobedeleted"})
BOOLEAN = frozenset({"true", "false"})
ORG_TYPES = frozenset({"department", "school", "district", "local", "state", "national"})
ENROLLMENT_ROLES = frozenset({"administrator", "proctor", "student", "teacher"})
USER_ROLES_11 = frozenset({
    "administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher",
})
ROLES_12 = frozenset({
    "aide", "counselor", "districtAdministrator", "guardian", "parent", "principal",
    "proctor", "relative", "siteAdministrator", "student", "systemAdministrator", "teacher",
})
PROCESSING_MODES = frozenset({"bulk", "delta", "absent"})

# Values of other versions (or none) whose meaning is beyond doubt, lower-cased.
STATUS_VARIANTS = {"inactive": "tobedeleted", "deleted": "tobedeleted"}
BOOLEAN_VARIANTS = {"t": "true", "yes": "true", "y": "true", "1": "true",
                    "f": "false", "no": "false", "n": "false", "0": "false"}
# A 1.1 file naming a 1.2 role, or the other way round.
ROLE_VARIANTS_11 = {role.lower(): role for role in ROLES_12 - USER_ROLES_11}
ROLE_VARIANTS_12 = {role.lower(): role for role in USER_ROLES_11 - ROLES_12}

TEXT, ENUM, BOOL, DATE, DATETIME, YEAR, LIST, REF, REFS = (
    "text", "enum", "bool", "date", "datetime", "year", "list", "ref", "refs",
)


@dataclass
class Column:
    name: str
    kind: str = TEXT
    used: bool = False  # we read its value
    needed: bool = False  # in the header, and a value on every row we use
    values: frozenset[str] = frozenset()
    variants: dict[str, str] = field(default_factory=dict)  # lower-cased → spec value
    target: str = ""  # the file whose sourcedIds a reference column names
    aliases: tuple[str, ...] = ()  # other spellings of the header real exports use
    optional_header: bool = False  # added by a point release: may be left out silently


def header_key(name: str) -> str:
    """A header cell as it is compared: case, spaces and punctuation aside."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _common() -> list[Column]:
    return [
        Column("sourcedId", used=True, needed=True, aliases=("sourceId",)),
        Column("status", ENUM, used=True, values=STATUS, variants=STATUS_VARIANTS),
        Column("dateLastModified", DATETIME,
               aliases=("dataLastModified", "dateLastModifed", "lastModified")),
    ]


ORGS = [
    *_common(),
    Column("name", used=True, needed=True),
    Column("type", ENUM, used=True, needed=True, values=ORG_TYPES),
    Column("identifier"),
    Column("parentSourcedId", REF, used=True, target="orgs.csv",
           aliases=("parentSourceId",)),
]
ACADEMIC_SESSIONS = [
    *_common(),
    Column("title"),
    Column("type", ENUM),
    Column("startDate", DATE),
    Column("endDate", DATE),
    Column("parentSourcedId", REF, target="academicSessions.csv"),
    Column("schoolYear", YEAR),
]
COURSES = [
    *_common(),
    Column("schoolYearSourcedId", REF, aliases=("schoolYearId", "schoolYearSourceId")),
    Column("title"),
    Column("courseCode"),
    Column("grades", LIST, used=True),
    Column("orgSourcedId", REF, aliases=("orgSourceId",)),
    Column("subjects", LIST, used=True),
    Column("subjectCodes", LIST),
]
CLASSES = [
    *_common(),
    Column("title", used=True),
    Column("grades", LIST, used=True),
    Column("courseSourcedId", REF, used=True, target="courses.csv",
           aliases=("courseSourceId",)),
    Column("classCode", used=True),
    Column("classType", ENUM),
    Column("location"),
    Column("schoolSourcedId", REF, used=True, needed=True, target="orgs.csv",
           aliases=("schoolSourceId",)),
    Column("termSourcedIds", REFS, aliases=("termSourceIds", "termSourcedId")),
    Column("subjects", LIST, used=True),
    Column("subjectCodes", LIST, aliases=("subjectCode",)),
    Column("periods", LIST),
]
ENROLLMENTS = [
    *_common(),
    Column("classSourcedId", REF, used=True, needed=True, target="classes.csv",
           aliases=("classSourceId",)),
    Column("schoolSourcedId", REF, aliases=("schoolSourceId",)),
    Column("userSourcedId", REF, used=True, needed=True, target="users.csv",
           aliases=("userSourceId",)),
    Column("role", ENUM, used=True, needed=True, values=ENROLLMENT_ROLES),
    Column("primary", BOOL, used=True, values=BOOLEAN, variants=BOOLEAN_VARIANTS),
    Column("beginDate", DATE),
    Column("endDate", DATE),
]


def _person_columns() -> list[Column]:
    """The users.csv columns both versions share, after their first few."""
    return [
        Column("username", used=True, aliases=("userName",)),
        Column("userIds", LIST),
        Column("givenName", used=True, aliases=("firstName",)),
        Column("familyName", used=True, aliases=("lastName", "surname")),
        Column("middleName"),
        Column("identifier"),
        Column("email", used=True, aliases=("emailAddress",)),
        Column("sms"),
        Column("phone"),
        Column("agentSourcedIds", REFS, aliases=("agentSourceIds",)),
        Column("grades", LIST),
        Column("password"),
    ]


def _enabled() -> Column:
    return Column("enabledUser", BOOL, used=True, values=BOOLEAN, variants=BOOLEAN_VARIANTS,
                  aliases=("enabled", "userEnabled"))


USERS_11 = [
    *_common(),
    _enabled(),
    Column("orgSourcedIds", REFS, used=True, needed=True, target="orgs.csv",
           aliases=("orgSourceIds", "orgSourcedId", "orgSourceId")),
    Column("role", ENUM, used=True, needed=True, values=USER_ROLES_11,
           variants=ROLE_VARIANTS_11),
    *_person_columns(),
]
USERS_12 = [
    *_common(),
    _enabled(),
    *_person_columns(),
    Column("userMasterIdentifier"),
    Column("resourceSourcedIds", LIST, optional_header=True),
    Column("preferredGivenName", used=True,
           aliases=("prefferedGivenName", "preferredFirstName", "prefferedFirstName")),
    Column("preferredMiddleName", aliases=("prefferedMiddleName",)),
    Column("preferredFamilyName",
           aliases=("prefferedFamilyName", "preferredLastName", "prefferedLastName")),
    Column("primaryOrgSourcedId", REF, aliases=("primaryOrgSourceId",)),
    Column("pronouns"),
]
ROLES = [
    *_common(),
    Column("userSourcedId", REF, used=True, needed=True, target="users.csv",
           aliases=("userSourceId",)),
    Column("roleType", ENUM),
    Column("role", ENUM, used=True, needed=True, values=ROLES_12, variants=ROLE_VARIANTS_12),
    Column("beginDate", DATE),
    Column("endDate", DATE, used=True),
    Column("orgSourcedId", REF, used=True, needed=True, target="orgs.csv",
           aliases=("orgSourceId",)),
    Column("userProfileSourcedId", aliases=("userProfileSourceId",)),
]

# Every file of each version's bundle that has columns we know, in spec order (the test
# corpus writes them all).
COLUMNS = {
    "1.1": {
        "orgs.csv": ORGS,
        "academicSessions.csv": ACADEMIC_SESSIONS,
        "courses.csv": COURSES,
        "classes.csv": CLASSES,
        "users.csv": USERS_11,
        "enrollments.csv": ENROLLMENTS,
    },
    "1.2": {
        "orgs.csv": ORGS,
        "academicSessions.csv": ACADEMIC_SESSIONS,
        "courses.csv": COURSES,
        "classes.csv": CLASSES,
        "users.csv": USERS_12,
        "roles.csv": ROLES,
        "enrollments.csv": ENROLLMENTS,
    },
}
READ_FILES = COLUMNS  # kept for the generator's use: the columns of every file we know

# The files an import reads, in the order it reads them: each file's references point
# to files read before it, except roles → users in 1.2, checked once users.csv is read
# (roles come first so that only the people we bring in are kept from users.csv).
READ_ORDER = {
    "1.1": ("orgs.csv", "courses.csv", "classes.csv", "users.csv", "enrollments.csv"),
    "1.2": ("orgs.csv", "courses.csv", "classes.csv", "roles.csv", "users.csv",
            "enrollments.csv"),
}
# Files whose rows others name by sourcedId and which an earlier import keeps, so a delta
# may name them without sending them again.
KEPT = frozenset({"orgs.csv", "users.csv", "classes.csv"})

# Every data file each version's manifest may name; those we do not read are ignored.
MANIFEST_FILES = {
    "1.1": frozenset({
        "academicSessions", "categories", "classes", "classResources", "courses",
        "courseResources", "demographics", "enrollments", "lineItems", "orgs", "resources",
        "results", "users",
    }),
    "1.2": frozenset({
        "academicSessions", "categories", "classes", "classResources", "courses",
        "courseResources", "demographics", "enrollments", "lineItemLearningObjectiveIds",
        "lineItems", "lineItemScoreScales", "orgs", "resources", "resultLearningObjectiveIds",
        "results", "resultScoreScales", "roles", "scoreScales", "userProfiles",
        "userResources", "users",
    }),
}
MANIFEST_HEADER = ["propertyName", "value"]
MANIFEST_VERSION = "1.0"
