"""Uploads built to exhaust an importer, for the tests and the benchmark: a zip whose
headers understate what it unpacks to, a zip bomb, folders nested deep, a zip of a zip, a
directory of tens of thousands of entries, a line without end, binary junk, and an honest
but large users file. Each is written as a stream, so building one costs a few megabytes
however much it unpacks to.

`check_upload()` reads an upload the way an import does, without a database, and says
what became of it; the tests and `make bench` run it in a process of its own to measure
its peak memory.
"""

from __future__ import annotations

import csv
import io
import random
import struct
import zipfile
from pathlib import Path

from .testing import oneroster_files

ROW = b"student-000000,active,,true,s000000,,Ava,Student,,,,,,,,,,,,,,\r\n"


def _valid_files() -> dict[str, str]:
    return oneroster_files(version="1.2", schools=1, teachers_per_school=2)


def _write_member(archive: zipfile.ZipFile, name: str, head: bytes, body: bytes,
                  size: int) -> None:
    """A member of `head` and then `body` repeated to about `size` bytes, streamed."""
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=size > 2**31) as member:
        member.write(head)
        chunk = body * max(1, (1 << 20) // len(body))
        written = len(head)
        while written < size:
            member.write(chunk)
            written += len(chunk)


def _bundle(path: Path, users: tuple[bytes, bytes, int] | None = None,
            extra: dict[str, bytes] | None = None) -> Path:
    """The small valid bundle, with users.csv replaced by a streamed member if given."""
    files = _valid_files()
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            if name == "users.csv" and users is not None:
                _write_member(archive, name, *users)
            else:
                archive.writestr(name, text)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return path


def _set_unpacked_size(path: Path, name: str, size: int) -> None:
    """Write `size` as the member's unpacked size in its local header and in the
    directory: a lie, either way."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
        directory_at = archive.start_dir
    with path.open("r+b") as handle:
        handle.seek(info.header_offset + 22)
        handle.write(struct.pack("<I", size))
        handle.seek(directory_at)
        directory = handle.read()
        at = 0
        while directory[at:at + 4] == b"PK\x01\x02":
            name_length, extra_length, comment_length = struct.unpack(
                "<HHH", directory[at + 28:at + 34])
            if directory[at + 46:at + 46 + name_length].decode() == name:
                handle.seek(directory_at + at + 24)
                handle.write(struct.pack("<I", size))
                return
            at += 46 + name_length + extra_length + comment_length


def lying_headers(path: Path, unpacks_to: int = 300 << 20) -> Path:
    """A bundle whose users.csv unpacks to `unpacks_to` bytes but whose headers say 1 KB:
    about a thousandth of that on disk."""
    header = _valid_files()["users.csv"].splitlines()[0].encode() + b"\r\n"
    _bundle(path, users=(header, ROW, unpacks_to))
    _set_unpacked_size(path, "users.csv", 1024)
    return path


def zip_bomb(path: Path, unpacks_to: int = 3 << 30) -> Path:
    """A bundle whose users.csv says it unpacks to 3 GB, as a zip bomb's does (a
    megabyte is written: what is refused is what the directory says)."""
    header = _valid_files()["users.csv"].splitlines()[0].encode() + b"\r\n"
    _bundle(path, users=(header, ROW, 1 << 20))
    _set_unpacked_size(path, "users.csv", min(unpacks_to, 0xFFFFFFFE))
    return path


def nested_folders(path: Path, depth: int = 60) -> Path:
    folder = "/".join(["roster"] * depth)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in _valid_files().items():
            archive.writestr(f"{folder}/{name}", text)
    return path


def zip_in_zip(path: Path, depth: int = 5) -> Path:
    """A zip holding a zip holding a zip…, the innermost a zip bomb."""
    inner = path.with_suffix(".inner.zip")
    lying_headers(inner, unpacks_to=50 << 20)
    data = inner.read_bytes()
    inner.unlink()
    for level in range(depth):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr(f"roster-{level}.zip", data)
        data = buffer.getvalue()
    path.write_bytes(data)
    return path


def many_members(path: Path, count: int = 20_000) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(count):
            archive.writestr(f"part{n}.csv", b"")
    return path


def endless_line(path: Path, length: int = 300 << 20) -> Path:
    """A bundle whose users.csv is its header and then one line of `length` characters."""
    header = _valid_files()["users.csv"].splitlines()[0].encode() + b"\r\n"
    _bundle(path, users=(header, b"a" * 4096, length))
    return path


def open_quote(path: Path, length: int = 50 << 20) -> Path:
    """A bundle whose users.csv opens a quotation mark on line 2 and never closes it."""
    header = _valid_files()["users.csv"].splitlines()[0].encode() + b"\r\n"
    _bundle(path, users=(header + b'"', b"a,b,c\r\n" * 512, length))
    return path


def binary_junk(path: Path, size: int = 5 << 20) -> Path:
    """A bundle whose users.csv is random bytes after its header."""
    header = _valid_files()["users.csv"].splitlines()[0].encode() + b"\r\n"
    junk = random.Random(13).randbytes(1 << 16)  # noqa: S311 (junk, not a secret)
    _bundle(path, users=(header, junk, size))
    return path


def junk_csv(path: Path, size: int = 1 << 20) -> Path:
    path.write_bytes(random.Random(7).randbytes(size))  # noqa: S311 (junk, not a secret)
    return path


def honest_users(path: Path, megabytes: int = 100) -> Path:
    """A valid 1.2 bundle whose users.csv is `megabytes` MB of students (and a few
    teachers), with a role each, written as a stream."""
    header = _valid_files()["users.csv"].splitlines()[0]
    line = ",".join(_user_row(1, header.count(",") + 1, header.split(",").index("email")))
    students = megabytes * (1 << 20) // (len(line) + 2)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        files = _valid_files()
        for name in ("manifest.csv", "orgs.csv"):
            archive.writestr(name, files[name].replace("file.classes,bulk", "file.classes,absent")
                             .replace("file.courses,bulk", "file.courses,absent")
                             .replace("file.enrollments,bulk", "file.enrollments,absent")
                             .replace("file.academicSessions,bulk",
                                      "file.academicSessions,absent"))
        with archive.open(_deflated("users.csv"), "w") as users:
            _people(users, files["users.csv"].splitlines()[0], students, _user_row)
        with archive.open(_deflated("roles.csv"), "w") as roles:
            _people(roles, files["roles.csv"].splitlines()[0], students, _role_row)
    return path


def _deflated(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _people(member, header: str, students: int, row) -> None:
    """One line per person (every 500th a teacher, the rest students), a megabyte at a
    time."""
    width = header.count(",") + 1
    at_email = header.split(",").index("email") if "email" in header.split(",") else 0
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    member.write((header + "\r\n").encode())
    for n in range(students):
        writer.writerow(row(n, width, at_email))
        if text.tell() > 1 << 20:
            member.write(text.getvalue().encode())
            text.seek(0)
            text.truncate()
    member.write(text.getvalue().encode())


def _user_row(n: int, width: int, at_email: int) -> list[str]:
    """A users.csv line as an SIS writes it: ids, names, an address, grades."""
    teacher = n % 500 == 0
    sourced_id = f"teacher-{n:07d}" if teacher else f"student-{n:07d}"
    row = [""] * width
    row[:12] = [sourced_id, "active", "2026-07-01T12:00:00Z", "true", f"user{n:07d}",
                f"{{SIS:{n:07d}}}", "Given", f"Family{n:07d}", "Middle", f"ID{n:07d}",
                f"{sourced_id}@{'staff' if teacher else 'students'}.district.example", ""]
    row[at_email] = row[10]
    return row


def _role_row(n: int, width: int, at_email: int) -> list[str]:
    teacher = n % 500 == 0
    return [f"role-{n:07d}", "active", "2026-07-01T12:00:00Z",
            f"teacher-{n:07d}" if teacher else f"student-{n:07d}", "primary",
            "teacher" if teacher else "student", "2026-08-17", "", "school-0", ""]


HOSTILE = {
    "lying-headers": lambda folder: lying_headers(folder / "lying.zip"),
    "zip-bomb": lambda folder: zip_bomb(folder / "bomb.zip"),
    "nested-folders": lambda folder: nested_folders(folder / "nested.zip"),
    "zip-in-zip": lambda folder: zip_in_zip(folder / "zips.zip"),
    "many-members": lambda folder: many_members(folder / "many.zip"),
    "endless-line": lambda folder: endless_line(folder / "line.zip"),
    "open-quote": lambda folder: open_quote(folder / "quote.zip"),
    "binary-junk": lambda folder: binary_junk(folder / "junk.zip"),
    "junk-csv": lambda folder: junk_csv(folder / "junk.csv"),
}


def check_upload(path: Path, filename: str = "") -> dict:
    """Read an upload as an import does, without a database: what became of it."""
    from .oneroster import read_oneroster
    from .plain_csv import read_plain_csv
    from .problems import Problems
    from .upload import UploadRejected, open_source

    problems = Problems()
    try:
        source = open_source(Path(path), filename or Path(path).name)
    except UploadRejected as error:
        return {"refused": error.message, "problems": [], "people": 0}
    if source.kind == "csv":
        roster = read_plain_csv(source, problems)
    else:
        roster = read_oneroster(source, problems, known=lambda target: set(),
                                known_org_kinds=dict)
    return {
        "refused": "",
        "problems": [p["message"] for p in problems.in_order()[:5]],
        "problems_total": problems.total,
        "warnings": [w["message"] for w in problems.warnings.grouped()[:5]],
        "people": len(roster.people) if roster is not None else 0,
    }
