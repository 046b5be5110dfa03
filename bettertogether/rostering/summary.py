"""An import's summary as plain lines, for the command's output, and why each person a
roster lists was not brought in, in words, for the command and the pages alike."""

from __future__ import annotations

from django.utils.translation import ngettext

# Why a person the roster lists is not brought in: the keys of a summary's "skipped".
STUDENT = "student"
GUARDIAN = "guardian"  # guardian, parent or relative
AIDE = "aide"
COUNSELOR = "counselor"
PROCTOR = "proctor"
SYSTEM_ADMINISTRATOR = "system_administrator"
OTHER_ROLE = "other_role"  # an extension role (ext:…)
ROLE_ENDED = "role_ended"
ROLE_ELSEWHERE = "role_elsewhere"
NO_ROLE = "no_role"
NO_EMAIL = "no_email"
REMOVED = "removed"

# In the order they are listed; a person with several reasons counts under the first.
REASON_ORDER = (ROLE_ENDED, NO_EMAIL, REMOVED, ROLE_ELSEWHERE, STUDENT, GUARDIAN, AIDE,
                COUNSELOR, PROCTOR, SYSTEM_ADMINISTRATOR, OTHER_ROLE, NO_ROLE)


def _words(reason: str, count: int) -> str:
    n = {"n": f"{count:,}"}
    if reason == STUDENT:
        return ngettext("%(n)s student", "%(n)s students", count) % n
    if reason == GUARDIAN:
        return ngettext("%(n)s parent or guardian", "%(n)s parents and guardians", count) % n
    if reason == AIDE:
        return ngettext("%(n)s aide", "%(n)s aides", count) % n
    if reason == COUNSELOR:
        return ngettext("%(n)s counselor", "%(n)s counselors", count) % n
    if reason == PROCTOR:
        return ngettext("%(n)s proctor", "%(n)s proctors", count) % n
    if reason == SYSTEM_ADMINISTRATOR:
        return ngettext("%(n)s system administrator", "%(n)s system administrators",
                        count) % n
    if reason == OTHER_ROLE:
        return ngettext("%(n)s person whose only role is one of the exporter's own (ext:…)",
                        "%(n)s people whose only roles are the exporter's own (ext:…)",
                        count) % n
    if reason == ROLE_ENDED:
        return ngettext("%(n)s person whose role has ended (its endDate has passed, or it is "
                        "marked to be deleted)",
                        "%(n)s people whose roles have ended (their endDate has passed, or "
                        "they are marked to be deleted)", count) % n
    if reason == ROLE_ELSEWHERE:
        return ngettext("%(n)s person whose role is held at neither a school nor the "
                        "district (a state, national or local organisation)",
                        "%(n)s people whose roles are held at neither a school nor the "
                        "district (a state, national or local organisation)", count) % n
    if reason in (NO_ROLE, "none"):  # "none": how earlier imports wrote it
        return ngettext("%(n)s person with no role in roles.csv",
                        "%(n)s people with no role in roles.csv", count) % n
    if reason == NO_EMAIL:
        return ngettext("%(n)s teacher, principal or administrator without an email address "
                        "(listed in the warnings)",
                        "%(n)s teachers, principals and administrators without an email "
                        "address (listed in the warnings)", count) % n
    if reason == REMOVED:
        return ngettext("%(n)s person marked to be deleted (status tobedeleted or inactive) "
                        "who was not here",
                        "%(n)s people marked to be deleted (status tobedeleted or inactive) "
                        "who were not here", count) % n
    return f"{reason}: {count:,}"  # a role name, as imports before these reasons wrote it


def not_brought_in(skipped: dict | None) -> list[str]:
    """Each reason with its count, in words, in `REASON_ORDER`."""
    skipped = skipped or {}
    known = [reason for reason in REASON_ORDER if skipped.get(reason)]
    others = sorted(reason for reason in skipped if reason not in REASON_ORDER)
    return [_words(reason, skipped[reason]) for reason in (*known, *others)]


def summary_lines(summary: dict) -> list[str]:
    schools, people, roles = summary["schools"], summary["people"], summary["roles"]
    classes = summary["classes"]
    lines = [
        f"schools: {schools['created']} added, {schools['updated']} updated",
        f"people: {people['created']} added, {people['updated']} updated, "
        f"{people['deactivated']} switched off, {people['reactivated']} switched back on",
        f"roles: {roles['granted']} given, {roles['removed']} removed",
        f"profiles: {summary['profiles']['updated']} updated; "
        f"{summary['grades']['created']} new grades, {summary['subjects']['created']} new "
        "subjects",
        f"classes: {classes['created']} added, {classes['updated']} updated, "
        f"{classes['removed']} removed; {summary['students_counted']} student enrollments "
        "counted",
    ]
    asked = summary.get("asked") or {}
    if asked.get("people") or asked.get("before"):
        lines.append(f"asked to join: {asked.get('people', 0)} people already belong to "
                     "another network and are asked to join, never added without their yes"
                     + (f"; {asked['before']} asked before" if asked.get("before") else ""))
    if summary.get("skipped"):
        total = sum(summary["skipped"].values())
        lines.append(f"not brought in: {total} — "
                     + ", ".join(not_brought_in(summary["skipped"])))
    return lines
