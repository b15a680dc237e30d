"""Filters and rows of the listings: events, pledges, funding rows, countries, figures.

Each ``filter_*`` returns typed records matching every filter given; each ``*_row`` turns
one into a row whose keys are the JSON contract. The ``*_COLUMNS`` say what a table and
TSV/CSV show by default; JSON always has every field.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec

from .model import (
    EVENT_KINDS,
    PLEDGE_KINDS,
    Dataset,
    Event,
    Figure,
    Pledge,
    Programme,
    Record,
    Source,
)
from .names import (
    Candidate,
    country_candidates,
    country_names,
    event_candidates,
    match,
    match_kind,
    match_organisation,
    organisation_names,
    programme_candidates,
    with_parts,
)
from .rows import Row, fold, record_row, year_of

# Default columns of each listing in a table and in TSV/CSV; JSON always has every field.
EVENT_COLUMNS = ("id", "start", "end", "kind", "name", "city", "country_name", "host_names")


FUNDING_COLUMNS = ("id", "date", "donor_name", "to_name", "amount", "currency", "part_of")


PLEDGE_COLUMNS = ("id", "date", "kind", "by_name", "amount", "currency", "made_at", "summary")


COUNTRY_COLUMNS = ("code", "name", "iso3", "region_name", "programme", "notes")


FIGURE_COLUMNS = ("id", "value", "unit", "statement", "as_of", "conflicts_with")


SOURCE_COLUMNS = ("id", "publisher", "title", "published", "used_by_count", "url")


SEARCH_COLUMNS = ("collection", "id", "label", "field", "text")


TIMELINE_COLUMNS = ("date", "type", "kind", "id", "title", "amount", "currency")


def event_row(ds: Dataset, event: Event) -> Row:
    """An event as a row: every field, plus ``country_name`` and ``host_names``."""
    names = organisation_names(ds)
    countries = country_names(ds)
    row = record_row(event)
    row["country_name"] = countries.get(event.country or "")
    row["host_names"] = [names.get(h, h) for h in event.hosts]
    return row


def filter_events(
    ds: Dataset,
    *,
    year: int | None = None,
    from_year: int | None = None,
    to_year: int | None = None,
    host: str | None = None,
    country: str | None = None,
    kind: str | None = None,
) -> list[Event]:
    """Events matching every filter given, by start date. Years select overlapping events."""
    low = year if year is not None else from_year
    high = year if year is not None else to_year
    hosts = with_parts(ds, match_organisation(ds, host, "host")) if host else None
    code = match(country, country_candidates(ds), "country").id if country else None
    kind = match_kind(kind, EVENT_KINDS, "event kind") if kind else None
    events = []
    for event in ds.events:
        first, last = year_of(event.start), year_of(event.end or event.start)
        if (low is not None and last < low) or (high is not None and first > high):
            continue
        if hosts is not None and not hosts.intersection(event.hosts):
            continue
        if code is not None and event.country != code:
            continue
        if kind is not None and event.kind != kind:
            continue
        events.append(event)
    return sorted(events, key=lambda e: (e.start, e.id))


def pledge_row(ds: Dataset, pledge: Pledge) -> Row:
    """A pledge as a row: every field, plus ``by_name``, ``with_names`` and ``to_name``."""
    names = organisation_names(ds)
    row = record_row(pledge)
    row["by_name"] = names.get(pledge.by)
    row["with_names"] = [names.get(w, w) for w in pledge.with_]
    row["to_name"] = names.get(pledge.to or "")
    return row


def funding_row(ds: Dataset, pledge: Pledge) -> Row:
    """A pledge of money, with ``donor`` for ``by`` as DESIGN §5 names it."""
    names = organisation_names(ds)
    row = record_row(pledge)
    donor = row.pop("by")
    row.pop("with", None)
    return {
        "id": row.pop("id"),
        "date": row.pop("date"),
        "donor": donor,
        "donor_name": names.get(donor),
        "to": row.pop("to"),
        "to_name": names.get(pledge.to or ""),
        "amount": row.pop("amount"),
        "currency": row.pop("currency"),
        **row,
    }


def filter_pledges(
    ds: Dataset,
    *,
    by: str | None = None,
    to: str | None = None,
    event: str | None = None,
    year: int | None = None,
    kind: str | None = None,
    programme: str | None = None,
    currency: str | None = None,
    by_what: str = "organisation",
) -> list[Pledge]:
    """Pledges matching every filter given. ``by`` includes the organisation's parts."""
    donors = with_parts(ds, match_organisation(ds, by, by_what)) if by else None
    recipients = with_parts(ds, match_organisation(ds, to, "recipient")) if to else None
    event_id = match(event, event_candidates(ds), "event").id if event else None
    programme_id = match(programme, programme_candidates(ds), "programme").id if programme else None
    kind = match_kind(kind, PLEDGE_KINDS, "pledge kind") if kind else None
    currency = currency.upper() if currency else None
    result = []
    for pledge in ds.pledges:
        # Money belongs to its donor alone; a co-signer (``with``) shares only a commitment.
        signers = (pledge.by,) if by_what == "donor" else (pledge.by, *pledge.with_)
        if donors is not None and not donors.intersection(signers):
            continue
        if recipients is not None and pledge.to not in recipients:
            continue
        if event_id is not None and pledge.made_at != event_id:
            continue
        if year is not None and year_of(pledge.date) != year:
            continue
        if kind is not None and pledge.kind != kind:
            continue
        if programme_id is not None and pledge.programme != programme_id:
            continue
        if currency is not None and pledge.currency != currency:
            continue
        result.append(pledge)
    return sorted(result, key=lambda p: (p.date, p.id))


def country_rows(
    ds: Dataset, *, programme: str | None = None, region: str | None = None
) -> list[Row]:
    """One row per country per programme: the country joined with its programme entry."""
    programmes: Sequence[Programme] = ds.programmes
    if programme:
        wanted = match(programme, programme_candidates(ds), "programme").id
        programmes = [p for p in programmes if p.id == wanted]
    countries = {c.code: c for c in ds.countries}
    if region:
        regions = [Candidate(r.id, r.name) for p in programmes for r in p.regions]
        unique = list({c.id: c for c in regions}.values())
        region = match(region, unique, "region").id
    rows = []
    for prog in programmes:
        region_names = {r.id: r.name for r in prog.regions}
        for entry in prog.countries:
            if region and entry.region != region:
                continue
            country = countries[entry.country]
            rows.append(
                {
                    "code": country.code,
                    "iso3": country.iso3,
                    "name": country.name,
                    "programme": prog.id,
                    "programme_name": prog.name,
                    "region": entry.region,
                    "region_name": region_names.get(entry.region or ""),
                    "notes": entry.notes,
                    "evidence": entry.evidence,
                    "sources": list(entry.sources or prog.sources),
                }
            )
    rows.sort(key=lambda r: (r["programme"], r["region_name"] or "", r["name"]))
    return rows


def figure_rows(ds: Dataset, *, about: str | None = None) -> list[Row]:
    """Figures whose statement, unit, note or id mentions ``about`` (accents and case ignored)."""
    names = organisation_names(ds)
    wanted = fold(about) if about else None
    rows = []
    for figure in ds.figures:
        text = " ".join(filter(None, (figure.id, figure.statement, figure.unit, figure.note)))
        if wanted and wanted not in fold(text):
            continue
        row = record_row(figure)
        row["measured_by_name"] = names.get(figure.measured_by or "")
        rows.append(row)
    rows.sort(key=lambda r: (r["as_of"] or r["period"] or "", r["id"]))
    return rows


def listing_fields(command: str) -> tuple[str, ...]:
    """Every field a listing's rows have, for --fields and --sort completion."""

    def names(record_type: type[Record]) -> tuple[str, ...]:
        return tuple(f.encode_name for f in msgspec.structs.fields(record_type))

    pledge_fields = tuple(f for f in names(Pledge) if f not in ("by", "with"))
    extra: dict[str, tuple[str, ...]] = {
        "events": (*names(Event), "country_name", "host_names"),
        "pledges": (*names(Pledge), "by_name", "with_names", "to_name"),
        "funding": ("donor", *FUNDING_COLUMNS, *pledge_fields, "given", "pledged"),
        "countries": (*COUNTRY_COLUMNS, "region", "programme_name", "evidence", "sources"),
        "figures": (*names(Figure), "measured_by_name"),
        "sources": (*names(Source), "used_by_count", "used_by"),
        "search": SEARCH_COLUMNS,
        "timeline": (*TIMELINE_COLUMNS, "end", "year"),
    }
    return tuple(dict.fromkeys(extra.get(command, ())))
