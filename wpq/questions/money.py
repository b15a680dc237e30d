"""The money ledger: pledge trees, the stage money reached, the three measures, conversion.

A pledge with ``part_of`` is a tranche of its parent. Money moves through stages, as IATI
keeps commitments apart from disbursements and OCHA's FTS pledges apart from paid money:
``announced``, ``committed``, ``paid`` (a record's ``stage``; announced when absent). Three
measures, each counting every unit once:

- **pledged**: each top-level pledge once, by its own donor, date, recipient and programme;
- **committed** and **paid**: each unit at the stage it reached, where and when it went: a
  tranche by its own attributes and stage, the part of a pledge not split into tranches
  (its *remainder*) by the pledge's. Money paid was committed too.

``pledged - paid`` is *not shown paid*: no source says that money moved, which is not to say
it did not. A ``grant`` (money a fund pays out of its pool) is **granted**: listed apart and
never added to the measures, as its donors' pledges already hold that money. ``rates.py``
converts each amount at the annual average rate of the year it moved: pledged money at its
pledge's year, committed and paid money at the year of its stage (``stage_date``, or its own
date where no source dates the stage). ``funding.py`` turns these into rows and groups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from ..errors import UsageError
from ..indexes import select
from ..model import Dataset, Pledge
from ..vocabulary import GROUPINGS as GROUPINGS
from ..vocabulary import STAGES
from .listings import filter_pledges
from .rows import Row, year_of

if TYPE_CHECKING:
    from .rates import Conversion

# The three measures of donors' money, in the order money moves through them.
MEASURES = ("pledged", "committed", "paid")
# Every money column a funding row carries: the measures, then grants apart.
COLUMNS = (*MEASURES, "granted")
# The stage a measure counts from (pledged counts every top-level pledge, whatever its stage).
FROM_STAGE = {"pledged": "announced", "committed": "committed", "paid": "paid"}
STAGE_RANK = {stage: rank for rank, stage in enumerate(STAGES)}
Totals = list[dict[str, Any]]  # [{"currency": ..., "amount": ...}], one entry per currency


# ---------------------------------------------------------------- pledge trees


def funding(ds: Dataset, **filters: Any) -> list[Pledge]:
    """Pledges with money, each parent followed by its tranches (tranches nest at any depth)."""
    found = filter_pledges(ds, by_what="donor", money=True, **filters)
    pledges = [p for p in found if p.amount is not None]
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
    if not children:
        return list(pledges)
    ordered: list[Pledge] = []

    def visit(pledge: Pledge) -> None:
        ordered.append(pledge)
        for child in children.get(pledge.id, ()):
            visit(child)

    for pledge in tops:
        if pledge.id in children:
            visit(pledge)
        else:
            ordered.append(pledge)
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


def gather_tranches(ds: Dataset, pledges: Iterable[Pledge], *, deep: bool = False) -> None:
    """Look up the tranches of many pledges at once (``deep``: theirs too, at any depth),
    so that ``tranches`` finds them: one read of the records they need, where a question
    of thousands of pledges would otherwise read and check a few records thousands of times.
    """
    found: dict[str, list[Pledge]] = ds.memo("money tranches", dict)
    index = ds.index("pledges", "part_of")
    level = [p.id for p in pledges]
    while level:
        wanted = [i for i in dict.fromkeys(level) if i not in found]
        at = sorted({q for i in wanted if i in index for q in index[i]})
        children: dict[str | None, list[Pledge]] = defaultdict(list)
        read: Sequence[Pledge] = ds.records_at("pledges", at) if at else ()  # type: ignore[assignment]
        for child in read:
            children[child.part_of].append(child)
        for i in wanted:
            parts = children.get(i)
            found[i] = [t for t in parts if t.amount is not None] if parts else []
        level = [t.id for i in wanted for t in found[i]] if deep else []


def descendants(ds: Dataset, pledge: Pledge) -> list[Pledge]:
    """Every tranche under ``pledge``, at any depth."""
    found, todo = [], list(tranches(ds, pledge.id))
    while todo:
        tranche = todo.pop()
        found.append(tranche)
        todo.extend(tranches(ds, tranche.id))
    return found


def pledges_by_id(ds: Dataset, ids: Iterable[str]) -> dict[str, Pledge]:
    """The pledges of ``ids`` that exist, by id (through the ``id`` index)."""
    return {p.id: p for p in select(ds, "pledges", id=list(dict.fromkeys(ids)))}


def remainder(ds: Dataset, pledge: Pledge) -> int:
    """The part of a pledge's amount not split into tranches (all of it when it has none)."""
    return _remainder(pledge, tranches(ds, pledge.id))


def _remainder(pledge: Pledge, parts: Sequence[Pledge]) -> int:
    if pledge.amount is None:
        return 0
    return pledge.amount - sum(t.amount or 0 for t in parts) if parts else pledge.amount


# ---------------------------------------------------------------- stages and shares


def reached(pledge: Pledge, stage: str) -> bool:
    """Whether a pledge's money got as far as ``stage`` (paid money was committed too)."""
    return STAGE_RANK[pledge.stage] >= STAGE_RANK[stage]


def moved_on(pledge: Pledge) -> str:
    """When a pledge's money reached its stage: the stage's date, else the pledge's own."""
    return pledge.stage_date or pledge.date


def shares(ds: Dataset, pledge: Pledge) -> dict[str, int]:
    """What one pledge adds to each measure (and to ``granted``), in its own currency."""
    return _shares(pledge, tranches(ds, pledge.id))


def shares_of(ds: Dataset, pledges: Sequence[Pledge]) -> list[dict[str, int]]:
    """``shares`` of each of ``pledges``, their tranches looked up at once."""
    gather_tranches(ds, pledges)
    found: dict[str, list[Pledge]] = ds.memo("money tranches", dict)
    return [_shares(pledge, found[pledge.id]) for pledge in pledges]


_COMMITTED, _PAID = STAGE_RANK["committed"], STAGE_RANK["paid"]


def _shares(pledge: Pledge, parts: Sequence[Pledge]) -> dict[str, int]:
    own = _remainder(pledge, parts)
    if pledge.kind == "grant":
        return {"pledged": 0, "committed": 0, "paid": 0, "granted": own}
    rank = STAGE_RANK[pledge.stage]
    return {
        "pledged": (pledge.amount or 0) if pledge.part_of is None else 0,
        "committed": own if rank >= _COMMITTED else 0,
        "paid": own if rank >= _PAID else 0,
        "granted": 0,
    }


def whole(ds: Dataset, pledge: Pledge) -> dict[str, int]:
    """A pledge with every tranche under it: its amount, what of it reached each stage,
    and what no source shows paid."""
    members = [pledge, *descendants(ds, pledge)]
    moved = {
        m: sum(remainder(ds, p) for p in members if reached(p, m)) for m in ("committed", "paid")
    }
    amount = pledge.amount or 0
    return {"amount": amount, **moved, "not_shown_paid": amount - moved["paid"]}


# ---------------------------------------------------------------- conversion


class Converted(NamedTuple):
    """A pledge's amounts in another currency: ``pledged`` at the rate of its own year,
    ``moved`` at the rate of the year its money reached its stage."""

    pledged: Conversion
    moved: Conversion

    def of(self, measure: str, amount: int) -> int:
        return (self.pledged if measure == "pledged" else self.moved).of(amount)


Conversions = dict[str, Converted]


def convert_pledges(ds: Dataset, pledges: Iterable[Pledge], to: str) -> Conversions:
    """Each pledge's money in currency ``to``, at the annual average rate of the year it
    moved (``Converted``), from the data's ``rates`` or the ECB's; a missing rate is a
    ``UsageError``."""
    from .rates import Converter

    converter = Converter(currency_code(to, "--in"), ds.rates)
    found = {}
    for p in pledges:
        if p.amount is None or p.currency is None:
            continue
        pledged = converter.convert(p.amount, p.currency, year_of(p.date))
        moved = (
            converter.convert(p.amount, p.currency, year_of(moved_on(p)))
            if p.stage_date and year_of(p.stage_date) != year_of(p.date)
            else pledged
        )
        found[p.id] = Converted(pledged, moved)
    return found


CONVERSION_COLUMNS = ("converted_amount", "converted_currency", "rate", "rate_year", "rate_source")


def conversion_row(converted: Converted, share: dict[str, int] | None = None) -> Row:
    """The fields a converted row adds: the amount converted at the rate of its pledge's
    year (the rate, its year and source), the year of the stage's rate, and each measure
    converted at the rate of the year it moved."""
    conversion = converted.pledged
    row: Row = {
        "converted_amount": conversion.converted,
        "converted_currency": conversion.to,
        "rate": conversion.shown_rate,
        "rate_year": conversion.year,
        "rate_source": conversion.source,
        "stage_rate": converted.moved.shown_rate,
        "stage_rate_year": converted.moved.year,
        "stage_rate_source": converted.moved.source,
    }
    for measure, amount in (share or {}).items():
        row[f"converted_{measure}"] = converted.of(measure, amount)
    return row


def rate_sources(ds: Dataset, conversions: Iterable[Converted]) -> list[Row]:
    """Where each rate used came from: the ECB, or a ``rates`` record and its first source."""
    from .rates import ECB

    records = {r.id: r for r in ds.rates}
    cited = {s.id: s for s in ds.sources}
    found = []
    used = (s for c in conversions for one in c for s in one.sources)
    for source in dict.fromkeys(used):
        if source == ECB.id:
            found.append({k: getattr(ECB, k) for k in ("id", "title", "publisher", "url")})
            continue
        record = records[source]
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


# ---------------------------------------------------------------- totals


def measure_totals(
    ds: Dataset,
    pledges: Iterable[Pledge],
    conversions: Conversions | None = None,
    counted: Mapping[str, Collection[str]] | None = None,
) -> dict[str, Totals]:
    """Each measure's totals per currency: ``{"pledged": [...], "committed": [...], ...}``,
    with ``granted`` beside them. ``counted`` may name, per pledge id, the measures to count
    (a group by year counts a pledge's pledged money in one year, its paid money in another).

    A currency is listed under every measure when any pledge in it is among ``pledges`` (at
    0 if need be), under granted when a grant is. Converted, each share is rounded to the
    unit before it is added, so groups add up to the whole exactly.
    """
    sums: dict[str, dict[str, int]] = {m: defaultdict(int) for m in COLUMNS}
    pledges = list(pledges)
    gather_tranches(ds, pledges)
    for pledge in pledges:
        if pledge.amount is None or pledge.currency is None:
            continue
        share = shares(ds, pledge)
        converted = conversions[pledge.id] if conversions is not None else None
        currency = converted.pledged.to if converted else pledge.currency
        wanted = counted.get(pledge.id, COLUMNS) if counted is not None else COLUMNS
        for measure in ("granted",) if pledge.kind == "grant" else MEASURES:
            if measure not in wanted:
                sums[measure][currency] += 0
                continue
            amount = converted.of(measure, share[measure]) if converted else share[measure]
            sums[measure][currency] += amount
    return {m: [{"currency": c, "amount": a} for c, a in sorted(sums[m].items())] for m in COLUMNS}


def totals_by_currency(
    ds: Dataset,
    pledges: Iterable[Pledge],
    conversions: Conversions | None = None,
    measure: str = "paid",
) -> Totals:
    """``[{"currency", "amount"}]``: one measure (or granted) of ``pledges``."""
    return measure_totals(ds, pledges, conversions)[measure]


def not_shown_paid(totals: dict[str, Totals]) -> Totals:
    """``pledged - paid`` per currency: money no source shows paid."""
    paid = {t["currency"]: t["amount"] for t in totals["paid"]}
    return [
        {"currency": t["currency"], "amount": t["amount"] - paid.get(t["currency"], 0)}
        for t in totals["pledged"]
    ]
