"""Table layout: what a column is, which columns a listing's table shows, how a cell reads,
and which columns give way first on a narrow terminal. Pure data and arithmetic on widths;
``columns.py`` declares each listing's columns, ``table.py`` draws what this plans with Rich.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import msgspec

from .cells import cell_text

Row = dict[str, Any]

# Kinds whose cells are drawn whole, never cut or wrapped: what a user copies or compares.
WHOLE = frozenset({"id", "code", "date", "number", "money", "url"})
RIGHT = frozenset({"number", "money"})
PROSE_MIN = 14  # every prose column gets at least this much (or its longest cell)
GAP = 2  # spaces between columns


class Col(msgspec.Struct, frozen=True):
    """One column of a table.

    ``kind``: id, code, date, number, money (``unit`` names the currency field), url, or
    text (prose and names: cut with an ellipsis). ``priority``: 0 is never dropped; on a
    narrow terminal the highest number goes first. ``title``: when every row holds the same
    value, it moves into the table's title instead. ``short``: the cell with organisations'
    short names (given id -> short name), for a table too wide for the full ones.
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
    short: Callable[[Row, Mapping[str, str]], Any] | None = None
    beside: str | None = None  # shown only beside this column (a unit beside its value)

    def raw(self, row: Row, short: Mapping[str, str] | None = None) -> Any:
        if short and self.short:
            return self.short(row, short)
        return self.value(row) if self.value else row.get(self.key)


# Columns a listing adds on request (``extra``), drawn as declared here rather than guessed.
EXTRA_COLUMNS = {
    # --with-sources: the numbers of a row's sources, listed under the table; whole, kept late.
    "refs": Col("refs", "Sources", "code", 1),
}


def header(key: str) -> str:
    """A field name as a heading, for columns no layout declares: ``donor_name`` -> ``Donor``."""
    for suffix in ("_names", "_name"):
        if key.endswith(suffix) and key not in ("name", "short_name"):
            key = key[: -len(suffix)] + ("s" if suffix == "_names" else "")
    return key.replace("_", " ").capitalize()


def guessed(key: str, rows: Sequence[Row]) -> Col:
    """A column no layout declares: a number when every value is a whole number (drawn as
    amounts are, right-aligned with separators), text otherwise."""
    values = [row.get(key) for row in rows if row.get(key) is not None]
    numbers = values and all(isinstance(v, int) and not isinstance(v, bool) for v in values)
    return Col(key, header(key), "number" if numbers else "text")


def picked_columns(
    declared: Sequence[Col], fields: Sequence[str], rows: Sequence[Row]
) -> list[Col]:
    """The columns ``--fields`` names, in its order, each drawn as its layout declares
    (without its unit: ``--fields`` shows the currency where it is asked for); earlier
    fields give way last."""
    known = {c.key: c for c in (*EXTRA_COLUMNS.values(), *declared)}
    columns = []
    for position, key in enumerate(fields):
        col = known.get(key) or guessed(key, rows)
        columns.append(
            msgspec.structs.replace(col, key=key, priority=position, unit=None, value=None)
            if col.value or col.unit
            else msgspec.structs.replace(col, priority=position)
        )
    return columns


def listing_columns(
    declared: Sequence[Col],
    rows: Sequence[Row],
    *,
    extra: Sequence[str] = (),
    wide: bool = False,
    tree: bool = False,
) -> tuple[list[Col], list[str]]:
    """The columns of ``declared`` a listing's table shows for ``rows``, and what moves
    into its title.

    Left out: a column empty on every row; ``wide_only`` ones (unless ``wide``); ``part_of``
    where the tree shows it. ``extra`` fields (citations) come last and give way first.
    Moved to the title (from two rows up, unless ``wide``): a
    ``title`` column or a money column's currency that is the same on every row.
    """
    columns, title = [], []
    added = tuple(
        EXTRA_COLUMNS.get(key) or msgspec.structs.replace(guessed(key, rows), priority=99)
        for key in extra
    )
    for col in (*declared, *added):
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
                    col = msgspec.structs.replace(col, unit=None)
        columns.append(col)
    return columns, title


def _same(values: Sequence[Any]) -> bool:
    return bool(values) and values[0] not in (None, "", []) and all(v == values[0] for v in values)


def cell(col: Col, row: Row, short: Mapping[str, str] | None = None) -> str:
    """The text of one cell, on one line: amounts with thousands separators (and their
    currency unless the title holds it), lists joined; organisations by their ``short``
    names where the column takes them."""
    value = col.raw(row, short)
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
    return " ".join(text.split())


def whole(col: Col, wide: bool = False) -> bool:
    """Whether a column's cells are drawn whole: ids, codes, dates, amounts, URLs, and
    under ``--wide`` every column."""
    return wide or col.kind in WHOLE


def needed_width(col: Col, widths: Sequence[int], wide: bool = False) -> int:
    """What a column must have to be drawn as declared, from its cells' widths (header
    first): whole kinds (every column under ``--wide``) their widest cell; prose its
    ``least`` (or less if all are shorter)."""
    widest = max(widths, default=0)
    if whole(col, wide):
        return widest
    return min(widest, max(col.least, widths[0]))


def fitting(columns: Sequence[Col], needed: Sequence[int], width: int) -> tuple[list[int], bool]:
    """The positions of the columns to draw in ``width``, and whether they fit.

    The highest priority number gives way first (the rightmost of equals); priority 0 never
    does. A column that gave way comes back if it fits in what the others leave (a narrow
    one behind a wide one that did not fit). When even the priority-0 columns are too wide,
    they are all kept and the caller folds them.
    """
    kept = list(range(len(columns)))

    def total(extra: int = 0) -> int:
        return sum(needed[i] for i in kept) + GAP * (len(kept) - 1) + extra

    order = sorted(range(len(columns)), key=lambda i: (columns[i].priority, i))
    while total() > width:
        droppable = [i for i in kept if columns[i].priority > 0]
        if not droppable:
            return kept, False
        kept.remove(max(droppable, key=lambda i: (columns[i].priority, i)))
    for i in order:
        if i not in kept and total(needed[i] + GAP) <= width:
            kept = sorted([*kept, i])
    shown = {columns[i].key for i in kept}
    return [i for i in kept if columns[i].beside in (None, *shown)], True
