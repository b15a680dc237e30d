"""Warm answers over many records (issue 25): rows made in bulk by msgspec, a pledge's
tranches looked up at once, JSON written a few rows at a time. Each test asserts the answer
(the same as field by field, as without the cache, as the whole listing at once) or how
often the cache is read, never a time."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import msgspec
import pytest

from wpq.cache import layout
from wpq.loader import load_dataset
from wpq.model import COLLECTIONS, Dataset, Record
from wpq.questions import funding, money
from wpq.questions.rows import Built, _builtin, record_row, record_rows
from wpq.render import text

GENERATOR = Path(__file__).resolve().parents[1] / "bench" / "generate.py"


def _generate(out: Path, pledges: int, six: bool) -> Path:
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yaml_path, _ = module.generate(pledges, out, six=six)
    return Path(yaml_path)


@pytest.fixture(scope="module")
def six(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """1,500 pledges of six donors (stages, tranches): more records than a chunk of rows."""
    return _generate(tmp_path_factory.mktemp("six"), 1500, six=True)


@pytest.fixture(scope="module")
def six_data(six: Path) -> Dataset:
    return load_dataset([six], cache=False)


def field_by_field(record: Record) -> dict[str, Any]:
    """A record's row as the contract says it: every field under its data-file name, in
    order, absent ones as null or [], lists and nested entries as lists and dicts."""
    return {
        field.encode_name: _builtin(getattr(record, field.name))
        for field in msgspec.structs.fields(record)
    }


def test_rows_in_bulk_are_the_rows_field_by_field(bundled: Dataset, six_data: Dataset) -> None:
    for ds in (bundled, six_data):
        for name in COLLECTIONS:
            records = ds.collection(name)
            made = record_rows(records)
            assert len(made) == len(records)
            for record, row in zip(records, made, strict=True):
                expected = field_by_field(record)
                assert row == expected and list(row) == list(expected), (name, record)
                assert [type(v) for v in row.values()] == [type(v) for v in expected.values()]
            assert made == [record_row(r) for r in records]


def test_rows_in_bulk_share_no_list(six_data: Dataset) -> None:
    """Each row has lists of its own (a YAML writer would alias a shared one)."""
    made = record_rows(six_data.pledges[:50])
    lists = [id(value) for row in made for value in row.values() if isinstance(value, list)]
    assert len(lists) == len(set(lists)) and lists


def test_rows_in_bulk_take_keys_first_and_after(six_data: Dataset) -> None:
    pledges = six_data.pledges[:5]
    after = [{"extra": i} for i in range(5)]
    made = record_rows(pledges, ("id", "wanted"), after)
    for i, row in enumerate(made):
        assert list(row)[:2] == ["id", "wanted"] and row["wanted"] is None
        assert list(row)[-1] == "extra" and row["extra"] == i
    with pytest.raises(ValueError):
        record_rows(pledges, (), after[:4])


def test_funding_rows_for_json_are_written_as_the_rows(bundled: Dataset, six_data: Dataset) -> None:
    """The Structs JSON is written from (no dict a row) say what the rows' dicts say, in
    the same order, quotes (generated) and disputes (bundled) included."""
    nested = set()
    for ds in (bundled, six_data):
        pledges = money.funding(ds)
        nested |= {n for p in pledges for n in ("quotes", "disputes") if getattr(p, n)}
        made = funding.funding_rows(ds, pledges)
        assert msgspec.json.encode(funding.encoded_rows(ds, pledges)) == msgspec.json.encode(made)
    assert nested == {"quotes", "disputes"}
    assert funding.encoded_rows(bundled, []) == []


def test_built_rows_behave_as_a_list() -> None:
    made: list[int] = []

    def build(start: int, stop: int) -> list[dict[str, Any]]:
        made.append(stop - start)
        return [{"n": n} for n in range(start, stop)]

    whole = [{"n": n} for n in range(2500)]
    rows = Built(2500, build)
    assert len(rows) == 2500 and bool(rows) and not Built(0, build)
    assert list(rows) == whole
    assert rows[0] == whole[0] and rows[-1] == whole[-1] and rows[1500] == whole[1500]
    assert rows[10:20] == whole[10:20] and rows[::700] == whole[::700] and rows[3000:] == []
    with pytest.raises(IndexError):
        rows[2500]
    made.clear()
    assert rows[1024:2048] == whole[1024:2048] and rows[1500] == whole[1500]
    assert made == [1024]  # the chunk made last is kept


@pytest.mark.parametrize("count", [0, 1, 2, 3, 4, 5, 6, 7, 9, 10])
def test_json_in_pieces_is_the_whole_json(monkeypatch: pytest.MonkeyPatch, count: int) -> None:
    monkeypatch.setattr(text, "PIECE", 3)
    rows = [
        {"id": f"r{i}", "list": [] if i % 2 else [1, {"a": [], "b": "é\u200b\x85"}], "n": None}
        for i in range(count)
    ]
    assert "".join(text.json_pieces(rows)) == text.render_json(rows)
    assert "".join(text.json_pieces(rows, lines=True)) == text.render_jsonl(rows)
    assert len(list(text.json_pieces(rows))) == max(1, -(-count // 3))


def _decodes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many records each read of a cache file decodes, from now on."""
    calls: list[int] = []
    decode = layout.LazyDataset._decode_at

    def counted(self: Any, collection: str, positions: Any) -> Any:
        calls.append(len(positions))
        return decode(self, collection, positions)

    monkeypatch.setattr(layout.LazyDataset, "_decode_at", counted)
    return calls


def test_a_warm_funding_answer_reads_the_tranches_once(
    run: Any, six: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("funding", "--data", str(six), "--no-bundled", "--donor", "Norway", "--json")
    cold = run(*args)
    assert cold.code == 0
    reads = _decodes(monkeypatch)
    warm = run(*args)
    assert warm.code == 0 and warm.out == cold.out
    # the donor's pledges, then whichever tranches are not among them: never one per pledge
    assert 1 <= len(reads) <= 2, reads
    rows = json.loads(warm.out)
    assert len(rows) > 200 and any(r["part_of"] for r in rows)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_rows_written_as_made_are_the_listing_whole(
    run: Any, six: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    """Written a chunk at a time (no option picks rows), or listed whole first (--limit
    does), with the cache or without: the same text."""
    base = ("funding", "--data", str(six), "--no-bundled", "--year", "2015", "--format", fmt)
    streamed = run(*base)
    listed = run(*base, "--limit", "100000")
    monkeypatch.setenv("WPQ_NO_CACHE", "1")
    parsed = run(*base)
    assert streamed.code == listed.code == parsed.code == 0
    assert streamed.out == listed.out == parsed.out
    assert streamed.out.count('"id"') > 60


def test_pledges_written_as_made_are_the_listing_whole(
    run: Any, six: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = ("pledges", "--data", str(six), "--no-bundled", "--pledger", "Norway", "--json")
    streamed, listed = run(*base), run(*base, "--limit", "100000")
    monkeypatch.setenv("WPQ_NO_CACHE", "1")
    parsed = run(*base)
    assert streamed.code == listed.code == parsed.code == 0
    assert streamed.out == listed.out == parsed.out
    assert len(json.loads(streamed.out)) > 200


def test_yaml_rows_of_many_pledges_have_no_aliases(run: Any, six: Path) -> None:
    args = ("--data", str(six), "--no-bundled", "--donor", "Norway", "--format", "yaml")
    found = run("funding", *args)
    assert found.code == 0 and "&id" not in found.out and "*id" not in found.out
    assert found.out.count("\n- id: ") > 200


def test_tranches_gathered_at_once_are_those_found_one_by_one(six_data: Dataset) -> None:
    one_by_one = {p.id: money.tranches(six_data, p.id) for p in six_data.pledges}
    fresh = Dataset(pledges=six_data.pledges)
    money.gather_tranches(fresh, fresh.pledges, deep=True)
    assert {p.id: money.tranches(fresh, p.id) for p in fresh.pledges} == one_by_one
    assert any(one_by_one.values())


def test_msgspec_is_imported_without_typing_extensions_and_it_stays_importable() -> None:
    code = (
        "import sys, wpq.__main__ as m; m._msgspec_alone(); "
        "import msgspec, msgspec._utils as u; assert u._get_type_hints.__module__ == 'typing'; "
        "import typing_extensions; assert sys.modules['typing_extensions'] is not None; "
        "print(msgspec.json.encode({'a': [1]}).decode())"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == '{"a":[1]}\n'


def test_msgspec_submodules_left_out_at_start_still_work_when_used() -> None:
    """``msgspec.inspect``, ``.toml`` and ``.yaml`` are not loaded by a query, yet reading
    them any way (attribute, ``from … import``, ``import … as``) gives the real modules,
    and the JSON Schema made through them is the one a plain msgspec makes."""
    code = (
        "import sys, json, wpq.__main__ as m; m._msgspec_alone(); "
        "left = sorted(n for n in m._UNUSED_BY_QUERIES if type(sys.modules[n]) is not "
        "type(sys)); "
        "import msgspec; from msgspec import inspect; import msgspec.yaml as y; "
        "from wpq import model; "
        "print(json.dumps([left, type(inspect.type_info(int)).__name__, "
        "y.decode(b'a: 1'), msgspec.toml.decode(b'b = 2'), "
        "msgspec.json.schema(model.Pledge)]))"
    )
    plain = (
        "import json, msgspec; from wpq import model; "
        "print(json.dumps(msgspec.json.schema(model.Pledge)))"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", c], capture_output=True, text=True, timeout=60, check=False
        )
        for c in (code, plain)
    ]
    assert [r.returncode for r in runs] == [0, 0], [r.stderr for r in runs]
    left, info, from_yaml, from_toml, schema = json.loads(runs[0].stdout)
    assert left == ["msgspec.inspect", "msgspec.toml", "msgspec.yaml"]
    assert (info, from_yaml, from_toml) == ("IntType", {"a": 1}, {"b": 2})
    assert schema == json.loads(runs[1].stdout)


def test_a_warm_events_answer_reads_only_the_hosts_and_countries_it_names(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ("events", "--year", "2015", "--json")
    cold = run(*args)
    assert cold.code == 0
    reads: dict[str, int] = {}
    decode = layout.LazyDataset._decode_at

    def counted(self: Any, collection: str, positions: Any) -> Any:
        reads[collection] = reads.get(collection, 0) + len(positions)
        return decode(self, collection, positions)

    monkeypatch.setattr(layout.LazyDataset, "_decode_at", counted)
    warm = run(*args)
    assert warm.code == 0 and warm.out == cold.out
    rows = json.loads(warm.out)
    hosts = {h for row in rows for h in row["hosts"]}
    countries = {row["country"] for row in rows if row["country"]}
    names = {name for row in rows for name in row["host_names"]}
    assert hosts and countries and len(names) == len(hosts) and not names & hosts
    assert reads == {"events": len(rows), "organisations": len(hosts), "countries": len(countries)}


def test_a_warm_listing_by_year_imports_no_name_matching_nor_msgspec_inspect(
    tmp_path: Path,
) -> None:
    """What a query never uses stays unimported: the name-matching rule (no name given),
    msgspec's inspect, TOML and YAML modules, and the tidying of help that is not shown.
    Naming a host imports the rule."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WPQ_")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")

    def traced(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "wpq", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            check=False,
        )

    by_year = ("events", "--year", "2015", "--json")
    assert traced(*by_year).returncode == 0  # fills the cache
    warm = traced(*by_year)
    named = traced("events", "--host", "UK", "--json")
    assert warm.returncode == named.returncode == 0, warm.stderr + named.stderr
    imported = set(re.findall(r"\|\s+([\w.]+)$", warm.stderr, re.M))
    assert {"wpq.questions.names", "msgspec.json"} <= imported  # the run is traced...
    left_out = {
        "wpq.questions.matching",
        "msgspec.inspect",
        "msgspec.toml",
        "wpq.commands.helptext",
    }
    assert not imported & left_out
    assert re.search(r"\|\s+wpq\.questions\.matching$", named.stderr, re.M)
    assert json.loads(warm.stdout) and json.loads(named.stdout)
