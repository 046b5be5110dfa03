"""`make soak`: simulated coaches, teachers and leaders for minutes on end, with the task
worker killed and PostgreSQL restarted under them; then, is everything the app acknowledged
in the database, once?

Steps: start a PostgreSQL of the soak's own (bench/soak/postgres.py) and make the database
`bettertogether_soak` in it afresh, migrated and seeded with the small demo; start an SMTP
sink on loopback (bettertogether/testing/smtp.py), gunicorn and the task worker, both sending
email to the sink; sign the simulated people in by writing their sessions; run the load
(bench/soak/load.py, locust) in its own process while the faults are injected at fixed
fractions of the run; let the worker empty the queue; check and print the figures
(bench/soak/check.py). Every process it started is stopped, also on Ctrl-C.

It exits with status 1 when a write was lost or doubled, the tallies differ from the log, an
email or a PDF is missing or doubled, or the queue was not emptied; error responses are
counted and printed but do not fail the run by themselves.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from bench.server import (
    REPO,
    environment,
    session_for,
    start_server,
    stop_process,
    wait_until_ready,
)
from bench.soak import check
from bench.soak.postgres import Instance

CACHE = REPO / "bench" / "cache" / "soak"
SERVER_LOG = CACHE / "gunicorn.log"
WORKER_LOG = CACHE / "worker.log"
POSTGRES_LOG = CACHE / "postgres.log"
LOAD_LOG = CACHE / "load.log"
RESULTS = CACHE / "results.json"
DATABASE = "bettertogether_soak"
TASK_TABLE = "django_tasks_database_dbtaskresult"

# Who the simulated people are, by share of the users (at least one of each).
MIX = (("coach", 0.40), ("teacher", 0.40), ("leader", 0.15), ("admin", 0.05))


def log(message: str) -> None:
    print(message, flush=True)


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float,
                        default=float(os.environ.get("SOAK_MINUTES", 10)),
                        help="how long the load runs (default 10, or SOAK_MINUTES)")
    parser.add_argument("--users", type=int, default=int(os.environ.get("SOAK_USERS", 50)),
                        help="simulated people at once (default 50, or SOAK_USERS)")
    parser.add_argument("--port", type=int, default=8766, help="gunicorn's port")
    parser.add_argument("--pg-port", type=int, default=55432,
                        help="the soak's own PostgreSQL's port")
    parser.add_argument("--pg-down", type=float, default=5.0,
                        help="seconds PostgreSQL stays down when it is restarted")
    parser.add_argument("--wait", default="2,5",
                        help="seconds each person pauses between actions: min,max")
    parser.add_argument("--no-faults", action="store_true",
                        help="run the load without killing the worker or restarting PostgreSQL")
    parser.add_argument("--drain-minutes", type=float, default=15,
                        help="how long the worker may take to empty the queue afterwards")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    args.wait = tuple(float(x) for x in args.wait.split(","))
    return args


def _people_named(role: str, count: int) -> str:
    plural = {"coach": "coaches", "teacher": "teachers", "leader": "school leaders",
              "admin": "network admins"}
    return f"{count} {role if count == 1 else plural[role]}"


def _mix(users: int) -> dict[str, int]:
    counts = {role: max(1, round(users * share)) for role, share in MIX}
    while sum(counts.values()) > users and counts["coach"] > 1:
        counts["coach" if counts["coach"] >= counts["teacher"] else "teacher"] -= 1
    counts["teacher"] += users - sum(counts.values())
    return counts


# -- the task worker, killed and started again ------------------------------------------------


class Worker:
    """`manage.py task_worker`, its output appended to one log across restarts. An exit the
    soak did not cause is recorded and the worker started again, as a process supervisor
    (systemd's Restart=always) would."""

    def __init__(self, env: dict, clock):
        self.env = env
        self.clock = clock
        self.process: subprocess.Popen | None = None
        self.starts = 0
        self.unplanned_exits: list[str] = []

    def start(self) -> None:
        self.starts += 1
        with WORKER_LOG.open("a") as out:
            out.write(f"\n--- worker start {self.starts} at {self.clock():.1f} s ---\n")
            out.flush()
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "task_worker", "--interval", "0.5",
                 "--no-startup-delay", "--no-reload"],
                cwd=REPO, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None

    def supervise(self) -> None:
        if self.process is not None and self.process.poll() is not None:
            code = self.process.returncode
            self.unplanned_exits.append(f"exit status {code} at {self.clock():.0f} s")
            log(f"  [{self.clock():5.0f} s] the worker exited by itself (status {code}); "
                f"starting it again")
            self.start()

    def stop(self) -> None:
        stop_process(self.process, timeout=60)


# -- faults ----------------------------------------------------------------------------------


@dataclass
class Fault:
    at: float  # fraction of the run
    name: str
    done: bool = False
    notes: list[str] = field(default_factory=list)


def _running_task(url: str) -> str | None:
    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            row = conn.execute(f"SELECT task_path FROM {TASK_TABLE} WHERE status = 'RUNNING' "
                               "LIMIT 1").fetchone()
    except psycopg.Error:
        return None
    return row[0].rsplit(".", 1)[-1] if row else None


def _kill_worker(worker: Worker, url: str, clock, *, wait: float) -> str:
    """kill -9, preferably while a task runs (waiting up to `wait` seconds for one), so
    the fault lands on work in flight."""
    deadline = time.monotonic() + wait
    running = _running_task(url)
    while running is None and time.monotonic() < deadline:
        time.sleep(0.1)
        running = _running_task(url)
    worker.kill()
    during = f"while it ran {running}" if running else "while it was idle"
    return f"[{clock():5.0f} s] killed the task worker (kill -9) {during}"


# -- the run -----------------------------------------------------------------------------------


def _create_database(instance: Instance) -> str:
    with psycopg.connect(instance.url("postgres"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    return instance.url(DATABASE)


def _manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def _people() -> dict[str, list]:
    """The small demo's people who can play each role."""
    from bettertogether.directory.models import CaseloadAssignment, Person, Role

    coach_ids = set(CaseloadAssignment.objects.values_list("coach_id", flat=True))
    coached = set(CaseloadAssignment.objects.values_list("teacher_id", flat=True))
    by_role = {
        "coach": Person.objects.filter(pk__in=coach_ids),
        "teacher": Person.objects.filter(pk__in=coached),
        "leader": Person.objects.filter(memberships__role=Role.SCHOOL_LEADER),
        "admin": Person.objects.filter(memberships__role=Role.NETWORK_ADMIN),
    }
    return {role: list(people.filter(is_active=True).distinct().order_by("pk"))
            for role, people in by_role.items()}


def _sign_in(counts: dict[str, int]) -> dict[str, list[dict]]:
    """One session per simulated person; people are shared round-robin when there are more
    simulated people than real ones."""
    people = _people()
    signins = {}
    for role, count in counts.items():
        pool = people[role]
        signins[role] = [{"email": pool[i % len(pool)].email,
                          "cookie": session_for(pool[i % len(pool)]).session_key}
                         for i in range(count)]
    return signins


def main(argv=None) -> int:
    args = _arguments(argv)
    sys.stdout.reconfigure(line_buffering=True)
    CACHE.mkdir(parents=True, exist_ok=True)
    for stale in (WORKER_LOG, LOAD_LOG):
        stale.unlink(missing_ok=True)
    media = CACHE / "media"
    if media.exists():
        import shutil

        shutil.rmtree(media)
    instance = Instance(port=args.pg_port, log_path=POSTGRES_LOG)
    started_at = [time.monotonic()]

    def clock() -> float:
        return time.monotonic() - started_at[0]

    sink = server = load = None
    worker: Worker | None = None
    try:
        log(f"Starting a PostgreSQL {instance.version} of the soak's own on 127.0.0.1:"
            f"{args.pg_port}…")
        instance.create()
        instance.start()
        url = _create_database(instance)
        from bettertogether.testing.smtp import SmtpSink

        sink = SmtpSink().start()
        base = f"http://127.0.0.1:{args.port}"
        env = environment(
            url, TASK_BACKEND="django_tasks_db.DatabaseBackend",
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST=sink.host, EMAIL_PORT=str(sink.port), EMAIL_TIMEOUT="5",
            MEDIA_ROOT=str(media), SITE_URL=base, LOG_LEVEL="WARNING")
        log(f"Database {DATABASE}: migrating and loading the small demo…")
        _manage(env, "migrate", "--no-input", "-v", "0")
        _manage(env, "seed_demo", "--scale", "small")
        _manage(env, "collectstatic", "--no-input", "-v", "0")
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connections

        from bettertogether.notifications.models import Notification

        counts = _mix(args.users)
        signins = _sign_in(counts)
        since_notification = Notification.objects.order_by("-pk").values_list(
            "pk", flat=True).first() or 0
        connections.close_all()

        log(f"Starting gunicorn on {base} (2 workers × 4 threads), the task worker, and an "
            f"SMTP sink on {sink.host}:{sink.port}…")
        server = start_server(env, args.port, log_path=SERVER_LOG, workers=2, threads=4)
        wait_until_ready(server, base, log_path=SERVER_LOG)
        started_at[0] = time.monotonic()
        worker = Worker(env, clock)
        worker.start()

        faults = [] if args.no_faults else [
            Fault(0.25, "kill the worker"), Fault(0.45, "restart PostgreSQL"),
            Fault(0.65, "kill the worker"), Fault(0.85, "restart PostgreSQL")]
        seconds = args.minutes * 60
        plan = {"base_url": base, "minutes": args.minutes, "users": counts,
                "signins": signins, "wait": args.wait, "seed": args.seed,
                "results": str(CACHE / "load.json")}
        people = ", ".join(_people_named(role, n) for role, n in counts.items())
        log(f"Load: {people} for {args.minutes:g} min"
            + ("" if args.no_faults else
               f"; faults at {', '.join(f'{f.at:.0%} ({f.name})' for f in faults)}") + ".")
        with LOAD_LOG.open("w") as load_log:
            load = subprocess.Popen([sys.executable, "-m", "bench.soak.load"], cwd=REPO,
                                    stdin=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    stdout=load_log, text=True, start_new_session=True,
                                    env={**os.environ, "PYTHONUNBUFFERED": "1"})
            load.stdin.write(json.dumps(plan))
            load.stdin.close()
            events = _drive(load, worker, faults, instance, url, args, seconds, clock)
        if load.returncode != 0:
            log(f"The load generator failed (status {load.returncode}); see {LOAD_LOG}.")
            return 2
        raw = json.loads((CACHE / "load.json").read_text())

        log(f"[{clock():5.0f} s] Load done; letting the worker empty the queue…")
        drained = _drain(url, worker, args.drain_minutes * 60)
        worker.stop()
        log(f"[{clock():5.0f} s] Queue {'empty' if drained else 'NOT empty'}; checking…")
        time.sleep(1)  # the sink's last messages
        report = _check(raw, sink.messages, since_notification, env, media, base)
        report.update(
            users=counts, minutes=args.minutes, events=events,
            worker={"starts": worker.starts, "unplanned_exits": worker.unplanned_exits},
            postgres_restarts=[round(s, 1) for s in instance.restarts], drained=drained)
        RESULTS.write_text(json.dumps(report, indent=2, default=str) + "\n")
        return _print_report(report)
    except KeyboardInterrupt:
        log("Interrupted; stopping everything the soak started.")
        return 130
    finally:
        stop_process(load, timeout=5)
        stop_process(server)
        if worker is not None:
            worker.stop()
        if sink is not None:
            sink.stop()
        instance.stop()


def _drive(load, worker: Worker, faults: list[Fault], instance: Instance, url: str, args,
           seconds: float, clock) -> list[str]:
    """Wait for the load to finish, injecting each fault when its time comes."""
    events = []
    restart_worker_at: float | None = None
    restart_after = min(30.0, max(5.0, seconds * 0.05))
    while load.poll() is None:
        time.sleep(0.2)
        now = clock()
        if restart_worker_at is not None and now >= restart_worker_at:
            worker.start()
            events.append(f"[{clock():5.0f} s] started the task worker again")
            log("  " + events[-1])
            restart_worker_at = None
        elif restart_worker_at is None:
            worker.supervise()
        for fault in faults:
            if fault.done or now < fault.at * seconds:
                continue
            fault.done = True
            if fault.name == "kill the worker":
                events.append(_kill_worker(worker, url, clock,
                                           wait=min(30.0, seconds * 0.05)))
                restart_worker_at = clock() + restart_after
            else:
                before = clock()
                instance.restart(down=args.pg_down)
                events.append(f"[{before:5.0f} s] restarted PostgreSQL (down "
                              f"{args.pg_down:g} s, back after {clock() - before:.1f} s)")
            log("  " + events[-1])
    if restart_worker_at is not None:
        worker.start()
    return events


def _drain(url: str, worker: Worker, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        worker.supervise()
        try:
            with psycopg.connect(url, connect_timeout=2) as conn:
                left = conn.execute(f"SELECT count(*) FROM {TASK_TABLE} WHERE status IN "
                                    "('READY', 'RUNNING')").fetchone()[0]
        except psycopg.Error:
            left = -1
        if left == 0:
            return True
        time.sleep(1)
    return False


def _check(raw: dict, messages, since_notification: int, env: dict, media: Path,
           base: str) -> dict:
    from django.db import connections

    connections.close_all()
    return {
        "requests": sum(raw["statuses"].values()),
        "statuses": raw["statuses"],
        "errors": raw["errors"],
        "first_errors": raw["first_errors"],
        "retries": raw["retries"],
        "still_running_answers": raw["still_running"],
        "refused": raw["refused"],
        "gave_up": raw["gave_up"],
        "writes": check.writes(raw["acks"]),
        "tallies": check.tallies(env, REPO),
        "emails": check.emails(messages, since_notification=since_notification,
                               site_url=base),
        "pdfs": check.pdfs(raw["acks"], media),
        "tasks": check.tasks(),
    }


def _print_report(report: dict) -> int:
    problems = []
    print()
    print(f"Soak: {sum(report['users'].values())} simulated people "
          f"({', '.join(_people_named(r, n) for r, n in report['users'].items())}) for "
          f"{report['minutes']:g} min.")
    for event in report["events"]:
        print(f"  {event}")
    statuses = Counter(report["statuses"])
    errors = sum(n for s, n in statuses.items()
                 if s == "connection error" or (s.isdigit() and int(s) >= 500))
    print(f"\nRequests: {report['requests']:,}; error responses {errors:,} "
          f"({', '.join(f'{s}: {n}' for s, n in sorted(statuses.items()))}); "
          f"posts sent again: {report['retries']}; \"still being saved\" answers: "
          f"{report['still_running_answers']}.")
    for name, n in sorted(report["errors"].items(), key=lambda kv: -kv[1])[:10]:
        print(f"  {n:5} × {name}")
    print("\nWrites      acknowledged  lost  doubled  saved, never acknowledged")
    for kind, figures in report["writes"].items():
        print(f"  {kind:12} {figures['acknowledged']:10}  {len(figures['lost']):4}  "
              f"{len(figures['doubled']):7}  {figures['unacknowledged']:5}")
        if figures["lost"]:
            problems.append(f"{len(figures['lost'])} {kind} write(s) lost: "
                            f"{', '.join(figures['lost'][:5])}")
        if figures["doubled"]:
            problems.append(f"{len(figures['doubled'])} {kind} write(s) doubled: "
                            f"{', '.join(figures['doubled'][:5])}")
    if report["gave_up"]:
        print(f"  posts given up after every retry failed: {len(report['gave_up'])} "
              f"({Counter(g['last'] for g in report['gave_up'])})")
    if report["refused"]:
        print(f"  posts refused: {len(report['refused'])} "
              f"({Counter(r['status'] for r in report['refused'])})")
    tallies = report["tallies"]
    print(f"\nTallies vs log: {'equal' if tallies['equal'] else 'DIFFER'} "
          f"({tallies['output'].splitlines()[-1] if tallies['output'] else ''})")
    if not tallies["equal"]:
        problems.append("the tallies differ from the log:\n" + tallies["output"])
    emails = report["emails"]
    print(f"Emails: {emails['queued']} queued (notifications to people who hear at once), "
          f"{emails['delivered']} delivered to the SMTP sink, {len(emails['missing'])} "
          f"missing, {len(emails['doubled'])} doubled, {emails['unexpected']} unexpected; "
          f"{emails['marked_emailed']} marked emailed; {emails['received']} messages received.")
    if emails["resent"]:
        print(f"  sent again under the same Message-ID (one message to a mail client; the "
              f"worker was killed between the mail server's yes and its record): "
              f"{', '.join(emails['resent'])}")
    if emails["missing"] or emails["doubled"] or emails["unexpected"]:
        problems.append(f"emails: missing {emails['missing'][:5]}, doubled "
                        f"{emails['doubled'][:5]}, {emails['unexpected']} unexpected")
    pdfs = report["pdfs"]
    print(f"PDFs: {pdfs['asked']} asked, {pdfs['built']} built, {len(pdfs['not_built'])} "
          f"not built, {len(pdfs['extra_files'])} built twice (exports by status: "
          f"{pdfs['by_status']}).")
    if pdfs["not_built"] or pdfs["extra_files"]:
        problems.append(f"PDFs not built {pdfs['not_built'][:5]}, extra files "
                        f"{pdfs['extra_files'][:5]}")
    tasks = report["tasks"]
    print(f"Tasks: {tasks['by_task']}; failed: {tasks['failed'] or 'none'}; left unfinished: "
          f"{tasks['unfinished']}.")
    if tasks["unfinished"] or not report["drained"]:
        problems.append(f"the queue was not emptied: {tasks['unfinished']} task(s) left")
    worker = report["worker"]
    print(f"Worker: started {worker['starts']} time(s); exits nobody asked for: "
          f"{worker['unplanned_exits'] or 'none'}.")
    print(f"\nFull results in {RESULTS.relative_to(REPO)}; logs in "
          f"{CACHE.relative_to(REPO)}/.")
    if problems:
        print("\nFAILED:")
        for problem in problems:
            print(f"  - {problem}")
        return 1
    print("\nNothing lost, nothing doubled.")
    return 0
