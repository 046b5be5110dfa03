"""The OneRoster 1.1 and 1.2 CSV files we read: their columns in spec order, which values
are required, and the vocabularies (1EdTech OneRoster CSV Tables 1.1 and CSV Binding 1.2).

Headers are case-sensitive and come in this order. A producer may add its own columns
after the spec's, named `metadata.…`. A column marked `optional_header` was added by a
point release and may be left out of the header entirely.

Enumerations may also hold extension values, written `ext:…` as both versions allow.
"""

from __future__ import annotations

from dataclasses import dataclass

STATUS = frozenset({"active", "tobedeleted"})
BOOLEAN = frozenset({"true", "false"})
ORG_TYPES = frozenset({"department", "school", "district", "local", "state", "national"})
SESSION_TYPES = frozenset({"gradingPeriod", "semester", "schoolYear", "term"})
CLASS_TYPES = frozenset({"homeroom", "scheduled"})
ENROLLMENT_ROLES = frozenset({"administrator", "proctor", "student", "teacher"})
USER_ROLES_11 = frozenset({
    "administrator", "aide", "guardian", "parent", "proctor", "relative", "student", "teacher",
})
ROLES_12 = frozenset({
    "aide", "counselor", "districtAdministrator", "guardian", "parent", "principal",
    "proctor", "relative", "siteAdministrator", "student", "systemAdministrator", "teacher",
})
ROLE_TYPES = frozenset({"primary", "secondary"})
PROCESSING_MODES = frozenset({"bulk", "delta", "absent"})

# text, enum, bool, date, datetime, year, list, ref (one sourcedId), refs (a list of them)
TEXT, ENUM, BOOL, DATE, DATETIME, YEAR, LIST, REF, REFS = (
    "text", "enum", "bool", "date", "datetime", "year", "list", "ref", "refs",
)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = TEXT
    required: bool = False
    values: frozenset[str] = frozenset()
    target: str = ""  # the file whose sourcedIds a ref column names
    optional_header: bool = False


def _common() -> list[Column]:
    return [
        Column("sourcedId", required=True),
        Column("status", ENUM, values=STATUS),
        Column("dateLastModified", DATETIME),
    ]


ORGS = [
    *_common(),
    Column("name", required=True),
    Column("type", ENUM, required=True, values=ORG_TYPES),
    Column("identifier"),
    Column("parentSourcedId", REF, target="orgs.csv"),
]
ACADEMIC_SESSIONS = [
    *_common(),
    Column("title", required=True),
    Column("type", ENUM, required=True, values=SESSION_TYPES),
    Column("startDate", DATE, required=True),
    Column("endDate", DATE, required=True),
    Column("parentSourcedId", REF, target="academicSessions.csv"),
    Column("schoolYear", YEAR, required=True),
]
COURSES = [
    *_common(),
    Column("schoolYearSourcedId", REF, target="academicSessions.csv"),
    Column("title", required=True),
    Column("courseCode"),
    Column("grades", LIST),
    Column("orgSourcedId", REF, required=True, target="orgs.csv"),
    Column("subjects", LIST),
    Column("subjectCodes", LIST),
]
CLASSES = [
    *_common(),
    Column("title", required=True),
    Column("grades", LIST),
    Column("courseSourcedId", REF, required=True, target="courses.csv"),
    Column("classCode"),
    Column("classType", ENUM, required=True, values=CLASS_TYPES),
    Column("location"),
    Column("schoolSourcedId", REF, required=True, target="orgs.csv"),
    Column("termSourcedIds", REFS, required=True, target="academicSessions.csv"),
    Column("subjects", LIST),
    Column("subjectCodes", LIST),
    Column("periods", LIST),
]
ENROLLMENTS = [
    *_common(),
    Column("classSourcedId", REF, required=True, target="classes.csv"),
    Column("schoolSourcedId", REF, required=True, target="orgs.csv"),
    Column("userSourcedId", REF, required=True, target="users.csv"),
    Column("role", ENUM, required=True, values=ENROLLMENT_ROLES),
    Column("primary", BOOL, values=BOOLEAN),
    Column("beginDate", DATE),
    Column("endDate", DATE),
]
USERS_11 = [
    *_common(),
    Column("enabledUser", BOOL, required=True, values=BOOLEAN),
    Column("orgSourcedIds", REFS, required=True, target="orgs.csv"),
    Column("role", ENUM, required=True, values=USER_ROLES_11),
    Column("username", required=True),
    Column("userIds", LIST),
    Column("givenName", required=True),
    Column("familyName", required=True),
    Column("middleName"),
    Column("identifier"),
    Column("email"),
    Column("sms"),
    Column("phone"),
    Column("agentSourcedIds", REFS, target="users.csv"),
    Column("grades", LIST),
    Column("password"),
]
USERS_12 = [
    *_common(),
    Column("enabledUser", BOOL, required=True, values=BOOLEAN),
    Column("username", required=True),
    Column("userIds", LIST),
    Column("givenName", required=True),
    Column("familyName", required=True),
    Column("middleName"),
    Column("identifier"),
    Column("email"),
    Column("sms"),
    Column("phone"),
    Column("agentSourcedIds", REFS, target="users.csv"),
    Column("grades", LIST),
    Column("password"),
    Column("userMasterIdentifier"),
    Column("resourceSourcedIds", LIST, optional_header=True),
    Column("preferredGivenName"),
    Column("preferredMiddleName"),
    Column("preferredFamilyName"),
    Column("primaryOrgSourcedId", REF, target="orgs.csv"),
    Column("pronouns"),
]
ROLES = [
    *_common(),
    Column("userSourcedId", REF, required=True, target="users.csv"),
    Column("roleType", ENUM, required=True, values=ROLE_TYPES),
    Column("role", ENUM, required=True, values=ROLES_12),
    Column("beginDate", DATE),
    Column("endDate", DATE),
    Column("orgSourcedId", REF, required=True, target="orgs.csv"),
    Column("userProfileSourcedId"),
]

# The files we read, in the order they are checked (a file's references point backwards
# or sideways, never to a file checked later, except users ↔ users).
READ_FILES = {
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
