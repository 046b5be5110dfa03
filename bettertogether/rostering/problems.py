"""Problems found in a roster: every one is reported at once, with where it is."""

from __future__ import annotations

from dataclasses import dataclass, field

from .models import PROBLEMS_KEPT


@dataclass
class Problems:
    """Collects problems as `{file, line, column, message}`; keeps the first
    `PROBLEMS_KEPT` and counts them all, so a badly broken file cannot fill memory."""

    kept: list[dict] = field(default_factory=list)
    total: int = 0

    def add(self, message: str, *, file: str = "", line: int | None = None,
            column: str = "") -> None:
        self.total += 1
        if len(self.kept) < PROBLEMS_KEPT:
            self.kept.append({"file": file, "line": line, "column": column, "message": message})

    def in_order(self) -> list[dict]:
        """The kept problems file by file (in the order files were first named), by line."""
        first_seen: dict[str, int] = {}
        for problem in self.kept:
            first_seen.setdefault(problem["file"], len(first_seen))
        return sorted(self.kept, key=lambda p: (first_seen[p["file"]], p["line"] or 0))

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total


def describe(problem: dict) -> str:
    """One problem as a line of plain text: `users.csv, line 4, column email: …`."""
    where = [part for part in (
        problem.get("file") or "",
        f"line {problem['line']}" if problem.get("line") else "",
        f"column {problem['column']}" if problem.get("column") else "",
    ) if part]
    prefix = ", ".join(where)
    return f"{prefix}: {problem['message']}" if prefix else problem["message"]
