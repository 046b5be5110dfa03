"""Reading a page the way a browser does: its forms (every field with the value it would
send) and its links. The soak's clients fill in forms from what the page offers — the CSRF
token, the submission key, the idempotency key, the teachers and kinds to choose from —
never from ids they were told.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin


@dataclass
class Option:
    value: str
    label: str
    group: str = ""


@dataclass
class Form:
    action: str
    method: str
    values: dict[str, list[str]] = field(default_factory=dict)
    options: dict[str, list[Option]] = field(default_factory=dict)

    def value(self, name: str) -> str:
        found = self.values.get(name) or [""]
        return found[0]

    def data(self, **chosen) -> list[tuple[str, str]]:
        """What the browser sends: every field as rendered, with `chosen` ones replaced (a
        list for a multiple choice)."""
        sent = []
        for name, values in self.values.items():
            if name in chosen:
                continue
            sent.extend((name, value) for value in values)
        for name, value in chosen.items():
            values = value if isinstance(value, list | tuple) else [value]
            sent.extend((name, str(each)) for each in values)
        return sent


class _Reader(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._group = ""
        self._option: dict | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            action = urljoin(self.page_url, attrs.get("action") or self.page_url)
            self._form = Form(action=action, method=attrs.get("method", "get").lower())
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                form.options.setdefault(name, []).append(Option(attrs.get("value", "on"), ""))
                if "checked" not in attrs:
                    form.values.setdefault(name, [])
                    return
            form.values.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            form.values.setdefault(name, [])
            form.options.setdefault(name, [])
        elif tag == "optgroup":
            self._group = attrs.get("label", "")
        elif tag == "option" and self._select:
            self._option = {"value": attrs.get("value"), "selected": "selected" in attrs}
            self._text = []
        elif tag == "textarea" and name:
            self._textarea = name
            self._text = []

    def handle_data(self, data):
        if self._option is not None or self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        form = self._form
        if tag == "form":
            self._form = None
        elif tag == "option" and self._option is not None and form is not None:
            label = "".join(self._text).strip()
            value = self._option["value"] if self._option["value"] is not None else label
            form.options[self._select].append(Option(value, label, self._group))
            if self._option["selected"]:
                form.values[self._select].append(value)
            self._option = None
        elif tag == "optgroup":
            self._group = ""
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None and form is not None:
            form.values.setdefault(self._textarea, []).append("".join(self._text).strip("\n"))
            self._textarea = None


def forms_in(html: str, page_url: str) -> list[Form]:
    reader = _Reader(page_url)
    reader.feed(html)
    return reader.forms


def post_form(html: str, page_url: str, *, action_has: str = "", field: str = "") -> Form | None:
    """The page's post form whose action contains `action_has` and that has `field`."""
    for form in forms_in(html, page_url):
        if form.method != "post" or action_has not in form.action:
            continue
        if field and field not in form.values:
            continue
        return form
    return None


def links(html: str, pattern: str) -> list[str]:
    """Every distinct link on the page whose address matches the regular expression."""
    found = re.findall(r'href="([^"]+)"', html)
    wanted = re.compile(pattern)
    return sorted({link.replace("&amp;", "&") for link in found if wanted.search(link)})
