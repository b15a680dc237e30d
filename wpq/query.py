"""Questions asked of a Dataset: name matching, filters, rows and money totals.

Pure functions over typed records; they return rows (plain dicts whose keys are the JSON
contract) and raise ``UsageError`` for a name that matches nothing or too much.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import msgspec

from .errors import UsageError, did_you_mean
from .model import (
    COLLECTIONS,
    EVENT_KINDS,
    PLEDGE_KINDS,
    Dataset,
    Event,
    Pledge,
    Programme,
    Record,
)

if TYPE_CHECKING:
    from decimal import Decimal

    from .rates import Conversion

Row = dict[str, Any]


# ---------------------------------------------------------------- name matching


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` for matching."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


class Candidate(msgspec.Struct, frozen=True):
    """Something a name on the command line may mean: its id, label, other names and codes."""

    id: str
    label: str
    names: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()


def match(text: str, candidates: Sequence[Candidate], what: str) -> Candidate:
    """The one candidate ``text`` names: id, name or alias, code, then unique prefix/substring."""
    wanted = fold(text)
    steps: list[Callable[[Candidate], bool]] = [
        lambda c: fold(c.id) == wanted,
        lambda c: any(fold(n) == wanted for n in (c.label, *c.names)),
        lambda c: any(fold(code) == wanted for code in c.codes),
        lambda c: any(fold(n).startswith(wanted) for n in (c.id, c.label, *c.names)),
        lambda c: any(wanted in fold(n) for n in (c.id, c.label, *c.names)),
    ]
    for step in steps:
        found = [c for c in candidates if step(c)] if wanted else []
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            listed = ", ".join(_shown(c) for c in found[:8])
            more = f" and {len(found) - 8} more" if len(found) > 8 else ""
            raise UsageError(f"{what} '{text}' is ambiguous: it matches {listed}{more}")
    raise UsageError(f"unknown {what} '{text}'; {_closest(wanted, candidates)}")


def _shown(candidate: Candidate) -> str:
    if fold(candidate.label) == fold(candidate.id):
        return candidate.id
    return f"{candidate.id} ({candidate.label})"


def _closest(wanted: str, candidates: Sequence[Candidate]) -> str:
    """The nearest few candidates by spelling, or a few of them all when none is near."""
    import difflib  # only on the way to an error

    names = {fold(n): c for c in candidates for n in (c.id, c.label, *c.names)}
    close = difflib.get_close_matches(wanted, list(names), n=8, cutoff=0.5)
    seen = list(dict.fromkeys(names[name] for name in close))[:4]
    if seen:
        return "did you mean " + ", ".join(_shown(c) for c in seen) + "?"
    some = ", ".join(_shown(c) for c in candidates[:5])
    more = f" and {len(candidates) - 5} more" if len(candidates) > 5 else ""
    return f"known: {some}{more}" if candidates else "there are none"


def organisation_candidates(ds: Dataset) -> list[Candidate]:
    """Organisations to match a name against; a government also by ISO codes."""
    iso3 = {c.code: c.iso3 for c in ds.countries}
    result = []
    for org in ds.organisations:
        codes: tuple[str, ...] = ()
        # An ISO code names a country's government, not its ministries.
        if org.kind == "government" and org.part_of is None and org.country:
            codes = (org.country, iso3.get(org.country, org.country))
        result.append(Candidate(org.id, org.name, org.aliases, codes))
    return result


def programme_candidates(ds: Dataset) -> list[Candidate]:
    """Programmes to match a name against: id, name and aliases."""
    return [Candidate(p.id, p.name, p.aliases) for p in ds.programmes]


def country_candidates(ds: Dataset) -> list[Candidate]:
    """Countries to match a name against: code, name, aliases, ISO codes."""
    return [Candidate(c.code, c.name, c.aliases, (c.code, c.iso3)) for c in ds.countries]


def match_organisation(ds: Dataset, text: str, what: str = "organisation") -> str:
    """The id of the organisation ``text`` names (see ``match``)."""
    return match(text, organisation_candidates(ds), what).id


def match_kind(text: str, kinds: Sequence[str], what: str) -> str:
    """The one of ``kinds`` that ``text`` names (exactly or by a unique prefix)."""
    return match(text, [Candidate(k, k) for k in kinds], what).id


def with_parts(ds: Dataset, org_id: str) -> set[str]:
    """``org_id`` and every organisation that is part of it, at any depth."""
    children: dict[str, list[str]] = defaultdict(list)
    for org in ds.organisations:
        if org.part_of:
            children[org.part_of].append(org.id)
    found, todo = set(), [org_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children[current])
    return found


def root_organisation(ds: Dataset, org_id: str) -> str:
    """The top of ``org_id``'s ``part_of`` chain (the UK for the Home Office)."""
    parent = ds.memo("organisation parents", lambda: {o.id: o.part_of for o in ds.organisations})
    seen = {org_id}
    while parent.get(org_id) and parent[org_id] not in seen:
        org_id = parent[org_id]  # type: ignore[assignment]
        seen.add(org_id)
    return org_id


# ---------------------------------------------------------------- rows


def record_row(record: Record) -> Row:
    """Every field of a record under its data-file name, absent ones as null or []."""
    return {
        encode_name: _builtin(getattr(record, name))
        for encode_name, name in _field_names(type(record))
    }


@functools.cache
def _field_names(record_type: type[Record]) -> tuple[tuple[str, str], ...]:
    """(data-file name, attribute name) of each field; msgspec re-reads annotations per call."""
    return tuple((f.encode_name, f.name) for f in msgspec.structs.fields(record_type))


def _builtin(value: Any) -> Any:
    """A JSON-like value: lists for tuples (msgspec keeps tuples), dicts for nested entries."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, msgspec.Struct):
        value = msgspec.to_builtins(value)
    if isinstance(value, dict):
        return {k: _builtin(v) for k, v in value.items()}
    if isinstance(value, (tuple, list)):
        return [_builtin(v) for v in value]
    return value


def _names(ds: Dataset) -> dict[str, str]:
    return ds.memo("organisation names", lambda: {o.id: o.name for o in ds.organisations})


def _country_names(ds: Dataset) -> dict[str, str]:
    return ds.memo("country names", lambda: {c.code: c.name for c in ds.countries})


def year_of(date: str) -> int:
    """The year of a ``YYYY[-MM[-DD]]`` date."""
    return int(date[:4])


def event_row(ds: Dataset, event: Event) -> Row:
    """An event as a row: every field, plus ``country_name`` and ``host_names``."""
    names = _names(ds)
    countries = _country_names(ds)
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
    names = _names(ds)
    row = record_row(pledge)
    row["by_name"] = names.get(pledge.by)
    row["with_names"] = [names.get(w, w) for w in pledge.with_]
    row["to_name"] = names.get(pledge.to or "")
    return row


def funding_row(ds: Dataset, pledge: Pledge) -> Row:
    """A pledge of money, with ``donor`` for ``by`` as DESIGN §5 names it."""
    names = _names(ds)
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
    event_id = match(event, _event_candidates(ds), "event").id if event else None
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


def _event_candidates(ds: Dataset) -> list[Candidate]:
    return [Candidate(e.id, e.name, e.aliases) for e in ds.events]


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


# ---------------------------------------------------------------- money


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
    names = _names(ds)
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


# ---------------------------------------------------------------- programme countries and figures


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
    names = _names(ds)
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


# ---------------------------------------------------------------- picking, sorting, limiting


def pick(
    rows: list[Row],
    *,
    fields: Sequence[str] | None = None,
    sort: str | None = None,
    desc: bool = False,
    limit: int | None = None,
    valid: Sequence[str] = (),
) -> list[Row]:
    """Sort by a field (nulls last), cut to ``limit`` rows, keep only ``fields`` in that order."""
    known = list(valid) or (list(rows[0]) if rows else [])
    for name in [*(fields or ()), *([sort] if sort else [])]:
        if name not in known:
            hint = did_you_mean(name, known)
            hint = f" ({hint})" if hint else ""
            raise UsageError(f"unknown field '{name}'{hint}; fields: {', '.join(known)}")
    if sort:
        present = [r for r in rows if r.get(sort) is not None]
        missing = [r for r in rows if r.get(sort) is None]
        present.sort(key=lambda r: _sort_key(r[sort]), reverse=desc)
        rows = present + missing
    if limit is not None:
        rows = rows[:limit]
    if fields:
        rows = [{name: row.get(name) for name in fields} for row in rows]
    return rows


def _sort_key(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (0, value, "")
    return (1, 0, fold(str(value)))


# ---------------------------------------------------------------- what listings show

# Default columns of each listing in a table and in TSV/CSV; JSON always has every field.
EVENT_COLUMNS = ("id", "start", "end", "kind", "name", "city", "country_name", "host_names")
FUNDING_COLUMNS = ("id", "date", "donor_name", "to_name", "amount", "currency", "part_of")
PLEDGE_COLUMNS = ("id", "date", "kind", "by_name", "amount", "currency", "made_at", "summary")
COUNTRY_COLUMNS = ("code", "name", "iso3", "region_name", "programme", "notes")
FIGURE_COLUMNS = ("id", "value", "unit", "statement", "as_of", "conflicts_with")
COLLECTION_NAMES = tuple(COLLECTIONS)


def with_citations(ds: Dataset, rows: list[Row]) -> list[Row]:
    """Rows with a ``citations`` list: title, publisher and URL of each of their sources."""
    sources = {s.id: s for s in ds.sources}
    result = []
    for row in rows:
        cited = [sources[i] for i in row.get("sources") or [] if i in sources]
        citations = [
            {"id": s.id, "title": s.title, "publisher": s.publisher, "url": s.url} for s in cited
        ]
        result.append({**row, "citations": citations})
    return result


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


# ---------------------------------------------------------------- provenance: show, sources, search


def _label(record: Record) -> str:
    for name in ("name", "title", "statement", "summary"):
        value = getattr(record, name, None)
        if isinstance(value, str):
            return value
    return ""


def all_records(ds: Dataset) -> Iterable[tuple[str, Record]]:
    """Every record of the dataset with its collection name, collection by collection."""
    for name in COLLECTION_NAMES:
        for record in ds.collection(name):
            yield name, record


def find_record(ds: Dataset, key: str, collection: str | None = None) -> tuple[str, Record]:
    """The record whose id (or country code) is ``key``, in ``collection`` or any collection."""
    from .model import record_key

    names = [collection] if collection else list(COLLECTION_NAMES)
    found = [
        (name, r)
        for name in names
        for r in ds.collection(name)
        if record_key(name, r) == key
        or (name == "countries" and record_key(name, r) == key.upper())
    ]
    if len(found) == 1:
        return found[0]
    if found:
        where = ", ".join(name for name, _ in found)
        raise UsageError(f"'{key}' is an id in several collections ({where}); add --in COLLECTION")
    every = {record_key(n, r): n for n, r in all_records(ds) if not collection or n == collection}
    import difflib  # only on the way to an error

    close = difflib.get_close_matches(key, list(every), n=3)
    hint = "; did you mean " + ", ".join(close) + "?" if close else ""
    raise UsageError(f"no record with id '{key}'{hint}")


def referenced_by(ds: Dataset, collection: str, key: str) -> list[Row]:
    """Every record that refers to ``collection``/``key``, with the field that does."""
    from .check import references
    from .model import record_key

    rows = []
    for name, record in all_records(ds):
        for path, target, value in references(name, record):
            if target == collection and value == key:
                field = ".".join(str(p) for p in path if not isinstance(p, int))
                rows.append(
                    {
                        "collection": name,
                        "id": record_key(name, record),
                        "field": field,
                        "label": _label(record),
                    }
                )
    return rows


def citations(ds: Dataset, ids: Iterable[str]) -> list[Row]:
    """The ``sources`` records of ``ids`` as rows, each once, in order."""
    sources = {s.id: s for s in ds.sources}
    return [record_row(sources[i]) for i in dict.fromkeys(ids) if i in sources]


def show(ds: Dataset, key: str, collection: str | None = None) -> Row:
    """One record in full, its sources and everything that refers to it."""
    from .model import record_key

    if collection:
        collection = match_kind(collection, COLLECTION_NAMES, "collection")
    name, record = find_record(ds, key, collection)
    row = record_row(record)
    cited = list(row.get("sources") or [])
    for nested in ("quotes", "disputes", "participants", "speakers", "countries"):
        for entry in row.get(nested) or []:
            if isinstance(entry, dict):
                cited += [entry["source"]] if entry.get("source") else []
                cited += list(entry.get("sources") or [])
    return {
        "collection": name,
        "id": record_key(name, record),
        "record": row,
        "sources": citations(ds, cited),
        "referenced_by": referenced_by(ds, name, record_key(name, record)),
    }


def source_rows(ds: Dataset) -> list[Row]:
    """Each source with the records that cite it (directly or in a quote, dispute or entry)."""
    from .check import references
    from .model import record_key

    users: dict[str, list[str]] = defaultdict(list)
    for name, record in all_records(ds):
        for _path, target, value in references(name, record):
            if target == "sources":
                label = f"{name}/{record_key(name, record)}"
                if label not in users[value]:
                    users[value].append(label)
    rows = []
    for source in ds.sources:
        row = record_row(source)
        row["used_by_count"] = len(users[source.id])
        row["used_by"] = users[source.id]
        rows.append(row)
    return rows


SOURCE_COLUMNS = ("id", "publisher", "title", "published", "used_by_count", "url")
SEARCH_COLUMNS = ("collection", "id", "label", "field", "text")


def search(ds: Dataset, text: str, collection: str | None = None) -> list[Row]:
    """Records any of whose text fields contains ``text`` (case and accents ignored)."""
    from .model import record_key

    wanted = fold(text)
    if not wanted:
        raise UsageError("search needs some text")
    if collection:
        collection = match_kind(collection, COLLECTION_NAMES, "collection")
    rows = []
    for name, record in all_records(ds):
        if collection and name != collection:
            continue
        hit = _first_hit(record_row(record), wanted)
        if hit:
            field, value = hit
            rows.append(
                {
                    "collection": name,
                    "id": record_key(name, record),
                    "label": _label(record),
                    "field": field,
                    "text": value,
                }
            )
    return rows


def _first_hit(value: Any, wanted: str, path: str = "") -> tuple[str, str] | None:
    if isinstance(value, str):
        return (path, value) if wanted in fold(value) else None
    if isinstance(value, dict):
        items: Iterable[tuple[str, Any]] = value.items()
    elif isinstance(value, list):
        items = ((str(i), v) for i, v in enumerate(value))
    else:
        return None
    for key, item in items:
        found = _first_hit(item, wanted, f"{path}.{key}" if path else key)
        if found:
            return found
    return None


# ---------------------------------------------------------------- summary and timeline


def dataset_summary(ds: Dataset, convert_to: str | None = None) -> Row:
    """Counts per collection, money by donor and currency, events per year, programme reach."""
    money = [p for p in ds.pledges if p.amount is not None]
    conversions = convert_pledges(money, convert_to) if convert_to else None
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


TIMELINE_COLUMNS = ("date", "type", "kind", "id", "title", "amount", "currency")


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
    names = _names(ds)
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


# ---------------------------------------------------------------- completion


def completion_values(ds: Dataset, what: str) -> list[str]:
    """The words a shell may complete for an option naming ``what``."""
    if what == "organisations":
        values = [c for o in organisation_candidates(ds) for c in (o.id, *o.names, *o.codes)]
    elif what == "programmes":
        values = [c for p in programme_candidates(ds) for c in (p.id, *p.names)]
    elif what == "countries":
        values = [c for k in country_candidates(ds) for c in (k.id, k.label, *k.names)]
    elif what == "regions":
        values = [r.id for p in ds.programmes for r in p.regions]
    elif what == "events":
        values = [e.id for e in ds.events]
    else:
        from .model import record_key

        values = [record_key(name, r) for name, r in all_records(ds)]
    return list(dict.fromkeys(values))


def listing_fields(command: str) -> tuple[str, ...]:
    """Every field a listing's rows have, for --fields and --sort completion."""
    from .model import Event, Figure, Pledge, Source

    def names(record_type: type[Record]) -> tuple[str, ...]:
        return tuple(f.encode_name for f in msgspec.structs.fields(record_type))

    pledge_fields = tuple(f for f in names(Pledge) if f not in ("by", "with"))
    extra: dict[str, tuple[str, ...]] = {
        "events": (*names(Event), "country_name", "host_names"),
        "pledges": (*names(Pledge), "by_name", "with_names", "to_name"),
        "funding": ("donor", *FUNDING_COLUMNS, *pledge_fields),
        "countries": (*COUNTRY_COLUMNS, "region", "programme_name", "evidence", "sources"),
        "figures": (*names(Figure), "measured_by_name"),
        "sources": (*names(Source), "used_by_count", "used_by"),
        "search": SEARCH_COLUMNS,
        "timeline": (*TIMELINE_COLUMNS, "end", "year"),
    }
    return tuple(dict.fromkeys(extra.get(command, ())))
