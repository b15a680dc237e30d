"""What a bundle's database adds to the SQLite export for browsing it (``bundle.py``): full-text
search over the names, summaries, statements and notes, and a year beside each date that
tables are faceted by.

Search tables are SQLite FTS5 tables over their table's rows (``content=``, the form
datasette finds by itself), folding case and accents as wpq's own matching does. A year is a
generated column: computed from its date, so it can never disagree with it.
"""

from __future__ import annotations

import sqlite3

# The text searched in each table: names, titles, summaries, statements, notes, quotes.
SEARCHED: dict[str, tuple[str, ...]] = {
    "sources": ("title", "publisher", "author", "note"),
    "organisations": ("name", "short_name", "note"),
    "countries": ("name",),
    "events": ("name", "summary", "city", "venue", "note"),
    "pledges": ("summary", "note", "stage_note"),
    "programmes": ("name", "summary", "note"),
    "figures": ("statement", "unit", "value_text", "note"),
    "rates": ("note",),
    "record_aliases": ("alias",),
    "record_quotes": ("text", "by", "role"),
    "record_disputes": ("note",),
    "event_outcomes": ("outcome",),
    "event_speakers": ("name", "role"),
    "programme_regions": ("name", "note"),
    "programme_countries": ("notes",),
}
# The tables given a ``year`` column, and the date it is the year of (``counted_money``, a
# view, has its own).
YEARS: dict[str, str] = {"events": "start", "pledges": "date", "funding": "date"}
SUFFIX = "_fts"


def search_table(table: str) -> str:
    return table + SUFFIX


def add_browsing(db: sqlite3.Connection) -> None:
    """Add the search tables, filled, and the year columns, within the open transaction."""
    for table, column in YEARS.items():
        db.execute(
            f'ALTER TABLE "{table}" ADD COLUMN year INTEGER '
            f'GENERATED ALWAYS AS (CAST(substr("{column}", 1, 4) AS INTEGER)) VIRTUAL'
        )
    for table, columns in SEARCHED.items():
        names = ", ".join(f'"{c}"' for c in columns)
        db.execute(
            f'CREATE VIRTUAL TABLE "{search_table(table)}" USING fts5({names}, '
            f"content=\"{table}\", tokenize='unicode61 remove_diacritics 2')"
        )
        db.execute(
            f'INSERT INTO "{search_table(table)}" (rowid, {names}) '
            f'SELECT rowid, {names} FROM "{table}"'
        )
