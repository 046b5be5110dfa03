"""Opening what a person uploaded: a OneRoster zip, a plain CSV, or (from the command) a
folder of OneRoster CSV files, and reading its files as streams of lines.

Nothing here believes what a file says about itself. A zip's directory is sized from its
end record before it is parsed, and a member's size is counted on the bytes actually
unpacked, a piece at a time, never on the size its header claims; a line and a record are
capped as they are read. So a small upload that unpacks to gigabytes, a directory of a
million entries or a file of one endless line costs a few megabytes and ends with a
message the person can act on.

Everything that makes the upload unreadable as a whole is an `UploadRejected`; a file
inside it that cannot be read on (not UTF-8, a line too long, damaged) is a
`FileUnreadable`, which the readers report as a problem of that file.
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024  # counted on the bytes unpacked, all files together
MAX_MEMBERS = 200  # a OneRoster bundle has about twenty files
MAX_DIRECTORY_BYTES = 1024 * 1024
MAX_LINE_CHARS = 1024 * 1024
MAX_RECORD_CHARS = 2 * 1024 * 1024  # a record may run over several lines inside quotes
READ_BYTES = 64 * 1024
CHUNK_CHARS = 64 * 1024  # text decoded, split into lines and checked at a time
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

# A field may hold a long quoted list of sourcedIds; the record check (`Lines`) stops a
# field left open before the csv module's own limit does.
csv.field_size_limit(MAX_RECORD_CHARS + 4 * CHUNK_CHARS)

# Files that archivers add and nobody means to upload.
_IGNORED_PREFIXES = ("__MACOSX/",)
_IGNORED_NAMES = {".DS_Store", "Thumbs.db", "desktop.ini"}
_READABLE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED}
# What a byte that is not UTF-8 becomes when decoded with "surrogateescape".
_UNDECODED = re.compile("[\udc80-\udcff]")


class UploadRejected(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class FileUnreadable(Exception):
    """One file of the upload cannot be read on from `line`."""

    def __init__(self, name: str, message: str, line: int | None = None):
        super().__init__(message)
        self.name = name
        self.message = message
        self.line = line


def csv_message(error: csv.Error) -> str:
    """What a line the csv module cannot read is, in words."""
    return _("This line is not valid CSV (%(error)s).") % {"error": error}


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


def encoding_message(name: str, line: int) -> str:
    return _("%(name)s is not UTF-8 text (the first character we could not read is on "
             "line %(line)s). Save it again as “CSV UTF-8” and upload it once more.") % {
        "name": name, "line": line}


def _too_much_message() -> str:
    return _("The roster unpacks to more than %(limit)s, the most we read. Leave out files "
             "we do not read (results, line items, demographics) and export it again.") % {
        "limit": megabytes(MAX_UNPACKED_BYTES)}


def _damaged_message() -> str:
    return _("This zip file is damaged and cannot be opened. Export the roster again.")


@dataclass
class Source:
    """The CSV files of one upload, by file name, read on demand as streams of lines.

    `notes` are things about the upload as a whole that the readers pass on as warnings
    (a bundle zipped inside its folder, files that are not CSV)."""

    kind: str  # "zip", "csv" or "folder"
    path: Path
    names: list[str]
    members: dict[str, str] = field(default_factory=dict)  # name → path inside the zip
    notes: list[str] = field(default_factory=list)
    _unpacked: dict[str, int] = field(default_factory=dict)  # name → bytes read

    @contextlib.contextmanager
    def lines(self, name: str):
        """The file's lines (`Lines`), its size counted as it is read."""
        budget = MAX_UNPACKED_BYTES - sum(
            size for other, size in self._unpacked.items() if other != name)
        with contextlib.ExitStack() as stack:
            if self.kind == "zip":
                archive = stack.enter_context(zipfile.ZipFile(self.path))
                try:
                    raw = stack.enter_context(archive.open(self.members.get(name, name)))
                except (zipfile.BadZipFile, zlib.error, KeyError, NotImplementedError,
                        RuntimeError) as error:
                    raise FileUnreadable(name, _damaged_message()) from error
            else:
                path = self.path / name if self.kind == "folder" else self.path
                raw = stack.enter_context(path.open("rb"))
            counted = _Counted(raw, name, budget)
            try:
                yield Lines(counted, name)
            finally:
                self._unpacked[name] = max(self._unpacked.get(name, 0), counted.count)


class _Counted(io.RawIOBase):
    """A member's bytes as they are unpacked, a piece at a time, counted against what the
    whole upload may unpack. Decompression errors become a damaged-file message."""

    def __init__(self, stream, name: str, budget: int):
        self.stream, self.name, self.budget, self.count = stream, name, budget, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        try:
            data = self.stream.read(min(len(buffer), READ_BYTES))
        except (zipfile.BadZipFile, zlib.error, EOFError) as error:
            raise FileUnreadable(self.name, _damaged_message()) from error
        self.count += len(data)
        if self.count > self.budget:
            raise UploadRejected(_too_much_message())
        buffer[:len(data)] = data
        return len(data)


class Lines:
    """A file's text, line by line, for `csv.reader`: UTF-8 with or without a byte-order
    mark, any line ending. A character that is not UTF-8, a line longer than
    `MAX_LINE_CHARS` or a record running on for more than `MAX_RECORD_CHARS` stops the
    file with a `FileUnreadable` naming the line.

    The text is decoded and split a chunk at a time and checked per chunk, so a line costs
    little more than handing it over."""

    def __init__(self, counted: _Counted, name: str):
        self.name = name
        self.line = 0  # lines handed over before the current chunk
        self._records = 0  # records the reader has taken
        self._last_record_line = 0
        self._quiet = (0, 0)  # records taken, characters read since one last was
        buffered = io.BufferedReader(counted, buffer_size=READ_BYTES)
        self._text = io.TextIOWrapper(buffered, encoding="utf-8-sig", errors="surrogateescape",
                                      newline="")
        self._lines = self._generate()

    def __iter__(self):
        return self._lines

    def _generate(self):
        pending = ""
        while chunk := self._text.read(CHUNK_CHARS):
            text = pending + chunk if pending else chunk
            self._check_text(text)
            lines = io.StringIO(text, newline="").readlines()
            last = lines[-1]
            # A line not ended yet (or ended by a \r whose \n may follow) waits for more.
            pending = lines.pop() if last[-1] not in "\r\n" or last[-1] == "\r" else ""
            self._check_lengths(lines, pending)
            self._check_record(len(text) - len(pending))
            yield from lines
            self.line += len(lines)
        if pending:
            self.line += 1
            yield pending

    def _check_text(self, text: str) -> None:
        undecoded = None if text.isascii() else _UNDECODED.search(text)
        if undecoded is None:
            return
        before = io.StringIO(text[:undecoded.start()], newline="").readlines()
        ended = not before or before[-1][-1] in "\r\n"
        line = self.line + len(before) + (1 if ended else 0)
        raise FileUnreadable(self.name, encoding_message(self.name, line), line)

    def _check_lengths(self, lines: list[str], pending: str) -> None:
        longest = max(map(len, lines), default=0)
        if longest <= MAX_LINE_CHARS and len(pending) <= MAX_LINE_CHARS:
            return
        at = next((n for n, line in enumerate(lines) if len(line) > MAX_LINE_CHARS),
                  len(lines))
        line = self.line + at + 1
        raise FileUnreadable(self.name, _(
            "Line %(line)s is longer than %(limit)s characters; a roster's lines are far "
            "shorter. Check that this is the file your system exported.") % {
            "line": line, "limit": f"{MAX_LINE_CHARS:,}"}, line)

    def _check_record(self, size: int) -> None:
        """Between chunks: has the reader finished a record lately? A record that runs on
        and on is a quotation mark left open (or a file that is not a roster)."""
        records, characters = self._quiet
        if self._records != records:
            self._quiet = (self._records, size)
            return
        if characters + size > MAX_RECORD_CHARS:
            line = self._last_record_line + 1
            raise FileUnreadable(self.name, _(
                "The line that starts on line %(line)s runs on for more than %(limit)s "
                "characters: a quotation mark is probably left open.") % {
                "line": line, "limit": f"{MAX_RECORD_CHARS:,}"}, line)
        self._quiet = (records, characters + size)

    def record_done(self, line: int) -> None:
        """The reader has taken a whole record, ending on `line`."""
        self._records += 1
        self._last_record_line = line


def open_source(path: Path, filename: str = "") -> Source:
    """Open an upload (or a folder, for the command) after checking it as a whole."""
    path = Path(path)
    filename = filename or path.name
    if path.is_dir():
        names = sorted(p.name for p in path.iterdir()
                       if p.is_file() and p.suffix.lower() == ".csv")
        return Source("folder", path, names)
    if not path.exists():
        raise UploadRejected(_("There is no file at %(path)s.") % {"path": str(path)})
    check_size(path.stat().st_size)
    with path.open("rb") as handle:
        kind = detect_kind(handle.read(8192), filename)
        if kind == "csv":
            return Source("csv", path, [Path(filename).name])
        members, notes = zip_members(handle)
    return Source("zip", path, sorted(members), members=members, notes=notes)


def check_uploaded(handle, filename: str, size: int) -> str:
    """Check an upload as a whole before it is stored: `"zip"` or `"csv"`, or
    `UploadRejected`. `handle` is a seekable binary file."""
    check_size(size)
    handle.seek(0)
    kind = detect_kind(handle.read(8192), filename)
    if kind == "zip":
        zip_members(handle)
    handle.seek(0)
    return kind


def zip_members(handle) -> tuple[dict[str, str], list[str]]:
    """The CSV files of a bundle zip, by file name (→ path in the zip), and notes about
    it, after checking its structure. A bundle zipped inside one folder is read from it."""
    _check_directory(handle)
    handle.seek(0)
    try:
        archive = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
        raise UploadRejected(_damaged_message()) from error
    with archive:
        infos = [info for info in archive.infolist() if not _ignored(info)]
        return _layout(infos)


def _ignored(info: zipfile.ZipInfo) -> bool:
    name = PurePosixPath(info.filename).name
    return (info.is_dir() or info.filename.startswith(_IGNORED_PREFIXES)
            or name in _IGNORED_NAMES or name.startswith("._"))


def _layout(infos: list[zipfile.ZipInfo]) -> tuple[dict[str, str], list[str]]:
    names = {info.filename for info in infos}
    if any(PurePosixPath(n).name == "[Content_Types].xml" for n in names):
        raise UploadRejected(_("This looks like an Excel workbook. Save it as “CSV UTF-8” "
                               "and upload that."))
    if any(info.flag_bits & 0x1 for info in infos):
        raise UploadRejected(_("The zip is protected by a password. Export it again "
                               "without one."))
    if any(info.compress_type not in _READABLE_METHODS for info in infos):
        raise UploadRejected(_("The zip is compressed in a way we do not read. Export it "
                               "again as an ordinary zip (“deflate”)."))
    declared = sum(info.file_size for info in infos)
    if declared > MAX_UNPACKED_BYTES:
        raise UploadRejected(_("The zip unpacks to %(size)s; the most we read is "
                               "%(limit)s.") % {"size": megabytes(declared),
                                                "limit": megabytes(MAX_UNPACKED_BYTES)})
    notes: list[str] = []
    folder = _single_folder(infos)
    if folder:
        notes.append(_("The files are in a folder inside the zip (%(folder)s); we read them "
                       "from there. A OneRoster bundle keeps them at the top of the zip.")
                     % {"folder": folder})
    members: dict[str, str] = {}
    others: list[str] = []
    for info in infos:
        name = info.filename[len(folder):]
        if not name.lower().endswith(".csv"):
            others.append(name)
            continue
        clash = next((n for n in members if n.lower() == name.lower()), None)
        if clash is not None:
            raise UploadRejected(_("The zip holds both %(one)s and %(other)s; keep one.")
                                 % {"one": clash, "other": name})
        members[name] = info.filename
    if others:
        notes.append(_("The zip also holds files that are not CSV (%(names)s); they were "
                       "not read.") % {"names": ", ".join(sorted(others)[:5])})
    return members, notes


def _single_folder(infos: list[zipfile.ZipInfo]) -> str:
    """"folder/" when every file is directly inside that one folder, "" when every file
    is at the top; anything else is refused."""
    parts = [PurePosixPath(info.filename).parts for info in infos]
    if all(len(p) == 1 for p in parts):
        return ""
    tops = {p[0] for p in parts}
    if all(len(p) == 2 for p in parts) and len(tops) == 1:
        return f"{next(iter(tops))}/"
    folders = sorted({f"{p[0]}/" for p in parts if len(p) > 1})
    raise UploadRejected(_(
        "The zip holds folders (%(folders)s). A OneRoster bundle is flat: put "
        "manifest.csv and the other CSV files at the top of the zip, not in a folder."
    ) % {"folders": ", ".join(folders[:3])})


def _check_directory(handle) -> None:
    """Size the zip's directory from its end record before anything parses it, so a
    directory of millions of entries is refused without being read."""
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    tail_size = min(size, 22 + 65535)
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise UploadRejected(_damaged_message())
    entries, directory_bytes = struct.unpack("<xxxxxxxxxxHI", tail[at:at + 16])
    if entries == 0xFFFF or directory_bytes == 0xFFFFFFFF:
        entries, directory_bytes = _zip64_directory(handle, tail, at, size)
    if entries > MAX_MEMBERS or directory_bytes > MAX_DIRECTORY_BYTES:
        raise UploadRejected(_("The zip holds %(n)s files; a OneRoster bundle holds a few "
                               "dozen at most. Check that this is the roster your system "
                               "exported.") % {"n": f"{entries:,}"})


def _zip64_directory(handle, tail: bytes, at: int, size: int) -> tuple[int, int]:
    """Entries and directory size from a ZIP64 end record, which the locator before the
    ordinary end record points to."""
    locator = tail[at - 20:at] if at >= 20 else b""
    if not locator.startswith(b"PK\x06\x07"):
        raise UploadRejected(_damaged_message())
    (record_at,) = struct.unpack("<Q", locator[8:16])
    if record_at > size - 56:
        raise UploadRejected(_damaged_message())
    handle.seek(record_at)
    record = handle.read(56)
    if not record.startswith(b"PK\x06\x06"):
        raise UploadRejected(_damaged_message())
    entries, directory_bytes = struct.unpack("<QQ", record[32:48])
    return entries, directory_bytes
