"""Every form does its work once, however often it is sent.

A double click, a browser that retries on a bad connection, or the back button and "send
again" post the same form twice. For a form that adds something (a note, a goal, a work
sample) the second post would add it again; for one that names something it would answer
"that name is already used" to a person whose first click worked.

Every post form renders `{% form_guard %}`: the CSRF token and a fresh random key. When a
signed-in person's post carries a key, `SubmitOnceMiddleware` claims it before the view
runs (a unique row per person and key):

- The first post runs. If it ends by sending its person somewhere (a redirect, or HTMX's
  `HX-Redirect`/`HX-Location`) that place is remembered with the key. If it shows the form
  again with a message, or fails, the key is let go, so the corrected form can be sent.
- A second post with the same key does not run. It waits for the first to finish (a double
  click arrives while the first is still working), then sends its person where the first
  did, saying it was already done. If the first is still running after `WAIT_SECONDS`, it
  says so and sends the person back to the page they came from.

A first post can also die without an answer: PostgreSQL restarted under it, or its server
process was killed. Its claim then stays, with no place to send anyone, and the second post
used to say "still being saved" for a day. On PostgreSQL a post holds an advisory lock on
its key while it runs (taken before its claim is written, released once its outcome is), so
a second post can tell a first that still runs (the lock is held: wait, as above) from one
that died (nobody holds it). Whether a dead first post saved its work is unknown, so:

- a form that carries its own `idempotency_key` (the quick log, requests, goals, cycles,
  PDFs, snapshots) runs again: its service returns what the first one made, or makes it
  now;
- any other form is not run again, which could do its work twice: the person is told the
  first click may or may not have been saved, to look before sending it again.

SQLite has no such locks (and no server to restart under a post): there a second post waits
as above.

Keys are kept for a day; each new one clears that person's older ones. A post without a key
(an anonymous page, a client that is not a browser) runs as it always has: services that
create from an API key their own idempotency keys (the quick log, cycles, goals).
"""

from __future__ import annotations

import datetime
import time
import uuid

from django.contrib import messages
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .models import Submission

FIELD = "submission"
OWN_KEY = "idempotency_key"  # a form's own key, which its service dedupes by
LOCK_SPACE = 6_000_011  # advisory locks of posts running (tasks use 6_000_010)
KEEP_FOR = datetime.timedelta(days=1)
WAIT_SECONDS = 10.0
POLL_SECONDS = 0.1


def new_key() -> str:
    return str(uuid.uuid4())


def _key(request) -> uuid.UUID | None:
    if request.method != "POST" or not request.user.is_authenticated:
        return None
    value = request.POST.get(FIELD, "")
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        return None


def _locks() -> bool:
    return connection.vendor == "postgresql"


def _lock(person, key: uuid.UUID) -> bool:
    """Hold the key's lock for this post (PostgreSQL); False when another post holds it."""
    if not _locks():
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))",
                       [LOCK_SPACE, f"{person.pk}:{key}"])
        return cursor.fetchone()[0]


def _unlock(person, key: uuid.UUID) -> None:
    if not _locks():
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))",
                           [LOCK_SPACE, f"{person.pk}:{key}"])
    except DatabaseError:
        pass  # the connection is gone, and the lock with it


def _claim(person, key: uuid.UUID, path: str) -> bool:
    """True when this post is the first with its key."""
    try:
        with transaction.atomic():
            Submission.objects.create(person=person, key=key, path=path[:500])
    except IntegrityError:
        return False
    Submission.objects.filter(
        person=person, created_at__lt=timezone.now() - KEEP_FOR).delete()
    return True


def _went_to(response) -> str:
    for header in ("HX-Redirect", "HX-Location"):
        if response.has_header(header):
            return response[header]
    if 300 <= response.status_code < 400 and response.has_header("Location"):
        return response["Location"]
    return ""


def _answer_again(request, submission: Submission):
    messages.info(request, _("That was already done: it was sent once."))
    if submission.by_htmx:
        response = HttpResponse(status=200)
        response["HX-Redirect"] = submission.location
        return response
    return HttpResponseRedirect(submission.location, status=303)


def _still_running(request):
    messages.info(request, _("Your first click is still being saved: look again in a moment."))
    return _back(request)


def _unknown(request):
    messages.warning(request, _("Your first click may or may not have been saved: look for it "
                                "before you send the form again."))
    return _back(request)


def _back(request):
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        back = "/"
    return HttpResponseRedirect(back, status=303)


class SubmitOnceMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = _key(request)
        if key is None:
            return self.get_response(request)
        person = request.user
        if not _lock(person, key):
            return self._repeat(request, person, key)  # the first post is running now
        try:
            if _claim(person, key, request.path):
                return self._run(request, person, key)
            submission = Submission.objects.filter(person=person, key=key).first()
            if submission is None:
                return self._run_if_claimed(request, person, key)  # let go meanwhile
            if submission.location:
                return _answer_again(request, submission)
            if not _locks():
                return self._repeat(request, person, key)
            # No post holds the key, and none said where it went: the first one died.
            if request.POST.get(OWN_KEY):
                return self._run(request, person, key)
            return _unknown(request)
        finally:
            _unlock(person, key)

    def _run_if_claimed(self, request, person, key):
        if _claim(person, key, request.path):
            return self._run(request, person, key)
        return self._repeat(request, person, key)

    def _run(self, request, person, key):
        try:
            response = self.get_response(request)
        except BaseException:
            Submission.objects.filter(person=person, key=key).delete()
            raise
        location = _went_to(response)
        if location:
            Submission.objects.filter(person=person, key=key).update(
                location=location[:2000],
                by_htmx=bool(getattr(request, "htmx", False)))
        else:
            Submission.objects.filter(person=person, key=key).delete()
        return response

    def _repeat(self, request, person, key):
        deadline = time.monotonic() + WAIT_SECONDS
        while True:
            submission = Submission.objects.filter(person=person, key=key).first()
            if submission is None:
                # The first post showed its form again (or failed) and let the key go:
                # this one runs as a post of its own.
                return self(request)
            if submission.location:
                return _answer_again(request, submission)
            if _locks() and _lock(person, key):
                # The first post ended, or died, without saying where it went.
                _unlock(person, key)
                return self(request)
            if time.monotonic() >= deadline:
                return _still_running(request)
            time.sleep(POLL_SECONDS)
