"""Tables on a terminal (``layout`` plans, ``table`` draws): one line a row, ids and amounts
whole, prose cut with an ellipsis, the least useful columns left out on a narrow terminal
and named, constant columns in the title, data never read as markup or sent raw."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pytest
from conftest import MINI, Result
from rich.cells import cell_len
from rich.console import Console

from wpq.render import layout
from wpq.render.columns import LISTINGS as DECLARED
from wpq.render.table import render_table, safe_text

WIDTHS = (60, 80, 120, 200)
# Each listing of item 1 of issue 11, with the field that is its key in `wpq show`.
LISTINGS = {
    "events": "id",
    "funding": "id",
    "pledges": "id",
    "countries": "code",
    "figures": "id",
    "sources": "id",
    "timeline": "id",
}


def drawn(rows: list[dict[str, Any]], listing: str, width: int = 100, **kwargs: Any) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, highlight=False)
    render_table(console, rows, listing, **kwargs)
    text: str = console.file.getvalue()  # type: ignore[attr-defined]
    return "".join(line.rstrip() + "\n" for line in text.splitlines())  # as capture() gives


def lines(*texts: str) -> str:
    return "".join(t + "\n" for t in texts)


def table(run: Any, monkeypatch: pytest.MonkeyPatch, width: int, *args: str) -> Result:
    monkeypatch.setenv("COLUMNS", str(width))
    result: Result = run(*args, "--format", "table", "--color", "never")
    assert result.code == 0, result.err
    return result


# ---------------------------------------------------------------- the figures of issue 11


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", LISTINGS)
def test_a_table_fits_reads_a_line_a_row_and_never_splits_an_id(
    run: Any, monkeypatch: pytest.MonkeyPatch, command: str, width: int
) -> None:
    rows = json.loads(run(command, "--json").out)
    out = table(run, monkeypatch, width, command).out.splitlines()
    assert max(cell_len(line) for line in out) <= width
    assert len(out) / len(rows) <= 2  # was 10 to 27 at 80 columns
    key = LISTINGS[command]
    if key.upper() in out[1].split():  # the timeline may leave its ids out on a narrow terminal
        tokens = {token for line in out for token in line.split()}
        assert [r[key] for r in rows if r[key] not in tokens] == []


@pytest.mark.parametrize("width", WIDTHS)
def test_the_key_column_comes_first_and_stays(
    run: Any, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    for command, key in LISTINGS.items():
        if command != "timeline":
            header = table(run, monkeypatch, width, command).out.splitlines()[1]
            assert header.split()[0] == key.upper(), command


# ---------------------------------------------------------------- columns


def test_narrow_terminals_drop_the_least_useful_columns_and_say_which(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    wide = table(run, monkeypatch, 250, "events").out.splitlines()
    assert wide[1].split() == ["ID", "START", "END", "KIND", "NAME", "CITY", "COUNTRY", "HOSTS"]
    narrow = table(run, monkeypatch, 60, "events").out.splitlines()
    shown = narrow[1].split()
    hidden = [c for c in wide[1].split() if c not in shown]
    assert shown[0] == "ID" and hidden, narrow[1]
    assert shown == [c for c in wide[1].split() if c in shown]  # in the table's order
    priority = {col.header.upper(): col.priority for col in DECLARED["events"].table}
    assert max(priority[c] for c in shown) < min(priority[c] for c in hidden)
    note = " ".join(narrow[-2:]) if not narrow[-1].startswith("Not shown") else narrow[-1]
    named = ", ".join(c.title() for c in hidden)
    assert note == f"Not shown at 60 columns: {named} (--wide shows all)"


def test_wide_shows_every_column_and_wraps_rather_than_cuts(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = table(run, monkeypatch, 120, "events", "--wide", *MINI).out
    assert out.splitlines()[1].split() == [
        "ID", "START", "END", "KIND", "NAME", "CITY", "COUNTRY", "HOSTS"
    ]  # fmt: skip
    assert "…" not in out and "Not shown" not in out
    events = json.loads(run("events", "--json", *MINI).out)
    words = set(out.split())
    assert all(set(e["name"].split()) <= words for e in events)


def test_prose_is_cut_with_an_ellipsis_on_the_row_s_own_line(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = table(run, monkeypatch, 60, "events").out.splitlines()
    events = json.loads(run("events", "--json").out)
    assert len(out) in (len(events) + 3, len(events) + 4)  # title, header, rows, the note
    header = out[1]
    start = header.index("NAME")
    cut = 0
    for line, event in zip(out[2:], events, strict=False):
        assert line.startswith(event["id"] + " ")
        cell = line[start:].split("  ")[0].rstrip()
        if cell != event["name"]:
            cut += 1
            assert cell.endswith("…") and event["name"].startswith(cell[:-1]), (cell, event)
    assert cut  # at 60 columns some names are too long to show whole


def test_a_constant_column_moves_to_the_title(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    out = table(run, monkeypatch, 120, "funding", "--donor", "UK").out.splitlines()
    assert out[0].startswith("Funding · ") and out[0].endswith(" · GBP")
    table_lines = [line for line in out[1:] if not line.startswith(("GBP:", "(", "Not shown"))]
    assert "GBP" not in "\n".join(table_lines)  # only in the footer's totals
    assert "CURRENCY" not in out[1] and "PART OF" not in out[1]  # the └ tree shows part_of
    countries = table(run, monkeypatch, 120, "countries", "--programme", "unicef").out
    title, header = countries.splitlines()[:2]
    assert title.startswith("Programme countries · UNICEF Global Programme")
    assert header.split() == ["CODE", "NAME", "REGION", "NOTES"]  # no programme, no iso3


def test_converted_amounts_take_one_column_and_the_title_names_the_currency(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = table(run, monkeypatch, 200, "funding", "--donor", "UK", "--in", "USD").out
    title, header = out.splitlines()[:2]
    assert title.startswith("Funding · ") and title.endswith(" · GBP · converted to USD")
    assert header.split()[:9] == [
        "ID", "DATE", "DONOR", "TO", "STAGE", "AMOUNT", "PERIOD", "CONVERTED", "RATE"
    ]  # fmt: skip


def test_references_show_names_not_ids(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    out = table(run, monkeypatch, 250, "pledges", "--event", "downing-street-2013").out
    assert out.splitlines()[0] == "Pledges · commitment · Internet Safety Summit"
    summary = table(run, monkeypatch, 250, "summary").out
    assert "ECPAT International" in summary  # the lead of Disrupting Harm, not its id
    assert re.search(r"^disrupting-harm-1 .* ECPAT International", summary, re.M)
    narrow = table(run, monkeypatch, 100, "summary").out  # too narrow for the full names
    assert re.search(r"^disrupting-harm-1 .* ECPAT  ", narrow, re.M)  # its short name


def test_a_pledge_by_several_names_the_others(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    out = table(run, monkeypatch, 200, "pledges", "--pledger", "microsoft").out
    assert re.search(r"^london-2014-browser-blocking .* Microsoft and 2 others ", out, re.M)


def test_fields_pick_the_columns_of_a_table(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    out = table(run, monkeypatch, 80, "funding", "--donor", "UK", "--fields", "amount,id", *MINI)
    lines = out.out.splitlines()
    assert lines[:4] == [
        "Funding",
        "      AMOUNT  ID",
        "  50,000,000  uk-fund-2014",
        "└ 10,000,000  uk-tranche-programme",  # tranches under their pledge, whatever is shown
    ]


# ---------------------------------------------------------------- narrow terminals lose nothing


@pytest.mark.parametrize("width", [8, 12, 20, 26, 28, 30])
def test_a_very_narrow_terminal_still_lists_every_row(
    run: Any, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    rows = json.loads(run("events", "--json").out)
    out = table(run, monkeypatch, width, "events").out.splitlines()
    note = max(i for i, line in enumerate(out) if line.startswith("Not"))
    body = "".join(out[2:note])  # ids folded at the edge join up again
    position = 0
    for row in rows:  # every id, in order
        position = body.index(row["id"], position) + len(row["id"])
    said = " ".join(out[note:])
    assert said.startswith(f"Not shown at {width} columns: Start, End, Kind, Name, City,")


@pytest.mark.parametrize("width", [20, 30, 60])
def test_show_and_summary_lose_no_words_on_a_narrow_terminal(
    run: Any, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    shown = json.loads(run("show", "uk-40m-fund-2016", "--json").out)
    card = table(run, monkeypatch, width, "show", "uk-40m-fund-2016").out
    words = card.split()
    for field in ("summary", "note"):
        assert [w for w in shown["record"][field].split() if w not in words] == []
    # each URL whole on a line of its own (a copy's marked as such after it)
    assert all(any(line.split()[:1] == [source["url"]] for line in card.splitlines())
               for source in shown["sources"])  # fmt: skip
    summary = json.loads(run("summary", "--json").out)
    text = table(run, monkeypatch, width, "summary").out
    joined = "".join(text.split())
    assert all(str(count) in joined for count in summary["counts"].values())
    assert all(p["id"] in joined for p in summary["programmes"])
    for measure in ("pledged", "committed", "paid"):  # the footer: never a column hidden
        totals = summary["funding"][measure]
        assert totals and all(f"{measure}{t['amount']:,}" in joined for t in totals)


# ---------------------------------------------------------------- empty results


@pytest.mark.parametrize(
    "args",
    [
        ("events", "--year", "1900"),
        ("funding", "--year", "1900"),
        ("funding", "--year", "1900", "--summary"),
        ("funding", "--year", "1900", "--summary", "--chart"),
        ("timeline", "--year", "1900"),
        ("pledges", "--year", "1900"),
    ],
)
def test_an_empty_result_draws_nothing(run: Any, args: tuple[str, ...]) -> None:
    result = run(*args, "--format", "table", "--color", "never")
    assert (result.code, result.out) == (0, "")
    assert run(*args, "--format", "table", "-e").code == 4


# ---------------------------------------------------------------- drawing, on a fixed console


def test_a_table_is_gh_style_and_prints_markup_literally() -> None:
    rows = [{"id": "x", "name": "[bold]x[/bold]", "amount": 1234567, "currency": "GBP"}]
    assert drawn(rows, "funding", fields=["id", "name", "amount"], title="Things") == lines(
        "Things",
        "ID  NAME               AMOUNT",
        "x   [bold]x[/bold]  1,234,567",
    )


def test_a_table_shows_escape_characters_escaped_never_raw() -> None:
    rows = [{"id": "a", "name": "red\x1b[31mtext\x07"}]
    out = drawn(rows, "events", fields=["id", "name"], footer=["Total: \x1b[2J"], title="T\x1b")
    assert "\x1b" not in out and "\x07" not in out
    assert out == lines("T\\x1b", "ID  NAME", "a   red\\x1b[31mtext\\x07", "Total: \\x1b[2J")


def test_control_and_bidi_characters_are_escaped() -> None:
    assert safe_text("a\u202eb\x9bc\x00") == "a\\u202eb\\x9bc\\x00"
    assert safe_text("plain [b]text[/b]") == "plain [b]text[/b]"


def test_tranches_sit_under_their_pledge() -> None:
    rows = [
        {"id": "parent", "amount": 50, "currency": "GBP", "part_of": None},
        {"id": "child", "amount": 10, "currency": "GBP", "part_of": "parent"},
    ]
    out = drawn(rows, "funding", depths=[0, 1], footer=["Total: GBP 50"], title="Funding")
    assert out == lines(
        "Funding · GBP", "ID       AMOUNT", "parent       50", "└ child      10", "Total: GBP 50"
    )


def test_a_table_of_no_rows_draws_nothing() -> None:
    assert drawn([], "events", title="Events") == ""


def test_links_go_only_to_safe_web_addresses() -> None:
    rows = [
        {"id": "ok", "title": "Fine", "publisher": "P", "url": "https://example.org/a"},
        {"id": "bad", "title": "Evil", "publisher": "P", "url": "https://x\x1b]8;;evil\x1b\\"},
    ]
    console = Console(file=io.StringIO(), width=200, color_system="truecolor", force_terminal=True)
    render_table(console, rows, "sources")
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "\x1b]8;id=" in out and ";https://example.org/a\x1b\\" in out
    assert "evil\x1b" not in out and out.count(";https://") == 2  # title and url of ok only


# ---------------------------------------------------------------- layout


def test_the_highest_priority_number_gives_way_first() -> None:
    cols = [layout.Col("a", "A", "id", 0), layout.Col("b", "B", priority=2),
            layout.Col("c", "C", priority=1)]  # fmt: skip
    assert layout.fitting(cols, [10, 10, 10], 34) == ([0, 1, 2], True)
    assert layout.fitting(cols, [10, 10, 10], 33) == ([0, 2], True)
    assert layout.fitting(cols, [10, 10, 10], 11) == ([0], True)
    assert layout.fitting(cols, [10, 10, 10], 9) == ([0], False)


def test_empty_columns_go_and_constant_ones_move_to_the_title() -> None:
    rows = [
        {"id": "a", "name": "x", "kind": "summit", "end": None, "country_name": "Italy"},
        {"id": "b", "name": "y", "kind": "summit", "end": None, "country_name": "Spain"},
    ]
    declared = DECLARED["events"].table
    columns, title = layout.listing_columns(declared, rows)
    assert [c.key for c in columns] == ["id", "name", "country_name"]
    assert title == ["summit"]
    every, nothing = layout.listing_columns(declared, rows, wide=True)
    assert [c.key for c in every] == ["id", "kind", "name", "country_name"] and nothing == []


def test_every_table_layout_puts_a_never_dropped_column_first() -> None:
    for name, declared in DECLARED.items():
        assert declared.table[0].priority == 0, name
