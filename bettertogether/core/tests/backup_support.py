"""For the backup tests: fresh, empty databases to restore into, and fingerprints of a
database (every table's columns, row count and a hash of its rows in order; each
sequence's next value) and of a file storage (every file's SHA-256), to compare."""

from __future__ import annotations

import copy
import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.storage import Storage
from django.db import connections
from django.db.utils import load_backend

from bettertogether.core.backup.storage import walk


@pytest.fixture
def fresh_database(transactional_db, tmp_path):
    """`fresh_database()` adds a database alias pointing at a new, empty database (of the
    suite's vendor) and returns the alias; each is dropped when the test ends."""
    default = connections["default"]
    made: list[str] = []

    def make() -> str:
        alias = f"restored{len(made)}"
        settings_dict = copy.deepcopy(default.settings_dict)
        if default.vendor == "sqlite":
            settings_dict["NAME"] = str(tmp_path / f"{alias}.sqlite3")
        else:
            settings_dict["NAME"] = f"{default.settings_dict['NAME']}_{alias}"[:63]
            _postgres(default, f"DROP DATABASE IF EXISTS {_quoted(settings_dict)} WITH (FORCE)")
            _postgres(default, f"CREATE DATABASE {_quoted(settings_dict)}")
        # Registered as a connection, not in the settings: Django's test case lets a test
        # use such a connection without counting it among the test databases.
        connections[alias] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
            settings_dict, alias)
        made.append(alias)
        return alias

    yield make
    for alias in made:
        settings_dict = connections[alias].settings_dict
        connections[alias].close()
        del connections[alias]
        if default.vendor == "postgresql":
            _postgres(default, f"DROP DATABASE IF EXISTS {_quoted(settings_dict)} WITH (FORCE)")


def _quoted(settings_dict) -> str:
    return connections["default"].ops.quote_name(settings_dict["NAME"])


def _postgres(connection, sql: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql)


def tables_of(alias: str) -> list[str]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def database_fingerprint(alias: str) -> dict:
    """Every table: (columns, rows, SHA-256 of its rows in order); and every sequence."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    found: dict = {}
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if connection.vendor == "sqlite":
            tables.append("sqlite_sequence")  # AUTOINCREMENT's next ids
        for table in sorted(tables):
            cursor.execute(f"SELECT * FROM {quote(table)}")
            columns = tuple(column[0] for column in cursor.description)
            rows = sorted(repr(tuple(_plain(value) for value in row))
                          for row in cursor.fetchall())
            digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
            found[table] = (columns, len(rows), digest)
        if connection.vendor == "postgresql":
            cursor.execute("SELECT sequencename, last_value FROM pg_sequences "
                           "WHERE schemaname = current_schema()")
            found["sequences"] = dict(sorted(cursor.fetchall()))
    return found


def _plain(value):
    if isinstance(value, memoryview):
        return bytes(value)
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value


def files_fingerprint(storage: Storage) -> dict[str, str]:
    found = {}
    for name in walk(storage):
        with storage.open(name, "rb") as handle:
            found[name] = hashlib.sha256(handle.read()).hexdigest()
    return found


def rewrite(source: Path, target: Path, *, manifest=None, replace=None, drop=(), add=None):
    """A copy of an archive with its manifest changed by `manifest(dict)`, members replaced
    or dropped, or members added: how a damaged or altered archive looks."""
    replace, add = replace or {}, add or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in drop:
                continue
            data = old.read(info.filename)
            if info.filename == "manifest.json" and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            new.writestr(info.filename, replace.get(info.filename, data))
        for name, data in add.items():
            new.writestr(name, data)
    return target
