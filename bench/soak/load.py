"""The soak's simulated people: locust, as a library, headless, against the server on loopback.

It runs in its own process (`python -m bench.soak.load`, a JSON plan on stdin, the results
written to the file the plan names): locust patches the standard library for gevent on
import, which the harness that starts and stops servers must not be.

Every client behaves as a browser: it opens a form's page first and sends back what the
page holds (the CSRF token, the submission key, the idempotency key, the choices offered),
with its own values in the fields a person types. A post that fails with a connection error
or a server error (5xx) is sent again, the same post with the same keys, a few times with a
pause between, as a browser's retry or a person's second click would. A redirect after a
post is followed, as a browser does, to read the message it leaves: "already done" (the
first post did it) is an acknowledgment; "still being saved" is not, and the post is sent
again after a pause; "may or may not have been saved" (the first post died, and the form has
no key of its own that would make a second run safe) is not either, and the client stops
there, as a person would look first. Every acknowledged write is recorded with the unique
marker it carried, for the harness to look for in the database afterwards.
"""

from __future__ import annotations

import json
import logging
import random
import sys
import time
import uuid
from collections import Counter, deque

import gevent
from locust import HttpUser, between, events, task
from locust.env import Environment

from bench.soak.forms import links, post_form

STILL_RUNNING = "Your first click is still being saved"
# The first post died without an answer, and the form has no key of its own to make a
# second run safe: a person looks before sending it again, and so does the client.
MAYBE_SAVED = "Your first click may or may not have been saved"
RETRIES = 8  # sends of one post in all, before the client gives up on it
PAUSES = (1, 2, 3, 5, 8, 10, 15)  # seconds between them

TYPING = (1.0, 4.0)  # seconds between opening a form and sending it
PDF_EVERY = 150  # seconds: the least time between two PDFs asked by one leader

SIGNINS: dict[str, deque] = {}


class Tally:
    """Everything the clients saw, for the harness's report."""

    def __init__(self):
        self.statuses: Counter = Counter()
        self.errors: Counter = Counter()  # (method, name, status) of every error response
        self.acks: list[dict] = []
        self.refused: list[dict] = []
        self.gave_up: list[dict] = []
        self.retries = 0
        self.still_running = 0
        self.first_errors: list[str] = []
        self.started = time.monotonic()

    def request(self, request_type, name, response, exception, **_kwargs):
        status = getattr(response, "status_code", 0) if response is not None else 0
        label = str(status) if status else "connection error"
        self.statuses[label] += 1
        if label == "connection error" or status >= 500:
            self.errors[f"{request_type} {name}: {label}"] += 1
            if len(self.first_errors) < 200:
                self.first_errors.append(
                    f"{time.monotonic() - self.started:6.1f} s {request_type} {name}: {label}"
                    + (f" ({type(exception).__name__}: {exception})"[:200]
                       if exception is not None and not status else ""))

    def as_data(self) -> dict:
        return {"statuses": dict(self.statuses), "errors": dict(self.errors),
                "acks": self.acks, "refused": self.refused, "gave_up": self.gave_up,
                "first_errors": self.first_errors, "retries": self.retries,
                "still_running": self.still_running,
                "seconds": time.monotonic() - self.started}


TALLY = Tally()


class Person(HttpUser):
    abstract = True
    role = ""
    wait_time = between(2, 5)

    def on_start(self):
        signins = SIGNINS[self.role]
        self.signin = signins[0]
        signins.rotate(-1)
        self.email = self.signin["email"]
        self.client.cookies.set("sessionid", self.signin["cookie"])

    # -- reading pages ---------------------------------------------------------------------
    def open(self, path: str, name: str | None = None):
        """GET a page, again after a pause if the server fails (as a person reloads)."""
        for pause in (*PAUSES[:4], None):
            response = self.client.get(path, name=name or path)
            if response.status_code and response.status_code < 500:
                return response
            if pause is None:
                return None
            gevent.sleep(pause)
        return None

    # -- sending a form --------------------------------------------------------------------
    def submit(self, *, kind: str, marker: str, page, form, data, name: str) -> None:
        """Send the post until it is acknowledged, refused, or the client gives up."""
        gevent.sleep(random.uniform(*TYPING))  # a person fills the form in
        sent = 0
        last = ""
        while sent < RETRIES:
            sent += 1
            if sent > 1:
                TALLY.retries += 1
                gevent.sleep(PAUSES[min(sent - 2, len(PAUSES) - 1)])
            response = self.client.post(form.action, data=data, name=name,
                                        allow_redirects=False,
                                        headers={"Referer": page.url})
            status = response.status_code
            if not status or status >= 500:
                last = "connection error" if not status else str(status)
                continue
            if status in (301, 302, 303):
                location = response.headers.get("Location", "")
                shown = self._follow(location, name)
                if shown is None:
                    last = "redirect page failed"
                    continue
                if STILL_RUNNING in shown:
                    TALLY.still_running += 1
                    last = "still being saved"
                    continue
                if MAYBE_SAVED in shown:
                    TALLY.gave_up.append({"kind": kind, "marker": marker, "email": self.email,
                                          "last": "may or may not have been saved",
                                          "sends": sent})
                    return
                TALLY.acks.append({"kind": kind, "marker": marker, "email": self.email,
                                   "location": location, "sends": sent,
                                   "at": round(time.monotonic() - TALLY.started, 1)})
                return
            TALLY.refused.append({"kind": kind, "marker": marker, "email": self.email,
                                  "status": status, "sends": sent})
            return
        TALLY.gave_up.append({"kind": kind, "marker": marker, "email": self.email,
                              "last": last, "sends": sent})

    def _follow(self, location: str, name: str) -> str | None:
        response = self.open(location, name=f"{name} → after")
        return response.text if response is not None else None


class Coach(Person):
    role = "coach"

    @task(4)
    def log_contact(self):
        page = self.open("/coaching/log/", "quick log form")
        form = page and post_form(page.text, page.url, field="idempotency_key")
        if not form:
            return
        kinds = [o for o in form.options.get("kind", []) if o.value]
        contact = [o.value for o in kinds if o.group == "With teachers"]
        own = [o.value for o in kinds if o.group != "With teachers"]
        teachers = [o.value for o in form.options.get("teachers", [])]
        marker = f"soak-{uuid.uuid4()}"
        if teachers and contact and random.random() < 0.85:
            chosen = random.sample(teachers, k=min(len(teachers), random.choice((1, 1, 2))))
            kind = random.choice(contact)
        elif own:
            chosen, kind = [], random.choice(own)
        else:
            return
        data = form.data(teachers=chosen, kind=kind, minutes=random.randint(5, 60),
                         shared_note=f"Soak contact {marker}")
        self.submit(kind="contact", marker=marker, page=page, form=form, data=data,
                    name="quick log")

    @task(2)
    def caseload(self):
        self.open("/coaching/caseload/", "caseload")

    @task(2)
    def my_log(self):
        self.open("/coaching/log/all/", "coach's log")

    @task(1)
    def inbox(self):
        self.open("/requests/", "requests inbox")


class Teacher(Person):
    role = "teacher"

    @task(1)
    def ask_for_support(self):
        menu = self.open("/menu/", "coaching menu")
        if menu is None:
            return
        items = links(menu.text, r"^/menu/items/\d+/request/")
        if not items:
            return
        page = self.open(random.choice(items), "request form")
        form = page and post_form(page.text, page.url, field="idempotency_key")
        if not form:
            return
        marker = f"soak-{uuid.uuid4()}"
        data = form.data(note=f"Soak request {marker}", preferred_times="Tuesdays after 3")
        self.submit(kind="request", marker=marker, page=page, form=form, data=data,
                    name="request support")

    @task(1)
    def add_growth_goal(self):
        page = self.open("/goals/growth/new/", "growth goal form")
        form = page and post_form(page.text, page.url, field="title")
        if not form:
            return
        marker = f"soak-{uuid.uuid4()}"
        data = form.data(title=f"Soak goal {marker}", description="Student talk in every lesson")
        self.submit(kind="growth goal", marker=marker, page=page, form=form, data=data,
                    name="growth goal")

    @task(5)
    def pages(self):
        path = random.choice(("/", "/goals/", "/coaching/mine/", "/requests/mine/",
                              "/notifications/"))
        self.open(path)


class Leader(Person):
    """A school leader, or a network admin: reports, and a PDF now and then."""

    role = "leader"

    def on_start(self):
        super().on_start()
        self.last_pdf = time.monotonic() - random.uniform(0, PDF_EVERY)
        index = self.open("/reports/", "reports")
        self.reports = (links(index.text, r"^/reports/(schools|networks)/\d+/$")
                        if index is not None else [])

    @task(6)
    def view_report(self):
        if self.reports:
            self.open(random.choice(self.reports), "report")

    @task(1)
    def ask_for_pdf(self):
        # A PDF takes the worker seconds: each leader asks for one every few minutes at most.
        if not self.reports or time.monotonic() - self.last_pdf < PDF_EVERY:
            return
        self.last_pdf = time.monotonic()
        page = self.open(random.choice(self.reports), "report")
        form = page and post_form(page.text, page.url, action_has="/pdf/",
                                  field="idempotency_key")
        if not form:
            return
        self.submit(kind="pdf", marker=form.value("idempotency_key"), page=page, form=form,
                    data=form.data(), name="report pdf")

    @task(2)
    def pages(self):
        self.open(random.choice(("/", "/notifications/")))


class Admin(Leader):
    role = "admin"

    @task(2)
    def admin_pages(self):
        self.open(random.choice(("/people/", "/schools/", "/activity/")))


CLASSES = {"coach": Coach, "teacher": Teacher, "leader": Leader, "admin": Admin}


def run(plan: dict) -> dict:
    logging.getLogger("locust").setLevel(logging.WARNING)
    random.seed(plan.get("seed"))
    users = []
    for role, signins in plan["signins"].items():
        SIGNINS[role] = deque(signins)
        cls = CLASSES[role]
        cls.host = plan["base_url"]
        cls.fixed_count = plan["users"][role]
        cls.wait_time = between(*plan["wait"])
        if cls.fixed_count:
            users.append(cls)
    # When the time is up each person finishes what they are doing (a post and its retries
    # included) before stopping, so no write is cut off half-acknowledged.
    env = Environment(user_classes=users, events=events, stop_timeout=120)
    env.events.request.add_listener(TALLY.request)
    runner = env.create_local_runner()
    total = sum(plan["users"].values())
    runner.start(total, spawn_rate=max(1, total / 10))
    seconds = plan["minutes"] * 60
    gevent.spawn(_progress, seconds)
    gevent.spawn_later(seconds, runner.quit)
    runner.greenlet.join()
    return TALLY.as_data()


def _progress(seconds: float) -> None:
    while True:
        gevent.sleep(30)
        elapsed = time.monotonic() - TALLY.started
        if elapsed > seconds:
            return
        errors = sum(TALLY.errors.values())
        print(f"  [load {elapsed / 60:4.1f} min] {sum(TALLY.statuses.values())} requests, "
              f"{errors} errors, {len(TALLY.acks)} writes acknowledged, "
              f"{TALLY.retries} retries", file=sys.stderr, flush=True)


if __name__ == "__main__":
    plan = json.load(sys.stdin)
    result = run(plan)
    with open(plan["results"], "w") as out:
        json.dump(result, out)
