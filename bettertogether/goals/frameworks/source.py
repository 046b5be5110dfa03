"""Opening what a person uploaded (or a file on disk, for a seed or a command) and handing it
to the right reader. What makes a file unreadable as a whole — too big, empty, a PDF or a
spreadsheet, neither JSON nor CSV — is a problem like any other, so the page shows one list.
"""

from __future__ import annotations

import math
from pathlib import Path

from django.utils.translation import gettext as _

from .case import read_case
from .plain_csv import read_csv
from .structure import MAX_BYTES, ParsedFramework, Problems

_BOM_AND_SPACE = b"\xef\xbb\xbf \t\r\n"


def megabytes(size: int) -> str:
    """A size in MB, rounded up: a file just over the limit never reads as the limit."""
    tenths = math.ceil(size * 10 / (1024 * 1024))
    return f"{tenths // 10} MB" if tenths % 10 == 0 else f"{tenths / 10:.1f} MB"


def read_framework(*, upload=None, path: Path | str | None = None
                   ) -> tuple[str, ParsedFramework | Problems]:
    """`(kind, parsed or problems)` for an `UploadedFile` (or any Django `File`) or a path;
    kind is "case", "csv" or "" when the file is neither."""
    problems = Problems()
    if path is not None:
        path = Path(path)
        if not path.is_file():
            problems.add(_("There is no file at %(path)s.") % {"path": path})
            return "", problems
        name, size = path.name, path.stat().st_size
    else:
        name, size = Path(upload.name or "").name, upload.size
    if size > MAX_BYTES:
        problems.add(_("This file is %(size)s; the largest framework we accept is %(limit)s.")
                     % {"size": megabytes(size), "limit": megabytes(MAX_BYTES)},
                     _("Export one framework, not a whole catalogue, or split the CSV."))
        return "", problems
    data = path.read_bytes() if path is not None else _read(upload)
    if not data.strip(_BOM_AND_SPACE):
        problems.add(_("The file is empty."),
                     _("Upload the framework's CASE package (.json) or a CSV made from the "
                       "template."))
        return "", problems
    kind = _kind(data, name, problems)
    if kind == "case":
        return kind, read_case(data)
    if kind == "csv":
        return kind, read_csv(data)
    return "", problems


def _read(upload) -> bytes:
    upload.seek(0)
    data = b"".join(upload.chunks())
    upload.seek(0)
    return data


def _kind(data: bytes, name: str, problems: Problems) -> str:
    head = data[:1024].lstrip(_BOM_AND_SPACE)
    lowered = name.lower()
    if head.startswith(b"%PDF"):
        problems.add(_("This is a PDF."),
                     _("Upload the framework as a CASE package (.json) or as a CSV."))
    elif head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        problems.add(_("This looks like a spreadsheet or a zip file."),
                     _("Save the sheet as “CSV UTF-8”, or unzip the package and upload its "
                       ".json file."))
    elif lowered.endswith(".json"):
        return "case"
    elif lowered.endswith((".csv", ".txt")):
        return "csv"
    elif head.startswith((b"{", b"[")):
        return "case"
    else:
        problems.add(_("Upload a CASE package (.json) or a CSV file (.csv); %(name)s is "
                       "neither.") % {"name": name or _("this file")},
                     _("Download the template to start a CSV."))
    return ""
