"""Rows -> Rich tables on a console, in the style of ``gh`` and ``kubectl get``: one line a
row, ids and amounts whole, prose cut with an ellipsis, the least useful columns left out
on a narrow terminal (and named under the table). What to show is ``columns.py``'s and
``layout.py``'s; this module only draws it. Rich is imported here and only when a table is drawn.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import printable
from .columns import LISTINGS
from .layout import (
    GAP,
    RIGHT,
    Col,
    cell,
    fitting,
    listing_columns,
    needed_width,
    picked_columns,
    whole,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

# What may go into a terminal hyperlink: a web address of printable ASCII, nothing that
# could end the escape sequence early.
_LINKABLE = re.compile(r"https?://[\x21-\x7e]+\Z")


def make_console(color: str, *, stderr: bool = False) -> Console:
    """A console for stdout (or stderr): colour by ``--color`` (auto honours NO_COLOR,
    FORCE_COLOR, TERM)."""
    import os

    from rich.console import Console

    size: dict[str, Any] = {"highlight": False, "stderr": stderr}
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:  # Rich ignores COLUMNS where TERM=dumb
        lines = os.environ.get("LINES", "")
        size |= {"width": int(columns), "height": int(lines) if lines.isdigit() else 25}
    if color == "always":  # even where TERM=dumb or NO_COLOR would say otherwise
        console = Console(force_terminal=True, **size)
        if console.color_system is None:
            console = Console(force_terminal=True, color_system="standard", **size)
        return console
    if color == "never":
        return Console(color_system=None, **size)
    return Console(**size)


def capture(draw: Callable[[Console], None], color: str = "auto", *, stderr: bool = False) -> str:
    """What ``draw`` prints on a console for stdout (or stderr), as text: written in one
    piece later."""
    console = make_console(color, stderr=stderr)
    with console.capture() as captured:
        draw(console)
    # Rich pads every cell to its column's width; a line's trailing blanks are noise.
    return "".join(line.rstrip(" ") + "\n" for line in captured.get().splitlines())


def safe_text(text: str) -> str:
    """``text`` with terminal control characters shown as escapes (``\\x1b``), never sent raw;
    a line break is kept, so multi-line cells stay readable."""
    return printable(text, keep_lines=True)


def linked(text: str, url: Any, **style: Any) -> Text:
    """``text`` (data: never markup) as a terminal hyperlink to ``url`` where that is safe."""
    from rich.style import Style
    from rich.text import Text

    link = url if isinstance(url, str) and _LINKABLE.match(url) else None
    return Text(safe_text(text), style=Style(link=link), **style)


def render_table(
    console: Console,
    rows: Sequence[dict[str, Any]],
    listing: str,
    *,
    fields: Sequence[str] | None = None,
    extra: Sequence[str] = (),
    title: str | None = None,
    depths: Sequence[int] | None = None,
    footer: Sequence[str] = (),
    wide: bool = False,
    breaks: Sequence[bool] | None = None,
    short: Mapping[str, str] | None = None,
    headers: bool = True,
) -> None:
    """Draw ``rows`` as ``listing``'s table (or the ``fields`` asked for), fitted to the
    console. ``depths`` indents tranches under their pledge (└); ``breaks`` puts a blank
    line before a row; ``short`` names organisations (id -> short name) where the full
    names do not fit. ``wide``: every column, every cell whole, one line a row, however wide
    the table grows. No rows, nothing drawn: the caller says so on stderr."""
    if not rows:
        return
    from rich.table import Column, Table
    from rich.text import Text

    declared = LISTINGS[listing].table
    in_title: list[str] = []
    if fields:
        columns = picked_columns(declared, fields, rows)
    else:
        tree = depths is not None
        columns, in_title = listing_columns(declared, rows, extra=extra, wide=wide, tree=tree)
    marks = ["  " * (d - 1) + "└ " if d else "" for d in (depths or [0] * len(rows))]

    def measure(names: Mapping[str, str] | None) -> tuple[list[list[str]], list[list[int]]]:
        texts = [[safe_text(cell(c, row, names)) for c in columns] for row in rows]
        widths = [_widths(c, texts, i, marks if i == 0 else None) for i, c in enumerate(columns)]
        return texts, widths

    texts, widths = measure(None)
    natural = sum(max(w) for w in widths) + GAP * (len(columns) - 1)
    shortens = short and any(col.short for col in columns)
    if shortens and not wide and natural > console.width:  # short names before cut or dropped
        texts, widths = measure(short)
    needed = [needed_width(col, widths[i], wide) for i, col in enumerate(columns)]
    if wide:
        kept, fits = list(range(len(columns))), True
    else:
        kept, fits = fitting(columns, needed, console.width)
    declared_columns = []
    for i in kept:
        col = columns[i]
        kept_whole = whole(col, wide) and fits
        declared_columns.append(
            Column(
                header=Text(col.header.upper(), style="bold"),
                justify="right" if col.kind in RIGHT else "left",
                no_wrap=kept_whole,
                overflow="ellipsis" if fits else "fold",
                # Whole columns keep their width; prose shares the rest as Rich shares it
                # (``least`` only decides which columns fit at all).
                min_width=needed[i] if kept_whole else None,
            )
        )
    # --wide: as wide as the cells make it, wider than the terminal if need be (kubectl -o wide)
    width = sum(needed[i] for i in kept) + GAP * (len(kept) - 1) if wide else None
    table = Table(
        *declared_columns,
        box=None,
        pad_edge=False,
        show_edge=False,
        padding=(0, GAP // 2),
        width=width if width and width > console.width else None,
        show_header=headers,
    )
    for r, (row, mark) in enumerate(zip(rows, marks, strict=True)):
        if breaks and breaks[r] and r:
            table.add_row()
        shown = []
        for i in kept:
            col, text = columns[i], texts[r][i]
            one_line = not whole(col, wide)
            shown.append(
                linked(text, row.get(col.link), no_wrap=one_line)
                if col.link
                else Text(text, no_wrap=one_line)
            )
        if mark and kept[0] == 0:
            shown[0] = Text(mark, style="dim") + shown[0]
        table.add_row(*shown)
    if title:
        console.print(Text(safe_text(" · ".join([title, *in_title])), style="bold"))
    console.print(table, crop=False)  # too wide shows as wrapped, never silently cut
    for line in footer:
        console.print(Text(safe_text(line)))
    hidden = [columns[i].header for i in range(len(columns)) if i not in kept]
    if hidden:
        console.print(
            Text(
                f"Not shown at {console.width} columns: {', '.join(hidden)} (--wide shows all)",
                style="dim",
            )
        )


def _widths(col: Col, texts: Sequence[Sequence[str]], i: int, marks: Any) -> list[int]:
    """The header's width, then each cell's (with its tree mark), in terminal cells."""
    from rich.cells import cell_len

    header = [cell_len(col.header)]
    if marks is None:
        return header + [max(map(cell_len, row[i].split("\n"))) for row in texts]
    return header + [cell_len(m + row[i]) for m, row in zip(marks, texts, strict=True)]


def render_timeline(
    console: Console,
    rows: Sequence[dict[str, Any]],
    *,
    wide: bool = False,
    extra: Sequence[str] = (),
    headers: bool = True,
) -> None:
    """Events (●) and pledges (◆) in date order, a blank line between years."""
    breaks = [r > 0 and row["year"] != rows[r - 1]["year"] for r, row in enumerate(rows)]
    title = LISTINGS["timeline"].title
    render_table(
        console,
        rows,
        "timeline",
        title=title,
        wide=wide,
        breaks=breaks,
        extra=extra,
        headers=headers,
    )


def render_summary(
    console: Console,
    summary: dict[str, Any],
    *,
    wide: bool = False,
    short: Mapping[str, str] | None = None,
) -> None:
    """``wpq summary`` on a terminal: records, events per year, money, programme reach."""
    from rich.text import Text

    from ..questions.footers import summary_footer
    from ..questions.funding import summary_rows

    counts = [{"collection": k, "count": v} for k, v in summary["counts"].items()]
    years = [
        {**entry, "kinds": ", ".join(f"{k} {n}" for k, n in entry["kinds"].items())}
        for entry in summary["events_by_year"]
    ]
    funding = summary["funding"]
    programmes = [
        {**p, "years": "-".join(dict.fromkeys(y for y in (p["start"], p["end"]) if y))}
        for p in summary["programmes"]
    ]
    sections: list[tuple[str, str, list[dict[str, Any]], list[str]]] = [
        ("summary-counts", "Records", counts, []),
        ("summary-years", "Events by year", years, []),
        (
            "funding-summary",
            "Funding by donor (each amount counted once)",
            summary_rows(funding),
            summary_footer(funding),
        ),
        ("summary-programmes", "Programmes", programmes, []),
    ]
    for index, (listing, title, rows, footer) in enumerate(sections):
        if index:
            console.print(Text(""))
        render_table(console, rows, listing, title=title, footer=footer, wide=wide, short=short)


def render_chart(
    console: Console,
    summary: dict[str, Any],
    footer: Sequence[str] = (),
    width: int = 40,
    *,
    wide: bool = False,
) -> None:
    """Horizontal bars of ``--summary`` groups, one chart per currency (never mixed): for
    each group a bar per measure (pledged, committed, paid; granted for a fund's grants),
    each labelled with its measure, then ``footer`` (or the summary's own footer lines).

    A bar takes what the labels and amount leave of the terminal, at most ``width``;
    ``wide``: labels whole, the chart wider than the terminal if need be.
    """
    from rich.bar import Bar
    from rich.cells import cell_len
    from rich.table import Column, Table
    from rich.text import Text

    from ..questions.footers import summary_footer
    from ..questions.money import COLUMNS

    colours = {"pledged": "cyan", "committed": "blue", "paid": "green", "granted": "magenta"}
    currencies = sorted({t["currency"] for g in summary["groups"] for m in COLUMNS for t in g[m]})
    for currency in currencies:
        bars = []  # (group label or "", measure, amount)
        for group in summary["groups"]:
            amounts = {
                m: next((t["amount"] for t in group[m] if t["currency"] == currency), None)
                for m in COLUMNS
            }
            shown = [m for m in COLUMNS if amounts[m] is not None]
            if group["granted"] and not any(amounts[m] for m in COLUMNS[:-1]):
                shown = ["granted"]  # a fund's grants alone: no row of zero measures
            elif not amounts["granted"]:
                shown = [m for m in shown if m != "granted"]
            label = safe_text(str(group["name"] or group["key"] or "(none)"))
            for i, measure in enumerate(shown):
                bars.append((label if i == 0 else "", measure, amounts[measure] or 0))
        if not bars:
            continue
        largest = max(amount for _, _, amount in bars) or 1
        console.print(Text(f"Funding by {summary['by']}, {currency}", style="bold"))
        figures = [f"{amount:,}" for _, _, amount in bars]
        label_width = max(cell_len(label) for label, _, _ in bars)
        measure_width = max(len(measure) for _, measure, _ in bars)
        whole = label_width + measure_width + max(map(len, figures)) + 6 + width // 4
        table = Table(
            Column(min_width=label_width) if wide else Column(overflow="ellipsis"),
            Column(no_wrap=True),
            Column(max_width=width),
            Column(justify="right", no_wrap=True, min_width=max(map(len, figures))),
            box=None,
            pad_edge=False,
            show_header=False,
            width=whole if wide and whole > console.width else None,
        )
        for (label, measure, amount), figure in zip(bars, figures, strict=True):
            bar = Bar(size=largest, begin=0, end=amount, color=colours[measure])
            table.add_row(Text(label, no_wrap=True), measure, bar, figure)
        console.print(table, crop=False)  # amounts whole even where the terminal is too narrow
    for line in footer or summary_footer(summary):
        console.print(Text(safe_text(line)))
