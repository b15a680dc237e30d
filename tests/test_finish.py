"""summary, timeline, charts, currency conversion and completion (mini data unless noted)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable

import pytest
from conftest import MINI, Result

from wpq import query
from wpq.model import Dataset

Run = Callable[..., Result]


def test_summary_json_counts_every_collection(run: Run, mini: Dataset) -> None:
    result = run("summary", *MINI, "--json")
    assert result.code == 0
    summary = json.loads(result.out)
    assert summary["counts"] == {
        name: len(mini.collection(name)) for name in query.COLLECTION_NAMES
    }
    assert sum(y["count"] for y in summary["events_by_year"]) == len(mini.events)
    assert [p["id"] for p in summary["programmes"]] == [p.id for p in mini.programmes]
    for prog, record in zip(summary["programmes"], mini.programmes, strict=True):
        assert prog["countries"] == len(record.countries)


def test_summary_funding_counts_tranches_once(mini: Dataset) -> None:
    summary = query.dataset_summary(mini)
    expected: dict[str, int] = {}
    for pledge in mini.pledges:
        if pledge.part_of is None and pledge.amount is not None and pledge.kind != "grant":
            expected[pledge.currency or ""] = expected.get(pledge.currency or "", 0) + pledge.amount
    expected_totals = [{"currency": c, "amount": a} for c, a in sorted(expected.items())]
    assert summary["funding"]["pledged"] == expected_totals
    for measure in ("pledged", "committed", "paid"):
        expected = {t["currency"]: t["amount"] for t in summary["funding"][measure]}
        group_sum: dict[str, int] = {}
        for group in summary["funding"]["groups"]:
            for total in group[measure]:
                group_sum[total["currency"]] = group_sum.get(total["currency"], 0) + total["amount"]
        assert group_sum == expected, measure


def test_summary_table_and_json_give_the_same_numbers(run: Run) -> None:
    table = run("summary", *MINI, "--format", "table", "--color", "never").out
    summary = json.loads(run("summary", *MINI, "--json").out)
    for measure in ("pledged", "committed", "paid"):
        for total in summary["funding"][measure]:
            assert f"{total['currency']}: " in table and f"{measure} {total['amount']:,}" in table
    for name, count in summary["counts"].items():
        assert re.search(rf"^{name} +{count}$", table, re.M), name


def test_timeline_is_in_date_order_and_filters_by_year(run: Run, mini: Dataset) -> None:
    rows = json.loads(run("timeline", *MINI, "--json").out)
    assert [r["date"] for r in rows] == sorted(r["date"] for r in rows)
    assert {r["id"] for r in rows if r["type"] == "event"} == {e.id for e in mini.events}
    assert {r["id"] for r in rows if r["type"] == "pledge"} == {p.id for p in mini.pledges}
    only = json.loads(run("timeline", *MINI, "--from", "2015", "--to", "2016", "--json").out)
    assert only and all(2015 <= r["year"] <= 2016 for r in only)
    assert {r["id"] for r in only} < {r["id"] for r in rows}


def test_timeline_year_keeps_an_event_spanning_into_it(mini: Dataset) -> None:
    spanning = [e for e in mini.events if e.end and e.end[:4] != e.start[:4]]
    assert spanning, "the mini data needs an event spanning two years"
    event = spanning[0]
    later = int(event.end[:4])  # type: ignore[index]
    assert event.id in {r["id"] for r in query.timeline(mini, from_year=later)}


def test_timeline_table_groups_by_year(run: Run) -> None:
    out = run("timeline", *MINI, "--format", "table", "--color", "never").out
    years = [
        line.split()[0]
        for line in out.splitlines()
        if line.strip()[:4].isdigit() and line.split()[0].isdigit() and len(line.split()[0]) == 4
    ]
    assert years == sorted(set(years))


def test_chart_draws_one_bar_list_per_currency(run: Run) -> None:
    out = run("funding", *MINI, "--summary", "--chart", "--format", "table", "--color", "never").out
    summary = json.loads(run("funding", *MINI, "--summary", "--json").out)
    currencies = {t["currency"] for t in summary["pledged"]}
    assert {c for c in currencies if f"Funding by donor, {c}" in out} == currencies
    assert "█" in out
    for measure in ("pledged", "committed", "paid"):  # each bar says which measure it draws
        assert re.search(rf"^\S.*  {measure} ", out, re.M) or f" {measure} " in out
        for group in summary["groups"]:
            for total in group[measure]:
                assert f"{total['amount']:,}" in out


def complete(*words: str, env: dict[str, str] | None = None) -> list[str]:
    """Ask wpq for bash completions of the last word, as the shell would."""
    line = ["wpq", *words]
    environ = {
        **os.environ,
        "_WPQ_COMPLETE": "complete_bash",
        "COMP_WORDS": " ".join(line),
        "COMP_CWORD": str(len(line) - 1),
        **(env or {}),
    }
    result = subprocess.run(
        [sys.executable, "-m", "wpq"], env=environ, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and result.stderr == ""
    return result.stdout.split()


def test_completion_offers_programme_aliases_from_the_bundled_data() -> None:
    assert "unicef" in complete("countries", "--programme", "un")


def test_completion_reads_user_data_named_on_the_line(mini_dir) -> None:
    offered = complete("funding", "--data", str(mini_dir), "--no-bundled", "--donor", "nor")
    assert "norway-gov" in offered
    assert all(word.lower().startswith("nor") for word in offered)


def test_completion_of_fields_continues_a_list() -> None:
    offered = complete("events", "--fields", "id,sta")
    assert offered == ["id,start"]


def test_completion_of_kinds() -> None:
    assert complete("events", "--kind", "su") == ["summit"]


def test_export_command_writes_once_then_refuses(run: Run, tmp_path, mini: Dataset) -> None:
    import sqlite3

    target = tmp_path / "wpq.db"
    first = run("export", "--sqlite", str(target), *MINI)
    assert first.code == 0 and first.out == ""
    db = sqlite3.connect(target)
    try:
        assert db.execute("select count(*) from events").fetchone()[0] == len(mini.events)
    finally:
        db.close()
    before = target.read_bytes()
    again = run("export", "--sqlite", str(target), *MINI)
    assert again.code == 2 and "--force" in again.err and target.read_bytes() == before
    assert run("export", "--sqlite", str(target), "--force", *MINI).code == 0


@pytest.mark.parametrize(
    "command",
    [
        "events",
        "pledges",
        "funding",
        "countries",
        "figures",
        "sources",
        "timeline",
        "organisations",
        "programmes",
    ],
)
def test_listing_fields_are_exactly_the_keys_of_its_rows(run: Run, command: str) -> None:
    rows = json.loads(run(command, "--json").out)
    assert rows
    assert set(rows[0]) == set(query.listing_fields(command))


ESC = "\x1b["


@pytest.mark.parametrize(
    "args,env,coloured",
    [
        (("--color", "always"), {}, True),
        (("--color", "never"), {"FORCE_COLOR": "1"}, False),
        (("--color", "auto"), {"FORCE_COLOR": "1"}, True),
        (("--color", "auto"), {}, False),  # stdout is not a terminal here
        (("--color", "always"), {"TERM": "dumb"}, True),  # asked for in so many words
        (("--color", "auto"), {"FORCE_COLOR": "1", "TERM": "dumb"}, False),
    ],
)
def test_colour_follows_the_option_and_the_environment(
    run: Run,
    monkeypatch: pytest.MonkeyPatch,
    mini: Dataset,
    args: tuple[str, ...],
    env: dict[str, str],
    coloured: bool,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("COLUMNS", "160")  # wide enough for every id to stand whole
    out = run("events", *MINI, "--format", "table", *args).out
    assert all(event.id in out for event in mini.events)  # the table itself, colour or not
    assert (ESC in out) is coloured


def has_foreground_colour(text: str) -> bool:
    """Whether an SGR escape in ``text`` sets a foreground colour (30-38, 90-97)."""
    params = (p for sgr in re.findall(r"\x1b\[([0-9;]*)m", text) for p in sgr.split(";"))
    return any(p.isdigit() and (30 <= int(p) <= 38 or 90 <= int(p) <= 97) for p in params)


def test_no_color_removes_colour_from_a_chart(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    chart = ("funding", *MINI, "--summary", "--chart", "--format", "table")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert has_foreground_colour(run(*chart).out)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not has_foreground_colour(run(*chart).out)


def test_no_progress_display_when_stderr_is_not_a_terminal() -> None:
    from wpq.commands.spinner import load_progress

    with load_progress(after=0.0) as progress:
        assert progress is None
