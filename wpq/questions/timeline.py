"""The dataset over time: the timeline of events and pledges, and the dataset summary."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from ..model import EVENT_KINDS, PLEDGE_KINDS, Dataset
from .directory import region_count
from .funding import group_funding, summary_columns, summary_rows
from .listings import pledgers
from .money import convert_pledges, tranches_under_parents
from .names import Names, match_kind, organisation_names, words
from .rows import COLLECTION_NAMES, Row, year_of
from .years import Years, in_spans, year_spans


def dataset_summary(ds: Dataset, convert_to: str | None = None) -> Row:
    """Counts per collection, money by donor (the organisation on each record) and currency,
    events per year, programme reach."""
    money = [p for p in ds.pledges if p.amount is not None]
    conversions = convert_pledges(ds, money, convert_to) if convert_to else None
    names = organisation_names(ds)
    per_year: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for event in ds.events:
        per_year[year_of(event.start)][event.kind] += 1
    names = organisation_names(ds)
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
                "lead_name": names.get(p.lead),
                "start": p.start,
                "end": p.end,
                "countries": len(p.countries),
                "regions": region_count(p),
            }
            for p in ds.programmes
        ],
    }


Section = tuple[Sequence[str], list[Row]]


def summary_sections(summary: Row) -> list[Section]:
    """The summary as blocks of rows for TSV and CSV, each (columns, rows): record counts,
    money by donor and currency, events per year, programmes. A block's first column says
    what its rows are (collection, donor, year, programme)."""
    by = summary["funding"]["by"]
    money = summary_rows(summary["funding"])
    events = [
        {
            "year": entry["year"],
            "events": entry["count"],
            "kinds": "; ".join(f"{k} {n}" for k, n in entry["kinds"].items()),
        }
        for entry in summary["events_by_year"]
    ]
    programmes = [
        {"programme": p["id"], **{k: v for k, v in p.items() if k != "id"}}
        for p in summary["programmes"]
    ]
    counts = [{"collection": k, "count": v} for k, v in summary["counts"].items()]
    return [
        (("collection", "count"), counts),
        (summary_columns(by), money),
        (("year", "events", "kinds"), events),
        (_columns(programmes, ("programme", "name")), programmes),
    ]


def _columns(rows: list[Row], default: Sequence[str]) -> Sequence[str]:
    return tuple(rows[0]) if rows else default


def timeline(
    ds: Dataset,
    *,
    year: Years = None,
    from_year: int | None = None,
    to_year: int | None = None,
    kind: Names = None,
) -> list[Row]:
    """Events (milestones among them) and pledges in date order, one row each; years
    select the rows that overlap them."""
    spans = year_spans(year, from_year, to_year)
    kinds = {match_kind(k, (*EVENT_KINDS, *PLEDGE_KINDS), "kind") for k in words(kind, "kind")}
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
                "sources": list(event.sources),
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
                "title": f"{pledgers(names, pledge)}: {pledge.summary}",
                "amount": pledge.amount,
                "currency": pledge.currency,
                "sources": list(pledge.sources),
            }
        )
    for row in rows:
        row["year"] = year_of(row["date"])
    rows = [
        r
        for r in rows
        if in_spans(r["year"], year_of(r["end"] or r["date"]), spans)
        and (not kinds or r["kind"] in kinds)
    ]
    rows.sort(key=lambda r: (r["date"], r["type"], r["id"]))
    return rows
