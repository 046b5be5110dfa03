"""What a student work sample may be, told by its contents rather than its name, and the
plain name it is downloaded under.

Only PDF, PNG and JPEG are accepted: formats a browser will not run as a page, checked by
their first bytes (a renamed HTML or SVG file is refused), and the name's ending must agree
with the contents. The file itself is stored as `sample.<ext>` under a random folder, so no
pupil's name in an upload reaches the disk's paths.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

# What a work sample may be, told by its first bytes, with the names it may end in.
SAMPLE_TYPES = (
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
)
SAFE_TYPES = frozenset(content_type for _magic, content_type, _ext in SAMPLE_TYPES)


def sample_type(head: bytes, filename: str) -> tuple[str, str]:
    """(content type, extension) of an upload told by its first bytes, or ValidationError."""
    extension = Path(filename).suffix.lower()
    for magic, content_type, extensions in SAMPLE_TYPES:
        if head.startswith(magic):
            if extension not in extensions:
                raise ValidationError({"file": _("This file's contents do not match its name "
                                                 "(%(ext)s). Upload a PDF, PNG or JPEG file "
                                                 "with its usual ending.") % {
                    "ext": extension or _("no ending")}})
            return content_type, extensions[0]
    raise ValidationError({"file": _("Upload a PDF, PNG or JPEG file.")})


def safe_filename(filename: str, extension: str) -> str:
    """A plain file name for the download: letters, digits, dashes and dots only."""
    try:
        stem = get_valid_filename(Path(filename).stem)[:80].strip("._")
    except SuspiciousFileOperation:
        stem = ""
    return f"{stem or 'sample'}{extension}"
