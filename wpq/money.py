"""The money model: pledge trees (tranches under their pledge), totals and groups, conversion.

Money is never counted twice: a tranche (``part_of``) is listed under its parent and a
grant out of a fund is listed, but totals count neither again. Conversion uses
``rates.py``, at the annual average rate of the year the money moved.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from .listings import filter_pledges
from .model import Dataset, Pledge
from .names import match_kind, organisation_names, root_organisation
from .rows import Row, year_of

if TYPE_CHECKING:
    from .rates import Conversion


def funding(ds: Dataset, **filters: Any) -> list[Pledge]:
    """Pledges with money, each parent followed by its tranches (tranches nest at any depth)."""
    pledges = [p for p in filter_pledges(ds, by_what="donor", **filters) if p.amount is not None]
    return tranches_under_parents(pledges)


def tranches_under_parents(pledges: Sequence[Pledge]) -> list[Pledge]:
    """Pledges reordered so each is followed by its tranches (``part_of``)."""
    present = {p.id for p in pledges}
    children: dict[str, list[Pledge]] = defaultdict(list)
    tops = []
    for pledge in pledges:
        if pledge.part_of in present:
            children[pledge.part_of].append(pledge)
        else:
            tops.append(pledge)
    ordered: list[Pledge] = []

    def visit(pledge: Pledge) -> None:
        ordered.append(pledge)
        for child in children.get(pledge.id, []):
            visit(child)

    for pledge in tops:
        visit(pledge)
    return ordered


def tranche_depths(rows: Sequence[Row]) -> list[int]:
    """How deep each row sits under the rows above it through ``part_of``."""
    depth: dict[str, int] = {}
    result = []
    for row in rows:
        parent = row.get("part_of")
        level = depth[parent] + 1 if parent in depth else 0
        if row.get("id") is not None:
            depth[row["id"]] = level
        result.append(level)
    return result


def counted(pledges: Iterable[Pledge]) -> list[Pledge]:
    """The pledges whose money counts in a total: not tranches (``part_of``) of another,
    and not grants out of a fund (that money is already counted as its donors' pledges)."""
    return [p for p in pledges if p.part_of is None and p.amount is not None and p.kind != "grant"]


def totals_by_currency(
    pledges: Iterable[Pledge], conversions: Conversions | None = None
) -> list[dict[str, Any]]:
    """``[{"currency", "amount"}]`` over the pledges that count, one entry per currency.

    With ``conversions`` (from ``convert_pledges``), converted amounts are summed instead.
    """
    from decimal import Decimal

    sums: dict[str, Decimal] = defaultdict(Decimal)
    for pledge in counted(pledges):
        if conversions is not None:
            conversion = conversions[pledge.id]
            sums[conversion.to] += Decimal(conversion.converted)
        else:
            sums[pledge.currency or ""] += Decimal(pledge.amount or 0)
    return [{"currency": cur, "amount": int(sums[cur])} for cur in sorted(sums)]


Conversions = dict[str, "Conversion"]


def convert_pledges(pledges: Iterable[Pledge], to: str) -> Conversions:
    """Each pledge's amount in currency ``to`` at the annual average rate of its year."""
    from .rates import convert, target_currency

    to = target_currency(to)
    return {
        p.id: convert(p.amount, p.currency, to, year_of(p.date))
        for p in pledges
        if p.amount is not None and p.currency is not None
    }


def conversion_row(conversion: Conversion) -> Row:
    """The fields a converted funding row adds: amount, currency, rate, year, source."""
    source = conversion.source
    return {
        "converted_amount": conversion.converted,
        "converted_currency": conversion.to,
        "rate": float(round(conversion.rate, 6)),
        "rate_year": conversion.year,
        "rate_source": source.id if source else None,
    }


GROUPINGS = ("donor", "recipient", "year", "programme")


def group_funding(
    ds: Dataset, pledges: Sequence[Pledge], by: str, conversions: Conversions | None = None
) -> dict[str, Any]:
    """The ``--summary`` object: groups with counts and totals, and the overall totals.

    A donor's group is the top of its ``part_of`` chain, so a ministry counts for its country.
    """
    by = match_kind(by, GROUPINGS, "grouping")
    names = organisation_names(ds)
    programmes = {p.id: p.name for p in ds.programmes}

    def key(pledge: Pledge) -> tuple[str | None, str | None]:
        if by == "donor":
            root = root_organisation(ds, pledge.by)
            return root, names.get(root)
        if by == "recipient":
            return pledge.to, names.get(pledge.to or "")
        if by == "programme":
            return pledge.programme, programmes.get(pledge.programme or "")
        return pledge.date[:4], None

    groups: dict[str | None, list[Pledge]] = defaultdict(list)
    labels: dict[str | None, str | None] = {}
    for pledge in pledges:
        k, label = key(pledge)
        groups[k].append(pledge)
        labels[k] = label
    summary: dict[str, Any] = {
        "by": by,
        "groups": [
            {
                "key": k,
                "name": labels[k],
                "count": len(groups[k]),
                "totals": totals_by_currency(groups[k], conversions),
            }
            for k in sorted(groups, key=lambda k: (k is None, k or ""))
        ],
        "totals": totals_by_currency(pledges, conversions),
    }
    if conversions is not None:
        summary["conversions"] = [
            {
                "id": p.id,
                "amount": p.amount,
                "currency": p.currency,
                **conversion_row(conversions[p.id]),
            }
            for p in counted(pledges)
        ]
    return summary


def format_totals(totals: Sequence[dict[str, Any]], converted: bool = False) -> list[str]:
    """Totals per currency as the footer line of a table."""
    if not totals:
        return ["Total: nothing to count"]
    text = "Total: " + "; ".join(f"{t['currency']} {t['amount']:,}" for t in totals)
    return [text + (" (converted at each year's annual average rate)" if converted else "")]


def total_lines(
    ds: Dataset, rows: Sequence[Row], conversions: Conversions | None = None
) -> list[str]:
    """The footer under a funding table: totals per currency, tranches counted once."""
    pledges = {p.id: p for p in ds.pledges}
    shown = [pledges[r["id"]] for r in rows if r.get("id") in pledges]
    lines = format_totals(totals_by_currency(shown, conversions), conversions is not None)
    tranches = sum(1 for p in shown if p.part_of is not None)
    if tranches:
        lines.append(
            f"({tranches} tranche{'s' if tranches > 1 else ''} of a larger pledge "
            "listed but not counted again)"
        )
    grants = sum(1 for p in shown if p.kind == "grant" and p.part_of is None)
    if grants:
        lines.append(
            f"({grants} grant{'s' if grants > 1 else ''} out of a fund listed but not counted: "
            "that money is its donors')"
        )
    return lines


def summary_rows(summary: dict[str, Any]) -> list[Row]:
    """The ``--summary`` object flattened: one row per group and currency."""
    rows = []
    for group in summary["groups"]:
        for total in group["totals"] or [{"currency": None, "amount": None}]:
            rows.append(
                {"key": group["key"], "name": group["name"], "count": group["count"], **total}
            )
    return rows
