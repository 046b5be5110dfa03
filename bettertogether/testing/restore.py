"""Loading the migrated database's built-in rows back after a flushing test, quickly.

A test that commits (the browser tests, the race tests) ends with the tables emptied, and
the built-in rows the data migrations installed (kinds of support, cycle templates,
conversation resources, content types, permissions) are loaded back from the copy Django
keeps of the migrated database (`_test_serialized_contents`). Django's own loader saves
those few hundred rows one at a time, two statements each; this one reads the copy once per
process and writes each table's rows in one statement, skipping rows already there (the
copy is also loaded before each such test, when the rows are usually still in place).
"""

from __future__ import annotations

from collections import defaultdict

from django.core import serializers
from django.db import transaction
from django.db.backends.base.creation import BaseDatabaseCreation

_parsed: dict[tuple[str, int], dict] = {}


def _rows_by_model(alias: str, data: str) -> dict:
    key = (alias, hash(data))
    if key not in _parsed:
        found: dict = defaultdict(list)  # in the copy's order: a table after those it needs
        for saved in serializers.deserialize("json", data, using=alias):
            if any(saved.m2m_data.values()):
                raise ValueError("The migrated database's copy holds many-to-many rows: "
                                 "load it with Django's own loader.")
            found[type(saved.object)].append(saved.object)
        _parsed[key] = dict(found)
    return _parsed[key]


def restore(connection, data: str) -> None:
    """What `deserialize_db_from_string` does, a table at a time."""
    alias = connection.alias
    rows = _rows_by_model(alias, data)
    with transaction.atomic(using=alias), connection.constraint_checks_disabled():
        for model, objects in rows.items():
            model._base_manager.using(alias).bulk_create(objects, ignore_conflicts=True)
    connection.check_constraints(table_names=[model._meta.db_table for model in rows])


def install() -> None:
    """Every test database loads its copy with `restore`, and PostgreSQL empties its tables
    with DELETE (called once, as the suite starts)."""
    BaseDatabaseCreation.deserialize_db_from_string = (
        lambda creation, data: restore(creation.connection, data))
    try:
        from django.db.backends.postgresql.operations import DatabaseOperations
    except ImportError:  # no PostgreSQL driver: the suite runs on SQLite only
        return
    truncate = DatabaseOperations.sql_flush

    def sql_flush(ops, style, tables, *, reset_sequences=False, allow_cascade=False):
        """The flush between tests, as DELETE: TRUNCATE makes new files for every table
        and waits on the disk, which a test's few rows never need. The flush runs in one
        transaction and the foreign keys are checked at its end, so the order is free."""
        if reset_sequences or allow_cascade:
            return truncate(ops, style, tables, reset_sequences=reset_sequences,
                            allow_cascade=allow_cascade)
        return [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(ops.quote_name(table))};"
                for table in tables]

    DatabaseOperations.sql_flush = sql_flush


def reset_databases() -> None:
    """Empty every test database and load its built-in rows back (after a flushing test,
    or a module of browser checks that committed a world of its own)."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connections

    for connection in connections.all(initialized_only=False):
        contents = getattr(connection, "_test_serialized_contents", None)
        if not contents:
            continue
        # Sequences go on from where they were, as Django's own flush between tests leaves
        # them: reset, the next row would take a built-in's id.
        call_command("flush", verbosity=0, interactive=False, database=connection.alias,
                     inhibit_post_migrate=True, reset_sequences=False)
        ContentType.objects.clear_cache()
        restore(connection, contents)
