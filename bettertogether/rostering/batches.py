"""Sizes and helpers the roster writer's parts share."""

from itertools import islice

BATCH = 1000  # rows per bulk INSERT
CHUNK = 900  # ids per IN (…) list, well under every database's limit


def in_chunks(items, size=CHUNK):
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def pk_of(ref):
    """A row's id, whether `ref` is the id already or a row (saved by now)."""
    return ref if isinstance(ref, int) else ref.pk


def pk_or_none(ref):
    return None if ref is None else pk_of(ref)


def pk_if_stored(ref):
    """The pk of a stored row, or a marker that never equals a stored pk for a new one."""
    if ref is None or isinstance(ref, int):
        return ref
    return ref.pk if ref.pk is not None else -1
