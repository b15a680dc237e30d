"""Where facts come from: one record in full (``show``), the sources, search; the references
themselves are ``citations``'s."""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import UsageError
from ..model import COLLECTIONS, Dataset, Pledge, Record, record_key
from ..references import references
from ..values import VISIBLE_PATTERN
from ..vocabulary import fold
from .matching import Candidate, Hints, Pool, ambiguous, exact, unknown
from .names import (
    country_candidates,
    country_names,
    event_candidates,
    match_kind,
    organisation_candidates,
    organisation_names,
    programme_candidates,
)
from .rows import COLLECTION_NAMES, Row, all_records, pick, record_row
from .trust import flags


def _label(record: Record) -> str:
    for name in ("name", "title", "statement", "summary"):
        value = getattr(record, name, None)
        if isinstance(value, str):
            return value
    return ""


def find_record(ds: Dataset, key: str, collection: str | None = None) -> tuple[str, Record]:
    """The record whose id (or country code) is ``key``, in ``collection`` or any collection;
    failing that, the organisation, programme, event or country ``key`` names exactly, as
    ``--donor`` resolves names (``matching``), looked for in that order of collections:
    ``wpq show uk`` is the UK government, ``--collection countries`` the country. A country
    of ISO 3166-1 that no record uses is shown as what ISO says of it; a name that is no
    record's is a usage error listing every record it could mean."""
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
        raise UsageError(
            f"'{key}' is an id in several collections ({where}); add --collection COLLECTION"
        )
    groups = [
        g
        for g in record_candidates(ds)
        if g and (not collection or _collection_of(g[0]) == collection)
    ]
    named = exact(key, groups, "record")
    if len(named) > 1:
        raise ambiguous(key, named, "record")
    if named:
        name, wanted = _collection_of(named[0]), named[0].id.partition("/")[2]
        return next((name, r) for r in ds.collection(name) if record_key(name, r) == wanted)
    if collection in (None, "countries"):
        country = _iso_country(key)
        if country is not None:
            return "countries", country
    every = [c for g in groups for c in g] + [
        Candidate(f"{n}/{record_key(n, r)}", record_key(n, r))
        for n, r in all_records(ds)
        if n not in ("organisations", "programmes", "events", "countries")
        and (not collection or n == collection)
    ]
    raise unknown(key, every, "record", Hints(otherwise=f"try: wpq search '{key}'"))


def _iso_country(text: str) -> Record | None:
    """The country of ISO 3166-1 that ``text`` names (name or code), none of the data's."""
    from ..load import codes  # pycountry: only for a name no record has
    from ..model import Country

    code = codes.country_named(text)
    iso = codes.iso_country(code) if code else None
    if code is None or iso is None:
        return None
    return Country(code=code, iso3=iso.alpha3, name=iso.name, aliases=iso.other_names)


def record_candidates(ds: Dataset) -> list[Pool]:
    """Named records as candidates ``collection/key``, in the order a name is looked up:
    organisations, programmes, events, countries (an organisation named "UK" comes first)."""
    return ds.memo("record candidates", lambda: _record_candidates(ds))


def _record_candidates(ds: Dataset) -> list[Pool]:
    groups = {
        "organisations": organisation_candidates(ds),
        "programmes": programme_candidates(ds),
        "events": event_candidates(ds),
        "countries": country_candidates(ds),
    }
    return [
        Pool(
            Candidate(f"{name}/{c.id}", c.label, (c.id, *c.names), c.codes, c.date)
            for c in candidates
        )
        for name, candidates in groups.items()
    ]


def _collection_of(candidate: Candidate) -> str:
    return candidate.id.partition("/")[0]


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


def show(
    ds: Dataset, key: str, collection: str | None = None, fields: Sequence[str] | None = None
) -> Row:
    """One record in full (or its ``fields``), its sources and everything that refers to it.
    ``key`` is an id, or a name as ``find_record`` resolves it."""

    if collection is not None:  # '' is no collection, not every one
        collection = match_kind(collection, COLLECTION_NAMES, "collection")
    name, record = find_record(ds, key, collection)
    row = record_row(record)
    if fields:
        row = pick([row], fields=fields, valid=list(row))[0]
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
        "flags": flags(record),
    }
    if isinstance(record, Pledge) and record.amount is not None:
        from .funding import pledge_money  # only a pledge with money needs the ledger

        shown["money"] = pledge_money(ds, record)  # its tranches, remainder and measures
    if name == "countries" and shown["id"] not in country_names(ds):
        shown["note"] = (
            f"no record uses {row.get('name', key)} ({shown['id']}); shown as ISO 3166-1 has it"
        )
    return shown


# ``wpq show`` piped: a block of TSV/CSV for each part of the card after the fields.
SHOW_BLOCKS = {
    "sources": (
        "id",
        "title",
        "author",
        "publisher",
        "published",
        "url",
        "original_publisher",
        "original_published",
        "original_url",
    ),
    "referenced_by": ("collection", "id", "field", "label"),
    "flags": ("flag", "field", "value", "sources", "note"),
}


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


# The order search lists what it finds in: what happened before what was said about it.
SEARCH_ORDER = (
    "events",
    "pledges",
    "programmes",
    "organisations",
    "countries",
    "figures",
    "sources",
)


def search(ds: Dataset, text: str, collection: str | None = None) -> list[Row]:
    """Records whose text contains ``text`` (case and accents ignored): names, titles,
    summaries, notes, quotes; never ids, codes, dates or URLs. Events, pledges and programmes
    come first, then organisations and countries, then figures and sources; within each,
    records whose name or title holds the text before those where another field does."""

    wanted = fold(text)
    if not wanted:
        raise UsageError("search needs some text")
    if collection is not None:  # '' is no collection, not every one
        collection = match_kind(collection, COLLECTION_NAMES, "collection")
    found: list[tuple[tuple[int, bool], int, Row]] = []
    for name, record in all_records(ds):
        if collection and name != collection:
            continue
        hit = _first_hit(record_row(record), wanted, _text_shape(COLLECTIONS[name]))
        if hit:
            field, value = hit
            label = _label(record)
            rank = (SEARCH_ORDER.index(name), wanted not in fold(label))
            row = {
                "collection": name,
                "id": record_key(name, record),
                "label": label,
                "field": field,
                "text": value,
            }
            found.append((rank, len(found), row))
    return [row for _, _, row in sorted(found, key=lambda f: (f[0], f[1]))]


Shape = dict[str, Any]


@functools.cache
def _text_shape(record_type: type[Record]) -> Shape:
    """The fields of ``record_type`` that hold text, by their data-file names: True for text or
    a list of text, a nested shape for entries (quotes, speakers). Ids, codes and dates (text
    with a pattern), kinds (a fixed set of words) and URLs are not text to search."""
    import msgspec.inspect as types

    def shape(kind: Any) -> Any:
        if isinstance(kind, types.Metadata):
            kind = kind.type
        if isinstance(kind, types.UnionType):
            return next((s for s in map(shape, kind.types) if s), None)
        if isinstance(kind, types.StrType):  # prose asks at most for something visible
            return kind.pattern in (None, VISIBLE_PATTERN) or None
        if isinstance(kind, (types.VarTupleType, types.ListType)):
            return shape(kind.item_type)
        if isinstance(kind, types.StructType):
            nested = {f.encode_name: shape(f.type) for f in kind.fields}
            # A URL and a dispute's field name are not prose.
            return {k: v for k, v in nested.items() if v and k not in ("url", "field")} or None
        return None

    found: Shape = shape(types.type_info(record_type)) or {}
    return found


def _first_hit(value: Any, wanted: str, shape: Any, path: str = "") -> tuple[str, str] | None:
    """(field path, text) of the first text in ``value`` that contains ``wanted``."""
    if isinstance(value, str):
        return (path, value) if shape is True and wanted in fold(value) else None
    if isinstance(value, list):
        parts = [(str(index), item, shape) for index, item in enumerate(value)]
    elif isinstance(value, dict) and isinstance(shape, dict):
        parts = [(key, item, shape[key]) for key, item in value.items() if key in shape]
    else:
        return None
    for key, item, item_shape in parts:
        found = _first_hit(item, wanted, item_shape, f"{path}.{key}" if path else key)
        if found:
            return found
    return None


def reference_names(ds: Dataset, collection: str, key: str) -> dict[str, dict[str, str]]:
    """What a record's references read as, for ``show``'s card.

    ``fields``: each field (``by``, ``disputes.sources``) that holds references, and the
    collection they point into. ``names``: ``collection/id`` -> a name to show beside the id
    (a pledge: its donor, amount and date).
    """
    _, record = find_record(ds, key, collection)
    fields: dict[str, str] = {}
    names: dict[str, str] = {}
    targets = {
        name: {record_key(name, r): r for r in ds.collection(name)} for name in COLLECTION_NAMES
    }
    for path, target, value in references(collection, record):
        fields[".".join(str(p) for p in path if not isinstance(p, int))] = target
        found = targets[target].get(value)
        if found is not None:
            names[f"{target}/{value}"] = _reference_label(ds, found)
    return {"fields": fields, "names": names}


def _reference_label(ds: Dataset, record: Record) -> str:
    if isinstance(record, Pledge):
        donor = organisation_names(ds).get(record.by, record.by)
        amount = (
            f"{record.amount:,} {record.currency}" if record.amount is not None else record.kind
        )
        return f"{donor}, {amount}, {record.date}"
    return _label(record)
