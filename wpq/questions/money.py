"""The money ledger: pledge trees, the two measures, groups, footers and conversion.

A pledge with ``part_of`` is a tranche of its parent. Two measures, as IATI keeps commitments
apart from disbursements and OCHA's FTS pledges apart from funding:

- **pledged**: each top-level pledge once, by its own donor, date, recipient and programme;
- **given** (``totals`` in JSON): each unit once, where and when it went: a tranche by its own
  donor, date, recipient and programme, the part of a pledge not split into tranches (its
  *remainder*) by the pledge's. With nothing filtered out, the two add up to the same.

A ``grant`` (money a fund pays out of its pool) is **granted**: listed apart and never added
to either, as its donors' pledges already hold that money. ``rates.py`` converts each amount
at the annual average rate of its own year: a tranche at its year, a remainder at its pledge's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..indexes import select
from ..model import Dataset, Pledge
from ..vocabulary import GROUPINGS as GROUPINGS
from .listings import filter_pledges, funding_row
from .names import match_kind, organisation_names, root_organisation
from .rows import Row, year_of

if TYPE_CHECKING:
    from .rates import Conversion

MEASURES = ("given", "pledged", "granted")
# Each measure's key in a ``--summary`` object: ``totals`` is the money given, as in 0.1.0.
SUMMARY_KEYS = {"given": "totals", "pledged": "pledged", "granted": "granted"}
Totals = list[dict[str, Any]]  # [{"currency": ..., "amount": ...}], one entry per currency
Conversions = dict[str, "Conversion"]


# ---------------------------------------------------------------- pledge trees


def funding(ds: Dataset, **filters: Any) -> list[Pledge]:
    """Pledges with money, each parent followed by its tranches (tranches nest at any depth)."""
    pledges = [p for p in filter_pledges(ds, by_what="donor", **filters) if p.amount is not None]
    return tranches_under_parents(pledges)


def currency_code(text: str, option: str) -> str:
    """The ISO 4217 code an option names: three letters, any case."""
    code = text.strip().upper()
    if len(code) != 3 or not code.isascii() or not code.isalpha():
        raise UsageError(f"{option} takes a currency code such as USD, EUR or GBP, not '{text}'")
    return code


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


def tranches(ds: Dataset, pledge_id: str) -> list[Pledge]:
    """A pledge's tranches with money, in the whole dataset, whatever a query selects
    (looked up through the ``part_of`` index: no other pledge is read)."""
    found: dict[str, list[Pledge]] = ds.memo("money tranches", dict)
    if pledge_id not in found:
        at = ds.index("pledges", "part_of").get(pledge_id)
        children: Sequence[Pledge] = ds.records_at("pledges", at) if at else ()  # type: ignore[assignment]
        found[pledge_id] = [t for t in children if t.amount is not None]
    return found[pledge_id]


def pledges_by_id(ds: Dataset, ids: Iterable[str]) -> dict[str, Pledge]:
    """The pledges of ``ids`` that exist, by id (through the ``id`` index)."""
    return {p.id: p for p in select(ds, "pledges", id=list(dict.fromkeys(ids)))}


def remainder(ds: Dataset, pledge: Pledge) -> int:
    """The part of a pledge's amount not split into tranches (all of it when it has none)."""
    if pledge.amount is None:
        return 0
    return pledge.amount - sum(t.amount or 0 for t in tranches(ds, pledge.id))


def shares(ds: Dataset, pledge: Pledge) -> dict[str, int]:
    """What one pledge adds to each measure, in its own currency."""
    own = remainder(ds, pledge)
    grant = pledge.kind == "grant"
    top = pledge.part_of is None and not grant
    return {
        "given": 0 if grant else own,
        "pledged": (pledge.amount or 0) if top else 0,
        "granted": own if grant else 0,
    }


# ---------------------------------------------------------------- totals


def measure_totals(
    ds: Dataset, pledges: Iterable[Pledge], conversions: Conversions | None = None
) -> dict[str, Totals]:
    """Each measure's totals per currency: ``{"given": [...], "pledged": [...], ...}``.

    A currency is listed under given and pledged when any pledge in it is among ``pledges``
    (at 0 if need be), under granted when a grant is. Converted (``convert_pledges``), each
    share is rounded to the unit before it is added, so groups add up to the whole exactly.
    """
    sums: dict[str, dict[str, int]] = {m: defaultdict(int) for m in MEASURES}
    for pledge in pledges:
        if pledge.amount is None or pledge.currency is None:
            continue
        share = shares(ds, pledge)
        conversion = conversions[pledge.id] if conversions is not None else None
        currency = conversion.to if conversion else pledge.currency
        for measure in ("granted",) if pledge.kind == "grant" else ("given", "pledged"):
            amount = conversion.of(share[measure]) if conversion else share[measure]
            sums[measure][currency] += amount
    return {m: [{"currency": c, "amount": a} for c, a in sorted(sums[m].items())] for m in MEASURES}


def totals_by_currency(
    ds: Dataset,
    pledges: Iterable[Pledge],
    conversions: Conversions | None = None,
    measure: str = "given",
) -> Totals:
    """``[{"currency", "amount"}]``: one measure (given, pledged or granted) of ``pledges``."""
    return measure_totals(ds, pledges, conversions)[measure]


# ---------------------------------------------------------------- conversion


def convert_pledges(ds: Dataset, pledges: Iterable[Pledge], to: str) -> Conversions:
    """Each pledge's amount in currency ``to`` at the annual average rate of its own year,
    from the data's ``rates`` or the ECB's; a missing rate is a ``UsageError``."""
    from .rates import Converter

    converter = Converter(currency_code(to, "--in"), ds.rates)
    return {
        p.id: converter.convert(p.amount, p.currency, year_of(p.date))
        for p in pledges
        if p.amount is not None and p.currency is not None
    }


CONVERSION_COLUMNS = ("converted_amount", "converted_currency", "rate", "rate_year", "rate_source")


def conversion_row(conversion: Conversion, share: dict[str, int] | None = None) -> Row:
    """The fields a converted row adds: amounts, currency, rate, its year and its source."""
    row: Row = {
        "converted_amount": conversion.converted,
        "converted_currency": conversion.to,
        "rate": conversion.shown_rate,
        "rate_year": conversion.year,
        "rate_source": conversion.source,
    }
    for measure, amount in (share or {}).items():
        row[f"converted_{measure}"] = conversion.of(amount)
    return row


def rate_sources(ds: Dataset, conversions: Iterable[Conversion]) -> list[Row]:
    """Where each rate used came from: the ECB, or a ``rates`` record and its first source."""
    from .rates import ECB

    records = {r.id: r for r in ds.rates}
    cited = {s.id: s for s in ds.sources}
    found = []
    for used in dict.fromkeys(s for c in conversions for s in c.sources):
        if used == ECB.id:
            found.append({**{k: getattr(ECB, k) for k in ("id", "title", "publisher", "url")}})
            continue
        record = records[used]
        first = cited.get(record.sources[0])
        found.append(
            {
                "id": record.id,
                "title": first.title if first else None,
                "publisher": first.publisher if first else None,
                "url": first.url if first else None,
            }
        )
    return found


# ---------------------------------------------------------------- rows and groups


def funding_rows(
    ds: Dataset, pledges: Iterable[Pledge], conversions: Conversions | None = None
) -> list[Row]:
    """``wpq funding``'s rows: each pledge, what it adds to ``given`` and to ``pledged``, and
    with ``--in`` the converted amounts beside the rate, its year and its source."""
    rows = []
    for pledge in pledges:
        row = funding_row(ds, pledge)
        share = shares(ds, pledge)
        row["given"], row["pledged"] = share["given"], share["pledged"]
        if conversions is not None:
            row |= conversion_row(conversions[pledge.id], {k: share[k] for k in MEASURES[:2]})
        rows.append(row)
    return rows


def group_funding(
    ds: Dataset, pledges: Sequence[Pledge], by: str, conversions: Conversions | None = None
) -> dict[str, Any]:
    """The ``--summary`` object: groups with their count and measures, then the whole.

    Each pledge falls in the group of its own donor, recipient, year or programme, so a
    tranche counts where it went; a donor's group is the top of its ``part_of`` chain, so a
    ministry counts for its government. For each measure and currency, groups add up to the
    whole. Converted, it lists each pledge's conversion and the sources of the rates.
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

    def measured(members: Sequence[Pledge]) -> dict[str, Totals]:
        totals = measure_totals(ds, members, conversions)
        return {SUMMARY_KEYS[m]: totals[m] for m in MEASURES}

    summary: dict[str, Any] = {
        "by": by,
        "groups": [
            {"key": k, "name": labels[k], "count": len(groups[k]), **measured(groups[k])}
            for k in sorted(groups, key=lambda k: (k is None, k or ""))
        ],
        **measured(pledges),
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


SUMMARY_COLUMNS = ("key", "name", "count", "currency", "given", "pledged", "granted")
GROUP_FIELDS = ("key", "name", "count", "totals", "pledged", "granted")


def summary_rows(summary: dict[str, Any]) -> list[Row]:
    """The ``--summary`` object flattened: one row per group and currency, a column a measure.

    A measure with no money in that currency in the group is null (a group of grants alone
    has neither given nor pledged money).
    """
    rows = []
    for group in summary["groups"]:
        by_measure = {
            m: {t["currency"]: t["amount"] for t in group[SUMMARY_KEYS[m]]} for m in MEASURES
        }
        currencies = sorted({c for amounts in by_measure.values() for c in amounts})
        base = {"key": group["key"], "name": group["name"], "count": group["count"]}
        for currency in currencies or [None]:
            row = {**base, "currency": currency}
            row |= {m: by_measure[m].get(currency or "") for m in MEASURES}
            rows.append(row)
    return rows


# ---------------------------------------------------------------- show


def pledge_money(ds: Dataset, pledge: Pledge) -> Row | None:
    """A pledge's money for ``wpq show``: its tranches, the remainder, what it adds where."""
    if pledge.amount is None:
        return None
    names = organisation_names(ds)
    return {
        "amount": pledge.amount,
        "currency": pledge.currency,
        "tranches": [
            {
                "id": t.id,
                "date": t.date,
                "to": t.to,
                "to_name": names.get(t.to or ""),
                "amount": t.amount,
            }
            for t in tranches(ds, pledge.id)
        ],
        "remainder": remainder(ds, pledge),
        **shares(ds, pledge),
    }
