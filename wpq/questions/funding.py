"""Funding as rows and groups: each money record with its own share of every measure (so a
column of any format sums to the total), the ``--summary`` groups that add up to the whole,
how money sorts, and a pledge's money for ``wpq show``. The ledger itself is ``money``'s.
"""

from __future__ import annotations

import operator
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

import msgspec

from ..model import Dataset, Pledge
from .listings import funding_rows_of
from .money import (
    COLUMNS,
    GROUPINGS,
    Conversions,
    conversion_row,
    gather_tranches,
    measure_totals,
    moved_on,
    rate_sources,
    remainder,
    shares,
    shares_of,
    tranches,
    whole,
)
from .names import match_kind, organisation_names, root_organisation
from .rows import Built, Row, year_of

# What a group with no value of its grouping is called (its key is null).
NONE_NAMES = {"recipient": "(no recipient)", "programme": "(no programme)"}
# Summary fields that --fields and --sort may name in JSON (one object per group).
GROUP_FIELDS = ("key", "name", "count", "counts", *COLUMNS)


def period_words(period: str | int | None) -> str | None:
    """A pledge's period in words: ``4 years``; an interval as ``2019-03 to 2022-03``."""
    if period is None:
        return None
    if isinstance(period, int):
        return f"{period} year{'' if period == 1 else 's'}"
    start, _, end = period.partition("/")
    return f"{start} to {end}" if end else period


# ---------------------------------------------------------------- rows


def funding_rows(
    ds: Dataset, pledges: Sequence[Pledge], conversions: Conversions | None = None
) -> list[Row]:
    """``wpq funding``'s rows: each pledge, what it adds to each measure (``pledged``,
    ``committed``, ``paid``; ``granted`` for a fund's grant), and with ``--in`` each measure
    converted at the rate of the year it moved, beside the rates, their years and sources."""
    measured = shares_of(ds, pledges)
    rows = funding_rows_of(ds, pledges, measured)
    if conversions is not None:
        for row, pledge, share in zip(rows, pledges, measured, strict=True):
            row |= conversion_row(conversions[pledge.id], share)
    return rows


def funding_listing(
    ds: Dataset, pledges: Sequence[Pledge], conversions: Conversions | None = None
) -> Built:
    """``funding_rows``, made a chunk at a time as they are written (``rows.Built``; JSON
    from ``encoded_rows`` without ``--in``): the tranches of every pledge are looked up at
    once first."""
    gather_tranches(ds, pledges)
    return Built(
        len(pledges),
        lambda start, stop: funding_rows(ds, pledges[start:stop], conversions),
        None if conversions else lambda start, stop: encoded_rows(ds, pledges[start:stop]),
    )


# The keys of a funding row that are not a pledge's own fields, in the order
# ``encoded_rows`` supplies their values after the pledge's (``msgspec.structs.astuple``).
_MADE = ("donor", "donor_name", "to_name", *COLUMNS)


def encoded_rows(ds: Dataset, pledges: Sequence[Pledge]) -> list[Any]:
    """``funding_rows`` (no conversion) as JSON writes them: one msgspec Struct a row, whose
    fields are the row's keys in order, filled from the pledge's fields, names and shares
    in one step each, with no dict made. The keys and their order are read from the dict
    ``funding_rows`` makes of the first pledge: one source for them."""
    if not pledges:
        return []
    measured = shares_of(ds, pledges)
    names = organisation_names(ds)
    row, pick = _layout(ds, pledges[0], measured[0])
    fields = msgspec.structs.astuple
    return [
        row(*pick((*fields(p), p.by, names.get(p.by), names.get(p.to or ""), *m.values())))
        for p, m in zip(pledges, measured, strict=True)
    ]


_LAYOUTS: dict[type, tuple[Any, Any]] = {}


def _layout(ds: Dataset, pledge: Pledge, share: dict[str, int]) -> tuple[Any, Any]:
    """The Struct type of an encoded row of ``type(pledge)`` and what picks its values."""
    kind = type(pledge)
    if kind not in _LAYOUTS:
        keys = list(funding_rows_of(ds, [pledge], [share])[0])
        sources = [f.encode_name for f in msgspec.structs.fields(kind)] + list(_MADE)
        sources[sources.index("by")] = "(by, as donor)"  # the row's key is ``donor``
        place = {key: sources.index(key) for key in keys}
        row = msgspec.defstruct(
            "FundingRow", [(f"f{i}", Any, msgspec.field(name=k)) for i, k in enumerate(keys)]
        )
        _LAYOUTS[kind] = (row, operator.itemgetter(*place.values()))
    return _LAYOUTS[kind]


def sort_order(conversions: Conversions | None) -> dict[str, tuple[str | None, str]]:
    """How money fields sort (``rows.pick``'s ``order``): within each currency, or by the
    converted amounts when there are any; amounts in two currencies are never compared."""
    money = ("amount", *COLUMNS)
    if conversions is None:
        return {field: ("currency", field) for field in money}
    return {field: (None, f"converted_{field}") for field in money}


def sort_note(field: str | None, conversions: Conversions | None) -> list[str]:
    """The line a table adds under money sorted by ``field``, saying how it was sorted."""
    if field not in sort_order(conversions):
        return []
    if conversions:
        to = next(iter(conversions.values())).pledged.to
        return [f"(sorted by {field} converted to {to})"]
    return [f"(sorted by {field} within each currency)"]


# ---------------------------------------------------------------- groups


def group_funding(
    ds: Dataset, pledges: Sequence[Pledge], by: str, conversions: Conversions | None = None
) -> dict[str, Any]:
    """The ``--summary`` object: groups with their count and measures, then the whole.

    Each pledge falls in the group of its own donor (``donor``: the organisation on the
    record), government (``government``: the top of its donor's ``part_of`` chain),
    recipient, programme or year. By year, pledged money counts in the year of its pledge,
    committed and paid money in the year it reached its stage. For each measure and
    currency, groups add up to the whole. Converted, it lists each pledge's conversion and
    the sources of the rates.
    """
    by = match_kind(by, GROUPINGS, "grouping")
    gather_tranches(ds, pledges)
    names = organisation_names(ds)
    programmes = {p.id: p.name for p in ds.programmes}

    def key(pledge: Pledge) -> tuple[str | None, str | None]:
        if by == "donor":
            return pledge.by, names.get(pledge.by)
        if by == "government":
            root = root_organisation(ds, pledge.by)
            return root, names.get(root)
        if by == "recipient":
            return pledge.to, names.get(pledge.to or "") or NONE_NAMES[by]
        if by == "programme":
            return pledge.programme, programmes.get(pledge.programme or "") or NONE_NAMES[by]
        return pledge.date[:4], None

    members: dict[str | None, list[Pledge]] = defaultdict(list)
    counted: dict[str | None, dict[str, tuple[str, ...]]] = defaultdict(dict)
    labels: dict[str | None, str | None] = {}
    for pledge in pledges:
        k, label = key(pledge)
        members[k].append(pledge)
        labels[k] = label
        if by == "year" and year_of(moved_on(pledge)) != year_of(pledge.date):
            later = moved_on(pledge)[:4]
            counted[k][pledge.id] = ("pledged",)
            members[later].append(pledge)
            counted[later][pledge.id] = ("committed", "paid", "granted")
            labels.setdefault(later, None)

    def measured(k: str | None) -> dict[str, Any]:
        return measure_totals(ds, members[k], conversions, counted.get(k))

    def counts(k: str | None) -> list[dict[str, Any]]:
        own = [p for p in members[k] if key(p)[0] == k]  # a record counts in its own group
        per = Counter(conversions[p.id].pledged.to if conversions else p.currency for p in own)
        return [{"currency": c, "count": n} for c, n in sorted(per.items(), key=str)]

    summary: dict[str, Any] = {
        "by": by,
        "groups": [
            {
                "key": k,
                "name": labels[k],
                "count": sum(1 for p in members[k] if key(p)[0] == k),
                "counts": counts(k),
                **measured(k),
            }
            for k in sorted(members, key=lambda k: (k is None, k or ""))
        ],
        **measure_totals(ds, pledges, conversions),
    }
    if conversions is not None:
        summary["conversions"] = []
        for p in pledges:
            share = shares(ds, p)
            entry = {"id": p.id, "date": p.date, "amount": p.amount, "currency": p.currency}
            entry |= share | conversion_row(conversions[p.id], share)
            summary["conversions"].append(entry)
        summary["rate_sources"] = rate_sources(ds, conversions.values())
    return summary


def summary_columns(by: str) -> tuple[str, ...]:
    """The columns of a ``--summary`` in a table, TSV and CSV: the group (named for what it
    is: ``year``, ``donor``, ...), its name, then a count and the measures per currency."""
    named = () if by == "year" else (f"{by}_name",)
    return (by, *named, "count", "currency", *COLUMNS)


def summary_rows(summary: dict[str, Any]) -> list[Row]:
    """The ``--summary`` object flattened: one row per group and currency, a column a
    measure, so a column sums to the whole. ``count`` counts the group's records in that
    currency; a group of grants alone has 0 of each measure and its ``granted``."""
    by = summary["by"]
    rows = []
    for group in summary["groups"]:
        amounts = {m: {t["currency"]: t["amount"] for t in group[m]} for m in COLUMNS}
        counts = {c["currency"]: c["count"] for c in group["counts"]}
        currencies = sorted({c for per in amounts.values() for c in per} | set(counts), key=str)
        base: Row = {by: group["key"]}
        if by != "year":
            base[f"{by}_name"] = group["name"]
        for currency in currencies:
            row = {**base, "count": counts.get(currency, 0), "currency": currency}
            row |= {m: amounts[m].get(currency, 0) for m in COLUMNS}
            rows.append(row)
    return rows


# ---------------------------------------------------------------- show


def pledge_money(ds: Dataset, pledge: Pledge) -> Row | None:
    """A pledge's money for ``wpq show``: its period, tranches (each at its stage), the
    remainder, what the record adds to each measure, and the whole pledge with its
    tranches: what of it was committed, paid, and is not shown paid."""
    if pledge.amount is None:
        return None
    names = organisation_names(ds)
    return {
        "amount": pledge.amount,
        "currency": pledge.currency,
        "period_words": period_words(pledge.period),
        "tranches": [
            {
                "id": t.id,
                "date": t.date,
                "to": t.to,
                "to_name": names.get(t.to or ""),
                "amount": t.amount,
                "stage": t.stage,
            }
            for t in tranches(ds, pledge.id)
        ],
        "remainder": remainder(ds, pledge),
        **shares(ds, pledge),
        "whole": whole(ds, pledge),
    }
