"""The ``metadata.json`` that datasette serves a bundle's ``wpq.db`` with: the dataset's title,
licence and links, what every table and column holds (``describe``), the column that names
each record where another table refers to it, default facets and sorts, and canned queries.

It is written as data for datasette (version 0.65 reads it: ``datasette wpq.db -m
metadata.json``); wpq never imports datasette.

No column has datasette's ``units``: those are Pint units, one per column, and an amount's
unit is the currency on its own row (a yen amount is not in pounds); each amount column's
description says so, and ``currency`` stands beside it.
"""

from __future__ import annotations

import html
from typing import Any

from .. import __version__
from ..descriptions import DATASET_SUMMARY
from ..questions.citations import (
    CODE_LICENCE,
    CODE_LICENCE_URL,
    LICENCE_SHORT,
    LICENCE_URL,
    TITLE,
    data_digest,
)
from .describe import column_descriptions, table_description

DATABASE = "wpq"

# The column that names a record where a foreign key points at it.
LABELS = {
    "sources": "title",
    "organisations": "name",
    "countries": "name",
    "events": "name",
    "pledges": "summary",
    "programmes": "name",
    "figures": "statement",
}
# Facets a table page opens with (those of its columns among kind, year, donor, recipient,
# currency, stage, evidence, and what else a table is read by).
FACETS = {
    "events": ("kind", "year", "country", "evidence"),
    "pledges": ("kind", "year", "by", "to", "currency", "stage", "evidence"),
    "funding": ("kind", "year", "donor", "to", "currency", "stage"),
    "counted_money": ("measure", "year", "donor", "recipient", "currency", "stage"),
    "organisations": ("kind", "country"),
    "programmes": ("lead", "evidence"),
    "figures": ("evidence", "measured_by"),
    "programme_countries": ("programme_id", "region_name", "evidence"),
    "record_disputes": ("collection", "field"),
    "record_sources": ("collection",),
    "rates": ("currency", "year"),
}
# How a table page sorts before a reader asks: by date where a table has one.
SORTS = {"events": "start", "pledges": "date", "funding": "date", "counted_money": "date"}

QUERIES: dict[str, dict[str, str]] = {
    "pledged_and_paid_by_donor": {
        "title": "Money pledged, committed and paid, by donor",
        "description": "As wpq funding --summary --by donor: each donor as named on the "
        "records (a ministry apart from its government), per currency; grants apart.",
        "sql": """select f.donor, o.name as donor_name, count(*) as count, f.currency,
       sum(f.pledged) as pledged, sum(f.committed) as committed, sum(f.paid) as paid,
       sum(f.granted) as granted
  from funding f join organisations o on o.id = f.donor
 group by f.donor, f.currency
 order by f.donor, f.currency""",
    },
    "paid_by_year": {
        "title": "Money paid, by year",
        "description": "Money a source says was transferred or spent, in the year it was "
        "paid (the year of its stage, or of its pledge where no source dates the payment), "
        "per currency.",
        "sql": """select year, currency, sum(amount) as paid
  from counted_money
 where measure = 'paid'
 group by year, currency
 order by year, currency""",
    },
    "disputed_records": {
        "title": "Disputed records",
        "description": "Every record another source disagrees with (wpq's --disputed): the "
        "field, the other value, its sources and how they differ; and figures that "
        "conflict with another figure.",
        "sql": """select d.collection, d.record_id, d.field, d.value,
       (select group_concat(source_id, '; ') from (
           select s.source_id from dispute_sources s
            where s.collection = d.collection and s.record_id = d.record_id
              and s.dispute_position = d.position
            order by s.position)) as sources,
       d.note
  from record_disputes d
union all
select 'figures', c.figure_id, 'value', o.value,
       (select group_concat(source_id, '; ') from (
           select r.source_id from record_sources r
            where r.collection = 'figures' and r.record_id = o.id
            order by r.position)),
       'Conflicts with figure ' || o.id || ': ' || o.statement
  from figure_conflicts c join figures o on o.id = c.other_figure_id
 order by 1, 2""",
    },
}


def datasette_metadata(
    tables: dict[str, list[str]], *, bundled: bool, user_data: bool
) -> dict[str, Any]:
    """The metadata of a database whose tables (and views) have these columns."""
    described = {table: _table(table, columns) for table, columns in tables.items()}
    database: dict[str, Any] = {
        "description": "Every table and column is described; search a table's names, "
        "summaries, statements and notes from its page.",
        "tables": described,
        "queries": QUERIES,
    }
    return {**about(bundled=bundled, user_data=user_data), "databases": {DATABASE: database}}


def about(*, bundled: bool, user_data: bool) -> dict[str, str]:
    """Title, description, licence and links: for the wpq dataset, its version and licence;
    for the user's data alone, neither (as the SQLite export's ``metadata`` table)."""
    links = {
        "source": "the sources table (every fact names its own)",
        "source_url": f"/{DATABASE}/sources",
        "about": "what this file holds: the metadata table",
        "about_url": f"/{DATABASE}/metadata",
    }
    if not bundled:
        return {
            "title": "Records of your own, exported by wpq",
            "description": f"Records from your own data files, exported by wpq {__version__}.",
            **links,
        }
    also = " and records from your own data files" if user_data else ""
    summary = f"{DATASET_SUMMARY}{also}. Data version {__version__} (SHA-256 {data_digest()})."
    licences = (
        "The data is licensed {data} (quotations and the titles of sources remain their "
        "authors'); the code of wpq that made this file, {code}."
    )
    links["about"] = "version, licence and how to cite: the metadata table"
    return {
        "title": TITLE,
        "description": f"{summary} {licences.format(data=LICENCE_SHORT, code=CODE_LICENCE)}",
        "description_html": f"<p>{html.escape(summary)} "
        + licences.format(
            data=f'<a href="{LICENCE_URL}">{LICENCE_SHORT}</a>',
            code=f'<a href="{CODE_LICENCE_URL}">{CODE_LICENCE}</a>',
        )
        + "</p>",
        "license": LICENCE_SHORT,
        "license_url": LICENCE_URL,
        **links,
    }


def _table(table: str, columns: list[str]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "description": table_description(table),
        "columns": column_descriptions(table, columns),
    }
    if table in LABELS:
        entry["label_column"] = LABELS[table]
    facets = [column for column in FACETS.get(table, ()) if column in columns]
    if facets:
        entry["facets"] = facets
    if table in SORTS:
        entry["sort"] = SORTS[table]
    return entry
