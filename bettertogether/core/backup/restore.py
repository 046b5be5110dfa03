"""Restoring a backup: every check first, then the database, the files and the migrations.

What is refused, with nothing changed:

- a file that is not a whole, unaltered archive of ours (not a zip, no manifest, a member
  missing, added, or not matching its size and SHA-256);
- an archive of another kind of database than this server's;
- an archive from newer migrations than this code's (restore it with that version);
- a server that is not empty — a database holding any person or organisation, or a file
  storage holding any file — unless `force` is given: then everything there is replaced.

An archive from older migrations is restored as it is and then migrated forward.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import Storage, default_storage
from django.core.management import call_command
from django.db import connections

from . import database, migrations
from .archive import FILES_PREFIX, ArchiveReader, BackupError
from .storage import delete_all, put, walk


@dataclass(frozen=True)
class Restored:
    vendor: str
    created_at: str
    app_version: str
    files: int
    replaced: bool
    migrated: list[str]
    seconds: float


def backup_restore(path: Path, *, using: str = "default", storage: Storage | None = None,
                   force: bool = False, confirm: Callable[[str], bool] | None = None,
                   log: Callable[[str], None] = lambda message: None) -> Restored:
    """Restore the archive at `path` into the database `using` and the file storage.

    `confirm(question)`, when given, is asked before anything that is there is replaced
    (only with `force`); answering no changes nothing."""
    started = time.monotonic()
    storage = storage or default_storage
    connection = connections[using]
    engine = database.for_connection(connection)
    with ArchiveReader(Path(path)) as archive:
        manifest = archive.manifest
        app = manifest.get("app", {})
        log(f"Backup of {manifest.get('created_at', 'an unknown time')} by Better Together "
            f"{app.get('version', '?')}: a {database.vendor_name(manifest['database']['vendor'])}"
            f" database and {counted(len(archive.files), 'file')}.")
        standing = _check_fits(manifest, engine)
        here = _what_is_here(engine, storage, force)
        log("Checking every file of the archive against its checksum…")
        with tempfile.TemporaryDirectory(prefix="bt-restore-") as folder:
            dump = Path(folder) / Path(archive.database.path).name
            with dump.open("wb") as copy:
                archive.verify(archive.database, into=copy)
            for member in archive.files:
                archive.verify(member)
            engine.check_dump(dump)
            if here and confirm is not None and not confirm(
                    f"This replaces everything on this server ({here}) with the backup. "
                    "Continue?"):
                raise BackupError("Restore cancelled; nothing was changed.")
            log("Restoring the database…")
            engine.restore(dump)
        ContentType.objects.clear_cache()
        if here:
            delete_all(storage)
        log(f"Restoring {counted(len(archive.files), 'file')}…")
        for member in archive.files:
            with archive.open(member) as stream:
                put(storage, member.path.removeprefix(FILES_PREFIX), stream)
    if standing.pending:
        log(f"Applying {counted(len(standing.pending), 'migration')} newer than the backup…")
        call_command("migrate", database=using, interactive=False, verbosity=0)
    return Restored(vendor=engine.vendor, created_at=str(manifest.get("created_at", "")),
                    app_version=str(app.get("version", "")), files=len(archive.files),
                    replaced=bool(here), migrated=standing.pending,
                    seconds=time.monotonic() - started)


def _check_fits(manifest: dict, engine) -> migrations.Standing:
    vendor = manifest["database"]["vendor"]
    if vendor != engine.vendor:
        raise BackupError(
            f"This archive holds a {database.vendor_name(vendor)} database and this server "
            f"uses {database.vendor_name(engine.vendor)} (DATABASE_URL). A backup restores "
            "to the same kind of database it came from. Nothing was changed.")
    standing = migrations.standing(manifest["migrations"])
    if standing.newer:
        shown = ", ".join(standing.unknown[:5])
        more = f" and {len(standing.unknown) - 5} more" if len(standing.unknown) > 5 else ""
        raise BackupError(
            f"This archive comes from a newer version of Better Together: its database has "
            f"migrations this code does not ({shown}{more}). Restore it with the version "
            "that made it, or a newer one. Nothing was changed.")
    return standing


def _what_is_here(engine, storage: Storage, force: bool) -> str:
    """What a restore would replace, in words ("" when the server is empty); refused
    without `force`."""
    people, organisations = engine.holdings()
    files = sum(1 for _name in walk(storage))
    if not (people or organisations or files):
        return ""
    here = (f"{people} {'person' if people == 1 else 'people'}, "
            f"{counted(organisations, 'organisation')} and {counted(files, 'file')}")
    if not force:
        raise BackupError(
            f"This server is not empty: it holds {here}. A restore replaces everything, so "
            "it goes into an empty database and file storage. Restore there, or add --force "
            "to replace what is here. Nothing was changed.")
    return here


def counted(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
