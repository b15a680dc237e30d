"""The command line, through ``wpq.cli.main`` (and a subprocess where a real process matters)."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest
import yaml

import wpq
from wpq import query
from wpq.loader import load_dataset
from wpq.model import Dataset

MINI_DIR = Path(__file__).resolve().parent / "fixtures" / "mini"
MINI = ("--data", str(MINI_DIR), "--no-bundled")

# conftest's `run` fixture: wpq ARGS -> Result(code, out, err), a NamedTuple
Run = Callable[..., Any]
Result = Any


def lines(*texts: str) -> str:
    """Whole output, one argument per line."""
    return "".join(t + "\n" for t in texts)


def json_out(result: Result) -> object:
    assert result.code == 0, result.err
    return json.loads(result.out)


def one_error_line(result: Result) -> str:
    """The single ``wpq: …`` line an expected error prints, with nothing on stdout."""
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1, result.err
    assert lines[0].startswith("wpq: ")
    assert "Traceback" not in result.err
    return lines[0]


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("WPQ_", "NO_COLOR"))}


# ---------------------------------------------------------------- the design card, bundled data


def test_events_year_2015_lists_events_overlapping_2015(run: Run) -> None:
    rows = json_out(run("events", "--year", "2015", "--json"))
    assert isinstance(rows, list)
    assert rows, "the bundled data has events in 2015"
    for row in rows:
        assert int(row["start"][:4]) <= 2015 <= int((row["end"] or row["start"])[:4])


def test_events_year_2015_default_output_is_tsv_with_a_header(run: Run) -> None:
    result = run("events", "--year", "2015")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split("\t") == list(query.EVENT_COLUMNS)
    assert len(lines) == 1 + len(json_out(run("events", "--year", "2015", "--json")))  # type: ignore[arg-type]


def test_funding_donor_uk_lists_uk_money_with_its_parts(run: Run, bundled: Dataset) -> None:
    rows = json_out(run("funding", "--donor", "UK", "--json"))
    assert isinstance(rows, list)
    assert rows
    uk = query.match_organisation(bundled, "UK")
    family = query.with_parts(bundled, uk)
    assert {r["donor"] for r in rows} <= family
    expected = {p.id for p in bundled.pledges if p.by in family and p.amount is not None}
    assert {r["id"] for r in rows} == expected


@pytest.mark.parametrize("name", ["United Kingdom", "gbr", "GB", "uk"])
def test_funding_donor_names_for_the_uk_mean_the_same(run: Run, name: str) -> None:
    assert run("funding", "--donor", name).out == run("funding", "--donor", "UK").out


def test_countries_programme_unicef(run: Run, bundled: Dataset) -> None:
    rows = json_out(run("countries", "--programme", "unicef", "--json"))
    assert isinstance(rows, list)
    programme = query.match("unicef", query.programme_candidates(bundled), "programme").id
    assert {r["programme"] for r in rows} == {programme}
    entries = next(p for p in bundled.programmes if p.id == programme).countries
    assert sorted(r["code"] for r in rows) == sorted(e.country for e in entries)


def test_events_json_is_a_list_of_objects_with_a_name(run: Run, bundled: Dataset) -> None:
    rows = json_out(run("events", "--json"))
    assert isinstance(rows, list)
    assert len(rows) == len(bundled.events)
    assert all(isinstance(r, dict) and isinstance(r["name"], str) for r in rows)


# ---------------------------------------------------------------- formats


def test_default_format_off_a_terminal_is_tsv(run: Run) -> None:
    result = run("events", "--year", "2014", *MINI)
    header = "id\tstart\tend\tkind\tname\tcity\tcountry_name\thost_names"
    row = [
        "london-2014",
        "2014-12-10",
        "2014-12-11",
        "summit",
        "London Summit",
        "London",
        "United Kingdom",
        "Government of the United Kingdom",
    ]
    assert result == (0, lines(header, "\t".join(row)), "")


def test_no_headers(run: Run) -> None:
    result = run("events", "--year", "2014", "--fields", "id,city", "--no-headers", *MINI)
    assert result.out == "london-2014\tLondon\n"


def test_format_csv(run: Run) -> None:
    result = run("funding", "--donor", "norway", "--format", "csv", *MINI)
    assert result.code == 0
    assert list(csv.reader(io.StringIO(result.out))) == [
        list(query.FUNDING_COLUMNS),
        [
            "norway-fund-2015",
            "2015-11-16",
            "Government of Norway",
            "Global Child Fund",
            "funding",
            "committed",
            "30000000",
            "NOK",
            "",
            "30000000",  # its own share of pledged, committed and paid money; granted
            "30000000",
            "0",
            "0",
            "",
        ],
    ]


@pytest.mark.parametrize("args", [("--json",), ("--format", "json"), ("--format", "JSON")])
def test_json_has_every_field_of_every_row(run: Run, mini: Dataset, args: tuple[str, ...]) -> None:
    rows = json_out(run("events", *args, *MINI))
    expected = [query.event_row(mini, e) for e in query.filter_events(mini)]
    assert rows == expected


@pytest.mark.parametrize("args", [("--jsonl",), ("--format", "jsonl")])
def test_jsonl_is_one_object_per_line(run: Run, mini: Dataset, args: tuple[str, ...]) -> None:
    result = run("pledges", *args, *MINI)
    assert result.code == 0
    lines = result.out.splitlines()
    assert len(lines) == len(mini.pledges)
    assert [json.loads(line)["id"] for line in lines] == [p.id for p in query.filter_pledges(mini)]


def test_format_yaml_round_trips_and_keeps_no_as_text(run: Run) -> None:
    result = run("events", "--country", "Norway", "--format", "yaml", *MINI)
    assert result.code == 0
    rows = yaml.safe_load(result.out)
    assert [r["id"] for r in rows] == ["oslo-2015"]
    assert rows[0]["country"] == "NO"


def test_amounts_are_json_numbers(run: Run) -> None:
    rows = json_out(run("funding", "--currency", "usd", "--json", *MINI))
    assert rows == [
        {
            **rows[0],  # type: ignore[index]
            "id": "acme-grant-2016",
            "amount": 1_000_000,
            "currency": "USD",
            "donor": "acme-corp",
            "donor_name": "Acmé Corporation",
        }
    ]


def test_json_of_nothing_is_an_empty_array(run: Run) -> None:
    assert run("events", "--year", "1990", "--json", *MINI) == (0, "[]\n", "")


def test_wpq_format_sets_the_default(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WPQ_FORMAT", "jsonl")
    result = run("events", "--year", "2014", *MINI)
    assert [json.loads(line)["id"] for line in result.out.splitlines()] == ["london-2014"]
    # an option wins over the variable
    assert run("events", "--year", "2014", "--format", "csv", "--fields", "id", *MINI).out == (
        "id\r\nlondon-2014\r\n"
    )


def test_wpq_format_unknown_is_a_usage_error(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WPQ_FORMAT", "xml")
    result = run("events", *MINI)
    assert result.code == 2
    assert "WPQ_FORMAT='xml'" in one_error_line(result)


@pytest.mark.parametrize(
    "args", [("--json", "--format", "csv"), ("--json", "--jsonl"), ("--jsonl", "--format", "tsv")]
)
def test_two_formats_are_a_usage_error(run: Run, args: tuple[str, ...]) -> None:
    result = run("events", *args, *MINI)
    assert result.code == 2
    assert "choose one output format" in one_error_line(result)


def test_same_format_twice_is_fine(run: Run) -> None:
    assert run("events", "--json", "--format", "json", *MINI).code == 0


def test_table_prints_data_literally(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "odd.yaml"
    data.write_text(
        dedent("""\
            sources:
              - {id: s, title: T, publisher: P}
            events:
              - id: odd
                name: "[bold]x[/bold] \\e[31mred"
                kind: launch
                start: "2030"
                sources: [s]
            """),
        encoding="utf-8",
    )
    result = run("events", "--data", str(data), "--no-bundled", "--format=table", "--color=never")
    assert result.code == 0
    assert "[bold]x[/bold] \\x1b[31mred" in result.out
    assert "\x1b" not in result.out


# ---------------------------------------------------------------- fields, sort, limit


def test_fields_pick_and_order_columns(run: Run) -> None:
    result = run("funding", "--donor", "home office", "--fields", "amount,id", *MINI)
    assert result.out == lines(
        "amount\tid",
        "40000000\tuk-tranche-fund",
        "2000000\thome-office-hotline-2019",
    )


def test_fields_apply_to_json_too(run: Run) -> None:
    rows = json_out(run("events", "--fields", "name, id", "--limit", "1", "--json", *MINI))
    assert rows == [{"name": "London Summit", "id": "london-2014"}]
    assert list(rows[0]) == ["name", "id"]  # type: ignore[index]


def test_fields_may_name_any_json_field(run: Run) -> None:
    # `summary` is not a default column, but it is a field of every event row
    result = run("events", "--year", "2016", "--fields", "id,summary", *MINI)
    assert result == (0, "id\tsummary\nfund-launch-2016\t\n", "")


def test_sort_and_desc(run: Run) -> None:
    # Amounts sort within each currency (currencies in order): NOK 30m is never put
    # between GBP 40m and GBP 10m.
    ids = run("funding", "--sort", "amount", "--desc", "--fields", "id", "--no-headers", *MINI)
    assert ids.out.split() == [
        "uk-fund-2014",
        "uk-tranche-fund",
        "uk-tranche-programme",
        "home-office-hotline-2019",
        "norway-fund-2015",
        "acme-grant-2016",
    ]
    up = run("funding", "--sort", "amount", "--fields", "id", "--no-headers", *MINI)
    assert up.out.split()[0] == "home-office-hotline-2019"


def test_amounts_sort_by_their_converted_value_with_in(run: Run) -> None:
    args = ("funding", "--in", "USD", "--sort", "amount", "--desc", *MINI)
    rows = json_out(run(*args, "--json"))
    converted = [r["converted_amount"] for r in rows]  # type: ignore[index]
    assert converted == sorted(converted, reverse=True)
    assert [r["id"] for r in rows][:2] == ["uk-fund-2014", "uk-tranche-fund"]  # type: ignore[index]
    table = run(*args, "--format", "table", "--color", "never")
    assert "(sorted by amount converted to USD)" in " ".join(table.out.split())
    within = run("funding", "--sort", "paid", "--format", "table", "--color", "never", *MINI)
    assert "(sorted by paid within each currency)" in " ".join(within.out.split())


def test_sort_puts_nulls_last(run: Run) -> None:
    rows = json_out(run("events", "--sort", "end", "--json", *MINI))
    ends = [r["end"] for r in rows]  # type: ignore[attr-defined]
    assert ends == ["2014-12-11", "2020-01-02", None, None]


def test_limit(run: Run) -> None:
    rows = json_out(run("events", "--limit", "2", "--json", *MINI))
    assert [r["id"] for r in rows] == ["london-2014", "oslo-2015"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("option", ["--fields", "--sort"])
def test_unknown_field_lists_the_valid_ones(run: Run, option: str) -> None:
    result = run("events", option, "nmae", *MINI)
    assert result.code == 2
    line = one_error_line(result)
    assert "unknown field 'nmae'" in line
    assert "did you mean 'name'?" in line
    assert "fields: id, name, kind, start" in line


def test_a_valid_field_stays_valid_when_nothing_matches(run: Run) -> None:
    assert run("events", "--year", "2016", "--fields", "summary", *MINI).code == 0
    assert run("events", "--year", "1990", "--fields", "summary", *MINI) == (0, "summary\n", "")


def test_summary_honours_fields_and_limit(run: Run) -> None:
    result = run("funding", "--summary", "--fields", "donor,paid", "--limit", "1", *MINI)
    assert result.out == "donor\tpaid\nacme-corp\t1000000\n"


def test_summary_limit_keeps_the_overall_totals(run: Run) -> None:
    whole = json_out(run("funding", "--summary", "--json", *MINI))
    cut = json_out(run("funding", "--summary", "--json", "--limit", "1", *MINI))
    assert cut["groups"] == whole["groups"][:1]  # type: ignore[index]
    for measure in ("pledged", "committed", "paid", "granted"):
        assert cut[measure] == whole[measure]  # type: ignore[index]


def test_with_sources_adds_citations(run: Run) -> None:
    rows = json_out(run("figures", "--about", "seven", "--with-sources", "--json", *MINI))
    assert rows[0]["citations"] == [  # type: ignore[index]
        {
            "id": "src-figures-b",
            "title": "Victims identified, report B",
            "author": None,
            "publisher": "Research Group B",
            "published": None,
            "url": None,
            "original_publisher": None,
            "original_published": None,
            "original_url": None,
        }
    ]


# ---------------------------------------------------------------- listings on the mini data


def test_funding_table_lists_tranches_under_the_parent_and_counts_them_once(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # wide enough that no id is folded
    result = run("funding", "--donor", "UK", "--format", "table", "--color", "never", *MINI)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[-2:] == [
        "GBP: pledged 52,000,000 · committed 50,000,000 · paid 50,000,000"
        " · not shown paid 2,000,000",
        "(2 tranches listed under their pledge, each at its own stage: every amount counted once)",
    ]
    firsts = [line.split("  ")[0] for line in lines[2:-2]]  # title and header above
    assert firsts == [
        "uk-fund-2014",
        "└ uk-tranche-programme",
        "└ uk-tranche-fund",
        "home-office-hotline-2019",
    ]


def test_funding_summary_json_has_the_design_shape(run: Run) -> None:
    summary = json_out(run("funding", "--summary", "--json", *MINI))
    assert isinstance(summary, dict)
    assert {"by", "groups", "pledged", "committed", "paid", "granted"} <= set(summary)
    assert "totals" not in summary and "given" not in summary  # replaced by the three measures
    for group in summary["groups"]:
        assert {"key", "name", "count", "counts", "pledged", "committed", "paid"} <= set(group)
        assert isinstance(group["count"], int)
        for total in group["pledged"] + group["committed"] + group["paid"]:
            assert set(total) == {"currency", "amount"}
            assert isinstance(total["amount"], int)
    by_group = [
        (g["key"], g["count"], *((t["currency"], t["amount"]) for m in ("pledged", "paid")
                                 for t in g[m]))
        for g in summary["groups"]
    ]  # fmt: skip
    assert by_group == [  # by the organisation on the record: the Home Office apart
        ("acme-corp", 1, ("USD", 1_000_000), ("USD", 1_000_000)),
        ("home-office", 2, ("GBP", 2_000_000), ("GBP", 40_000_000)),
        ("norway-gov", 1, ("NOK", 30_000_000), ("NOK", 0)),
        ("uk-gov", 2, ("GBP", 50_000_000), ("GBP", 10_000_000)),
    ]
    assert summary["pledged"] == [
        {"currency": "GBP", "amount": 52_000_000},
        {"currency": "NOK", "amount": 30_000_000},
        {"currency": "USD", "amount": 1_000_000},
    ]
    assert summary["paid"] == [
        {"currency": "GBP", "amount": 50_000_000},
        {"currency": "NOK", "amount": 0},
        {"currency": "USD", "amount": 1_000_000},
    ]


def test_funding_summary_by_year_tsv(run: Run) -> None:
    result = run("funding", "--summary", "--by", "year", "--currency", "GBP", *MINI)
    assert result.code == 0
    assert result.out == lines(
        "year\tcount\tcurrency\tpledged\tcommitted\tpaid\tgranted",
        "2014\t1\tGBP\t50000000\t0\t0\t0",  # pledged in 2014, paid in 2015 and 2017
        "2015\t1\tGBP\t0\t10000000\t10000000\t0",
        "2016\t1\tGBP\t0\t0\t0\t0",  # the tranche of 2016 reached its stage in 2017
        "2017\t0\tGBP\t0\t40000000\t40000000\t0",
        "2019\t1\tGBP\t2000000\t0\t0\t0",
    )


def test_total_rows_never_go_into_json_rows(run: Run) -> None:
    rows = json_out(run("funding", "--json", *MINI))
    assert all(r["id"] for r in rows)  # type: ignore[attr-defined]
    assert len(rows) == 6  # type: ignore[arg-type]


def test_pledges_by_uk_include_the_home_office(run: Run) -> None:
    result = run("pledges", "--pledger", "UK", "--fields", "id", "--no-headers", *MINI)
    assert "home-office-hotline-2019" in result.out.split()
    narrowed = run("pledges", "--pledger", "Home Office", "--fields", "id", "--no-headers", *MINI)
    assert narrowed.out.split() == ["uk-tranche-fund", "home-office-hotline-2019"]


def test_countries_region_filter(run: Run) -> None:
    result = run("countries", "--programme", "minip", "--region", "esa", "--fields=code", *MINI)
    assert result.out == "code\nKE\nNA\n"
    named = run("countries", "--region", "eastern and southern africa", "--fields=code", *MINI)
    assert named.out == result.out
    # a part of a name is never taken: the error names the region it could mean
    part = run("countries", "--region", "eastern", *MINI)
    assert part.code == 2 and "could mean esa (Eastern and Southern Africa)" in part.err


def test_figures_show_conflicts(run: Run) -> None:
    result = run("figures", "--about", "per day", "--fields", "id,conflicts_with", *MINI)
    assert result.out == lines(
        "id\tconflicts_with",
        "victims-per-day-a\tvictims-per-day-b",
        "victims-per-day-b\tvictims-per-day-a",
    )


# ---------------------------------------------------------------- exit codes and errors


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("events", "--year", "abc"), "--year"),
        (("events", "--format", "xml"), "--format"),
        (("events", "--limit", "-1"), "--limit"),
        (("events", "--nonsense"), "--nonsense"),
        (("events", "--color", "purple"), "--color"),
        (("nosuchcommand",), "nosuchcommand"),
    ],
)
def test_bad_option_value_is_one_line_and_exit_2(
    run: Run, args: tuple[str, ...], words: str
) -> None:
    result = run(*args, *MINI)
    assert result.code == 2
    assert words in one_error_line(result)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("funding", "--donor", "Narnia"), "unknown donor 'Narnia'"),
        (("funding", "--donor", "global"), "could mean any of 2: child-fund"),
        (("events", "--host", "Atlantis"), "unknown host"),
        (("countries", "--programme", "nope"), "unknown programme"),
        (("funding", "--summary", "--by", "colour"), "unknown grouping"),
    ],
)
def test_unknown_or_ambiguous_name_is_exit_2(run: Run, args: tuple[str, ...], words: str) -> None:
    result = run(*args, *MINI)
    assert result.code == 2
    assert words in one_error_line(result)


def test_exit_status_4_when_nothing_matches(run: Run) -> None:
    assert run("events", "--year", "1990", "-e", *MINI) == (
        4,
        "id\tstart\tend\tkind\tname\tcity\tcountry_name\thost_names\n",
        "",
    )
    assert run("events", "--year", "1990", "--exit-status", "--json", *MINI) == (4, "[]\n", "")


def test_exit_status_0_when_something_matches(run: Run) -> None:
    assert run("events", "--year", "2014", "-e", *MINI).code == 0


def test_nothing_matching_without_e_is_success(run: Run) -> None:
    assert run("events", "--year", "1990", *MINI).code == 0


def test_summary_with_e_and_no_groups(run: Run) -> None:
    result = run("funding", "--summary", "--currency", "EUR", "-e", "--json", *MINI)
    assert result.code == 4
    summary = json.loads(result.out)
    assert (summary["groups"], summary["paid"]) == ([], [])


def test_invalid_data_file_is_exit_1_with_position(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = dedent("""\
        sources:
          - {id: s, title: T, publisher: P}
        events:
          - id: e
            name: E
            kind: launch
            start: "2030"
            yaer: 2030
            sources: [s]
        """)
    bad.write_text(text, encoding="utf-8")
    line_no = text.splitlines().index("    yaer: 2030") + 1
    result = run("events", "--data", str(bad), "--no-bundled")
    assert result.code == 1
    assert result.out == ""
    line = one_error_line(result)
    assert line.startswith(f"wpq: {bad}:{line_no}:5: ")
    assert "unknown field 'yaer'" in line


def test_every_problem_is_reported_one_per_line(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "events:\n"
        "  - id: Bad Id\n    name: E\n    kind: party\n    start: '2030'\n    sources: [nope]\n",
        encoding="utf-8",
    )
    result = run("events", "--data", str(bad), "--no-bundled")
    assert result.code == 1
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) >= 2
    assert all(re.match(rf"wpq: {re.escape(str(bad))}:\d+:\d+: ", line) for line in lines)


def test_missing_data_path_is_exit_1(run: Run, tmp_path: Path) -> None:
    result = run("events", "--data", str(tmp_path / "nope.yaml"), "--no-bundled")
    assert result.code == 1
    assert "no such file" in one_error_line(result)


def test_duplicate_id_names_both_places(run: Run, tmp_path: Path) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text("sources:\n  - id: src-oslo\n    title: T\n    publisher: P\n")
    result = run("events", "--data", str(MINI_DIR), "--data", str(extra), "--no-bundled")
    assert result.code == 1
    line = one_error_line(result)
    assert "duplicate id 'src-oslo'" in line
    assert "sources.yaml" in line
    assert str(extra) in line


def test_no_bundled_without_data_is_a_usage_error(run: Run) -> None:
    result = run("events", "--no-bundled")
    assert result.code == 2
    assert "--no-bundled" in one_error_line(result)


def test_wpq_debug_shows_the_traceback_and_keeps_the_exit_status(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    quiet = run("funding", "--donor", "Narnia", *MINI)
    monkeypatch.setenv("WPQ_DEBUG", "1")
    loud = run("funding", "--donor", "Narnia", *MINI)
    assert quiet.code == loud.code == 2
    assert "Traceback" in loud.err and "UsageError" in loud.err
    assert loud.err.splitlines()[-1] == quiet.err.strip()


# ---------------------------------------------------------------- where data comes from


def test_wpq_data_is_read(run: Run, monkeypatch: pytest.MonkeyPatch, mini: Dataset) -> None:
    monkeypatch.setenv("WPQ_DATA", str(MINI_DIR))
    rows = json_out(run("events", "--no-bundled", "--json"))
    assert [r["id"] for r in rows] == [e.id for e in query.filter_events(mini)]  # type: ignore[attr-defined]


def test_wpq_data_holds_several_paths(
    run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    extra = tmp_path / "extra.yaml"
    extra.write_text(
        "events:\n  - id: later\n    name: Later\n    kind: launch\n    start: '2031'\n"
        "    sources: [src-oslo]\n"
    )
    monkeypatch.setenv("WPQ_DATA", os.pathsep.join([str(MINI_DIR), str(extra)]))
    rows = json_out(run("events", "--no-bundled", "--year", "2031", "--json"))
    assert [r["id"] for r in rows] == ["later"]  # type: ignore[attr-defined]


def test_data_option_overrides_wpq_data(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WPQ_DATA", "/nonexistent/wpq-data")
    # WPQ_DATA alone is read (and fails) ...
    assert run("events", "--no-bundled").code == 1
    # ... but --data replaces it
    assert run("events", *MINI).code == 0


def test_user_data_is_merged_with_the_bundled_data(
    run: Run, tmp_path: Path, bundled: Dataset
) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(
        "sources:\n  - id: my-test-source\n    title: Mine\n    publisher: Me\n"
        "events:\n  - id: my-test-launch\n    name: My launch\n    kind: launch\n"
        "    start: '2099'\n    sources: [my-test-source]\n"
    )
    rows = json_out(run("events", "--data", str(mine), "--json"))
    assert len(rows) == len(bundled.events) + 1  # type: ignore[arg-type]
    assert rows[-1]["id"] == "my-test-launch"  # type: ignore[index]


# ---------------------------------------------------------------- version, entry points, pipes


def test_version(run: Run) -> None:
    assert run("--version") == (0, f"wpq {wpq.__version__}\n", "")


def test_no_arguments_prints_help(run: Run) -> None:
    result = run()
    assert result.code == 0
    assert "events" in result.out
    assert "funding" in result.out


def test_python_m_wpq_version() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "wpq", "--version"],
        capture_output=True,
        text=True,
        env=clean_env(),
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (
        0,
        f"wpq {wpq.__version__}\n",
        "",
    )


def big_data(tmp_path: Path, count: int) -> Path:
    """A data file whose --jsonl output is far bigger than a pipe's buffer."""
    lines = ["sources:", "  - id: s", "    title: T", "    publisher: P", "organisations:"]
    lines += ["  - id: donor", "    name: Donor", "    kind: fund", "pledges:"]
    for index in range(count):
        lines += [
            f"  - id: p{index}",
            "    by: donor",
            "    kind: commitment",
            "    date: '2020'",
            f"    summary: {'A long enough summary to fill the pipe. ' * 4}",
            "    sources: [s]",
        ]
    path = tmp_path / "big.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_a_reader_that_goes_away_ends_the_output_quietly(tmp_path: Path) -> None:
    data = big_data(tmp_path, 600)
    assert len(load_dataset([data], bundled=False).pledges) == 600
    proc = subprocess.Popen(
        [sys.executable, "-m", "wpq", "pledges", "--jsonl", "--data", str(data), "--no-bundled"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=clean_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(1) == b"{"
    proc.stdout.close()  # like `| head -c1`: the rest cannot be written
    err = proc.stderr.read().decode()
    proc.stderr.close()
    assert proc.wait() == 0
    assert err == ""


def test_a_pipe_closed_before_the_first_write_is_quiet() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read: the first write fails
    try:
        result = subprocess.run(
            [sys.executable, "-m", "wpq", "pledges", "--jsonl", *MINI],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=clean_env(),
            check=False,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 0
    assert result.stderr.decode() == ""
