"""The typed, immutable records that the loader produces and every query reads.

These types are also the data-file format: the loader converts YAML into them, and
``wpq schema`` is generated from them.
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

import msgspec
from msgspec import Meta

from .values import (
    VISIBLE_PATTERN,
    Amount,
    Count,
    CountryCode,
    CountryCode3,
    CurrencyCode,
    Date,
    Id,
    Ids,
    SourceIds,
    Text,
    Whole,
)
from .vocabulary import EVENT_KINDS as EVENT_KINDS
from .vocabulary import ORG_KINDS as ORG_KINDS
from .vocabulary import PLEDGE_KINDS as PLEDGE_KINDS
from .vocabulary import (
    EventKindField,
    EvidenceField,
    OrgKindField,
    PledgeKindField,
    QualifierField,
    StageField,
)

T = TypeVar("T")


class Record(
    msgspec.Struct, frozen=True, forbid_unknown_fields=True, omit_defaults=True, kw_only=True
):
    """Base of every record and nested entry."""


class Source(Record, frozen=True, kw_only=True):
    """A document a fact comes from. ``url`` is where we read it; when that is a copy on
    another site, ``original_*`` name who first published it, when, and where."""

    id: Id
    title: Text
    publisher: Text
    author: Text | None = None
    url: str | None = None
    published: Date | None = None
    original_publisher: Text | None = None
    original_published: Date | None = None
    original_url: str | None = None
    note: str | None = None


class Organisation(Record, frozen=True, kw_only=True):
    id: Id
    name: Text
    short_name: Text | None = None  # what the sources call it for short, for narrow tables
    kind: OrgKindField
    country: CountryCode | None = None
    aliases: tuple[Text, ...] = ()
    part_of: Id | None = None
    sources: Ids = ()
    note: str | None = None


class Country(Record, frozen=True, kw_only=True):
    """A country in the dataset: each one a record names, from ISO 3166-1 and the files'
    ``countries`` entries (``CountryEntry``)."""

    code: CountryCode
    iso3: CountryCode3
    name: Text
    aliases: tuple[Text, ...] = ()


class CountryEntry(Record, frozen=True, kw_only=True):
    """What a file adds to an ISO 3166-1 country (any valid alpha-2 code is a country
    without one): a display name, aliases."""

    code: CountryCode
    iso3: CountryCode3 | None = None
    name: (
        Annotated[
            str,
            Meta(
                min_length=1,
                pattern=VISIBLE_PATTERN,
                description="display name; default: ISO 3166-1's name",
            ),
        ]
        | None
    ) = None
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
    qualifier: QualifierField | None = None
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
    kind: EventKindField
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
    evidence: EvidenceField = "stated"
    note: str | None = None
    sources: SourceIds


class Pledge(Record, frozen=True, kw_only=True):
    id: Id
    by: Id
    with_: Ids = msgspec.field(default=(), name="with")
    signatories: Annotated[
        Ids,
        Meta(
            description="organisations a source names as signing or endorsing the text the "
            "pledge is about; may differ from who made the pledge (`by`, `with`)"
        ),
    ] = ()
    kind: PledgeKindField
    date: Date
    summary: Text
    made_at: Id | None = None
    amount: Amount | None = None
    currency: CurrencyCode | None = None
    to: Id | None = None
    programme: Id | None = None
    part_of: Id | None = None
    period: Union[str, Count, None] = None  # noqa: UP007
    stage: StageField = "announced"
    stage_date: Annotated[
        Date | None,
        Meta(description="when the money reached its stage, if a source says (YYYY[-MM[-DD]])"),
    ] = None
    stage_evidence: EvidenceField = "stated"
    stage_note: str | None = None
    stage_sources: Annotated[
        Ids, Meta(description="ids of the `sources` that say the money reached its stage")
    ] = ()
    evidence: EvidenceField = "stated"
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
    evidence: EvidenceField = "stated"
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
    evidence: EvidenceField = "stated"
    note: str | None = None
    sources: SourceIds


class Figure(Record, frozen=True, kw_only=True):
    id: Id
    statement: Text
    value: Union[Whole, float]  # noqa: UP007
    unit: Text
    qualifier: QualifierField | None = None
    value_text: str | None = None
    period: str | None = None
    as_of: Date | None = None
    measured_by: Id | None = None
    reported_by: Id | None = None
    reported_at: Annotated[Id | None, Meta(description="the event it was made public at")] = None
    conflicts_with: Ids = ()
    evidence: EvidenceField = "stated"
    note: str | None = None
    sources: SourceIds


class Rate(Record, frozen=True, kw_only=True):
    """A year's average exchange rate from a source: ``rate`` units of ``currency`` per ``per``."""

    id: Id
    currency: CurrencyCode
    per: CurrencyCode
    year: Annotated[int, Meta(ge=1000, le=9999)]
    rate: Annotated[float, Meta(ge=1e-12, le=1e12, description="units of `currency` per `per`")]
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
    "rates": Rate,
}

# The type of each collection's entries in a data file: its record type, except countries,
# whose entries add to ISO 3166-1 and become ``Country`` records when loaded.
FILE_RECORDS: dict[str, type[Record]] = {**COLLECTIONS, "countries": CountryEntry}


def record_key(collection: str, record: Record) -> str:
    """The identifying value of a record: ``code`` for countries, ``id`` otherwise."""
    return str(getattr(record, "code" if collection == "countries" else "id"))


def tuple_fields(record_type: type[Record]) -> frozenset[str]:
    """The fields of ``record_type`` that hold a tuple (of ids, of entries), read from the
    annotations as written, which are objects here: ``typing.get_type_hints`` would
    evaluate each one again, at some 0.1 ms a type on every query."""
    found = set()
    for cls in record_type.__mro__:
        for name, annotation in vars(cls).get("__annotations__", {}).items():
            if isinstance(annotation, str):
                raise TypeError(f"{cls.__name__}.{name}: annotations must be objects")
            if get_origin(annotation) is Annotated:
                annotation = get_args(annotation)[0]
            if get_origin(annotation) is tuple:
                found.add(name)
    return frozenset(found)


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
    rates: tuple[Rate, ...]
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
        rates: tuple[Rate, ...] = (),
        origins: dict[tuple[str, str], Origin] | None = None,
    ) -> None:
        values = locals()
        for name in COLLECTIONS:
            object.__setattr__(self, name, tuple(values[name]))
        object.__setattr__(self, "origins", origins if origins is not None else {})

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"a Dataset is read-only; use replace({name}=...)")

    def __eq__(self, other: object) -> bool:
        # Compared as encoded: the cache decodes into unchecked subclasses of the record
        # types (``cache.trusted``), equal in every field but not in type.
        if not isinstance(other, Dataset):
            return NotImplemented
        encode = msgspec.msgpack.encode
        return all(
            encode(self.collection(name)) == encode(other.collection(name)) for name in COLLECTIONS
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        counts = ", ".join(f"{name}={len(self.collection(name))}" for name in COLLECTIONS)
        return f"Dataset({counts})"

    def replace(self, **collections: tuple[Record, ...]) -> "Dataset":
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

    def index(self, collection: str, field: str) -> Mapping[str, list[int]]:
        """value -> positions in ``collection`` of the records having it (``indexes.KEYS``)."""
        from .indexes import KEYS, build

        return self.memo(
            f"index {collection}.{field}",
            lambda: build(self.collection(collection), KEYS[collection][field]),
        )

    def records_at(self, collection: str, positions: Sequence[int]) -> list[Record]:
        """The records of ``collection`` at ``positions``, in that order."""
        records = self.collection(collection)
        return [records[p] for p in positions]
