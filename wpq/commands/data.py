"""Commands about data files rather than questions of the data: validate, schema, export,
and the cache. ``cli.py`` registers them; like every command, they only parse options and
call the core.
"""

# No `from __future__ import annotations`: Typer reads these annotations as objects.
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import DataError, ExitStatus, UsageError, WpqError
from ..questions.rows import COLLECTION_NAMES
from .options import Options, shared_defaults
from .output import load, say, write

if TYPE_CHECKING:
    from ..model import Dataset


def export(
    sqlite: Annotated[
        Path | None,
        typer.Option(
            "--sqlite",
            help="Write the dataset to this SQLite file.",
            metavar="FILE",
            readable=False,
            show_default=False,
        ),
    ] = None,
    bundle: Annotated[
        Path | None,
        typer.Option(
            "--bundle",
            help="Write a bundle to browse and publish into this directory (made if "
            "missing): wpq.db with search, datasette's metadata.json, and a Data Package "
            "(datapackage.json, data/*.csv).",
            metavar="DIR",
            readable=False,
            show_default=False,
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace an existing regular file (never a link); for --bundle, only the "
            "bundle's own files.",
        ),
    ] = False,
    data: Annotated[
        list[str] | None,
        typer.Option(
            "--data",
            help="Also export these files or directories.",
            metavar="PATH",
            show_default=False,
        ),
    ] = None,
    no_bundled: Annotated[
        bool, typer.Option("--no-bundled", help="Export only --data / WPQ_DATA.")
    ] = False,
) -> None:
    """Export the whole dataset: an SQLite database, or a bundle for datasette and as a Data
    Package.

    --sqlite FILE: a table per collection, link tables, the funding table and the
    counted_money view. --bundle DIR: the same database with full-text search, datasette's
    metadata.json (browse it: datasette DIR/wpq.db -m DIR/metadata.json) and a Frictionless
    Data Package (DIR/datapackage.json, a CSV file per table in DIR/data/).

    Each file is written beside its name under a temporary name, then renamed into place.
    Replaces only a regular file, and only with --force (never a link or a device); a bundle
    touches no file but its own.

    Example: wpq export --bundle wpq-bundle (or: wpq export --sqlite wpq.db)
    """
    from ..loader import env_paths

    if (sqlite is None) == (bundle is None):
        given = "both" if sqlite is not None else "neither"
        raise UsageError(f"export writes --sqlite FILE or --bundle DIR ({given} given)")
    ds = load(_data_only(data, no_bundled))
    user_data = bool(data or env_paths())
    if bundle is not None:
        from ..export.bundle import export_bundle

        counts = export_bundle(ds, bundle, force=force, bundled=not no_bundled, user_data=user_data)
        say(
            f"wrote a bundle of {sum(counts.values())} rows in {len(counts)} tables to "
            f"{bundle}: wpq.db, metadata.json, datapackage.json and data/*.csv"
        )
        return
    from ..export.sqlite import export_sqlite

    assert sqlite is not None
    counts = export_sqlite(ds, sqlite, force=force, bundled=not no_bundled, user_data=user_data)
    say(f"wrote {sum(counts.values())} rows in {len(counts)} tables to {sqlite}")


def _data_only(data: list[str] | None, no_bundled: bool) -> Options:
    """Options for a command that reads data but prints no listing."""
    return Options(**{**shared_defaults(), "data": data or [], "no_bundled": no_bundled})


cache_app = typer.Typer(
    name="cache",
    help="The cache of checked data, which spares a repeated query from parsing YAML again."
    "\n\nExample: wpq cache info",
    no_args_is_help=True,
)


@cache_app.command("info")
def cache_info(
    json_output: Annotated[bool, typer.Option("--json", help="As a JSON object.")] = False,
) -> None:
    """Where the cache is and what it holds.

    Example: wpq cache info
    """
    from ..cache import policy as cache
    from ..render.text import render_json

    facts = cache.info()
    if json_output:
        write(render_json(facts))
    else:
        write("".join(f"{name}\t{value}\n" for name, value in facts.items()))


@cache_app.command("clear")
def cache_clear() -> None:
    """Remove every cached dataset (the next query reads the YAML again).

    Example: wpq cache clear
    """
    from ..cache import policy as cache

    removed = cache.clear()
    say(f"removed {removed} cache file{'s' if removed != 1 else ''}")


def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of a data file, for editors.

    Example: wpq schema > wpq-data.schema.json
    """
    from ..export.schema import data_file_schema
    from ..render.text import render_json

    write(render_json(data_file_schema()))


class Reported(WpqError):
    """An error already drawn on the terminal (``report``): only its exit status is left."""

    def __init__(self, exit_status: ExitStatus) -> None:
        super().__init__("")
        self.exit_status = exit_status

    def lines(self) -> list[str]:
        return []


def report(draw: Callable[[Any], None]) -> None:
    """What ``draw(console)`` prints, on stderr (a terminal: a report drawn to its width)."""
    from ..render.table import capture

    try:
        sys.stderr.write(capture(draw, stderr=True))
        sys.stderr.flush()
    except (OSError, ValueError):  # as ``say``: a lost message never changes the outcome
        pass


def validate(
    paths: Annotated[
        list[str] | None,
        typer.Argument(
            help="Files or directories, checked with the bundled data as --data loads them; "
            "default: the bundled data plus --data / WPQ_DATA.",
            metavar="PATH...",
            show_default=False,
            readable=False,  # the loader reports an unreadable file: one line, exit 1
        ),
    ] = None,
    data: Annotated[
        list[str] | None,
        typer.Option("--data", help="Also check these.", metavar="PATH", show_default=False),
    ] = None,
    no_bundled: Annotated[
        bool, typer.Option("--no-bundled", help="Check the files alone, without the bundled data.")
    ] = False,
) -> None:
    """Check data files as a query would load them, and report every problem, one line each.

    Files are checked with the bundled data: they may refer to bundled records.

    Exit 0 when clean, 1 otherwise. Example: wpq validate mine.yaml
    """
    from ..loader import env_paths, load_dataset

    named = [*(paths or []), *(data or [])] or env_paths()
    if no_bundled and not named:
        raise UsageError("--no-bundled needs data: name a file, give --data PATH or set WPQ_DATA")
    terminal = sys.stderr.isatty()  # a report drawn to its width; piped, a line a problem
    try:
        ds = load_dataset(named, bundled=not no_bundled, check_codes=True)
    except DataError as error:
        if not terminal:
            raise
        from ..render.report import render_problems

        problems = error.problems
        report(lambda console: render_problems(console, problems))
        raise Reported(error.exit_status) from None
    count = sum(len(ds.collection(name)) for name in COLLECTION_NAMES)
    shown = ", ".join(named) if len(named) <= 3 else f"{len(named)} paths"
    what = (["the bundled data"] if not no_bundled else []) + ([shown] if named else [])
    warned = _warnings(ds, named, no_bundled)
    also = f" ({warned} warning{'s' if warned != 1 else ''})" if warned else ""
    said = f"{' and '.join(what)}: {count} records, no problems{also}"
    if terminal:
        from ..render.report import render_said

        report(lambda console: render_said(console, said))
    else:
        say(said)


def _warnings(ds: "Dataset", named: list[str], no_bundled: bool) -> int:
    """Say what is allowed but probably a slip (``load.ledger.warnings``) in the files named,
    one line each; the exit status stays 0. The bundled data's own tests keep its slips to
    the one its notes explain (a tranche announced before the answer that dates its pledge)."""
    from ..load.ledger import placed, warnings
    from ..load.records import resolve_positions
    from ..loader import expand_paths, load_dataset

    if not named:
        return 0
    found = warnings(ds.pledges)
    if not found:
        return 0
    if not ds.origins:  # answered from the cache, which keeps no places: read the files
        ds = load_dataset(named, bundled=not no_bundled, check_codes=True, cache=False)
    mine = {str(path) for path in expand_paths(named)[0]}
    problems = resolve_positions([w for w in placed(found, ds.origins) if w.path in mine])
    for problem in problems:
        say(f"warning: {problem}")
    return len(problems)


def new(
    path: Annotated[
        Path,
        typer.Argument(
            help="The file to write ('-': print it instead).", metavar="FILE", show_default=False
        ),
    ],
) -> None:
    """Start a data file of your own: a commented example of each record you may add.

    Valid as written: replace the examples with your own records. Never replaces a file.

    Example: wpq new my-records.yaml
    """
    from ..export.template import data_template, write_new

    if str(path) == "-":
        write(data_template())
        return
    write_new(path)
    say(f"wrote {path}; check it with: wpq validate {path}")
