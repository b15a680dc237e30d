""" "Did you mean" for a reference a data file makes: the records of the collection it refers
to, matched by id, name and alias (``by: Norway`` -> ``'norway-gov' (Government of Norway)``).

Used on the way to a load error only. The command line has its own matching
(``questions/names.py``); this one ranks for a writer who typed a name, or mistyped an id,
where an id belongs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from ..vocabulary import fold

# A near miss by spelling must be this close (difflib's ratio) to be offered: lower, and a
# missing source gets some other source that merely shares "-press-20".
CUTOFF = 0.7
SHOWN = 3


class Candidate(NamedTuple):
    """A record a reference may have meant: its id (or code), label and other names."""

    key: str
    label: str = ""
    names: tuple[str, ...] = ()


class Suggester:
    """Suggestions from one collection's candidates, each name folded once; repeated values
    (a file may name the same missing id a thousand times) are answered once."""

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self.candidates = list(candidates)
        self.names: dict[str, list[Candidate]] = {}
        self.words: list[tuple[frozenset[str], Candidate]] = []
        for candidate in self.candidates:
            folded = {fold(n) for n in (candidate.key, candidate.label, *candidate.names) if n}
            for name in folded:
                self.names.setdefault(name, []).append(candidate)
            self.words += [(frozenset(_words(name)), candidate) for name in folded]
        self.answers: dict[str, str] = {}

    def did_you_mean(self, value: str) -> str:
        """ "did you mean 'norway-gov' (Government of Norway)?", or '' when nothing is close."""
        if value not in self.answers:
            self.answers[value] = did_you_mean(self.closest(value))
        return self.answers[value]

    def closest(self, value: str) -> list[Candidate]:
        """The candidates ``value`` most likely meant, best first (at most ``SHOWN``).

        In turn: one whose id, name or alias equals it; ones with an id, name or alias that
        has all of its words ("Norway" in "Government of Norway", "home office" in
        "home-office"); ones spelt nearly the same.
        """
        import difflib  # only on the way to an error

        wanted = fold(value)
        if not wanted:
            return []
        if wanted in self.names:
            return _unique(self.names[wanted])
        words = set(_words(wanted))
        containing = [c for found, c in self.words if words and words <= found]
        if containing:
            return _unique(sorted(containing, key=lambda c: (-self._likeness(wanted, c), c.key)))
        close = difflib.get_close_matches(wanted, self.names, n=SHOWN * 2, cutoff=CUTOFF)
        return _unique([c for name in close for c in self.names[name]])

    def _likeness(self, wanted: str, candidate: Candidate) -> float:
        import difflib

        names = [n for n in (candidate.key, candidate.label, *candidate.names) if n]
        return max(difflib.SequenceMatcher(None, wanted, fold(n)).ratio() for n in names)


def did_you_mean(candidates: list[Candidate]) -> str:
    """ "did you mean 'a' (A) or 'b'?" for ``candidates``, or '' when there are none."""
    shown = [_shown(c) for c in candidates]
    if not shown:
        return ""
    return (
        "did you mean "
        + (", ".join(shown[:-1]) + " or " if len(shown) > 1 else "")
        + shown[-1]
        + "?"
    )


def _unique(candidates: Iterable[Candidate]) -> list[Candidate]:
    return list(dict.fromkeys(candidates))[:SHOWN]


def _shown(candidate: Candidate) -> str:
    if candidate.label and fold(candidate.label) != fold(candidate.key):
        return f"'{candidate.key}' ({candidate.label})"
    return f"'{candidate.key}'"


_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)
