"""What a query may look records up by, so it touches only the records that can match.

Each collection names the fields a filter narrows by (a pledge's donor, co-signers,
recipient, programme, event, parent, kind, currency and year; an event's years, kind,
country and hosts; every record's id). A plain ``Dataset`` builds these indexes in memory
on first use; the cache (``cache/policy.py``) stores them when it is filled, so a warm query reads
the positions of its candidates and decodes only those records.

Indexes only narrow: a query still applies every filter to the records it gets back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import Dataset

# field -> the index values of one record (a record may have several, or none)
Keys = Callable[[Any], Iterable[str]]


def _one(name: str) -> Keys:
    def keys(record: Any) -> Iterable[str]:
        value = getattr(record, name)
        return () if value is None else (str(value),)

    return keys


def _each(name: str) -> Keys:
    return lambda record: getattr(record, name)


def _year(record: Any) -> Iterable[str]:
    return (record.date[:4],)


def _years(record: Any) -> Iterable[str]:
    """Every year an event spans: ``--year`` selects the events overlapping it."""
    first = int(record.start[:4])
    last = int((record.end or record.start)[:4])
    return (str(year) for year in range(first, max(first, last) + 1))


KEYS: dict[str, dict[str, Keys]] = {
    "sources": {"id": _one("id")},
    "organisations": {"id": _one("id"), "part_of": _one("part_of")},
    "countries": {"code": _one("code")},
    "events": {
        "id": _one("id"),
        "year": _years,
        "kind": _one("kind"),
        "country": _one("country"),
        "hosts": _each("hosts"),
    },
    "pledges": {
        "id": _one("id"),
        "by": _one("by"),
        "money_by": lambda pledge: () if pledge.amount is None else (pledge.by,),
        "with": _each("with_"),
        "signatories": _each("signatories"),
        "to": _one("to"),
        "programme": _one("programme"),
        "made_at": _one("made_at"),
        "part_of": _one("part_of"),
        "kind": _one("kind"),
        "currency": _one("currency"),
        "year": _year,
    },
    "programmes": {"id": _one("id")},
    "figures": {"id": _one("id")},
    "rates": {"id": _one("id")},
}


def build(records: Sequence[Any], keys: Keys) -> dict[str, list[int]]:
    """value -> the positions (in order) of the records that have it."""
    index: dict[str, list[int]] = {}
    for position, record in enumerate(records):
        for value in dict.fromkeys(keys(record)):
            index.setdefault(value, []).append(position)
    return index


def positions(
    ds: Dataset, collection: str, criteria: Mapping[str, Iterable[str] | None]
) -> list[int] | None:
    """Positions of the records matching every criterion (any of its values), in order;
    None when no criterion is given (every record is a candidate)."""
    chosen: set[int] | None = None
    for field, values in criteria.items():
        if values is None:
            continue
        index = ds.index(collection, field)
        found = {p for value in dict.fromkeys(values) for p in index.get(value, ())}
        chosen = found if chosen is None else chosen & found
        if not chosen:
            return []
    return sorted(chosen) if chosen is not None else None


def select(ds: Dataset, collection: str, **criteria: Iterable[str] | None) -> Sequence[Any]:
    """The records of ``collection`` that can match: those with any of the given values in
    every field named (a criterion of None is ignored), in the collection's order."""
    found = positions(ds, collection, criteria)
    if found is None:
        return ds.collection(collection)
    return ds.records_at(collection, found)
