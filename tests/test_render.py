"""Renderers: rows -> text in each format, compared whole where practical."""

from __future__ import annotations

import csv
import io
import json
import re

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from wpq.errors import BEYOND_C0, BEYOND_C0_CHARS, UNPRINTABLE_CLASS, printable
from wpq.render import cells
from wpq.render import text as render
from wpq.render.text import Format

UNPRINTABLE = re.compile(UNPRINTABLE_CLASS)

PROPERTIES = settings(database=None, deadline=None, max_examples=100)

ROWS = [
    {"id": "a", "name": "Plain", "amount": 1500, "hosts": ["x", "y"], "end": None},
    {"id": "b", "name": "Tab\there", "amount": None, "hosts": [], "end": "2020"},
    {"id": "c", "name": "Two\nlines and a \\ backslash", "amount": 0, "hosts": ["z"], "end": None},
]
COLUMNS = ["id", "name", "amount", "hosts", "end"]


def lines(*texts: str) -> str:
    """Whole output, one argument per line."""
    return "".join(t + "\n" for t in texts)


def crlf(*texts: str) -> str:
    """CSV output: RFC 4180 line ends."""
    return "".join(t + "\r\n" for t in texts)


# ---------------------------------------------------------------- TSV


def test_tsv_has_a_header_and_escapes_tab_newline_backslash() -> None:
    assert render.render_tsv(ROWS, COLUMNS) == lines(
        "id\tname\tamount\thosts\tend",
        "a\tPlain\t1500\tx; y\t",
        "b\tTab\\there\t\t\t2020",
        "c\tTwo\\nlines and a \\\\ backslash\t0\tz\t",
    )


def test_tsv_no_headers() -> None:
    assert render.render_tsv(ROWS[:1], ["name", "id"], headers=False) == "Plain\ta\n"


def test_tsv_of_no_rows_is_the_header_alone() -> None:
    assert render.render_tsv([], ["id", "name"]) == "id\tname\n"
    assert render.render_tsv([], ["id", "name"], headers=False) == ""


def test_tsv_escapes_carriage_return() -> None:
    assert render.render_tsv([{"a": "x\ry"}], ["a"], headers=False) == "x\\ry\n"


def test_cell_text_of_nested_values() -> None:
    assert cells.cell_text(None) == ""
    assert cells.cell_text(True) == "true"
    assert cells.cell_text(["a", "b"]) == "a; b"
    assert cells.cell_text([{"what": "countries", "count": 3}]) == (
        '[{"what":"countries","count":3}]'
    )
    assert cells.cell_text({"k": 1}) == '{"k":1}'


def unescape_tsv(cell: str) -> str:
    """A TSV cell's text: its escapes (``\\t``, ``\\\\``, ``\\x1b``, ``\\u202e``) decoded."""
    return cell.encode("latin-1", "backslashreplace").decode("unicode_escape")


@given(st.lists(st.lists(st.text(), min_size=2, max_size=2), max_size=5))
@PROPERTIES
def test_tsv_lines_and_cells_survive_any_text(values: list[list[str]]) -> None:
    rows = [{"a": a, "b": b} for a, b in values]
    text = render.render_tsv(rows, ["a", "b"])
    written = text.split("\n")
    assert written[-1] == ""
    assert len(written) - 1 == len(rows) + 1  # header, one line per row
    assert not UNPRINTABLE.search(text.replace("\t", "").replace("\n", ""))
    for row, line in zip(rows, written[1:-1], strict=True):
        cells = line.split("\t")
        expected = [render.neutralise_formula(row["a"]), render.neutralise_formula(row["b"])]
        assert [unescape_tsv(c) for c in cells] == expected


def test_tsv_escapes_what_tables_escape_and_neutralises_formulas() -> None:
    rows = [
        {"a": "\x1b]0;x\x07\u202eevil\u200b", "n": -5},
        {"a": '=HYPERLINK("http://x")', "n": 1.5},
        {"a": "@SUM(A1)", "n": None},
        {"a": "-cmd", "n": 0},
    ]
    assert render.render_tsv(rows, ["a", "n"], headers=False) == lines(
        "\\x1b]0;x\\x07\\u202eevil\\u200b\t-5",
        '\'=HYPERLINK("http://x")\t1.5',
        "'@SUM(A1)\t",
        "'-cmd\t0",
    )


# ---------------------------------------------------------------- CSV


def test_csv_neutralises_formulas_and_leaves_numbers() -> None:
    rows = [
        {"text": "=1+1", "n": -5},
        {"text": "+44 20", "n": 3.5},
        {"text": "-cmd", "n": 0},
        {"text": "@SUM(A1)", "n": 12},
        {"text": "a=b", "n": None},
        {"text": "\tx", "n": True},
    ]
    assert render.render_csv(rows, ["text", "n"]) == crlf(
        "text,n",
        "'=1+1,-5",
        "'+44 20,3.5",
        "'-cmd,0",
        "'@SUM(A1),12",
        "a=b,",
        "'\\tx,true",
    )


def test_csv_quotes_commas_quotes_and_newlines() -> None:
    rows = [{"a": 'say "hi", then\nleave', "b": ["x", "y"]}]
    text = render.render_csv(rows, ["a", "b"], headers=False)
    assert text == '"say ""hi"", then\nleave",x; y\r\n'
    assert list(csv.reader(io.StringIO(text))) == [['say "hi", then\nleave', "x; y"]]


def test_csv_escapes_a_carriage_return_and_every_control_but_the_line_break() -> None:
    # a bare \r left unquoted would split the row in two for any CSV reader
    text = render.render_csv([{"a": "x\ry", "b": "z\x1b[2J\u202e"}], ["a", "b"], headers=False)
    assert list(csv.reader(io.StringIO(text, newline=""))) == [["x\\ry", "z\\x1b[2J\\u202e"]]


def test_csv_writes_a_nul_as_an_escape() -> None:
    assert render.render_csv([{"v": "a\x00b"}], ["v"], headers=False) == "a\\x00b\r\n"


def test_csv_no_headers_and_no_rows() -> None:
    assert render.render_csv([], ["a", "b"]) == "a,b\r\n"
    assert render.render_csv([], ["a", "b"], headers=False) == ""


@given(st.lists(st.text(), max_size=5))
@PROPERTIES
def test_csv_parses_back_to_the_neutralised_text(values: list[str]) -> None:
    rows = [{"v": v} for v in values]
    parsed = list(csv.reader(io.StringIO(render.render_csv(rows, ["v"]), newline="")))
    assert parsed[0] == ["v"]
    got = [r[0] if r else "" for r in parsed[1:]]
    assert got == [printable(render.neutralise_formula(v), keep_lines=True) for v in values]
    for cell in got:
        assert not cell.startswith(("=", "+", "-", "@"))
        assert not UNPRINTABLE.search(cell.replace("\n", ""))


# ---------------------------------------------------------------- JSON, JSONL, YAML


def test_json_of_no_rows_is_an_empty_array() -> None:
    assert render.render_json([]) == "[]\n"


def test_json_round_trips_and_keeps_types() -> None:
    rows = [
        {"id": "é", "amount": 50_000_000, "value": 33.3, "end": None, "hosts": ["x"], "ok": True},
        {"id": "b", "nested": {"a": [1, 2]}, "text": 'quote " and \\ and \n'},
    ]
    text = render.render_json(rows)
    assert text.endswith("\n")
    assert json.loads(text) == rows
    assert text.startswith("[\n  {\n")  # indented, one field per line


def test_jsonl_is_one_compact_object_per_line() -> None:
    rows = [{"id": "a", "text": "two\nlines"}, {"id": "b", "n": 1}]
    text = render.render_jsonl(rows)
    assert text == '{"id":"a","text":"two\\nlines"}\n{"id":"b","n":1}\n'
    assert [json.loads(line) for line in text.splitlines()] == rows
    assert render.render_jsonl([]) == ""


def test_yaml_round_trips_and_keeps_text_as_text() -> None:
    rows = [{"country": "NO", "start": "2015-11-16", "flag": "yes", "amount": 5, "end": None}]
    text = render.render_yaml(rows)
    assert yaml.safe_load(text) == rows
    assert render.render_yaml([]) == "[]\n"


def test_every_format_has_a_renderer() -> None:
    # table and the JSON-like formats are chosen by name in the CLI; the rest by this map;
    # the citation formats by commands/references.py (tests/test_cite.py runs each)
    handled = {Format.table, Format.json, Format.jsonl, Format.yaml, *render.PLAIN_RENDERERS}
    assert handled | render.CITATION_FORMATS == set(Format)


def test_json_escapes_the_controls_and_marks_its_encoder_leaves_raw() -> None:
    rows = [{"name": "a\u202eb\x85c\u200bd\x7fé", "n": 1}]
    for text in (render.render_json(rows), render.render_jsonl(rows)):
        assert not UNPRINTABLE.search(text.replace("\n", ""))
        assert "é" in text  # the rest of Unicode stays as it is
        parsed = json.loads(text)
        assert (parsed if isinstance(parsed, list) else [parsed]) == rows


def test_the_escaped_characters_are_those_of_the_class() -> None:
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    assert set(re.findall(BEYOND_C0, every)) == BEYOND_C0_CHARS


def test_a_long_json_text_is_escaped_as_a_short_one() -> None:
    # short texts by str.translate, long ones by the regular expression: the same escapes
    row = {"name": "".join(sorted(BEYOND_C0_CHARS)) + "é\u2029"}
    short, long = render.render_json([row]), render.render_json([row] * 200)
    assert len(short) < 10_000 < len(long)
    assert long.count(short[2:-3]) == 200  # each row's text, as alone
    assert json.loads(long) == [row] * 200
    assert not UNPRINTABLE.search(long.replace("\n", ""))


# What YAML 1.2 (core schema) or 1.1 readers take for numbers or booleans, PyYAML for text.
OTHER_READERS = ["0o17", "y", "N", "1e3", "08", ".5", "1.", "+12", "-0o7", ".NaN", "-.inf"]


def test_yaml_quotes_what_any_reader_would_take_for_another_type() -> None:
    rows = [{"v": v} for v in OTHER_READERS] + [{"y": "plain words", "n": "no"}]
    text = render.render_yaml(rows)
    assert yaml.safe_load(text) == rows
    for value in OTHER_READERS:
        assert f"v: '{value}'\n" in text or f'v: "{value}"\n' in text, value
    assert "plain words\n" in text  # text that is only text stays plain


def test_yaml_escapes_controls_and_marks_and_can_be_ascii() -> None:
    rows = [{"name": "a\u202eb\x1b[2J\u200bc £"}]
    text = render.render_yaml(rows)
    assert not UNPRINTABLE.search(text.replace("\n", ""))
    assert "£" in text
    assert yaml.safe_load(text) == rows
    ascii_text = render.render_yaml(rows, unicode=False)
    assert ascii_text.isascii()
    assert yaml.safe_load(ascii_text) == rows
