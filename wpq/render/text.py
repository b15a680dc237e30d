"""Rows -> text in the plain formats (TSV, CSV, JSON, JSON Lines, YAML); never prints.

Machine formats are written with json/csv/msgspec, never through Rich, so nothing is
wrapped or styled. Tables are ``table.py``'s, which ``output`` calls: Rich stays out of here.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import msgspec

from ..errors import BEYOND_C0, BEYOND_C0_CHARS, UNPRINTABLE_CLASS, printable

Row = dict[str, Any]


class Format(str, enum.Enum):
    table = "table"
    tsv = "tsv"
    csv = "csv"
    json = "json"
    jsonl = "jsonl"
    yaml = "yaml"
    csljson = "csljson"
    bibtex = "bibtex"
    ris = "ris"


# References rather than rows: a listing's records and their sources (``wpq cite``'s forms).
CITATION_FORMATS = frozenset({Format.csljson, Format.bibtex, Format.ris})


def render_json(data: Any) -> str:
    return _json_escaped(msgspec.json.format(msgspec.json.encode(data), indent=2).decode()) + "\n"


def render_jsonl(rows: Sequence[Row]) -> str:
    return "".join(_json_escaped(msgspec.json.encode(row).decode()) + "\n" for row in rows)


# Rows rendered at a time by ``json_pieces``: a long listing's text is never held whole.
PIECE = 1024


def json_pieces(rows: Sequence[Row], *, lines: bool = False) -> Iterator[str]:
    """``render_json(rows)`` (``lines``: ``render_jsonl(rows)``) in pieces whose
    concatenation is exactly that text, ``PIECE`` rows at a time: the elements of an array
    are formatted alike wherever they stand, so each piece is its rows' array without the
    brackets."""
    if lines:
        for start in range(0, len(rows), PIECE):
            yield render_jsonl(rows[start : start + PIECE])
        return
    if not rows:
        yield "[]\n"
        return
    for start in range(0, len(rows), PIECE):
        part = msgspec.json.format(msgspec.json.encode(rows[start : start + PIECE]), indent=2)
        lead = "[\n" if start == 0 else ",\n"
        end = "\n]\n" if start + PIECE >= len(rows) else ""
        yield lead + _json_escaped(part[2:-2].decode()) + end


# Each character of ``errors.BEYOND_C0`` to its escape, ``\\u0085``.
_ESCAPES = {ord(c): f"\\u{ord(c):04x}" for c in BEYOND_C0_CHARS}
# Up to this length a text is escaped by ``str.translate``, beyond it by the class: the
# class costs some 0.7 ms to compile, then runs several times faster per character.
_SHORT = 10_000


def _beyond_c0_escaped(text: str) -> str:
    """``text`` with each character of ``errors.BEYOND_C0`` written ``\\uXXXX``."""
    # Usually there is none: one search per character finds that at C speed (0.25 ms for
    # 85 KB, where ``str.translate`` of text beyond ASCII takes 6 ms whatever it finds).
    if not any(character in text for character in BEYOND_C0_CHARS):
        return text
    if len(text) <= _SHORT:
        return text.translate(_ESCAPES)
    return re.sub(BEYOND_C0, lambda m: _ESCAPES[ord(m[0])], text)


def _json_escaped(text: str) -> str:
    """JSON with the characters of ``errors.printable``'s class that its encoder leaves raw
    (C1 controls, bidirectional marks, invisible ones) written ``\\uXXXX``: the same data
    for any JSON reader, nothing that drives a terminal. Such characters can only stand in a
    string, as everything else in JSON is ASCII."""
    if text.isascii() and "\x7f" not in text:  # the usual case, found at C speed
        return text
    return _beyond_c0_escaped(text)


def render_yaml(data: Any, *, unicode: bool = True) -> str:
    """YAML that any reader, 1.1 or 1.2, reads back as the same data (``_YamlDumper``);
    ``unicode=False`` writes ASCII alone, everything else escaped (for a stream that cannot
    hold more)."""
    import yaml

    if not data:
        return "[]\n"
    text = str(yaml.dump(data, Dumper=_yaml_dumper(), sort_keys=False, allow_unicode=unicode))
    # Left raw by the emitter as printable; always inside a double-quoted scalar (below).
    return _beyond_c0_escaped(text)


# What a YAML 1.2 reader (core schema) or a YAML 1.1 one reads as something other than a
# string and PyYAML's own resolver (YAML 1.1, as PyYAML reads it) does not: 1.2's octal
# and hexadecimal-free floats (``0o17``, ``1e3``, ``.5``), 1.1's one-letter booleans.
_OTHER_READERS = (  # compiled when YAML is written (``re`` keeps it)
    r"""[yYnN]|[-+]?0o[0-7]+|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)"""
)


def _yaml_dumper() -> Any:
    """PyYAML's safe dumper, quoting every string another reader would take for a value of
    another type, and double-quoting every string with a character of ``errors.printable``'s
    class, so the emitter escapes it (or ``render_yaml`` does)."""
    import yaml

    base = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class Dumper(base):  # type: ignore[valid-type,misc]
        pass

    def represent(dumper: Any, value: str) -> Any:
        style = None
        if re.search(UNPRINTABLE_CLASS, value):
            style = '"'
        elif re.fullmatch(_OTHER_READERS, value):
            style = "'"
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, represent)
    return Dumper


def _tsv_cell(value: Any, cell_text: Callable[[Any], str]) -> str:
    """A TSV cell: a formula neutralised, a backslash doubled, then every character of
    ``errors.printable``'s class (a tab, a line break, ESC…) written as its escape."""
    text = cell_text(value)
    if not _is_number(value):
        text = neutralise_formula(text)
    return printable(text.replace("\\", "\\\\"))


def render_tsv(rows: Sequence[Row], columns: Sequence[str], *, headers: bool = True) -> str:
    """Tab-separated; a backslash inside a value is written \\\\, a tab, line break or other
    control \\t, \\n, \\x1b…; a formula is neutralised as in CSV."""
    from .cells import cell_text  # TSV, CSV and tables: JSON and YAML never need it

    lines = ["\t".join(columns)] if headers else []
    for row in rows:
        lines.append("\t".join(_tsv_cell(row.get(c), cell_text) for c in columns))
    return "".join(line + "\n" for line in lines)


# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """Prefix ``'`` to text a spreadsheet would run as a formula (OWASP's CSV-injection advice)."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def render_csv(rows: Sequence[Row], columns: Sequence[str], *, headers: bool = True) -> str:
    import csv
    import io

    from .cells import cell_text

    out = io.StringIO()
    # RFC 4180 line ends: the csv module then also quotes a cell holding a bare \r.
    writer = csv.writer(out, lineterminator="\r\n")
    if headers:
        writer.writerow(columns)
    for row in rows:
        writer.writerow(_csv_cell(row.get(c), cell_text) for c in columns)
    return out.getvalue()


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _csv_cell(value: Any, cell_text: Callable[[Any], str]) -> Any:
    """A CSV cell: a number as it is; text with a formula neutralised and every character
    of ``errors.printable``'s class escaped but the line break, which CSV quotes."""
    if _is_number(value):
        return value
    return printable(neutralise_formula(cell_text(value)), keep_lines=True)


PLAIN_RENDERERS: dict[Format, Callable[..., str]] = {
    Format.tsv: render_tsv,
    Format.csv: render_csv,
}


def rows_pieces(
    fmt: Format,
    rows: Sequence[Row],
    columns: Sequence[str],
    *,
    headers: bool = True,
    unicode: bool = True,
) -> Iterator[str]:
    """``render_rows``'s text in pieces to write one after the other (JSON and JSON Lines a
    few rows at a time, ``json_pieces``)."""
    if fmt in (Format.json, Format.jsonl):
        yield from json_pieces(rows, lines=fmt is Format.jsonl)
    else:
        yield render_rows(fmt, rows, columns, headers=headers, unicode=unicode)


def render_rows(
    fmt: Format,
    rows: Sequence[Row],
    columns: Sequence[str],
    *,
    headers: bool = True,
    unicode: bool = True,
) -> str:
    """A listing in a plain format: TSV/CSV of ``columns``; JSON, JSON Lines or YAML of every
    field (YAML in ASCII alone unless ``unicode``)."""
    if fmt is Format.json:
        return render_json(rows)
    if fmt is Format.jsonl:
        return render_jsonl(rows)
    if fmt is Format.yaml:
        return render_yaml(rows, unicode=unicode)
    return PLAIN_RENDERERS[fmt](rows, columns, headers=headers)


def render_document(
    fmt: Format,
    document: Any,
    *,
    sections: Sequence[tuple[Sequence[str], Sequence[Row]]],
    headers: bool = True,
    unicode: bool = True,
) -> str:
    """One object (a summary, a record) in a plain format: whole in JSON or YAML, one line of
    JSON Lines; in TSV or CSV, one block per section of ``(columns, rows)``, each with its
    header row, blocks separated by an empty line."""
    if fmt is Format.json:
        return render_json(document)
    if fmt is Format.jsonl:
        return render_jsonl([document])
    if fmt is Format.yaml:
        return render_yaml(document, unicode=unicode)
    blank = "\r\n" if fmt is Format.csv else "\n"
    return blank.join(
        PLAIN_RENDERERS[fmt](rows, columns, headers=headers) for columns, rows in sections
    )
