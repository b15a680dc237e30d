"""What every table and column of the SQLite export holds, in words: read from the model (each
type's own description: a vocabulary's values, a date's precision, an amount's units) and
``descriptions.py`` (what each field means), never written twice. The datasette metadata and the
Data Package of a bundle (``bundle.py``) give these descriptions.
"""

from __future__ import annotations

import functools
from typing import Any

from msgspec import inspect

from ..descriptions import COLLECTION_MEANINGS, FIELDS, MEASURE_MEANINGS
from ..model import (
    COLLECTIONS,
    Dispute,
    Event,
    Figure,
    Participants,
    Pledge,
    Programme,
    ProgrammeCountry,
    Quote,
    Record,
    Region,
    Speaker,
)
from ..questions.money import MEASURES
from ..values import Id
from .browse import YEARS

# The link tables of a collection's lists: table -> (record type, field), one row per item.
# ``record_*`` tables hold a list that records of several collections have.
LISTS: dict[str, tuple[type[Record], str]] = {
    "event_hosts": (Event, "hosts"),
    "event_organisers": (Event, "organisers"),
    "event_participants": (Event, "participants"),
    "event_speakers": (Event, "speakers"),
    "event_outcomes": (Event, "outcomes"),
    "pledge_with": (Pledge, "with"),
    "pledge_stage_sources": (Pledge, "stage_sources"),
    "pledge_signatories": (Pledge, "signatories"),
    "programme_partners": (Programme, "partners"),
    "programme_regions": (Programme, "regions"),
    "programme_countries": (Programme, "countries"),
    "programme_country_sources": (ProgrammeCountry, "sources"),
    "programme_funded_by": (Programme, "funded_by"),
    "figure_conflicts": (Figure, "conflicts_with"),
    "record_sources": (Event, "sources"),
    "record_aliases": (Event, "aliases"),
    "record_quotes": (Event, "quotes"),
    "record_disputes": (Event, "disputes"),
    "dispute_sources": (Dispute, "sources"),
}
# The entries a list of nested records holds, by the type of its items.
_ENTRIES: dict[str, type[Record]] = {
    "event_participants": Participants,
    "event_speakers": Speaker,
    "record_quotes": Quote,
    "record_disputes": Dispute,
    "programme_regions": Region,
    "programme_countries": ProgrammeCountry,
}
# A link table's column for an entry's field, where the names differ.
_RENAMED = {
    "source_id": "source",
    "organisation_id": "organisation",
    "country_code": "country",
    "region_id": "region",
}
# A link table's own columns, whatever list it holds.
_LINK_COLUMNS = {
    "collection": "The collection (table) of the record the row belongs to.",
    "record_id": "The id of that record (a country's code in countries).",
    "position": "The item's place in its list, from 0, in the order the data gives.",
    "dispute_position": "The dispute's place in its record's disputes (record_disputes.position).",
    "region_name": "The name of the region (programme_regions.name).",
}
# The record a link table's row belongs to, by its column: the table's name starts with it.
_OWNERS = {
    "event_id": "events",
    "pledge_id": "pledges",
    "programme_id": "programmes",
    "figure_id": "figures",
}

# The columns of ``funding`` that are a pledge's fields under another name, and its own.
_FUNDING_FIELDS = {"donor": "by"}
_FUNDING_OWN = {
    "donor_name": "The donor's name (organisations.name).",
    "to_name": "The recipient's name (organisations.name).",
    **{
        measure: f"This row's share of {meaning}. Summed per currency: wpq's total."
        for measure, meaning in MEASURE_MEANINGS.items()
    },
}

# The tables that are no collection or list of one, and the view.
_DERIVED: dict[str, str] = {
    "funding": "The rows of wpq funding: every money record (funding and grants, tranches "
    "included) with its own share of each measure, so a column's sum per currency is wpq's "
    "total. Never sum amount: a tranche's amount is also in its pledge's.",
    "counted_money": "One row per amount a measure counts: pledged money on the date of its "
    "pledge, committed and paid money on the date it reached its stage. The sum of amount per "
    "measure and currency is wpq's total.",
    "metadata": "What this file holds: its maker, and for the wpq dataset its title, version, "
    "SHA-256, licences and how to cite it.",
}
_COUNTED = {
    "pledge_id": "The pledge or tranche the money is part of (pledges.id).",
    "measure": "The measure that counts the amount: "
    + "; ".join(f"{m}: {MEASURE_MEANINGS[m]}" for m in MEASURES)
    + ".",
    "date": "When the money was pledged (pledged), or reached its stage (committed, paid; "
    "the pledge's own date where no source dates the stage).",
    "recipient": "The organisation the money goes to (organisations.id).",
    "amount": "The amount the measure counts, in whole major units of currency.",
}
_METADATA = {
    "key": "What the value says (generator, contents, title, version, data_sha256, licence, ...).",
    "value": "The value.",
}
YEAR = "The year of `{column}` (its first four digits), for facets and groups."


@functools.cache
def _types(record: type[Record]) -> dict[str, Any]:
    info = inspect.type_info(record)
    assert isinstance(info, inspect.StructType)
    return {field.encode_name: field.type for field in info.fields}


def _descriptions(kind: Any) -> list[str]:
    """The descriptions a type holds, the outermost first (a field's, then its values')."""
    found = []
    while True:
        if isinstance(kind, inspect.Metadata):
            text = (kind.extra_json_schema or {}).get("description")
            if text:
                found.append(text)
            kind = kind.type
        elif isinstance(kind, inspect.UnionType):
            for member in kind.types:
                found += _descriptions(member)
            return found
        elif isinstance(kind, inspect.VarTupleType):
            kind = kind.item_type
        else:
            return found


# A reference says whose id it holds; the slug's pattern is told once, at each record's id.
_ID = _descriptions(inspect.type_info(Id))


def _sentence(text: str) -> str:
    text = text[0].upper() + text[1:]
    return text if text.endswith(".") else text + "."


def field_description(record: type[Record], name: str) -> str:
    """What field ``name`` of ``record`` holds: its meaning, then what its type says."""
    meaning = FIELDS.get(record.__name__, {}).get(name)
    parts = [meaning] if meaning else []
    for text in _descriptions(_types(record)[name]):
        if (text not in _ID or name == "id") and text not in parts:
            parts.append(text)
    if not parts:
        raise KeyError(f"{record.__name__}.{name} has no description")
    return " ".join(_sentence(part) for part in parts)


def table_description(table: str) -> str:
    """What ``table`` (or the ``counted_money`` view) holds."""
    if table in COLLECTIONS:
        return f"{COLLECTION_MEANINGS[table]} One row per record."
    if table in _DERIVED:
        return _DERIVED[table]
    record, field = LISTS[table]
    if table.startswith("record_"):
        whose = "every record that has them"
    elif table == "dispute_sources":
        whose = "each dispute (record_disputes)"
    elif table == "programme_country_sources":
        whose = "each programme's country (programme_countries)"
    else:
        whose = f"each {record.__name__.lower()}"
    meaning = field_description(record, field)
    return f"The `{field}` of {whose}: {meaning} One row per item, in order."


def column_descriptions(table: str, columns: list[str]) -> dict[str, str]:
    """What each of ``columns`` of ``table`` holds (``KeyError`` for one not described)."""
    return {column: _column(table, column) for column in columns}


def _column(table: str, column: str) -> str:
    if column == "year" and (table in YEARS or table == "counted_money"):
        return YEAR.format(column=YEARS.get(table, "date"))
    own = {"funding": _FUNDING_OWN, "counted_money": _COUNTED, "metadata": _METADATA}
    if column in own.get(table, {}):
        return own[table][column]
    if column in _LINK_COLUMNS and table in LISTS:
        return _LINK_COLUMNS[column]
    field = field_of(table, column)
    if field is not None:
        return field_description(*field)
    return _link_column(table, column)


def field_of(table: str, column: str) -> tuple[type[Record], str] | None:
    """The field of a record type that ``column`` of ``table`` holds, if one."""
    if table in COLLECTIONS:
        record = COLLECTIONS[table]
        return (record, column) if column in _types(record) else None
    if table in ("funding", "counted_money"):
        name = {"donor": "by", "recipient": "to"}.get(column, column)
        return (Pledge, name) if name in _types(Pledge) else None
    if (table, column) == ("programme_country_sources", "country_code"):
        return ProgrammeCountry, "country"
    entry = _ENTRIES.get(table)
    if entry is None:
        return None
    name = "id" if (table, column) == ("programme_regions", "region_id") else column
    name = _RENAMED.get(name, name)
    return (entry, name) if name in _types(entry) else None


def allowed_values(table: str, column: str) -> tuple[str, ...] | None:
    """The values ``column`` of ``table`` may hold, where a vocabulary lists them."""
    if (table, column) == ("counted_money", "measure"):
        return MEASURES
    field = field_of(table, column)
    if field is None:
        return None
    kind = _types(field[0])[field[1]]
    while isinstance(kind, (inspect.Metadata, inspect.UnionType)):
        if isinstance(kind, inspect.UnionType):
            members = [t for t in kind.types if not isinstance(t, inspect.NoneType)]
            if len(members) != 1:
                return None
            kind = members[0]
        else:
            kind = kind.type
    return tuple(map(str, kind.values)) if isinstance(kind, inspect.LiteralType) else None


def _link_column(table: str, column: str) -> str:
    record, field = LISTS[table]
    owner = _OWNERS.get(column)
    if owner is not None and table.startswith(column.removesuffix("_id")):
        return f"The {owner.removesuffix('s')} whose `{field}` this row is one of ({owner}.id)."
    return f"One of `{field}`: {field_description(record, field)}"
