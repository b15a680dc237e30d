"""Each listing's columns, declared once (``render/columns.py``): the columns that answer
its question stay at 80 columns, organisations go by their short names before a column
is dropped, ``--wide`` shows every column whole on one line a row, numbers read as
amounts do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI
from rich.cells import cell_len

from wpq.questions.listings import listing_fields
from wpq.questions.money import CONVERSION_COLUMNS
from wpq.render.columns import LISTINGS

# At 80 columns, the headers that answer each listing's question (issue 23, item 2).
ANSWERS = {
    ("events",): ["ID", "START", "NAME", "HOSTS"],
    ("funding",): ["ID", "DATE", "TO", "AMOUNT"],
    # the stage outlasts the donor, who is in the question (DESIGN §5: which stage)
    ("funding", "--donor", "UK"): ["ID", "DATE", "TO", "AMOUNT", "STAGE"],
    ("figures",): ["ID", "VALUE", "UNIT"],
    ("timeline",): ["DATE", "ID", "WHAT"],
    ("pledges",): ["ID", "BY", "SUMMARY"],
    ("organisations",): ["ID", "NAME", "ROLES"],
    ("programmes",): ["ID", "NAME", "LEAD"],
}


def table(run: Any, monkeypatch: pytest.MonkeyPatch, width: int, *args: str) -> list[str]:
    monkeypatch.setenv("COLUMNS", str(width))
    result = run(*args, "--format", "table", "--color", "never")
    assert (result.code, result.err) == (0, "")
    return list(result.out.splitlines())


@pytest.mark.parametrize("args", ANSWERS, ids=" ".join)
def test_the_columns_that_answer_the_question_stay_at_80(
    run: Any, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...]
) -> None:
    header = table(run, monkeypatch, 80, *args)[1].split()
    assert [h for h in ANSWERS[args] if h not in header] == []


def test_every_table_column_is_a_field_of_its_listing() -> None:
    for name, declared in LISTINGS.items():
        known = {*listing_fields(name), *declared.fields, *CONVERSION_COLUMNS}
        if listing_fields(name):  # the summary's sections are not listings of records
            missing = [c.key for c in declared.table if c.key not in known and c.key != "stage"]
            assert missing == [], name
        assert declared.table[0].priority == 0, name


def test_short_names_before_a_column_goes_and_full_names_when_they_fit(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    narrow = "\n".join(table(run, monkeypatch, 110, "funding", "--donor", "UK"))
    assert "UK Government" in narrow and "DFID" in narrow
    assert "Government of the United Kingdom" not in narrow
    roomy = "\n".join(table(run, monkeypatch, 250, "funding", "--donor", "UK"))
    assert "Government of the United Kingdom" in roomy and "DFID" not in roomy
    wide = "\n".join(table(run, monkeypatch, 80, "funding", "--donor", "UK", "--wide"))
    assert "Department for International Development" in wide


def test_wide_shows_every_column_whole_one_line_a_row(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = json.loads(run("events", "--json").out)
    lines = table(run, monkeypatch, 80, "events", "--wide")
    assert lines[1].split() == ["ID", "START", "END", "KIND", "NAME", "CITY", "COUNTRY", "HOSTS"]
    assert len(lines) == 2 + len(events)  # title, header, a line a row: nothing wrapped
    assert "…" not in "\n".join(lines) and max(map(cell_len, lines)) > 80
    for line, event in zip(lines[2:], events, strict=True):
        assert line.startswith(event["id"] + " ") and event["name"] in line


def test_numbers_a_layout_does_not_declare_read_as_amounts(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = table(run, monkeypatch, 100, "funding", "--fields", "id,pledged", *MINI)
    header, first = lines[1], lines[2]
    assert first.endswith("50,000,000")  # thousands separated
    assert len(first) == len(header.rstrip()) and header.endswith("PLEDGED")  # right-aligned


def test_a_short_name_is_one_of_the_organisation_s_names(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "organisations:\n"
        "  - id: my-org\n    name: Ministry of Examples\n    short_name: MoX\n"
        "    kind: government\n"
        "  - id: my-other\n    name: Bureau of Tests\n    short_name: BoT\n    aliases: [BOT]\n"
        "    kind: government\n",
        encoding="utf-8",
    )
    result = run("validate", str(path))
    assert result.code == 1
    assert result.err == (
        f"wpq: {path}:4:17: organisations[0].short_name: short name 'MoX' is not one of "
        "its names (add it to 'aliases')\n"
    )


def test_a_narrow_column_comes_back_where_a_wide_one_gave_way() -> None:
    from wpq.render.layout import Col, fitting

    cols = [Col("a", "A", "id", 0), Col("b", "B", priority=1), Col("c", "C", priority=2)]
    assert fitting(cols, [10, 30, 5], 20) == ([0, 2], True)  # b does not fit; c does
    assert fitting(cols, [10, 30, 5], 16) == ([0], True)
    unit = [*cols[:2], Col("c", "C", priority=2, beside="b")]
    assert fitting(unit, [10, 30, 5], 20) == ([0], True)  # a unit without its value: no
    assert fitting(unit, [10, 8, 5], 30) == ([0, 1, 2], True)
