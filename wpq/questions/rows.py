"""A record as a row, and what every listing does to rows: pick, sort, limit.

Rows are plain dicts whose keys are the JSON contract (DESIGN §5). Shared by every question
(``names``, ``listings``, ``money``, ``provenance``, ``timeline``); imports only the model.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, overload

import msgspec

from ..errors import UsageError, did_you_mean
from ..model import COLLECTIONS, Dataset, Record, tuple_fields
from ..vocabulary import fold

Row = dict[str, Any]


def record_row(record: Record) -> Row:
    """Every field of a record under its data-file name, absent ones as null or []."""
    return record_rows((record,))[0]


def record_rows(
    records: Sequence[Record], first: Sequence[str] = (), after: Sequence[Row] | None = None
) -> list[Row]:
    """``record_row`` of each of ``records`` (all of one type), built in bulk: msgspec turns
    them into dicts of the fields each has, in C; the fields it leaves out (at their
    defaults) come from a template, in the order of the type's fields. ``first`` names keys
    to put before the fields (null until the caller sets them; a field named there keeps
    that place); ``after`` holds, per record, keys to add after them."""
    if not records:
        return []
    template, lists = _shape(type(records[0]), tuple(first))
    rows: list[Row] = []
    for start in range(0, len(records), _CHUNK):  # msgspec's dicts freed chunk by chunk
        found = msgspec.to_builtins(records[start : start + _CHUNK])
        if after is None:
            rows.extend({**template, **f} for f in found)
        else:
            more = after[start : start + _CHUNK]
            rows.extend({**template, **f, **a} for f, a in zip(found, more, strict=True))
    for row in rows:
        for name in lists:  # msgspec keeps tuples: each row gets lists of its own
            value = row[name]
            if not value:
                row[name] = []
            elif type(value[0]) is str:  # ids, names: a field holds one kind of item
                row[name] = list(value)
            else:  # entries, as dicts (their own lists still tuples)
                row[name] = [_builtin(v) for v in value]
    return rows


_CHUNK = 1024


class Built(Sequence[Row]):
    """Rows made from records a chunk at a time, when they are asked for: a listing written
    as it is made (JSON, JSON Lines: ``render.text.json_pieces``) never holds all its rows,
    each a dict of every field, at once. ``build(start, stop)`` makes the rows of records
    ``start`` to ``stop``; the chunk made last is kept, any other made again when asked for,
    so a caller that changes rows takes ``list()`` of them first. Whatever ``build`` reads
    from a cache file, it reads for the first chunk (read before anything is written): a
    file found untrustworthy later would have the question asked again after rows were
    written (``money.gather_tranches`` looks up every pledge's tranches first)."""

    def __init__(
        self,
        count: int,
        build: Callable[[int, int], list[Row]],
        encoded: Callable[[int, int], list[Any]] | None = None,
    ) -> None:
        self._count, self._build, self._encoded = count, build, encoded
        self._kept: tuple[int, int, list[Row]] = (0, 0, [])

    def encoded(self) -> Sequence[Any]:
        """The same rows as an encoder takes them (``encoded``, when given: msgspec Structs
        whose JSON is each row's, made without a dict per row), for JSON alone."""
        return Built(self._count, self._encoded) if self._encoded else self

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> Row: ...

    @overload
    def __getitem__(self, index: slice) -> list[Row]: ...

    def __getitem__(self, index: int | slice) -> Row | list[Row]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._count)
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            return self._rows(start, max(start, stop))
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError(index)
        first = index - index % _CHUNK
        return self._rows(first, min(first + _CHUNK, self._count))[index - first]

    def __iter__(self) -> Iterator[Row]:
        for start in range(0, self._count, _CHUNK):
            yield from self._rows(start, min(start + _CHUNK, self._count))

    def _rows(self, start: int, stop: int) -> list[Row]:
        if self._kept[:2] != (start, stop):
            self._kept = (start, stop, self._build(start, stop))
        return self._kept[2]


@functools.cache
def _shape(record_type: type[Record], first: tuple[str, ...]) -> tuple[Row, tuple[str, ...]]:
    """A row of ``record_type``'s defaults (None where a field is required, or a list: set
    per row), keys ``first`` first; and the names of the fields that hold lists."""
    template: Row = dict.fromkeys(first)
    lists = []
    tuples = tuple_fields(record_type)
    for field in msgspec.structs.fields(record_type):
        default = None if field.default is msgspec.NODEFAULT else field.default
        if field.name in tuples:
            lists.append(field.encode_name)
            default = None
        template[field.encode_name] = default
    return template, tuple(lists)


def _builtin(value: Any) -> Any:
    """A JSON-like value: lists for tuples (msgspec keeps tuples), dicts for nested entries."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, msgspec.Struct):
        value = msgspec.to_builtins(value)
    if isinstance(value, dict):
        return {k: _builtin(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_builtin(v) for v in value]
    return value


def year_of(date: str) -> int:
    """The year of a ``YYYY[-MM[-DD]]`` date."""
    return int(date[:4])


def pick(
    rows: Sequence[Row],
    *,
    fields: Sequence[str] | None = None,
    sort: str | None = None,
    desc: bool = False,
    limit: int | None = None,
    valid: Sequence[str] = (),
    order: Mapping[str, tuple[str | None, str]] | None = None,
) -> list[Row]:
    """Sort by a field (nulls last), cut to ``limit`` rows, keep only ``fields`` in that order.

    ``order`` may say how a field sorts: ``{"amount": ("currency", "amount")}`` sorts amounts
    within each currency (currencies in order, whatever ``desc``), ``(None,
    "converted_amount")`` by another field.
    """
    known = list(valid) or (list(rows[0]) if rows else [])
    for name in [*(fields or ()), *([sort] if sort else [])]:
        if name not in known:
            hint = did_you_mean(name, known)
            hint = f" ({hint})" if hint else ""
            raise UsageError(f"unknown field '{name}'{hint}; fields: {', '.join(known)}")
    if sort:
        group, on = (order or {}).get(sort, (None, sort))
        present = [r for r in rows if r.get(on) is not None]
        missing = [r for r in rows if r.get(on) is None]
        present.sort(key=lambda r: _sort_key(r[on]), reverse=desc)
        if group:  # stable: within each group the order above stays
            present.sort(key=lambda r: (r.get(group) is None, _sort_key(r.get(group) or "")))
        rows = present + missing
    if limit is not None:
        rows = rows[:limit]
    if fields:
        rows = [{name: row.get(name) for name in fields} for row in rows]
    return rows if isinstance(rows, list) else list(rows)


def _sort_key(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, fold(str(value)))


COLLECTION_NAMES = tuple(COLLECTIONS)


def all_records(ds: Dataset) -> Iterable[tuple[str, Record]]:
    """Every record of the dataset with its collection name, collection by collection."""
    for name in COLLECTION_NAMES:
        for record in ds.collection(name):
            yield name, record
