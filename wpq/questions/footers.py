"""Money in words: the footers under funding tables and the money on a pledge's card.

Plain sentences from ``money``'s measures: what was pledged, committed and paid, what no
source shows paid (where the selection holds whole pledges), why the measures differ when a
selection cuts a pledge from its tranches, grants apart, and the rates' sources after a
conversion. Never "given": a pledge is money promised, not money shown to have moved.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model import Dataset, Pledge
from .money import (
    MEASURES,
    Conversions,
    descendants,
    gather_tranches,
    measure_totals,
    pledges_by_id,
    rate_sources,
)
from .rows import Row, year_of


def format_totals(totals: Sequence[dict[str, Any]]) -> str:
    """Totals per currency in words: ``GBP 76,500,000; NOK 30,000,000``, or ``nothing``."""
    return "; ".join(f"{t['currency']} {t['amount']:,}" for t in totals) or "nothing"


def measures_lines(totals: dict[str, Any], *, whole: bool = True) -> list[str]:
    """One line per currency: ``GBP: pledged 50,000,000 · committed ... · paid ...``, then
    what is not shown paid when ``whole`` (the selection holds each pledge with all its
    tranches, so that pledged and paid cover the same money)."""
    amounts = {m: {t["currency"]: t["amount"] for t in totals[m]} for m in MEASURES}
    lines = []
    for currency in sorted({c for per in amounts.values() for c in per}):
        got = {m: amounts[m].get(currency, 0) for m in MEASURES}
        parts = [f"{m} {got[m]:,}" for m in MEASURES]
        gap = got["pledged"] - got["paid"]
        if whole and gap:
            parts.append(f"not shown paid {gap:,}")
        lines.append(f"{currency}: " + " · ".join(parts))
    return lines


def footer_lines(
    ds: Dataset, pledges: Sequence[Pledge], conversions: Conversions | None = None
) -> list[str]:
    """The lines under a funding table: the three measures (and what is not shown paid),
    why they cover different money when the selection cuts pledges from their tranches;
    grants listed apart; with ``--in``, how and from where it converted."""
    totals = measure_totals(ds, pledges, conversions)
    money = [p for p in pledges if p.kind != "grant"]
    reasons = _cut(ds, money)
    lines = []
    if money:
        lines.extend(measures_lines(totals, whole=not reasons))
    elif pledges:
        lines.append("Pledged, committed and paid: nothing (grants alone).")
    else:
        lines.append("Total: nothing to count")
    if reasons:
        lines.append(reasons)
    else:
        split = sum(1 for p in money if p.part_of is not None)
        if split:
            s = "s" if split > 1 else ""
            lines.append(
                f"({split} tranche{s} listed under {'their' if s else 'its'} pledge, each "
                "at its own stage: every amount counted once)"
            )
    grants = [p for p in pledges if p.kind == "grant"]
    if grants:
        s = "s" if len(grants) > 1 else ""
        lines.append(
            f"({len(grants)} grant{s} out of a fund listed apart, not added: "
            f"{format_totals(totals['granted'])}; that money is the fund's donors')"
        )
    if conversions:
        used = rate_sources(ds, conversions.values())
        named = "; ".join(f"{s['id']}: {s['publisher']}, {s['title']}" for s in used)
        target = next(iter(conversions.values())).pledged.to
        lines.append(
            f"(in {target}, each amount at the annual average rate of the year it moved"
            + (f"; rates from {named})" if named else ")")
        )
    return lines


def _cut(ds: Dataset, pledges: Sequence[Pledge]) -> str:
    """One plain sentence on how this selection cuts pledges from their tranches (so that
    pledged and paid cover different money), or '' when every pledge is whole."""
    chosen = {p.id for p in pledges}
    gather_tranches(ds, pledges, deep=True)
    by_id = pledges_by_id(ds, [p.part_of for p in pledges if p.part_of])
    reasons = []
    outside = sorted(
        {
            year_of(t.date)
            for p in pledges
            for t in descendants(ds, p)
            if t.id not in chosen and t.kind != "grant"
        }
    )
    if outside:
        reasons.append(
            "part of what was pledged here went in tranches outside this selection, in "
            + _listed(outside)
        )
    inside = [p for p in pledges if p.part_of is not None and p.part_of not in chosen]
    if inside:
        parents = {p.part_of for p in inside if p.part_of in by_id}
        made = sorted({year_of(by_id[parent].date) for parent in parents})
        what = "a pledge" if len(parents) == 1 else "pledges"
        tranche = "1 tranche here is" if len(inside) == 1 else f"{len(inside)} tranches here are"
        reasons.append(f"{tranche} part of {what} made outside this selection, in {_listed(made)}")
    text = "; ".join(reasons)
    return text[:1].upper() + text[1:] + "." if text else ""


def _listed(items: Sequence[object]) -> str:
    """``2014``, ``2015 and 2016``, ``2014, 2015 and 2016``."""
    words = [str(i) for i in items]
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


def total_lines(
    ds: Dataset, rows: Sequence[Row], conversions: Conversions | None = None
) -> list[str]:
    """``footer_lines`` for the pledges whose rows a funding table shows."""
    pledges = pledges_by_id(ds, [r["id"] for r in rows if r.get("id")])
    return footer_lines(ds, [pledges[r["id"]] for r in rows if r.get("id") in pledges], conversions)


def summary_footer(summary: dict[str, Any], *, whole: bool = True) -> list[str]:
    """The lines under a ``--summary`` drawn from the summary object alone; ``whole`` when
    it covers every pledge with all its tranches (``wpq summary``)."""
    lines = measures_lines(summary, whole=whole)
    if summary["granted"]:
        lines.append(
            "(granted out of funds, listed apart and not added: "
            f"{format_totals(summary['granted'])})"
        )
    if "conversions" in summary:
        lines.append("(converted at the annual average rate of the year each amount moved)")
    return lines


def money_lines(money: Row) -> list[str]:
    """``pledge_money`` in plain lines, for the card of ``wpq show``."""
    currency = money["currency"]
    whole = money["whole"]
    over = f" over {money['period_words']}" if money.get("period_words") else ""
    lines = [f"{currency} {money['amount']:,}{over}"]
    for t in money["tranches"]:
        to = f" to {t['to_name'] or t['to']}" if t["to"] else ""
        lines.append(
            f"tranche {t['id']} ({t['date']}, {t['stage']}): {currency} {t['amount']:,}{to}"
        )
    if money["tranches"]:
        lines.append(f"not split into tranches: {currency} {money['remainder']:,}")
    lines.append(
        f"of it: committed {currency} {whole['committed']:,}; paid {currency} "
        f"{whole['paid']:,}; not shown paid {currency} {whole['not_shown_paid']:,}"
    )
    if money["granted"]:
        lines.append(
            f"granted out of a fund, never added to the measures: {currency} {money['granted']:,}"
        )
    elif (money["pledged"], money["committed"], money["paid"]) != (
        whole["amount"],
        whole["committed"],
        whole["paid"],
    ):  # a pledge split into tranches, or a tranche: its row holds only its own share
        lines.append(
            "in its funding row: " + "; ".join(f"{m} {currency} {money[m]:,}" for m in MEASURES)
        )
    return lines
