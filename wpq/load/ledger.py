"""Checks of the money ledger: which pledges hold money, how far each got (its stage), and
how tranches sit inside their parents. ``check`` runs them with the other cross-record
checks; ``warnings`` finds what is allowed but probably a slip, for ``wpq validate``.

A tranche is part of its parent's money: in the parent's currency, no more than the parent
has left, and at least as far along (a pledge paid in full has every part of it paid).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence, Set
from typing import NamedTuple, Protocol

from ..model import Origin, Pledge
from ..vocabulary import STAGES
from .pending import Pending

# Kinds of pledge that are money and so need an amount; a commitment never has one.
MONEY_KINDS = frozenset({"funding", "grant"})
# Each stage's place in the order: a later stage includes the earlier ones.
STAGE_RANK = {stage: rank for rank, stage in enumerate(STAGES)}
# Stages that say money moved beyond a promise: they need a source that says so.
SOURCED_STAGES = frozenset(STAGES[1:])


class Report(Protocol):
    def __call__(
        self,
        origin: Origin,
        path: Sequence[str | int],
        message: str,
        hint: str = "",
        hint_at: tuple[str, tuple[str | int, ...]] | None = None,
    ) -> None: ...


def check_money(pledge: Pledge, origin: Origin, report: Report) -> None:
    """One pledge's money: an amount with its currency, money only on money kinds, one
    donor, and a stage only on money, sourced beyond ``announced``."""
    if (pledge.amount is None) != (pledge.currency is None):
        if pledge.currency is None:
            report(origin, ("amount",), "an amount needs a currency", "add 'currency'")
        else:
            report(origin, ("currency",), "a currency needs an amount", "add 'amount'")
    elif pledge.kind in MONEY_KINDS and pledge.amount is None:
        report(
            origin,
            ("kind",),
            f"a {pledge.kind} pledge needs an amount",
            "add 'amount' and 'currency', or make it kind: commitment",
        )
    elif pledge.kind not in MONEY_KINDS and pledge.amount is not None:
        # Counted, it would be money no source calls a pledge of money; left out, an amount
        # shown in a listing and missing from every total.
        report(
            origin,
            ("amount",),
            f"a {pledge.kind} has no money, but this one has an amount",
            "make it kind: funding, or grant for a fund's money; or drop 'amount' and 'currency'",
        )
    if pledge.kind in MONEY_KINDS and pledge.with_:
        report(
            origin,
            ("with",),
            f"a {pledge.kind} pledge has one donor",
            "record each donor's money as its own pledge",
        )
    check_stage(pledge, origin, report)


def check_stage(pledge: Pledge, origin: Origin, report: Report) -> None:
    """A stage belongs to money; beyond ``announced`` it names the sources that say so; an
    inferred stage says why; a stage's date is for money committed or paid."""
    staged = [
        field
        for field, given in (
            ("stage", pledge.stage != "announced"),
            ("stage_date", pledge.stage_date is not None),
            ("stage_sources", bool(pledge.stage_sources)),
            ("stage_note", pledge.stage_note is not None),
            ("stage_evidence", pledge.stage_evidence != "stated"),
        )
        if given
    ]
    if pledge.amount is None:
        if staged:
            report(
                origin,
                (staged[0],),
                f"a stage is for money, and this {pledge.kind} has no amount",
                "drop the stage fields, or give 'amount' and 'currency'",
            )
        return
    if pledge.stage in SOURCED_STAGES and not pledge.stage_sources:
        report(
            origin,
            ("stage",),
            f"money called {pledge.stage} needs the sources that say so",
            "add 'stage_sources', or leave 'stage' out: announced",
        )
    if pledge.stage_date is not None and pledge.stage not in SOURCED_STAGES:
        report(
            origin,
            ("stage_date",),
            "a stage date is when money was committed or paid; an announced pledge is "
            "dated by its own 'date'",
            "give 'stage: committed' or 'stage: paid', or drop 'stage_date'",
        )
    if pledge.stage_evidence == "inferred" and not pledge.stage_note:
        report(
            origin,
            ("stage_evidence",),
            "an inferred stage needs a note saying why",
            "add a 'stage_note'",
        )


def check_tranches(
    pledges: Iterable[Pledge],
    origins: Mapping[tuple[str, str], Origin],
    report: Report,
    twice: Set[str] = frozenset(),
) -> None:
    """A tranche's money is part of its parent's: the parent has money, in the same
    currency, no less than its tranches together (so no less than those at any one stage);
    a fund's grant and a donor's pledge never split into one another (grants are never
    added, pledges always are); and a tranche is at least as far along as its parent. Ids
    defined ``twice`` are left out: the duplicate is reported, not what follows from it."""
    by_id = {p.id: p for p in pledges}
    sums: dict[str, int] = defaultdict(int)
    for pledge in by_id.values():
        parent = by_id.get(pledge.part_of or "")
        if parent is None or pledge.amount is None or {pledge.id, parent.id} & twice:
            continue
        origin = origins[("pledges", pledge.id)]
        if parent.amount is None:
            report(
                origin,
                ("part_of",),
                f"a tranche of {pledge.currency} {pledge.amount:,} is part of "
                f"'{parent.id}', which has no amount",
                "a tranche with money needs a parent with money: give the parent an amount "
                "and currency, or drop part_of",
            )
            continue
        if (pledge.kind == "grant") != (parent.kind == "grant"):
            report(
                origin,
                ("kind",),
                f"a {pledge.kind} cannot be a tranche of the {parent.kind} '{parent.id}'",
                "a fund's grants are not its donors' pledges: only a grant splits into grants",
            )
            continue
        if pledge.currency != parent.currency:
            report(
                origin,
                ("currency",),
                f"a tranche in {pledge.currency} of pledge '{parent.id}' in {parent.currency}",
                "a tranche keeps its parent's currency",
            )
            continue
        sums[parent.id] += pledge.amount
        if sums[parent.id] > parent.amount:
            report(
                origin,
                ("amount",),
                f"tranches of '{parent.id}' add up to "
                f"{sums[parent.id]:,}, more than its {parent.amount:,}",
                "a tranche is part of its parent's money, not more of it",
            )
        if STAGE_RANK[pledge.stage] < STAGE_RANK[parent.stage]:
            where = origins[("pledges", parent.id)]
            report(
                origin,
                ("stage",),  # where it is written, else the tranche itself
                f"a tranche at stage {pledge.stage} of '{parent.id}', which is "
                f"{parent.stage} in full",
                f"every part of money {parent.stage} in full is {parent.stage} too: one of "
                "the two stages is wrong; the parent's is at {at}",
                hint_at=(where.path, (where.collection, where.index, "stage")),
            )


class Slip(NamedTuple):
    """What is allowed but probably a slip, in one field of one pledge."""

    pledge: str
    field: str
    message: str
    hint: str


def warnings(pledges: Iterable[Pledge]) -> list[Slip]:
    """What is allowed but probably a slip: a tranche dated before its own pledge, money
    committed or paid before it was pledged."""
    found = []
    by_id = {p.id: p for p in pledges}
    for pledge in by_id.values():
        parent = by_id.get(pledge.part_of or "")
        if parent is not None and earlier(pledge.date, parent.date):
            found.append(
                Slip(
                    pledge.id,
                    "date",
                    f"tranche dated {pledge.date}, before its pledge '{parent.id}' of "
                    f"{parent.date}",
                    "a part of a pledge cannot move before the pledge is made: check both dates",
                )
            )
        if pledge.stage_date is not None and earlier(pledge.stage_date, pledge.date):
            found.append(
                Slip(
                    pledge.id,
                    "stage_date",
                    f"{pledge.stage} on {pledge.stage_date}, before the pledge's date "
                    f"{pledge.date}",
                    "check both dates",
                )
            )
    return found


def placed(found: Iterable[Slip], origins: Mapping[tuple[str, str], Origin]) -> list[Pending]:
    """``warnings`` at their places in their files, for ``records.resolve_positions``."""
    pending = []
    for warning in found:
        origin = origins.get(("pledges", warning.pledge))
        if origin is None:
            continue
        where = f"{origin.collection}[{origin.index}].{warning.field}"
        node = (origin.collection, origin.index, warning.field)
        pending.append(Pending(origin.path, node, f"{where}: {warning.message}", warning.hint))
    return pending


def earlier(date: str, than: str) -> bool:
    """Whether ``date`` lies before ``than``, compared at the precision both have."""
    width = min(len(date), len(than))
    return date[:width] < than[:width]
