"""Timing a district-sized roster import, for `make bench` (never a timed test).

`time_import()` builds a valid OneRoster 1.2 bundle (not timed), creates a fresh network
and times importing the bundle into it, the way the nightly command does. Run it on its own
against any database with

    DATABASE_URL=postgres://… python -m bettertogether.rostering.bench --teachers 15000
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 10.0


def time_import(network_name: str, teachers: int = 15000, *, schools: int = 250,
                classes_per_teacher: int = 4, students_per_class: int = 5,
                version: str = "1.2") -> dict:
    """Import a bundle of `teachers` teachers into a new network called `network_name`;
    return how long it took and what it wrote."""
    from django.db import connection

    from bettertogether.directory.models import Organisation

    from .services import roster_import
    from .testing import build_oneroster_bundle

    if Organisation.objects.filter(name=network_name, kind=Organisation.Kind.NETWORK).exists():
        raise ValueError(f"A network called {network_name!r} exists; the benchmark needs a "
                         "fresh one.")
    domain = re.sub(r"[^a-z0-9]+", "-", network_name.lower()).strip("-") + ".example"
    network = Organisation.objects.create(name=network_name, kind=Organisation.Kind.NETWORK)
    with tempfile.TemporaryDirectory() as folder:
        bundle = build_oneroster_bundle(
            Path(folder) / "roster.zip", version=version, schools=schools,
            teachers_per_school=max(teachers // schools, 1),
            classes_per_teacher=classes_per_teacher, students_per_class=students_per_class,
            domain=domain, district_id=f"district-{domain}",
        )
        size = bundle.stat().st_size
        started = time.perf_counter()
        run = roster_import(actor=None, network=network, path=bundle, dry_run=False)
        seconds = time.perf_counter() - started
    return {
        "name": "roster import (OneRoster 1.2)",
        "database": connection.vendor,
        "teachers": max(teachers // schools, 1) * schools,
        "schools": schools,
        "classes": max(teachers // schools, 1) * schools * classes_per_teacher,
        "enrollments": max(teachers // schools, 1) * schools * classes_per_teacher
        * (students_per_class + 1),
        "bundle_mb": round(size / 1024 / 1024, 1),
        "seconds": round(seconds, 2),
        "target_seconds": TARGET_SECONDS,
        "meets_target": run.status == "done" and seconds < TARGET_SECONDS,
        "status": run.status,
        "problems": run.problems[:5],
        "summary": run.summary,
    }


def main(argv=None) -> None:
    import os

    import django

    parser = argparse.ArgumentParser(prog="python -m bettertogether.rostering.bench",
                                     description=__doc__)
    parser.add_argument("--network", default=f"Roster bench {int(time.time())}")
    parser.add_argument("--teachers", type=int, default=15000)
    parser.add_argument("--students-per-class", type=int, default=5)
    parser.add_argument("--migrate", action="store_true", help="migrate the database first")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bettertogether.settings")
    django.setup()
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    result = time_import(args.network, args.teachers,
                         students_per_class=args.students_per_class)
    print(json.dumps({k: v for k, v in result.items() if k != "summary"}, indent=2))


if __name__ == "__main__":
    main()
