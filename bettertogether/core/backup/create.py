"""Making a backup: the database first, then the files, then the manifest.

The database is copied first, as one consistent snapshot; the files after it. A file that
is uploaded while the backup runs may then be in the archive without its row (harmless: no
page points to it), and one deleted meanwhile (a roster file whose import finished) is left
out, where its row already says it is gone. The other order would leave rows pointing to
files the archive does not hold.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import django
from django.core.files.storage import Storage, default_storage
from django.db import connections
from django.utils import timezone

from . import database, migrations
from .archive import FILES_PREFIX, FORMAT, FORMAT_VERSION, ArchiveWriter, BackupError, Member
from .storage import walk


@dataclass(frozen=True)
class BackupMade:
    path: Path
    vendor: str
    database_bytes: int
    files: int
    file_bytes: int
    skipped: list[str]
    seconds: float


def app_version() -> str:
    try:
        return metadata.version("bettertogether")
    except metadata.PackageNotFoundError:
        return "unknown"


def backup_create(path: Path, *, using: str = "default", storage: Storage | None = None,
                  log: Callable[[str], None] = lambda message: None) -> BackupMade:
    """Write the database and every stored file to a new archive at `path`."""
    started = time.monotonic()
    storage = storage or default_storage
    connection = connections[using]
    engine = database.for_connection(connection)
    created_at = timezone.now()
    _refuse_inside(storage, Path(path))
    writer = ArchiveWriter(Path(path))
    try:
        described = engine.describe()
        applied = migrations.applied(connection)
        log(f"Copying the {database.vendor_name(engine.vendor)} database…")
        with tempfile.TemporaryDirectory(prefix="bt-backup-") as folder:
            dump = Path(folder) / Path(engine.dump_name).name
            engine.dump(dump)
            with dump.open("rb") as stream:
                db_member = writer.add(engine.dump_name, stream,
                                       compress=engine.vendor == "sqlite")
        log("Copying the files…")
        files, skipped = _add_files(writer, storage)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": created_at.isoformat(),
            "app": {"name": "bettertogether", "version": app_version(),
                    "django": django.get_version()},
            "database": {**described, **db_member.as_dict()},
            "migrations": applied,
            "files": [member.as_dict() for member in files],
        }
        writer.finish(manifest)
    except BaseException:
        writer.abort()
        raise
    return BackupMade(path=writer.path, vendor=engine.vendor, database_bytes=db_member.size,
                      files=len(files), file_bytes=sum(member.size for member in files),
                      skipped=skipped, seconds=time.monotonic() - started)


def _refuse_inside(storage: Storage, path: Path) -> None:
    """An archive written into the storage would be copied into itself."""
    try:
        root = Path(storage.path("")).resolve()
    except NotImplementedError:  # a remote storage: nothing on this disk is inside it
        return
    if path.resolve().is_relative_to(root):
        raise BackupError(f"{path} is inside the file storage ({root}), which the backup "
                          "copies: write it somewhere else.")


def _add_files(writer: ArchiveWriter, storage: Storage) -> tuple[list[Member], list[str]]:
    files: list[Member] = []
    skipped: list[str] = []
    for name in walk(storage):
        try:
            stream = storage.open(name, "rb")
        except FileNotFoundError:
            skipped.append(name)  # deleted since the folder was listed
            continue
        except OSError as error:
            raise BackupError(f"Cannot read {name} from the file storage: {error}.") from error
        with stream:
            files.append(writer.add(f"{FILES_PREFIX}{name}", stream))
    return files, skipped
