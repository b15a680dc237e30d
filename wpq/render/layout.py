"""Table layout: which columns each listing's table shows, how a cell reads, and which
columns give way first on a narrow terminal. Pure data and arithmetic on widths; ``table.py``
draws what this plans with Rich.

Tables choose columns; TSV/CSV show the listing's ``*_COLUMNS`` and JSON every field.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from .cells import cell_text

Row = dict[str, Any]

# Kinds whose cells are drawn whole, never cut or wrapped: what a user copies or compares.
WHOLE = frozenset({"id", "code", "date", "number", "money", "url"})
RIGHT = frozenset({"number", "money"})
PROSE_MIN = 14  # every prose column gets at least this much (or its longest cell)
GAP = 2  # spaces between columns


@dataclasses.dataclass(frozen=True)
class Col:
    """One column of a table.

    ``kind``: id, code, date, number, money (``unit`` names the currency field), url, or
    text (prose and names: cut with an ellipsis, wrapped under ``--wide``). ``priority``: 0
    is never dropped; on a narrow terminal the highest number goes first. ``title``: when
    every row holds the same value, it moves into the table's title instead.
    """

    key: str
    header: str
    kind: str = "text"
    priority: int = 5
    unit: str | None = None
    unit_title: str = "{}"  # the title's words for a unit the same on every row
    title: bool = False
    least: int = PROSE_MIN  # text: the width it keeps before it gives way
    wide_only: bool = False
    value: Callable[[Row], Any] | None = None
    link: str | None = None  # the row field holding a URL this cell links to

    def raw(self, row: Row) -> Any:
        return self.value(row) if self.value else row.get(self.key)


def _grant_mark(row: Row) -> str | None:
    return "grant" if row.get("kind") == "grant" else None


def _period(row: Row) -> str | None:
    from ..questions.funding import period_words

    return period_words(row.get("period"))


# The groupings with a name column (a year has none), as ``funding.summary_columns`` names them.
GROUPED_BY = ("donor", "government", "recipient", "programme")


def _marked_kind(row: Row) -> str:
    return ("● " if row.get("type") == "event" else "◆ ") + str(row.get("kind") or "")


LAYOUTS: dict[str, tuple[Col, ...]] = {
    "events": (
        Col("id", "Id", "id", 0),
        Col("start", "Start", "date", 2),
        Col("end", "End", "date", 7),
        Col("kind", "Kind", "code", 3, title=True),
        Col("name", "Name", priority=1, least=19),
        Col("city", "City", priority=6),
        Col("country_name", "Country", priority=4, title=True),
        Col("host_names", "Hosts", priority=5, least=20),
    ),
    "funding": (
        Col("id", "Id", "id", 0),
        Col("date", "Date", "date", 4),
        Col("donor_name", "Donor", priority=2, title=True),
        Col("to_name", "To", priority=3, title=True),
        Col("kind", "Kind", "code", 5, value=_grant_mark),  # grants marked, pledges blank
        Col("stage", "Stage", "code", 2, title=True),
        Col("amount", "Amount", "money", 1, unit="currency"),
        Col("period", "Period", "code", 5, value=_period),  # beside the amount it spans
        Col(
            "converted_amount",
            "Converted",
            "money",
            1,
            unit="converted_currency",
            unit_title="converted to {}",
        ),
        Col("rate", "Rate", "number", 6),
        Col("rate_year", "Rate year", "code", 7),
        # Each row's own share of each measure: the footer's totals are their sums. Paid
        # stays longest: the amount beside it says what was pledged.
        Col("pledged", "Pledged", "money", 8, unit="currency"),
        Col("committed", "Committed", "money", 9, unit="currency"),
        Col("paid", "Paid", "money", 7, unit="currency"),
        Col("part_of", "Part of", "id", 9),  # left out where the └ tree shows it
    ),
    "pledges": (
        Col("id", "Id", "id", 0),
        Col("date", "Date", "date", 3),
        Col("kind", "Kind", "code", 5, title=True),
        Col("pledged_by", "By", priority=1, title=True),
        Col("amount", "Amount", "money", 2, unit="currency"),
        Col("made_at_name", "Made at", priority=6, title=True),
        Col("summary", "Summary", priority=4, least=30),
    ),
    "countries": (
        Col("code", "Code", "code", 0),
        Col("name", "Name", priority=1),
        Col("iso3", "Iso3", "code", wide_only=True),
        Col("region_name", "Region", priority=2, title=True),
        Col("programme_name", "Programme", priority=3, title=True),
        Col("notes", "Notes", priority=4, least=24),
    ),
    "figures": (
        Col("id", "Id", "id", 0),
        Col("value", "Value", "number", 1),
        Col("unit", "Unit", priority=3),
        Col("statement", "Statement", priority=2, least=20),
        Col("as_of", "As of", "date", 4),
        Col("measured_by_name", "Measured by", priority=5),
        Col("conflicts_with", "Conflicts with", priority=6),
        Col("reported_at_name", "Reported at", priority=7, title=True),
    ),
    "sources": (
        Col("id", "Id", "id", 0),
        Col("title", "Title", priority=1, least=30, link="url"),
        Col("author", "Author", priority=6),
        Col("publisher", "Publisher", priority=2),
        Col("published", "Published", "date", 3),
        Col("original_publisher", "Copy of", priority=5),  # a copy: the original's publisher
        Col("original_published", "Original date", "date", 7),
        Col("used_by_count", "Used by", "number", 4),
        Col("url", "Url", "url", 5, link="url"),
        Col("original_url", "Original url", "url", 8, link="original_url"),
    ),
    "search": (
        Col("id", "Id", "id", 0),
        Col("collection", "In", "code", 1, title=True),
        Col("label", "Record", priority=2),
        Col("field", "Field", "code", 4),
        Col("text", "Text", priority=3, least=24),
    ),
    "timeline": (
        Col("date", "Date", "date", 0),
        Col("end", "End", "date", 5),
        Col("kind", "Kind", "code", 3, value=_marked_kind),
        Col("title", "What", priority=1, least=30),
        Col("amount", "Amount", "money", 2, unit="currency"),
        Col("id", "Id", "id", 4),
    ),
    # One grouping's column is filled (``funding.summary_columns``): the others are left out.
    "funding-summary": (
        Col("donor", "Donor", "id", 0),
        Col("government", "Government", "id", 0),
        Col("recipient", "Recipient", "id", 0),
        Col("programme", "Programme", "id", 0),
        Col("year", "Year", "code", 0),
        *(Col(f"{by}_name", "Name", priority=1) for by in GROUPED_BY),
        Col("count", "Records", "number", 4),
        Col("pledged", "Pledged", "money", 2, unit="currency"),
        Col("committed", "Committed", "money", 3, unit="currency"),
        Col("paid", "Paid", "money", 2, unit="currency"),
        # A fund's group holds grants alone: without this column its row would say nothing.
        Col("granted", "Granted", "money", 2, unit="currency"),
    ),
    "summary-counts": (
        Col("collection", "Collection", "code", 0),
        Col("count", "Records", "number", 0),
    ),
    "summary-years": (
        Col("year", "Year", "code", 0),
        Col("count", "Events", "number", 0),
        Col("kinds", "Kinds", priority=1),
    ),
    "summary-programmes": (
        Col("id", "Id", "id", 0),
        Col("name", "Name", priority=2),
        Col("lead_name", "Lead", priority=1),
        Col("years", "Years", "code", 3),
        Col("countries", "Countries", "number", 4),
        Col("regions", "Regions", "number", 5),
    ),
}


# Columns a listing adds on request (``extra``), when not the plain default (priority 99).
EXTRA_COLUMNS = {
    # --with-sources: the numbers of a row's sources, listed under the table; whole, kept late.
    "refs": Col("refs", "Sources", "code", 1),
}


def header(key: str) -> str:
    """A field name as a heading, for columns no layout declares: ``donor_name`` -> ``Donor``."""
    for suffix in ("_names", "_name"):
        if key.endswith(suffix) and key != "name":
            key = key[: -len(suffix)] + ("s" if suffix == "_names" else "")
    return key.replace("_", " ").capitalize()


def picked_columns(listing: str, fields: Sequence[str]) -> list[Col]:
    """The columns ``--fields`` names, in its order, each drawn as its layout declares (its
    unit stays in the cell); earlier fields give way last."""
    declared = {c.key: c for c in (*EXTRA_COLUMNS.values(), *LAYOUTS.get(listing, ()))}
    columns = []
    for position, key in enumerate(fields):
        col = declared.get(key) or Col(key, header(key))
        columns.append(
            dataclasses.replace(col, key=key, priority=position, unit=None, value=None)
            if col.value or col.unit
            else dataclasses.replace(col, priority=position)
        )
    return columns


def listing_columns(
    listing: str,
    rows: Sequence[Row],
    *,
    extra: Sequence[str] = (),
    wide: bool = False,
    tree: bool = False,
) -> tuple[list[Col], list[str]]:
    """The columns a listing's table shows for ``rows``, and what moves into its title.

    Left out: a column empty on every row; ``wide_only`` ones (unless ``wide``); ``part_of``
    where the tree shows it. ``extra`` fields (citations) come last and give way first.
    Moved to the title (from two rows up, unless ``wide``): a
    ``title`` column or a money column's currency that is the same on every row.
    """
    columns, title = [], []
    added = tuple(EXTRA_COLUMNS.get(key) or Col(key, header(key), priority=99) for key in extra)
    for col in (*LAYOUTS[listing], *added):
        values = [col.raw(row) for row in rows]
        if all(v is None or v == "" or v == [] for v in values):
            continue
        if (col.wide_only and not wide) or (tree and col.key == "part_of"):
            continue
        if not wide and len(rows) > 1:
            if col.title and _same(values):
                title.append(cell_text(values[0]))
                continue
            if col.unit:
                units = [row.get(col.unit) for row in rows]
                if _same(units):
                    words = col.unit_title.format(units[0])
                    if words not in title:  # given and pledged share their currency
                        title.append(words)
                    col = dataclasses.replace(col, unit=None)
        columns.append(col)
    return columns, title


def _same(values: Sequence[Any]) -> bool:
    return bool(values) and values[0] not in (None, "", []) and all(v == values[0] for v in values)


def cell(col: Col, row: Row, *, wide: bool = False) -> str:
    """The text of one cell: amounts with thousands separators (and their currency unless
    the title holds it), lists joined; one line unless ``wide``."""
    value = col.raw(row)
    if col.kind in ("money", "number") and isinstance(value, int) and not isinstance(value, bool):
        text = f"{value:,}"
        unit = row.get(col.unit) if col.unit else None
        return f"{text} {unit}" if unit else text
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        # Citations, speakers, disputes: their values side by side, one entry after another.
        text = "; ".join(" · ".join(cell_text(x) for x in v.values() if x) for v in value)
    elif isinstance(value, list):
        text = ", ".join(cell_text(v) for v in value)
    else:
        text = cell_text(value)
    return text if wide else " ".join(text.split())


def whole(col: Col, wide: bool = False) -> bool:
    """Whether a column's cells are drawn whole (under ``--wide`` a URL wraps instead)."""
    return col.kind in WHOLE and not (wide and col.kind == "url")


def needed_width(col: Col, widths: Sequence[int], wide: bool = False) -> int:
    """What a column must have to be drawn as declared, from its cells' widths (header
    first): whole kinds their widest cell; prose its ``least`` (or less if all are shorter),
    its header under ``--wide``, where it wraps."""
    widest = max(widths, default=0)
    if whole(col, wide):
        return widest
    return min(widest, widths[0] if wide else max(col.least, widths[0]))


def fitting(columns: Sequence[Col], needed: Sequence[int], width: int) -> tuple[list[int], bool]:
    """The positions of the columns to draw in ``width``, and whether they fit.

    The highest priority number gives way first (the rightmost of equals); priority 0 never
    does. When even those are too wide, they are all kept and the caller folds them.
    """
    kept = list(range(len(columns)))

    def total() -> int:
        return sum(needed[i] for i in kept) + GAP * (len(kept) - 1)

    while total() > width:
        droppable = [i for i in kept if columns[i].priority > 0]
        if not droppable:
            return kept, False
        kept.remove(max(droppable, key=lambda i: (columns[i].priority, i)))
    return kept, True
