"""Options are honoured or refused, never silently ignored: combinations that cannot apply
to the output chosen are usage errors (exit 2, one line), options that ask for a table
draw one even when piped, shorthands mean their format, one value given twice is refused.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import MINI

REFUSED = [
    (("funding", "--chart", "--json"), "--chart"),
    (("funding", "--chart", "--format", "csv"), "--chart"),
    (("funding", "--chart", "--fields", "key"), "--fields"),
    (("funding", "--chart", "--no-headers"), "--no-headers"),
    (("funding", "--by", "year", "--with-sources"), "--with-sources"),
    (("funding", "--summary", "--with-sources"), "--with-sources"),
    (("funding", "--desc"), "--desc"),
    (("events", "--desc"), "--desc"),
    (("events", "--wide", "--json"), "--wide"),
    (("events", "--wide", "--csv"), "--wide"),
    (("summary", "--wide", "--format", "yaml"), "--wide"),
    (("events", "--json", "--no-headers"), "--no-headers"),
    (("summary", "--json", "--no-headers"), "--no-headers"),
    (("show", "uk", "--format", "table", "--no-headers"), "--no-headers"),
    (("events", "--color", "always"), "--color always"),  # piped: tsv
    (("events", "--color", "always", "--json"), "--color always"),
    (("events", "--csv", "--json"), "choose one output format"),
    (("events", "--tsv", "--format", "csv"), "choose one output format"),
    (("events", "--from", "2014", "--from", "2015"), "--from given twice"),
    (("events", "--format", "json", "--format=csv"), "--format given twice"),
    (("funding", "--by", "donor", "--by", "year"), "--by given twice"),
    (
        ("show", "uk", "--collection", "countries", "--collection", "events"),
        "--collection given twice",
    ),
]


@pytest.mark.parametrize(("args", "named"), REFUSED, ids=[" ".join(a) for a, _ in REFUSED])
def test_an_option_that_cannot_apply_is_refused(
    run: Any, args: tuple[str, ...], named: str
) -> None:
    result = run(*args)
    assert (result.code, result.out) == (2, "")
    assert len(result.err.splitlines()) == 1 and named in result.err, result.err


@pytest.mark.parametrize(
    "args",
    [
        ("events", "--year", "2015", "--year", "2015"),  # the same value twice: one value
        ("events", "--year", "2014", "--year", "2015"),  # a repeatable filter: either year
        ("funding", "--donor", "UK", "--donor", "Japan"),  # a filter that takes several
        ("events", "--sort", "start", "--desc"),
        ("events", "--color", "never", "--json"),
        ("events", "--no-headers"),
        ("funding", "--with-sources", "--fields", "id"),
    ],
)
def test_what_can_apply_is_taken(run: Any, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert (result.code, result.err) == (0, "")
    assert result.out


def test_csv_and_tsv_are_shorthands(run: Any) -> None:
    assert run("events", "--csv", *MINI).out == run("events", "--format", "csv", *MINI).out
    assert run("events", "--tsv", *MINI).out == run("events", "--format", "tsv", *MINI).out
    assert run("summary", "--csv", *MINI).out == run("summary", "--format", "csv", *MINI).out
    assert run("events", "--csv", *MINI).out.startswith("id,start,")


def test_wide_and_chart_draw_when_piped(run: Any) -> None:
    wide = run("events", "--wide", *MINI).out
    assert wide.startswith("Events\nID ") and "\t" not in wide
    chart = run("funding", "--chart", *MINI).out
    assert "█" in chart and "\t" not in chart


def test_a_chart_draws_the_groups_sort_and_limit_leave(run: Any) -> None:
    every = run("funding", "--chart", "--color", "never", *MINI).out
    two = run("funding", "--chart", "--sort", "name", "--limit", "1", *MINI).out
    assert every.count("█") > two.count("█") > 0
    groups = [line for line in two.splitlines() if "█" in line and not line.startswith(" ")]
    assert len(groups) == 1  # a group's first bar carries its label, its other measures none


def test_no_headers_leaves_a_table_s_header_out(run: Any) -> None:
    table = run("events", "--format", "table", *MINI).out.splitlines()
    bare = run("events", "--format", "table", "--no-headers", *MINI).out.splitlines()
    assert table[1].startswith("ID ") and bare == [table[0], *table[2:]]


def test_with_sources_shows_citations_whatever_fields_pick(run: Any) -> None:
    out = run("events", "--with-sources", "--fields", "id", *MINI).out.splitlines()
    assert out[0] == "id\tsources\tcitations"  # the ids, and a readable reference each
    timeline = run("timeline", "--with-sources", "--format", "table", "--wide", *MINI).out
    assert "CITATIONS" in timeline.splitlines()[1]
