"""Tests of wpq.export.sqlite: the bundled dataset as an SQLite file, read back with sqlite3."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import msgspec
import pytest

from wpq.errors import UsageError, WpqError
from wpq.export import sqlite as export
from wpq.export.sqlite import TABLES, export_sqlite
from wpq.loader import load_dataset
from wpq.model import COLLECTIONS, Dataset


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def exported(ds: Dataset, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("export") / "wpq.db"
    return path, export_sqlite(ds, path)


@pytest.fixture
def db(exported: tuple[Path, dict[str, int]]) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"file:{exported[0]}?mode=ro", uri=True)
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    try:
        yield connection
    finally:
        connection.close()


def column(db: sqlite3.Connection, sql: str, *args: object) -> list[Any]:
    return [row[0] for row in db.execute(sql, args)]


# ---------------------------------------------------------------- contents


def test_each_collection_has_one_row_per_record(db: sqlite3.Connection, ds: Dataset) -> None:
    for name in COLLECTIONS:
        assert column(db, f"select count(*) from {name}") == [len(ds.collection(name))], name
    assert column(db, "select count(*) from events") == [len(ds.events)]


def test_returned_counts_are_the_rows_of_every_table(
    db: sqlite3.Connection, exported: tuple[Path, dict[str, int]]
) -> None:
    tables = column(db, "select name from sqlite_schema where type = 'table' order by rowid")
    assert tuple(tables) == TABLES
    assert exported[1] == {t: column(db, f"select count(*) from {t}")[0] for t in tables}


def test_foreign_keys_all_resolve(db: sqlite3.Connection) -> None:
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    declared = column(db, "select count(*) from pragma_foreign_key_list('pledges')")
    assert declared == [5]  # by, made_at, to, programme, part_of


def test_tranches_join_to_a_parent_in_the_same_currency(
    db: sqlite3.Connection, ds: Dataset
) -> None:
    rows = db.execute(
        "select child.id, parent.id, child.currency, parent.currency from pledges child"
        " join pledges parent on parent.id = child.part_of order by child.id"
    ).fetchall()
    expected = sorted((p.id, p.part_of) for p in ds.pledges if p.part_of)
    assert expected, "the bundled data has tranches"
    assert [(r[0], r[1]) for r in rows] == expected
    assert all(r[2] == r[3] for r in rows)


def test_programme_countries_join_to_countries(db: sqlite3.Connection, ds: Dataset) -> None:
    (programme,) = (p for p in ds.programmes if p.lead == "unicef")
    rows = db.execute(
        "select c.code, c.name, pc.region_name from programme_countries pc"
        " join countries c on c.code = pc.country_code"
        " where pc.programme_id = ? order by pc.position",
        (programme.id,),
    ).fetchall()
    names = {c.code: c.name for c in ds.countries}
    regions = {r.id: r.name for r in programme.regions}
    assert [tuple(r) for r in rows] == [
        (c.country, names[c.country], regions[c.region or ""]) for c in programme.countries
    ]


def test_values_keep_their_types(db: sqlite3.Connection) -> None:
    assert set(column(db, "select typeof(amount) from pledges")) <= {"integer", "null"}
    assert set(column(db, "select typeof(date) from pledges")) == {"text"}
    assert set(column(db, "select typeof(start) from events")) == {"text"}
    # figures.value has no declared type: 33.3 stays real, 147 stays integer.
    assert set(column(db, "select typeof(value) from figures")) <= {"integer", "real"}


def rebuild(db: sqlite3.Connection) -> Dataset:
    """Every record from the database alone, through the tables a user would read."""

    def rows(sql: str, *args: object) -> list[sqlite3.Row]:
        return db.execute(sql, args).fetchall()

    def entry(row: sqlite3.Row, owner: str, **renames: str) -> dict[str, Any]:
        """A nested entry: the row without owner and position columns, named as in the data."""
        skip = {owner, "position", "collection", "record_id", "region_name"}
        return {
            renames.get(k, k): row[k]
            for k in row.keys()  # noqa: SIM118 - iterating a Row gives its values
            if k not in skip and row[k] is not None
        }

    def items(table: str, owner: str, key: str, item: str) -> list[Any]:
        return column(db, f"select {item} from {table} where {owner} = ? order by position", key)

    def attached(table: str, collection: str, key: str) -> list[sqlite3.Row]:
        return rows(
            f"select * from {table} where collection = ? and record_id = ? order by position",
            collection,
            key,
        )

    built: dict[str, tuple[Any, ...]] = {}
    for collection, record_type in COLLECTIONS.items():
        key_name = "code" if collection == "countries" else "id"
        records = []
        for row in rows(f"select * from {collection} order by rowid"):
            key = row[key_name]
            data = entry(row, "")
            data["sources"] = [r["source_id"] for r in attached("record_sources", collection, key)]
            data["aliases"] = [r["alias"] for r in attached("record_aliases", collection, key)]
            data["quotes"] = [
                entry(r, "", source_id="source") for r in attached("record_quotes", collection, key)
            ]
            data["disputes"] = [
                {
                    **entry(r, ""),
                    "sources": column(
                        db,
                        "select source_id from dispute_sources where collection = ?"
                        " and record_id = ? and dispute_position = ? order by position",
                        collection,
                        key,
                        r["position"],
                    ),
                }
                for r in attached("record_disputes", collection, key)
            ]
            if collection == "events":
                data["hosts"] = items("event_hosts", "event_id", key, "organisation_id")
                data["organisers"] = items("event_organisers", "event_id", key, "organisation_id")
                data["outcomes"] = items("event_outcomes", "event_id", key, "outcome")
                data["participants"] = [
                    entry(r, "event_id", source_id="source")
                    for r in rows(
                        "select * from event_participants where event_id = ? order by position",
                        key,
                    )
                ]
                data["speakers"] = [
                    entry(r, "event_id", source_id="source", organisation_id="organisation")
                    for r in rows(
                        "select * from event_speakers where event_id = ? order by position", key
                    )
                ]
            elif collection == "pledges":
                data["with"] = items("pledge_with", "pledge_id", key, "organisation_id")
                data["signatories"] = items(
                    "pledge_signatories", "pledge_id", key, "organisation_id"
                )
                data["stage_sources"] = items("pledge_stage_sources", "pledge_id", key, "source_id")
            elif collection == "programmes":
                data["partners"] = items(
                    "programme_partners", "programme_id", key, "organisation_id"
                )
                data["funded_by"] = items("programme_funded_by", "programme_id", key, "pledge_id")
                data["regions"] = [
                    entry(r, "programme_id", region_id="id")
                    for r in rows(
                        "select * from programme_regions where programme_id = ? order by position",
                        key,
                    )
                ]
                data["countries"] = [
                    {
                        **entry(r, "programme_id", country_code="country", region_id="region"),
                        "sources": column(
                            db,
                            "select source_id from programme_country_sources"
                            " where programme_id = ? and country_code = ? order by position",
                            key,
                            r["country_code"],
                        ),
                    }
                    for r in rows(
                        "select * from programme_countries where programme_id = ?"
                        " order by position",
                        key,
                    )
                ]
            elif collection == "figures":
                data["conflicts_with"] = items(
                    "figure_conflicts", "figure_id", key, "other_figure_id"
                )
            fields = {f.encode_name for f in msgspec.structs.fields(record_type)}
            assert {k for k, v in data.items() if v} <= fields, collection
            records.append(
                msgspec.convert({k: v for k, v in data.items() if k in fields}, record_type)
            )
        built[collection] = tuple(records)
    return Dataset(**built)  # type: ignore[arg-type]


def test_every_record_can_be_rebuilt_from_the_database(db: sqlite3.Connection, ds: Dataset) -> None:
    assert rebuild(db) == ds


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="no sqlite3 command-line tool")
def test_sqlite3_tool_reads_the_file(exported: tuple[Path, dict[str, int]], ds: Dataset) -> None:
    done = subprocess.run(
        ["sqlite3", str(exported[0]), "select count(*) from events"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert done.stdout.strip() == str(len(ds.events))


# ---------------------------------------------------------------- the file


def test_existing_file_is_kept_without_force(ds: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "wpq.db"
    export_sqlite(ds, path)
    before = path.read_bytes()
    with pytest.raises(UsageError, match=r"wpq\.db already exists; use --force"):
        export_sqlite(ds, path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["wpq.db"]


def test_force_replaces_the_file(ds: Dataset, tmp_path: Path) -> None:
    path = tmp_path / "wpq.db"
    path.write_text("not a database")
    counts = export_sqlite(ds, path, force=True)
    with sqlite3.connect(path) as connection:
        assert connection.execute("select count(*) from events").fetchone() == (len(ds.events),)
    connection.close()
    assert counts["events"] == len(ds.events)
    assert os.listdir(tmp_path) == ["wpq.db"]


def interrupt_on_call(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, when: int) -> None:
    """Make ``owner.name`` raise KeyboardInterrupt on its ``when``-th call."""
    real = getattr(owner, name)
    calls = 0

    def interrupting(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == when:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, interrupting)


# Among the organisations' rows, after every row (before COMMIT), after COMMIT (before rename).
INTERRUPTIONS = [
    pytest.param(export, "record_row", 170, id="inserting"),
    pytest.param(export, "_check_references", 1, id="before-commit"),
    pytest.param(os, "", 1, id="before-rename"),  # a new file is linked, a replaced one renamed
]


@pytest.mark.parametrize(("owner", "name", "when"), INTERRUPTIONS)
@pytest.mark.parametrize("force", [False, True], ids=["new", "force"])
def test_interrupted_export_leaves_nothing_behind(
    ds: Dataset,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    owner: Any,
    name: str,
    when: int,
    force: bool,
) -> None:
    path = tmp_path / "wpq.db"
    if force:
        path.write_text("the old file")
    interrupt_on_call(monkeypatch, owner, name or ("replace" if force else "link"), when)
    with pytest.raises(KeyboardInterrupt):
        export_sqlite(ds, path, force=force)
    assert os.listdir(tmp_path) == (["wpq.db"] if force else [])
    if force:
        assert path.read_text() == "the old file"


def test_missing_directory_is_a_clean_error(ds: Dataset, tmp_path: Path) -> None:
    with pytest.raises(WpqError, match=r"cannot write .*wpq\.db: no such directory .*nowhere"):
        export_sqlite(ds, tmp_path / "nowhere" / "wpq.db")
    assert os.listdir(tmp_path) == []


def test_unwritable_directory_is_a_clean_error(
    ds: Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # chmod does not stop root, so the refusal is simulated where the temp file is made.
    def refuse(**kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", str(kwargs["dir"]))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    with pytest.raises(WpqError, match=r"cannot write .*wpq\.db: Permission denied"):
        export_sqlite(ds, tmp_path / "wpq.db")
    assert os.listdir(tmp_path) == []


def test_dangling_reference_is_reported_and_nothing_written(ds: Dataset, tmp_path: Path) -> None:
    broken = ds.replace(countries=())  # organisations still name their country
    with pytest.raises(WpqError, match=r"refers to a missing countries record"):
        export_sqlite(broken, tmp_path / "wpq.db")
    assert os.listdir(tmp_path) == []


# ---------------------------------------------------------------- money that sums


def wpq_totals(ds: Dataset) -> dict[str, dict[str, int]]:
    from wpq.questions import money

    measured = money.measure_totals(ds, money.funding(ds))
    return {m: {t["currency"]: t["amount"] for t in measured[m]} for m in money.COLUMNS}


def test_each_measure_column_of_the_funding_table_sums_to_wpqs_total(
    db: sqlite3.Connection, ds: Dataset
) -> None:
    expected = wpq_totals(ds)
    for measure in ("pledged", "committed", "paid", "granted"):
        sums = dict(
            db.execute(f"select currency, sum({measure}) from funding group by currency").fetchall()
        )
        assert {c: a for c, a in sums.items() if a or c in expected[measure]} == expected[measure]
    # the amounts of a pledge and its tranches overlap: their sum is more than was pledged
    [(amounts,)] = db.execute("select sum(amount) from funding where currency = 'GBP'").fetchall()
    assert amounts > expected["pledged"]["GBP"]


def test_counted_money_holds_one_row_per_counted_amount(
    db: sqlite3.Connection, ds: Dataset
) -> None:
    expected = wpq_totals(ds)
    sums: dict[str, dict[str, int]] = {}
    for measure, currency, amount in db.execute(
        "select measure, currency, sum(amount) from counted_money group by measure, currency"
    ):
        sums.setdefault(measure, {})[currency] = amount
    for measure in ("pledged", "committed", "paid"):
        assert sums[measure] == {c: a for c, a in expected[measure].items() if a}, measure
    columns = [d[0] for d in db.execute("select * from counted_money limit 1").description]
    assert columns == [
        "pledge_id",
        "measure",
        "stage",
        "date",
        "year",
        "donor",
        "recipient",
        "programme",
        "currency",
        "amount",
    ]
    # paid money is dated when it was paid: Japan's stage date, not its pledge's
    [(date,)] = db.execute(
        "select date from counted_money where pledge_id = 'japan-fund-2018' and measure = 'paid'"
    ).fetchall()
    assert date == next(p.stage_date for p in ds.pledges if p.id == "japan-fund-2018")
    assert not db.execute("select 1 from counted_money where amount = 0").fetchall()
