"""show, sources, search, schema and --with-sources, on the bundled data."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from wpq.cli import main
from wpq.export.schema import data_file_schema
from wpq.load.yamlfile import parse_file
from wpq.loader import bundled_paths, load_dataset
from wpq.model import Dataset
from wpq.query import find_record, referenced_by, search, show, source_rows


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return load_dataset()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_show_lists_sources_and_referrers(ds: Dataset) -> None:
    parent = next(p for p in ds.pledges if any(q.part_of == p.id for q in ds.pledges))
    shown = show(ds, parent.id)
    assert shown["collection"] == "pledges"
    assert shown["record"]["id"] == parent.id
    assert {s["id"] for s in shown["sources"]} >= set(parent.sources)
    tranche_ids = {q.id for q in ds.pledges if q.part_of == parent.id}
    referrers = {(r["collection"], r["id"], r["field"]) for r in shown["referenced_by"]}
    assert {("pledges", t, "part_of") for t in tranche_ids} <= referrers


def test_show_of_an_event_lists_its_pledges(ds: Dataset) -> None:
    event_id = next(p.made_at for p in ds.pledges if p.made_at)
    refs = referenced_by(ds, "events", event_id)
    made_there = {p.id for p in ds.pledges if p.made_at == event_id}
    assert made_there <= {r["id"] for r in refs if r["field"] == "made_at"}


def test_show_json_and_unknown_id(capsys: pytest.CaptureFixture[str], ds: Dataset) -> None:
    some = ds.events[0]
    code, out, err = run(capsys, "show", some.id, "--json")
    assert code == 0 and err == ""
    assert json.loads(out)["record"]["name"] == some.name
    code, out, err = run(capsys, "show", some.id[:-1] + "zz")
    assert code == 2 and out == ""
    assert err.startswith("wpq: unknown record") and err.count("\n") == 1


def test_show_finds_a_country_by_code_in_any_case(ds: Dataset) -> None:
    code = ds.countries[0].code
    assert find_record(ds, code.lower()) == ("countries", ds.countries[0])


def test_sources_count_the_records_citing_them(ds: Dataset) -> None:
    rows = {r["id"]: r for r in source_rows(ds)}
    assert set(rows) == {s.id for s in ds.sources}
    for event in ds.events:
        for source_id in event.sources:
            assert f"events/{event.id}" in rows[source_id]["used_by"]
    assert all(r["used_by_count"] == len(r["used_by"]) for r in rows.values())


def test_search_ignores_case_and_accents(ds: Dataset) -> None:
    event = ds.events[0]
    word = event.name.split()[-1]
    hits = search(ds, word.upper(), "events")
    assert event.id in {h["id"] for h in hits}
    assert all(h["collection"] == "events" for h in hits)
    assert search(ds, "Viet Nam") == search(ds, "viêt nam")


def test_search_unknown_collection_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "search", "unicef", "--collection", "nothing")
    assert code == 2 and out == "" and "collection" in err


def test_with_sources_adds_citations_in_json(
    capsys: pytest.CaptureFixture[str], ds: Dataset
) -> None:
    code, out, _ = run(capsys, "events", "--json", "--with-sources")
    assert code == 0
    titles = {s.id: s.title for s in ds.sources}
    for row in json.loads(out):
        # the record's own sources first, then those its quotes, disputes and entries cite
        cited = [c["id"] for c in row["citations"]]
        assert cited[: len(row["sources"])] == row["sources"]
        assert len(set(cited)) == len(cited)
        assert all(c["title"] == titles[c["id"]] for c in row["citations"])


def test_with_sources_adds_readable_columns_in_tsv(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "events", "--format", "tsv", "--with-sources", "--limit", "1")
    assert code == 0
    header, row = out.splitlines()
    assert header.split("\t")[-2:] == ["sources", "citations"]
    ids, text = row.split("\t")[-2:]
    assert "http" in text and not text.startswith(("[", "{"))  # a reference, not JSON
    assert len(ids.split("; ")) == text.count("http")


def test_schema_is_valid_draft_2020_12(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    assert code == 0
    schema = json.loads(out)
    assert schema == data_file_schema()
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("path", bundled_paths(), ids=lambda p: Path(p).name)
def test_bundled_files_validate_against_the_schema(path: Path) -> None:
    validator = jsonschema.Draft202012Validator(data_file_schema())
    errors = [e.message for e in validator.iter_errors(parse_file(path))]
    assert errors == []


def test_schema_rejects_what_the_loader_rejects() -> None:
    validator = jsonschema.Draft202012Validator(data_file_schema())
    bad = {"events": [{"id": "x", "name": "n", "kind": "sumit", "start": "2015", "sources": ["s"]}]}
    assert not validator.is_valid(bad)
    unknown_field = {"sources": [{"id": "s", "title": "t", "publisher": "p", "yaer": 1}]}
    assert not validator.is_valid(unknown_field)
