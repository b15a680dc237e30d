"""How far to trust what a row shows: the record behind a row of any listing, its sources,
and whether it carries a dispute or an inferred fact (``--disputed``, ``--inferred``,
``wpq show``'s flags). One generic walk over a record, so every listing filters alike.

What counts, anywhere in the record (its nested entries included):

- **disputed**: a ``disputes`` entry (another source's value for one of its fields), or,
  for a figure, ``conflicts_with`` (another figure that disagrees with it);
- **inferred**: ``evidence: inferred`` on the record or on one of its entries (a
  programme's country, and any entry that later carries its own evidence).

A row of ``countries`` is a programme's country entry: its own evidence and its
programme's count. Sources, organisations and countries carry neither.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from ..model import Dataset, Record
from ..references import references
from .rows import Row, record_row

# The collection whose records a listing's rows show (by their ``id``); ``search`` and
# ``timeline`` rows name their own, a ``countries`` row is an entry of a programme.
LISTING_COLLECTIONS = {
    "events": "events",
    "funding": "pledges",
    "pledges": "pledges",
    "figures": "figures",
    "sources": "sources",
    "organisations": "organisations",
    "programmes": "programmes",
    "countries": "programmes",
}


def find(ds: Dataset, collection: str, key: str) -> Record | None:
    """The record of ``collection`` whose id (or country code) is ``key``, if any."""
    field = "code" if collection == "countries" else "id"
    found = ds.index(collection, field).get(key)
    return ds.records_at(collection, found[:1])[0] if found else None


def record_of(ds: Dataset, listing: str, row: Row) -> tuple[str, Record] | None:
    """The collection and record a listing's row shows (for ``countries``, the programme
    whose entry it is), or None for a row that shows no record."""
    if listing == "search":
        collection = str(row.get("collection"))
    elif listing == "timeline":
        collection = "events" if row.get("type") == "event" else "pledges"
    else:
        collection = LISTING_COLLECTIONS.get(listing, "")
    key = row.get("programme") if listing == "countries" else row.get("id")
    if not collection or not isinstance(key, str):
        return None
    record = find(ds, collection, key)
    return None if record is None else (collection, record)


def record_sources(collection: str, record: Record) -> list[str]:
    """Every source a record cites, in order, each once: its own ``sources``, then those of
    its quotes, disputes, head counts, speakers and entries."""
    found = (value for _, target, value in references(collection, record) if target == "sources")
    return list(dict.fromkeys(found))


def row_sources(ds: Dataset, listing: str, row: Row) -> list[str]:
    """The sources behind a row: its record's (a country entry's own, as its row says)."""
    if listing == "countries":
        return list(row.get("sources") or [])
    found = record_of(ds, listing, row)
    return record_sources(*found) if found else list(row.get("sources") or [])


def flags(record: Record | Row) -> list[Row]:
    """What in a record is disputed or inferred, one entry each: ``flag`` (disputed or
    inferred), ``field`` (the field, or an entry such as ``countries[PH]``; null for the
    record as a whole), and for a dispute the other ``value``, its ``sources`` and ``note``."""
    data = record if isinstance(record, dict) else record_row(record)
    found: list[Row] = []
    for dispute in data.get("disputes") or []:
        found.append(
            {
                "flag": "disputed",
                "field": dispute.get("field"),
                "value": dispute.get("value"),
                "sources": list(dispute.get("sources") or []),
                "note": dispute.get("note"),
            }
        )
    if data.get("conflicts_with"):
        found.append(
            {
                "flag": "disputed",
                "field": "value",
                "value": None,
                "sources": [],
                "note": "conflicts with " + ", ".join(data["conflicts_with"]),
            }
        )
    for path, entry in _entries(data):
        if entry.get("evidence") == "inferred":
            note = (entry.get("note") or entry.get("notes")) if path else data.get("note")
            found.append(
                {"flag": "inferred", "field": path, "value": None, "sources": [], "note": note}
            )
    return found


def _entries(value: Any, path: str | None = None) -> Iterator[tuple[str | None, Row]]:
    """The record (path None) and every mapping nested in it, with a readable path:
    ``countries[PH]``, ``speakers[2]``."""
    if isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            inner = key if path is None else f"{path}.{key}"
            if isinstance(item, list):
                for index, entry in enumerate(item):
                    if isinstance(entry, dict):
                        label = entry.get("country") or entry.get("id") or index
                        yield from _entries(entry, f"{inner}[{label}]")
            elif isinstance(item, dict):
                yield from _entries(item, inner)


def is_disputed(record: Record | Row) -> bool:
    return any(f["flag"] == "disputed" for f in flags(record))


def is_inferred(record: Record | Row) -> bool:
    return any(f["flag"] == "inferred" for f in flags(record))


def keep(
    ds: Dataset,
    listing: str,
    rows: Sequence[Row],
    *,
    disputed: bool = False,
    inferred: bool = False,
) -> list[Row]:
    """The rows whose record carries a dispute (``disputed``) and an inferred fact
    (``inferred``): each filter given must hold, as every other filter."""
    if not (disputed or inferred):
        return list(rows)
    kept = []
    for row in rows:
        found = record_of(ds, listing, row)
        checked: list[Record | Row] = [found[1]] if found else []
        if listing == "countries":
            checked.append({"evidence": row.get("evidence")})  # the entry the row shows
        if disputed and not any(is_disputed(r) for r in checked):
            continue
        if inferred and not any(_inferred_here(listing, r) for r in checked):
            continue
        kept.append(row)
    return kept


def _inferred_here(listing: str, record: Record | Row) -> bool:
    """A country row's programme counts by its own evidence only: another country's entry
    being inferred says nothing about this one."""
    if listing == "countries" and not isinstance(record, dict):
        return getattr(record, "evidence", "stated") == "inferred"
    return is_inferred(record)


def keep_records(
    records: Sequence[Any], *, disputed: bool = False, inferred: bool = False
) -> list[Any]:
    """``keep`` for typed records (the pledges ``funding --summary`` groups)."""
    return [
        r for r in records if (not disputed or is_disputed(r)) and (not inferred or is_inferred(r))
    ]
