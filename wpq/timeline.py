"""The dataset over time: the timeline of events and pledges, and the dataset summary."""

from __future__ import annotations

from collections import defaultdict

from .model import EVENT_KINDS, PLEDGE_KINDS, Dataset, Pledge
from .money import convert_pledges, group_funding, tranches_under_parents
from .names import match_kind, organisation_names
from .rows import COLLECTION_NAMES, Row, year_of


def dataset_summary(ds: Dataset, convert_to: str | None = None) -> Row:
    """Counts per collection, money by donor and currency, events per year, programme reach."""
    money = [p for p in ds.pledges if p.amount is not None]
    conversions = convert_pledges(ds, money, convert_to) if convert_to else None
    per_year: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for event in ds.events:
        per_year[year_of(event.start)][event.kind] += 1
    return {
        "counts": {name: len(ds.collection(name)) for name in COLLECTION_NAMES},
        "funding": group_funding(ds, tranches_under_parents(money), "donor", conversions),
        "events_by_year": [
            {"year": year, "count": sum(kinds.values()), "kinds": dict(sorted(kinds.items()))}
            for year, kinds in sorted(per_year.items())
        ],
        "programmes": [
            {
                "id": p.id,
                "name": p.name,
                "lead": p.lead,
                "start": p.start,
                "end": p.end,
                "countries": len(p.countries),
                "regions": len({c.region for c in p.countries if c.region}) or len(p.regions),
            }
            for p in ds.programmes
        ],
    }


def _pledgers(names: dict[str, str], pledge: Pledge) -> str:
    """Who made a pledge, in words: "Apple and 5 others"."""
    who = names.get(pledge.by, pledge.by)
    others = len(pledge.with_)
    return f"{who} and {others} other{'s' if others > 1 else ''}" if others else who


def timeline(
    ds: Dataset,
    *,
    year: int | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
    kind: str | None = None,
) -> list[Row]:
    """Events (milestones among them) and pledges in date order, one row each."""
    low = year if year is not None else from_year
    high = year if year is not None else to_year
    if kind:
        kind = match_kind(kind, (*EVENT_KINDS, *PLEDGE_KINDS), "kind")
    names = organisation_names(ds)
    rows: list[Row] = []
    for event in ds.events:
        rows.append(
            {
                "date": event.start,
                "end": event.end,
                "type": "event",
                "kind": event.kind,
                "id": event.id,
                "title": event.name,
                "amount": None,
                "currency": None,
            }
        )
    for pledge in ds.pledges:
        rows.append(
            {
                "date": pledge.date,
                "end": None,
                "type": "pledge",
                "kind": pledge.kind,
                "id": pledge.id,
                "title": f"{_pledgers(names, pledge)}: {pledge.summary}",
                "amount": pledge.amount,
                "currency": pledge.currency,
            }
        )
    for row in rows:
        row["year"] = year_of(row["date"])
    rows = [
        r
        for r in rows
        if (low is None or year_of(r["end"] or r["date"]) >= low)
        and (high is None or r["year"] <= high)
        and (kind is None or r["kind"] == kind)
    ]
    rows.sort(key=lambda r: (r["date"], r["type"], r["id"]))
    return rows
