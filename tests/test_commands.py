"""The command surface of issue 11 (and 15, item 11): options that conflict, filters with
several values, organisations and programmes, show by name, piped summary, search, pledges
by several parties."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI, Result

from wpq import query
from wpq.model import Dataset
from wpq.questions import names

Run = Callable[..., Result]


def one_error_line(result: Result, code: int = 2) -> str:
    """The one ``wpq: …`` line of an expected error, with nothing on stdout."""
    assert result.code == code, result
    assert result.out == ""
    lines = result.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("wpq: "), result.err
    return lines[0]


def json_rows(result: Result) -> Any:
    assert result.code == 0, result.err
    return json.loads(result.out)


def ids(rows: list[dict[str, Any]]) -> list[str]:
    return [row["id"] for row in rows]


# ---------------------------------------------------------------- options that conflict


@pytest.mark.parametrize("command", ["events", "timeline"])
def test_a_reversed_range_is_a_usage_error_naming_both_options(run: Run, command: str) -> None:
    line = one_error_line(run(command, "--from", "2020", "--to", "2015"))
    assert "--from 2020" in line and "--to 2015" in line


@pytest.mark.parametrize("other", ["--from", "--to"])
@pytest.mark.parametrize("command", ["events", "timeline"])
def test_year_with_a_range_is_a_usage_error(run: Run, command: str, other: str) -> None:
    line = one_error_line(run(command, "--year", "2015", other, "2010"))
    assert "--year" in line and other in line


def test_a_range_of_one_year_is_that_year(run: Run) -> None:
    one = run("events", "--from", "2015", "--to", "2015", "--json")
    assert json_rows(one) == json_rows(run("events", "--year", "2015", "--json"))


def test_by_implies_summary(run: Run) -> None:
    for by in query.GROUPINGS:
        implied = run("funding", "--by", by, "--json")
        assert implied.code == 0
        assert json.loads(implied.out) == json_rows(
            run("funding", "--summary", "--by", by, "--json")
        )
        assert json.loads(implied.out)["by"] == by


def test_an_unknown_currency_is_a_usage_error(run: Run) -> None:
    line = one_error_line(run("funding", "--currency", "XYZ"))
    assert "'XYZ'" in line


def test_a_currency_is_matched_in_any_case_and_an_unused_one_selects_nothing(run: Run) -> None:
    gbp = json_rows(run("funding", "--currency", "gbp", "--json"))
    assert gbp and all(row["currency"] == "GBP" for row in gbp)
    assert json_rows(run("funding", "--currency", "NOK", "--json")) == []


REFUSED = [("--sort", "nope"), ("--limit", "0"), ("-e",), ("--desc",), ("--with-sources",)]


@pytest.mark.parametrize(
    "command,option",
    [(("summary",), o) for o in [("--fields", "nope"), *REFUSED]]
    + [(("show", "uk-40m-fund-2016"), o) for o in REFUSED],
)
def test_options_a_document_cannot_honour_are_refused(
    run: Run, command: tuple[str, ...], option: tuple[str, ...]
) -> None:
    line = one_error_line(run(*command, *option))
    assert option[0] in line


def test_show_honours_fields(run: Run) -> None:
    result = run("show", "uk-40m-fund-2016", "--fields", "amount,currency")
    assert result.code == 0
    assert result.out.splitlines() == ["field\tvalue", "amount\t40000000", "currency\tGBP"]
    shown = json_rows(run("show", "uk-40m-fund-2016", "--fields", "amount", "--json"))
    assert shown["record"] == {"amount": 40000000}
    assert "did you mean 'note'" in one_error_line(run("show", "uk", "--fields", "nope"))


@pytest.mark.parametrize("blank", ["", " "])
@pytest.mark.parametrize(
    "command",
    [
        ("events", "--host"),
        ("funding", "--donor"),
        ("pledges", "--pledger"),
        ("events", "--kind"),
        ("funding", "--currency"),
        ("organisations", "--role"),
    ],
)
def test_a_blank_value_is_an_error_not_no_filter(
    run: Run, command: tuple[str, ...], blank: str
) -> None:
    assert "needs a" in one_error_line(run(*command, blank))


# ---------------------------------------------------------------- several values


def test_repeated_and_comma_separated_kinds_mean_any(run: Run) -> None:
    summits = ids(json_rows(run("events", "--kind", "summit", "--json")))
    forums = ids(json_rows(run("events", "--kind", "forum", "--json")))
    assert summits and forums
    both = ids(json_rows(run("events", "--kind", "summit", "--kind", "forum", "--json")))
    assert sorted(both) == sorted(summits + forums)
    assert ids(json_rows(run("events", "--kind", "summit,forum", "--json"))) == both


def test_repeated_names_mean_any(run: Run) -> None:
    uk = ids(json_rows(run("funding", *MINI, "--donor", "UK", "--json")))
    norway = ids(json_rows(run("funding", *MINI, "--donor", "Norway", "--json")))
    both = json_rows(run("funding", *MINI, "--donor", "UK", "--donor", "Norway", "--json"))
    assert sorted(ids(both)) == sorted(uk + norway)


def test_a_name_with_a_comma_is_one_name(run: Run) -> None:
    rows = json_rows(
        run("events", "--host", "Prime Minister's Office, 10 Downing Street", "--json")
    )
    assert all("uk-prime-ministers-office" in row["hosts"] for row in rows)


def test_several_regions_and_timeline_kinds(run: Run, bundled: Dataset) -> None:
    rows = json_rows(run("countries", "--region", "ecaro", "--region", "South Asia", "--json"))
    assert {row["region"] for row in rows} == {"ecaro", "rosa"}
    timeline = json_rows(run("timeline", "--kind", "summit,funding", "--json"))
    assert {row["kind"] for row in timeline} == {"summit", "funding"}


# ---------------------------------------------------------------- discovery


def test_organisations_lists_each_with_what_it_did(run: Run, bundled: Dataset) -> None:
    rows = json_rows(run("organisations", "--json"))
    assert ids(rows) == [o.id for o in bundled.organisations]
    by_id = {row["id"]: row for row in rows}
    for pledge in bundled.pledges:
        for party in (pledge.by, *pledge.with_):
            assert pledge.id in by_id[party]["pledges"]
    for event in bundled.events:
        for host in event.hosts:
            assert event.id in by_id[host]["hosted"] and "host" in by_id[host]["roles"]
    for programme in bundled.programmes:
        assert programme.id in by_id[programme.lead]["leads"]


def test_organisations_by_role_and_kind(run: Run, bundled: Dataset) -> None:
    donors = ids(json_rows(run("organisations", "--role", "donor", "--json")))
    assert set(donors) == names.organisation_roles(bundled)["donor"]
    money = {p.by for p in bundled.pledges if p.amount is not None}
    assert money <= set(donors)
    companies = json_rows(run("organisations", "--kind", "company", "--role", "host", "--json"))
    assert companies and all(r["kind"] == "company" and "host" in r["roles"] for r in companies)
    assert "role" in one_error_line(run("organisations", "--role", "nope"))


def test_programmes_by_country(run: Run, bundled: Dataset) -> None:
    rows = json_rows(run("programmes", "--country", "Philippines", "--json"))
    expected = [p.id for p in bundled.programmes if any(c.country == "PH" for c in p.countries)]
    assert ids(rows) == expected and expected
    for row in rows:
        assert row["country_count"] == len(row["countries"])
        assert row["lead_name"]


@pytest.mark.parametrize(
    "name,collection,key",
    [
        ("uk", "organisations", "uk-government"),
        ("Philippines", "countries", "PH"),
        ("United Kingdom", "organisations", "uk-government"),
        ("LEAP", "programmes", "leap-2016"),
    ],
)
def test_show_takes_a_name_or_alias(run: Run, name: str, collection: str, key: str) -> None:
    shown = json_rows(run("show", name, "--json"))
    assert (shown["collection"], shown["id"]) == (collection, key)


def test_show_a_name_in_another_collection(run: Run) -> None:
    shown = json_rows(run("show", "uk", "--collection", "countries", "--json"))
    assert (shown["collection"], shown["id"]) == ("countries", "GB")


def test_show_an_unknown_name_lists_the_closest(run: Run) -> None:
    line = one_error_line(run("show", "Philipines"))
    assert "did you mean countries/PH (Philippines)" in line


def test_an_unknown_donor_is_answered_from_the_donors(run: Run, bundled: Dataset) -> None:
    line = one_error_line(run("funding", "--donor", "Zzyzx Trust"))
    donors = names.organisation_roles(bundled)["donor"]
    assert "and 60 more" not in line
    assert all(d in line for d in donors)
    assert "microsoft" not in line  # an organisation, but no donor


# ---------------------------------------------------------------- piped output


def blocks(text: str, separator: str = "\n\n") -> list[list[str]]:
    return [block.splitlines() for block in text.rstrip("\n").split(separator)]


def test_piped_summary_prints_every_section(run: Run) -> None:
    summary = json_rows(run("summary", "--json"))
    result = run("summary")
    assert result.code == 0
    counts, money, years, programmes = blocks(result.out)
    assert counts[0] == "collection\tcount"
    assert dict(line.split("\t") for line in counts[1:]) == {
        k: str(v) for k, v in summary["counts"].items()
    }
    assert money[0].split("\t")[:2] == ["donor", "donor_name"]
    header = money[0].split("\t")
    shown = [dict(zip(header, line.split("\t"), strict=True)) for line in money[1:]]
    for measure in ("pledged", "committed", "paid"):
        totals = {
            (g["key"], t["currency"], t["amount"])
            for g in summary["funding"]["groups"]
            for t in g[measure]
        }
        assert totals <= {(r["donor"], r["currency"], int(r[measure])) for r in shown}
    assert years[0] == "year\tevents\tkinds"
    assert [int(line.split("\t")[1]) for line in years[1:]] == [
        y["count"] for y in summary["events_by_year"]
    ]
    assert programmes[0].split("\t")[0] == "programme"
    assert [line.split("\t")[0] for line in programmes[1:]] == [
        p["id"] for p in summary["programmes"]
    ]


def test_summary_as_csv_has_the_same_blocks(run: Run) -> None:
    result = run("summary", "--format", "csv")
    parts = result.out.split("\r\n\r\n")
    assert len(parts) == 4
    first = list(csv.reader(io.StringIO(parts[0])))
    assert first[0] == ["collection", "count"]
    assert len(blocks(run("summary", "--no-headers").out)[0]) == len(first) - 1


def test_search_ranks_what_happened_before_what_was_said(run: Run) -> None:
    rows = json_rows(run("search", "Abu Dhabi", "--json"))
    order = [row["collection"] for row in rows]
    assert order.index("events") < order.index("sources")
    ranks = [query.SEARCH_ORDER.index(c) for c in order]
    assert ranks == sorted(ranks)
    events = [r for r in rows if r["collection"] == "events"]
    assert events[0]["field"] == "name"  # a hit in the name before a hit in the city


def test_search_matches_text_not_ids(run: Run, bundled: Dataset) -> None:
    # "uk-40m" is in the pledge's id and in ids that refer to it, in no text
    assert json_rows(run("search", "uk-40m", "--json")) == []
    for row in json_rows(run("search", "london", "--json")):
        assert "london" in row["text"].lower()
        assert row["field"].split(".")[0] not in ("id", "made_at", "sources", "hosts", "url")


# ---------------------------------------------------------------- several parties


def test_a_pledge_by_several_names_all_of_them(run: Run, bundled: Dataset) -> None:
    rows = json_rows(run("pledges", "--pledger", "microsoft", "--json"))
    assert rows
    for row in rows:
        assert "microsoft" in (row["by"], *row["with"])
        assert len(row["with_names"]) == len(row["with"])
        others = len(row["with"])
        if others:
            assert row["pledged_by"] == f"{row['by_name']} and {others} other" + (
                "s" if others > 1 else ""
            )
    piped = run("pledges", "--pledger", "microsoft").out.splitlines()
    header = piped[0].split("\t")
    assert "pledged_by" in header and "by_name" not in header
    cells = [line.split("\t")[header.index("pledged_by")] for line in piped[1:]]
    assert any(cell.endswith("others") for cell in cells)


# ---------------------------------------------------------------- data files


def test_a_null_key_is_named_as_such_at_its_place(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "null-key.yaml"
    path.write_text("pledges:\n  - id: x\n    ~: 1\n~:\n  - id: y\n")
    result = run("validate", str(path))
    assert result.code == 1
    problems = result.err.splitlines()
    assert not any("None" in line for line in problems)
    assert any(f"{path}:3:5:" in line and "no name" in line for line in problems)
    assert any(f"{path}:4:1:" in line and "no name" in line for line in problems)
