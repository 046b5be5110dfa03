"""Each database vendor's own way to copy a whole database out and back in.

PostgreSQL: `pg_dump --format=custom` (compressed, and read back by `pg_restore`, which
checks it) and `pg_restore` in a single transaction, so a restore that fails half-way
leaves no half-restored tables. Both are run with the connection settings Django uses,
the password passed in the environment, never on the command line. `pg_dump` must be at
least as new as the server (Debian: the `postgresql-client` package of that version).

SQLite: the online backup API of Python's `sqlite3` module, page by page, consistent even
while the app writes (the database is in WAL mode); restoring copies the archive's database
over the connection's whole, schema included.
"""

from __future__ import annotations

import abc
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.backends.postgresql.client import DatabaseClient
from psycopg.conninfo import make_conninfo

from bettertogether.directory.models import Organisation

from .archive import BackupError

VENDORS = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}


def vendor_name(vendor: str) -> str:
    return VENDORS.get(vendor, vendor)


def for_connection(connection):
    if connection.vendor == "postgresql":
        return PostgreSQL(connection)
    if connection.vendor == "sqlite":
        return SQLite(connection)
    raise BackupError(f"Backups are made of PostgreSQL and SQLite databases; this one is "
                      f"{connection.vendor}.")


class Database(abc.ABC):
    vendor = ""
    dump_name = ""

    def __init__(self, connection):
        self.connection = connection

    def holdings(self) -> tuple[int, int]:
        """(people, organisations) the database holds; (0, 0) when it has no tables yet.

        A database is empty for a restore when it holds neither: everything anyone made
        hangs off a person or an organisation, and a freshly migrated database (with only
        the built-in kinds of support, templates and resources) holds none."""
        tables = set(self.connection.introspection.table_names())
        people, organisations = (
            model._base_manager.using(self.connection.alias).count()
            if model._meta.db_table in tables else 0
            for model in (get_user_model(), Organisation))
        return people, organisations

    @abc.abstractmethod
    def describe(self) -> dict:
        """Each database's own tools (see the subclasses)."""

    @abc.abstractmethod
    def dump(self, path: Path) -> None:
        """Each database's own tools (see the subclasses)."""

    @abc.abstractmethod
    def check_dump(self, path: Path) -> None:
        """Refuse a dump this server's tools cannot read, before anything is changed."""

    @abc.abstractmethod
    def restore(self, path: Path) -> None:
        """Each database's own tools (see the subclasses)."""


class PostgreSQL(Database):
    vendor = "postgresql"
    dump_name = "database/postgresql.dump"

    def describe(self) -> dict:
        version = self.connection.pg_version  # e.g. 150020
        return {"vendor": self.vendor,
                "server_version": f"{version // 10000}.{version % 10000}",
                "tool": _run([_tool("pg_dump"), "--version"]).strip()}

    def _command(self, tool: str, *args: str) -> tuple[list[str], dict]:
        settings = self.connection.settings_dict
        _args, env = DatabaseClient.settings_to_cmd_args_env(settings, [])
        options = settings.get("OPTIONS", {})
        parts = {key: value for key, value in {
            "dbname": settings.get("NAME") or None,
            "host": settings.get("HOST") or None,
            "port": str(settings["PORT"]) if settings.get("PORT") else None,
            "user": settings.get("USER") or None,
            "service": options.get("service"),
        }.items() if value}
        return ([_tool(tool), "--no-password", f"--dbname={make_conninfo(**parts)}", *args],
                env or {})

    def dump(self, path: Path) -> None:
        command, env = self._command("pg_dump", "--format=custom", f"--file={path}")
        _run(command, env=env)

    def check_dump(self, path: Path) -> None:
        try:
            _run([_tool("pg_restore"), "--list", str(path)])
        except BackupError as error:
            raise BackupError(f"This server's pg_restore cannot read the archive's database "
                              f"dump; nothing was changed. {error.message}") from error

    def restore(self, path: Path) -> None:
        self._drop_everything()
        command, env = self._command(
            "pg_restore", "--single-transaction", "--exit-on-error", "--no-owner",
            "--no-privileges", str(path))
        try:
            _run(command, env=env)
        except BackupError as error:
            raise BackupError(f"pg_restore failed, so the database is now empty: "
                              f"{error.message}") from error

    def _drop_everything(self) -> None:
        """Drop every table, view and sequence in the app's schema, in one transaction:
        a restore replaces the database whole, whatever migrations it was at."""
        kinds = {"r": "TABLE", "p": "TABLE", "f": "FOREIGN TABLE", "v": "VIEW",
                 "m": "MATERIALIZED VIEW", "S": "SEQUENCE"}
        quote = self.connection.ops.quote_name
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname, c.relkind FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind = ANY(%s) "
                "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid "
                "AND d.deptype IN ('a', 'i'))",
                [list(kinds)])
            for name, kind in cursor.fetchall():
                cursor.execute(f"DROP {kinds[kind]} IF EXISTS {quote(name)} CASCADE")


class SQLite(Database):
    vendor = "sqlite"
    dump_name = "database/sqlite3.db"

    def describe(self) -> dict:
        return {"vendor": self.vendor, "server_version": sqlite3.sqlite_version,
                "tool": f"Python sqlite3 backup API (SQLite {sqlite3.sqlite_version})"}

    def _raw(self) -> sqlite3.Connection:
        self.connection.ensure_connection()
        return self.connection.connection

    def dump(self, path: Path) -> None:
        target = sqlite3.connect(path)
        try:
            self._raw().backup(target)
        finally:
            target.close()

    def check_dump(self, path: Path) -> None:
        source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            result = source.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise BackupError(f"The archive's database is not a readable SQLite database "
                              f"({error}); nothing was changed.") from error
        finally:
            source.close()
        if result != "ok":
            raise BackupError(f"The archive's SQLite database fails its check ({result}); "
                              "nothing was changed.")

    def restore(self, path: Path) -> None:
        source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            source.backup(self._raw())
        finally:
            source.close()
        self.connection.close()


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed here. Install PostgreSQL's client tools "
                          "of the server's version (Debian: postgresql-client).")
    return found


def _run(command: list[str], env: dict | None = None) -> str:
    full_env = {**os.environ, **(env or {})}
    try:
        # The tool is found on PATH by name; its arguments are settings and paths, as list
        # items, never through a shell.
        result = subprocess.run(command, env=full_env, capture_output=True, text=True,  # noqa: S603
                                check=False)
    except OSError as error:
        raise BackupError(f"Could not run {Path(command[0]).name}: {error.strerror}."
                          ) from error
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        said = " ".join(detail[-3:]) or "no message"
        raise BackupError(f"{Path(command[0]).name} stopped: {said}")
    return result.stdout
