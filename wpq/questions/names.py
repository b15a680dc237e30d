"""Names on the command line -> ids: organisations, programmes, countries, events, regions,
kinds. One rule for every option and command that takes a name (``matching.py``): exact
after folding case and accents (id, whole name, alias, ISO code), never a prefix or a part.

A country's name or code also names its government (``--donor Japan``), and a real ISO
3166-1 country that no record uses is an empty answer, not an unknown name (``--country
Ireland``). Also what each organisation did (its roles), and the parts and roots of
organisations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, cast

from ..errors import UsageError
from ..indexes import select
from ..model import Country, Dataset, Organisation
from ..vocabulary import ROLES as ROLES

if TYPE_CHECKING:
    from .matching import Pool

# ``matching`` (the rule, the pools, the messages) is imported by the functions that match a
# name: a listing filtered by year alone, or by nothing, never needs it.

# A filter's value: one name, several (an option given more than once), or none.
Names = str | Sequence[str] | None


# ---------------------------------------------------------------- candidates per collection


def organisation_candidates(ds: Dataset) -> Pool:
    """Organisations by their own id, name and aliases (what ``wpq show`` takes)."""
    from .matching import Candidate, Pool

    return ds.memo(
        "organisation candidates",
        lambda: Pool(Candidate(o.id, o.name, o.aliases) for o in ds.organisations),
    )


def government_candidates(ds: Dataset) -> Pool:
    """Organisations as an option naming one takes them: a country's government (not its
    ministries) also by the country's name, aliases and ISO codes (``--donor Japan``)."""
    from .matching import Candidate, Pool

    def build() -> Pool:
        countries = {c.code: c for c in ds.countries}
        result = []
        for org in ds.organisations:
            country = countries.get(org.country or "")
            if org.kind == "government" and org.part_of is None and country is not None:
                names = (*org.aliases, country.name, *country.aliases)
                result.append(Candidate(org.id, org.name, names, (country.code, country.iso3)))
            else:
                result.append(Candidate(org.id, org.name, org.aliases))
        return Pool(result)

    return ds.memo("government candidates", build)


def programme_candidates(ds: Dataset) -> Pool:
    """Programmes to match a name against: id, name and aliases."""
    from .matching import Candidate, Pool

    return ds.memo(
        "programme candidates",
        lambda: Pool(Candidate(p.id, p.name, p.aliases, date=p.start) for p in ds.programmes),
    )


def country_candidates(ds: Dataset) -> Pool:
    """Countries to match a name against: code, name, aliases, ISO codes."""
    from .matching import Candidate, Pool

    return ds.memo(
        "country candidates",
        lambda: Pool(Candidate(c.code, c.name, c.aliases, (c.code, c.iso3)) for c in ds.countries),
    )


def event_candidates(ds: Dataset) -> Pool:
    """Events to match a name against: id, name and aliases, with the date they began."""
    from .matching import Candidate, Pool

    return ds.memo(
        "event candidates",
        lambda: Pool(Candidate(e.id, e.name, e.aliases, date=e.start) for e in ds.events),
    )


def region_candidates(ds: Dataset) -> Pool:
    """The regions of every programme, each once (by id)."""
    from .matching import Candidate, Pool

    def build() -> Pool:
        regions = {r.id: Candidate(r.id, r.name) for p in ds.programmes for r in p.regions}
        return Pool(regions.values())

    return ds.memo("region candidates", build)


# ---------------------------------------------------------------- one name -> one id


def iso_country(ds: Dataset, text: str, *, by_code: bool = True) -> str | None:
    """The alpha-2 code of the country ``text`` names exactly: one of the dataset's (code,
    name, alias, alpha-3), else any ISO 3166-1 country by its name or (``by_code``) its
    code; None when it names no country."""
    from .matching import exact

    found = exact(text, [country_candidates(ds)], "country")
    if len(found) == 1:
        return found[0].id
    from ..load import codes  # pycountry: only for a country the data lacks

    return codes.country_named(text) if by_code else codes.code_of_name(text)


def match_organisation(
    ds: Dataset, text: str, what: str = "organisation", role: str | None = None
) -> str | None:
    """The id of the organisation ``text`` names exactly (see ``government_candidates``);
    None when it names a country that has no government in the data (nothing matches).
    ``role`` (a key of ``ROLES``) says which organisations to suggest when it names none."""
    from .matching import Hints, ambiguous, exact, unknown

    candidates = government_candidates(ds)
    found = exact(text, [candidates], what)
    if len(found) == 1:
        return found[0].id
    if found:
        raise ambiguous(text, found, what)
    # A country the data has no government of is no one's money (an empty answer), when
    # named in full: a two- or three-letter code the data lacks is more likely an
    # organisation's initials ("BT") than Bhutan.
    if iso_country(ds, text, by_code=False):
        return None
    hints = Hints(plural="organisations", see="wpq organisations")
    if role:  # the roles read events and programmes: only for a message
        hints = Hints(
            preferred=organisation_roles(ds)[role],
            group=ROLES[role],
            plural="organisations",
            see=f"wpq organisations --role {role}",
        )
    raise unknown(text, candidates, what, hints)


def organisations_named(ds: Dataset, given: Names, what: str, role: str) -> set[str] | None:
    """The organisations named (each with its parts), or None when none is named. A country
    with no government in the data adds none: the filter then selects nothing."""
    names = each(given)
    if not names:
        return None
    found: set[str] = set()
    for name in names:
        org_id = match_organisation(ds, name, what, role)
        if org_id is not None:
            found |= with_parts(ds, org_id)
    return found


def match_country(ds: Dataset, text: str) -> str:
    """The code of the country ``text`` names (code, name, alias or ISO code); any ISO
    3166-1 country, even one no record uses (it then selects nothing)."""
    from .matching import Candidate, Hints, unknown

    code = iso_country(ds, text)
    if code is not None:
        return code
    from ..load.codes import meant_countries  # ISO's names first: "Irland" is Ireland

    meant = [Candidate(c.key, c.label) for c in meant_countries(text)]
    raise unknown(text, meant or country_candidates(ds), "country", Hints(plural="countries"))


def match_programme(ds: Dataset, text: str) -> str:
    from .matching import Hints, match

    hints = Hints(plural="programmes", see="wpq programmes")
    return match(text, programme_candidates(ds), "programme", hints).id


def match_event(ds: Dataset, text: str) -> str:
    from .matching import Hints, match

    hints = Hints(plural="events", see="wpq events")
    return match(text, event_candidates(ds), "event", hints).id


def match_region(ds: Dataset, text: str) -> str:
    from .matching import Hints, match

    hints = Hints(plural="regions", see="wpq countries")
    return match(text, region_candidates(ds), "region", hints).id


def match_kind(text: str, kinds: Sequence[str], what: str) -> str:
    """The one of ``kinds`` that ``text`` is (case aside): never a prefix of one."""
    from .matching import Candidate, match

    return match(text, [Candidate(k, k) for k in kinds], what).id


def words(value: str | Iterable[str] | None, what: str = "value") -> list[str]:
    """The values of a filter given once, repeated (a list) or comma-separated, each once.
    A filter given with nothing in it (``--kind ''``) is an error, not "no filter"."""
    if value is None:
        return []
    given = [value] if isinstance(value, str) else list(value)
    found = list(dict.fromkeys(w.strip() for v in given for w in v.split(",") if w.strip()))
    if given and not found:
        raise UsageError(f"{what} needs a value, not '{','.join(given)}'")
    return found


def each(value: str | Iterable[str] | None) -> list[str]:
    """The names of a filter given once or repeated (names may hold commas: never split)."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


# ---------------------------------------------------------------- organisations' structure


def organisation_roles(ds: Dataset) -> dict[str, set[str]]:
    """Role -> ids of the organisations that play it. A donor pledged or granted money (a
    ministry's government is a donor through it); a pledger made any pledge, alone or with
    others."""

    def build() -> dict[str, set[str]]:
        # From the indexes alone: on a large cache no pledge needs to be decoded.
        roles: dict[str, set[str]] = {role: set() for role in ROLES}
        roles["pledger"] = set(ds.index("pledges", "by")) | set(ds.index("pledges", "with"))
        for donor in ds.index("pledges", "money_by"):
            roles["donor"].update(ancestors(ds, donor))
        roles["recipient"] = set(ds.index("pledges", "to"))
        roles["host"] = set(ds.index("events", "hosts"))
        roles["lead"] = {p.lead for p in ds.programmes}
        return roles

    return ds.memo("organisation roles", build)


def with_parts(ds: Dataset, org_id: str) -> set[str]:
    """``org_id`` and every organisation that is part of it, at any depth."""
    children: dict[str, list[str]] = defaultdict(list)
    for org in ds.organisations:
        if org.part_of:
            children[org.part_of].append(org.id)
    found, todo = set(), [org_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children[current])
    return found


def ancestors(ds: Dataset, org_id: str) -> list[str]:
    """``org_id`` and the organisations above it through ``part_of``, nearest first."""
    parent = ds.memo("organisation parents", lambda: {o.id: o.part_of for o in ds.organisations})
    chain = [org_id]
    while parent.get(chain[-1]) and parent[chain[-1]] not in chain:
        chain.append(parent[chain[-1]])  # type: ignore[arg-type]
    return chain


def root_organisation(ds: Dataset, org_id: str) -> str:
    """The top of ``org_id``'s ``part_of`` chain (the UK for the Home Office)."""
    return ancestors(ds, org_id)[-1]


def organisation_names(ds: Dataset) -> dict[str, str]:
    return ds.memo("organisation names", lambda: {o.id: o.name for o in ds.organisations})


def names_of(ds: Dataset, collection: str, keys: Iterable[str]) -> dict[str, str]:
    """The names of the organisations (by id) or countries (by code) among ``keys``: a
    cached dataset reads those records alone, not the whole collection."""
    field = "code" if collection == "countries" else "id"
    named = cast("list[Organisation | Country]", select(ds, collection, **{field: set(keys)}))
    return {getattr(record, field): record.name for record in named}


def country_names(ds: Dataset) -> dict[str, str]:
    return ds.memo("country names", lambda: {c.code: c.name for c in ds.countries})
