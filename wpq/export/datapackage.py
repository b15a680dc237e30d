"""A bundle's database as a Frictionless Data Package (``datapackage.json``): one CSV resource
per table and view, each with a Table Schema (types, required columns, allowed values,
primary and foreign keys) read from the database itself, the descriptions of ``describe``,
the licence and every source the records cite.

Written as data (Data Package 1.0, the form ``frictionless`` validates); wpq never imports
frictionless. The CSV files hold the values exactly as the database does: UTF-8, a header
row, an empty cell for a missing value.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Iterable
from typing import Any

import msgspec

from .. import __version__
from ..descriptions import DATASET_SUMMARY
from ..model import Source
from ..questions.citations import (
    AUTHOR,
    CODE_LICENCE,
    CODE_LICENCE_URL,
    LICENCE,
    LICENCE_NAME,
    LICENCE_URL,
    TITLE,
)
from .describe import allowed_values, column_descriptions, table_description

# SQLite's declared column types as Table Schema's.
_TYPES = {"TEXT": "string", "INTEGER": "integer", "REAL": "number"}
# What a column without a declared type holds, by the Python types of its values.
_MIXED = {
    frozenset({int}): "integer",
    frozenset({float}): "number",
    frozenset({int, float}): "number",
    frozenset({str}): "string",
}
# The views published beside the tables, each with the table its rows come from and the
# columns named otherwise there, so their keys are that table's.
VIEWS = {"counted_money": ("funding", {"pledge_id": "id", "recipient": "to"})}
VIEW_KEYS = {"counted_money": ["pledge_id", "measure"]}


class Table(msgspec.Struct, frozen=True):
    """What a table (or view) of the database is, as a resource describes it."""

    name: str
    columns: list[str]
    types: list[str]  # declared SQLite types
    required: list[bool]
    primary_key: list[str]
    foreign_keys: list[dict[str, Any]]


def read_tables(db: sqlite3.Connection, names: Iterable[str]) -> list[Table]:
    """The tables and views ``names`` of ``db``, with their columns and keys."""
    found = [_table(db, name) for name in names]
    by_name = {table.name: table for table in found}
    for view, (source, renamed) in VIEWS.items():
        if view in by_name and source in by_name:
            back = {column: renamed.get(column, column) for column in by_name[view].columns}
            keys = [
                {**key, "fields": [c for c, s in back.items() if s in key["fields"]]}
                for key in by_name[source].foreign_keys
                if all(field in back.values() for field in key["fields"])
            ]
            by_name[view] = msgspec.structs.replace(
                by_name[view], primary_key=VIEW_KEYS[view], foreign_keys=keys
            )
    return [by_name[table.name] for table in found]


def _table(db: sqlite3.Connection, name: str) -> Table:
    # table_xinfo: generated columns too; hidden ones (a virtual table's) are not data.
    info = [row for row in db.execute(f'PRAGMA table_xinfo("{name}")') if row[6] != 1]
    keys: dict[int, dict[str, Any]] = {}
    for key_id, _, other, column, other_column, *_ in db.execute(
        f'PRAGMA foreign_key_list("{name}")'
    ):
        # Table Schema names the resource itself "" (frictionless 5.18 fails on its name).
        resource = "" if other == name else other
        key = keys.setdefault(
            key_id, {"fields": [], "reference": {"resource": resource, "fields": []}}
        )
        key["fields"].append(column)
        key["reference"]["fields"].append(other_column)
    return Table(
        name=name,
        columns=[row[1] for row in info],
        types=[row[2].upper() for row in info],
        required=[bool(row[3]) for row in info],
        primary_key=[row[1] for row in sorted(info, key=lambda row: row[5]) if row[5]],
        foreign_keys=[keys[k] for k in sorted(keys)],
    )


def rows(db: sqlite3.Connection, table: Table) -> list[tuple[Any, ...]]:
    """The rows of ``table`` in a stable order: as inserted, or by key for a view."""
    names = ", ".join(f'"{c}"' for c in table.columns)
    keys = VIEW_KEYS.get(table.name)
    order = ", ".join(f'"{c}"' for c in keys) if keys else "rowid"
    return db.execute(f'SELECT {names} FROM "{table.name}" ORDER BY {order}').fetchall()


def csv_text(table: Table, values: list[tuple[Any, ...]]) -> str:
    """A table's CSV: a header row, then each row; a missing value an empty cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows(["" if v is None else v for v in row] for row in values)
    return out.getvalue()


DATA_DIR = "data"


def resource_path(table: str) -> str:
    """Where a table's CSV file is, from the package's folder."""
    return f"{DATA_DIR}/{table}.csv"


def data_package(
    tables: list[Table],
    values: dict[str, list[tuple[Any, ...]]],
    sources: Iterable[Source],
    *,
    bundled: bool,
    user_data: bool,
) -> dict[str, Any]:
    """The ``datapackage.json`` of these tables, whose rows are ``values``."""
    package: dict[str, Any] = {"profile": "tabular-data-package"}
    code = f"the code of wpq that made it is licensed {CODE_LICENCE} ({CODE_LICENCE_URL})"
    if bundled:
        also = ", with records from the user's own data files" if user_data else ""
        package |= {
            "name": "wpq",
            "title": TITLE,
            "description": f"{DATASET_SUMMARY}{also}. Every table of its SQLite export "
            f"(wpq export --sqlite) as CSV. The data is licensed {LICENCE_NAME}; quotations "
            f"and the titles of sources remain their authors'; {code}.",
            "version": __version__,
            "licenses": [{"name": LICENCE, "path": LICENCE_URL, "title": LICENCE_NAME}],
            "contributors": [{"title": AUTHOR, "role": "author"}],
        }
    else:
        package |= {
            "name": "wpq-user-data",
            "title": "Records of your own, exported by wpq",
            "description": f"Records from the user's own data files, exported by wpq "
            f"{__version__}: every table of its SQLite export as CSV; {code}.",
        }
    cited = [_source(source) for source in sources]
    if cited:
        package["sources"] = cited
    package["resources"] = [_resource(table, values[table.name]) for table in tables]
    return package


def _source(source: Source) -> dict[str, str]:
    entry = {"title": source.title}
    if source.url:
        entry["path"] = source.url
    return entry


def _resource(table: Table, values: list[tuple[Any, ...]]) -> dict[str, Any]:
    descriptions = column_descriptions(table.name, table.columns)
    fields = []
    for i, column in enumerate(table.columns):
        field: dict[str, Any] = {
            "name": column,
            "type": _type(table.types[i], (row[i] for row in values)),
            "description": descriptions[column],
        }
        constraints: dict[str, Any] = {}
        if table.required[i] or column in table.primary_key:
            constraints["required"] = True
        allowed = allowed_values(table.name, column)
        if allowed:
            constraints["enum"] = list(allowed)
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = table.primary_key
    # A key of several columns, one of which may be null, binds in SQL only when all are
    # there (a country in no region); Table Schema would check it: it is left out.
    required = {c for c, r in zip(table.columns, table.required, strict=True) if r}
    keys = [
        key
        for key in table.foreign_keys
        if len(key["fields"]) == 1 or required.issuperset(key["fields"])
    ]
    if keys:
        schema["foreignKeys"] = keys
    return {
        "name": table.name,
        "path": resource_path(table.name),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": table_description(table.name),
        "schema": schema,
    }


def _type(declared: str, values: Iterable[Any]) -> str:
    """Table Schema's type of a column: its declared type's, or else its values'."""
    if declared:
        return _TYPES.get(declared, "string")
    return _MIXED.get(frozenset(type(v) for v in values if v is not None), "any")
