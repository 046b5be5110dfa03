"""The backup archive: a zip with the database, the files and a manifest.

Zip rather than tar.gz because each member keeps its own compression (a PostgreSQL dump,
PDFs and images are compressed already and are stored as they are; a SQLite file and CSVs
are deflated) and because the manifest can be read, and any member checked, without
reading the whole archive first.

The archive is written to a `.partial` file beside its name and renamed when complete, so
a backup that fails half-way never leaves a file that looks like a backup. It is readable
by its owner only: it holds everything the database holds.

Reading it checks, before anything is restored: that it is a zip, that its manifest is
ours and of a version this code reads, that every member is where the manifest says, with
the size and SHA-256 it gives, that nothing is in the zip that the manifest does not list,
and that no path could escape the folder it is restored into.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

FORMAT = "bettertogether-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_PREFIX = "database/"
FILES_PREFIX = "files/"
CHUNK = 1024 * 1024
# Stored as they are: compressing them again costs time and saves nothing.
COMPRESSED_SUFFIXES = frozenset({
    ".dump", ".zip", ".gz", ".bz2", ".xz", ".zst", ".pdf", ".png", ".jpg", ".jpeg", ".gif",
    ".webp", ".mp4", ".mov", ".docx", ".xlsx", ".pptx",
})


class BackupError(Exception):
    """Something an operator must fix; the message says what, and that nothing changed
    where that is so."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Member:
    """One file of the archive, as the manifest lists it."""

    path: str  # inside the archive
    size: int
    sha256: str

    def as_dict(self) -> dict:
        return {"path": self.path, "size": self.size, "sha256": self.sha256}


def compressed(name: str) -> bool:
    return PurePosixPath(name).suffix.lower() in COMPRESSED_SUFFIXES


def safe_path(name: str) -> bool:
    """A relative path of plain parts: nothing absolute, no `..`, no backslash, no NUL."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    parts = PurePosixPath(name).parts
    return all(part not in {"", ".", ".."} for part in parts) and ":" not in parts[0]


class ArchiveWriter:
    """Writes an archive member by member; `finish(manifest)` completes it."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.partial = self.path.with_name(self.path.name + ".partial")
        if self.path.exists():
            raise BackupError(f"{self.path} already exists. Choose another name, or move "
                              "it away first.")
        if not self.path.parent.is_dir():
            raise BackupError(f"There is no folder {self.path.parent} to write the "
                              "backup into.")
        try:
            handle = os.open(self.partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        except OSError as error:
            raise BackupError(f"Cannot write {self.partial}: {error.strerror}.") from error
        self._file = os.fdopen(handle, "wb")
        self._zip = zipfile.ZipFile(self._file, "w", allowZip64=True)

    def add(self, name: str, stream: IO[bytes], *, compress: bool | None = None) -> Member:
        """Copy `stream` into the archive as `name`, hashing it on the way."""
        if compress is None:
            compress = not compressed(name)
        info = zipfile.ZipInfo(name, date_time=_now_for_zip())
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o600 << 16
        digest = hashlib.sha256()
        size = 0
        with self._zip.open(info, "w", force_zip64=True) as target:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        return Member(path=name, size=size, sha256=digest.hexdigest())

    def finish(self, manifest: dict) -> Path:
        text = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
        info = zipfile.ZipInfo(MANIFEST, date_time=_now_for_zip())
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        self._zip.writestr(info, text)
        self._zip.close()
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        os.replace(self.partial, self.path)
        return self.path

    def abort(self) -> None:
        for close in (self._zip.close, self._file.close):
            with contextlib.suppress(OSError, ValueError):
                close()
        self.partial.unlink(missing_ok=True)


def _now_for_zip() -> tuple[int, int, int, int, int, int]:
    return time.localtime()[:6]


class ArchiveReader:
    """An archive opened for restoring: its manifest read and its layout checked."""

    def __init__(self, path: Path):
        self.path = Path(path)
        if not self.path.is_file():
            raise BackupError(f"There is no file at {self.path}.")
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, EOFError) as error:
            raise BackupError(f"{self.path} is not a backup archive, or it is damaged "
                              "(it cannot be opened as a zip file).") from error
        try:
            self.manifest = self._read_manifest()
            self.database, self.files = self._members()
        except BackupError:
            self._zip.close()
            raise

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> ArchiveReader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _read_manifest(self) -> dict:
        try:
            raw = self._zip.read(MANIFEST)
        except KeyError as error:
            raise BackupError(f"{self.path} holds no {MANIFEST}: it is not a backup made by "
                              "`manage.py backup`, or it was not finished.") from error
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:
            raise BackupError(f"The manifest in {self.path} is damaged.") from error
        try:
            manifest = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise BackupError(f"The manifest in {self.path} is not valid JSON.") from error
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(f"{self.path} is not a Better Together backup.")
        version = manifest.get("format_version")
        if version != FORMAT_VERSION:
            raise BackupError(f"{self.path} is a backup of format {version!r}; this version "
                              f"of Better Together reads format {FORMAT_VERSION}. Restore it "
                              "with the version that made it, or a newer one.")
        return manifest

    def _members(self) -> tuple[Member, list[Member]]:
        try:
            database = _member(self.manifest["database"])
            files = [_member(entry) for entry in self.manifest["files"]]
            migrations = self.manifest["migrations"]
            vendor = self.manifest["database"]["vendor"]
        except (KeyError, TypeError, ValueError) as error:
            raise BackupError(f"The manifest in {self.path} is incomplete: {error}.") from error
        if not (isinstance(migrations, dict) and isinstance(vendor, str)
                and isinstance(self.manifest.get("app", {}), dict)
                and all(isinstance(names, list) and all(isinstance(n, str) for n in names)
                        for names in migrations.values())):
            raise BackupError(f"The manifest in {self.path} is incomplete.")
        if not database.path.startswith(DATABASE_PREFIX):
            raise BackupError(f"The manifest in {self.path} puts the database outside "
                              f"{DATABASE_PREFIX}.")
        for member in files:
            if not member.path.startswith(FILES_PREFIX):
                raise BackupError(f"The manifest in {self.path} lists {member.path!r} "
                                  f"outside {FILES_PREFIX}.")
        listed = {database.path, *(member.path for member in files)}
        if len(listed) != 1 + len(files):
            raise BackupError(f"The manifest in {self.path} lists a file twice.")
        present = {name for name in self._zip.namelist() if not name.endswith("/")}
        missing = sorted(listed - present)
        if missing:
            raise BackupError(f"{self.path} is incomplete: {_some(missing)} "
                              f"{'is' if len(missing) == 1 else 'are'} missing.")
        extra = sorted(present - listed - {MANIFEST})
        if extra:
            raise BackupError(f"{self.path} holds files its manifest does not list "
                              f"({_some(extra)}): it was changed after it was made.")
        return database, files

    def verify(self, member: Member, *, into: IO[bytes] | None = None) -> None:
        """Read a member whole, copying it `into` a file if given, and check its size and
        SHA-256 against the manifest (the zip's own CRC is checked on the way)."""
        digest = hashlib.sha256()
        size = 0
        try:
            with self._zip.open(member.path) as stream:
                while chunk := stream.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    if into is not None:
                        into.write(chunk)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as error:
            raise BackupError(f"{member.path} in {self.path} is damaged ({error}). Nothing "
                              "was restored.") from error
        if size != member.size or digest.hexdigest() != member.sha256:
            raise BackupError(f"{member.path} in {self.path} does not match its checksum in "
                              "the manifest: the archive is damaged or was changed. Nothing "
                              "was restored.")

    def open(self, member: Member) -> IO[bytes]:
        return self._zip.open(member.path)


def _member(entry: dict) -> Member:
    path, size, sha256 = entry["path"], entry["size"], entry["sha256"]
    if not isinstance(path, str) or not safe_path(path):
        raise ValueError(f"unsafe path {path!r}")
    if not isinstance(size, int) or size < 0:
        raise ValueError(f"bad size for {path}")
    if not isinstance(sha256, str) or len(sha256) != 64:
        raise ValueError(f"bad SHA-256 for {path}")
    return Member(path=path, size=size, sha256=sha256)


def _some(names: list[str]) -> str:
    shown = ", ".join(names[:3])
    return shown if len(names) <= 3 else f"{shown} and {len(names) - 3} more"
