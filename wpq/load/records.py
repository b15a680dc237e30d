"""Data files -> typed records -> checked ``Dataset``, with every problem found.

The work behind ``loader.load_dataset`` when no cached copy serves. Every problem of every
file is collected before anything is raised, each with the file, line and column of the
offending value, so ``wpq validate`` can report them all at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import msgspec

from ..errors import DataError, Problem, did_you_mean, printable
from ..model import COLLECTIONS, FILE_RECORDS, Country, Dataset, Origin, Record, record_key
from . import check
from .clashes import name_clashes
from .conversion import record_problems, short
from .countries import complete_countries, with_codes
from .pending import Loaded, Pending, Unconverted
from .positions import positions
from .text import rereadable
from .yamlfile import NULL_KEY, FileProblem, NodePath, parse_text, read_text


def _printable(problem: Problem) -> Problem:
    """``problem`` with control and bidirectional characters escaped (a key may hold a line
    break or an escape sequence): one problem stays one line, and data cannot drive the
    terminal."""
    return Problem(
        printable(problem.path),
        problem.line,
        problem.column,
        printable(problem.message),
        printable(problem.hint),
    )


def load_checked(
    files: Sequence[Path],
    problems: list[Problem],
    *,
    check_codes: bool,
    progress: Callable[[str, int, int], None] | None = None,
) -> Dataset:
    """Read, convert and check ``files``; raise ``DataError`` with ``problems`` and every new one.

    Countries are completed from ISO 3166-1 (``countries.py``); ``check_codes`` also checks
    currency codes against ISO 4217 (pycountry).
    """
    import gc

    # Parsing allocates millions of objects and frees almost none: the cyclic garbage
    # collector would walk them again and again (two thirds of the time at 100k records).
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _load_checked(files, problems, check_codes=check_codes, progress=progress)
    finally:
        if enabled:
            gc.enable()


def _load_checked(
    files: Sequence[Path],
    problems: list[Problem],
    *,
    check_codes: bool,
    progress: Callable[[str, int, int], None] | None,
) -> Dataset:
    unconverted: Unconverted = []
    texts: dict[str, str] = {}
    records, pending, problems = read_records(files, problems, unconverted, progress, texts)
    named = [p.reference[1] for p in pending if p.reference and p.reference[0] == "countries"]
    countries, country_problems = complete_countries(records, unconverted, named)
    pending.extend(country_problems)
    dataset = build_dataset(records, countries)
    unresolved = [p for p in pending if p.reference]
    pending = [p for p in pending if not p.reference]
    pending.extend(
        check.check_dataset(
            dataset,
            records,
            check_codes=check_codes,
            unconverted=unconverted,
            unresolved=unresolved,
        )
    )
    pending.extend(name_clashes(records, countries))
    problems.extend(resolve_positions(pending, texts))
    if problems:
        raise DataError([_printable(p) for p in problems])
    return dataset


def read_records(
    files: Sequence[Path],
    problems: list[Problem],
    unconverted: Unconverted | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    texts: dict[str, str] | None = None,
) -> tuple[Loaded, list[Pending], list[Problem]]:
    """Parse and convert every file, collecting problems; ``unconverted`` gets the ids of
    records that failed to convert, ``texts`` the text of each pipe (it cannot be read twice,
    and a problem's position is looked up in it later). A ``progress`` with a ``waiting``
    method also hears of a named pipe that has no writer yet (``text.read_bytes``)."""
    records: Loaded = []
    pending: list[Pending] = []
    for done, path in enumerate(files):
        name = str(path)
        if progress is not None:
            progress(name, done, len(files))
        file_problems: list[FileProblem] = []
        try:
            text = read_text(path, getattr(progress, "waiting", None))
            if texts is not None and not rereadable(path):
                texts[name] = text
            document = parse_text(text, file_problems)
            del text  # the values are built: let the text go before the records are
        except FileProblem as exc:
            problems.append(exc.problem(name))
            continue
        finally:
            problems.extend(p.problem(name) for p in file_problems)
        if not isinstance(document, dict):
            pending.append(
                Pending(
                    name,
                    (),
                    f"expected a mapping of collections, found {_kind(document)}",
                    _collections_hint(),
                )
            )
            continue
        for collection, items in document.items():
            if collection not in COLLECTIONS:
                pending.append(
                    Pending(
                        name,
                        (NULL_KEY if collection is None else collection,),
                        "a collection with no name (the key is null: ~ or empty)"
                        if collection is None
                        else f"unknown collection '{collection}'",
                        did_you_mean(str(collection), COLLECTIONS) or _collections_hint(),
                        at_key=True,
                    )
                )
                continue
            if items is None:
                continue
            if not isinstance(items, list):
                pending.append(
                    Pending(
                        name,
                        (collection,),
                        f"'{collection}' must be a list of records, found {_kind(items)}",
                        "start each record with '- '",
                    )
                )
                continue
            record_type = FILE_RECORDS[collection]
            key_field = "code" if collection == "countries" else "id"
            for index, item in enumerate(items):
                items[index] = None  # the record replaces its mapping: never both in memory
                origin = Origin(name, collection, index)
                try:
                    record = _convert(item, record_type)
                except msgspec.ValidationError as exc:
                    item = with_codes(item, record_type) or item
                    pending.extend(
                        record_problems(name, (collection, index), item, exc, record_type)
                    )
                    key = item.get(key_field) if isinstance(item, dict) else None
                    if unconverted is not None and isinstance(key, str):
                        unconverted.append((collection, key, origin))
                    continue
                records.append((collection, record, origin))
    return records, pending, problems


def _convert(item: Any, record_type: type[Record]) -> Record:
    """``item`` as a record; one that names a country by its ISO name ("Ireland") takes it
    as the code ("IE")."""
    try:
        return msgspec.convert(item, record_type)
    except msgspec.ValidationError:
        named = with_codes(item, record_type)
        if named is None:
            raise
        return msgspec.convert(named, record_type)


def _kind(value: Any) -> str:
    """A user's word for the type of a parsed value."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return "nothing" if value is None else f"the value {short(value)}"


def build_dataset(records: Loaded, countries: Sequence[Country]) -> Dataset:
    """The records read, with ``countries`` (complete ones, not the files' entries)."""
    by_collection: dict[str, list[Record]] = {name: [] for name in COLLECTIONS}
    by_collection["countries"] = list(countries)
    origins: dict[tuple[str, str], Origin] = {}
    for collection, record, origin in records:
        if collection != "countries":
            by_collection[collection].append(record)
        origins.setdefault((collection, record_key(collection, record)), origin)
    return Dataset(**{k: tuple(v) for k, v in by_collection.items()}, origins=origins)  # type: ignore[arg-type]


def _collections_hint() -> str:
    return "top-level keys are collections: " + ", ".join(COLLECTIONS)


def resolve_positions(
    pending: Sequence[Pending], texts: dict[str, str] | None = None
) -> list[Problem]:
    """Look up line and column of each pending problem, reading each file once more.

    ``texts`` holds files that cannot be read again (pipes), by path.
    """
    wanted: dict[str, list[tuple[NodePath, bool]]] = {}
    for item in pending:
        wanted.setdefault(item.path, []).append((item.node_path, item.at_key))
        if item.hint_at is not None:
            wanted.setdefault(item.hint_at[0], []).append((item.hint_at[1], False))
    found: dict[tuple[str, NodePath, bool], tuple[int, int]] = {}
    for path, requests in wanted.items():
        try:
            text = (texts or {}).get(path) or read_text(Path(path))
        except FileProblem:  # changed since it was read: its problems keep no position
            continue
        for request, position in zip(requests, positions(text, requests), strict=True):
            found[(path, request[0], request[1])] = position

    problems: list[Problem] = []
    for item in pending:
        line, column = found.get((item.path, item.node_path, item.at_key), (0, 0))
        hint = item.hint
        if item.hint_at is not None:
            other, node_path = item.hint_at
            at_line, at_column = found.get((other, node_path, False), (0, 0))
            hint = hint.replace("{at}", f"{other}:{at_line}:{at_column}" if at_line else other)
        problems.append(Problem(item.path, line, column, item.message, hint))
    return problems
