"""Every listing's columns, declared once: its title, the fields TSV and CSV show, and how
a table draws each column. The commands hand ``output.emit`` a listing's name and nothing
else about its columns, so a listing cannot print in any format without its entry here.

One entry per listing (other branches add theirs beside these). JSON always has every field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import msgspec

from ..questions.directory import ORGANISATION_COLUMNS, PROGRAMME_COLUMNS
from ..questions.funding import period_words, summary_columns
from ..questions.listings import (
    COUNTRY_COLUMNS,
    EVENT_COLUMNS,
    FIGURE_COLUMNS,
    FUNDING_COLUMNS,
    PLEDGE_COLUMNS,
    SEARCH_COLUMNS,
    SOURCE_COLUMNS,
    TIMELINE_COLUMNS,
    pledged_by,
)
from .layout import Col, Row


class Listing(msgspec.Struct, frozen=True):
    """A listing as every format shows it: ``title`` heads its table, ``fields`` are the
    columns of TSV and CSV (and of a table's ``--fields`` completion), ``table`` the
    columns a table draws, in order, each with its priority on a narrow terminal."""

    title: str
    fields: tuple[str, ...]
    table: tuple[Col, ...]


def _short(ids: str, names: str) -> Callable[[Row, Mapping[str, str]], Any]:
    """The short names of the organisations ``row[ids]`` holds (one id or a list), the full
    names of ``row[names]`` for those without one."""

    def value(row: Row, short: Mapping[str, str]) -> Any:
        found, full = row.get(ids), row.get(names)
        if isinstance(found, list):
            fulls = full if isinstance(full, list) and len(full) == len(found) else found
            return [short.get(i) or n for i, n in zip(found, fulls, strict=True)]
        return short.get(found) if isinstance(found, str) and found in short else full

    return value


def _short_pledgers(row: Row, short: Mapping[str, str]) -> Any:
    """ "UK Government and 1 other": who made a pledge, its maker by the short name."""
    maker = short.get(row.get("by") or "")
    return pledged_by(maker, len(row.get("with") or ())) if maker else row.get("pledged_by")


def _marked(row: Row) -> str:
    """A timeline entry with its mark: ● an event, ◆ a pledge."""
    return ("● " if row.get("type") == "event" else "◆ ") + str(row.get("title") or "")


def _grant_mark(row: Row) -> str | None:
    return "grant" if row.get("kind") == "grant" else None


def _period(row: Row) -> str | None:
    return period_words(row.get("period"))


# The groupings with a name column (a year has none), as ``funding.summary_columns`` names them.
GROUPED_BY = ("donor", "government", "recipient", "programme")
# One grouping's column is filled (``funding.summary_columns``): the others are left out.
_MONEY_SUMMARY = (
    Col("donor", "Donor", "id", 0),
    Col("government", "Government", "id", 0),
    Col("recipient", "Recipient", "id", 0),
    Col("programme", "Programme", "id", 0),
    Col("year", "Year", "code", 0),
    *(Col(f"{by}_name", "Name", priority=1, short=_short(by, f"{by}_name")) for by in GROUPED_BY),
    Col("count", "Records", "number", 4),
    Col("pledged", "Pledged", "money", 2, unit="currency"),
    Col("committed", "Committed", "money", 3, unit="currency"),
    Col("paid", "Paid", "money", 2, unit="currency"),
    # A fund's group holds grants alone: without this column its row would say nothing.
    Col("granted", "Granted", "money", 2, unit="currency"),
)

LISTINGS: dict[str, Listing] = {
    "events": Listing(
        "Events",
        EVENT_COLUMNS,
        (
            Col("id", "Id", "id", 0),
            Col("start", "Start", "date", 1),
            Col("end", "End", "date", 7),
            Col("kind", "Kind", "code", 6, title=True),
            Col("name", "Name", priority=2, least=12),
            Col("city", "City", priority=5),
            Col("country_name", "Country", priority=4, title=True),
            Col("host_names", "Hosts", priority=3, least=12, short=_short("hosts", "host_names")),
        ),
    ),
    "funding": Listing(
        "Funding",
        FUNDING_COLUMNS,
        (
            Col("id", "Id", "id", 0),
            Col("date", "Date", "date", 3),
            Col(
                "donor_name",
                "Donor",
                priority=5,
                title=True,
                least=10,
                short=_short("donor", "donor_name"),
            ),
            Col("to_name", "To", priority=2, title=True, least=10, short=_short("to", "to_name")),
            Col("kind", "Kind", "code", 6, value=_grant_mark),  # grants marked, pledges blank
            Col("stage", "Stage", "code", 4, title=True),
            Col("amount", "Amount", "money", 1, unit="currency"),
            Col("period", "Period", "code", 7, value=_period, beside="amount"),  # what it spans
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
            Col("pledged", "Pledged", "money", 9, unit="currency"),
            Col("committed", "Committed", "money", 9, unit="currency"),
            Col("paid", "Paid", "money", 8, unit="currency"),
            Col("part_of", "Part of", "id", 9),  # left out where the └ tree shows it
        ),
    ),
    "pledges": Listing(
        "Pledges",
        PLEDGE_COLUMNS,
        (
            Col("id", "Id", "id", 0),
            Col("date", "Date", "date", 4),
            Col("kind", "Kind", "code", 5, title=True),
            Col("pledged_by", "By", priority=1, title=True, least=12, short=_short_pledgers),
            Col("amount", "Amount", "money", 3, unit="currency"),
            Col("made_at_name", "Made at", priority=6, title=True),
            Col("summary", "Summary", priority=2, least=24),
        ),
    ),
    "countries": Listing(
        "Programme countries",
        COUNTRY_COLUMNS,
        (
            Col("code", "Code", "code", 0),
            Col("name", "Name", priority=1),
            Col("iso3", "Iso3", "code", wide_only=True),
            Col("region_name", "Region", priority=2, title=True),
            Col("programme_name", "Programme", priority=3, title=True),
            Col("notes", "Notes", priority=4, least=24),
        ),
    ),
    "organisations": Listing(
        "Organisations",
        ORGANISATION_COLUMNS,
        (
            Col("id", "Id", "id", 0),
            Col("name", "Name", priority=1, least=16, short=_short("id", "name")),
            Col("kind", "Kind", "code", 3, title=True),
            Col("country_name", "Country", priority=4, title=True),
            Col("roles", "Roles", priority=2, least=12),
            Col("pledge_count", "Pledges", "number", 5),
        ),
    ),
    "programmes": Listing(
        "Programmes",
        PROGRAMME_COLUMNS,
        (
            Col("id", "Id", "id", 0),
            Col("name", "Name", priority=1, least=20),
            Col("lead_name", "Lead", priority=2, title=True, short=_short("lead", "lead_name")),
            Col("start", "Start", "date", 3),
            Col("end", "End", "date", 4),
            Col("country_count", "Countries", "number", 5),
            Col("region_count", "Regions", "number", 6),
        ),
    ),
    "figures": Listing(
        "Figures",
        FIGURE_COLUMNS,
        (
            Col("id", "Id", "id", 0),
            Col("value", "Value", "number", 1),
            Col("unit", "Unit", priority=2, least=10, beside="value"),
            Col("statement", "Statement", priority=3, least=16),
            Col("as_of", "As of", "date", 4),
            Col(
                "measured_by_name",
                "Measured by",
                priority=5,
                short=_short("measured_by", "measured_by_name"),
            ),
            Col("conflicts_with", "Conflicts with", priority=6),
            Col("reported_at_name", "Reported at", priority=7, title=True),
        ),
    ),
    "sources": Listing(
        "Sources",
        SOURCE_COLUMNS,
        (
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
    ),
    "search": Listing(
        "Matches",
        SEARCH_COLUMNS,
        (
            Col("id", "Id", "id", 0),
            Col("collection", "In", "code", 2, title=True),
            Col("label", "Record", priority=1),
            Col("field", "Field", "code", 4),
            Col("text", "Text", priority=3, least=24),
        ),
    ),
    "timeline": Listing(
        "Timeline",
        TIMELINE_COLUMNS,
        (
            Col("date", "Date", "date", 0),
            Col("end", "End", "date", 6),
            Col("id", "Id", "id", 1),
            Col("kind", "Kind", "code", 4),
            Col("title", "What", priority=2, least=24, value=_marked),
            Col("amount", "Amount", "money", 3, unit="currency"),
        ),
    ),
    "funding-summary": Listing("Funding", summary_columns("donor"), _MONEY_SUMMARY),
    "summary-counts": Listing(
        "Records",
        ("collection", "count"),
        (
            Col("collection", "Collection", "code", 0),
            Col("count", "Records", "number", 0),
        ),
    ),
    "summary-years": Listing(
        "Events by year",
        ("year", "events", "kinds"),
        (
            Col("year", "Year", "code", 0),
            Col("count", "Events", "number", 0),
            Col("kinds", "Kinds", priority=1),
        ),
    ),
    "summary-programmes": Listing(
        "Programmes",
        ("programme", "name"),
        (
            Col("id", "Id", "id", 0),
            Col("name", "Name", priority=2),
            Col("lead_name", "Lead", priority=1, short=_short("lead", "lead_name")),
            Col("years", "Years", "code", 3),
            Col("countries", "Countries", "number", 4),
            Col("regions", "Regions", "number", 5),
        ),
    ),
}
