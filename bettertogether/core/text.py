"""Text as people paste it, made safe to keep and to export.

Word processors and PDFs put invisible control characters into copied text — a vertical
tab for a soft line break, an escape, a form feed. A browser shows nothing, but an Excel
file cannot hold them (the whole export would fail) and a screen reader may read them out.
Every form built on `core.forms` removes them on the way in, and every export removes
them again on the way out, for text that arrived before this rule or by another road (a
roster file, a framework package).

Tab, line feed and carriage return are ordinary text and stay.
"""

from __future__ import annotations

import re

from django.http import QueryDict

# C0 controls except tab (09), line feed (0A) and carriage return (0D); DEL; C1 controls.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_controls(text: str) -> str:
    """`text` with every control character a document cannot hold taken out."""
    return CONTROL_CHARACTERS.sub("", text) if CONTROL_CHARACTERS.search(text) else text


def cleaned_data(data):
    """Submitted form data (a QueryDict or a dict) with control characters taken out of
    every value, before any field reads it: lengths and uniqueness are judged on the text
    that will be kept. Data with nothing to take out is returned as it is."""
    if not any(isinstance(v, str) and CONTROL_CHARACTERS.search(v) for v in _values(data)):
        return data
    if isinstance(data, QueryDict):
        copy = data.copy()
        for key, values in data.lists():
            copy.setlist(key, [_clean(v) for v in values])
        return copy
    return {key: _clean(value) for key, value in data.items()}


def _clean(value):
    if isinstance(value, str):
        return without_controls(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_clean(item) for item in value)
    return value


def _values(data):
    if isinstance(data, QueryDict):
        for _key, values in data.lists():
            yield from values
        return
    for value in data.values():
        if isinstance(value, (list, tuple)):
            yield from value
        else:
            yield value
