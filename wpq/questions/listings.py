"""Filters and rows of the listings: events, pledges, funding rows, countries, figures.

Each ``filter_*`` returns typed records matching every filter given; each ``*_row`` turns
one into a row whose keys are the JSON contract. The ``*_COLUMNS`` say what a table and
TSV/CSV show by default; JSON always has every field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import attrgetter
from typing import cast

import msgspec

from ..errors import UsageError
from ..indexes import positions, select
from ..model import (
    EVENT_KINDS,
    PLEDGE_KINDS,
    Dataset,
    Event,
    Figure,
    Organisation,
    Pledge,
    Programme,
    Record,
    Source,
)
from ..vocabulary import fold
from .names import (
    Names,
    each,
    match_country,
    match_event,
    match_kind,
    match_programme,
    match_region,
    names_of,
    organisation_names,
    organisations_named,
    words,
)
from .rows import Row, record_row, record_rows, year_of
from .years import Years, in_spans, span_years, year_spans

# Default columns of each listing in a table and in TSV/CSV; JSON always has every field.
EVENT_COLUMNS = ("id", "start", "end", "kind", "name", "city", "country_name", "host_names")


# Every row carries its own share of each measure, so a column sums to the total.
FUNDING_COLUMNS = (
    "id",
    "date",
    "donor_name",
    "to_name",
    "kind",
    "stage",
    "amount",
    "currency",
    "period",
    "pledged",
    "committed",
    "paid",
    "granted",
    "part_of",
)


PLEDGE_COLUMNS = ("id", "date", "kind", "pledged_by", "amount", "currency", "made_at", "summary")


COUNTRY_COLUMNS = ("code", "name", "iso3", "region_name", "programme", "notes")


FIGURE_COLUMNS = ("id", "value", "unit", "statement", "as_of", "conflicts_with")


SOURCE_COLUMNS = (
    "id",
    "author",
    "publisher",
    "title",
    "published",
    "original_publisher",  # a copy: who first published it, when, where
    "original_published",
    "used_by_count",
    "url",
    "original_url",
)


SEARCH_COLUMNS = ("collection", "id", "label", "field", "text")


TIMELINE_COLUMNS = ("date", "type", "kind", "id", "title", "amount", "currency")


def event_row(ds: Dataset, event: Event) -> Row:
    """An event as a row: every field, plus ``country_name`` and ``host_names``."""
    return event_rows(ds, [event])[0]


def event_rows(ds: Dataset, events: Sequence[Event]) -> list[Row]:
    """``event_row`` of each event; only the hosts and countries they name are read."""
    names = names_of(ds, "organisations", (h for event in events for h in event.hosts))
    countries = names_of(ds, "countries", (e.country for e in events if e.country))
    rows = []
    for event in events:
        row = record_row(event)
        row["country_name"] = countries.get(event.country or "")
        row["host_names"] = [names.get(h, h) for h in event.hosts]
        rows.append(row)
    return rows


def filter_events(
    ds: Dataset,
    *,
    year: Years = None,
    from_year: int | None = None,
    to_year: int | None = None,
    host: Names = None,
    country: Names = None,
    kind: Names = None,
) -> list[Event]:
    """Events matching every filter given, by start date. Years select overlapping events;
    a filter given several values (a list, or kinds separated by commas) matches any."""
    spans = year_spans(year, from_year, to_year)
    hosts = organisations_named(ds, host, "host", "host")
    codes = {match_country(ds, c) for c in each(country)}
    kinds = {match_kind(k, EVENT_KINDS, "event kind") for k in words(kind, "event kind")}
    candidates = select(  # the index narrows; every filter is still applied below
        ds,
        "events",
        year=span_years(spans),
        kind=kinds or None,
        country=codes or None,
        hosts=hosts,
    )
    events = []
    for event in candidates:
        if not in_spans(year_of(event.start), year_of(event.end or event.start), spans):
            continue
        if hosts is not None and not hosts.intersection(event.hosts):
            continue
        if codes and event.country not in codes:
            continue
        if kinds and event.kind not in kinds:
            continue
        events.append(event)
    return sorted(events, key=lambda e: (e.start, e.id))


def pledgers(names: dict[str, str], pledge: Pledge) -> str:
    """Who made a pledge, in words: "Apple and 5 others"."""
    return pledged_by(names.get(pledge.by, pledge.by), len(pledge.with_))


def pledged_by(maker: str, others: int) -> str:
    """``maker`` and the number of ``others`` who made a pledge with it, in words."""
    return f"{maker} and {others} other{'s' if others > 1 else ''}" if others else maker


def pledge_row(ds: Dataset, pledge: Pledge) -> Row:
    """A pledge as a row: every field, plus ``by_name``, ``with_names``, ``to_name``,
    ``made_at_name``, ``signatory_names`` and ``pledged_by`` (everyone who made it, in
    words: "Apple and 5 others")."""
    return pledge_rows_of(ds, (pledge,))[0]


def pledge_rows_of(ds: Dataset, pledges: Sequence[Pledge]) -> list[Row]:
    """``pledge_row`` of each of ``pledges``, built in bulk (``rows.record_rows``)."""
    names = organisation_names(ds)
    events = ds.memo("event names", lambda: {e.id: e.name for e in ds.events})
    rows = record_rows(pledges)
    for row, pledge in zip(rows, pledges, strict=True):
        row["by_name"] = names.get(pledge.by)
        row["with_names"] = [names.get(w, w) for w in pledge.with_]
        row["pledged_by"] = pledgers(names, pledge)
        row["signatory_names"] = [names.get(o, o) for o in pledge.signatories]
        row["to_name"] = names.get(pledge.to or "")
        row["made_at_name"] = events.get(pledge.made_at or "")
    return rows


def funding_row(ds: Dataset, pledge: Pledge) -> Row:
    """A pledge of money, with ``donor`` for ``by`` as DESIGN §5 names it."""
    return funding_rows_of(ds, (pledge,))[0]


# What a funding row starts with; the pledge's other fields follow in their own order.
FUNDING_FIRST = ("id", "date", "donor", "donor_name", "to", "to_name", "amount", "currency")


def funding_rows_of(
    ds: Dataset, pledges: Sequence[Pledge], after: Sequence[Row] | None = None
) -> list[Row]:
    """``funding_row`` of each of ``pledges``, built in bulk (``rows.record_rows``), each
    followed by the keys of its entry in ``after``."""
    names = organisation_names(ds)
    rows = record_rows(pledges, FUNDING_FIRST, after)
    for row in rows:
        donor = row["donor"] = row.pop("by")
        del row["with"]  # money has one donor
        row["donor_name"] = names.get(donor)
        row["to_name"] = names.get(row["to"] or "")
    return rows


def filter_pledges(
    ds: Dataset,
    *,
    by: Names = None,
    to: Names = None,
    event: Names = None,
    year: Years = None,
    kind: Names = None,
    programme: Names = None,
    currency: Names = None,
    by_what: str = "organisation",
    from_year: int | None = None,
    to_year: int | None = None,
    money: bool = False,
) -> list[Pledge]:
    """Pledges matching every filter given; several values of one filter match any of them.
    Years are each pledge's own (a tranche's, not its parent's).

    ``by`` includes the organisation's parts and, unless ``by_what`` is "donor", those who
    made a pledge together (``with``) or signed its text (``signatories``): money belongs
    to its donor alone. With ``money``, a donor's pledges are looked up among those with
    an amount (the ``money_by`` index): the others, never listed, are never read.
    """
    role = "donor" if by_what == "donor" else "pledger"
    spans = year_spans(year, from_year, to_year)
    donors = organisations_named(ds, by, by_what, role)
    recipients = organisations_named(ds, to, "recipient", "recipient")
    event_ids = {match_event(ds, e) for e in each(event)}
    programme_ids = {match_programme(ds, p) for p in each(programme)}
    kinds = {match_kind(k, PLEDGE_KINDS, "pledge kind") for k in words(kind, "pledge kind")}
    currencies = currency_codes(ds, words(currency, "currency"))
    criteria: dict[str, Iterable[str] | None] = {  # the index narrows; the loop filters
        "to": recipients,
        "made_at": event_ids or None,
        "year": span_years(spans),
        "kind": kinds or None,
        "programme": programme_ids or None,
        "currency": currencies or None,
    }
    if donors is not None and by_what == "donor" and money:
        candidates = select(ds, "pledges", money_by=donors, **criteria)
    elif donors is None or by_what == "donor":
        candidates = select(ds, "pledges", by=donors, **criteria)
    else:  # made by any of them, alone or with others
        found = {
            p
            for field in ("by", "with", "signatories")
            for p in positions(ds, "pledges", {field: donors, **criteria}) or ()
        }
        candidates = cast(Sequence[Pledge], ds.records_at("pledges", sorted(found)))
    # Each filter given keeps the records that pass it (the index only narrowed them).
    kept: Sequence[Pledge] = candidates
    if donors is not None and by_what == "donor":
        kept = [p for p in kept if p.by in donors]
    elif donors is not None:
        kept = [p for p in kept if not donors.isdisjoint((p.by, *p.with_, *p.signatories))]
    if recipients is not None:
        kept = [p for p in kept if p.to in recipients]
    if event_ids:
        kept = [p for p in kept if p.made_at in event_ids]
    years = span_years(spans)
    if years is not None:  # years given one by one: a set of them
        wanted = {int(y) for y in years}
        kept = [p for p in kept if int(p.date[:4]) in wanted]
    elif spans:
        kept = [p for p in kept if in_spans(year_of(p.date), year_of(p.date), spans)]
    if kinds:
        kept = [p for p in kept if p.kind in kinds]
    if programme_ids:
        kept = [p for p in kept if p.programme in programme_ids]
    if currencies:
        kept = [p for p in kept if p.currency in currencies]
    return sorted(kept, key=attrgetter("date", "id"))


def currency_codes(ds: Dataset, given: Sequence[str]) -> set[str]:
    """ISO 4217 codes as given (any case); one that is not a currency is a usage error.
    A real currency no pledge uses is not an error: it selects nothing."""
    used = set(ds.index("pledges", "currency"))
    codes = set()
    for text in given:
        code = text.strip().upper()
        if code not in used:
            from ..load.codes import currency_hint, is_currency  # pycountry: only for a new code

            if not (len(code) == 3 and code.isalpha() and is_currency(code)):
                raise UsageError(f"--currency: unknown currency '{text}' ({currency_hint(code)})")
        codes.add(code)
    return codes


def country_rows(ds: Dataset, *, programme: Names = None, region: Names = None) -> list[Row]:
    """One row per country per programme: the country joined with its programme entry."""
    programmes: Sequence[Programme] = ds.programmes
    if each(programme):
        wanted = {match_programme(ds, p) for p in each(programme)}
        programmes = [p for p in programmes if p.id in wanted]
    countries = {c.code: c for c in ds.countries}
    region_ids = {match_region(ds, r) for r in each(region)}
    rows = []
    for prog in programmes:
        region_names = {r.id: r.name for r in prog.regions}
        for entry in prog.countries:
            if region_ids and entry.region not in region_ids:
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
    """Figures whose statement, unit, note or id mentions ``about`` (accents and case
    ignored), or whose event (``reported_at``) does by its id, name or an alias."""
    names = organisation_names(ds)
    events = ds.memo("event names", lambda: {e.id: e.name for e in ds.events})
    wanted = fold(about) if about else None
    rows = []
    for figure in ds.figures:
        if wanted and not any(wanted in fold(text) for text in _figure_texts(ds, figure)):
            continue
        row = record_row(figure)
        row["measured_by_name"] = names.get(figure.measured_by or "")
        row["reported_at_name"] = events.get(figure.reported_at or "")
        rows.append(row)
    rows.sort(key=lambda r: (r["as_of"] or r["period"] or "", r["id"]))
    return rows


def _figure_texts(ds: Dataset, figure: Figure) -> Iterable[str]:
    """What ``figures --about`` looks in: the figure's own words, then its event's names."""
    yield from filter(None, (figure.id, figure.statement, figure.unit, figure.note))
    if figure.reported_at:
        aliases = ds.memo(
            "event aliases", lambda: {e.id: (e.id, e.name, *e.aliases) for e in ds.events}
        )
        yield from aliases.get(figure.reported_at, ())


def listing_fields(command: str) -> tuple[str, ...]:
    """Every field a listing's rows have, for --fields and --sort completion."""
    from .directory import ORGANISATION_COLUMNS, PROGRAMME_COLUMNS

    def names(record_type: type[Record]) -> tuple[str, ...]:
        return tuple(f.encode_name for f in msgspec.structs.fields(record_type))

    pledge_fields = tuple(f for f in names(Pledge) if f not in ("by", "with"))
    extra: dict[str, tuple[str, ...]] = {
        "events": (*names(Event), "country_name", "host_names"),
        "pledges": (
            *names(Pledge),
            "by_name",
            "with_names",
            "pledged_by",
            "signatory_names",
            "to_name",
            "made_at_name",
        ),
        "funding": ("donor", *FUNDING_COLUMNS, *pledge_fields),
        "countries": (*COUNTRY_COLUMNS, "region", "programme_name", "evidence", "sources"),
        "figures": (*names(Figure), "measured_by_name", "reported_at_name"),
        "sources": (*names(Source), "used_by_count", "used_by"),
        "search": SEARCH_COLUMNS,
        "timeline": (*TIMELINE_COLUMNS, "end", "year", "sources"),
        "organisations": (
            *names(Organisation),
            *ORGANISATION_COLUMNS,
            "part_of_name",
            "pledges",
            "received",
            "hosted",
            "leads",
        ),
        "programmes": (*names(Programme), *PROGRAMME_COLUMNS, "partner_names"),
    }
    return tuple(dict.fromkeys(extra.get(command, ())))
