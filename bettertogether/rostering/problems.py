"""What a roster check finds: problems (nothing is imported while there is one) and
warnings (something we read as its exporter meant it, said so in the preview).

Everything is found in one pass and reported at once, with where it is. A badly broken
file can hold a million problems of one kind, so each kind — the same file, column and
sort of mistake — keeps its first few places and counts the rest ("and 9,980 more like
this"), and a run keeps at most `PROBLEMS_KEPT` places in all. Memory stays small whatever
the file holds; every problem is still counted.
"""

from __future__ import annotations

from .models import PROBLEMS_KEPT

PLACES_PER_PROBLEM = 20  # lines listed for one kind of problem
PLACES_PER_WARNING = 5  # lines listed for one kind of warning
MAX_KINDS = 500  # kinds told apart; any further ones are counted together per file
# The order a bundle's files are listed in (the spec's); the upload as a whole comes first.
FILE_ORDER = ("", "manifest.csv", "orgs.csv", "academicSessions.csv", "courses.csv",
              "classes.csv", "users.csv", "roles.csv", "enrollments.csv")


class _Findings:
    def __init__(self, *, places_per_kind: int):
        self.places_per_kind = places_per_kind
        self.total = 0
        self._kept = 0
        self._kinds: dict[tuple, dict] = {}  # key → {file, column, message, places, count}

    def add(self, message: str, *, file: str = "", line: int | None = None,
            column: str = "", kind: str = "") -> None:
        """Record one finding. `kind` groups findings whose messages differ only by the
        value quoted in them (“TRUE” and “True” read as true); by default the message
        itself is the kind."""
        self.total += 1
        key = (file, column, kind or message)
        found = self._kinds.get(key)
        if found is None:
            if len(self._kinds) >= MAX_KINDS:
                key = (file, "", "\0more")
                found = self._kinds.get(key)
            if found is None:
                found = self._kinds[key] = {"file": file, "column": column,
                                            "message": message, "places": [], "count": 0}
        found["count"] += 1
        if len(found["places"]) < self.places_per_kind and self._kept < PROBLEMS_KEPT:
            found["places"].append((line, message))
            self._kept += 1

    def _ordered_kinds(self) -> list[dict]:
        """Kinds file by file (a bundle's in the order of the spec, others as first
        named), then by first line."""
        first_seen: dict[str, int] = {}
        for found in self._kinds.values():
            first_seen.setdefault(found["file"], len(first_seen))

        def rank(found: dict) -> tuple:
            file = found["file"]
            place = FILE_ORDER.index(file) if file in FILE_ORDER else len(FILE_ORDER)
            first_line = min((line or 0 for line, _m in found["places"]), default=0)
            return place, first_seen[file], first_line

        return sorted(self._kinds.values(), key=rank)

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total


class Warnings(_Findings):
    """Things we read as the exporter meant them, one row per kind with its lines."""

    def __init__(self):
        super().__init__(places_per_kind=PLACES_PER_WARNING)

    def grouped(self) -> list[dict]:
        """`{file, column, message, lines, more}` per kind: the first lines it was seen on
        and how many more lines had it."""
        return [{
            "file": found["file"], "column": found["column"], "message": found["message"],
            "lines": sorted(line for line, _m in found["places"] if line),
            "more": found["count"] - len(found["places"]),
        } for found in self._ordered_kinds()]


class Problems(_Findings):
    """Collects problems as `{file, line, column, message}` and, beside them, the
    warnings of the same check (`warn`), so every reader that can refuse a value can also
    say how it read one."""

    def __init__(self):
        super().__init__(places_per_kind=PLACES_PER_PROBLEM)
        self.warnings = Warnings()

    def warn(self, message: str, *, file: str = "", line: int | None = None,
             column: str = "", kind: str = "") -> None:
        self.warnings.add(message, file=file, line=line, column=column, kind=kind)

    def in_order(self) -> list[dict]:
        """The kept problems file by file and kind by kind, each kind's places by line;
        the last place of a kind that has more carries `more`, how many were not kept."""
        rows: list[dict] = []
        for found in self._ordered_kinds():
            places = sorted(found["places"], key=lambda place: place[0] or 0)
            for line, message in places:
                rows.append({"file": found["file"], "line": line, "column": found["column"],
                             "message": message})
            hidden = found["count"] - len(places)
            if hidden and rows and places:
                rows[-1]["more"] = hidden
            elif hidden:
                rows.append({"file": found["file"], "line": None, "column": found["column"],
                             "message": found["message"], "more": hidden})
        return rows


def describe(problem: dict) -> str:
    """One problem as a line of plain text: `users.csv, line 4, column email: …`."""
    where = [part for part in (
        problem.get("file") or "",
        f"line {problem['line']}" if problem.get("line") else "",
        f"column {problem['column']}" if problem.get("column") else "",
    ) if part]
    prefix = ", ".join(where)
    return f"{prefix}: {problem['message']}" if prefix else problem["message"]


def describe_warning(warning: dict) -> str:
    """One warning as a line of plain text: `users.csv, column enabledUser, lines 2, 3 and
    40 more: …`."""
    lines = ", ".join(str(line) for line in warning.get("lines") or [])
    if lines and warning.get("more"):
        lines = f"lines {lines} and {warning['more']} more"
    elif lines:
        lines = f"line {lines}" if len(warning["lines"]) == 1 else f"lines {lines}"
    where = [part for part in (
        warning.get("file") or "",
        f"column {warning['column']}" if warning.get("column") else "",
        lines,
    ) if part]
    prefix = ", ".join(where)
    return f"{prefix}: {warning['message']}" if prefix else warning["message"]
