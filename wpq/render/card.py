"""One record as a card on a console (``wpq show``): labelled fields, lists as lists,
references by name, then its sources (each URL whole on its own line, a terminal hyperlink
where the terminal takes one) and what refers to it. Data is never read as markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .layout import header
from .table import linked, safe_text

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text

NARROW = 40  # below this, a label goes above its value rather than beside it
# Shown elsewhere on the card: the id in its title, sources in their own section.
_SKIPPED = ("id", "sources")


def render_record(
    console: Console, shown: dict[str, Any], references: dict[str, dict[str, str]] | None = None
) -> None:
    """``shown`` (``provenance.show``) as a card; ``references`` names the ids it holds
    (``provenance.reference_names``)."""
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    refs = references or {"fields": {}, "names": {}}
    record = shown["record"]
    console.print(Text(safe_text(f"{shown['collection']}/{shown['id']}"), style="bold"))
    flagged = shown.get("flags") or []
    if flagged:
        console.print(Text(safe_text(flag_line(flagged)), style="yellow"))
    disputed = {f["field"] for f in flagged if f["flag"] == "disputed"}
    urls = []
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for field, value in record.items():
        if field in _SKIPPED or value is None or value in ("", [], {}):
            continue
        if field == "currency" and isinstance(record.get("amount"), int):
            continue  # beside the amount
        if field in ("url", "original_url"):
            urls.append((header(field), value))
            continue
        shown_value = _value(field, value, record, refs)
        if field in disputed and isinstance(shown_value, Text):
            shown_value = shown_value + Text(" (disputed: see Disputes)", style="dim")
        if console.width < NARROW:
            console.print(Text(header(field), style="bold"))
            console.print(Padding(shown_value, (0, 0, 0, 2)))
        else:
            grid.add_row(header(field), shown_value)
    if console.width >= NARROW:
        console.print(grid)
    for label, url in urls:
        console.print(Text(label, style="bold"))
        console.print(Text("  ") + linked(url, url), soft_wrap=True)
    if shown.get("money"):
        from ..questions.footers import money_lines

        console.print(Text("\nMoney", style="bold"))
        console.print(_bullets([Text(safe_text(line)) for line in money_lines(shown["money"])], 2))
    if shown["sources"]:
        console.print(Text("\nSources", style="bold"))
        for source in shown["sources"]:
            copy = source.get("original_publisher")
            where = [source.get("author"), copy or source["publisher"]]
            where.append(source.get("original_published") or source.get("published"))
            if copy:
                where.append(f"read in a copy on {source['publisher']}")
            citation = linked(source["title"], source.get("original_url") or source.get("url"))
            citation.append(safe_text("".join(f" · {w}" for w in where if w)))
            citation.append(f"  [{safe_text(source['id'])}]", style="dim")
            console.print(_bullets([citation], indent=2))
            addresses = [(source.get("original_url"), "the original:"), (source.get("url"), "")]
            for url, label in addresses:
                if url:
                    if copy:  # which address is which, on a line before it
                        console.print(Text(f"    {label or 'the copy read:'}", style="dim"))
                    # Whole on its line, never wrapped by us: it can be clicked and copied.
                    console.print(Text("    ") + linked(url, url), soft_wrap=True)
    if shown["referenced_by"]:
        console.print(Text("\nReferred to by", style="bold"))
        items = []
        for ref in shown["referenced_by"]:
            line = Text(safe_text(f"{ref['collection']}/{ref['id']}"))
            line.append(safe_text(f" ({ref['field']})"), style="dim")
            if ref.get("label"):
                line.append(safe_text(f": {ref['label']}"))
            items.append(line)
        console.print(_bullets(items, indent=2))


def flag_line(flagged: list[dict[str, Any]]) -> str:
    """What is disputed or inferred, at a glance: ``Disputed: amount, period · Inferred:
    countries PH, VN``."""
    parts = []
    for flag in ("disputed", "inferred"):
        fields = [f["field"] for f in flagged if f["flag"] == flag]
        if not fields:
            continue
        named = ["the whole record" for f in fields if f is None][:1]
        grouped: dict[str, list[str]] = {}
        for field in (f for f in fields if f is not None):
            base, _, entry = field.partition("[")
            grouped.setdefault(base, []).append(entry.rstrip("]"))
        named += [
            f"{base} {', '.join(e for e in entries if e)}".strip()
            for base, entries in grouped.items()
        ]
        parts.append(f"{flag.capitalize()}: {'; '.join(named)}")
    return " · ".join(parts)


def _value(field: str, value: Any, record: dict[str, Any], refs: dict[str, Any]) -> RenderableType:
    """A field's value: an amount with its currency, references by name, lists as bullets."""
    from rich.text import Text

    if field == "amount" and isinstance(value, int):
        return Text(safe_text(f"{value:,} {record.get('currency') or ''}".strip()))
    if field == "period" and record.get("amount") is not None:
        from ..questions.funding import period_words  # "4 years", not a bare 4

        return Text(safe_text(period_words(value) or ""))
    if isinstance(value, list):
        return _bullets([_entry(field, item, refs) for item in value])
    return _entry(field, value, refs)


def _entry(field: str, value: Any, refs: dict[str, Any]) -> Text:
    """One value, or one entry of a list (its fields labelled, one a line)."""
    from rich.text import Text

    if isinstance(value, dict):
        lines = Text()
        for key, item in value.items():
            if item is None or item in ("", []):
                continue
            if lines:
                lines.append("\n")
            lines.append(f"{header(key)}: ", style="bold")
            items = item if isinstance(item, list) else [item]
            lines.append(", ".join(_named(f"{field}.{key}", i, refs) for i in items))
        return lines
    return Text(_named(field, value, refs))


def _named(field: str, value: Any, refs: dict[str, Any]) -> str:
    """``Name (id)`` for a reference to a record with a name, the value as text otherwise."""
    from .cells import cell_text

    text = cell_text(value)
    target = refs["fields"].get(field)
    name = refs["names"].get(f"{target}/{text}") if target and target != "sources" else None
    return safe_text(f"{name} ({text})" if name else text)


def _bullets(items: list[Text], indent: int = 0) -> RenderableType:
    """Items one under another, each after a bullet, wrapped lines indented under it."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1, 0, 0))
    if indent:
        grid.add_column(width=indent - 1)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for item in items:
        grid.add_row(*([""] if indent else []), "•", item)
    return grid
