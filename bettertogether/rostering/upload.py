"""Opening what a person uploaded: a OneRoster zip, a plain CSV, or (from the command) a
folder of OneRoster CSV files. Everything that makes a file unreadable as a whole is an
`UploadRejected` with a message the person can act on; a file that is readable but wrong
inside is for the readers to report, line by line.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

# Files that archivers add and nobody means to upload.
_IGNORED_PREFIXES = ("__MACOSX/",)
_IGNORED_NAMES = {".DS_Store", "Thumbs.db"}


class UploadRejected(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class BadEncoding(Exception):
    def __init__(self, name: str, line: int):
        super().__init__(name)
        self.name = name
        self.line = line


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def check_size(size: int) -> None:
    if size > MAX_UPLOAD_BYTES:
        raise UploadRejected(_(
            "This file is %(size)s; the largest roster we accept is %(limit)s. "
            "Leave out files we do not read (results, line items, demographics) "
            "or split a plain CSV by school."
        ) % {"size": megabytes(size), "limit": megabytes(MAX_UPLOAD_BYTES)})


def detect_kind(head: bytes, filename: str) -> str:
    """`"zip"` or `"csv"` from the first bytes and the name, or `UploadRejected`."""
    if head.startswith(ZIP_MAGIC):
        return "zip"
    lowered = filename.lower()
    if head.startswith(b"%PDF"):
        raise UploadRejected(_("This is a PDF. Upload the roster as a zip of OneRoster CSV "
                               "files or as a CSV file."))
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UploadRejected(_("This looks like an Excel workbook. Save it as “CSV UTF-8” "
                               "and upload that."))
    if lowered.endswith((".csv", ".txt")) and b"\x00" not in head:
        return "csv"
    raise UploadRejected(_("Upload a OneRoster bundle (a .zip of CSV files with a "
                           "manifest.csv) or a plain .csv file; %(name)s is neither.")
                         % {"name": Path(filename).name or _("this file")})


def decode(data: bytes, name: str) -> str:
    """UTF-8 text, with or without a byte-order mark; anything else is `BadEncoding`."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadEncoding(name, data[: error.start].count(b"\n") + 1) from error


def encoding_message(error: BadEncoding) -> str:
    return _("%(name)s is not UTF-8 text (the first character we could not read is on "
             "line %(line)s). Save it again as “CSV UTF-8” and upload it once more.") % {
        "name": error.name, "line": error.line}


@dataclass
class Source:
    """The CSV files of one upload, by file name, read on demand."""

    kind: str  # "zip", "csv" or "folder"
    path: Path
    names: list[str]

    def read_text(self, name: str) -> str:
        if self.kind == "zip":
            with zipfile.ZipFile(self.path) as archive:
                data = archive.read(name)
        elif self.kind == "folder":
            data = (self.path / name).read_bytes()
        else:
            data = self.path.read_bytes()
        return decode(data, name)


def open_source(path: Path, filename: str = "") -> Source:
    """Open an upload (or a folder, for the command) after checking it as a whole."""
    path = Path(path)
    filename = filename or path.name
    if path.is_dir():
        names = sorted(p.name for p in path.iterdir() if p.is_file() and p.suffix == ".csv")
        return Source("folder", path, names)
    if not path.exists():
        raise UploadRejected(_("There is no file at %(path)s.") % {"path": str(path)})
    check_size(path.stat().st_size)
    with path.open("rb") as handle:
        head = handle.read(8192)
    kind = detect_kind(head, filename)
    if kind == "csv":
        return Source("csv", path, [Path(filename).name])
    return Source("zip", path, zip_members(path))


def check_uploaded(handle, filename: str, size: int) -> str:
    """Check an upload as a whole before it is stored: `"zip"` or `"csv"`, or
    `UploadRejected`. `handle` is a seekable binary file."""
    check_size(size)
    handle.seek(0)
    kind = detect_kind(handle.read(8192), filename)
    if kind == "zip":
        handle.seek(0)
        zip_members(handle)
    handle.seek(0)
    return kind


def zip_members(path_or_handle) -> list[str]:
    """The CSV files of a flat zip, after checking its structure."""
    try:
        archive = zipfile.ZipFile(path_or_handle)
    except zipfile.BadZipFile as error:
        raise UploadRejected(_("This zip file is damaged and cannot be opened. Export the "
                               "roster again.")) from error
    with archive:
        infos = [
            info for info in archive.infolist()
            if not info.filename.startswith(_IGNORED_PREFIXES)
            and Path(info.filename).name not in _IGNORED_NAMES
        ]
        names = {info.filename for info in infos}
        if "[Content_Types].xml" in names:
            raise UploadRejected(_("This looks like an Excel workbook. Save it as “CSV UTF-8” "
                                   "and upload that."))
        folders = sorted({info.filename.split("/", 1)[0] + "/" for info in infos
                          if "/" in info.filename.rstrip("/") or info.is_dir()})
        if folders:
            raise UploadRejected(_(
                "The zip holds folders (%(folders)s). A OneRoster bundle is flat: put "
                "manifest.csv and the other CSV files at the top of the zip, not in a folder."
            ) % {"folders": ", ".join(folders[:3])})
        if any(info.flag_bits & 0x1 for info in infos):
            raise UploadRejected(_("The zip is protected by a password. Export it again "
                                   "without one."))
        unpacked = sum(info.file_size for info in infos)
        if unpacked > MAX_UNPACKED_BYTES:
            raise UploadRejected(_("The zip unpacks to %(size)s; the most we read is "
                                   "%(limit)s.") % {"size": megabytes(unpacked),
                                                    "limit": megabytes(MAX_UNPACKED_BYTES)})
        return sorted(info.filename for info in infos if info.filename.endswith(".csv"))
