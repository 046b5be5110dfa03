"""Helpers for the rostering tests: fixture bundles, edits to them, and the state a roster
import could change."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from bettertogether.directory.models import GradeLevel, Organisation, Person, Subject
from bettertogether.directory.tests.support import world_state as directory_state
from bettertogether.rostering.models import ImportRun, RosterClass
from bettertogether.rostering.services import roster_import

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_files(name: str) -> dict[str, str]:
    """The CSV files of a fixture bundle folder, by name."""
    folder = FIXTURES / name
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.csv"))}


def edit(files: dict[str, str], name: str, old: str, new: str) -> dict[str, str]:
    """A copy of `files` with `old` replaced (exactly once) by `new` in file `name`."""
    assert files[name].count(old) == 1, f"{old!r} is not once in {name}"
    return {**files, name: files[name].replace(old, new)}


def reshape(files: dict[str, str], name: str, change) -> dict[str, str]:
    """A copy of `files` with every row of file `name` (its header too) passed through
    `change(cells) -> cells`, as a spreadsheet that moves whole columns would."""
    rows = list(csv.reader(io.StringIO(files[name], newline="")))
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(change(list(row)) for row in rows)
    return {**files, name: out.getvalue()}


def zip_files(path: Path, files: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def import_files(tmp_path, network, files, *, actor=None, dry_run=False, name="roster.zip"):
    path = zip_files(tmp_path / name, files)
    return roster_import(actor=actor, network=network, path=path, dry_run=dry_run)


def import_fixture(tmp_path, network, fixture, *, actor=None, dry_run=False):
    return import_files(tmp_path, network, fixture_files(fixture), actor=actor, dry_run=dry_run)


def world_state() -> dict:
    """Everything an import could change, to compare before and after."""
    return {
        **directory_state(),
        "sources": sorted(Person.objects.values_list("pk", "source_id")),
        "organisation_sources": sorted(Organisation.objects.values_list("pk", "source_id")),
        "grades": sorted(GradeLevel.objects.values_list("pk", "code", "name")),
        "subjects": sorted(Subject.objects.values_list("pk", "name")),
        "classes": list(RosterClass.objects.order_by("pk").values_list(
            "pk", "source_id", "school_id", "teacher_id", "title", "subject", "grades",
            "student_count")),
    }


def problems_at(run: ImportRun) -> set[tuple]:
    """The run's problems as (file, line, column) places."""
    return {(p["file"], p["line"], p["column"]) for p in run.problems}
