"""Every reference a record makes: the path of the field, the collection it points into,
and the id. ``check`` resolves them, ``provenance`` follows them back (what refers to X)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from .model import Country, Event, Figure, Organisation, Pledge, Programme, Record, Source


def references(collection: str, record: Record) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """(path, target collection, id) for every reference a record makes."""

    def each(field: str, target: str, values: Iterable[str | None]) -> Iterator[Any]:
        for index, value in enumerate(values):
            if value is not None:
                yield (field, index), target, value

    def one(field: str, target: str, value: str | None) -> Iterator[Any]:
        if value is not None:
            yield (field,), target, value

    sources = getattr(record, "sources", ())
    yield from each("sources", "sources", sources)
    for name in ("quotes", "disputes", "participants", "speakers"):
        for index, entry in enumerate(getattr(record, name, ())):
            for field, target in (("source", "sources"), ("organisation", "organisations")):
                value = getattr(entry, field, None)
                if value is not None:
                    yield (name, index, field), target, value
            for sub, value in enumerate(getattr(entry, "sources", ())):
                yield (name, index, "sources", sub), "sources", value
    if isinstance(record, Organisation):
        yield from one("part_of", "organisations", record.part_of)
        yield from one("country", "countries", record.country)
    elif isinstance(record, Event):
        yield from one("country", "countries", record.country)
        yield from each("hosts", "organisations", record.hosts)
        yield from each("organisers", "organisations", record.organisers)
    elif isinstance(record, Pledge):
        yield from one("by", "organisations", record.by)
        yield from each("with", "organisations", record.with_)
        yield from each("signatories", "organisations", record.signatories)
        yield from one("to", "organisations", record.to)
        yield from one("made_at", "events", record.made_at)
        yield from one("programme", "programmes", record.programme)
        yield from one("part_of", "pledges", record.part_of)
    elif isinstance(record, Programme):
        yield from one("lead", "organisations", record.lead)
        yield from each("partners", "organisations", record.partners)
        yield from each("funded_by", "pledges", record.funded_by)
        for index, entry in enumerate(record.countries):
            yield ("countries", index, "country"), "countries", entry.country
            for sub, value in enumerate(entry.sources):
                yield ("countries", index, "sources", sub), "sources", value
    elif isinstance(record, Figure):
        yield from one("measured_by", "organisations", record.measured_by)
        yield from one("reported_by", "organisations", record.reported_by)
        yield from each("conflicts_with", "figures", record.conflicts_with)
    elif isinstance(record, (Source, Country)):
        pass
