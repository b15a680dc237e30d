"""Money in words: the footers under funding tables and the money on a pledge's card.

Plain sentences from ``money``'s measures: one total where pledged and given agree, both and
why they differ where they do, grants apart, and the rates' sources after a conversion.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model import Dataset, Pledge
from .money import Conversions, measure_totals, pledges_by_id, rate_sources, tranches
from .rows import Row, year_of


def format_totals(totals: Sequence[dict[str, Any]]) -> str:
    """Totals per currency in words: ``GBP 76,500,000; NOK 30,000,000``, or ``nothing``."""
    return "; ".join(f"{t['currency']} {t['amount']:,}" for t in totals) or "nothing"


def footer_lines(
    ds: Dataset, pledges: Sequence[Pledge], conversions: Conversions | None = None
) -> list[str]:
    """The lines under a funding table: one total where the measures agree, else both and
    why they differ; grants listed apart; with ``--in``, how and from where it converted."""
    totals = measure_totals(ds, pledges, conversions)
    given, pledged = totals["given"], totals["pledged"]
    lines = []
    if given == pledged:
        lines.append(_total(given, totals["granted"]))
        split = sum(1 for p in pledges if p.part_of is not None and p.kind != "grant")
        if split:
            s = "s" if split > 1 else ""
            lines.append(
                f"({split} tranche{s} listed under {'their' if s else 'its'} pledge: "
                "each amount counted once)"
            )
    else:
        lines.append(
            f"Pledged: {format_totals(pledged)}. Given in this selection: {format_totals(given)}."
        )
        lines.append(_why_they_differ(ds, pledges, conversions))
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
        target = next(iter(conversions.values())).to
        lines.append(
            f"(in {target}, each amount at the annual average rate of the year it moved"
            + (f"; rates from {named})" if named else ")")
        )
    return lines


def _total(given: Sequence[dict[str, Any]], granted: Sequence[dict[str, Any]]) -> str:
    """The one total where pledged and given agree."""
    if given:
        return f"Total: {format_totals(given)}"
    return "Pledged and given: nothing (grants alone)." if granted else "Total: nothing to count"


def _why_they_differ(
    ds: Dataset, pledges: Sequence[Pledge], conversions: Conversions | None
) -> str:
    """One plain sentence on why pledged and given differ for these pledges."""
    chosen = {p.id for p in pledges}
    by_id = pledges_by_id(ds, [p.part_of for p in pledges if p.part_of])
    reasons = []
    outside = sorted(
        {
            year_of(t.date)
            for p in pledges
            for t in _descendants(ds, p)
            if t.id not in chosen and t.kind != "grant"
        }
    )
    if outside:
        reasons.append(
            f"part of what was pledged here was given outside this selection, in {_listed(outside)}"
        )
    inside = [
        p
        for p in pledges
        if p.part_of is not None and p.part_of not in chosen and p.kind != "grant"
    ]
    if inside:
        parents = {p.part_of for p in inside if p.part_of in by_id}
        made = sorted({year_of(by_id[parent].date) for parent in parents})
        what = "a pledge" if len(parents) == 1 else "pledges"
        tranche = (
            "1 tranche given here is"
            if len(inside) == 1
            else f"{len(inside)} tranches given here are"
        )
        reasons.append(f"{tranche} part of {what} made outside this selection, in {_listed(made)}")
    if conversions and not reasons:
        reasons.append(
            "a pledge is converted at the rate of the year it was made, what was given at "
            "the rate of the year it went"
        )
    text = "; ".join(reasons)
    return text[:1].upper() + text[1:] + "."


def _listed(items: Sequence[object]) -> str:
    """``2014``, ``2015 and 2016``, ``2014, 2015 and 2016``."""
    words = [str(i) for i in items]
    return " and ".join([", ".join(words[:-1]), words[-1]] if len(words) > 1 else words)


def _descendants(ds: Dataset, pledge: Pledge) -> list[Pledge]:
    found, todo = [], list(tranches(ds, pledge.id))
    while todo:
        tranche = todo.pop()
        found.append(tranche)
        todo.extend(tranches(ds, tranche.id))
    return found


def total_lines(
    ds: Dataset, rows: Sequence[Row], conversions: Conversions | None = None
) -> list[str]:
    """``footer_lines`` for the pledges whose rows a funding table shows."""
    pledges = pledges_by_id(ds, [r["id"] for r in rows if r.get("id")])
    return footer_lines(ds, [pledges[r["id"]] for r in rows if r.get("id") in pledges], conversions)


def summary_footer(summary: dict[str, Any]) -> list[str]:
    """The lines under a ``--summary`` drawn from the summary object alone."""
    given, pledged, granted = summary["totals"], summary["pledged"], summary["granted"]
    if given == pledged:
        lines = [_total(given, granted)]
    else:
        lines = [f"Pledged: {format_totals(pledged)}. Given: {format_totals(given)}."]
    if granted:
        lines.append(
            f"(granted out of funds, listed apart and not added: {format_totals(granted)})"
        )
    if "conversions" in summary:
        lines.append("(converted at the annual average rate of the year each amount moved)")
    return lines


def money_lines(money: Row) -> list[str]:
    """``pledge_money`` in plain lines, for the card of ``wpq show``."""
    currency = money["currency"]
    lines = []
    for t in money["tranches"]:
        to = f" to {t['to_name'] or t['to']}" if t["to"] else ""
        lines.append(f"tranche {t['id']} ({t['date']}): {currency} {t['amount']:,}{to}")
    if money["tranches"]:
        lines.append(f"not split into tranches: {currency} {money['remainder']:,}")
    if money["granted"]:
        lines.append(f"granted out of a fund, never added: {currency} {money['granted']:,}")
    else:
        lines.append(
            f"counts as pledged: {currency} {money['pledged']:,}; "
            f"as given: {currency} {money['given']:,}"
        )
    return lines
