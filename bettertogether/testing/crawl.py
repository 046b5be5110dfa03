"""Walk the site as a person would: from a page, follow every link it shows them.

`crawl` starts at the home page, reads each HTML answer for same-site links (`<a href>`,
`<area href>`), and follows them breadth-first with GET, never a form. A redirect is
followed like a link. It does not follow what is not a page to read: signing out (it would
end the walk), downloads (exports, files, calendar feeds), the support admin, static files.
Every page is asked for once, whatever the number of pages linking to it; the walk stops
after `limit` pages, and `Walk.complete` says whether it saw everything it found. A walk
over a big world may also open at most `per_view` addresses of one view (three teacher
pages, not fifty), and may hand every answer to `inspect` (the trust walk reads each one
for text that is not its reader's), downloads included when `downloads` is set.

It is the test of a promise the product makes: no page links where its reader gets a 404
or a 403. A link the reader may not follow is drawn as plain text, or not at all.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit, urlunsplit

from django.urls import Resolver404, resolve

ORIGIN = "http://testserver"
REDIRECTS = frozenset({301, 302, 303, 307, 308})

# Views that are not pages to read: signing out ends the walk, and downloads are files.
NOT_PAGES = frozenset({
    "accounts:logout",
    "reports:coach_export", "reports:coach_log_export", "reports:school_export",
    "reports:network_export", "reports:pdf_download",
    "menu:feed",
    "goals:sample_file", "goals:framework_template",
    "rostering:template",
})
NOT_PAGE_PREFIXES = ("/static/", "/media/", "/support/")


@dataclass(frozen=True)
class Visit:
    url: str
    status: int
    linked_from: str | None
    error: str = ""

    def __str__(self) -> str:
        shown = f"{self.status} {self.url} (linked from {self.linked_from})"
        return f"{shown}: {self.error}" if self.error else shown


@dataclass
class Walk:
    visits: list[Visit] = field(default_factory=list)
    complete: bool = True

    @property
    def urls(self) -> set[str]:
        return {visit.url for visit in self.visits}

    def failures(self) -> list[str]:
        """Every page that answered with an error (4xx, 5xx), with the page linking to it."""
        return [str(visit) for visit in self.visits if visit.status >= 400]

    def views(self) -> set[str]:
        """The names of the views the walk reached (`app:name`)."""
        return {resolve(urlsplit(visit.url).path).view_name for visit in self.visits
                if visit.status < 400}


class _Links(HTMLParser):
    """The `href` of every link in a page, leaving out those marked as downloads."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ("a", "area"):
            return
        found = dict(attrs)
        if found.get("href") and "download" not in found:
            self.hrefs.append(found["href"])


def links_in(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


def site_path(href: str, *, page: str) -> str | None:
    """`href` (as written on `page`) as a path and query of this site, or None when it
    leads elsewhere (another site, mailto:, a fragment of the same page)."""
    target = urlsplit(urljoin(ORIGIN + page, href.strip()))
    if target.scheme not in ("http", "https") or target.netloc != urlsplit(ORIGIN).netloc:
        return None
    return urlunsplit(("", "", target.path or "/", target.query, ""))


def view_of(path: str) -> str | None:
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return None


def is_page(path: str, *, downloads: bool = False) -> bool:
    if path.startswith(NOT_PAGE_PREFIXES):
        return False
    view = view_of(path)
    if view is None:
        return True  # a link to nowhere is a page that answers 404: let the walk find it
    if downloads:
        return view != "accounts:logout"
    return view not in NOT_PAGES


def _answer(client, url: str, linked_from: str | None, inspect):
    """(visit, the links to follow from it)."""
    try:
        response = client.get(url)
    except Exception as error:  # the test client re-raises a view's exception: a 500
        return Visit(url, 500, linked_from, error=repr(error)), []
    visit = Visit(url, response.status_code, linked_from)
    if inspect is not None:
        inspect(url, response)
    if response.status_code in REDIRECTS:
        return visit, [response["Location"]]
    if response.status_code == 200 and response.get("Content-Type", "").startswith(
            "text/html"):
        return visit, links_in(response.content.decode())
    return visit, []


def crawl(client, *, start: str = "/", limit: int = 300, per_view: int | None = None,
          inspect=None, downloads: bool = False) -> Walk:
    """Breadth-first from `start`, GET only, each page once, at most `limit` pages (and at
    most `per_view` addresses of one view); `inspect(url, response)` sees every answer."""
    walk = Walk()
    queued = {start}
    opened_of: Counter[str | None] = Counter()
    waiting: deque[tuple[str, str | None]] = deque([(start, None)])
    while waiting:
        if len(walk.visits) >= limit:
            walk.complete = False
            break
        url, linked_from = waiting.popleft()
        visit, hrefs = _answer(client, url, linked_from, inspect)
        walk.visits.append(visit)
        for href in hrefs:
            path = site_path(href, page=url)
            if path is None or path in queued or not is_page(path, downloads=downloads):
                continue
            if per_view is not None:
                view = view_of(path)
                if opened_of[view] >= per_view:
                    continue
                opened_of[view] += 1
            queued.add(path)
            waiting.append((path, url))
    return walk
