"""Rows -> a Rich table on a console. The only module that imports Rich, and only when used."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .render import cell_text

if TYPE_CHECKING:
    from rich.console import Console

# C0/C1 controls (ESC among them) and the bidirectional overrides that can disguise text.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe_text(text: str) -> str:
    """``text`` with terminal control characters shown as escapes (``\\x1b``), never sent raw."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def header(column: str) -> str:
    """A column key as a heading: ``donor_name`` -> ``Donor``, ``region_name`` -> ``Region``."""
    for suffix in ("_names", "_name"):
        if column.endswith(suffix) and column != "name":
            column = column[: -len(suffix)] + ("s" if suffix == "_names" else "")
    return column.replace("_", " ").capitalize()


def table_cell(column: str, value: Any) -> str:
    if column == "amount" and isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        return "; ".join(
            ", ".join(cell_text(x) for x in v.values() if x is not None) for v in value
        )
    return cell_text(value)


def render_table(
    console: Console,
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    *,
    title: str | None = None,
    depths: Sequence[int] | None = None,
    footer: Sequence[str] = (),
) -> None:
    """Draw ``rows`` on ``console``; ``depths`` indents nested rows (tranches under pledges)."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left", header_style="bold", expand=False)
    for column in columns:
        justify = "right" if column in ("amount", "value", "count") else "left"
        table.add_column(header(column), justify=justify, overflow="fold")
    for index, row in enumerate(rows):
        cells = [Text(safe_text(table_cell(c, row.get(c)))) for c in columns]
        depth = depths[index] if depths else 0
        if depth:
            cells[0] = Text("  " * (depth - 1) + "└ ", style="dim") + cells[0]
        table.add_row(*cells)
    console.print(table)
    for line in footer:
        console.print(Text(safe_text(line)))
