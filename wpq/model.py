"""The typed, immutable records that the loader produces and every query reads.

These types are also the data-file format: the loader converts YAML into them, and
``wpq schema`` is generated from them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Annotated, Any, Literal, TypeVar, Union, get_args

import msgspec
from msgspec import Meta

T = TypeVar("T")

# One source for each vocabulary: the Literal types below; tuples derived from them.
OrgKind = Literal[
    "government",
    "company",
    "un-agency",
    "fund",
    "alliance",
    "ngo",
    "law-enforcement",
    "academic",
    "religious",
    "intergovernmental",
    "group",
]
EventKind = Literal["summit", "congress", "forum", "launch", "meeting", "milestone"]
# funding: new money a donor pledges; commitment: a promise to act; grant: money a fund pays
# out of its pool, which holds money already pledged by its donors (listed, never totalled).
PledgeKind = Literal["funding", "commitment", "grant"]
Evidence = Literal["stated", "inferred"]
Qualifier = Literal["over", "about", "nearly", "up to", "at least", "under"]

ORG_KINDS: tuple[str, ...] = get_args(OrgKind)
EVENT_KINDS: tuple[str, ...] = get_args(EventKind)
PLEDGE_KINDS: tuple[str, ...] = get_args(PledgeKind)


def whole_value(body: str) -> str:
    r"""``body`` as the whole value: msgspec matches with ``re.search``, where ``$`` also
    matches before a final line break (an id written as a ``|`` block). The lookahead means
    the same in JSON Schema's ECMA-262 regexes, which lack ``\Z``."""
    return f"^{body}(?!\\n)$"


ID_PATTERN = whole_value("[a-z0-9]+(-[a-z0-9]+)*")
DATE_PATTERN = whole_value("[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
ALPHA2_PATTERN = whole_value("[A-Z]{2}")
ALPHA3_PATTERN = whole_value("[A-Z]{3}")
# 10^15 major units is worth a billion dollars or more in any currency; below it a total of
# 10^13 amounts is exact in Decimal's 28 digits, and every number fits SQLite's and msgpack's
# 64-bit integers and a JavaScript double.
MAX_WHOLE = 10**15

Id = Annotated[str, Meta(pattern=ID_PATTERN, description="a lower-case slug: a-z, 0-9 and -")]
Date = Annotated[
    str,
    Meta(
        pattern=DATE_PATTERN,
        description="YYYY, YYYY-MM or YYYY-MM-DD: the precision the source gives",
    ),
]
CountryCode = Annotated[
    str, Meta(pattern=ALPHA2_PATTERN, description="ISO 3166-1 alpha-2 code, quoted")
]
CountryCode3 = Annotated[str, Meta(pattern=ALPHA3_PATTERN, description="ISO 3166-1 alpha-3 code")]
CurrencyCode = Annotated[str, Meta(pattern=ALPHA3_PATTERN, description="ISO 4217 currency code")]
Amount = Annotated[int, Meta(ge=0, le=MAX_WHOLE, description="whole major units: 50000000")]
Count = Annotated[int, Meta(ge=0, le=MAX_WHOLE)]
Whole = Annotated[int, Meta(ge=-MAX_WHOLE, le=MAX_WHOLE)]
Ids = tuple[Id, ...]
SourceIds = Annotated[tuple[Id, ...], Meta(min_length=1, description="ids of `sources` records")]
Text = Annotated[str, Meta(min_length=1)]


class Record(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True, kw_only=True
):
    """Base of every record and nested entry."""


class Source(Record, frozen=True, kw_only=True):
    id: Id
    title: Text
    publisher: Text
    url: str | None = None
    published: Date | None = None
    note: str | None = None


class Organisation(Record, frozen=True, kw_only=True):
    id: Id
    name: Text
    kind: OrgKind
    country: CountryCode | None = None
    aliases: tuple[Text, ...] = ()
    part_of: Id | None = None
    sources: Ids = ()
    note: str | None = None


class Country(Record, frozen=True, kw_only=True):
    code: CountryCode
    iso3: CountryCode3
    name: Text
    aliases: tuple[Text, ...] = ()


class Speaker(Record, frozen=True, kw_only=True):
    name: Text
    role: str | None = None
    organisation: Id | None = None
    source: Id | None = None


class Participants(Record, frozen=True, kw_only=True):
    """A head count as one source gives it ("more than 50 countries")."""

    what: Text
    count: Count
    qualifier: Qualifier | None = None
    source: Id | None = None
    note: str | None = None


class Quote(Record, frozen=True, kw_only=True):
    """Verbatim words, with who said them: the only place for copied text."""

    text: Text
    by: Text
    role: str | None = None
    source: Id


class Dispute(Record, frozen=True, kw_only=True):
    """Another source's value for one field of the record, kept beside ours."""

    field: Text
    value: Union[str, Whole]  # noqa: UP007 - msgspec needs the Union spelled out on 3.10
    sources: SourceIds
    note: str | None = None


class Event(Record, frozen=True, kw_only=True):
    id: Id
    name: Text
    kind: EventKind
    start: Date
    end: Date | None = None
    city: str | None = None
    country: CountryCode | None = None
    venue: str | None = None
    hosts: Ids = ()
    organisers: Ids = ()
    participants: tuple[Participants, ...] = ()
    speakers: tuple[Speaker, ...] = ()
    outcomes: tuple[Text, ...] = ()
    summary: str | None = None
    aliases: tuple[Text, ...] = ()
    quotes: tuple[Quote, ...] = ()
    disputes: tuple[Dispute, ...] = ()
    evidence: Evidence = "stated"
    note: str | None = None
    sources: SourceIds


class Pledge(Record, frozen=True, kw_only=True):
    id: Id
    by: Id
    with_: Ids = msgspec.field(default=(), name="with")
    kind: PledgeKind
    date: Date
    summary: Text
    made_at: Id | None = None
    amount: Amount | None = None
    currency: CurrencyCode | None = None
    to: Id | None = None
    programme: Id | None = None
    part_of: Id | None = None
    period: Union[str, Count, None] = None  # noqa: UP007
    evidence: Evidence = "stated"
    note: str | None = None
    quotes: tuple[Quote, ...] = ()
    disputes: tuple[Dispute, ...] = ()
    sources: SourceIds


class Region(Record, frozen=True, kw_only=True):
    id: Id
    name: Text
    note: str | None = None


class ProgrammeCountry(Record, frozen=True, kw_only=True):
    country: CountryCode
    region: Id | None = None
    notes: str | None = None
    evidence: Evidence = "stated"
    sources: Ids = ()


class Programme(Record, frozen=True, kw_only=True):
    id: Id
    name: Text
    lead: Id
    partners: Ids = ()
    aliases: tuple[Text, ...] = ()
    regions: tuple[Region, ...] = ()
    countries: tuple[ProgrammeCountry, ...] = ()
    start: Date | None = None
    end: Date | None = None
    funded_by: Ids = ()
    summary: str | None = None
    evidence: Evidence = "stated"
    note: str | None = None
    sources: SourceIds


class Figure(Record, frozen=True, kw_only=True):
    id: Id
    statement: Text
    value: Union[Whole, float]  # noqa: UP007
    unit: Text
    qualifier: Qualifier | None = None
    value_text: str | None = None
    period: str | None = None
    as_of: Date | None = None
    measured_by: Id | None = None
    reported_by: Id | None = None
    conflicts_with: Ids = ()
    evidence: Evidence = "stated"
    note: str | None = None
    sources: SourceIds


# Collection name -> record type, in the order files usually hold them.
COLLECTIONS: dict[str, type[Record]] = {
    "sources": Source,
    "organisations": Organisation,
    "countries": Country,
    "events": Event,
    "pledges": Pledge,
    "programmes": Programme,
    "figures": Figure,
}


def record_key(collection: str, record: Record) -> str:
    """The identifying value of a record: ``code`` for countries, ``id`` otherwise."""
    return str(getattr(record, "code" if collection == "countries" else "id"))


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


class Origin(msgspec.Struct, frozen=True):
    """Where a record was read: file, collection and position in that collection's list."""

    path: str
    collection: str
    index: int


class Dataset:
    """Every record of every loaded file, checked and cross-referenced; read-only.

    Two datasets are equal when they hold the same records, however they were loaded.
    (A plain class rather than a dataclass: building a dataclass costs half a millisecond
    at every start.)
    """

    sources: tuple[Source, ...]
    organisations: tuple[Organisation, ...]
    countries: tuple[Country, ...]
    events: tuple[Event, ...]
    pledges: tuple[Pledge, ...]
    programmes: tuple[Programme, ...]
    figures: tuple[Figure, ...]
    origins: dict[tuple[str, str], Origin]

    def __init__(
        self,
        sources: tuple[Source, ...] = (),
        organisations: tuple[Organisation, ...] = (),
        countries: tuple[Country, ...] = (),
        events: tuple[Event, ...] = (),
        pledges: tuple[Pledge, ...] = (),
        programmes: tuple[Programme, ...] = (),
        figures: tuple[Figure, ...] = (),
        origins: dict[tuple[str, str], Origin] | None = None,
    ) -> None:
        values = locals()
        for name in COLLECTIONS:
            object.__setattr__(self, name, tuple(values[name]))
        object.__setattr__(self, "origins", origins if origins is not None else {})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Dataset is read-only; use replace({name}=...)")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Dataset):
            return NotImplemented
        return all(self.collection(name) == other.collection(name) for name in COLLECTIONS)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        counts = ", ".join(f"{name}={len(self.collection(name))}" for name in COLLECTIONS)
        return f"Dataset({counts})"

    def replace(self, **collections: tuple[Record, ...]) -> Dataset:
        """A new dataset with some collections replaced (origins are not carried over)."""
        unknown = set(collections) - set(COLLECTIONS)
        if unknown:
            raise TypeError(f"not collections: {', '.join(sorted(unknown))}")
        fields: dict[str, Any] = {name: self.collection(name) for name in COLLECTIONS}
        fields.update(collections)
        return Dataset(**fields)

    def memo(self, key: str, build: Callable[[], T]) -> T:
        """A value derived from the records (an index, a table of names), built once."""
        memos: dict[str, Any] = self.__dict__.setdefault("_memos", {})
        if key not in memos:
            memos[key] = build()
        return memos[key]  # type: ignore[no-any-return]

    def collection(self, name: str) -> tuple[Record, ...]:
        records: tuple[Record, ...] = getattr(self, name)
        return records


class DataFile(Record, frozen=True, kw_only=True):
    """The shape of one data file: any of the collections, each a list of records.

    Used for ``wpq schema``; the loader converts record by record to report every problem.
    """

    sources: tuple[Source, ...] = ()
    organisations: tuple[Organisation, ...] = ()
    countries: tuple[Country, ...] = ()
    events: tuple[Event, ...] = ()
    pledges: tuple[Pledge, ...] = ()
    programmes: tuple[Programme, ...] = ()
    figures: tuple[Figure, ...] = ()
