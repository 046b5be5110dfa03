"""`make bench`: serve the district dataset with gunicorn and time every page.

Steps: make sure PostgreSQL runs and holds the district dataset (bench/dataset.py),
collect static files, start gunicorn, sign the personas in by writing sessions, run the
load generator (bench/load.py) in its own process, then write bench/results.json and
print a table. gunicorn is always stopped. A page that answers anything but 200 makes the
run fail; a page that misses its target is only reported.
"""

from __future__ import annotations

import argparse
import datetime
import json
import logging
import math
import os
import subprocess
import sys

from bench import dataset
from bench.pages import FLOOR, PAGES, PERSONAS, Page
from bench.server import environment as server_env
from bench.server import session_for, start_server, stop_process, wait_until_ready

REPO = dataset.REPO
RESULTS = REPO / "bench" / "results.json"
SERVER_LOG = dataset.CACHE / "gunicorn.log"
TARGET_RATIO = 3.0
TARGET_P95_MS = 50.0


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=10, help="untimed requests per page")
    parser.add_argument("--quick", action="store_true", help="30 requests per page, 5 warm-up")
    parser.add_argument("--only", default="", help="measure only pages whose name has this")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the dataset, no cache")
    parser.add_argument("--skip-operations", action="store_true",
                        help="measure pages only, not the timed operations (roster imports)")
    parser.add_argument("--keep-db", action="store_true",
                        help="use the database as it is, even if built from other sources")
    args = parser.parse_args(argv)
    if args.quick:
        args.requests, args.warmup = 30, 5
    return args


def _environment(url: str) -> dict:
    return server_env(url, BENCH_QUERY_COUNT="true",
                      TASK_BACKEND="django.tasks.backends.dummy.DummyBackend")


def main(argv=None) -> int:
    args = _arguments(argv)
    sys.stdout.reconfigure(line_buffering=True)
    url = os.environ.get("DATABASE_URL", dataset.DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        dataset.log(f"The benchmark runs on PostgreSQL; DATABASE_URL is {url!r}.")
        return 2
    env = _environment(url)
    os.environ.update(env)
    dataset.ensure_postgres(url)
    built = dataset.prepare(url, seed=args.seed, env=env, rebuild=args.rebuild,
                            keep_db=args.keep_db)

    if built["seconds"]:
        dataset.log(f"Dataset {built['source']} in {built['seconds']:.1f} s.")

    import django

    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    plan_pages, skipped = _resolve([p for p in PAGES if args.only in p.name])
    if FLOOR.name in skipped:
        dataset.log("The floor page does not resolve; nothing can be compared with it.")
        return 2
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
                   cwd=REPO, env=env, check=True)
    dataset.log(f"Starting gunicorn on 127.0.0.1:{args.port} (2 sync workers)…")
    server = start_server(env, args.port, log_path=SERVER_LOG)
    sessions = {}
    try:
        base = f"http://127.0.0.1:{args.port}"
        wait_until_ready(server, base, log_path=SERVER_LOG)
        personas = {FLOOR.persona} | {p.persona for p, _url in plan_pages}
        sessions = _sign_in(personas)
        plan = {
            "base_url": base,
            "requests": args.requests,
            "warmup": args.warmup,
            "floor_urls": {persona: _reverse(FLOOR, {}) for persona in personas},
            "cookies": {p: f"sessionid={s.session_key}" for p, s in sessions.items()},
            "pages": [{"name": p.name, "persona": p.persona, "url": u} for p, u in plan_pages],
        }
        dataset.log(f"Measuring {len(plan_pages)} page(s), {args.requests} requests each…")
        measured = subprocess.run(
            [sys.executable, "-m", "bench.load"], cwd=REPO, input=json.dumps(plan),
            stdout=subprocess.PIPE, text=True, check=True,
        )
        raw = json.loads(measured.stdout)
    finally:
        stop_process(server)
        for store in sessions.values():
            store.delete()
    report = _report(raw, skipped, built, args)
    report["operations"] = [] if args.skip_operations else _operations(url, env)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    _print_table(report)
    if report["errors"]:
        dataset.log(f"\n{len(report['errors'])} page(s) answered with errors; see "
                    f"{SERVER_LOG.relative_to(REPO)}.")
        for error in report["errors"]:
            dataset.log(f"  {error}")
        return 1
    return 0


def _operations(url: str, env: dict) -> list[dict]:
    """Timed operations that are not pages, each in a scratch database of its own: the
    15,000-teacher roster import, then hostile uploads, each import in a fresh process
    whose peak memory is reported beside its time."""
    scratch = dataset._with_db(url, dataset.db_name(url) + "_operations")
    dataset.recreate(scratch)
    dataset.log("Timing a 15,000-teacher OneRoster 1.2 import into a fresh network…")
    operation = [sys.executable, "-m", "bettertogether.rostering.bench"]
    try:
        finished = subprocess.run(
            [*operation, "--migrate", "--teachers", "15000", "--network", "Roster benchmark"],
            cwd=REPO, env={**env, "DATABASE_URL": scratch}, stdout=subprocess.PIPE,
            text=True, check=True,
        )
        result = json.loads(finished.stdout)
        dataset.log("Importing hostile uploads, each in a process of its own…")
        hostile = json.loads(subprocess.run(
            [*operation, "--hostile"], cwd=REPO, env={**env, "DATABASE_URL": scratch},
            stdout=subprocess.PIPE, text=True, check=True).stdout)
    finally:
        dataset.drop(scratch)
    verdict = "ok" if result["meets_target"] else "MISSED"
    dataset.log(f"  {result['name']}: {result['seconds']:.2f} s ({result['cpu_seconds']:.2f} s "
                f"CPU) for {result['teachers']:,} teachers, {result['enrollments']:,} "
                f"enrollments (target < {result['target_seconds']:.0f} s: {verdict}); peak "
                f"memory {result['peak_memory_mb']:.0f} MB, "
                f"{result['peak_memory_growth_mb']:+.0f} MB over the process before it")
    for found in hostile:
        dataset.log(f"  {found['name']} ({found['upload_mb']} MB): {found['status']} in "
                    f"{found['seconds']:.2f} s; peak memory {found['peak_memory_mb']:.0f} MB, "
                    f"{found['peak_memory_growth_mb']:+.0f} MB. {found['said'][:90]}")
    return [result, *hostile]


def _reverse(page: Page, ids: dict[str, int]) -> str:
    from django.urls import reverse

    url = reverse(page.url_name, args=[ids[name] for name in page.args])
    return f"{url}?{page.query}" if page.query else url


def _resolve(pages: list[Page]) -> tuple[list[tuple[Page, str]], list[str]]:
    """Each page's URL; pages whose URL name does not exist yet are skipped, loudly."""
    from django.urls import NoReverseMatch

    from bench.pages import objects

    ids = objects()
    resolved, skipped = [], []
    for page in [FLOOR, *pages]:
        try:
            url = _reverse(page, ids)
        except NoReverseMatch:
            dataset.log(f"WARNING: skipping {page.name}: no URL named {page.url_name!r}.")
            skipped.append(page.name)
            continue
        if page is not FLOOR:
            resolved.append((page, url))
    return resolved, skipped


def _sign_in(personas: set[str]) -> dict:
    """A session for each persona, written straight into the session store."""
    from bettertogether.directory.models import Person

    return {persona: session_for(Person.objects.get(email=PERSONAS[persona]))
            for persona in sorted(personas)}


def _percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _summary(samples: list[dict]) -> dict:
    ok = [s for s in samples if s["status"] == 200]
    if not ok:
        return {"p50_ms": None, "p95_ms": None, "queries": None, "client_p95_ms": None}
    times = [s["server_ms"] if s["server_ms"] is not None else s["client_ms"] for s in ok]
    queries = [s["queries"] for s in ok if s["queries"] is not None]
    return {
        "p50_ms": round(_percentile(times, 50), 2),
        "p95_ms": round(_percentile(times, 95), 2),
        "queries": max(queries) if queries else None,
        "queries_min": min(queries) if queries else None,
        "client_p50_ms": round(_percentile([s["client_ms"] for s in ok], 50), 2),
        "client_p95_ms": round(_percentile([s["client_ms"] for s in ok], 95), 2),
        "server_timed": all(s["server_ms"] is not None for s in ok),
    }


def _report(raw: dict, skipped: list[str], built: dict, args) -> dict:
    floors = {persona: _summary(samples) for persona, samples in raw["floors"].items()}
    pages, details, errors = [], [], []
    for page in raw["pages"]:
        summary = _summary(page["samples"])
        # The floor requests made between this page's requests: the same conditions.
        floor = _summary(page["floor_samples"])
        ratio = (
            round(summary["p95_ms"] / floor["p95_ms"], 2)
            if summary["p95_ms"] is not None and floor["p95_ms"]
            else None
        )
        bad = [s for s in page["samples"] if s["status"] != 200]
        if bad:
            where = f" → {bad[0]['location']}" if bad[0]["location"] else ""
            errors.append(f"{page['name']} ({page['url']}): {len(bad)} × HTTP "
                          f"{bad[0]['status']}{where}")
        meets = (ratio is not None and ratio <= TARGET_RATIO
                 and summary["p95_ms"] < TARGET_P95_MS and not bad)
        pages.append({"name": page["name"], "p50_ms": summary["p50_ms"],
                      "p95_ms": summary["p95_ms"], "ratio_to_floor": ratio,
                      "queries": summary["queries"]})
        details.append({"name": page["name"], "persona": page["persona"], "url": page["url"],
                        "meets_target": meets, "errors": len(bad),
                        "floor_p95_ms": floor["p95_ms"],
                        **{k: v for k, v in summary.items() if k not in pages[-1]}})
    for persona, samples in raw["floors"].items():
        bad = [s for s in samples if s["status"] != 200]
        if bad:
            errors.append(f"floor as {persona}: {len(bad)} × HTTP {bad[0]['status']}")
    coach_floor = floors[FLOOR.persona]
    return {
        "pages": pages,
        "floor": {"name": FLOOR.name, "p50_ms": coach_floor["p50_ms"],
                  "p95_ms": coach_floor["p95_ms"], "queries": coach_floor["queries"]},
        "floors": floors,
        "details": details,
        "skipped": skipped,
        "errors": errors,
        "targets": {"p95_ratio_to_floor": TARGET_RATIO, "p95_ms": TARGET_P95_MS},
        "requests_per_page": args.requests,
        "dataset": {**built, **_dataset_counts()},
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
    }


def _dataset_counts() -> dict:
    from bettertogether.activity.models import ActivityEntry
    from bettertogether.directory.models import (
        CaseloadAssignment,
        Membership,
        Organisation,
        Person,
    )

    return {
        "people": Person.objects.count(),
        "schools": Organisation.objects.filter(kind=Organisation.Kind.SCHOOL).count(),
        "memberships": Membership.objects.count(),
        "caseload_assignments": CaseloadAssignment.objects.count(),
        "activity_entries": ActivityEntry.objects.count(),
    }


def _fmt(value, spec: str = ".1f") -> str:
    return "—" if value is None else format(value, spec)


def _print_table(report: dict) -> None:
    details = {d["name"]: d for d in report["details"]}
    rows = [("page", "persona", "p50 ms", "p95 ms", "floor p95", "× floor", "queries", "target")]
    for persona, floor in sorted(report["floors"].items()):
        rows.append((f"floor ({persona})", persona, _fmt(floor["p50_ms"]),
                     _fmt(floor["p95_ms"]), "", "", _fmt(floor["queries"], "d"), ""))
    missed = 0
    for page in report["pages"]:
        detail = details[page["name"]]
        if detail["errors"]:
            verdict = "ERROR"
        elif detail["meets_target"]:
            verdict = "ok"
        else:
            missed += 1
            verdict = "MISSED"
        rows.append((page["name"], detail["persona"], _fmt(page["p50_ms"]),
                     _fmt(page["p95_ms"]), _fmt(detail["floor_p95_ms"]),
                     _fmt(page["ratio_to_floor"], ".2f"), _fmt(page["queries"], "d"), verdict))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    right = {2, 3, 4, 5, 6}
    print()
    for n, row in enumerate(rows):
        cells = [str(c).rjust(w) if i in right else str(c).ljust(w)
                 for i, (c, w) in enumerate(zip(row, widths, strict=True))]
        print("  ".join(cells).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))
    print(f"\nTarget: p95 within {TARGET_RATIO:g}× the floor measured alongside the page (same "
          f"persona) and under {TARGET_P95_MS:g} ms, in server time. "
          f"Results in {RESULTS.relative_to(REPO)}.")
    if missed:
        print(f"{missed} page(s) MISSED the target.")
    for name in report["skipped"]:
        print(f"Skipped (no such URL yet): {name}")

if __name__ == "__main__":
    sys.exit(main())
