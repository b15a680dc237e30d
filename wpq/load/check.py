"""Checks that span records: duplicate ids, references, dates, money (``ledger``), codes.

Runs after every record has its type; yields problems with the path of the offending value
inside its file, for the loader to give line and column.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace

from ..errors import did_you_mean
from ..model import (
    COLLECTIONS,
    Dataset,
    Event,
    Organisation,
    Origin,
    Pledge,
    Programme,
    Rate,
    Record,
    Source,
    record_key,
)
from ..references import references
from ..vocabulary import fold
from . import fields, ledger
from .copies import copy_problems
from .pending import Loaded, Pending
from .suggest import Candidate, Suggester
from .suggest import did_you_mean as did_you_mean_of

# Kinds of event that happen somewhere; launches and milestones may have no place.
PLACED_EVENT_KINDS = frozenset({"summit", "congress", "forum", "meeting"})
# Fields that hold a date (YYYY, YYYY-MM or YYYY-MM-DD), in any record.
DATE_FIELDS = ("start", "end", "date", "published", "original_published", "as_of", "stage_date")


def check_dataset(
    dataset: Dataset,
    records: Loaded,
    *,
    check_codes: bool,
    unconverted: Sequence[tuple[str, str, Origin]] = (),
    unresolved: Sequence[Pending] = (),
) -> list[Pending]:
    """Problems that span records. ``unconverted`` holds the ids of records that failed to
    convert (already reported): they count as defined, and as duplicates. ``unresolved``
    are the references of those records, and values that cannot be ids (``by: Norway``):
    each that names no record comes back saying what it may have meant."""
    checker = _Checker(dataset, records, unconverted)
    checker.run(check_codes=check_codes)
    for item in unresolved:
        checker.unknown_reference(item)
    return checker.pending


def field_path(collection: str, index: int, parts: Sequence[object]) -> str:
    """How messages name a value: ``pledges[1].date``, ``events[0].speakers[2].name``."""
    text = f"{collection}[{index}]"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


class _Checker:
    def __init__(
        self, dataset: Dataset, records: Loaded, unconverted: Sequence[tuple[str, str, Origin]]
    ) -> None:
        self.dataset = dataset
        self.records = records
        self.unconverted = unconverted
        self.pending: list[Pending] = []
        self.keys: dict[str, set[str]] = {
            name: {record_key(name, r) for r in dataset.collection(name)} for name in COLLECTIONS
        }
        for collection, key, _ in unconverted:
            self.keys[collection].add(key)
        self.suggesters: dict[str, Suggester] = {}
        self.duplicated: set[tuple[str, str]] = set()  # ids defined twice: nothing follows

    def problem(
        self,
        origin: Origin,
        path: Sequence[str | int],
        message: str,
        hint: str = "",
        hint_at: tuple[str, tuple[str | int, ...]] | None = None,
    ) -> None:
        where = field_path(origin.collection, origin.index, path)
        self.pending.append(
            Pending(
                origin.path,
                (origin.collection, origin.index, *path),
                f"{where}: {message}",
                hint,
                hint_at=hint_at,
            )
        )

    def run(self, *, check_codes: bool) -> None:
        self.check_duplicates()
        for collection, record, origin in self.records:
            for path, target, value in references(collection, record):
                if value not in self.keys[target]:
                    where = field_path(origin.collection, origin.index, path)
                    self.unknown_reference(
                        Pending(origin.path, (collection, origin.index, *path), where),
                        (target, value),
                    )
            for path, value in dates(record):
                message = date_problem(value)
                if message:
                    self.problem(origin, path, message)
            for path, message, hint in fields.problems(record):
                self.problem(origin, path, message, hint)
            if isinstance(record, Event):
                self.check_event(record, origin)
            elif isinstance(record, Pledge):
                self.check_pledge(record, origin)
            elif isinstance(record, Programme):
                self.check_programme(record, origin)
            elif isinstance(record, Source):  # a copy and its original (load/copies.py)
                for path, message, hint in copy_problems(record):
                    self.problem(origin, path, message, hint)
            elif isinstance(record, Organisation) and not _named(record):  # a name wpq takes
                message = f"short name '{record.short_name}' is not one of its names"
                self.problem(origin, ("short_name",), message, "add it to 'aliases'")
            if getattr(record, "evidence", "stated") == "inferred" and not getattr(
                record, "note", None
            ):
                self.problem(
                    origin,
                    ("evidence",),
                    "an inferred fact needs a note saying why",
                    "add a 'note'",
                )
            if check_codes:
                self.check_codes(record, origin)
        self.check_cycles("pledges", self.dataset.pledges)
        self.check_cycles("organisations", self.dataset.organisations)
        self.check_tranches()
        self.check_rates()

    def unknown_reference(self, item: Pending, reference: tuple[str, str] | None = None) -> None:
        """Report ``item``, a reference, if it names no record, with what it may have meant:
        a record of the collection it refers to, by id, name or alias (or an ISO country)."""
        target, value = reference or item.reference or ("", "")
        if value in self.keys[target]:
            return  # a good reference of a record that failed to convert
        what = _singular(target)
        meant = self.suggester(target).did_you_mean(value)
        hint = ""
        if target == "countries":
            from . import codes

            # ISO's names first: "Icelnd" is Iceland, not a country of the data spelt alike
            meant = did_you_mean_of(codes.meant_countries(value, self.keys[target])) or meant
            if value != value.upper() and codes.iso_country(value.upper()):
                hint = f'codes are in capitals, quoted: "{value.upper()}"'
            else:
                hint = "not an ISO 3166-1 alpha-2 code"
                hint += "" if meant else "; use one such as 'GB' or 'NO'"
        elif not meant:
            hint = f"no {what} has this id, name or alias; add one under '{target}'"
        message = f"unknown {what} '{value}'" + (f"; {meant}" if meant else "")
        self.pending.append(replace(item, message=f"{item.message}: {message}", hint=hint))

    def suggester(self, target: str) -> Suggester:
        if target not in self.suggesters:
            self.suggesters[target] = Suggester(_candidates(self.dataset, target, self.keys))
        return self.suggesters[target]

    def check_duplicates(self) -> None:
        entries = [(c, record_key(c, r), o) for c, r, o in self.records if c != "countries"]
        entries += [e for e in self.unconverted if e[0] != "countries"]
        # in reading order, so the later of two records is the one reported
        rank: dict[str, int] = {}
        for _, _, origin in entries:
            rank.setdefault(origin.path, len(rank))
        entries.sort(key=lambda e: (rank[e[2].path], e[2].index))
        seen: dict[tuple[str, str], Origin] = {}
        for collection, key, origin in entries:
            first = seen.setdefault((collection, key), origin)
            if first is not origin:
                self.duplicated.add((collection, key))
                field = "code" if collection == "countries" else "id"
                self.problem(
                    origin,
                    (field,),
                    f"duplicate {field} '{key}' in {collection}",
                    "also defined at {at}",
                    hint_at=(first.path, (first.collection, first.index, field)),
                )

    def check_event(self, event: Event, origin: Origin) -> None:
        if (
            event.end
            and not (date_problem(event.end) or date_problem(event.start))
            and _before(event.end, event.start)
        ):
            self.problem(origin, ("end",), f"{event.end} is before the start, {event.start}")
        if event.kind in PLACED_EVENT_KINDS:
            for name in ("city", "country"):
                if getattr(event, name) is None:
                    self.problem(origin, (), f"a {event.kind} needs a {name}", f"add '{name}'")

    def check_pledge(self, pledge: Pledge, origin: Origin) -> None:
        ledger.check_money(pledge, origin, self.problem)

    def check_programme(self, programme: Programme, origin: Origin) -> None:
        regions = {r.id for r in programme.regions}
        seen: set[str] = set()
        for index, entry in enumerate(programme.countries):
            if entry.region is not None and entry.region not in regions:
                self.problem(
                    origin,
                    ("countries", index, "region"),
                    f"region '{entry.region}' is not one of the programme's regions",
                    did_you_mean(entry.region, sorted(regions)),
                )
            if entry.country in seen:
                self.problem(
                    origin,
                    ("countries", index, "country"),
                    f"country '{entry.country}' is listed twice",
                )
            seen.add(entry.country)
        if (
            programme.start
            and programme.end
            and not (date_problem(programme.start) or date_problem(programme.end))
            and _before(programme.end, programme.start)
        ):
            self.problem(
                origin, ("end",), f"{programme.end} is before the start, {programme.start}"
            )

    def check_codes(self, record: Record, origin: Origin) -> None:
        """Currency codes; country codes are checked as countries are completed."""
        from . import codes

        if isinstance(record, (Pledge, Rate)):
            for field in ("currency", "per"):
                code = getattr(record, field, None)
                if code and not codes.is_currency(code):
                    self.problem(
                        origin,
                        (field,),
                        f"unknown currency code '{code}'",
                        codes.currency_hint(code),
                    )

    def check_cycles(self, collection: str, items: Iterable[Pledge | Organisation]) -> None:
        parent = {r.id: r.part_of for r in items if r.part_of}
        reported: set[str] = set()
        for start in parent:
            chain, node = [start], parent.get(start)
            while node is not None and node not in chain and node in parent:
                chain.append(node)
                node = parent[node]
            dubious = any((collection, link) in self.duplicated for link in chain)
            if node == start and start not in reported and not dubious:
                reported.update(chain)
                origin = self.dataset.origins[(collection, start)]
                self.problem(
                    origin,
                    ("part_of",),
                    "forms a cycle: " + " -> ".join([*chain, start]),
                    "one of them must not be part of the other",
                )

    def check_tranches(self) -> None:
        twice = {key for collection, key in self.duplicated if collection == "pledges"}
        ledger.check_tranches(self.dataset.pledges, self.dataset.origins, self.problem, twice)

    def check_rates(self) -> None:
        """One rate per pair of currencies and year, whichever way round it is quoted."""
        seen: dict[tuple[frozenset[str], int], Origin] = {}
        for rate in self.dataset.rates:
            origin = self.dataset.origins[("rates", rate.id)]
            if rate.currency == rate.per:
                self.problem(origin, ("per",), f"a rate of {rate.currency} per {rate.per}")
                continue
            first = seen.setdefault((frozenset((rate.currency, rate.per)), rate.year), origin)
            if first is not origin:
                self.problem(
                    origin,
                    ("year",),
                    f"a second rate between {rate.currency} and {rate.per} for {rate.year}",
                    "also defined at {at}",
                    hint_at=(first.path, (first.collection, first.index, "year")),
                )


def dates(record: Record) -> Iterator[tuple[tuple[str, ...], str]]:
    for name in DATE_FIELDS:
        value = getattr(record, name, None)
        if isinstance(value, str):
            yield (name,), value


def date_problem(value: str) -> str:
    """Why ``value`` (already of the form YYYY[-MM[-DD]]) is not a real date, or ''."""
    parts = [int(p) for p in value.split("-")]
    if parts[0] < 1000:  # 0000 is no year, and the data's dates are all this millennium's
        return f"invalid date '{value}': the year must be 1000 or later"
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return f"invalid date '{value}': no month {parts[1]}"
    if len(parts) > 2:
        last = calendar.monthrange(parts[0], parts[1])[1]
        if not 1 <= parts[2] <= last:
            month = calendar.month_name[parts[1]]
            return f"invalid date '{value}': {month} {parts[0]} has {last} days"
    return ""


def _before(end: str, start: str) -> bool:
    """Whether ``end`` lies before ``start``, compared at the precision both have."""
    width = min(len(end), len(start))
    return end[:width] < start[:width]


def _candidates(ds: Dataset, target: str, keys: dict[str, set[str]]) -> list[Candidate]:
    """The records a reference to ``target`` may have meant, by id, name and alias."""
    found = []
    for record in ds.collection(target):
        label = getattr(record, "name", None) or getattr(record, "title", None) or ""
        names = tuple(getattr(record, "aliases", ()))
        if target == "countries":
            names += (getattr(record, "iso3", ""),)
        found.append(Candidate(record_key(target, record), label, names))
    known = {c.key for c in found}
    found += [Candidate(key) for key in sorted(keys[target] - known)]  # unconverted records
    return found


def _named(org: Organisation) -> bool:
    return not org.short_name or fold(org.short_name) in map(fold, (org.name, *org.aliases))


def _singular(collection: str) -> str:
    return {"countries": "country", "sources": "source"}.get(collection, collection[:-1])
