"""Names two records share: an id, name or alias of one organisation, programme, event or
country that is also another's (case, accents and spacing aside).

A name on the command line must mean one record (``questions/matching.py``), so a clash is a
data error, reported as a duplicate id is: at the later of the two, naming the earlier. A
country's names include those ISO 3166-1 gives it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from ..model import Country, CountryEntry, Event, Organisation, Origin, Programme, Record
from ..vocabulary import name_key
from .check import field_path
from .pending import Loaded, Pending

Path = tuple[str | int, ...]
# Who has a name first: (record's id or code, where, the field that holds it).
Owner = tuple[str, Origin | None, Path]
NAMED = (Organisation, Programme, Event)
_SINGULAR = {
    "organisations": "organisation",
    "programmes": "programme",
    "events": "event",
    "countries": "country",
}


def name_clashes(records: Loaded, countries: Sequence[Country]) -> list[Pending]:
    """Every id, name or alias that names a second record of its collection."""
    rank: dict[str, int] = {}
    for _, _, origin in records:
        rank.setdefault(origin.path, len(rank))
    ordered = sorted(records, key=lambda r: (rank[r[2].path], r[2].index))
    iso = _iso_names(records, countries)
    known = {c.code for c in countries}
    owners: dict[tuple[str, str], Owner] = {}
    found = []
    for collection, record, origin in ordered:
        mine = _id(record)
        if isinstance(record, CountryEntry) and mine not in known:
            continue  # no country: reported as such
        for text, path in _names(record):
            owner = owners.setdefault((collection, name_key(text)), (mine, origin, path))
            if owner[0] == mine and collection == "countries":
                owner = (iso.get(name_key(text)) or _iso_code(text) or mine, None, ())
            if owner[0] == mine or (path == ("id",) and owner[2] == ("id",)):
                continue  # its own name, or a duplicate id (reported as such)
            found.append(_clash(collection, text, origin, path, owner))
    return found


def _iso_names(records: Loaded, countries: Sequence[Country]) -> dict[str, str]:
    """Each name and code ISO 3166-1 gives a country (not those the files declare) -> code."""
    declared: dict[str, set[str]] = {}
    for _, record, _ in records:
        if isinstance(record, CountryEntry):
            names = declared.setdefault(record.code, set())
            names.update(name_key(n) for n in (record.name or "", *record.aliases) if n)
    iso: dict[str, str] = {}
    for country in countries:
        for text in (country.code, country.iso3, country.name, *country.aliases):
            if name_key(text) not in declared.get(country.code, ()):
                iso.setdefault(name_key(text), country.code)
    return iso


def _iso_code(text: str) -> str | None:
    """The country ISO 3166-1 gives ``text`` as a name or code, if any (any country)."""
    from . import codes  # pycountry: imported already, to complete the countries

    return codes.country_named(text)


def _names(record: Record) -> Iterator[tuple[str, Path]]:
    if isinstance(record, NAMED):
        yield record.id, ("id",)
        yield record.name, ("name",)
        for index, alias in enumerate(record.aliases):
            yield alias, ("aliases", index)
    elif isinstance(record, CountryEntry):
        if record.name:
            yield record.name, ("name",)
        for index, alias in enumerate(record.aliases):
            yield alias, ("aliases", index)


def _id(record: Record) -> str:
    return record.code if isinstance(record, CountryEntry) else str(getattr(record, "id", ""))


def _clash(collection: str, text: str, origin: Origin, path: Path, owner: Owner) -> Pending:
    other, at, at_path = owner
    what = "code" if collection == "countries" else "id"
    field = "alias" if path[0] == "aliases" else path[0]
    where = field_path(origin.collection, origin.index, path)
    message = f"{where}: the {field} '{text}' already names {_SINGULAR[collection]} '{other}'"
    if at is None:  # a name ISO 3166-1 gives the country
        hint = f"ISO 3166-1 names '{other}' so; a name must mean one record"
        return Pending(origin.path, (collection, origin.index, *path), message, hint)
    hint = f"'{other}' has it at {{at}}; each {what}, name and alias must name one record"
    return Pending(
        origin.path,
        (collection, origin.index, *path),
        message,
        hint,
        hint_at=(at.path, (at.collection, at.index, *at_path)),
    )
