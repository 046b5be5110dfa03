"""Timing a district-sized roster import, and measuring its memory and that of hostile
uploads, for `make bench` (never a timed test).

`time_import()` imports a valid OneRoster 1.2 bundle into a fresh network the way the
nightly command does, and reports its time, its CPU time and the process's peak memory
(`ru_maxrss`) beside the memory it held before. Run on its own, the bundle is built in a
process of its own first, so that only the import is in the peak:

    DATABASE_URL=postgres://… python -m bettertogether.rostering.bench --teachers 15000

`--hostile` imports each hostile upload of `rostering.hostile` (and an honest 100 MB users
file) through the same service, each in a fresh process, and reports what was said, how
long it took and how far the process's peak memory grew.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 10.0
HONEST_USERS_MB = 100


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def build_bundle(path: Path, teachers: int = 15000, *, schools: int = 250,
                 classes_per_teacher: int = 4, students_per_class: int = 5,
                 version: str = "1.2", domain: str = "bench.example") -> Path:
    from .testing import build_oneroster_bundle

    return build_oneroster_bundle(
        Path(path), version=version, schools=schools,
        teachers_per_school=max(teachers // schools, 1),
        classes_per_teacher=classes_per_teacher, students_per_class=students_per_class,
        domain=domain, district_id=f"district-{domain}",
    )


def time_import(network_name: str, teachers: int = 15000, *, schools: int = 250,
                classes_per_teacher: int = 4, students_per_class: int = 5,
                version: str = "1.2", bundle: Path | None = None) -> dict:
    """Import a bundle of `teachers` teachers (built here unless `bundle` is given) into a
    new network called `network_name`; return how long it took, its memory and what it
    wrote."""
    from django.db import connection

    from bettertogether.directory.models import Organisation

    if Organisation.objects.filter(name=network_name, kind=Organisation.Kind.NETWORK).exists():
        raise ValueError(f"A network called {network_name!r} exists; the benchmark needs a "
                         "fresh one.")
    domain = re.sub(r"[^a-z0-9]+", "-", network_name.lower()).strip("-") + ".example"
    per_school = max(teachers // schools, 1)
    with tempfile.TemporaryDirectory() as folder:
        if bundle is None:
            bundle = build_bundle(Path(folder) / "roster.zip", teachers, schools=schools,
                                  classes_per_teacher=classes_per_teacher,
                                  students_per_class=students_per_class, version=version,
                                  domain=domain)
        measured = _measured_import(network_name, bundle)
    run = measured.pop("run")
    return {
        "name": "roster import (OneRoster 1.2)",
        "database": connection.vendor,
        "teachers": per_school * schools,
        "schools": schools,
        "classes": per_school * schools * classes_per_teacher,
        "enrollments": per_school * schools * classes_per_teacher * (students_per_class + 1),
        **measured,
        "target_seconds": TARGET_SECONDS,
        "meets_target": run.status == "done" and measured["seconds"] < TARGET_SECONDS,
        "status": run.status,
        "problems": run.problems[:5],
        "summary": run.summary,
    }


def _measured_import(network_name: str, path: Path) -> dict:
    """Import `path` into a new network, timed, with the process's memory before and at
    its peak."""
    from bettertogether.directory.models import Organisation

    from .services import roster_import

    network = Organisation.objects.create(name=network_name, kind=Organisation.Kind.NETWORK)
    before = _peak_mb()
    started, cpu = time.perf_counter(), time.process_time()
    run = roster_import(actor=None, network=network, path=Path(path), dry_run=False)
    return {
        "run": run,
        "bundle_mb": round(Path(path).stat().st_size / 1024 / 1024, 1),
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "memory_before_mb": before,
        "peak_memory_mb": _peak_mb(),
        "peak_memory_growth_mb": round(_peak_mb() - before, 1),
    }


def hostile_imports(folder: Path) -> list[dict]:
    """Build each hostile upload and the honest large users file, and import each in a
    process of its own."""
    from . import hostile

    builds = dict(hostile.HOSTILE)
    builds["lying-headers"] = lambda f: hostile.lying_headers(f / "lying.zip",
                                                              unpacks_to=1500 << 20)
    builds[f"honest {HONEST_USERS_MB} MB users.csv"] = lambda f: hostile.honest_users(
        f / "honest.zip", megabytes=HONEST_USERS_MB)
    results = []
    for n, (name, build) in enumerate(builds.items()):
        path = build(folder)
        finished = subprocess.run(  # noqa: S603 (this module, with this interpreter)
            [sys.executable, "-m", "bettertogether.rostering.bench", "--import-file",
             str(path), "--network", f"Hostile {n} {int(time.time())}"],
            stdout=subprocess.PIPE, text=True, check=True)
        result = json.loads(finished.stdout)
        results.append({"name": f"hostile upload: {name}",
                        "upload_mb": round(path.stat().st_size / 1024 / 1024, 1), **result})
        path.unlink()
    return results


def _import_file(path: Path, network_name: str) -> dict:
    """One upload through the import service, as `--import-file` runs it."""
    measured = _measured_import(network_name, path)
    run = measured.pop("run")
    said = [p["message"] for p in run.problems[:1]]
    return {"status": run.status, "said": said[0] if said else "",
            "people": run.summary.get("people", {}).get("created", 0),
            **{key: measured[key] for key in ("seconds", "cpu_seconds", "memory_before_mb",
                                              "peak_memory_mb", "peak_memory_growth_mb")}}


def main(argv=None) -> None:
    import django

    parser = argparse.ArgumentParser(prog="python -m bettertogether.rostering.bench",
                                     description=__doc__)
    parser.add_argument("--network", default=f"Roster bench {int(time.time())}")
    parser.add_argument("--teachers", type=int, default=15000)
    parser.add_argument("--students-per-class", type=int, default=5)
    parser.add_argument("--migrate", action="store_true", help="migrate the database first")
    parser.add_argument("--hostile", action="store_true",
                        help="import the hostile uploads instead, each in its own process")
    parser.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--import-file", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bettertogether.settings")
    django.setup()
    if args.build:
        build_bundle(args.build, args.teachers, students_per_class=args.students_per_class)
        return
    if args.migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    if args.import_file:
        print(json.dumps(_import_file(args.import_file, args.network)))
        return
    with tempfile.TemporaryDirectory() as folder:
        if args.hostile:
            print(json.dumps(hostile_imports(Path(folder)), indent=2))
            return
        bundle = Path(folder) / "roster.zip"
        # Built in a process of its own, so that the peak memory is the import's alone.
        subprocess.run([sys.executable, "-m", "bettertogether.rostering.bench", "--build",  # noqa: S603
                        str(bundle), "--teachers", str(args.teachers),
                        "--students-per-class", str(args.students_per_class)], check=True)
        result = time_import(args.network, args.teachers,
                             students_per_class=args.students_per_class, bundle=bundle)
    print(json.dumps({k: v for k, v in result.items() if k != "summary"}, indent=2))


if __name__ == "__main__":
    main()
