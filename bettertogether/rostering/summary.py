"""An import's summary as plain lines, for the command's output."""

from __future__ import annotations


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
    if summary.get("skipped"):
        skipped = ", ".join(f"{role} {count}" for role, count in summary["skipped"].items())
        lines.append(f"not brought in: {skipped}")
    return lines
