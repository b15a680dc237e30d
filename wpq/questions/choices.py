"""The values a shell may offer for an option naming something in the data: one word per
record, organisations that play the option's part first. ``commands/completion.py`` hands them to
the shell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..model import Dataset, record_key
from .matching import Candidate, key
from .names import (
    country_candidates,
    event_candidates,
    government_candidates,
    organisation_roles,
    programme_candidates,
    region_candidates,
)
from .rows import COLLECTION_NAMES, all_records

# Groups of candidates, offered in turn: the first group with an answer is the answer.
Tiers = list[Sequence[Candidate]]


def _organisations_first(role: str) -> Callable[[Dataset], Tiers]:
    def tiers(ds: Dataset) -> Tiers:
        everyone = government_candidates(ds)
        playing = organisation_roles(ds)[role]
        return [[c for c in everyone if c.id in playing], everyone]

    return tiers


def _currencies(ds: Dataset) -> Tiers:
    codes = sorted({p.currency for p in ds.pledges if p.currency})
    return [[Candidate(code, code) for code in codes]]


_COMPLETION_TIERS: dict[str, Callable[[Dataset], Tiers]] = {
    "organisations": lambda ds: [government_candidates(ds)],
    "donors": _organisations_first("donor"),
    "pledgers": _organisations_first("pledger"),
    "recipients": _organisations_first("recipient"),
    "hosts": _organisations_first("host"),
    "leads": _organisations_first("lead"),
    "programmes": lambda ds: [programme_candidates(ds)],
    "countries": lambda ds: [country_candidates(ds)],
    "regions": lambda ds: [region_candidates(ds)],
    "events": lambda ds: [event_candidates(ds)],
    "currencies": _currencies,
    "records": lambda ds: [
        [Candidate(record_key(n, r), record_key(n, r)) for n, r in all_records(ds)]
    ],
    "collections": lambda ds: [[Candidate(n, n) for n in COLLECTION_NAMES]],
}


def completion_values(ds: Dataset, what: str, incomplete: str = "") -> list[str]:
    """The words a shell may offer for an option naming ``what`` after ``incomplete``.

    One word per record, each one the option takes as it is: its id when nothing is typed
    yet, else the shortest of its names that starts like ``incomplete`` ("unicef" after
    "un", "United Kingdom" after "unite"), case and accents aside, written as the data
    writes it (forms that start exactly as typed first). Organisations that play the
    option's role come first and alone (``--donor`` offers the donors); the rest only when
    none of those fits.
    """
    wanted = key(incomplete)
    tiers = _COMPLETION_TIERS[what](ds)
    owners: dict[str, set[str]] = {}  # a name two records share names neither: not offered
    for candidate in {c.id: c for tier in tiers for c in tier}.values():
        for form in candidate.forms():
            owners.setdefault(key(form), set()).add(candidate.id)
    for tier in tiers:
        offered = []
        for candidate in tier:
            fitting = [
                f
                for f in candidate.forms()
                if key(f).startswith(wanted) and len(owners[key(f)]) == 1
            ]
            if fitting:
                best = min(fitting, key=lambda f: (not f.startswith(incomplete), len(f)))
                offered.append(best if wanted else candidate.id)
        if offered:
            return list(dict.fromkeys(offered))
    return []
