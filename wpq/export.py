"""Write a Dataset to an SQLite database: Dataset -> SQLite file (``wpq export --sqlite``).

One table per collection holds each record's scalar fields under their data-file names; lists
and nested entries go to link tables with a ``position`` column, so every record can be rebuilt.
The file appears only when complete: it is written beside its target and renamed into place.
"""

from __future__ import annotations

import os
import re
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from .errors import UsageError, WpqError
from .model import COLLECTIONS, Dataset, Dispute, Quote, record_key
from .query import record_row

# Every foreign key is checked at COMMIT, so records may refer to ones inserted later
# (pledges.part_of, programmes <-> pledges).
_REF = "DEFERRABLE INITIALLY DEFERRED"
_COLLECTION = "collection TEXT NOT NULL CHECK (collection IN ({}))"

# Columns without a type (pledges.period, figures.value, record_disputes.value) keep each
# value as stored: an integer, a real or text.
SCHEMA = f"""
CREATE TABLE sources (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    publisher TEXT NOT NULL,
    url TEXT,
    published TEXT,
    note TEXT
);
CREATE TABLE organisations (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    country TEXT REFERENCES countries (code) {_REF},
    part_of TEXT REFERENCES organisations (id) {_REF},
    note TEXT
);
CREATE TABLE countries (
    code TEXT PRIMARY KEY NOT NULL,
    iso3 TEXT NOT NULL,
    name TEXT NOT NULL
);
CREATE TABLE events (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    start TEXT NOT NULL,
    "end" TEXT,
    city TEXT,
    country TEXT REFERENCES countries (code) {_REF},
    venue TEXT,
    summary TEXT,
    evidence TEXT NOT NULL,
    note TEXT
);
CREATE TABLE pledges (
    id TEXT PRIMARY KEY NOT NULL,
    "by" TEXT NOT NULL REFERENCES organisations (id) {_REF},
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    summary TEXT NOT NULL,
    made_at TEXT REFERENCES events (id) {_REF},
    amount INTEGER,
    currency TEXT,
    "to" TEXT REFERENCES organisations (id) {_REF},
    programme TEXT REFERENCES programmes (id) {_REF},
    part_of TEXT REFERENCES pledges (id) {_REF},
    period,
    evidence TEXT NOT NULL,
    note TEXT
);
CREATE TABLE programmes (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    lead TEXT NOT NULL REFERENCES organisations (id) {_REF},
    start TEXT,
    "end" TEXT,
    summary TEXT,
    evidence TEXT NOT NULL,
    note TEXT
);
CREATE TABLE figures (
    id TEXT PRIMARY KEY NOT NULL,
    statement TEXT NOT NULL,
    value NOT NULL,
    unit TEXT NOT NULL,
    qualifier TEXT,
    value_text TEXT,
    period TEXT,
    as_of TEXT,
    measured_by TEXT REFERENCES organisations (id) {_REF},
    reported_by TEXT REFERENCES organisations (id) {_REF},
    evidence TEXT NOT NULL,
    note TEXT
);

CREATE TABLE record_sources (
    {_COLLECTION.format(", ".join(f"'{name}'" for name in COLLECTIONS))},
    record_id TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (collection, record_id, position)
);
CREATE TABLE record_aliases (
    {_COLLECTION.format("'organisations', 'countries', 'events', 'programmes'")},
    record_id TEXT NOT NULL,
    alias TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (collection, record_id, position)
);
CREATE TABLE record_quotes (
    {_COLLECTION.format("'events', 'pledges'")},
    record_id TEXT NOT NULL,
    text TEXT NOT NULL,
    "by" TEXT NOT NULL,
    role TEXT,
    source_id TEXT NOT NULL REFERENCES sources (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (collection, record_id, position)
);
CREATE TABLE record_disputes (
    {_COLLECTION.format("'events', 'pledges'")},
    record_id TEXT NOT NULL,
    field TEXT NOT NULL,
    value NOT NULL,
    note TEXT,
    position INTEGER NOT NULL,
    PRIMARY KEY (collection, record_id, position)
);
CREATE TABLE dispute_sources (
    collection TEXT NOT NULL,
    record_id TEXT NOT NULL,
    dispute_position INTEGER NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (collection, record_id, dispute_position, position),
    FOREIGN KEY (collection, record_id, dispute_position)
        REFERENCES record_disputes (collection, record_id, position) {_REF}
);

CREATE TABLE event_hosts (
    event_id TEXT NOT NULL REFERENCES events (id) {_REF},
    organisation_id TEXT NOT NULL REFERENCES organisations (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (event_id, position)
);
CREATE TABLE event_organisers (
    event_id TEXT NOT NULL REFERENCES events (id) {_REF},
    organisation_id TEXT NOT NULL REFERENCES organisations (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (event_id, position)
);
CREATE TABLE event_participants (
    event_id TEXT NOT NULL REFERENCES events (id) {_REF},
    what TEXT NOT NULL,
    count INTEGER NOT NULL,
    qualifier TEXT,
    source_id TEXT REFERENCES sources (id) {_REF},
    note TEXT,
    position INTEGER NOT NULL,
    PRIMARY KEY (event_id, position)
);
CREATE TABLE event_speakers (
    event_id TEXT NOT NULL REFERENCES events (id) {_REF},
    name TEXT NOT NULL,
    role TEXT,
    organisation_id TEXT REFERENCES organisations (id) {_REF},
    source_id TEXT REFERENCES sources (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (event_id, position)
);
CREATE TABLE event_outcomes (
    event_id TEXT NOT NULL REFERENCES events (id) {_REF},
    outcome TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (event_id, position)
);

CREATE TABLE pledge_with (
    pledge_id TEXT NOT NULL REFERENCES pledges (id) {_REF},
    organisation_id TEXT NOT NULL REFERENCES organisations (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (pledge_id, position)
);

CREATE TABLE programme_partners (
    programme_id TEXT NOT NULL REFERENCES programmes (id) {_REF},
    organisation_id TEXT NOT NULL REFERENCES organisations (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (programme_id, position)
);
CREATE TABLE programme_regions (
    programme_id TEXT NOT NULL REFERENCES programmes (id) {_REF},
    region_id TEXT NOT NULL,
    name TEXT NOT NULL,
    note TEXT,
    position INTEGER NOT NULL,
    PRIMARY KEY (programme_id, region_id)
);
CREATE TABLE programme_countries (
    programme_id TEXT NOT NULL REFERENCES programmes (id) {_REF},
    country_code TEXT NOT NULL REFERENCES countries (code) {_REF},
    region_id TEXT,
    region_name TEXT,
    notes TEXT,
    evidence TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (programme_id, country_code),
    FOREIGN KEY (programme_id, region_id)
        REFERENCES programme_regions (programme_id, region_id) {_REF}
);
CREATE TABLE programme_country_sources (
    programme_id TEXT NOT NULL,
    country_code TEXT NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (programme_id, country_code, position),
    FOREIGN KEY (programme_id, country_code)
        REFERENCES programme_countries (programme_id, country_code) {_REF}
);
CREATE TABLE programme_funded_by (
    programme_id TEXT NOT NULL REFERENCES programmes (id) {_REF},
    pledge_id TEXT NOT NULL REFERENCES pledges (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (programme_id, position)
);

CREATE TABLE figure_conflicts (
    figure_id TEXT NOT NULL REFERENCES figures (id) {_REF},
    other_figure_id TEXT NOT NULL REFERENCES figures (id) {_REF},
    position INTEGER NOT NULL,
    PRIMARY KEY (figure_id, position)
);
"""

# Every table, in the order created; ``export_sqlite`` counts rows in this order.
TABLES: tuple[str, ...] = tuple(re.findall(r"^CREATE TABLE (\w+)", SCHEMA, re.M))

Row = tuple[Any, ...]


def export_sqlite(ds: Dataset, path: Path, *, force: bool = False) -> dict[str, int]:
    """Write ``ds`` to a new SQLite database at ``path``; rows written per table.

    Refuses to replace an existing file unless ``force``. Nothing appears at ``path`` until
    the database is complete; on any error or interruption the temporary file is removed.
    """
    path = Path(path)
    if path.is_dir():
        raise UsageError(f"cannot export to {path}: it is a directory")
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; use --force to replace it")
    directory = path.parent
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except FileNotFoundError:
        raise WpqError(f"cannot write {path}: no such directory {directory}") from None
    except OSError as exc:
        raise WpqError(f"cannot write {path}: {exc.strerror or exc}") from None
    os.close(fd)
    temp = Path(name)
    try:
        counts = _write(ds, temp)
        os.replace(temp, path)
    except BaseException as exc:
        temp.unlink(missing_ok=True)
        if isinstance(exc, (sqlite3.Error, OSError)):
            raise WpqError(f"cannot export to {path}: {exc}") from exc
        raise
    return counts


def _write(ds: Dataset, path: Path) -> dict[str, int]:
    """Create the tables and fill them in one transaction; the connection is closed on return."""
    counts = dict.fromkeys(TABLES, 0)
    # Autocommit mode: the transaction below is the only one, begun and ended explicitly.
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        db.execute("PRAGMA foreign_keys = ON")
        # The file is thrown away if anything fails, so no journal file is needed on disk.
        db.execute("PRAGMA journal_mode = MEMORY")
        try:
            # One transaction for everything; executescript would commit an open one first.
            db.executescript("BEGIN;" + SCHEMA)
            for table, columns, rows in _tables(ds, db):
                marks = ", ".join("?" * len(columns))
                names = ", ".join(f'"{c}"' for c in columns)
                db.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
                counts[table] += len(rows)
            _check_references(db)
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
    return counts


def _check_references(db: sqlite3.Connection) -> None:
    """A dangling reference as a WpqError naming it (a Dataset built without the loader)."""
    broken = db.execute("PRAGMA foreign_key_check").fetchall()
    if broken:
        table, rowid, parent, _ = broken[0]
        more = f" (and {len(broken) - 1} more)" if len(broken) > 1 else ""
        raise WpqError(
            f"cannot export: row {rowid} of {table} refers to a missing {parent} record{more}"
        )


def _tables(ds: Dataset, db: sqlite3.Connection) -> Iterator[tuple[str, list[str], list[Row]]]:
    """(table, columns, rows) for every table; a table may come more than once."""
    for collection in COLLECTIONS:
        records = ds.collection(collection)
        # The record tables' columns are the scalar fields, named as in the data files.
        columns = [info[1] for info in db.execute(f"PRAGMA table_info({collection})")]
        rows = []
        for record in records:
            values = record_row(record)
            rows.append(tuple(values[c] for c in columns))
        yield collection, columns, rows

        keys = [(record_key(collection, r), r) for r in records]
        yield (
            "record_sources",
            ["collection", "record_id", "source_id", "position"],
            [
                (collection, key, source, i)
                for key, r in keys
                for i, source in enumerate(getattr(r, "sources", ()))
            ],
        )
        yield (
            "record_aliases",
            ["collection", "record_id", "alias", "position"],
            [
                (collection, key, alias, i)
                for key, r in keys
                for i, alias in enumerate(getattr(r, "aliases", ()))
            ],
        )
        quotes: list[tuple[str, int, Quote]] = [
            (key, i, q) for key, r in keys for i, q in enumerate(getattr(r, "quotes", ()))
        ]
        yield (
            "record_quotes",
            ["collection", "record_id", "text", "by", "role", "source_id", "position"],
            [(collection, key, q.text, q.by, q.role, q.source, i) for key, i, q in quotes],
        )
        disputes: list[tuple[str, int, Dispute]] = [
            (key, i, d) for key, r in keys for i, d in enumerate(getattr(r, "disputes", ()))
        ]
        yield (
            "record_disputes",
            ["collection", "record_id", "field", "value", "note", "position"],
            [(collection, key, d.field, d.value, d.note, i) for key, i, d in disputes],
        )
        yield (
            "dispute_sources",
            ["collection", "record_id", "dispute_position", "source_id", "position"],
            [
                (collection, key, i, source, j)
                for key, i, d in disputes
                for j, source in enumerate(d.sources)
            ],
        )

    yield from _id_lists(
        "event_hosts", "event_id", "organisation_id", ((e.id, e.hosts) for e in ds.events)
    )
    yield from _id_lists(
        "event_organisers", "event_id", "organisation_id", ((e.id, e.organisers) for e in ds.events)
    )
    yield (
        "event_participants",
        ["event_id", "what", "count", "qualifier", "source_id", "note", "position"],
        [
            (e.id, p.what, p.count, p.qualifier, p.source, p.note, i)
            for e in ds.events
            for i, p in enumerate(e.participants)
        ],
    )
    yield (
        "event_speakers",
        ["event_id", "name", "role", "organisation_id", "source_id", "position"],
        [
            (e.id, s.name, s.role, s.organisation, s.source, i)
            for e in ds.events
            for i, s in enumerate(e.speakers)
        ],
    )
    yield from _id_lists(
        "event_outcomes", "event_id", "outcome", ((e.id, e.outcomes) for e in ds.events)
    )
    yield from _id_lists(
        "pledge_with", "pledge_id", "organisation_id", ((p.id, p.with_) for p in ds.pledges)
    )
    yield from _id_lists(
        "programme_partners",
        "programme_id",
        "organisation_id",
        ((p.id, p.partners) for p in ds.programmes),
    )
    yield (
        "programme_regions",
        ["programme_id", "region_id", "name", "note", "position"],
        [(p.id, r.id, r.name, r.note, i) for p in ds.programmes for i, r in enumerate(p.regions)],
    )
    region_names = {(p.id, r.id): r.name for p in ds.programmes for r in p.regions}
    yield (
        "programme_countries",
        [
            "programme_id",
            "country_code",
            "region_id",
            "region_name",
            "notes",
            "evidence",
            "position",
        ],
        [
            (
                p.id,
                c.country,
                c.region,
                region_names.get((p.id, c.region or "")),
                c.notes,
                c.evidence,
                i,
            )
            for p in ds.programmes
            for i, c in enumerate(p.countries)
        ],
    )
    yield (
        "programme_country_sources",
        ["programme_id", "country_code", "source_id", "position"],
        [
            (p.id, c.country, source, i)
            for p in ds.programmes
            for c in p.countries
            for i, source in enumerate(c.sources)
        ],
    )
    yield from _id_lists(
        "programme_funded_by",
        "programme_id",
        "pledge_id",
        ((p.id, p.funded_by) for p in ds.programmes),
    )
    yield from _id_lists(
        "figure_conflicts",
        "figure_id",
        "other_figure_id",
        ((f.id, f.conflicts_with) for f in ds.figures),
    )


def _id_lists(
    table: str, owner: str, item: str, lists: Iterator[tuple[str, tuple[str, ...]]]
) -> Iterator[tuple[str, list[str], list[Row]]]:
    """A link table from (owner id, list) pairs, one row per list item with its position."""
    rows = [(key, value, i) for key, values in lists for i, value in enumerate(values)]
    yield table, [owner, item, "position"], rows
