"""Write a Dataset to an SQLite database: Dataset -> SQLite file (``wpq export --sqlite``).

One table per collection holds each record's scalar fields under their data-file names; lists
and nested entries go to link tables with a ``position`` column, so every record can be rebuilt.
The ``funding`` table holds ``wpq funding``'s rows, each with its own share of each measure,
and the ``counted_money`` view one row per amount a measure counts: their sums are wpq's.
The file appears only when complete, where ``target``'s rule allows: written beside its
target and renamed into place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

from ..errors import OutputError, WpqError
from ..model import COLLECTIONS, Dataset, Dispute, Quote, record_key
from ..questions.rows import record_row
from .sqlschema import SCHEMA, TABLES
from .target import writing

Row = tuple[Any, ...]


def export_sqlite(
    ds: Dataset, path: Path, *, force: bool = False, bundled: bool = True, user_data: bool = False
) -> dict[str, int]:
    """Write ``ds`` to a new SQLite database at ``path``; rows written per table.

    ``path`` follows ``target``'s rule: nothing there, or with ``force`` a regular file.
    Nothing appears at ``path`` until the database is complete; on any error or
    interruption the temporary file is removed. The ``metadata`` table says what the file
    holds (``bundled``: the wpq dataset, with its version, digest and licence;
    ``user_data``: records of the user's own).
    """
    path = Path(path)
    with writing(path, force=force) as temp:
        return write_database(ds, temp, metadata(bundled=bundled, user_data=user_data), path)


def write_database(
    ds: Dataset,
    temp: Path,
    meta: list[Row],
    path: Path,
    extra: Callable[[sqlite3.Connection], None] | None = None,
) -> dict[str, int]:
    """Write ``ds`` to the new file ``temp``, to be named ``path``; ``extra`` adds to the
    database in the same transaction (a bundle's search tables). Rows written per table."""
    try:
        return _write(ds, temp, meta, extra)
    except (sqlite3.OperationalError, OSError) as exc:  # a full disk, say
        raise OutputError(f"cannot export to {path}: {exc}") from exc
    except sqlite3.Error as exc:
        raise WpqError(f"cannot export to {path}: {exc}") from exc


def metadata(*, bundled: bool, user_data: bool) -> list[Row]:
    """(key, value) rows of the ``metadata`` table: what the file holds; for the wpq
    dataset, its title, version, SHA-256, licences and how to cite it."""
    from .. import __version__
    from ..questions.citations import dataset_facts

    contents = " and ".join(
        what for what, present in (("wpq dataset", bundled), ("user data", user_data)) if present
    )
    rows: list[Row] = [("generator", f"wpq {__version__}"), ("contents", contents)]
    if bundled:
        rows += list(dataset_facts().items())
        rows.append(("cite", "wpq cite --dataset (or a record: wpq cite ID)"))
    return rows


def _write(
    ds: Dataset,
    path: Path,
    meta: list[Row],
    extra: Callable[[sqlite3.Connection], None] | None = None,
) -> dict[str, int]:
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
            tables = [*_tables(ds, db), ("metadata", ["key", "value"], meta)]
            for table, columns, rows in tables:
                marks = ", ".join("?" * len(columns))
                names = ", ".join(f'"{c}"' for c in columns)
                db.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
                counts[table] += len(rows)
            _check_references(db)
            if extra is not None:
                extra(db)
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
        "pledge_stage_sources",
        "pledge_id",
        "source_id",
        ((p.id, p.stage_sources) for p in ds.pledges),
    )
    yield from _id_lists(
        "pledge_signatories",
        "pledge_id",
        "organisation_id",
        ((p.id, p.signatories) for p in ds.pledges),
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
    yield _funding(ds, db)
    yield from _id_lists(
        "figure_conflicts",
        "figure_id",
        "other_figure_id",
        ((f.id, f.conflicts_with) for f in ds.figures),
    )


def _funding(ds: Dataset, db: sqlite3.Connection) -> tuple[str, list[str], list[Row]]:
    """``wpq funding``'s rows of every money record: each with its share of each measure."""
    from ..questions.funding import funding_rows
    from ..questions.money import funding

    columns = [info[1] for info in db.execute("PRAGMA table_info(funding)")]
    rows = funding_rows(ds, funding(ds))
    return "funding", columns, [tuple(row[c] for c in columns) for row in rows]


def _id_lists(
    table: str, owner: str, item: str, lists: Iterator[tuple[str, tuple[str, ...]]]
) -> Iterator[tuple[str, list[str], list[Row]]]:
    """A link table from (owner id, list) pairs, one row per list item with its position."""
    rows = [(key, value, i) for key, values in lists for i, value in enumerate(values)]
    yield table, [owner, item, "position"], rows
