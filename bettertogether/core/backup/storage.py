"""The app's files, walked through Django's storage API.

Every uploaded or generated file lives in the default storage: the local filesystem under
MEDIA_ROOT unless an S3-compatible store is configured. Going through the API rather than
the folder means a backup reads, and a restore writes, whichever storage is configured.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.core.files import File
from django.core.files.storage import Storage

from .archive import BackupError


def walk(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file's name in the storage, folders first-to-last in name order."""
    try:
        folders, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    prefix = f"{folder}/" if folder else ""
    for name in sorted(names):
        yield f"{prefix}{name}"
    for sub in sorted(folders):
        yield from walk(storage, f"{prefix}{sub}")


def delete_all(storage: Storage) -> int:
    deleted = 0
    for name in list(walk(storage)):
        storage.delete(name)
        deleted += 1
    return deleted


def put(storage: Storage, name: str, stream) -> None:
    """Write one file under exactly its name (the storage is empty, or was emptied)."""
    saved = storage.save(name, File(stream, name=name))
    if saved != name:
        storage.delete(saved)
        raise BackupError(f"The file storage would not keep {name} under its own name "
                          f"(it chose {saved}); is another process writing to it?")
