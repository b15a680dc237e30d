"""A record as a row, and what every listing does to rows: pick, sort, limit.

Rows are plain dicts whose keys are the JSON contract (DESIGN §5). Shared by every question
(``names``, ``listings``, ``money``, ``provenance``, ``timeline``); imports only the model.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import msgspec

from ..errors import UsageError, did_you_mean
from ..model import COLLECTIONS, Dataset, Record
from ..vocabulary import fold

Row = dict[str, Any]


def record_row(record: Record) -> Row:
    """Every field of a record under its data-file name, absent ones as null or []."""
    row: Row = {}
    # Text, numbers and lists of ids (most fields) directly: rows are built by the thousand.
    for (encode_name, _), value in zip(
        _field_names(type(record)), msgspec.structs.astuple(record), strict=True
    ):
        kind = type(value)
        if value is None or kind is str or kind is int:
            row[encode_name] = value
        elif kind is tuple:
            row[encode_name] = [v if type(v) is str else _builtin(v) for v in value]
        else:
            row[encode_name] = _builtin(value)
    return row


@functools.cache
def _field_names(record_type: type[Record]) -> tuple[tuple[str, str], ...]:
    """(data-file name, attribute name) of each field; msgspec re-reads annotations per call."""
    return tuple((f.encode_name, f.name) for f in msgspec.structs.fields(record_type))


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
    rows: list[Row],
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
    return rows


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
