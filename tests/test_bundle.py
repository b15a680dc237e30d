"""Tests of ``wpq export --bundle``: the files a bundle holds, read back without datasette or
frictionless (``test_bundle_served.py`` serves and validates them), its descriptions from
one place, and its canned queries against wpq's own answers. ``test_bundle_writes.py``
tests the command and what it may write.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, get_args

import pytest
from conftest import Result

from wpq import descriptions, vocabulary
from wpq.export import describe
from wpq.export.browse import SEARCHED, YEARS, search_table
from wpq.export.bundle import PUBLISHED, export_bundle, owned_files
from wpq.export.datasette_metadata import QUERIES
from wpq.export.sqlschema import TABLES
from wpq.model import COLLECTIONS, Dataset, Record, record_key
from wpq.questions.citations import LICENCE, LICENCE_URL, dataset_facts
from wpq.questions.money import COLUMNS
from wpq.questions.trust import is_disputed
from wpq.vocabulary import fold

Run = Callable[..., Result]
PLEDGE = "uk-40m-fund-2016"


@pytest.fixture(scope="module")
def bundle(bundled: Dataset, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("bundle") / "wpq-bundle"
    export_bundle(bundled, directory)
    return directory


@pytest.fixture
def db(bundle: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(f"file:{bundle / 'wpq.db'}?mode=ro", uri=True)
    try:
        yield connection
    finally:
        connection.close()


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def read_csv(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


# ---------------------------------------------------------------- the files


def test_a_bundle_holds_its_database_metadata_package_and_a_csv_per_table(bundle: Path) -> None:
    found = sorted(str(p.relative_to(bundle)) for p in bundle.rglob("*") if p.is_file())
    assert found == sorted(str(p.relative_to(bundle)) for p in owned_files(bundle))
    assert set(PUBLISHED) == {*TABLES, "counted_money"}


def test_the_database_is_the_sqlite_export_with_search_and_years(
    db: sqlite3.Connection, bundled: Dataset
) -> None:
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    for name in COLLECTIONS:
        assert db.execute(f"select count(*) from {name}").fetchone() == (
            len(bundled.collection(name)),
        )
    metadata = dict(db.execute("select key, value from metadata").fetchall())
    assert metadata["licence"] == LICENCE
    assert metadata["version"] == dataset_facts()["version"]
    for table, column in YEARS.items():
        rows = db.execute(f'select "{column}", year from {table}').fetchall()
        assert rows and all(year == int(date[:4]) for date, year in rows), table
    money = db.execute("select date, year from counted_money").fetchall()
    assert money and all(year == int(date[:4]) for date, year in money)


@pytest.mark.parametrize(
    ("table", "word"),
    [
        ("events", "BOGOTA"),  # Bogotá, without its accent, in capitals
        ("pledges", "lockdown"),
        ("figures", "grooming"),
        ("organisations", "dignity"),
        ("sources", "compassionate"),
        ("programmes", "disrupting"),
    ],
)
def test_search_finds_names_summaries_statements_and_notes_without_case_or_accents(
    db: sqlite3.Connection, bundled: Dataset, table: str, word: str
) -> None:
    fts = search_table(table)
    found = {
        row[0]
        for row in db.execute(
            f"select id from {table} where rowid in (select rowid from {fts} where {fts} match ?)",
            (word,),
        )
    }
    expected = {
        record_key(table, r)
        for r in bundled.collection(table)
        if any(
            fold(word) in re.findall(r"[^\W_]+", fold(str(getattr(r, c, None) or "")))
            for c in SEARCHED[table]
        )
    }
    assert found == expected != set()


def test_every_text_a_reader_searches_is_searched() -> None:
    for name, record in COLLECTIONS.items():
        texts = {"name", "title", "summary", "statement", "note", "stage_note"}
        wanted = texts & set(describe._types(record))
        if wanted:
            assert wanted <= set(SEARCHED[name]), name


# ---------------------------------------------------------------- descriptions


def test_every_table_and_column_of_the_metadata_is_described(bundle: Path) -> None:
    metadata = load_json(bundle / "metadata.json")
    tables = metadata["databases"]["wpq"]["tables"]
    assert set(tables) == set(PUBLISHED)
    with sqlite3.connect(bundle / "wpq.db") as db:
        for table, entry in tables.items():
            assert entry["description"].strip(), table
            columns = [r[1] for r in db.execute(f"PRAGMA table_xinfo({table})")]
            assert list(entry["columns"]) == columns, table
            assert all(text.strip() for text in entry["columns"].values()), table


def test_descriptions_are_read_from_the_fields_and_the_vocabulary(bundle: Path) -> None:
    tables = load_json(bundle / "metadata.json")["databases"]["wpq"]["tables"]
    pledges = tables["pledges"]["columns"]
    assert pledges["by"] == descriptions.FIELDS["Pledge"]["by"]
    for stage, meaning in vocabulary.MEANINGS["stage"].items():
        assert f"{stage}: {meaning}" in pledges["stage"]
        assert f"{stage}: {meaning}" in tables["funding"]["columns"]["stage"]
    assert pledges["amount"].startswith(descriptions.FIELDS["Pledge"]["amount"])
    assert "major units" in pledges["amount"]  # the amount's unit, from values.Amount
    # a description the model itself gives is not repeated in descriptions.py
    assert tables["figures"]["columns"]["reported_at"] == "The event it was made public at."
    assert "reported_at" not in descriptions.FIELDS["Figure"]
    for collection, meaning in descriptions.COLLECTION_MEANINGS.items():
        assert tables[collection]["description"].startswith(meaning)
    for measure in COLUMNS:
        assert descriptions.MEASURE_MEANINGS[measure] in tables["funding"]["columns"][measure]


def test_the_json_schema_describes_each_field_as_the_bundle_does(bundle: Path) -> None:
    from wpq.export.schema import data_file_schema

    definitions = data_file_schema()["$defs"]
    tables = load_json(bundle / "metadata.json")["databases"]["wpq"]["tables"]
    for collection, record in COLLECTIONS.items():
        name = "CountryEntry" if collection == "countries" else record.__name__
        for field, entry in definitions[name]["properties"].items():
            if field in tables[collection]["columns"] and collection != "countries":
                assert entry["description"] == tables[collection]["columns"][field], field
        meaning = definitions["DataFile"]["properties"][collection]["description"]
        assert meaning == descriptions.COLLECTION_MEANINGS[collection]


def _records() -> Iterator[type[Record]]:
    seen: set[type[Record]] = set()

    def walk(kind: Any) -> Iterator[type[Record]]:
        for inner in get_args(kind):
            yield from walk(inner)
        if isinstance(kind, type) and issubclass(kind, Record) and kind not in seen:
            seen.add(kind)
            yield kind
            for hint in kind.__annotations__.values():
                yield from walk(hint)

    from wpq.model import FILE_RECORDS

    for record in FILE_RECORDS.values():
        yield from walk(record)


def test_every_field_of_every_record_is_described_in_one_place() -> None:
    """descriptions.py says what a field means unless the model does; never both, never neither."""
    records = {record.__name__: record for record in _records()} | {
        "Country": COLLECTIONS["countries"]
    }
    assert set(descriptions.FIELDS) == set(records)
    for name, record in records.items():
        own = describe._types(record)
        assert set(descriptions.FIELDS[name]) <= set(own), name
        for field, kind in own.items():
            shared = describe._descriptions(kind)[:1]
            in_model = bool(shared) and not _is_a_types(shared[0])
            assert (field in descriptions.FIELDS[name]) != in_model, f"{name}.{field}"
            assert describe.field_description(record, field), f"{name}.{field}"
    assert set(descriptions.COLLECTION_MEANINGS) == set(COLLECTIONS)
    assert tuple(descriptions.MEASURE_MEANINGS) == COLUMNS


def _is_a_types(text: str) -> bool:
    """Whether ``text`` describes a kind of value (values.py, vocabulary.py), not a field."""
    from msgspec import inspect

    from wpq import values

    kinds = [getattr(values, n) for n in dir(values) if n[0].isupper() and not n.isupper()]
    kinds += [getattr(vocabulary, n) for n in dir(vocabulary) if n.endswith("Field")]
    return any(text in describe._descriptions(inspect.type_info(k)) for k in kinds)


# ---------------------------------------------------------------- datasette's metadata


def test_the_metadata_names_the_licence_source_and_about_links(bundle: Path) -> None:
    metadata = load_json(bundle / "metadata.json")
    assert metadata["license"] == "CC BY 4.0" and metadata["license_url"] == LICENCE_URL
    assert "opensource.org/license/mit" in metadata["description_html"]
    assert dataset_facts()["data_sha256"] in metadata["description"]
    assert metadata["source_url"] == "/wpq/sources" and metadata["about_url"] == "/wpq/metadata"
    tables = metadata["databases"]["wpq"]["tables"]
    assert tables["organisations"]["label_column"] == "name"
    assert tables["pledges"]["facets"] == [
        "kind",
        "year",
        "by",
        "to",
        "currency",
        "stage",
        "evidence",
    ]
    assert {"kind", "year", "donor", "to", "currency", "stage"} <= set(tables["funding"]["facets"])
    assert set(QUERIES) == set(metadata["databases"]["wpq"]["queries"])


def query(db: sqlite3.Connection, name: str) -> list[tuple[Any, ...]]:
    return db.execute(QUERIES[name]["sql"]).fetchall()


def tsv(result: Result) -> list[list[str]]:
    assert result.code == 0, result.err
    return [line.split("\t") for line in result.out.splitlines()]


def test_pledged_and_paid_by_donor_is_wpqs_summary_by_donor(
    db: sqlite3.Connection, run: Run
) -> None:
    rows = tsv(run("funding", "--summary", "--by", "donor"))
    assert rows[0] == ["donor", "donor_name", "count", "currency", *COLUMNS]
    answer = [[str(v) for v in row] for row in query(db, "pledged_and_paid_by_donor")]
    assert sorted(answer) == sorted(rows[1:]) and len(answer) > 3


def test_paid_by_year_is_wpqs_paid_by_year(db: sqlite3.Connection, run: Run) -> None:
    rows = tsv(run("funding", "--summary", "--by", "year"))
    header = rows[0]
    paid = [
        [row[header.index("year")], row[header.index("currency")], row[header.index("paid")]]
        for row in rows[1:]
        if row[header.index("paid")] != "0"
    ]
    answer = [[str(v) for v in row] for row in query(db, "paid_by_year")]
    assert answer == paid and len(answer) >= 3


def test_the_disputed_records_are_wpqs_disputed(db: sqlite3.Connection, bundled: Dataset) -> None:
    expected = {
        (name, record_key(name, r))
        for name in COLLECTIONS
        for r in bundled.collection(name)
        if is_disputed(r)
    }
    rows = query(db, "disputed_records")
    assert {(row[0], row[1]) for row in rows} == expected
    assert {"pledges", "events", "figures"} <= {name for name, _ in expected}
    assert all(row[5] for row in rows)  # each says how they differ


# ---------------------------------------------------------------- the Data Package


def test_each_resource_is_its_tables_rows_as_csv(bundle: Path, db: sqlite3.Connection) -> None:
    package = load_json(bundle / "datapackage.json")
    resources = {r["name"]: r for r in package["resources"]}
    assert list(resources) == list(PUBLISHED)
    for name, resource in resources.items():
        rows = read_csv(bundle / resource["path"])
        fields_ = [f["name"] for f in resource["schema"]["fields"]]
        assert rows[0] == fields_, name
        assert len(rows) - 1 == db.execute(f"select count(*) from {name}").fetchone()[0], name
    pledges = resources["pledges"]["schema"]
    assert pledges["primaryKey"] == ["id"]
    by = {"fields": ["by"], "reference": {"resource": "organisations", "fields": ["id"]}}
    part_of = {"fields": ["part_of"], "reference": {"resource": "", "fields": ["id"]}}
    assert by in pledges["foreignKeys"] and part_of in pledges["foreignKeys"]
    types = {f["name"]: f["type"] for f in pledges["fields"]}
    assert (types["amount"], types["date"], types["year"], types["period"]) == (
        "integer",
        "string",
        "integer",
        "any",
    )
    stage = next(f for f in pledges["fields"] if f["name"] == "stage")
    assert stage["constraints"] == {"required": True, "enum": list(vocabulary.STAGES)}


def test_the_package_names_the_licence_and_every_source(bundle: Path, bundled: Dataset) -> None:
    package = load_json(bundle / "datapackage.json")
    assert package["licenses"] == [
        {"name": LICENCE, "path": LICENCE_URL, "title": dataset_facts()["licence_name"]}
    ]
    assert package["version"] == dataset_facts()["version"]
    assert [s["title"] for s in package["sources"]] == [s.title for s in bundled.sources]
    assert {s.get("path") for s in package["sources"]} >= {s.url for s in bundled.sources if s.url}
    assert "MIT" in package["description"]
