"""CSL-JSON items -> a plain-text reference list (``wpq cite`` on a terminal), one line a
reference: who (author, else publisher), when (the date as stored, at its precision),
what, where; a copy says where it was read. Records come first, each naming its sources
by number; then the sources, numbered. Under a table (``--with-sources``) the same lines
are drawn with each URL whole on its own line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

Item = dict[str, Any]


def _sentence(text: str) -> str:
    text = " ".join(str(text).split())
    return text if text.endswith((".", "?", "!")) else text + "."


def _date(item: Item) -> str:
    parts = ((item.get("issued") or {}).get("date-parts") or [[]])[0]
    return "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts)) or "n.d."


def _who(item: Item) -> str:
    names = [n.get("literal") or n.get("family") or "" for n in item.get("author") or []]
    return "; ".join(n for n in names if n) or str(item.get("publisher") or "")


def numbers(positions: Sequence[int], *, brackets: bool = True) -> str:
    """Reference numbers with runs shortened: ``[1]-[3], [5]`` (``1-3, 5`` without brackets)."""
    runs: list[list[int]] = []
    for n in sorted(set(positions)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    mark = "[{}]" if brackets else "{}"
    parts = [
        f"{mark.format(r[0])}-{mark.format(r[-1])}"
        if len(r) > 2
        else ", ".join(mark.format(n) for n in r)
        for r in runs
    ]
    return ", ".join(parts)


def source_text(item: Item, *, url: bool = True) -> str:
    """A source as one line: ``Publisher (2016-07-12). Title. URL``; a copy adds where it
    was read (and gives the original's address first, where known)."""
    who = _who(item)
    text = f"{who} ({_date(item)}). " if who else f"({_date(item)}). "
    text += _sentence(item.get("title") or item["id"])
    if item.get("author") and item.get("publisher"):
        text += " " + _sentence(item["publisher"])
    copy = item.get("archive_location")
    if url and item.get("URL") and item.get("URL") != copy:
        # the original's address, then (for a copy) a sentence of its own on where we read it
        text += f" {item['URL']}" + ("." if item.get("archive") else "")
    if item.get("archive"):
        text += f" Read in a copy on {item['archive']}" + (f": {copy}" if copy and url else "")
        text += "."
    return text


def record_text(item: Item, sources: dict[str, int] | None = None) -> str:
    """A record (or the dataset) as one line, naming its sources by number."""
    text = _sentence(item["title"])
    if item.get("container-title"):
        text += f" In: {_who(item)}, {item['container-title']}, version {item.get('version')}."
    elif item["id"] == "wpq:dataset":
        custom = item.get("custom") or {}
        text = f"{_who(item)}. {text} Version {item.get('version')}."
        text += f" Data licence: {custom.get('licence')}, {custom.get('licence_url')}."
        text += f" Data SHA-256: {custom.get('data_sha256')}."
    else:
        text += " The user's own data, not part of the wpq dataset."
    cited = (item.get("custom") or {}).get("sources") or []
    if sources is not None and cited:
        text += " Sources: " + numbers([sources[s] for s in cited if s in sources]) + "."
    return text.strip()


def split(items: Sequence[Item]) -> tuple[list[Item], list[Item]]:
    """Records (and the dataset), then sources, as ``wpq cite`` lists them."""
    records = [i for i in items if i.get("type") == "dataset"]
    return records, [i for i in items if i.get("type") != "dataset"]


def render_references(items: Sequence[Item]) -> str:
    """The plain-text reference list: each record, then the numbered sources."""
    records, sources = split(items)
    numbered = {item["id"]: n for n, item in enumerate(sources, 1)}
    lines = [record_text(item, numbered) for item in records]
    if records and sources:
        lines.append("")
    lines += [f"[{n}] {source_text(item)}" for n, item in enumerate(sources, 1)]
    return "".join(line + "\n" for line in lines)


def wrapped(text: str, width: int) -> str:
    """``text`` (a reference a line) wrapped to ``width`` for a terminal, each continuation
    indented; a word is never broken, so a URL stays whole (on a line of its own when it
    is wider than the terminal). Piped, references stay a line each, for pasting."""
    import textwrap

    lines = []
    for line in text.splitlines():
        lines += textwrap.wrap(
            line,
            width,
            subsequent_indent="    ",
            break_long_words=False,
            break_on_hyphens=False,
        ) or [""]
    return "".join(line + "\n" for line in lines)


def draw_references(console: Console, sources: Sequence[Item], title: str = "Sources") -> None:
    """Numbered sources under a table: each reference, then its URL whole on its own line
    (a terminal hyperlink where the terminal takes one); data is never read as markup."""
    from rich.table import Table
    from rich.text import Text

    from .table import linked, safe_text

    if not sources:
        return
    console.print(Text(f"\n{title}", style="bold"))
    width = len(f"[{len(sources)}]")
    for n, item in enumerate(sources, 1):
        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(no_wrap=True, justify="right", width=width)
        grid.add_column(overflow="fold")
        grid.add_row(f"[{n}]", Text(safe_text(source_text(item, url=False))))
        console.print(grid)
        for url in dict.fromkeys(u for u in (item.get("URL"), item.get("archive_location")) if u):
            # Whole on its line, never wrapped by us: it can be clicked and copied.
            console.print(Text(" " * (width + 1)) + linked(url, url), soft_wrap=True)
