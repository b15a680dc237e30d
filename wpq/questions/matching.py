"""How a name on the command line finds its record: exactly, or not at all.

A name is matched after folding case, accents and spacing against each candidate's id, whole
name, aliases and codes. A prefix or a part of a name is never taken: when nothing matches
exactly, the ``UsageError`` lists every candidate the words could mean (all of them, each
with its id, name and date), then the closest by likeness. ``names.py`` says what the
candidates of each option are; this module knows nothing of the dataset.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

import msgspec

from ..errors import UsageError
from ..vocabulary import name_key


class Candidate(msgspec.Struct, frozen=True):
    """Something a name on the command line may mean: its id, label, other names and codes,
    and a date to tell it from its namesakes in a message."""

    id: str
    label: str
    names: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    date: str | None = None

    def forms(self) -> tuple[str, ...]:
        """Every way to write it, the id first."""
        return (self.id, self.label, *self.names, *self.codes)

    def words(self) -> tuple[str, ...]:
        """The forms whose words may be typed in part (not codes: a code is whole or nothing)."""
        return (self.id, self.label, *self.names)


key = name_key  # what two ways of writing a name must share to be the same name


class Pool(tuple[Candidate, ...]):
    """Candidates with an index of their names, built the first time one is looked up (a
    dataset's pools are built once: ``names.py`` keeps them in ``Dataset.memo``)."""

    def named(self, wanted: str) -> list[Candidate]:
        """The candidates that have ``wanted`` (a ``key``) as an id, name, alias or code."""
        index: dict[str, list[Candidate]] | None = self.__dict__.get("index")
        if index is None:
            index = {}
            for candidate in self:
                for form in dict.fromkeys(key(f) for f in candidate.forms()):
                    index.setdefault(form, []).append(candidate)
            self.__dict__["index"] = index
        return index.get(wanted, [])


def exact(text: str, groups: Sequence[Sequence[Candidate]], what: str) -> list[Candidate]:
    """The candidates ``text`` names exactly (id, name, alias or code), from the first group
    that has any; a blank ``text`` is a usage error."""
    wanted = key(text)
    if not wanted:
        raise UsageError(f"{what} needs a name, not '{text}'")
    for candidates in groups:
        if isinstance(candidates, Pool):
            found = candidates.named(wanted)
        else:
            found = [c for c in candidates if any(key(f) == wanted for f in c.forms())]
        if found:
            return list({c.id: c for c in found}.values())
    return []


class Hints(msgspec.Struct, frozen=True):
    """What an error about a name suggests when the name is near none: the candidates that
    play the option's part (``preferred``, called ``group``: "donors"), what all of them are
    called (``plural``) and the command that lists them (``see``)."""

    preferred: Collection[str] = ()
    group: str = ""
    plural: str = ""
    see: str = ""
    otherwise: str = ""  # said instead, when there is nothing to list


def match(
    text: str, candidates: Sequence[Candidate], what: str, hints: Hints | None = None
) -> Candidate:
    """The one candidate ``text`` names exactly; otherwise a ``UsageError`` (see ``unknown``)."""
    return match_first(text, [candidates], what, hints)


def match_first(
    text: str, groups: Sequence[Sequence[Candidate]], what: str, hints: Hints | None = None
) -> Candidate:
    """As ``match`` over groups of candidates: an exact name in an earlier group wins."""
    found = exact(text, groups, what)
    if len(found) == 1:
        return found[0]
    if found:
        raise ambiguous(text, found, what)
    raise unknown(text, [c for candidates in groups for c in candidates], what, hints)


def ambiguous(text: str, found: Sequence[Candidate], what: str) -> UsageError:
    """Several records have ``text`` as their exact name (across collections, or a name a
    country gives its government): every one is listed."""
    return UsageError(f"{what} '{text}' is ambiguous: it names {listed(found)}; give an id")


def unknown(
    text: str, candidates: Sequence[Candidate], what: str, hints: Hints | None = None
) -> UsageError:
    """The error for a name no candidate has: every candidate its words could mean, then the
    nearest by spelling; when there are neither, what there is to choose from (``known``)."""
    hints = hints or Hints()
    wanted = key(text)
    could = could_mean(wanted, candidates, hints.preferred)
    meant = {c.id for c in could}
    near = [c for c in nearest(wanted, candidates, hints.preferred) if c.id not in meant]
    message = f"unknown {what} '{text}'"
    if could:
        message += f": no {what} is called exactly that; it could mean {listed(could)}"
    if near:
        message += f"; {'or ' if could else ''}did you mean {listed(near, counted=False)}?"
    if not could and not near:
        message += "; " + (hints.otherwise or known(candidates, hints))
    return UsageError(message)


_WORD = re.compile(r"[^\W_]+")


def could_mean(
    wanted: str, candidates: Sequence[Candidate], preferred: Collection[str] = ()
) -> list[Candidate]:
    """Every candidate that ``wanted`` (a ``key``) could be a shortening of: part of one of
    its names, or the start of each of some of its words ("abu dhabi", "global summit",
    "uk 50m"). Those ``preferred`` first, then in the candidates' order."""
    words = _WORD.findall(wanted)
    found = []
    for candidate in candidates:
        for form in candidate.words():
            folded = key(form)
            theirs = _WORD.findall(folded)
            if wanted in folded or (
                words and all(any(w.startswith(mine) for w in theirs) for mine in words)
            ):
                found.append(candidate)
                break
    return sorted(found, key=lambda c: c.id not in preferred)


def shown(candidate: Candidate) -> str:
    """A candidate in a message: its id, with its name (when that says more) and date."""
    label, at = key(candidate.label), key(candidate.id)
    said = [candidate.label] if label and label not in (at, at.rpartition("/")[2]) else []
    said += [candidate.date] if candidate.date else []
    return f"{candidate.id} ({', '.join(said)})" if said else candidate.id


def listed(candidates: Sequence[Candidate], counted: bool = True) -> str:
    """Every candidate (names may hold commas: separated by semicolons), ``counted`` when
    more than one: "any of 3: a (A); b (B); c (C)"."""
    each = "; ".join(shown(c) for c in candidates)
    return f"any of {len(candidates)}: {each}" if counted and len(candidates) > 1 else each


def _likeness(wanted: str, name: str) -> float:
    """How close ``name`` is to ``wanted``: spelling, or the share of its words in ``name``.
    A code (three letters or fewer) is only alike a word as short: "rwa" is not "nrway"."""
    import difflib  # only on the way to an error

    folded = key(name)
    if len(folded) <= 3 < len(wanted):
        return 0.0
    spelling = difflib.SequenceMatcher(None, wanted, folded).ratio()
    mine, theirs = _WORD.findall(wanted), _WORD.findall(folded)
    # the share of the words given that are words of the name, or, of several words given,
    # spelt nearly as one ("abu dabi"); a single word is weighed by spelling alone
    alike = sum(
        w in theirs
        or (
            len(mine) > 1
            and any(difflib.SequenceMatcher(None, w, t).ratio() >= 0.8 for t in theirs)
        )
        for w in mine
    )
    return max(spelling, 0.9 * alike / len(mine) if mine else 0.0)


def nearest(
    wanted: str, candidates: Sequence[Candidate], preferred: Collection[str] = (), limit: int = 5
) -> list[Candidate]:
    """The candidates spelt near ``wanted``, the ``preferred`` ones first, then the nearest."""
    scored = [(max(_likeness(wanted, f) for f in c.forms()), c) for c in candidates]
    scored.sort(key=lambda pair: (pair[1].id not in preferred, -pair[0]))  # ties: data order
    return [c for score, c in scored if score >= 0.75][:limit]


def closest(
    wanted: str, candidates: Sequence[Candidate], preferred: Collection[str] = (), limit: int = 5
) -> str:
    """ "did you mean …?" with the candidates near ``wanted``; '' when none is near."""
    near = nearest(key(wanted), candidates, preferred, limit)
    return "did you mean " + ", ".join(shown(c) for c in near) + "?" if near else ""


def known(candidates: Sequence[Candidate], hints: Hints | None = None, limit: int = 8) -> str:
    """What to choose from, when no candidate is near the name given: the preferred ones
    ("the donors are …"), else all of them, listed when few, else counted, with the command
    that lists them."""
    hints = hints or Hints()
    playing = [c for c in candidates if c.id in hints.preferred]
    pool = playing or list(candidates)
    noun = hints.group if playing and hints.group else hints.plural
    see = hints.see
    if not pool:
        return f"there are no {noun or 'choices'}"
    if len(pool) <= limit:
        each = ", ".join(shown(c) for c in pool)
        return f"the {noun} are {each}" if noun else f"one of: {each}"
    text = f"none of the {len(pool)} {noun or 'choices'} is named like that"
    return text + (f" ({see} lists them)" if see else "")
