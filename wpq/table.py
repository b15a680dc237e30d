"""Rows -> a Rich table on a console. The only module that imports Rich, and only when used."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .cells import cell_text

if TYPE_CHECKING:
    from rich.console import Console

# C0/C1 controls (ESC among them) and the bidirectional overrides that can disguise text.
# A line break is safe and kept, so multi-line cells stay readable.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# Money columns: whole numbers shown with thousands separators.
MONEY_COLUMNS = frozenset({"amount", "given", "pledged", "granted"}) | {
    f"converted_{name}" for name in ("amount", "given", "pledged")
}
NUMERIC_COLUMNS = MONEY_COLUMNS | {"value", "count", "rate", "rate_year"}
# Columns whose values are short codes, ids, dates or numbers: kept whole where they fit.
COMPACT_COLUMNS = NUMERIC_COLUMNS | {
    "id",
    "date",
    "start",
    "end",
    "kind",
    "currency",
    "code",
    "iso3",
    "part_of",
    "as_of",
    "year",
    "type",
    "converted_currency",
    "used_by_count",
    "published",
    "collection",
}


def make_console(color: str) -> Console:
    """A console for stdout: colour by ``--color`` (auto honours NO_COLOR, FORCE_COLOR, TERM)."""
    import os

    from rich.console import Console

    size: dict[str, Any] = {"highlight": False}
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit():  # Rich ignores COLUMNS where TERM=dumb unless LINES is set too
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


def capture(draw: Callable[[Console], None], color: str = "auto") -> str:
    """What ``draw`` prints on a console for stdout, as text: written in one piece later."""
    console = make_console(color)
    with console.capture() as captured:
        draw(console)
    return captured.get()


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
    if column in MONEY_COLUMNS and isinstance(value, int):
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
    texts = [[safe_text(table_cell(c, row.get(c))) for c in columns] for row in rows]
    marks = ["  " * (depth - 1) + "└ " if depth else "" for depth in (depths or [0] * len(rows))]
    widths = _column_widths(console.width, columns, texts, marks)
    for column, column_width in zip(columns, widths, strict=True):
        table.add_column(
            header(column),
            justify="right" if column in NUMERIC_COLUMNS else "left",
            overflow="fold",
            width=column_width,
        )
    for mark, cells in zip(marks, texts, strict=True):
        shown = [Text(cell) for cell in cells]
        if mark:
            shown[0] = Text(mark, style="dim") + shown[0]
        table.add_row(*shown)
    console.print(table)
    for line in footer:
        console.print(Text(safe_text(line)))


def _column_widths(
    width: int, columns: Sequence[str], texts: Sequence[Sequence[str]], marks: Sequence[str]
) -> list[int]:
    """The width of each column, so that the table fits ``width`` and loses nothing.

    Rich shares a narrow terminal out evenly and breaks an id as readily as a sentence, so
    the widths are set here: ids, dates and numbers get their full width, prose columns at
    least their longest word (up to 20) and then a share of what is left. When even that is
    too wide, the widest column gives way a character at a time; long cells fold.
    """
    needed: list[int] = []  # what a column must have
    wanted: list[int] = []  # what it could use
    for position, column in enumerate(columns):
        cells = [row[position] for row in texts]
        indent = [len(mark) if position == 0 else 0 for mark in marks]
        longest = max([len(header(column)), *(indent[i] + len(c) for i, c in enumerate(cells))])
        if column in COMPACT_COLUMNS:
            needed.append(longest)
        else:
            words = [len(w) for text in [header(column), *cells] for w in text.split()]
            needed.append(min(max(words, default=1), 20))
        wanted.append(longest)
    room = width - (3 * len(columns) + 1)  # borders and padding
    while sum(needed) > room and max(needed) > 1:
        needed[needed.index(max(needed))] -= 1
    spare = max(room - sum(needed), 0)
    extra = [w - n for w, n in zip(wanted, needed, strict=True)]
    total_extra = sum(extra)
    if total_extra <= spare:
        return wanted if sum(needed) <= room else needed
    shares = [spare * e // total_extra for e in extra]
    return [n + s for n, s in zip(needed, shares, strict=True)]


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
    if shown.get("money"):
        from .footers import money_lines

        console.print(Text("Money", style="bold"))
        for line in money_lines(shown["money"]):
            console.print(Text(safe_text(f"  {line}")))
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


def render_chart(
    console: Console, summary: dict[str, Any], footer: Sequence[str] = (), width: int = 40
) -> None:
    """Horizontal bars of ``--summary`` groups, one bar list per currency (never mixed)."""
    from rich.bar import Bar
    from rich.table import Table
    from rich.text import Text

    currencies = sorted({t["currency"] for g in summary["groups"] for t in g["totals"]})
    for currency in currencies:
        amounts = [
            (group, next(t["amount"] for t in group["totals"] if t["currency"] == currency))
            for group in summary["groups"]
            if any(t["currency"] == currency for t in group["totals"])
        ]
        largest = max(amount for _, amount in amounts) or 1
        table = Table(
            title=f"Funding by {summary['by']}, {currency}", title_justify="left", box=None
        )
        table.add_column(header(summary["by"]), overflow="fold")
        table.add_column("", width=width, no_wrap=True)
        table.add_column("Amount", justify="right")
        for group, amount in amounts:
            label = group["name"] or group["key"] or "(none)"
            bar = Bar(size=largest, begin=0, end=amount, width=width, color="cyan")
            table.add_row(Text(safe_text(str(label))), bar, f"{amount:,}")
        console.print(table)
    for line in footer or footer_totals(summary):
        console.print(Text(safe_text(line)))


def footer_totals(summary: dict[str, Any]) -> list[str]:
    from .footers import summary_footer

    return summary_footer(summary)


def render_summary(console: Console, summary: dict[str, Any]) -> None:
    """``wpq summary`` on a terminal: records, money, events per year, programme reach."""
    from rich.columns import Columns
    from rich.table import Table
    from rich.text import Text

    counts = Table(title="Records", title_justify="left")
    counts.add_column("Collection")
    counts.add_column("Count", justify="right")
    for name, count in summary["counts"].items():
        counts.add_row(name, str(count))
    years = Table(title="Events by year", title_justify="left")
    years.add_column("Year")
    years.add_column("Count", justify="right")
    years.add_column("Kinds")
    for entry in summary["events_by_year"]:
        kinds = ", ".join(f"{k} {n}" for k, n in entry["kinds"].items())
        years.add_row(str(entry["year"]), str(entry["count"]), kinds)
    console.print(Columns([counts, years]))
    funding = summary["funding"]
    money = Table(title="Funding by donor (tranches counted once)", title_justify="left")
    money.add_column("Donor", overflow="fold")
    money.add_column("Pledges", justify="right")
    money.add_column("Given", justify="right")
    for group in funding["groups"]:
        totals = "\n".join(f"{t['currency']} {t['amount']:,}" for t in group["totals"]) or "-"
        money.add_row(
            Text(safe_text(group["name"] or group["key"] or "")), str(group["count"]), totals
        )
    console.print(money)
    for line in footer_totals(funding):
        console.print(Text(line))
    programmes = Table(title="Programmes", title_justify="left")
    for column in ("Programme", "Lead", "Years", "Countries", "Regions"):
        programmes.add_column(
            column,
            justify="right" if column in ("Countries", "Regions") else "left",
            overflow="fold",
        )
    for prog in summary["programmes"]:
        years_text = "-".join(dict.fromkeys(y for y in (prog["start"], prog["end"]) if y))
        programmes.add_row(
            Text(safe_text(prog["name"])),
            prog["lead"],
            years_text,
            str(prog["countries"]),
            str(prog["regions"]),
        )
    console.print(programmes)


def render_timeline(console: Console, rows: Sequence[dict[str, Any]]) -> None:
    """Events (●) and pledges (◆) in date order, in one section per year."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    markers = {"event": ("●", "cyan"), "pledge": ("◆", "green")}
    table = Table(box=box.SIMPLE_HEAD, title="Timeline", title_justify="left")
    for column in ("Year", "Date", "", "Kind", "What", "Amount"):
        table.add_column(
            column,
            justify="right" if column == "Amount" else "left",
            no_wrap=column != "What",
            overflow="fold",
        )
    years = sorted({row["year"] for row in rows})
    for year in years:
        for index, row in enumerate(r for r in rows if r["year"] == year):
            dates = row["date"] + (f" to {row['end']}" if row.get("end") else "")
            amount = f"{row['currency']} {row['amount']:,}" if row.get("amount") is not None else ""
            marker, style = markers[row["type"]]
            table.add_row(
                Text(str(year), style="bold") if index == 0 else "",
                dates,
                Text(marker, style=style),
                Text(row["kind"], style="dim"),
                Text(safe_text(row["title"])),
                amount,
            )
        if year != years[-1]:
            table.add_section()
    console.print(table)
