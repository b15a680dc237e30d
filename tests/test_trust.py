"""Trust at a glance: ``--disputed`` and ``--inferred`` on every listing, ``wpq show``'s
flags, what ``wpq show`` keeps when piped, and the checks of a source that is a copy."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import wpq
from wpq.model import Dataset
from wpq.questions import trust

Run = Callable[..., Any]


@pytest.fixture(scope="module")
def ds() -> Dataset:
    return wpq.load()


def ids(run: Run, *args: str) -> list[str]:
    result = run(*args, "--json")
    assert result.code == 0, result.err
    return [row.get("id") or row.get("key") for row in json.loads(result.out)]


def disputed(record: Any) -> bool:
    """Independent of ``trust``: a dispute, or for a figure a conflicting figure."""
    return bool(getattr(record, "disputes", ()) or getattr(record, "conflicts_with", ()))


def inferred(record: Any) -> bool:
    entries = [record, *getattr(record, "countries", ())]
    return any(getattr(e, "evidence", "stated") == "inferred" for e in entries)


# ---------------------------------------------------------------- --disputed, --inferred

# The listings whose records can carry a dispute or an inferred fact, and their collections.
FLAGGED_LISTINGS = [
    ("events", "events"),
    ("pledges", "pledges"),
    ("figures", "figures"),
    ("programmes", "programmes"),
]


@pytest.mark.parametrize("listing,collection", FLAGGED_LISTINGS)
def test_disputed_lists_exactly_the_records_with_disputes(
    run: Run, ds: Dataset, listing: str, collection: str
) -> None:
    every = ids(run, listing)
    wanted = {r.id for r in ds.collection(collection) if disputed(r)}
    assert ids(run, listing, "--disputed") == [i for i in every if i in wanted]
    if collection != "programmes":
        assert wanted, "the bundled data has disputes here"


@pytest.mark.parametrize("listing,collection", FLAGGED_LISTINGS)
def test_inferred_lists_exactly_the_records_with_an_inferred_fact(
    run: Run, ds: Dataset, listing: str, collection: str
) -> None:
    every = ids(run, listing)
    wanted = {r.id for r in ds.collection(collection) if inferred(r)}
    assert wanted
    assert ids(run, listing, "--inferred") == [i for i in every if i in wanted]


def test_both_filters_must_hold(run: Run, ds: Dataset) -> None:
    wanted = {p.id for p in ds.pledges if disputed(p) and inferred(p)}
    assert wanted and wanted != {p.id for p in ds.pledges if disputed(p)}
    assert set(ids(run, "pledges", "--disputed", "--inferred")) == wanted


def test_every_listing_takes_the_filters(run: Run, ds: Dataset) -> None:
    pledges = {p.id for p in ds.pledges if disputed(p)}
    events = {e.id for e in ds.events if disputed(e)}
    assert set(ids(run, "funding", "--disputed")) == {
        p.id for p in ds.pledges if disputed(p) and p.amount is not None
    }
    assert set(ids(run, "timeline", "--disputed")) == pledges | events
    found = json.loads(run("search", "summit", "--disputed", "--json").out)
    assert found and all(trust.is_disputed(trust.find(ds, r["collection"], r["id"])) for r in found)
    # sources and organisations carry neither; a country row its entry's evidence
    assert ids(run, "sources", "--disputed") == ids(run, "organisations", "--inferred") == []
    rows = json.loads(run("countries", "--inferred", "--json").out)
    programmes = {p.id: p for p in ds.programmes}
    assert rows and all(
        r["evidence"] == "inferred" or programmes[r["programme"]].evidence == "inferred"
        for r in rows
    )
    every = json.loads(run("countries", "--json").out)
    assert len(rows) == sum(
        r["evidence"] == "inferred" or programmes[r["programme"]].evidence == "inferred"
        for r in every
    )


def test_a_summary_totals_only_what_the_filter_keeps(run: Run) -> None:
    kept = json.loads(run("funding", "--disputed", "--json").out)
    summary = json.loads(run("funding", "--summary", "--disputed", "--json").out)
    assert sum(g["count"] for g in summary["groups"]) == len(kept)


def test_the_timeline_on_a_terminal_is_filtered_too(
    run: Run, ds: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    out = run("timeline", "--disputed", "--format", "table").out
    shown = {i for i in (p.id for p in ds.pledges) if i in out}
    assert shown == {p.id for p in ds.pledges if disputed(p)}


# ---------------------------------------------------------------- show


def test_show_names_disputed_and_inferred_fields(run: Run) -> None:
    shown = json.loads(run("show", "uk-40m-fund-2016", "--json").out)
    flags = [(f["flag"], f["field"]) for f in shown["flags"]]
    assert flags == [("disputed", "amount"), ("disputed", "period"), ("inferred", None)]
    assert shown["flags"][0]["value"] == 50000000
    assert shown["flags"][0]["sources"] == ["african-business-2016-12"]


def test_show_card_says_it_at_a_glance(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    out = run("show", "uk-40m-fund-2016", "--format", "table").out.splitlines()
    assert out[1] == "Disputed: amount; period · Inferred: the whole record"
    assert any("40,000,000 GBP (disputed: see Disputes)" in line for line in out)
    programme = run("show", "disrupting-harm-1", "--format", "table").out.splitlines()
    assert programme[1].startswith("Inferred: countries ")


def test_inferred_entries_are_named_by_their_key(ds: Dataset) -> None:
    (programme,) = (p for p in ds.programmes if p.id == "unicef-global-programme")
    fields = {f["field"] for f in trust.flags(programme)}
    assert fields == {f"countries[{c.country}]" for c in programme.countries}


def test_show_piped_keeps_the_sources_and_what_refers_to_it(run: Run, ds: Dataset) -> None:
    out = run("show", "uk-50m-2014").out
    blocks = [b.splitlines() for b in out.split("\n\n")]
    assert [b[0].split("\t")[0] for b in blocks] == ["field", "id", "collection", "flag"]
    sources = {line.split("\t")[0]: line.split("\t")[5] for line in blocks[1][1:]}
    known = {s.id: s.url for s in ds.sources}
    (pledge,) = (p for p in ds.pledges if p.id == "uk-50m-2014")
    assert list(sources) == trust.record_sources("pledges", pledge)
    assert all(url == (known[i] or "") for i, url in sources.items())
    referrers = {tuple(line.split("\t")[:3]) for line in blocks[2][1:]}
    tranches = {("pledges", p.id, "part_of") for p in ds.pledges if p.part_of == "uk-50m-2014"}
    assert tranches and tranches <= referrers


def test_show_with_fields_prints_the_fields_alone(run: Run) -> None:
    out = run("show", "uk-40m-fund-2016", "--fields", "amount").out
    assert out == "field\tvalue\namount\t40000000\n"


# ---------------------------------------------------------------- copies in the data


@pytest.mark.parametrize(
    "fields,message",
    [
        ({"original_published": '"2019"'}, "original_published without original_publisher"),
        ({"original_url": "https://a.example/x"}, "original_url without original_publisher"),
        ({"original_publisher": "Mirror"}, "original_publisher is the publisher"),
        (
            {"original_publisher": "Ministry", "original_url": "http://mirror.example/x"},
            "original_url is the url",
        ),
        (
            {"original_publisher": "Ministry", "original_published": '"2019-05"'},
            "dated before its original",
        ),
        (
            {"original_publisher": "Ministry", "original_published": '"2019-02-30"'},
            "invalid date '2019-02-30'",
        ),
    ],
)
def test_a_copy_that_does_not_add_up_is_a_data_error(
    run: Run, tmp_path: Path, fields: dict[str, str], message: str
) -> None:
    extra = "".join(f"    {k}: {v}\n" for k, v in fields.items())
    path = tmp_path / "copy.yaml"
    path.write_text(
        "sources:\n  - id: a-copy\n    title: A copy\n    publisher: Mirror\n"
        '    url: http://mirror.example/x\n    published: "2019-03"\n' + extra
    )
    result = run("validate", str(path))
    assert result.code == 1
    (line,) = result.err.splitlines()
    assert message in line and f"{path}:" in line


def test_a_good_copy_validates(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "copy.yaml"
    path.write_text(
        "sources:\n  - id: a-copy\n    title: A copy\n    publisher: Mirror\n"
        '    url: http://mirror.example/x\n    published: "2019-03"\n'
        '    original_publisher: Ministry\n    original_published: "2019-03-01"\n'
        "    original_url: https://ministry.example/x\n"
    )
    assert run("validate", str(path)).code == 0
