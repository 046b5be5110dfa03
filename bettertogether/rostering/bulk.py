"""Inserting and updating many rows without building a model instance for each.

A district roster writes tens of thousands of classes, roles and profile links; Django's
`bulk_create` spends most of its time compiling SQL per row. `insert_rows` sends plain
multi-row INSERT statements (up to a thousand rows each, within the database's limit on
parameters), or COPY on PostgreSQL, and `update_rows` one UPDATE with many parameter
sets. Values go through each field's `get_db_prep_save`, as the ORM would do, and fields
left out get their model default, so the rows are the ones `bulk_create` would write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection
from django.db.models.constants import OnConflict

CHUNK = 5000
ROWS_PER_STATEMENT = 1000
_PREPARED_TYPES = {"DateTimeField", "DateField", "JSONField", "DecimalField", "UUIDField"}


def _chunks(rows: Iterable, size: int = CHUNK):
    iterator = iter(rows)
    while chunk := list(islice(iterator, size)):
        yield chunk


def insert_rows(model, fields: Sequence[str], rows: Iterable[Sequence], *,
                ignore_conflicts: bool = False) -> None:
    """Insert `rows` (tuples in the order of `fields`, by attname) into `model`'s table."""
    meta = model._meta
    given = [meta.get_field(name) for name in fields]
    defaults = [f for f in meta.concrete_fields if not f.primary_key and f not in given]
    columns = [f.column for f in (*given, *defaults)]
    default_values = tuple(_prepare(f, f.get_default()) for f in defaults)
    preparers = [(at, f) for at, f in enumerate(given) if f.get_internal_type() in
                 _PREPARED_TYPES]
    if connection.vendor == "postgresql":
        _copy_rows(meta.db_table, columns, rows, preparers, default_values,
                   ignore_conflicts=ignore_conflicts)
        return
    ops = connection.ops
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    quoted = ", ".join(ops.quote_name(c) for c in columns)
    placeholders = f"({', '.join(['%s'] * len(columns))})"
    per_statement = max(1, min(ROWS_PER_STATEMENT,
                               (connection.features.max_query_params or 65535) // len(columns)))
    head = (f"{ops.insert_statement(on_conflict=on_conflict)} {ops.quote_name(meta.db_table)} "
            f"({quoted}) VALUES ")
    tail = f" {ops.on_conflict_suffix_sql(given, on_conflict, [], [])}".rstrip()
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, per_statement):
            if preparers:
                chunk = [_prepared_row(row, preparers) for row in chunk]
            params = [value for row in chunk for value in (*row, *default_values)]
            cursor.execute(head + ", ".join([placeholders] * len(chunk)) + tail, params)


def _copy_rows(table: str, columns: list[str], rows, preparers, default_values, *,
               ignore_conflicts: bool) -> None:
    """PostgreSQL's COPY: far cheaper per row than any INSERT. Rows that may already be
    there go through a temporary table and `ON CONFLICT DO NOTHING`."""
    quote = connection.ops.quote_name
    quoted = ", ".join(quote(c) for c in columns)
    target = quote(table)
    with connection.cursor() as cursor:
        if ignore_conflicts:
            staging = quote(f"staging_{table}")
            cursor.execute(f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS "  # noqa: S608
                           f"SELECT {quoted} FROM {target} WITH NO DATA")
            into = staging
        else:
            into = target
        with cursor.cursor.copy(f"COPY {into} ({quoted}) FROM STDIN") as copy:
            for chunk in _chunks(rows):
                if preparers:
                    chunk = [_prepared_row(row, preparers) for row in chunk]
                for row in chunk:
                    copy.write_row((*row, *default_values))
        if ignore_conflicts:
            cursor.execute(f"INSERT INTO {target} ({quoted}) "  # noqa: S608
                           f"SELECT {quoted} FROM {staging} ON CONFLICT DO NOTHING")
            cursor.execute(f"DROP TABLE {staging}")


def update_rows(model, fields: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Update rows given as (values in the order of `fields`…, pk)."""
    meta = model._meta
    given = [meta.get_field(name) for name in fields]
    preparers = [(at, f) for at, f in enumerate(given) if f.get_internal_type() in
                 _PREPARED_TYPES]
    ops = connection.ops
    assignments = ", ".join(f"{ops.quote_name(f.column)} = %s" for f in given)
    # Only the model's own table and column names are written into the SQL; every value
    # is a parameter.
    sql = (f"UPDATE {ops.quote_name(meta.db_table)} SET {assignments} "  # noqa: S608
           f"WHERE {ops.quote_name(meta.pk.column)} = %s")
    with connection.cursor() as cursor:
        for chunk in _chunks(rows):
            if preparers:
                chunk = [_prepared_row(row, preparers) for row in chunk]
            cursor.executemany(sql, chunk)


def _prepared_row(row: Sequence, preparers) -> tuple:
    row = list(row)
    for at, field in preparers:
        row[at] = _prepare(field, row[at])
    return tuple(row)


def _prepare(field, value):
    return field.get_db_prep_save(value, connection)
