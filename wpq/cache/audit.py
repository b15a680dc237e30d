"""The checks that span records, run again on what a cache file hands back: ids unique,
references that resolve, no ``part_of`` cycle, tranches within their pledge, one rate per
pair of currencies and year.

A cache file passed every check when wpq wrote it, and each byte read is checked against
its CRC; but a CRC says only that the bytes are those the file's header lists, not that
wpq wrote them. A file written by something else with valid CRCs, or a fault of wpq's own,
must never give a wrong total or a traceback, so every record a query receives from the
cache is checked against the records received before it, as it is received. A warm query
that decodes 8,000 of 100,000 pledges checks those 8,000 (and looks up what they refer to
in the stored id indexes); a question that reads only them relies on nothing else.

What no check can see is a file that holds other data, consistently (a changed amount, a
record left out): such a file answers as the YAML would if it said so. That is why a cache
file is taken only from the user's own folder (``policy``), and only if the user owns it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import msgspec

from ..errors import CacheUntrusted
from ..model import COLLECTIONS, tuple_fields
from ..references import ATTRIBUTES, reference_fields, reference_target, references

if TYPE_CHECKING:
    from ..model import Dataset, Pledge, Record

# The collections whose records form trees through ``part_of``.
_TREES = ("pledges", "organisations")
# Up to this many records handed back at once are checked one by one; more, as sets.
_FEW = 8
# A collection of up to this many records has its key index read at once, to check what
# refers to it; a larger one's when a question needs it.
_READ_AT_ONCE = 5000


class _Plan(msgspec.Struct, frozen=True):  # a Struct: a NamedTuple takes 5 times as long to make
    """How to gather the references of many records of one type at C speed: a getter per
    field of one reference (``by``, ``to``…), of a list of them (``sources``, ``hosts``),
    or of a list of entries with references of their own (``quotes``, ``speakers``)."""

    scalars: tuple[tuple[str, Any], ...]
    lists: tuple[tuple[str, Any], ...]
    nested: tuple[Any, ...]


@functools.cache
def _plan(record_type: type[Record]) -> _Plan:
    tuples = tuple_fields(record_type)
    scalars, lists, nested = [], [], []
    for name, target in reference_fields(record_type):
        attribute = ATTRIBUTES.get(name, name)
        if target is None:
            nested.append(attrgetter(attribute))
        elif attribute in tuples:
            lists.append((target, attrgetter(attribute)))
        else:
            scalars.append((target, attrgetter(attribute)))
    return _Plan(tuple(scalars), tuple(lists), tuple(nested))


def _key_field(collection: str) -> str:
    return "code" if collection == "countries" else "id"


def _entry_references(entries: Sequence[Record]) -> dict[str, set[str]]:
    """The ids nested entries (a quote's source, a speaker's organisation) refer to."""
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        for _, target, value in references("", entry):
            wanted.setdefault(target, set()).add(value)
    return wanted


class CacheDamaged(Exception):
    """Bytes that do not match their CRC: the cache file must not be trusted."""


class Audit:
    """What a cache file has handed back so far, and the checks each new record passes."""

    def __init__(self, counts: Mapping[str, int]) -> None:
        self._counts = counts  # records per collection in the file
        self._seen: dict[str, dict[str, int]] = {}  # collection -> key -> position
        self._known: dict[str, Mapping[str, Any]] = {}  # collection -> its key index
        self._pending: dict[str, set[str]] = {}  # references to check once indexed
        self._parents: dict[str, dict[str, str]] = {name: {} for name in _TREES}
        self._pledges: dict[str, Pledge] = {}
        self._tranches: dict[str, dict[str, Pledge]] = {}  # parent id -> tranches by id
        self._rates: dict[tuple[frozenset[str], int], str] = {}

    def check(
        self, ds: Dataset, collection: str, positions: Sequence[int], records: Sequence[Record]
    ) -> None:
        """Raise ``CacheUntrusted`` unless ``records`` (at ``positions`` of ``collection``)
        keep every rule with the records handed back before them."""
        keys = list(map(attrgetter(_key_field(collection)), records))
        batch = dict(zip(keys, positions, strict=True))
        if len(batch) != len(keys):
            raise CacheUntrusted(f"{collection}: a key twice among {len(keys)} records")
        seen = self._seen.setdefault(collection, batch)  # the first batch becomes ``seen``
        again = batch.keys() & seen.keys() if seen is not batch else ()
        for key in again:
            if seen[key] != batch[key]:
                raise CacheUntrusted(f"{collection}: '{key}' at {seen[key]} and {batch[key]}")
        if seen is not batch:
            seen.update(batch)
        fresh = records
        if again:  # handed back before, and checked then
            fresh = [r for r, k in zip(records, keys, strict=True) if k not in again]
            batch = {k: p for k, p in batch.items() if k not in again}
        if not fresh:
            return
        if len(fresh) > _FEW:
            self._references(ds, collection, fresh)
        else:
            self._references_of_few(ds, collection, fresh)
        if collection in _TREES:
            parts = [r for r in fresh if r.part_of is not None]  # type: ignore[attr-defined]
            self._cycles(collection, parts)
            if collection == "pledges":
                self._money(fresh, parts, batch)  # type: ignore[arg-type]
        elif collection == "rates":
            self._pairs(fresh)

    def indexed(self, collection: str, keys: Mapping[str, Any]) -> None:
        """The key index of ``collection`` has been read (a question asked for it): the
        references to it left for then are checked now."""
        self._known[collection] = keys
        self._unknown(collection, self._pending.pop(collection, ()))

    def _references_of_few(self, ds: Dataset, collection: str, records: Sequence[Record]) -> None:
        """``_references`` for a few records (a pledge's tranches), one value at a time: a
        question may hand back records a few at a time, thousands of times."""
        plan = _plan(type(records[0]))
        for record in records:
            for target, getter in plan.scalars:
                value = getter(record)
                if value is not None:
                    self._require(ds, target, value)
            for target, getter in plan.lists:
                for value in getter(record):
                    self._require(ds, target, value)
            for getter in plan.nested:
                entries = getter(record)
                if entries:
                    for target, values in _entry_references(entries).items():
                        for value in values:
                            self._require(ds, target, value)

    def _require(self, ds: Dataset, target: str, value: str) -> None:
        """Raise ``CacheUntrusted`` unless ``value`` names a record of ``target`` (or wait
        for the key index of a large one: ``indexed``)."""
        seen = self._seen.get(target)
        if seen is not None and value in seen:
            return
        known = self._known.get(target)
        if known is None:
            if self._counts.get(target, 0) > _READ_AT_ONCE:
                self._pending.setdefault(target, set()).add(value)
                return
            known = self._known[target] = ds.index(target, _key_field(target))
        if value not in known:
            raise CacheUntrusted(f"unknown {target} '{value}'")

    def _references(self, ds: Dataset, collection: str, records: Sequence[Record]) -> None:
        """Every reference of ``records`` names a record: one handed back already, or one
        the target's stored key index holds. Gathered per field and checked as sets, as a
        warm query hands back thousands of records that refer to a few dozen.

        The key index of a large collection (100,000 pledges: some 20 ms to read) is read
        only when a question needs it; until then the references to it wait
        (``indexed``). A reference no question follows cannot change an answer."""
        wanted: dict[str, set[str]] = {}
        plan = _plan(type(records[0]))
        for target, getter in plan.scalars:
            wanted.setdefault(target, set()).update(map(getter, records))
        for target, getter in plan.lists:
            wanted.setdefault(target, set()).update(chain.from_iterable(map(getter, records)))
        for getter in plan.nested:
            entries = list(chain.from_iterable(map(getter, records)))
            for inner, found in _entry_references(entries).items():
                wanted.setdefault(inner, set()).update(found)
        for values in wanted.values():
            values.discard(None)
        self._resolve(ds, collection, wanted)

    def index_read(self, ds: Dataset, collection: str, field: str, keys: Iterable[str]) -> None:
        """An index of a reference field has been read (a question narrows by it): each of
        its values names a record, as each record's value does (a record handed back by
        another path is checked as it is)."""
        target = reference_target(COLLECTIONS[collection], field)
        if target is not None:
            self._resolve(ds, collection, {target: set(keys)})

    def _resolve(self, ds: Dataset, collection: str, wanted: Mapping[str, set[str]]) -> None:
        """Raise ``CacheUntrusted`` unless each value ``wanted`` of a target collection
        names a record of it (or wait for its key index: ``indexed``)."""
        for target, values in wanted.items():
            seen = self._seen.get(target, {})
            unseen = [value for value in values if value not in seen]
            if not unseen:
                continue
            if target not in self._known and self._counts.get(target, 0) > _READ_AT_ONCE:
                self._pending.setdefault(target, set()).update(unseen)
                continue
            if target not in self._known:  # read now (from the data files if it is damaged)
                self._known[target] = ds.index(target, _key_field(target))
            self._unknown(target, unseen)

    def _unknown(self, target: str, values: Iterable[str]) -> None:
        known = self._known.get(target, {})
        for value in values:
            if value not in known:
                raise CacheUntrusted(f"unknown {target} '{value}'")

    def _cycles(self, collection: str, parts: Sequence[Any]) -> None:
        """No record is part of itself, through any chain of ``part_of``: ``parts`` (the
        fresh records that are part of another) are checked with those handed back before."""
        parents = self._parents[collection]
        parents.update((record.id, record.part_of) for record in parts)
        for record in parts:
            node, steps = record.part_of, 0
            while node is not None and steps <= len(parents):
                if node == record.id:
                    raise CacheUntrusted(f"{collection}: '{record.id}' is part of itself")
                node, steps = parents.get(node), steps + 1

    def _money(
        self, pledges: Sequence[Pledge], parts: Sequence[Pledge], keys: Mapping[str, int]
    ) -> None:
        """A tranche's money is part of its parent's, as ``load/check.py`` requires; checked
        on the tranches handed back so far, whose sum can only be less than all of them.
        ``parts`` are the fresh ``pledges`` that are part of another, ``keys`` their ids."""
        self._pledges.update(zip(keys, pledges, strict=True))
        touched = set(keys.keys() & self._tranches.keys())  # walks the smaller of the two
        for pledge in parts:
            if pledge.amount is not None:
                self._tranches.setdefault(pledge.part_of or "", {})[pledge.id] = pledge
                touched.add(pledge.part_of or "")
        for parent_id in touched:
            parent = self._pledges.get(parent_id)
            tranches = self._tranches.get(parent_id)
            if parent is None or not tranches:
                continue
            for tranche in tranches.values():
                if (
                    parent.amount is None
                    or (tranche.amount or 0) < 0
                    or tranche.currency != parent.currency
                    or (tranche.kind == "grant") != (parent.kind == "grant")
                ):
                    raise CacheUntrusted(f"pledges: '{tranche.id}' cannot be part of '{parent_id}'")
            if sum(t.amount or 0 for t in tranches.values()) > (parent.amount or 0):
                raise CacheUntrusted(f"pledges: the tranches of '{parent_id}' exceed it")

    def _pairs(self, rates: Sequence[Any]) -> None:
        for rate in rates:
            pair = (frozenset((rate.currency, rate.per)), rate.year)
            if len(pair[0]) != 2 or self._rates.setdefault(pair, rate.id) != rate.id:
                raise CacheUntrusted(f"rates: '{rate.id}' is not the only rate of its pair")
