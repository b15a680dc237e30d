"""``wpq show`` on a terminal: a card of labelled fields, references by name, lists as
lists, sources with title, publisher, date and a whole URL on its own line (a terminal
hyperlink where colour is on); never markup, never a raw control character."""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import dedent
from typing import Any

import pytest
from conftest import MINI, Result


def card(run: Any, monkeypatch: pytest.MonkeyPatch, *args: str, width: int = 80) -> Result:
    monkeypatch.setenv("COLUMNS", str(width))
    result: Result = run("show", *args, "--format", "table", "--color", "never")
    assert result.code == 0, result.err
    return result


def test_a_card_labels_fields_and_names_references(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = card(run, monkeypatch, "uk-tranche-fund", *MINI).out.splitlines()
    assert lines[0] == "pledges/uk-tranche-fund"
    spaced = [" ".join(line.split()) for line in lines]  # labels pad to the longest
    assert "By Home Office (home-office)" in spaced
    assert "To Global Child Fund (child-fund)" in spaced
    assert "Amount 40,000,000 GBP" in spaced  # the currency beside the amount, not its own row
    assert "Part of Government of the United Kingdom, 50,000,000 GBP, 2014-12" in spaced
    assert "Stage paid" in spaced and "Stage date 2017" in spaced
    assert not any(line.startswith(("Currency", "Id ", "Sources ")) for line in lines)


def test_a_card_lists_lists_one_item_a_line(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    out = card(run, monkeypatch, "uk-gov", *MINI).out
    assert "Aliases  • UK\n         • United Kingdom\n" in out


def test_a_card_cites_each_source_with_its_url_whole_on_its_own_line(
    run: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url = "https://example.org/" + "a-very-long-path/" * 8 + "end"
    data = tmp_path / "long.yaml"
    data.write_text(
        dedent(f"""\
            sources:
              - {{id: s, title: A title, publisher: A publisher, published: "2020", url: {url}}}
            events:
              - {{id: e, name: E, kind: launch, start: "2020", sources: [s]}}
            """),
        encoding="utf-8",
    )
    lines = card(run, monkeypatch, "e", "--data", str(data), "--no-bundled", width=60).out
    assert "  • A title · A publisher · 2020  [s]\n" in lines
    assert f"\n    {url}\n" in lines  # longer than the terminal, and still not broken


def test_urls_are_terminal_hyperlinks_when_colour_is_on(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    out = run("show", "uk-fund-2014", *MINI, "--format", "table", "--color", "always").out
    assert ";https://example.org/london\x1b\\" in out  # OSC 8: ESC ] 8 ; params ; URL ST
    plain = run("show", "uk-fund-2014", *MINI, "--format", "table", "--color", "never").out
    assert "\x1b" not in plain and "https://example.org/london" in plain


def test_a_card_prints_data_literally(
    run: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data = tmp_path / "odd.yaml"
    data.write_text(
        dedent("""\
            sources:
              - {id: s, title: "[reverse]T\\e]0;x\\a", publisher: P, url: "https://x/\\e]8;;"}
            events:
              - id: odd
                name: "[bold]x[/bold] \\e[31mred"
                kind: launch
                start: "2030"
                aliases: ["[link=https://evil]a[/link]"]
                sources: [s]
            """),
        encoding="utf-8",
    )
    monkeypatch.setenv("COLUMNS", "100")
    args = ("show", "odd", "--data", str(data), "--no-bundled", "--format", "table")
    plain = run(*args, "--color", "never").out
    assert "[bold]x[/bold] \\x1b[31mred" in plain
    assert "[link=https://evil]a[/link]" in plain
    assert "[reverse]T\\x1b]0;x\\x07" in plain
    assert "\x1b" not in plain and "\x07" not in plain
    coloured = run(*args, "--color", "always").out
    assert "evil" not in coloured.replace("[link=https://evil]", "")  # no link made of data
    assert "https://x/\x1b" not in coloured  # a URL holding escapes is shown, never linked


def test_the_json_of_show_is_unchanged_by_the_card(run: Any) -> None:
    shown = json.loads(run("show", "uk-tranche-fund", *MINI, "--json").out)
    assert list(shown)[:5] == ["collection", "id", "record", "sources", "referenced_by"]
    assert shown["record"]["by"] == "home-office"
