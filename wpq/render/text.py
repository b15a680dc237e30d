"""Rows -> text in the plain formats (TSV, CSV, JSON, JSON Lines, YAML); never prints.

Machine formats are written with json/csv/msgspec, never through Rich, so nothing is
wrapped or styled. Tables are ``table.py``'s, which ``output`` calls: Rich stays out of here.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence
from typing import Any

import msgspec

from .cells import cell_text

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
    return msgspec.json.format(msgspec.json.encode(data), indent=2).decode() + "\n"


def render_jsonl(rows: Sequence[Row]) -> str:
    return "".join(msgspec.json.encode(row).decode() + "\n" for row in rows)


def render_yaml(data: Any) -> str:
    import yaml

    if not data:
        return "[]\n"
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return str(yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True))


_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def render_tsv(rows: Sequence[Row], columns: Sequence[str], *, headers: bool = True) -> str:
    """Tab-separated; a backslash, tab or line break inside a value is written \\\\, \\t, \\n."""
    lines = ["\t".join(columns)] if headers else []
    for row in rows:
        lines.append("\t".join(cell_text(row.get(c)).translate(_TSV_ESCAPES) for c in columns))
    return "".join(line + "\n" for line in lines)


# A spreadsheet runs a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """Prefix ``'`` to text a spreadsheet would run as a formula (OWASP's CSV-injection advice)."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def render_csv(rows: Sequence[Row], columns: Sequence[str], *, headers: bool = True) -> str:
    import csv
    import io

    out = io.StringIO()
    # RFC 4180 line ends: the csv module then also quotes a cell holding a bare \r.
    writer = csv.writer(out, lineterminator="\r\n")
    if headers:
        writer.writerow(columns)
    for row in rows:
        writer.writerow(_csv_cell(row.get(c)) for c in columns)
    return out.getvalue()


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    # A NUL has no place in CSV (Python 3.10's csv module refuses it): written as \x00.
    return neutralise_formula(cell_text(value)).replace("\x00", "\\x00")


PLAIN_RENDERERS: dict[Format, Callable[..., str]] = {
    Format.tsv: render_tsv,
    Format.csv: render_csv,
}


def render_rows(
    fmt: Format, rows: Sequence[Row], columns: Sequence[str], *, headers: bool = True
) -> str:
    """A listing in a plain format: TSV/CSV of ``columns``; JSON, JSON Lines or YAML of every
    field."""
    if fmt is Format.json:
        return render_json(rows)
    if fmt is Format.jsonl:
        return render_jsonl(rows)
    if fmt is Format.yaml:
        return render_yaml(rows)
    return PLAIN_RENDERERS[fmt](rows, columns, headers=headers)


def render_document(
    fmt: Format,
    document: Any,
    *,
    sections: Sequence[tuple[Sequence[str], Sequence[Row]]],
    headers: bool = True,
) -> str:
    """One object (a summary, a record) in a plain format: whole in JSON or YAML, one line of
    JSON Lines; in TSV or CSV, one block per section of ``(columns, rows)``, each with its
    header row, blocks separated by an empty line."""
    if fmt is Format.json:
        return render_json(document)
    if fmt is Format.jsonl:
        return render_jsonl([document])
    if fmt is Format.yaml:
        return render_yaml(document)
    blank = "\r\n" if fmt is Format.csv else "\n"
    return blank.join(
        PLAIN_RENDERERS[fmt](rows, columns, headers=headers) for columns, rows in sections
    )
