"""What to print, decided before anything is: the output format, the fields asked for,
and the options that do not go together or with that format, each honoured or refused
with one line (exit 2), never silently ignored.

``drawn`` says which options ask for a table (``--wide``, ``--chart``: drawn even when
piped), and ``check`` refuses what cannot apply to the output chosen (an option given
twice is ``given.py``'s).
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..render.text import Format

if TYPE_CHECKING:
    from .options import Options


def output_format(opts: Options, *, drawn: str | None = None) -> Format:
    """The format asked for (``--format`` or a shorthand), else a table when ``drawn`` names
    an option that draws one, else ``WPQ_FORMAT``, else a table on a terminal, TSV off it."""
    shorthands = [(Format.json, opts.json), (Format.jsonl, opts.jsonl)]
    shorthands += [(Format.csv, opts.csv), (Format.tsv, opts.tsv)]
    chosen = [f for f, on in shorthands if on]
    if opts.format is not None:
        chosen.append(opts.format)
    if len(set(chosen)) > 1:
        raise UsageError("choose one output format: " + ", ".join(f.value for f in chosen))
    if chosen and drawn and chosen[0] is not Format.table:
        raise UsageError(f"{drawn} draws a table: it does not go with --format {chosen[0].value}")
    if chosen or drawn:
        return chosen[0] if chosen else Format.table
    env = os.environ.get("WPQ_FORMAT")
    if env:
        try:
            return Format(env.lower())
        except ValueError:
            raise UsageError(
                f"WPQ_FORMAT='{env}' is not a format; use one of "
                + ", ".join(f.value for f in Format)
            ) from None
    return Format.table if sys.stdout.isatty() else Format.tsv


def split_fields(text: str | None) -> list[str] | None:
    if text is None:
        return None
    fields = [f.strip() for f in text.split(",") if f.strip()]
    if not fields:
        raise UsageError("--fields needs at least one field name")
    twice = next((f for i, f in enumerate(fields) if f in fields[:i]), None)
    if twice is not None:
        raise UsageError(f"--fields names '{twice}' twice")
    return fields


def check_color(color: str) -> None:
    if color not in ("auto", "always", "never"):
        raise UsageError(f"--color must be auto, always or never, not '{color}'")


# The formats with a header row for --no-headers to leave out (any other has none).
_HEADER_ROW = (Format.tsv, Format.csv, Format.table)


def drawn(opts: Options, *, chart: bool = False) -> str | None:
    """The option that asks for a table (drawn when piped too, as ``kubectl get -o wide``),
    or None: ``--chart`` draws bars, ``--wide`` every column."""
    if chart:
        return "--chart"
    return "--wide" if opts.wide else None


def check(
    opts: Options,
    fmt: Format,
    *,
    what: str = "listing",
    chart: bool = False,
) -> None:
    """Refuse the options that cannot apply to ``what`` (a ``listing``, a ``summary`` of
    totals, a ``card`` of one record, a ``document``) written as ``fmt``."""
    if opts.desc and not opts.sort:
        raise UsageError("--desc reverses the order --sort gives: give --sort FIELD too")
    if opts.no_headers and (fmt not in _HEADER_ROW or (what == "card" and fmt is Format.table)):
        shown = "a card" if fmt is Format.table else fmt.value
        raise UsageError(f"--no-headers: {shown} has no header row (it is for tsv, csv, tables)")
    if opts.color == "always" and fmt is not Format.table:
        raise UsageError(
            f"--color always colours a table, and the output is {fmt.value}: "
            "give --format table, or leave --color out"
        )
    if opts.with_sources and what == "summary":
        raise UsageError(
            "--with-sources adds each pledge's citations, and a summary holds totals: "
            "leave out --summary, --by and --chart"
        )
    if chart:
        if opts.fields:
            raise UsageError("--chart draws each group's money: --fields does not apply")
        if opts.no_headers:
            raise UsageError("--no-headers: a chart has no header row")
