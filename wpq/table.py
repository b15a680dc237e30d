"""Rows -> a Rich table on a console. The only module that imports Rich, and only when used."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .render import cell_text

if TYPE_CHECKING:
    from rich.console import Console

# C0/C1 controls (ESC among them) and the bidirectional overrides that can disguise text.
# A line break is safe and kept, so multi-line cells stay readable.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


NUMERIC_COLUMNS = frozenset({"amount", "value", "count", "converted_amount", "rate", "rate_year"})
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
    from rich.console import Console

    if color == "always":  # even where TERM=dumb or NO_COLOR would say otherwise
        console = Console(force_terminal=True, highlight=False)
        if console.color_system is None:
            console = Console(force_terminal=True, highlight=False, color_system="standard")
        return console
    if color == "never":
        return Console(color_system=None, highlight=False)
    return Console(highlight=False)


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
    texts = [[safe_text(table_cell(c, row.get(c))) for c in columns] for row in rows]
    marks = ["  " * (depth - 1) + "└ " if depth else "" for depth in (depths or [0] * len(rows))]
    widths = _compact_widths(console.width, columns, texts, marks)
    for column in columns:
        table.add_column(
            header(column),
            justify="right" if column in NUMERIC_COLUMNS else "left",
            overflow="fold",
            width=widths.get(column),  # fixed: Rich then narrows only the prose columns
        )
    for mark, cells in zip(marks, texts, strict=True):
        shown = [Text(cell) for cell in cells]
        if mark:
            shown[0] = Text(mark, style="dim") + shown[0]
        table.add_row(*shown)
    console.print(table)
    for line in footer:
        console.print(Text(safe_text(line)))


def _compact_widths(
    width: int, columns: Sequence[str], texts: Sequence[Sequence[str]], marks: Sequence[str]
) -> dict[str, int]:
    """Widths that keep ids, dates and numbers whole while the table still fits ``width``.

    Rich shares a narrow terminal out evenly and breaks an id as readily as a sentence; a
    minimum width for the compact columns makes the prose wrap first. Prose columns keep
    room for their longest word, so nothing is ever cut off.
    """
    wanted: dict[str, int] = {}
    prose_room = 0
    for position, column in enumerate(columns):
        cells = [row[position] for row in texts]
        if column in COMPACT_COLUMNS:
            indent = [len(mark) if position == 0 else 0 for mark in marks]
            lengths = [indent[i] + len(cell) for i, cell in enumerate(cells)]
            wanted[column] = max([len(header(column)), *lengths])
        else:
            # At least its longest word, and some 16 characters of text where it has them.
            words = [len(w) for text in [header(column), *cells] for w in text.split()]
            longest = max([len(header(column)), *(len(c) for c in cells)])
            prose_room += max(min(max(words, default=1), 20), min(16, longest))
    room = width - (3 * len(columns) + 1) - prose_room  # borders, padding, prose
    # Too wide: trim the widest compact column a character at a time, so long ids give way
    # before dates and amounts do.
    while wanted and sum(wanted.values()) > max(room, len(wanted)):
        widest = max(wanted, key=lambda column: wanted[column])
        if wanted[widest] <= 1:
            break
        wanted[widest] -= 1
    return wanted


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


def render_chart(console: Console, summary: dict[str, Any], width: int = 40) -> None:
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
    for line in footer_totals(summary):
        console.print(Text(line))


def footer_totals(summary: dict[str, Any]) -> list[str]:
    totals = summary["totals"]
    text = "; ".join(f"{t['currency']} {t['amount']:,}" for t in totals) or "nothing to count"
    converted = (
        " (converted at each year's annual average rate)" if "conversions" in summary else ""
    )
    return [f"Total: {text}{converted}"]


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
    money.add_column("Total", justify="right")
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
