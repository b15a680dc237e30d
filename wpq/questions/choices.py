"""The values a shell may offer for an option naming something in the data: one word per
record, organisations that play the option's part first. ``commands/completion.py`` hands them to
the shell.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Dataset, record_key
from ..vocabulary import fold
from .names import (
    Candidate,
    country_candidates,
    organisation_candidates,
    organisation_roles,
    programme_candidates,
    region_candidates,
)
from .rows import COLLECTION_NAMES, all_records


def _organisations_first(role: str) -> Callable[[Dataset], list[list[Candidate]]]:
    def tiers(ds: Dataset) -> list[list[Candidate]]:
        everyone = organisation_candidates(ds)
        playing = organisation_roles(ds)[role]
        return [[c for c in everyone if c.id in playing], everyone]

    return tiers


def _currencies(ds: Dataset) -> list[list[Candidate]]:
    codes = sorted({p.currency for p in ds.pledges if p.currency})
    return [[Candidate(code, code) for code in codes]]


_COMPLETION_TIERS: dict[str, Callable[[Dataset], list[list[Candidate]]]] = {
    "organisations": lambda ds: [organisation_candidates(ds)],
    "donors": _organisations_first("donor"),
    "pledgers": _organisations_first("pledger"),
    "recipients": _organisations_first("recipient"),
    "hosts": _organisations_first("host"),
    "leads": _organisations_first("lead"),
    "programmes": lambda ds: [programme_candidates(ds)],
    "countries": lambda ds: [country_candidates(ds)],
    "regions": lambda ds: [region_candidates(ds)],
    "events": lambda ds: [[Candidate(e.id, e.id) for e in ds.events]],
    "currencies": _currencies,
    "records": lambda ds: [
        [Candidate(record_key(n, r), record_key(n, r)) for n, r in all_records(ds)]
    ],
    "collections": lambda ds: [[Candidate(n, n) for n in COLLECTION_NAMES]],
}


def completion_values(ds: Dataset, what: str, incomplete: str = "") -> list[str]:
    """The words a shell may offer for an option naming ``what`` after ``incomplete``.

    One word per record: its id when nothing is typed yet, else the shortest of its names
    that starts like ``incomplete`` ("unicef" after "un", "United Kingdom" after "Unite"),
    case and accents aside.
    Organisations that play the option's role come first and alone (``--donor`` offers
    the donors); the rest only when none of those fits.
    """
    wanted = fold(incomplete)
    for tier in _COMPLETION_TIERS[what](ds):
        offered = []
        for candidate in tier:
            fitting = [f for f in candidate.forms() if fold(f).startswith(wanted)]
            if fitting:
                # Forms that start exactly as typed first, then the shortest.
                best = min(fitting, key=lambda f: (not f.startswith(incomplete), len(f)))
                offered.append(_as_typed(best, incomplete) if wanted else candidate.id)
        if offered:
            return list(dict.fromkeys(offered))
    return []


def _as_typed(form: str, incomplete: str) -> str:
    """``form`` beginning with ``incomplete`` as typed ("united Kingdom" after "unite"): a shell
    only keeps words that start with what is on the line, and names match in any case."""
    if form.startswith(incomplete) or fold(form[: len(incomplete)]) != fold(incomplete):
        return form
    return incomplete + form[len(incomplete) :]
