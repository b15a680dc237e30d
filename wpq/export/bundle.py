"""Write a Dataset as a bundle to browse and publish (``wpq export --bundle DIR``): the SQLite
export with search (``wpq.db``), datasette's ``metadata.json``, and a Frictionless Data
Package (``datapackage.json`` and a CSV file per table in ``data/``).

A bundle owns only those files: it writes them where ``target``'s rule allows (nothing
there, or with ``force`` a regular file) and leaves every other file in the directory alone.
Every target is checked before anything is written; each file is written whole beside its
name, and all take their names only when all are complete.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from ..errors import OutputError
from ..model import Dataset
from .browse import add_browsing
from .datapackage import DATA_DIR, VIEWS, csv_text, data_package, read_tables, resource_path, rows
from .datasette_metadata import datasette_metadata
from .sqlite import metadata, write_database
from .sqlschema import TABLES
from .target import check_directory, check_target, make_directory, writing

DATABASE_FILE = "wpq.db"
METADATA_FILE = "metadata.json"
PACKAGE_FILE = "datapackage.json"
# Every table of the SQLite export and the views beside them: each a CSV resource.
PUBLISHED = (*TABLES, *VIEWS)
REPLACE_HINT = "use --force to replace the bundle's own files"


def owned_files(directory: Path) -> list[Path]:
    """Every file a bundle in ``directory`` writes, and so may replace."""
    names = [DATABASE_FILE, METADATA_FILE, PACKAGE_FILE, *map(resource_path, PUBLISHED)]
    return [directory / name for name in names]


def export_bundle(
    ds: Dataset,
    directory: Path,
    *,
    force: bool = False,
    bundled: bool = True,
    user_data: bool = False,
) -> dict[str, int]:
    """Write the bundle of ``ds`` into ``directory`` (made if missing; its parent must
    exist): rows written per table of ``wpq.db``.

    ``UsageError`` when a file the bundle owns is there and ``force`` is not given, or when
    one of them (or the directory, or its ``data`` folder) is a link or of another kind;
    ``OutputError`` when a file cannot be written. Nothing is written in either case, and
    files the bundle does not own are never touched.
    """
    directory = Path(directory)
    data = directory / DATA_DIR
    if check_directory(directory):
        check_directory(data)
        for path in owned_files(directory):
            check_target(path, force=force, replace_hint=REPLACE_HINT)
    make_directory(directory)
    make_directory(data)
    meta = metadata(bundled=bundled, user_data=user_data)
    with contextlib.ExitStack() as stack:
        path = directory / DATABASE_FILE
        temp = stack.enter_context(writing(path, force=force, replace_hint=REPLACE_HINT))
        counts = write_database(ds, temp, meta, path, extra=add_browsing)
        with contextlib.closing(sqlite3.connect(temp)) as db:
            tables = read_tables(db, PUBLISHED)
            values = {table.name: rows(db, table) for table in tables}
        files = {resource_path(t.name): csv_text(t, values[t.name]) for t in tables}
        columns = {table.name: table.columns for table in tables}
        files[METADATA_FILE] = _json(
            datasette_metadata(columns, bundled=bundled, user_data=user_data)
        )
        files[PACKAGE_FILE] = _json(
            data_package(tables, values, ds.sources, bundled=bundled, user_data=user_data)
        )
        for name, text in files.items():
            _write(stack, directory / name, text, force=force)
    return counts


def _write(stack: contextlib.ExitStack, path: Path, text: str, *, force: bool) -> None:
    """``text`` into a temporary file beside ``path``, named when ``stack`` closes."""
    temp = stack.enter_context(writing(path, force=force, replace_hint=REPLACE_HINT))
    try:
        with open(temp, "w", encoding="utf-8", newline="") as out:
            out.write(text)
    except OSError as exc:  # a full disk, say
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def _json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"
