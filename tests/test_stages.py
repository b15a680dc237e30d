"""Stages of money (issue 20): what the loader refuses and warns about, the stage of each
bundled money record and the source that says so, and sums that hold in every format.

The ledger's measures themselves are tested in ``test_money.py``; the SQLite export's
``funding`` table and ``counted_money`` view in ``test_export.py``.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Result

from wpq.errors import DataError
from wpq.load import ledger
from wpq.loader import load_dataset
from wpq.model import Dataset, Pledge
from wpq.questions import funding as rows_of
from wpq.questions import money

Run = Callable[..., Result]
DATA_GUIDE = Path(__file__).resolve().parent.parent / "docs" / "data.md"


def pledge(ds: Dataset, pledge_id: str) -> Pledge:
    return next(p for p in ds.pledges if p.id == pledge_id)


# ---------------------------------------------------------------- the bundled decisions

# Each money record's stage and the sources that say so (docs/data.md, "The stage of each
# money record"). A record left out here fails the test below: every decision is pinned.
DECISIONS = {
    "uk-50m-2014": ("committed", {"unicef-mena-2015-11-17"}),
    "uk-10m-unicef-programme": ("paid", {"unicef-mena-2015-11-17"}),
    "uk-40m-fund-2016": (
        "paid",
        {
            "end-violence-2017-04-14",
            "end-violence-faq-2017",
            "mcf-2019-05-20",
            "shields-safe-online-donor-2021",
        },
    ),
    "uk-16-5m-2022": ("announced", {"end-violence-uk-16-5m"}),
    "dfid-10m-global-partnership": ("committed", {"parallelparliament-23623"}),
    "dfid-5m-2018": ("committed", {"portsmouth-dfid-5m", "parallelparliament-23623"}),
    "japan-fund-2018": ("paid", {"japan-unicef-board-2018"}),
    "hdf-interpol-2015-2024": ("paid", {"ddi-hdf-interpol-offer-2024", "holyrood-2024-06-21"}),
    "hdf-interpol-25m-2024": (
        "announced",
        {"ddi-hdf-interpol-offer-2024", "edinburgh-interpol-25m-2024", "holyrood-2024-06-21"},
    ),
    "hdf-childlight-20m-2024": ("committed", {"herald-childlight-20m-2024"}),
    "fund-grant-marie-collins-2019": ("paid", {"mcf-2019-05-20"}),
    "fund-grant-interpol-disrupting-harm": ("committed", {"end-violence-grant-interpol-dh"}),
}


def test_every_bundled_money_record_has_its_decided_stage(bundled: Dataset) -> None:
    money_records = {p.id: p for p in bundled.pledges if p.amount is not None}
    assert set(money_records) == set(DECISIONS)
    for pledge_id, (stage, sources) in DECISIONS.items():
        record = money_records[pledge_id]
        assert (record.stage, set(record.stage_sources)) == (stage, sources), pledge_id
        assert record.stage_note, pledge_id  # each decision says why in the data too


def test_the_data_guide_lists_each_decision(bundled: Dataset) -> None:
    """docs/data.md has a row per money record: its id, its stage, and its stage sources."""
    text = DATA_GUIDE.read_text(encoding="utf-8")
    table = text[text.index("### The stage of each money record") :]
    table = table[: table.index("\n#", 1)]
    rows = {
        m.group(1): line
        for line in table.splitlines()
        if (m := re.match(r"\| `([a-z0-9-]+)`", line))
    }
    assert set(rows) == set(DECISIONS)
    for pledge_id, (stage, sources) in DECISIONS.items():
        cells = rows[pledge_id].split("|")
        assert cells[2].strip().split()[0].rstrip(",") == stage, pledge_id
        assert all(f"`{s}`" in cells[3] for s in sources), pledge_id


def test_hdfs_25m_offer_to_interpol_is_not_paid(run: Run, bundled: Dataset) -> None:
    offer = pledge(bundled, "hdf-interpol-25m-2024")
    assert offer.stage == "announced"
    assert money.shares(bundled, offer)["paid"] == money.shares(bundled, offer)["committed"] == 0
    assert money.whole(bundled, offer)["not_shown_paid"] == offer.amount
    [row] = [r for r in run_json(run, "funding", "--recipient", "interpol") if r["id"] == offer.id]
    assert (row["stage"], row["pledged"], row["paid"]) == ("announced", offer.amount, 0)
    # Holyrood's £30m beside the £25m, both ways
    assert [(d.field, d.value, d.sources) for d in offer.disputes] == [
        ("amount", 30_000_000, ("holyrood-2024-06-21",))
    ]


def test_hdfs_earlier_interpol_money_is_paid_with_both_sources_amounts(bundled: Dataset) -> None:
    earlier = pledge(bundled, "hdf-interpol-2015-2024")
    assert (earlier.amount, earlier.currency, earlier.stage) == (7_500_000, "GBP", "paid")
    assert [(d.field, d.value, d.sources) for d in earlier.disputes] == [
        ("amount", 10_000_000, ("holyrood-2024-06-21",))
    ]


def test_the_uks_40m_is_paid_and_counted_as_paid(run: Run, bundled: Dataset) -> None:
    forty = pledge(bundled, "uk-40m-fund-2016")
    assert (forty.stage, forty.stage_evidence) == ("paid", "inferred")
    assert money.shares(bundled, forty)["paid"] == forty.amount
    summary = run_json(run, "funding", "--donor", "home office", "--summary")
    assert summary["paid"] == [{"currency": "GBP", "amount": forty.amount}]


def test_no_donor_whose_sources_only_announce_shows_money_paid(run: Run, bundled: Dataset) -> None:
    """The bar of issue 20: `wpq summary` never shows paid = pledged for such a donor."""
    stages: dict[str, set[str]] = defaultdict(set)
    for p in bundled.pledges:
        if p.amount is not None and p.kind != "grant":
            stages[p.by].add(p.stage)
    summary = run_json(run, "summary")
    groups = {g["key"]: g for g in summary["funding"]["groups"]}
    announcing = [donor for donor, seen in stages.items() if seen == {"announced"}]
    for donor in announcing:
        assert all(t["amount"] == 0 for t in groups[donor]["paid"]), donor
    # and in the whole dataset paid is not pledged: most money is not shown paid
    pledged = {t["currency"]: t["amount"] for t in summary["funding"]["pledged"]}
    paid = {t["currency"]: t["amount"] for t in summary["funding"]["paid"]}
    assert paid["GBP"] < pledged["GBP"]


def test_the_bundled_data_has_one_known_slip(bundled: Dataset) -> None:
    """A tranche dated before its pledge is a warning; the bundled data has exactly the one
    its notes explain (DFID's £5m of 2018, inside the £10m dated by an answer of 2020)."""
    assert [(w.pledge, w.field) for w in ledger.warnings(bundled.pledges)] == [
        ("dfid-5m-2018", "date")
    ]


def run_json(run: Run, *args: str) -> object:
    import json

    result = run(*args, "--json")
    assert result.code == 0, result.err
    return json.loads(result.out)


# ---------------------------------------------------------------- sums in every format


def footer_totals(text: str) -> dict[tuple[str, str], int]:
    """``(currency, measure) -> amount`` from a funding table's footer lines."""
    measure = r"(?:pledged|committed|paid|not shown paid) [\d,]+"
    found = {}
    for match in re.finditer(
        rf"\b([A-Z]{{3}}): ({measure}(?: · {measure})*)", " ".join(text.split())
    ):
        for part in match.group(2).split(" · "):
            name, _, amount = part.rpartition(" ")
            found[match.group(1), name] = int(amount.replace(",", ""))
    return found


@pytest.mark.parametrize(
    "args",
    [(), ("--donor", "UK"), ("--year", "2016"), ("--recipient", "interpol"), ("--currency", "USD")],
)
def test_csv_columns_sum_to_the_footers_totals(run: Run, args: tuple[str, ...]) -> None:
    table = run("funding", *args, "--format", "table", "--color", "never", "--wide")
    assert table.code == 0, table.err
    expected = footer_totals(table.out)
    assert expected, table.out
    result = run("funding", *args, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.out)))
    sums: dict[tuple[str, str], int] = defaultdict(int)
    for row in rows:
        for measure in money.MEASURES:
            sums[row["currency"], measure] += int(row[measure])
    for (currency, measure), amount in expected.items():
        if measure in money.MEASURES:
            assert sums[currency, measure] == amount, (currency, measure)
    # the amount column is not a measure: a tranche's amount is part of its pledge's
    if not args:
        amounts = sum(int(r["amount"]) for r in rows if r["currency"] == "GBP")
        assert amounts > expected["GBP", "pledged"]


def test_tsv_and_json_rows_sum_like_the_csv(run: Run) -> None:
    as_json = run_json(run, "funding")
    tsv = run("funding").out.splitlines()
    header = tsv[0].split("\t")
    for measure in money.COLUMNS:
        by_json = sum(r[measure] for r in as_json)  # type: ignore[attr-defined]
        by_tsv = sum(int(line.split("\t")[header.index(measure)]) for line in tsv[1:])
        assert by_json == by_tsv


# ---------------------------------------------------------------- what the loader refuses


def write(tmp_path: Path, pledges: str) -> Path:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "sources:\n  - {id: src, title: A report, publisher: An NGO}\n"
        "organisations:\n  - {id: gov, name: A Government, kind: government}\n"
        "pledges:\n" + pledges,
        encoding="utf-8",
    )
    return path


PARENT = """\
  - id: whole
    by: gov
    kind: funding
    date: "2016"
    summary: A pledge.
    amount: 100
    currency: EUR
    stage: {stage}
    stage_sources: [src]
    sources: [src]
"""
TRANCHE = """\
  - id: part
    by: gov
    kind: funding
    date: "{date}"
    summary: A part of it.
    amount: 40
    currency: EUR
    part_of: whole
    stage: {stage}
    stage_sources: [src]
    sources: [src]
"""


def test_a_tranche_below_its_parents_stage_is_reported_at_both_places(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        PARENT.format(stage="paid") + TRANCHE.format(date="2017", stage="committed"),
    )
    with pytest.raises(DataError) as caught:
        load_dataset([path], bundled=False)
    [problem] = caught.value.problems
    assert problem.line == 24  # the tranche's stage
    assert "committed" in problem.message and "paid in full" in problem.message
    assert f"{path}:13:" in problem.hint  # and the parent's


def test_a_tranche_further_along_than_its_parent_is_fine(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        PARENT.format(stage="committed") + TRANCHE.format(date="2017", stage="paid"),
    )
    ds = load_dataset([path], bundled=False)
    whole = money.whole(ds, pledge(ds, "whole"))
    assert whole == {"amount": 100, "committed": 100, "paid": 40, "not_shown_paid": 60}


def test_validate_warns_of_a_tranche_dated_before_its_pledge(run: Run, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        PARENT.format(stage="paid") + TRANCHE.format(date="2015-03", stage="paid"),
    )
    result = run("validate", "--no-bundled", str(path))
    assert result.code == 0 and result.out == ""
    warning, done = result.err.splitlines()
    assert warning.startswith(f"wpq: warning: {path}:19:")  # the tranche's date
    assert "before its pledge 'whole' of 2016" in warning
    assert done.endswith("no problems (1 warning)")
    # queries stay quiet: a warning is for whoever keeps the file
    assert run("funding", "--data", str(path), "--no-bundled").err == ""
    # and a clean file says nothing of warnings
    fine = write(tmp_path, PARENT.format(stage="paid"))
    assert "warning" not in run("validate", "--no-bundled", str(fine)).err


def test_validate_warns_of_money_paid_before_it_was_pledged(run: Run, tmp_path: Path) -> None:
    text = PARENT.format(stage="paid").replace(
        "    stage_sources", '    stage_date: "2015"\n    stage_sources'
    )
    result = run("validate", "--no-bundled", str(write(tmp_path, text)))
    assert result.code == 0
    assert "paid on 2015, before the pledge's date 2016" in result.err


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ('    stage_date: "2017"\n', "a stage date is when money was committed or paid"),
        ("    stage_evidence: inferred\n", "an inferred stage needs a note"),
    ],
)
def test_stage_fields_that_say_nothing_are_refused(
    run: Run, tmp_path: Path, extra: str, fragment: str
) -> None:
    stage = "announced" if "stage_date" in extra else "paid"
    text = PARENT.format(stage=stage).replace(
        "    sources: [src]\n", extra + "    sources: [src]\n"
    )
    result = run("validate", "--no-bundled", str(write(tmp_path, text)))
    assert result.code == 1 and result.err.count("\n") == 1
    assert fragment in result.err


def test_a_commitment_with_money_is_refused_not_counted(run: Run, tmp_path: Path) -> None:
    text = PARENT.format(stage="paid").replace("kind: funding", "kind: commitment")
    result = run("funding", "--data", str(write(tmp_path, text)), "--no-bundled")
    assert (result.code, result.out) == (1, "")
    assert "a commitment has no money" in result.err and "kind: funding" in result.err


def test_stages_are_listed_and_summed_in_the_summary_rows(mini: Dataset) -> None:
    summary = rows_of.group_funding(mini, money.funding(mini), "donor")
    rows = rows_of.summary_rows(summary)
    for measure in money.COLUMNS:
        by_currency: dict[str, int] = defaultdict(int)
        for row in rows:
            by_currency[row["currency"]] += row[measure]
        assert [
            {"currency": c, "amount": a}
            for c, a in sorted(by_currency.items())
            if a or any(t["currency"] == c for t in summary[measure])
        ] == summary[measure], measure
