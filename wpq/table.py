"""Rows -> a Rich table on a console. The only module that imports Rich, and only when used."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .render import cell_text

if TYPE_CHECKING:
    from rich.console import Console

# C0/C1 controls (ESC among them) and the bidirectional overrides that can disguise text.
# A line break is safe and kept, so multi-line cells stay readable.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


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
        # Ids read well side by side; sentences and names one per line.
        return ("\n" if any(" " in v for v in value) else ", ").join(value)
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        # One line per entry (a speaker, a dispute), its values side by side.
        return "\n".join(" · ".join(cell_text(x) for x in v.values() if x) for v in value)
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
        numeric = column in ("amount", "value", "count")
        table.add_column(header(column), justify="right" if numeric else "left", overflow="fold")
    for index, row in enumerate(rows):
        cells = [Text(safe_text(table_cell(c, row.get(c)))) for c in columns]
        depth = depths[index] if depths else 0
        if depth:
            cells[0] = Text("  " * (depth - 1) + "└ ", style="dim") + cells[0]
        table.add_row(*cells)
    console.print(table)
    for line in footer:
        console.print(Text(safe_text(line)))


def render_record(console: Console, shown: dict[str, Any]) -> None:
    """One record as a two-column table, then its sources and the records that refer to it."""
    from rich.table import Table
    from rich.text import Text

    table = Table(
        title=f"{shown['collection']}/{shown['id']}",
        title_justify="left",
        show_header=False,
        expand=False,
    )
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for field, value in shown["record"].items():
        if value is None or value == [] or value == "":
            continue
        table.add_row(Text(field), Text(safe_text(table_cell(field, value))))
    console.print(table)
    if shown["sources"]:
        console.print(Text("Sources", style="bold"))
        for source in shown["sources"]:
            line = f"  [{source['id']}] {source['title']}, {source['publisher']}"
            line += f", {source['published']}" if source.get("published") else ""
            line += f" <{source['url']}>" if source.get("url") else ""
            console.print(Text(safe_text(line)))
    if shown["referenced_by"]:
        console.print(Text("Referred to by", style="bold"))
        for ref in shown["referenced_by"]:
            line = f"  {ref['collection']}/{ref['id']} ({ref['field']})"
            line += f": {ref['label']}" if ref.get("label") else ""
            console.print(Text(safe_text(line)))
