"""The dataset's countries: every country a record names, from ISO 3166-1, with what the
files' ``countries`` entries add (a display name, aliases).

Any valid alpha-2 code is a country without being declared. Entries for one code from
several files merge: aliases add up; two different names for one country are a problem
naming both places. Runs when files are read, never on a cached query: the ``Country``
records it makes go into the dataset, and so into the cache, with everything a query needs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache

import msgspec

from ..model import Country, CountryEntry, Origin, Record
from ..references import reference_fields, references
from .check import field_path
from .pending import Loaded, Pending, Unconverted
from .suggest import did_you_mean

ALPHA2 = re.compile(r"[A-Z]{2}")


@dataclass
class _Declared:
    """What the entries for one code say, and where each thing was first said."""

    origin: Origin
    name: str | None = None
    name_at: Origin | None = None
    iso3: str | None = None
    iso3_at: Origin | None = None
    aliases: list[str] = field(default_factory=list)


def complete_countries(
    records: Loaded, unconverted: Unconverted, named: Iterable[str] = ()
) -> tuple[tuple[Country, ...], list[Pending]]:
    """The ``Country`` of every code declared or referred to (by ``records``, or ``named``
    by records that failed to convert), sorted by code, and the problems of the entries. A
    declared code that is no country goes into ``unconverted`` (reported once, at its
    entry, not again at each reference)."""
    declared: dict[str, _Declared] = {}
    pending: list[Pending] = []
    for _, record, origin in records:
        if isinstance(record, CountryEntry):
            _declare(declared, record, origin, pending)
    wanted = set(declared) | set(_named_codes(records)) | set(named)
    if not wanted:
        return (), pending
    from . import codes  # pycountry: only here, when files are read

    countries = []
    for code in sorted(wanted):
        iso = codes.iso_country(code)
        entry = declared.get(code)
        if iso is None:  # a reference to it is reported by check
            if entry is not None:
                meant = did_you_mean(codes.meant_countries(code, wanted))
                pending.append(
                    _problem(
                        entry.origin,
                        "code",
                        f"unknown country code '{code}'" + (f"; {meant}" if meant else ""),
                        "not an ISO 3166-1 alpha-2 code",
                    )
                )
                unconverted.append(("countries", code, entry.origin))
            continue
        if entry is not None and entry.iso3 is not None and entry.iso3 != iso.alpha3:
            assert entry.iso3_at is not None
            pending.append(
                _problem(
                    entry.iso3_at,
                    "iso3",
                    f"the alpha-3 code of '{code}' is '{iso.alpha3}', not '{entry.iso3}'",
                    f"write iso3: {iso.alpha3}, or leave it out",
                )
            )
        name = entry.name if entry is not None and entry.name else iso.name
        given = entry.aliases if entry is not None else []
        aliases = {a.casefold(): a for a in (*given, iso.name, *iso.other_names)}
        aliases.pop(name.casefold(), None)
        countries.append(
            Country(code=code, iso3=iso.alpha3, name=name, aliases=tuple(aliases.values()))
        )
    return tuple(countries), pending


def with_codes(item: object, record_type: type[Record]) -> object | None:
    """``item`` (a record as parsed) with each country it names by an ISO 3166-1 name
    ("Ireland") written as its code ("IE"); None when it names none so. Tried only on a
    record that failed to convert: a file of codes pays nothing."""
    if not isinstance(item, dict):
        return None
    changed = dict(item)
    for name, target in reference_fields(record_type):
        value = item.get(name)
        if target == "countries" and isinstance(value, str):
            changed[name] = _code_of_name(value) or value
        elif target is None and isinstance(value, list):
            entry_type = _entry_type(_field_types(record_type).get(name))
            if entry_type is not None:
                changed[name] = [with_codes(e, entry_type) or e for e in value]
    return changed if changed != item else None


def _code_of_name(value: str) -> str | None:
    if ALPHA2.fullmatch(value):
        return None
    from . import codes  # pycountry: only for a value that is no code

    return codes.code_of_name(value)


def _field_types(record_type: type[Record]) -> dict[str, object]:
    return {f.encode_name: f.type for f in msgspec.structs.fields(record_type)}


def _declare(
    declared: dict[str, _Declared], entry: CountryEntry, origin: Origin, pending: list[Pending]
) -> None:
    """Add ``entry`` to what is declared of its code; a name that differs is a problem."""
    known = declared.setdefault(entry.code, _Declared(origin))
    if entry.name is not None:
        if known.name is None:
            known.name, known.name_at = entry.name, origin
        elif known.name != entry.name:
            assert known.name_at is not None
            pending.append(
                _problem(
                    origin,
                    "name",
                    f"country '{entry.code}' is named '{entry.name}' here "
                    f"but '{known.name}' elsewhere",
                    "first named at {at}; a country has one name, other names go in 'aliases'",
                    at=known.name_at,
                )
            )
    if entry.iso3 is not None and known.iso3 is None:
        known.iso3, known.iso3_at = entry.iso3, origin
    known.aliases += [a for a in entry.aliases if a not in known.aliases]


def _named_codes(records: Loaded) -> Iterator[str]:
    """Every country code a record refers to."""
    for collection, record, _ in records:
        if _may_name_countries(type(record)):
            for _, target, code in references(collection, record):
                if target == "countries":
                    yield code


@cache
def _may_name_countries(record_type: type[Record]) -> bool:
    """Whether records of this type have a country field, directly or in their entries
    (pledges do not: 100,000 of them need no look)."""
    for name, target in reference_fields(record_type):
        if target == "countries":
            return True
        if target is None:
            entry_type = _entry_type(_field_types(record_type)[name])
            if entry_type is not None and _may_name_countries(entry_type):
                return True
    return False


def _entry_type(field_type: object | None) -> type[Record] | None:
    for arg in getattr(field_type, "__args__", ()):
        if isinstance(arg, type) and issubclass(arg, Record):
            return arg
    return None


def _problem(
    origin: Origin, name: str, message: str, hint: str, at: Origin | None = None
) -> Pending:
    where = field_path(origin.collection, origin.index, (name,))
    return Pending(
        origin.path,
        (origin.collection, origin.index, name),
        f"{where}: {message}",
        hint,
        hint_at=(at.path, (at.collection, at.index, name)) if at is not None else None,
    )
