"""Names on the command line -> ids: organisations, programmes, countries, events, kinds.

Matching is case- and accent-insensitive and tries, in order: id, name or alias, ISO code,
then a unique prefix or substring; no match or several is a ``UsageError`` naming the
closest candidates, ranked. Also what each organisation did (its roles), and the parts
and roots of organisations.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any

import msgspec

from ..errors import UsageError
from ..model import Dataset
from ..vocabulary import ROLES as ROLES
from ..vocabulary import fold

# A filter's value: one name, several (an option given more than once), or none.
Names = str | Sequence[str] | None


class Candidate(msgspec.Struct, frozen=True):
    """Something a name on the command line may mean: its id, label, other names and codes."""

    id: str
    label: str
    names: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()

    def forms(self) -> tuple[str, ...]:
        """Every way to write it, the id first."""
        return (self.id, self.label, *self.names, *self.codes)


_EXACT_STEPS: tuple[Callable[[Candidate, str], bool], ...] = (
    lambda c, wanted: fold(c.id) == wanted,
    lambda c, wanted: any(fold(n) == wanted for n in (c.label, *c.names)),
    lambda c, wanted: any(fold(code) == wanted for code in c.codes),
)
_PARTIAL_STEPS: tuple[Callable[[Candidate, str], bool], ...] = (
    lambda c, wanted: any(fold(n).startswith(wanted) for n in (c.id, c.label, *c.names)),
    lambda c, wanted: any(wanted in fold(n) for n in (c.id, c.label, *c.names)),
)


def match(
    text: str,
    candidates: Sequence[Candidate],
    what: str,
    **hints: Any,
) -> Candidate:
    """The one candidate ``text`` names: id, name or alias, code, then unique prefix/substring.

    When nothing matches, the message lists the closest candidates by spelling, or else says
    what there is to choose from (``hints``: see ``known``).
    """
    return match_first(text, [candidates], what, **hints)


def match_first(
    text: str,
    groups: Sequence[Sequence[Candidate]],
    what: str,
    **hints: Any,
) -> Candidate:
    """As ``match`` over several groups of candidates (see ``matches``): an exact alias in
    an earlier group beats the same in a later one, and any exact name beats a prefix."""
    found = matches(text, groups, what)
    if len(found) == 1:
        return found[0]
    if found:
        listed = ", ".join(shown(c) for c in found[:8])
        more = f" and {len(found) - 8} more" if len(found) > 8 else ""
        raise UsageError(f"{what} '{text}' is ambiguous: it matches {listed}{more}")
    everything = [c for candidates in groups for c in candidates]
    preferred = hints.get("preferred", ())
    hint = closest(fold(text), everything, preferred) or known(everything, **hints)
    raise UsageError(f"unknown {what} '{text}'; {hint}")


def matches(text: str, groups: Sequence[Sequence[Candidate]], what: str) -> list[Candidate]:
    """The candidates of the first step that ``text`` matches (see ``match``). An exact id,
    name or code is taken from the first group that has one; a prefix or a part of a name
    from every group, so one that fits in two groups is ambiguous."""
    wanted = fold(text)
    if not wanted:
        raise UsageError(f"{what} needs a name, not '{text}'")
    for step in _EXACT_STEPS:
        for candidates in groups:
            found = [c for c in candidates if step(c, wanted)]
            if found:
                return found
    for step in _PARTIAL_STEPS:
        found = [c for candidates in groups for c in candidates if step(c, wanted)]
        if found:
            return found
    return []


def shown(candidate: Candidate) -> str:
    """A candidate in a message: its id, and its name when that says more."""
    if fold(candidate.label) == fold(candidate.id) or not candidate.label:
        return candidate.id
    return f"{candidate.id} ({candidate.label})"


def _likeness(wanted: str, name: str) -> float:
    """How close ``name`` is to ``wanted``: spelling, or the share of words they have in common.
    A code (three letters or fewer) is only alike a word as short: "rwa" is not "nrway"."""
    import difflib  # only on the way to an error

    folded = fold(name)
    if len(folded) <= 3 < len(wanted):
        return 0.0
    spelling = difflib.SequenceMatcher(None, wanted, folded).ratio()
    mine, theirs = set(wanted.split()), set(folded.replace("-", " ").split())
    shared = len(mine & theirs) / len(mine) if mine else 0.0
    return max(spelling, 0.9 * shared)


def closest(
    wanted: str, candidates: Sequence[Candidate], preferred: Collection[str] = (), limit: int = 5
) -> str:
    """ "did you mean …?" with the candidates near ``wanted``, the ``preferred`` ones first,
    then the nearest; '' when none is near."""
    scored = [(max(_likeness(wanted, f) for f in c.forms()), c) for c in candidates]
    scored.sort(key=lambda pair: (pair[1].id not in preferred, -pair[0]))  # ties: data order
    near = [c for score, c in scored if score >= 0.75]
    return "did you mean " + ", ".join(shown(c) for c in near[:limit]) + "?" if near else ""


def known(
    candidates: Sequence[Candidate],
    *,
    preferred: Collection[str] = (),
    group: str = "",
    plural: str = "",
    see: str = "",
    limit: int = 8,
) -> str:
    """What to choose from, when no candidate is near the name given: the ``preferred`` ones
    (``group`` names them: "donors"), else all of them (``plural``: "countries"), listed when
    few, else counted; ``see`` is a command that lists them."""
    playing = [c for c in candidates if c.id in preferred]
    pool = playing or list(candidates)
    noun = group if playing and group else plural
    if not pool:
        return f"there are no {noun or 'choices'}"
    if len(pool) <= limit:
        listed = ", ".join(shown(c) for c in pool)
        return f"the {noun} are {listed}" if noun else f"one of: {listed}"
    text = f"none of the {len(pool)} {noun or 'choices'} is named like that"
    return text + (f" ({see} lists them)" if see else "")


# ---------------------------------------------------------------- candidates per collection


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


def region_candidates(ds: Dataset) -> list[Candidate]:
    """The regions of every programme, each once (by id)."""
    regions = {r.id: Candidate(r.id, r.name) for p in ds.programmes for r in p.regions}
    return list(regions.values())


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


def match_organisation(
    ds: Dataset, text: str, what: str = "organisation", role: str | None = None
) -> str:
    """The id of the organisation ``text`` names (see ``match``); ``role`` (a key of
    ``ROLES``) says which organisations to suggest when it names none."""
    candidates = organisation_candidates(ds)
    found = matches(text, [candidates], what)
    if len(found) == 1:  # the roles (which read events and programmes) only for a message
        return found[0].id
    hints: dict[str, Any] = {"plural": "organisations", "see": "wpq organisations"}
    if role:
        hints = {
            "preferred": organisation_roles(ds)[role],
            "group": ROLES[role],
            "plural": "organisations",
            "see": f"wpq organisations --role {role}",
        }
    return match(text, candidates, what, **hints).id


def organisations_named(ds: Dataset, given: Names, what: str, role: str) -> set[str] | None:
    """The organisations named (each with its parts), or None when none is named."""
    names = each(given)
    if not names:
        return None
    found: set[str] = set()
    for name in names:
        found |= with_parts(ds, match_organisation(ds, name, what, role))
    return found


def match_country(ds: Dataset, text: str) -> str:
    """The code of the country ``text`` names (code, name, alias or ISO code)."""
    return match(text, country_candidates(ds), "country", plural="countries").id


def match_programme(ds: Dataset, text: str) -> str:
    return match(
        text, programme_candidates(ds), "programme", plural="programmes", see="wpq programmes"
    ).id


def match_event(ds: Dataset, text: str) -> str:
    return match(text, event_candidates(ds), "event", plural="events", see="wpq events").id


def match_kind(text: str, kinds: Sequence[str], what: str) -> str:
    """The one of ``kinds`` that ``text`` names (exactly or by a unique prefix)."""
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


def country_names(ds: Dataset) -> dict[str, str]:
    return ds.memo("country names", lambda: {c.code: c.name for c in ds.countries})
