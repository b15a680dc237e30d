"""Every reference a record makes: the path of the field, the collection it points into,
and the id. ``load/check`` resolves them, as ``cache/audit`` does for what the cache hands
back; ``provenance`` follows them back (what refers to X), ``conversion`` and ``countries``
name the collection a bad value was meant to refer to."""

from __future__ import annotations

import functools
from collections.abc import Iterator

from .model import (
    Dispute,
    Event,
    Figure,
    Organisation,
    Participants,
    Pledge,
    Programme,
    ProgrammeCountry,
    Quote,
    Rate,
    Record,
    Speaker,
)

# Each record type's fields (data-file names) that refer to a collection, in the order
# ``references`` yields them; ``None`` marks a list of entries with references of their own.
# fmt: off
REFERENCE_FIELDS: dict[type[Record], tuple[tuple[str, str | None], ...]] = {
    Quote: (("source", "sources"),),
    Dispute: (("sources", "sources"),),
    Participants: (("source", "sources"),),
    Speaker: (("source", "sources"), ("organisation", "organisations")),
    ProgrammeCountry: (("country", "countries"), ("sources", "sources")),
    Organisation: (("sources", "sources"), ("part_of", "organisations"),
                   ("country", "countries")),
    Event: (("sources", "sources"), ("quotes", None), ("disputes", None),
            ("participants", None), ("speakers", None), ("country", "countries"),
            ("hosts", "organisations"), ("organisers", "organisations")),
    Pledge: (("sources", "sources"), ("quotes", None), ("disputes", None),
             ("by", "organisations"), ("with", "organisations"),
             ("signatories", "organisations"), ("to", "organisations"),
             ("made_at", "events"), ("programme", "programmes"), ("part_of", "pledges"),
             ("stage_sources", "sources")),
    Programme: (("sources", "sources"), ("lead", "organisations"),
                ("partners", "organisations"), ("funded_by", "pledges"), ("countries", None)),
    Figure: (("sources", "sources"), ("measured_by", "organisations"),
             ("reported_by", "organisations"), ("reported_at", "events"),
             ("conflicts_with", "figures")),
    Rate: (("sources", "sources"),),
}
# fmt: on

# Data-file names that are Python keywords, and the attribute that holds each.
ATTRIBUTES = {"with": "with_"}


@functools.cache
def reference_fields(record_type: type[Record]) -> tuple[tuple[str, str | None], ...]:
    """``REFERENCE_FIELDS`` of ``record_type`` or of the model type it derives from (the
    cache decodes into unchecked subclasses of the model's types: ``trusted``)."""
    for base in record_type.__mro__:
        if base in REFERENCE_FIELDS:
            return REFERENCE_FIELDS[base]
    return ()


def reference_target(record_type: type[Record], field: str) -> str | None:
    """The collection that ``field`` (its data-file name) of ``record_type`` refers to."""
    for name, target in reference_fields(record_type):
        if name == field:
            return target
    return None


def references(collection: str, record: Record) -> Iterator[tuple[tuple[str | int, ...], str, str]]:
    """(path, target collection, id) for every reference a record makes."""
    for name, target in reference_fields(type(record)):
        value = getattr(record, ATTRIBUTES.get(name, name))
        if target is None:
            for index, entry in enumerate(value):
                for path, inner, key in references(collection, entry):
                    yield (name, index, *path), inner, key
        elif isinstance(value, tuple):
            for index, key in enumerate(value):
                yield (name, index), target, key
        elif value is not None:
            yield (name,), target, value
