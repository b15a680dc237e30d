"""Names on the command line -> ids: organisations, programmes, countries, events, kinds.

Matching is case- and accent-insensitive and tries, in order: id, name or alias, ISO code,
then a unique prefix or substring; no match or several is a ``UsageError`` naming the
closest candidates. Also the parts and roots of organisations, and completion values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import msgspec

from .errors import UsageError
from .model import Dataset, record_key
from .rows import all_records, fold


class Candidate(msgspec.Struct, frozen=True):
    """Something a name on the command line may mean: its id, label, other names and codes."""

    id: str
    label: str
    names: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()


def match(text: str, candidates: Sequence[Candidate], what: str) -> Candidate:
    """The one candidate ``text`` names: id, name or alias, code, then unique prefix/substring."""
    wanted = fold(text)
    steps: list[Callable[[Candidate], bool]] = [
        lambda c: fold(c.id) == wanted,
        lambda c: any(fold(n) == wanted for n in (c.label, *c.names)),
        lambda c: any(fold(code) == wanted for code in c.codes),
        lambda c: any(fold(n).startswith(wanted) for n in (c.id, c.label, *c.names)),
        lambda c: any(wanted in fold(n) for n in (c.id, c.label, *c.names)),
    ]
    for step in steps:
        found = [c for c in candidates if step(c)] if wanted else []
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            listed = ", ".join(_shown(c) for c in found[:8])
            more = f" and {len(found) - 8} more" if len(found) > 8 else ""
            raise UsageError(f"{what} '{text}' is ambiguous: it matches {listed}{more}")
    raise UsageError(f"unknown {what} '{text}'; {_closest(wanted, candidates)}")


def _shown(candidate: Candidate) -> str:
    if fold(candidate.label) == fold(candidate.id):
        return candidate.id
    return f"{candidate.id} ({candidate.label})"


def _closest(wanted: str, candidates: Sequence[Candidate]) -> str:
    """The nearest few candidates by spelling, or a few of them all when none is near."""
    import difflib  # only on the way to an error

    names = {fold(n): c for c in candidates for n in (c.id, c.label, *c.names)}
    close = difflib.get_close_matches(wanted, list(names), n=8, cutoff=0.5)
    seen = list(dict.fromkeys(names[name] for name in close))[:4]
    if seen:
        return "did you mean " + ", ".join(_shown(c) for c in seen) + "?"
    some = ", ".join(_shown(c) for c in candidates[:5])
    more = f" and {len(candidates) - 5} more" if len(candidates) > 5 else ""
    return f"known: {some}{more}" if candidates else "there are none"


def organisation_candidates(ds: Dataset) -> list[Candidate]:
    """Organisations to match a name against; a government also by ISO codes."""
    iso3 = {c.code: c.iso3 for c in ds.countries}
    result = []
    for org in ds.organisations:
        codes: tuple[str, ...] = ()
        # An ISO code names a country's government, not its ministries.
        if org.kind == "government" and org.part_of is None and org.country:
            codes = (org.country, iso3.get(org.country, org.country))
        result.append(Candidate(org.id, org.name, org.aliases, codes))
    return result


def programme_candidates(ds: Dataset) -> list[Candidate]:
    """Programmes to match a name against: id, name and aliases."""
    return [Candidate(p.id, p.name, p.aliases) for p in ds.programmes]


def country_candidates(ds: Dataset) -> list[Candidate]:
    """Countries to match a name against: code, name, aliases, ISO codes."""
    return [Candidate(c.code, c.name, c.aliases, (c.code, c.iso3)) for c in ds.countries]


def event_candidates(ds: Dataset) -> list[Candidate]:
    return [Candidate(e.id, e.name, e.aliases) for e in ds.events]


def match_organisation(ds: Dataset, text: str, what: str = "organisation") -> str:
    """The id of the organisation ``text`` names (see ``match``)."""
    return match(text, organisation_candidates(ds), what).id


def match_kind(text: str, kinds: Sequence[str], what: str) -> str:
    """The one of ``kinds`` that ``text`` names (exactly or by a unique prefix)."""
    return match(text, [Candidate(k, k) for k in kinds], what).id


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


def root_organisation(ds: Dataset, org_id: str) -> str:
    """The top of ``org_id``'s ``part_of`` chain (the UK for the Home Office)."""
    parent = ds.memo("organisation parents", lambda: {o.id: o.part_of for o in ds.organisations})
    seen = {org_id}
    while parent.get(org_id) and parent[org_id] not in seen:
        org_id = parent[org_id]  # type: ignore[assignment]
        seen.add(org_id)
    return org_id


def organisation_names(ds: Dataset) -> dict[str, str]:
    return ds.memo("organisation names", lambda: {o.id: o.name for o in ds.organisations})


def country_names(ds: Dataset) -> dict[str, str]:
    return ds.memo("country names", lambda: {c.code: c.name for c in ds.countries})


def completion_values(ds: Dataset, what: str) -> list[str]:
    """The words a shell may complete for an option naming ``what``."""
    if what == "organisations":
        values = [c for o in organisation_candidates(ds) for c in (o.id, *o.names, *o.codes)]
    elif what == "programmes":
        values = [c for p in programme_candidates(ds) for c in (p.id, *p.names)]
    elif what == "countries":
        values = [c for k in country_candidates(ds) for c in (k.id, k.label, *k.names)]
    elif what == "regions":
        values = [r.id for p in ds.programmes for r in p.regions]
    elif what == "events":
        values = [e.id for e in ds.events]
    else:
        values = [record_key(name, r) for name, r in all_records(ds)]
    return list(dict.fromkeys(values))
