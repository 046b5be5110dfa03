"""Driving Debian's Chromium through Playwright, and the checks every page must pass.

The fixtures live in `bettertogether/e2e/conftest.py`; this module holds what they and the
tests share:

- `launch_chromium` starts the one browser the browser tests share (skipped without Chromium on
  a developer's machine, a failure in CI where a missing browser must not pass quietly);
- `PageWatch` records what the browser console says while a test runs: any Content
  Security Policy violation, uncaught JavaScript error or failed asset fails the test;
- `sign_in` goes through the real sign-in form, `sign_in_as` skips it for tests about
  something else; `expect_field_error` checks a message is tied to its field;
- `check_axe` runs axe-core against WCAG 2.1 A and AA, `check_no_horizontal_scroll` and
  `open_nav_menu` check the 360 px layout, `screenshot` keeps pictures for a human eye.
"""

from __future__ import annotations

import functools
import os
import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, Request, Response, expect

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SCREENSHOT_DIR = Path(settings.BASE_DIR) / "test-artifacts" / "screenshots"
# The statuses a page itself may answer with on purpose: a 404 page, a form with errors
# (422), an expired invitation (410), the lock-out page. Chromium reports each one on the
# console as "Failed to load resource"; a failing *asset* is caught from its response.
FAILED_LOAD = re.compile(r"^Failed to load resource: the server responded with a status of")


def require_chromium() -> None:
    """Skip browser tests without Chromium — unless this is CI, where that is a failure."""
    if CHROMIUM.exists():
        return
    message = f"Browser tests need Chromium at {CHROMIUM} (apt-get install chromium)."
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )


# -- Console, CSP and JavaScript errors ---------------------------------------------------
@dataclass
class PageWatch:
    """What went wrong in one page's life, as the browser saw it."""

    csp_violations: list[str] = field(default_factory=list)
    js_errors: list[str] = field(default_factory=list)
    failed_assets: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        page.on("console", lambda message: self._on_console(message, page.url))
        page.on("pageerror", lambda error: self.js_errors.append(f"{page.url}: {error}"))
        page.on("response", self._on_response)
        page.on("requestfailed", self._on_request_failed)

    def _on_console(self, message: ConsoleMessage, page_url: str) -> None:
        text = message.text
        where = message.location.get("url") or page_url
        if "Content Security Policy" in text:
            self.csp_violations.append(f"{where}: {text}")
        elif message.type == "error" and not FAILED_LOAD.match(text):
            self.js_errors.append(f"{where}: {text}")

    def _on_request_failed(self, request: Request) -> None:
        # A navigation cancels whatever the page was still fetching (often the favicon).
        if request.failure != "net::ERR_ABORTED":
            self.failed_assets.append(f"{request.url}: {request.failure}")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.failed_assets.append(f"{response.url}: HTTP {response.status}")

    def problems(self) -> list[str]:
        return (
            [f"CSP violation — {p}" for p in self.csp_violations]
            + [f"JavaScript error — {p}" for p in self.js_errors]
            + [f"Asset failed — {p}" for p in self.failed_assets]
        )

    def clear(self) -> None:
        self.csp_violations.clear()
        self.js_errors.clear()
        self.failed_assets.clear()


_watches: weakref.WeakKeyDictionary[Page, PageWatch] = weakref.WeakKeyDictionary()


def watch(page: Page) -> PageWatch:
    """Start recording the page's console; `check_console` reads the record."""
    page_watch = PageWatch()
    page_watch.attach(page)
    _watches[page] = page_watch
    return page_watch


def check_console(page: Page) -> None:
    """Fail if the page reported a CSP violation, a JavaScript error or a failed asset."""
    page_watch = _watches[page]
    problems = page_watch.problems()
    page_watch.clear()  # reported once, here, rather than again when the test ends
    if problems:
        pytest.fail("The browser reported problems:\n  " + "\n  ".join(problems), pytrace=False)


# -- Signing in ---------------------------------------------------------------------------
def base_url(server) -> str:
    """`live_server` or a plain URL, without the trailing slash."""
    return str(getattr(server, "url", server)).rstrip("/")


def sign_in(page: Page, live_server, email: str, password: str) -> None:
    """Sign in through the real form, as a person would."""
    page.goto(f"{base_url(live_server)}/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()


def sign_in_as(page: Page, live_server, person) -> None:
    """Give the page's browser context a signed-in session without using the form."""
    client = Client()
    client.force_login(person, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([
        {"name": cookie.key, "value": cookie.value, "url": base_url(live_server)}
    ])


def expect_field_error(page: Page, label: str, message: str) -> None:
    """The field is marked invalid and its accessible description carries `message`.

    That is what "a clear message next to the field" means to a screen reader: Django ties
    the error list to the input with aria-describedby.
    """
    field_input = page.get_by_label(label, exact=True)
    expect(field_input).to_have_attribute("aria-invalid", "true")
    expect(field_input).to_have_accessible_description(re.compile(re.escape(message)))


# -- Accessibility and layout -------------------------------------------------------------
@functools.cache
def _axe() -> Axe:
    return Axe()  # reads axe.min.js, once per session


def check_axe(page: Page) -> None:
    """Run axe-core on the page as it is now; fail listing every WCAG 2.1 A/AA violation."""
    results = _axe().run(page, options={
        "runOnly": {"type": "tag", "values": WCAG_21_AA},
        "resultTypes": ["violations"],
    })
    violations = results.response["violations"]
    if not violations:
        return
    lines = [f"axe-core found {len(violations)} violation(s) on {page.url}:"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {target} — {summary}")
    pytest.fail("\n".join(lines), pytrace=False)


def check_no_horizontal_scroll(page: Page) -> None:
    """The page fits the viewport's width: neither it nor any box inside it scrolls sideways.

    A table wrapper with `overflow-x: auto` keeps the page itself narrow while cutting off
    half of every row, so scrolling boxes count too.
    """
    width = page.viewport_size["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter((el) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)
                            && el.scrollWidth > el.clientWidth + 1)
            .map((el) => `${el.outerHTML.slice(0, 60)}… ${el.scrollWidth}px in ${el.clientWidth}`)
        """
    )
    if scroll_width > width or boxes:
        pytest.fail(
            f"{page.url} scrolls sideways at {width}px: the page is {scroll_width}px wide; "
            f"boxes that scroll: {boxes}",
            pytrace=False,
        )


def open_nav_menu(page: Page) -> None:
    """At phone width the navigation hides behind "Menu"; the button must reveal it."""
    toggle = page.get_by_role("button", name="Menu", exact=True)
    nav = page.get_by_role("navigation", name="Main")
    assert toggle.is_visible(), "The Menu button is not shown at phone width."
    assert not nav.is_visible(), "The navigation is open before the Menu button is pressed."
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert nav.get_by_role("link", name="Home").is_visible()


def screenshot(page: Page, name: str) -> None:
    """Keep a full-page picture in test-artifacts/screenshots/ when SCREENSHOTS=1."""
    if os.environ.get("SCREENSHOTS") != "1":
        return
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=SCREENSHOT_DIR / f"{name}-{width}.png", full_page=True)
