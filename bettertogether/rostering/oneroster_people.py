"""The people of a OneRoster bundle: who is brought in, with which roles, and why everyone
else is not.

Only staff are kept: a teacher, principal or administrator whose role is current and held
at a school or the district. Everyone else — students above all, who are most of a
district's users — is counted under one reason (`summary.REASON_ORDER`) and costs 8 bytes
while the bundle is read. In a 1.2 bundle roles.csv is read before users.csv, so that the
users file can be streamed keeping only the staff; the roles' references to users are
checked once users.csv is read.
"""

from __future__ import annotations

from array import array
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from bettertogether.directory.models import Role

from . import oneroster_spec as spec
from . import summary as reasons
from .oneroster_table import IdIndex, Table, split_list
from .roster import NETWORK, RosterPerson

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
STAFF_ROLES = frozenset(SCHOOL_ROLE) | frozenset(NETWORK_ROLE)
ROLE_REASON = {
    "student": reasons.STUDENT,
    "guardian": reasons.GUARDIAN,
    "parent": reasons.GUARDIAN,
    "relative": reasons.GUARDIAN,
    "aide": reasons.AIDE,
    "counselor": reasons.COUNSELOR,
    "proctor": reasons.PROCTOR,
    "systemAdministrator": reasons.SYSTEM_ADMINISTRATOR,
}


class PeopleReading:
    """Mixed into the bundle reader, which supplies `version`, `tables`, `problems`,
    `roster`, `people`, `today`, `known`, `place()` and `reference()`."""

    # --- roles (1.2) -----------------------------------------------------------------------

    def start_people(self) -> None:
        self.people: dict[str, RosterPerson] = {}  # sourcedId → someone brought in
        self.staff_roles: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)
        self.other_roles: dict[str, IdIndex] = {}  # reason → users with only such roles
        self.role_users = (array("q"), array("l"))  # each role's user, checked after users
        self._stored_people_ids: set[str] | None = None

    def _roles(self, table: Table) -> None:
        orgs = self.reference("orgs.csv")
        at_role = table.index.get("role")
        for line, cells in table.rows():
            user = table.value(cells, line, "userSourcedId")
            org = table.value(cells, line, "orgSourcedId")
            role = cells[at_role]
            if role not in spec.ROLES_12:
                role = table.value(cells, line, "role")
            table.check_reference(org, line, "orgSourcedId", orgs)
            if not user:
                continue
            self.role_users[0].append(hash(user))
            self.role_users[1].append(line)
            if not role:
                continue
            if role in STAFF_ROLES:
                ended = (table.value(cells, line, "status") == "tobedeleted"
                         or self._has_ended(table.value(cells, line, "endDate")))
                self.staff_roles[user].append((role, org, ended))
            else:
                reason = ROLE_REASON.get(role, reasons.OTHER_ROLE)
                found = self.other_roles.get(reason)
                if found is None:
                    found = self.other_roles[reason] = IdIndex()
                found.add(user)
        for index in self.other_roles.values():
            index.seal()

    def _has_ended(self, ends: str) -> bool:
        return bool(ends) and ends < self.today

    def _check_role_users(self) -> None:
        """Every role names a user of users.csv (or, for a delta, of an earlier import);
        roles.csv is read again only when one does not, to say which."""
        table = self.tables.get("roles.csv")
        if table is None or table.broken:
            return
        users = self.reference("users.csv")
        fingerprints, lines = self.role_users
        missing = {line for fingerprint, line in zip(fingerprints, lines, strict=True)
                   if not users.holds_fingerprint(fingerprint)}
        if not missing:
            return
        at = table.index["userSourcedId"]
        for line, cells in table.rows(again=True):
            if line in missing:
                table.check_reference(cells[at].strip(), line, "userSourcedId", users)

    # --- users ---------------------------------------------------------------------------

    def _users(self, table: Table) -> None:
        orgs = self.reference("orgs.csv")
        emails: dict[str, int] = {}
        at_id = table.index["sourcedId"]
        reasons_held = [(reason, self.other_roles[reason]) for reason in reasons.REASON_ORDER
                        if reason in self.other_roles]
        for line, cells in table.rows():
            sourced_id = cells[at_id].strip()
            if sourced_id:
                table.ids.add(sourced_id)
            assignments, own_role = self._assignments(table, cells, line, sourced_id, orgs)
            if not assignments:  # most lines: a student, a guardian…
                self._skip(self._reason(sourced_id, assignments, own_role, reasons_held))
                continue
            person = RosterPerson(source_id=sourced_id, email="", full_name="",
                                  file=table.name, line=line)
            for role, org_id, role_ended in assignments:
                if not role_ended:
                    self._grant(person, role, org_id)
            if not person.roles:
                self._skip(self._reason(sourced_id, assignments, own_role, reasons_held))
                continue
            if table.value(cells, line, "sourcedId") and self._fill_person(
                    person, table, cells, line, emails):
                self.people[sourced_id] = person
        table.report_repeated_ids()
        if self.version == "1.2":
            self._check_role_users()

    def _assignments(self, table, cells, line, sourced_id, orgs):
        """([(role, org, ended)], the row's own role): 1.1 says it on the row, 1.2 in
        roles.csv (only its staff roles are kept)."""
        if self.version == "1.2":
            return self.staff_roles.get(sourced_id, []), ""
        role = cells[table.index["role"]]
        if role not in spec.USER_ROLES_11:
            role = table.value(cells, line, "role")
        org_ids = split_list(table.value(cells, line, "orgSourcedIds"))
        for org_id in org_ids:
            table.check_reference(org_id, line, "orgSourcedIds", orgs)
        if role not in STAFF_ROLES:
            return [], role
        return [(role, org_id, False) for org_id in org_ids], role

    def _grant(self, person: RosterPerson, role: str, org_id: str) -> None:
        place = self.place(org_id)
        if place is None:
            return
        granted = NETWORK_ROLE.get(role) if place == NETWORK else SCHOOL_ROLE.get(role)
        if granted is not None:
            person.roles.add((granted, place))

    def _reason(self, sourced_id: str, assignments, own_role: str, reasons_held) -> str:
        """Why someone with no role here is not brought in: the first reason that applies
        in `REASON_ORDER` (`reasons_held`: the 1.2 roles that are not staff's, in order)."""
        if any(ended for _role, _org, ended in assignments):
            return reasons.ROLE_ENDED
        if assignments:
            return reasons.ROLE_ELSEWHERE
        if self.version == "1.1":
            return ROLE_REASON.get(own_role, reasons.OTHER_ROLE)
        fingerprint = hash(sourced_id)
        for reason, holders in reasons_held:
            if holders.has_fingerprint(fingerprint):
                return reason
        return reasons.NO_ROLE

    def _skip(self, reason: str) -> None:
        self.roster.skipped[reason] += 1

    def _fill_person(self, person, table, cells, line, emails) -> bool:
        """Name, address and state of someone brought in; False (with a problem or a
        reason) when they cannot be."""
        def value(name):
            return table.value(cells, line, name) if name in table.index else ""

        given, family = value("givenName"), value("familyName")
        person.full_name = f"{given} {family}".strip()
        person.preferred_name = value("preferredGivenName")
        person.removed = value("status") == "tobedeleted"
        person.enabled = self._enabled(table, value("enabledUser"), line)
        person.email = self._email(table, value("email"), value("username"), line)
        if person.removed:
            if person.source_id not in self._stored_people():
                self._skip(reasons.REMOVED)
            return True  # only switched off if stored: no need for a usable address
        if not person.email:
            self._skip(reasons.NO_EMAIL)
            self.problems.warn(_("No email address (in email, or an address as the "
                                 "username): not brought in, as people sign in with their "
                                 "email."), file=table.name, line=line, column="email",
                               kind="no-email")
            return False
        return self._usable(person, table.name, line, emails)

    def _stored_people(self) -> set[str]:
        if self._stored_people_ids is None:
            self._stored_people_ids = self.known("users.csv")
        return self._stored_people_ids

    def _enabled(self, table, enabled: str, line: int) -> bool:
        if not enabled:
            self.problems.warn(_("enabledUser is empty; read as true."), file=table.name,
                               line=line, column="enabledUser", kind="enabled-empty")
        return enabled != "false"

    def _email(self, table, email: str, username: str, line: int) -> str:
        email = email.lower()
        if not email and "@" in username:
            self.problems.warn(_("No email address; the username, which is one, was used."),
                               file=table.name, line=line, column="email",
                               kind="email-from-username")
            email = username.lower()
        return email

    def _usable(self, person, file, line, emails) -> bool:
        try:
            validate_email(person.email)
        except ValidationError:
            self.problems.add(_("“%(email)s” is not an email address.") % {
                "email": person.email}, file=file, line=line, column="email",
                kind="email")
            return False
        if person.email in emails:
            self.problems.add(_("%(email)s is also the address on line %(line)s; each person "
                                "needs their own.") % {"email": person.email,
                                                       "line": emails[person.email]},
                              file=file, line=line, column="email", kind="same-email")
            return False
        emails[person.email] = line
        if not person.full_name:
            self.problems.add(_("%(email)s has no name: givenName and familyName are both "
                                "empty.") % {"email": person.email}, file=file, line=line,
                              column="givenName", kind="no-name")
            return False
        if len(person.full_name) > 200 or len(person.preferred_name) > 100:
            self.problems.add(_("This name is too long: 200 characters at most (100 for a "
                                "preferred name)."), file=file, line=line, column="givenName",
                              kind="long-name")
            return False
        return True
