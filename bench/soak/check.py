"""After the run: is everything the app acknowledged in the database, once?

Each write the clients made carried a unique marker (`soak-<uuid>` in a contact's shared
note, a request's note, a growth goal's title; a PDF's idempotency key). Looking for every
marker in the database finds what was lost (acknowledged, not there) and what was doubled
(there more than once, acknowledged or not). The tallies are held to the log by
`manage.py report_tallies --check`; emails to the notifications written during the run; the
PDFs to the exports asked for. Django is set up by the caller.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

MARKER = re.compile(r"soak-[0-9a-f-]{36}")

KINDS = ("contact", "request", "growth goal", "pdf")


def _markers(values) -> Counter:
    found: Counter = Counter()
    for value in values:
        found.update(MARKER.findall(value or ""))
    return found


def stored() -> dict[str, Counter]:
    """How many times each marker is in the database, by kind of write."""
    from bettertogether.coaching.models import Interaction
    from bettertogether.goals.models import GrowthGoal
    from bettertogether.menu.models import SupportRequest
    from bettertogether.reports.models import ReportExport

    return {
        "contact": _markers(Interaction.objects.filter(shared_note__contains="soak-")
                            .values_list("shared_note", flat=True)),
        "request": _markers(SupportRequest.objects.filter(note__contains="soak-")
                            .values_list("note", flat=True)),
        "growth goal": _markers(GrowthGoal.objects.filter(title__contains="soak-")
                                .values_list("title", flat=True)),
        "pdf": Counter(str(key) for key in ReportExport.objects.values_list(
            "idempotency_key", flat=True)),
    }


def writes(acks: list[dict]) -> dict:
    """Acknowledged, lost and doubled writes, by kind."""
    found = stored()
    result = {}
    for kind in KINDS:
        acked = [a["marker"] for a in acks if a["kind"] == kind]
        in_db = found[kind]
        result[kind] = {
            "acknowledged": len(acked),
            "acknowledged_twice": len(acked) - len(set(acked)),
            "lost": sorted(m for m in set(acked) if in_db[m] == 0),
            "doubled": sorted(m for m, n in in_db.items() if n > 1),
            # Saved but never acknowledged (a post whose answer the client never saw).
            "unacknowledged": len(set(in_db) - set(acked)),
        }
    return result


def pdfs(acks: list[dict], media_root: Path) -> dict:
    """Each PDF asked for is built, once: its export is done, its file is there, and no
    other PDF file was left by a second build."""
    from bettertogether.reports.models import ReportExport

    asked = {a["marker"] for a in acks if a["kind"] == "pdf"}
    exports = list(ReportExport.objects.all())
    by_status = Counter(e.status for e in exports)
    files = {p.name for p in (media_root / "reports").glob("*.pdf")}
    kept = {Path(e.file.name).name for e in exports if e.file}
    missing = sorted(str(e.idempotency_key) for e in exports
                     if str(e.idempotency_key) in asked
                     and (e.status != ReportExport.Status.DONE
                          or Path(e.file.name).name not in files))
    return {
        "asked": len(asked),
        "exports": len(exports),
        "by_status": dict(by_status),
        "built": sum(1 for e in exports if e.status == ReportExport.Status.DONE
                     and Path(e.file.name).name in files),
        "not_built": missing,
        "files": len(files),
        # A file no export points at: a second build of the same PDF (or a broken one).
        "extra_files": sorted(files - kept),
    }


def emails(messages, *, since_notification: int, site_url: str) -> dict:
    """Each notification written during the run to someone who hears immediately reaches
    the SMTP sink, as one message; nothing else arrives.

    A copy sent again under the same Message-ID (the worker killed after the mail server
    took the email and before it recorded it) is the same message to mail servers and
    clients, which show it once: counted as `resent`, not as doubled. Two different
    Message-IDs for one notification are two emails: doubled."""
    from bettertogether.notifications.models import Delivery, Notification
    from bettertogether.notifications.selectors import delivery_for

    notifications = list(Notification.objects.filter(pk__gt=since_notification)
                         .select_related("recipient"))
    due = [n for n in notifications if n.recipient.is_active
           and delivery_for(person=n.recipient) == Delivery.IMMEDIATE]
    expected = {(n.recipient.email.lower(), site_url + n.url): n for n in due}
    arrived: dict[tuple, list[str]] = {key: [] for key in expected}
    unexpected = 0
    for message in messages:
        body = message.get_body(preferencelist=("plain",))
        text = body.get_content() if body is not None else ""
        keys = [(address.addr_spec.lower(), link) for address in message["To"].addresses
                for link in re.findall(r"https?://\S+", text)]
        matched = [key for key in keys if key in expected]
        if not matched:
            unexpected += 1
        for key in matched:
            arrived[key].append(str(message["Message-ID"]))

    def named(key) -> str:
        n = expected[key]
        return f"#{n.pk} to {n.recipient.email} ×{len(arrived[key])}"

    return {
        "notifications": len(notifications),
        "queued": len(due),
        "delivered": sum(1 for ids in arrived.values() if ids),
        "missing": sorted(named(key) for key, ids in arrived.items() if not ids),
        "doubled": sorted(named(key) for key, ids in arrived.items() if len(set(ids)) > 1),
        "resent": sorted(named(key) for key, ids in arrived.items()
                         if len(ids) > 1 and len(set(ids)) == 1),
        "marked_emailed": sum(1 for n in due if n.emailed_at is not None),
        "received": len(messages),
        "unexpected": unexpected,
    }


def tasks() -> dict:
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.values_list("task_path", "status", "exception_class_path")
    by_task: dict[str, Counter] = {}
    failures = Counter()
    for path, status, exception in rows:
        by_task.setdefault(path.rsplit(".", 1)[-1], Counter())[status] += 1
        if status == "FAILED":
            failures[f"{path.rsplit('.', 1)[-1]}: {exception}"] += 1
    return {"by_task": {k: dict(v) for k, v in by_task.items()},
            "failed": dict(failures),
            "unfinished": DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()}


def tallies(env: dict, repo: Path) -> dict:
    """`manage.py report_tallies --check`: exit status 0 when every network's tallies equal
    the log."""
    finished = subprocess.run([sys.executable, "manage.py", "report_tallies", "--check"],
                              cwd=repo, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    return {"equal": finished.returncode == 0, "output": finished.stdout.strip()}
