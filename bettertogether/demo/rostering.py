"""Roster imports in the demo: a school's new hires brought in from a plain CSV, and a file
with a mistake, so the Rosters page shows both a finished import and a list of problems.

Both go through the real importer (`roster_import`), as a nightly sync would.
"""

from __future__ import annotations

import csv
import random
import tempfile
from pathlib import Path

from bettertogether.demo.common import BENCH_PERSONAS, DISTRICT_NETWORK, SMALL_NETWORK
from bettertogether.directory.models import Organisation, Person
from bettertogether.rostering.services import roster_import

COLUMNS = ["name", "email", "role", "school", "grades", "subjects"]

SMALL_NEW_STAFF = [
    ("Miguel Ángel Ortega", "miguel.ortega", "teacher", "K;1", "English Language Arts"),
    ("Wen Li", "wen.li", "teacher", "2", "Mathematics;Science"),
    ("Dylan Brooks", "dylan.brooks", "teacher", "3", "Mathematics"),
    ("Ayesha Qureshi", "ayesha.qureshi", "teacher", "4;5", "Science;Social Studies"),
]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def seed_small(rng: random.Random, **_options) -> None:
    network = Organisation.objects.get(name=SMALL_NETWORK, kind=Organisation.Kind.NETWORK)
    admin = Person.objects.get(email="admin@riverside.example")
    school = "Lincoln Elementary School"
    rows = [
        [name, f"{local}@riverside.example", role, school, grades, subjects]
        for name, local, role, grades, subjects in SMALL_NEW_STAFF
    ]
    with tempfile.TemporaryDirectory() as folder:
        roster_import(actor=admin, network=network, dry_run=False,
                      path=_write(Path(folder) / "lincoln-new-hires.csv", rows))
        mistaken = [
            ["Owen Fairweather", "owen.fairweather@riverside", "teacher", school, "6", ""],
            ["", "no.name@riverside.example", "teacher", school, "", ""],
        ]
        roster_import(actor=admin, network=network, dry_run=True,
                      path=_write(Path(folder) / "late-additions.csv", mistaken))


def seed_district(rng: random.Random, **_options) -> None:
    network = Organisation.objects.get(name=DISTRICT_NETWORK, kind=Organisation.Kind.NETWORK)
    admin = Person.objects.get(email=BENCH_PERSONAS["admin"])
    school = Organisation.objects.filter(network=network).order_by("pk").first().name
    rows = []
    for n in range(12):
        grade = str(rng.randint(6, 8))
        rows.append([f"New Hire {n + 1:02d}", f"new.hire{n + 1:02d}@metro.example",
                     "teacher", school, grade, rng.choice(["Mathematics", "Science"])])
    with tempfile.TemporaryDirectory() as folder:
        roster_import(actor=admin, network=network, dry_run=False,
                      path=_write(Path(folder) / "new-hires.csv", rows))
