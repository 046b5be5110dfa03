"""`manage.py backup` and `manage.py restore`: one archive with the database and every file,
restored whole into an empty server, and refused — with nothing changed — when the archive
is damaged or altered, of another database, from newer migrations, or the server is not
empty. (The restore of the whole demo: `test_backup_demo.py`.)"""

import hashlib
import io
import json
import os
import re
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import CommandError, call_command
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from bettertogether.core.backup.archive import BackupError
from bettertogether.core.backup.create import backup_create
from bettertogether.core.backup.migrations import applied
from bettertogether.core.backup.restore import backup_restore
from bettertogether.directory.models import Organisation, Person
from bettertogether.rostering.models import ImportRun
from bettertogether.testing import factories as f

from .backup_support import (
    database_fingerprint,
    files_fingerprint,
    rewrite,
    tables_of,
)

# The backup tools read committed rows (pg_dump is another session), so every test commits.
pytestmark = pytest.mark.django_db(transaction=True)

FILES = {
    "rosters/0a1b.zip": b"PK\x05\x06" + bytes(18),
    "evidence/7/5f2e/sample.png": b"\x89PNG\r\n\x1a\n" + bytes(64),
    "reports/report-12.pdf": b"%PDF-1.7\n" + b"x" * 3000,
}


@pytest.fixture
def server(cast, settings, tmp_path):
    """The cast's world and a file of each kind in the app's storage."""
    settings.MEDIA_ROOT = tmp_path / "media"
    for name, data in FILES.items():
        default_storage.save(name, ContentFile(data))
    ImportRun.objects.create(network=cast.network, started_by=cast.admin, kind="oneroster",
                             filename="roster.zip", status="done", upload="rosters/0a1b.zip")
    return cast


@pytest.fixture
def archive(server, tmp_path):
    path = tmp_path / "backup.zip"
    backup_create(path)
    return path


@pytest.fixture
def empty_storage(tmp_path):
    return FileSystemStorage(location=tmp_path / "restored-media")


def _unchanged(alias, storage):
    """The restore target as a fresh server is: no tables at all, no files."""
    return tables_of(alias) == [] and files_fingerprint(storage) == {}


# --- a backup and its restore -------------------------------------------------------------


def test_restore_into_an_empty_server_gives_back_every_row_and_file(
        server, archive, fresh_database, empty_storage):
    target = fresh_database()

    done = backup_restore(archive, using=target, storage=empty_storage)

    assert database_fingerprint(target) == database_fingerprint("default")
    assert files_fingerprint(empty_storage) == files_fingerprint(default_storage)
    assert set(files_fingerprint(empty_storage)) == set(FILES)
    assert (done.files, done.migrated, done.replaced) == (3, [], False)
    assert Person.objects.using(target).get(pk=server.coach.pk).email == "coach@riverside.test"


def test_restored_database_goes_on_from_the_same_ids(server, archive, fresh_database,
                                                     empty_storage):
    target = fresh_database()
    backup_restore(archive, using=target, storage=empty_storage)

    here = f.PersonFactory()
    there = Person.objects.using(target).create(email="new@riverside.test", full_name="New")

    assert there.pk == here.pk  # the restored sequences continue where the backup's were


def test_archive_holds_the_database_the_files_and_a_manifest(server, archive):
    with zipfile.ZipFile(archive) as zipped:
        names = sorted(zipped.namelist())
        manifest = json.loads(zipped.read("manifest.json"))

    vendor = connections["default"].vendor
    dump = "database/postgresql.dump" if vendor == "postgresql" else "database/sqlite3.db"
    assert names == sorted([dump, "manifest.json", *(f"files/{n}" for n in FILES)])
    assert manifest["format"] == "bettertogether-backup"
    assert manifest["format_version"] == 1
    assert manifest["app"]["name"] == "bettertogether"
    assert manifest["database"]["vendor"] == vendor
    assert manifest["database"]["path"] == dump
    assert manifest["migrations"] == applied(connections["default"])
    assert "0003_import_run_upload_deleted" in manifest["migrations"]["rostering"]
    assert manifest["created_at"].endswith("+00:00")
    assert sorted(manifest["files"], key=lambda m: m["path"]) == [
        {"path": f"files/{name}", "size": len(data), "sha256": _sha256(data)}
        for name, data in sorted(FILES.items())]


def test_archive_is_readable_by_its_owner_only(archive):
    assert os.stat(archive).st_mode & 0o777 == 0o600


def test_backup_refuses_to_write_over_a_file(server, tmp_path):
    path = tmp_path / "taken.zip"
    path.write_bytes(b"something else")

    with pytest.raises(BackupError, match=r"taken\.zip already exists"):
        backup_create(path)

    assert path.read_bytes() == b"something else"


def test_backup_into_a_missing_folder_says_so(server, tmp_path):
    with pytest.raises(BackupError, match=r"There is no folder .*nowhere to write the backup"):
        backup_create(tmp_path / "nowhere" / "backup.zip")


def test_backup_refuses_to_write_into_the_file_storage(server, settings):
    with pytest.raises(BackupError, match=r"is inside the file storage .* write it somewhere"):
        backup_create(settings.MEDIA_ROOT / "backup.zip")

    assert set(files_fingerprint(default_storage)) == set(FILES)


def test_failed_backup_leaves_no_archive(server, tmp_path, monkeypatch):
    def broken(storage, name, mode="rb"):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(FileSystemStorage, "open", broken)

    with pytest.raises(BackupError, match=r"Cannot read .* from the file storage"):
        backup_create(tmp_path / "backup.zip")

    assert sorted(p.name for p in tmp_path.iterdir()) == ["media"]


# --- what restore refuses ------------------------------------------------------------------


def test_restore_refuses_a_database_that_is_not_empty(server, archive, empty_storage):
    before = database_fingerprint("default")

    with pytest.raises(BackupError) as refused:
        backup_restore(archive, storage=empty_storage)

    assert refused.value.message == (
        f"This server is not empty: it holds {Person.objects.count()} people, "
        f"{Organisation.objects.count()} organisations and 0 files. A restore replaces "
        "everything, so it goes into an empty database and file storage. Restore there, or "
        "add --force to replace what is here. Nothing was changed.")
    assert database_fingerprint("default") == before
    assert files_fingerprint(empty_storage) == {}


def test_restore_refuses_a_file_storage_that_is_not_empty(archive, fresh_database,
                                                         empty_storage):
    target = fresh_database()
    empty_storage.save("left-over.txt", ContentFile(b"mine"))

    with pytest.raises(BackupError, match="it holds 0 people, 0 organisations and 1 file"):
        backup_restore(archive, using=target, storage=empty_storage)

    assert tables_of(target) == []
    assert files_fingerprint(empty_storage) == {"left-over.txt": _sha256(b"mine")}


def test_restore_takes_a_freshly_migrated_database_as_empty(server, archive, fresh_database,
                                                            empty_storage):
    """A database migrated but never used (built-in rows only) holds nobody: restored into
    without --force, and what the migrations made is replaced by the archive's."""
    target = fresh_database()
    backup_restore(archive, using=target, storage=empty_storage)
    Person.objects.using(target).all().delete()
    Organisation.objects.using(target).exclude(kind="network").delete()
    Organisation.objects.using(target).all().delete()
    for name in list(files_fingerprint(empty_storage)):
        empty_storage.delete(name)

    backup_restore(archive, using=target, storage=empty_storage)

    assert database_fingerprint(target) == database_fingerprint("default")


def test_restore_with_force_replaces_the_database_and_the_files(
        server, archive, fresh_database, empty_storage):
    target = fresh_database()
    backup_restore(archive, using=target, storage=empty_storage)
    Person.objects.using(target).create(email="later@riverside.test", full_name="Later")
    empty_storage.save("later.txt", ContentFile(b"later"))
    empty_storage.delete("reports/report-12.pdf")
    asked = []

    done = backup_restore(archive, using=target, storage=empty_storage, force=True,
                          confirm=lambda question: asked.append(question) or True)

    assert asked == [f"This replaces everything on this server ({Person.objects.count() + 1} "
                     f"people, {Organisation.objects.count()} organisations and 3 files) with "
                     "the backup. Continue?"]
    assert done.replaced
    assert database_fingerprint(target) == database_fingerprint("default")
    assert files_fingerprint(empty_storage) == files_fingerprint(default_storage)


def test_restore_with_force_answered_no_changes_nothing(server, archive, empty_storage):
    before = database_fingerprint("default")

    with pytest.raises(BackupError, match=r"Restore cancelled; nothing was changed\."):
        backup_restore(archive, storage=empty_storage, force=True, confirm=lambda q: False)

    assert database_fingerprint("default") == before


def _manifest_with(change):
    def edit(manifest):
        change(manifest)
        return manifest
    return edit


def _files_entry(manifest, path):
    return next(m for m in manifest["files"] if m["path"] == path)


@pytest.mark.parametrize(("damage", "message"), [
    ("garbage", re.escape("is not a backup archive, or it is damaged (it cannot be opened "
                          "as a zip file).")),
    ("truncated", "is not a backup archive, or it is damaged"),
    ("no manifest", "holds no manifest.json: it is not a backup made by `manage.py backup`, "
                    "or it was not finished."),
    ("not json", "is not valid JSON."),
    ("not ours", "is not a Better Together backup."),
    ("future format", "is a backup of format 2; this version of Better Together reads "
                      "format 1."),
    ("changed file", "files/reports/report-12.pdf in .* does not match its checksum in the "
                     "manifest: the archive is damaged or was changed. Nothing was restored."),
    ("changed database", "database/.* does not match its checksum in the manifest"),
    ("missing file", "is incomplete: files/evidence/7/5f2e/sample.png is missing."),
    ("added file", "holds files its manifest does not list \\(files/extra.txt\\): it was "
                   "changed after it was made."),
    ("escaping path", "is incomplete: unsafe path 'files/../../etc/cron.d/x'"),
    ("bad migrations", "The manifest in .* is incomplete."),
    ("other vendor", "This archive holds a .* database and this server uses .* "
                     "\\(DATABASE_URL\\). A backup restores to the same kind of database it "
                     "came from. Nothing was changed."),
])
def test_restore_refuses_a_damaged_or_altered_archive(archive, fresh_database, empty_storage,
                                                     tmp_path, damage, message):
    bad = tmp_path / "bad.zip"
    dump = next(n for n in zipfile.ZipFile(archive).namelist() if n.startswith("database/"))
    other = "sqlite" if connections["default"].vendor == "postgresql" else "postgresql"
    if damage == "garbage":
        bad.write_bytes(b"this is not a zip at all")
    elif damage == "truncated":
        bad.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    elif damage == "no manifest":
        rewrite(archive, bad, drop={"manifest.json"})
    elif damage == "not json":
        rewrite(archive, bad, replace={"manifest.json": b"{nope"})
    elif damage == "not ours":
        rewrite(archive, bad, manifest=_manifest_with(lambda m: m.update(format="other")))
    elif damage == "future format":
        rewrite(archive, bad, manifest=_manifest_with(lambda m: m.update(format_version=2)))
    elif damage == "changed file":
        rewrite(archive, bad, replace={"files/reports/report-12.pdf": b"%PDF-1.7\nforged"})
    elif damage == "changed database":
        data = zipfile.ZipFile(archive).read(dump)
        rewrite(archive, bad, replace={dump: data[:-1] + bytes([data[-1] ^ 1])})
    elif damage == "missing file":
        rewrite(archive, bad, drop={"files/evidence/7/5f2e/sample.png"})
    elif damage == "added file":
        rewrite(archive, bad, add={"files/extra.txt": b"extra"})
    elif damage == "escaping path":
        rewrite(archive, bad, manifest=_manifest_with(lambda m: _files_entry(
            m, "files/reports/report-12.pdf").update(path="files/../../etc/cron.d/x")))
    elif damage == "bad migrations":
        rewrite(archive, bad, manifest=_manifest_with(lambda m: m.update(migrations={"x": 1})))
    elif damage == "other vendor":
        rewrite(archive, bad, manifest=_manifest_with(
            lambda m: m["database"].update(vendor=other)))
    target = fresh_database()

    with pytest.raises(BackupError, match=message):
        backup_restore(bad, using=target, storage=empty_storage)

    assert _unchanged(target, empty_storage)


def test_restore_refuses_an_archive_from_newer_migrations(server, fresh_database, tmp_path,
                                                          empty_storage):
    """A newer version's database: its migration table lists a migration this code lacks."""
    recorder = MigrationRecorder(connections["default"])
    recorder.record_applied("rostering", "0099_from_the_future")
    try:
        backup_create(tmp_path / "newer.zip")
    finally:
        recorder.record_unapplied("rostering", "0099_from_the_future")
    target = fresh_database()

    with pytest.raises(BackupError) as refused:
        backup_restore(tmp_path / "newer.zip", using=target, storage=empty_storage)

    assert refused.value.message == (
        "This archive comes from a newer version of Better Together: its database has "
        "migrations this code does not (rostering.0099_from_the_future). Restore it with the "
        "version that made it, or a newer one. Nothing was changed.")
    assert _unchanged(target, empty_storage)


def test_restore_migrates_an_archive_from_older_migrations(server, archive, fresh_database,
                                                           tmp_path, empty_storage):
    """An older version's backup: made here from a database one migration behind."""
    older_db = fresh_database()
    backup_restore(archive, using=older_db, storage=empty_storage)
    call_command("migrate", "rostering", "0002", database=older_db, verbosity=0)
    backup_create(tmp_path / "older.zip", using=older_db, storage=empty_storage)
    target = fresh_database()
    storage = FileSystemStorage(location=tmp_path / "target-media")
    log = []

    done = backup_restore(tmp_path / "older.zip", using=target, storage=storage,
                          log=log.append)

    assert done.migrated == ["rostering.0003_import_run_upload_deleted"]
    assert "Applying 1 migration newer than the backup…" in log
    assert applied(connections[target]) == applied(connections["default"])
    run = ImportRun.objects.using(target).get()
    assert (run.upload, run.upload_deleted_at, run.upload_deleted_because) == (
        "rosters/0a1b.zip", None, "")
    assert Person.objects.using(target).count() == Person.objects.count()


# --- the commands ----------------------------------------------------------------------------


def test_backup_and_restore_commands(server, tmp_path, fresh_database, settings):
    path = tmp_path / "by-command.zip"
    out = io.StringIO()

    call_command("backup", str(path), stdout=out)

    assert path.exists()
    assert out.getvalue().splitlines()[-1].startswith(
        f"Backed up the {_vendor()} database (")
    assert "and 3 files (3 KB) to " in out.getvalue()
    target = fresh_database()
    settings.MEDIA_ROOT = tmp_path / "restored-by-command"
    out = io.StringIO()

    call_command("restore", str(path), database=target, stdout=out)

    assert out.getvalue().splitlines()[-1].startswith(
        f"Restored the {_vendor()} database and 3 files of the backup made ")
    assert database_fingerprint(target) == database_fingerprint("default")


def test_restore_command_says_what_is_wrong(server, archive):
    with pytest.raises(CommandError, match="This server is not empty: it holds 6 people, "):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_restore_command_with_force_and_no_input_asks_nothing(server, archive, settings,
                                                             tmp_path, monkeypatch):
    def no_questions(prompt=""):
        raise AssertionError("asked")

    monkeypatch.setattr("builtins.input", no_questions)
    out = io.StringIO()

    call_command("restore", str(archive), force=True, interactive=False, stdout=out)

    assert "Restored the " in out.getvalue()
    assert Person.objects.filter(pk=server.coach.pk).exists()


def _vendor() -> str:
    return {"postgresql": "PostgreSQL", "sqlite": "SQLite"}[connections["default"].vendor]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
