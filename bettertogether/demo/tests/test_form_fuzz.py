"""Every form, posted with generated values as the people who may use it: no server error,
and a refusal changes nothing.

The small demo's documented sign-ins each walk the pages their navigation reaches (one page
per address pattern) and collect every post form on them, with its fields as the page drew
them. Hypothesis then fills each form many ways — text with control characters, markup and
formulas, very long text, numbers past any integer range, dates from year 1 to 9999, choices
that were never offered, ids that do not exist, files of random bytes — and posts it as that
person, with a fresh submission key (and sometimes a repeated one). A form met by several
people (every teacher's "new growth goal") is posted as the first one who met it.

- A server error fails the test (the test client raises it).
- A post that was refused (a 4xx answer, or a page that says what to fix) must leave every
  table of the product as it was: no half-made goal, no activity entry for nothing.

`FUZZ_EXAMPLES` sets how many values each form gets (default 4, enough for CI to try every
form several ways; a deeper run: `FUZZ_EXAMPLES=200 make test PYTEST_ARGS=-k fuzz`).
"""

from __future__ import annotations

import os
import uuid
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bettertogether.demo.cast import SIGNINS
from bettertogether.directory.models import Person

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
PAGES_PER_PERSON = 400

# Addresses the walk does not open: leaving, downloads, feeds, the admin site, sign-in
# providers. Their forms (if any) are not the product's pages.
SKIP = ("/accounts/logout", "/support/", "/static/", "/media/", "/export/", "/log/csv",
        "/log/xlsx", "/pdf", "/file/", "/feed/", ".ics", "/accounts/oidc", "/accounts/google",
        "/accounts/microsoft", "/accounts/3rdparty", "/template.csv", "/download")

# Tables that change whatever a request does, or that only remember requests.
NOT_PRODUCT = {"sessions.session", "core.submission", "axes.accessattempt",
               "axes.accessfailurelog", "axes.accesslog", "django_tasks_db.dbtaskresult"}

REFUSED = {400, 403, 404, 405, 409, 413, 422}


@dataclass
class Field:
    name: str
    kind: str  # text, number, date, datetime-local, time, select, checkbox, radio, hidden, file
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False


@dataclass
class Form:
    person: str
    page: str
    action: str
    fields: list[Field]

    @property
    def route(self) -> str:
        try:
            match = resolve(urlsplit(self.action).path)
        except Resolver404:
            return self.action
        return match.view_name


class _Page(HTMLParser):
    """The links of a page and its post forms with their fields."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[tuple[str, list[Field]]] = []
        self._form: list[Field] | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = []
                self.forms.append((a.get("action", ""), self._form))
        elif self._form is None or (not a.get("name") and tag in ("input", "select", "textarea")):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            existing = next((f for f in self._form if f.name == a["name"]), None)
            if kind in ("checkbox", "radio") and existing is not None:
                existing.options.append(a.get("value", "on"))
                existing.multiple = existing.multiple or kind == "checkbox"
                return
            item = Field(a["name"], kind, a.get("value", ""))
            if kind in ("checkbox", "radio"):
                item.options = [a.get("value", "on")]
            self._form.append(item)
        elif tag == "select":
            self._select = Field(a["name"], "select", multiple="multiple" in a)
            self._form.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = Field(a["name"], "text")
            self._form.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _walk(client: Client, person: str) -> list[Form]:
    """Open every page reachable from the home page (one per address pattern)."""
    seen_routes: set[str] = set()
    seen_paths: set[str] = set()
    queue = deque(["/"])
    forms: list[Form] = []
    while queue and len(seen_paths) < PAGES_PER_PERSON:
        path = queue.popleft()
        if path in seen_paths or any(s in path for s in SKIP):
            continue
        seen_paths.add(path)
        try:
            route = resolve(urlsplit(path).path).route
        except Resolver404:
            continue
        if route in seen_routes:
            continue
        seen_routes.add(route)
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode())
        for action, fields in page.forms:
            forms.append(Form(person, path, urljoin(path, action or path), fields))
        for href in page.links:
            target = urljoin(path, href)
            parts = urlsplit(target)
            if parts.netloc and parts.netloc != "testserver":
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local not in seen_paths:
                queue.append(local)
    return forms


# --- values -------------------------------------------------------------------------------

NASTY = ["", " ", "\x0b\x1b\x07", "<script>alert(1)</script>", "=HYPERLINK(\"x\")", "x" * 5000,
         "🙂" * 60, "' OR 1=1 --", "\u202eevil", "None", "0", "-1", "99999999999999999999",
         str(uuid.uuid4())]
HUGE = ["99999999999999999999", str(2**63), "-99999999999999999999", "1e400", "NaN", "0x10"]

texts = st.one_of(st.text(max_size=300), st.sampled_from(NASTY))
numbers = st.one_of(st.integers(-(10**25), 10**25).map(str), st.sampled_from(HUGE + NASTY[:3]))
days = st.one_of(st.dates().map(lambda d: d.strftime("%Y-%m-%d").zfill(10)),
                 st.sampled_from(["0001-01-01", "9999-12-31", "2026-02-30", "not a date", ""]))
times = st.one_of(st.times().map(lambda t: t.strftime("%H:%M")),
                  st.sampled_from(["24:00", "25:61", "", "noon"]))


def _value(item: Field) -> st.SearchStrategy:
    if item.name == "csrfmiddlewaretoken":
        return st.just(item.value)
    if item.name == "submission":
        return st.one_of(st.builds(lambda: str(uuid.uuid4())), st.just(item.value),
                         st.sampled_from(["", "not-a-key"]))
    if item.kind in ("select", "checkbox", "radio"):
        one = st.one_of(st.sampled_from(item.options or [""]), st.sampled_from(HUGE),
                        texts.map(lambda t: t[:20]))
        if item.multiple or item.kind == "checkbox":
            return st.lists(one, max_size=4)
        return one
    if item.kind == "number":
        return numbers
    if item.kind == "date":
        return days
    if item.kind == "datetime-local":
        return st.tuples(days, times).map(lambda p: f"{p[0]}T{p[1]}")
    if item.kind == "time":
        return times
    if item.kind == "file":
        return st.one_of(st.none(), st.builds(
            lambda data, ext: SimpleUploadedFile(f"upload.{ext}", data),
            st.binary(max_size=4000), st.sampled_from(["csv", "json", "zip", "pdf", "png"])))
    if item.kind == "hidden":
        return st.one_of(st.just(item.value), texts, numbers)
    return st.one_of(st.just(item.value), texts)


def _data(form: Form) -> st.SearchStrategy:
    return st.fixed_dictionaries({f.name: _value(f) for f in form.fields})


def _payload(values: dict) -> dict:
    payload = {}
    for name, value in values.items():
        if value is None:
            continue
        payload[name] = value
    return payload


# --- the check ----------------------------------------------------------------------------


def _product_models():
    return [m for m in apps.get_models()
            if m._meta.label_lower not in NOT_PRODUCT and not m._meta.proxy
            and m._meta.managed]


def _counts(models) -> dict[str, int]:
    return {m._meta.label_lower: m._default_manager.count() for m in models}


def _refused(response) -> bool:
    if response.status_code in REFUSED:
        return True
    queued = getattr(getattr(response.wsgi_request, "_messages", None), "_queued_messages", [])
    return any(m.level >= message_levels.ERROR for m in queued)


def _last(form: Form) -> bool:
    """Forms that take things away go last, so the others find what they work on."""
    return any(w in form.action for w in ("delete", "remove", "cancel", "switch", "end",
                                          "decline", "withdraw", "leave", "revoke"))


def test_every_form_takes_generated_values_without_a_server_error_or_a_partial_write(
        small_demo):
    clients: dict[str, Client] = {}
    forms: dict[str, Form] = {}  # each address pattern once, as the first person shown it
    for email, _what in SIGNINS:
        if email.startswith("support@"):
            continue  # the support admin is Django's own
        client = Client()
        client.force_login(Person.objects.get(email=email),
                           backend="django.contrib.auth.backends.ModelBackend")
        clients[email] = client
        for form in _walk(client, email):
            if any(s in form.action for s in SKIP):
                continue
            forms.setdefault(form.route, form)

    assert len(forms) >= 40, sorted(forms)
    print(f"\nFuzzing {len(forms)} forms, {EXAMPLES} values each, as "
          f"{len({f.person for f in forms.values()})} people")
    models = _product_models()

    for form in sorted(forms.values(), key=_last):
        _fuzz(form, clients[form.person], models)


def _fuzz(form: Form, client: Client, models) -> None:
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(values=_data(form))
    def post(values):
        before = _counts(models)
        response = client.post(form.action, _payload(values))
        assert response.status_code < 500, (form.route, form.person, values)
        if _refused(response):
            after = _counts(models)
            changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
            assert changed == {}, (form.route, form.person, response.status_code, values)

    post()
