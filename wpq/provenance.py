"""Where facts come from: one record in full (``show``), the sources, search, citations."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from .errors import UsageError
from .model import Dataset, Pledge, Record, record_key, references
from .names import match_kind
from .rows import COLLECTION_NAMES, Row, all_records, fold, record_row


def _label(record: Record) -> str:
    for name in ("name", "title", "statement", "summary"):
        value = getattr(record, name, None)
        if isinstance(value, str):
            return value
    return ""


def with_citations(ds: Dataset, rows: list[Row]) -> list[Row]:
    """Rows with a ``citations`` list: title, publisher and URL of each of their sources."""
    sources = {s.id: s for s in ds.sources}
    result = []
    for row in rows:
        cited = [sources[i] for i in row.get("sources") or [] if i in sources]
        citations = [
            {"id": s.id, "title": s.title, "publisher": s.publisher, "url": s.url} for s in cited
        ]
        result.append({**row, "citations": citations})
    return result


def find_record(ds: Dataset, key: str, collection: str | None = None) -> tuple[str, Record]:
    """The record whose id (or country code) is ``key``, in ``collection`` or any collection."""

    names = [collection] if collection else list(COLLECTION_NAMES)
    found = [
        (name, r)
        for name in names
        for r in ds.collection(name)
        if record_key(name, r) == key
        or (name == "countries" and record_key(name, r) == key.upper())
    ]
    if len(found) == 1:
        return found[0]
    if found:
        where = ", ".join(name for name, _ in found)
        raise UsageError(f"'{key}' is an id in several collections ({where}); add --in COLLECTION")
    every = {record_key(n, r): n for n, r in all_records(ds) if not collection or n == collection}
    import difflib  # only on the way to an error

    close = difflib.get_close_matches(key, list(every), n=3)
    hint = "; did you mean " + ", ".join(close) + "?" if close else ""
    raise UsageError(f"no record with id '{key}'{hint}")


def referenced_by(ds: Dataset, collection: str, key: str) -> list[Row]:
    """Every record that refers to ``collection``/``key``, with the field that does."""
    rows = []
    for name, record in all_records(ds):
        for path, target, value in references(name, record):
            if target == collection and value == key:
                field = ".".join(str(p) for p in path if not isinstance(p, int))
                rows.append(
                    {
                        "collection": name,
                        "id": record_key(name, record),
                        "field": field,
                        "label": _label(record),
                    }
                )
    return rows


def citations(ds: Dataset, ids: Iterable[str]) -> list[Row]:
    """The ``sources`` records of ``ids`` as rows, each once, in order."""
    sources = {s.id: s for s in ds.sources}
    return [record_row(sources[i]) for i in dict.fromkeys(ids) if i in sources]


def show(ds: Dataset, key: str, collection: str | None = None) -> Row:
    """One record in full, its sources and everything that refers to it."""

    if collection:
        collection = match_kind(collection, COLLECTION_NAMES, "collection")
    name, record = find_record(ds, key, collection)
    row = record_row(record)
    cited = list(row.get("sources") or [])
    for nested in ("quotes", "disputes", "participants", "speakers", "countries"):
        for entry in row.get(nested) or []:
            if isinstance(entry, dict):
                cited += [entry["source"]] if entry.get("source") else []
                cited += list(entry.get("sources") or [])
    shown: Row = {
        "collection": name,
        "id": record_key(name, record),
        "record": row,
        "sources": citations(ds, cited),
        "referenced_by": referenced_by(ds, name, record_key(name, record)),
    }
    if isinstance(record, Pledge) and record.amount is not None:
        from .money import pledge_money  # only a pledge with money needs the ledger

        shown["money"] = pledge_money(ds, record)  # its tranches, remainder and measures
    return shown


def money_fields(shown: Row) -> list[tuple[str, Any]]:
    """The money of a shown pledge as more fields: its tranches, remainder and measures."""
    money = shown.get("money") or {}
    return [(k, v) for k, v in money.items() if k not in ("amount", "currency")]


def source_rows(ds: Dataset) -> list[Row]:
    """Each source with the records that cite it (directly or in a quote, dispute or entry)."""
    users: dict[str, list[str]] = defaultdict(list)
    for name, record in all_records(ds):
        for _path, target, value in references(name, record):
            if target == "sources":
                label = f"{name}/{record_key(name, record)}"
                if label not in users[value]:
                    users[value].append(label)
    rows = []
    for source in ds.sources:
        row = record_row(source)
        row["used_by_count"] = len(users[source.id])
        row["used_by"] = users[source.id]
        rows.append(row)
    return rows


def search(ds: Dataset, text: str, collection: str | None = None) -> list[Row]:
    """Records any of whose text fields contains ``text`` (case and accents ignored)."""

    wanted = fold(text)
    if not wanted:
        raise UsageError("search needs some text")
    if collection:
        collection = match_kind(collection, COLLECTION_NAMES, "collection")
    rows = []
    for name, record in all_records(ds):
        if collection and name != collection:
            continue
        hit = _first_hit(record_row(record), wanted)
        if hit:
            field, value = hit
            rows.append(
                {
                    "collection": name,
                    "id": record_key(name, record),
                    "label": _label(record),
                    "field": field,
                    "text": value,
                }
            )
    return rows


def _first_hit(value: Any, wanted: str, path: str = "") -> tuple[str, str] | None:
    if isinstance(value, str):
        return (path, value) if wanted in fold(value) else None
    if isinstance(value, dict):
        items: Iterable[tuple[str, Any]] = value.items()
    elif isinstance(value, list):
        items = ((str(i), v) for i, v in enumerate(value))
    else:
        return None
    for key, item in items:
        found = _first_hit(item, wanted, f"{path}.{key}" if path else key)
        if found:
            return found
    return None
