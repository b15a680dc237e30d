"""The command line: parse options, call the core, print, and map errors to exit codes.

Nothing here filters, totals or formats; ``query`` and ``render`` do. Every expected error
ends as one line on stderr and a documented exit code (``errors.ExitStatus``).
"""

# No `from __future__ import annotations`: Typer reads these annotations as objects, and
# evaluating strings for every command on each start costs milliseconds.
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from . import __version__, query
from .errors import ExitStatus, UsageError, WpqError
from .model import Dataset
from .options import (
    SHARED_OPTIONS,
    AboutOpt,
    AnyKindOpt,
    ChartOpt,
    CountryOpt,
    CurrencyOpt,
    DonorOpt,
    EventKindOpt,
    EventOpt,
    FromOpt,
    GroupByOpt,
    HostOpt,
    InOpt,
    Options,
    PledgeKindOpt,
    PledgerOpt,
    ProgrammeOpt,
    RecipientOpt,
    RegionOpt,
    SummaryOpt,
    ToOpt,
    YearOpt,
    complete_from_data,
    listing,
)
from .render import Format

app = typer.Typer(
    name="wpq",
    help="Query a sourced dataset on the international fight against online child sexual "
    "exploitation: summits, pledges, funds, programmes and the countries they run in.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Interrupted(WpqError):
    exit_status = ExitStatus.INTERRUPTED

    def __init__(self) -> None:
        super().__init__("interrupted")


# ---------------------------------------------------------------- running a listing


def load(opts: Options) -> Dataset:
    from .loader import env_paths, load_dataset

    paths = [str(p) for p in opts.data] if opts.data else env_paths()
    if opts.no_bundled and not paths:
        raise UsageError("--no-bundled needs data: give --data PATH or set WPQ_DATA")
    with load_progress() as progress:
        return load_dataset(
            paths,
            bundled=not opts.no_bundled,
            cache=False if opts.no_cache else None,
            progress=progress,
        )


@contextmanager
def load_progress(after: float = 1.0) -> Iterator[Callable[[str, int, int], None] | None]:
    """A spinner on stderr, shown only on a terminal and only once loading takes ``after`` s."""
    if not sys.stderr.isatty():
        yield None
        return
    import threading

    lock = threading.Lock()
    state: dict[str, Any] = {"text": "Loading data", "status": None, "done": False}

    def start() -> None:
        from rich.console import Console

        with lock:
            if not state["done"]:
                state["status"] = Console(stderr=True).status(state["text"])
                state["status"].start()

    def progress(name: str, done: int, total: int) -> None:
        with lock:
            state["text"] = f"Reading {Path(name).name} ({done + 1} of {total} files)"
            if state["status"] is not None:
                state["status"].update(state["text"])

    timer = threading.Timer(after, start)
    timer.daemon = True
    timer.start()
    try:
        yield progress
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["status"] is not None:
                state["status"].stop()


def output_format(opts: Options) -> Format:
    chosen = [f for f, on in ((Format.json, opts.json), (Format.jsonl, opts.jsonl)) if on]
    if opts.format is not None:
        chosen.append(opts.format)
    if len(set(chosen)) > 1:
        raise UsageError("choose one output format: " + ", ".join(f.value for f in chosen))
    if chosen:
        return chosen[0]
    env = os.environ.get("WPQ_FORMAT")
    if env:
        try:
            return Format(env.lower())
        except ValueError:
            raise UsageError(
                f"WPQ_FORMAT='{env}' is not a format; use one of "
                + ", ".join(f.value for f in Format)
            ) from None
    return Format.table if sys.stdout.isatty() else Format.tsv


def split_fields(text: str | None) -> list[str] | None:
    if text is None:
        return None
    fields = [f.strip() for f in text.split(",") if f.strip()]
    if not fields:
        raise UsageError("--fields needs at least one field name")
    return fields


def emit(
    opts: Options,
    ds: Dataset,
    rows: list[dict[str, Any]],
    columns: Sequence[str],
    *,
    title: str,
    listing: str,
    footer: Callable[[list[dict[str, Any]]], list[str]] | None = None,
    nested: bool = False,
) -> None:
    """Pick, sort and limit ``rows``, render them in the chosen format and write them."""
    from .render import render_rows

    check_color(opts.color)
    fmt = output_format(opts)
    fields = split_fields(opts.fields)
    if opts.with_sources:
        rows = query.with_citations(ds, rows)
        columns = [*columns, "citations"]
    valid = list(rows[0]) if rows else [*query.listing_fields(listing), *columns]
    rows = query.pick(
        rows, fields=fields, sort=opts.sort, desc=opts.desc, limit=opts.limit, valid=valid
    )
    text = render_rows(
        fmt,
        rows,
        fields or columns,
        headers=not opts.no_headers,
        color=opts.color,
        title=title,
        footer=footer(rows) if footer and fmt is Format.table else (),
        depths=query.tranche_depths(rows) if nested and not opts.sort else None,
    )
    write(text)
    finish(opts, bool(rows))


def emit_document(
    opts: Options,
    document: Any,
    *,
    draw: Callable[[Any], None],
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
) -> None:
    """Write one object (a summary, a record) in the chosen format."""
    from .render import render_document

    check_color(opts.color)
    fmt = output_format(opts)
    write(
        render_document(
            fmt,
            document,
            draw=draw,
            rows=rows,
            columns=columns,
            headers=not opts.no_headers,
            color=opts.color,
        )
    )


def check_color(color: str) -> None:
    if color not in ("auto", "always", "never"):
        raise UsageError(f"--color must be auto, always or never, not '{color}'")


def write(text: str) -> None:
    """Write all of ``text`` to stdout; a reader that went away ends the output quietly."""
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's final flush cannot fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def finish(opts: Options, matched: bool) -> None:
    if matched:
        return
    if sys.stderr.isatty():
        sys.stderr.write("wpq: nothing matches\n")
    if opts.exit_status:
        raise typer.Exit(int(ExitStatus.NO_MATCH))


# ---------------------------------------------------------------- commands


def _version(value: bool) -> None:
    if value:
        write(f"wpq {__version__}\n")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """wpq: who met, who pledged what, and where the money went, with a source for every fact."""


@app.command()
@listing
def events(
    opts: Options,
    year: YearOpt = None,
    from_year: FromOpt = None,
    to_year: ToOpt = None,
    host: HostOpt = None,
    country: CountryOpt = None,
    kind: EventKindOpt = None,
) -> None:
    """Summits, congresses and launches, by date.

    Example: wpq events --year 2015
    """
    ds = load(opts)
    found = query.filter_events(
        ds, year=year, from_year=from_year, to_year=to_year, host=host, country=country, kind=kind
    )
    rows = [query.event_row(ds, e) for e in found]
    emit(opts, ds, rows, query.EVENT_COLUMNS, title="Events", listing="events")


@app.command()
@listing
def funding(
    opts: Options,
    donor: DonorOpt = None,
    to: RecipientOpt = None,
    year: YearOpt = None,
    programme: ProgrammeOpt = None,
    currency: CurrencyOpt = None,
    summary: SummaryOpt = False,
    by: GroupByOpt = "donor",
    chart: ChartOpt = False,
    convert_to: InOpt = None,
) -> None:
    """Pledges of money, tranches under their pledge, with totals per currency.

    A tranche (part_of another pledge) is listed but never counted again in a total.

    Example: wpq funding --donor UK
    """
    ds = load(opts)
    pledges = query.funding(ds, by=donor, to=to, year=year, programme=programme, currency=currency)
    conversions = query.convert_pledges(pledges, convert_to) if convert_to else None
    if summary or chart:
        emit_summary(opts, query.group_funding(ds, pledges, by, conversions), chart=chart)
        return
    rows = [query.funding_row(ds, p) for p in pledges]
    columns = list(query.FUNDING_COLUMNS)
    if conversions is not None:
        rows = [{**row, **query.conversion_row(conversions[row["id"]])} for row in rows]
        columns += ["rate", "rate_year", "converted_amount", "converted_currency"]
    emit(
        opts,
        ds,
        rows,
        columns,
        title="Funding",
        listing="funding",
        footer=lambda shown: query.total_lines(ds, shown, conversions),
        nested=True,
    )


def emit_summary(opts: Options, summary: dict[str, Any], *, chart: bool = False) -> None:
    """The ``--summary`` object: whole in JSON/YAML, one row per group and currency otherwise.

    --fields, --sort and --limit apply to the groups (JSON) or to the rows (other formats);
    the overall totals always cover every group.
    """
    from .render import render_document, render_jsonl
    from .table import render_chart, render_table

    check_color(opts.color)
    fmt = output_format(opts)
    fields = split_fields(opts.fields)

    def picked(items: list[dict[str, Any]], valid: Sequence[str]) -> list[dict[str, Any]]:
        return query.pick(
            items, fields=fields, sort=opts.sort, desc=opts.desc, limit=opts.limit, valid=valid
        )

    whole = fmt in (Format.json, Format.yaml, Format.jsonl)
    groups = picked(summary["groups"], GROUP_FIELDS) if whole else []
    rows = [] if whole else picked(query.summary_rows(summary), SUMMARY_COLUMNS)
    columns = fields or SUMMARY_COLUMNS
    footer = query.format_totals(summary["totals"], "conversions" in summary)

    def draw(console: Any) -> None:
        if chart:
            render_chart(console, summary)
        else:
            title = f"Funding by {summary['by']}"
            render_table(console, rows, columns, title=title, footer=footer)

    if fmt is Format.jsonl:  # one line per group, as --jsonl gives one per row elsewhere
        write(render_jsonl(groups))
    else:
        write(
            render_document(
                fmt,
                {**summary, "groups": groups},
                draw=draw,
                rows=rows,
                columns=columns,
                headers=not opts.no_headers,
                color=opts.color,
            )
        )
    finish(opts, bool(groups or rows))


GROUP_FIELDS = ("key", "name", "count", "totals")
SUMMARY_COLUMNS = ("key", "name", "count", "currency", "amount")


@app.command("summary")
@listing
def summary_command(opts: Options, convert_to: InOpt = None) -> None:
    """Counts, money by donor and currency, events per year, programme coverage.

    Example: wpq summary --in USD
    """
    from .table import render_summary

    ds = load(opts)
    summary = query.dataset_summary(ds, convert_to)
    emit_document(
        opts,
        summary,
        draw=lambda console: render_summary(console, summary),
        rows=[{"collection": k, "count": v} for k, v in summary["counts"].items()],
        columns=["collection", "count"],
    )


@app.command()
@listing
def timeline(
    opts: Options,
    year: YearOpt = None,
    from_year: FromOpt = None,
    to_year: ToOpt = None,
    kind: AnyKindOpt = None,
) -> None:
    """Events, milestones and pledges in date order, grouped by year.

    Example: wpq timeline --from 2014 --to 2016
    """
    ds = load(opts)
    rows = query.timeline(ds, year=year, from_year=from_year, to_year=to_year, kind=kind)
    if output_format(opts) is Format.table and not (opts.fields or opts.sort):
        from .table import capture, render_timeline

        check_color(opts.color)
        shown = rows[: opts.limit] if opts.limit is not None else rows
        write(capture(lambda console: render_timeline(console, shown), opts.color))
        finish(opts, bool(rows))
        return
    emit(opts, ds, rows, query.TIMELINE_COLUMNS, title="Timeline", listing="timeline")


@app.command()
@listing
def countries(
    opts: Options,
    programme: ProgrammeOpt = None,
    region: RegionOpt = None,
) -> None:
    """Programme countries with their region and notes, by region.

    Example: wpq countries --programme unicef
    """
    ds = load(opts)
    rows = query.country_rows(ds, programme=programme, region=region)
    emit(opts, ds, rows, query.COUNTRY_COLUMNS, title="Programme countries", listing="countries")


@app.command()
@listing
def pledges(
    opts: Options,
    by: PledgerOpt = None,
    event: EventOpt = None,
    year: YearOpt = None,
    kind: PledgeKindOpt = None,
) -> None:
    """All pledges, money or not.

    Example: wpq pledges --event abu-dhabi-2015
    """
    ds = load(opts)
    found = query.filter_pledges(ds, by=by, event=event, year=year, kind=kind)
    rows = [query.pledge_row(ds, p) for p in found]
    emit(opts, ds, rows, query.PLEDGE_COLUMNS, title="Pledges", listing="pledges")


@app.command()
@listing
def figures(
    opts: Options,
    about: AboutOpt = None,
) -> None:
    """Statistics quoted by the sources; conflicting figures are cross-referenced.

    Example: wpq figures --about internet
    """
    ds = load(opts)
    emit(
        opts,
        ds,
        query.figure_rows(ds, about=about),
        query.FIGURE_COLUMNS,
        title="Figures",
        listing="figures",
    )


@app.command()
@listing
def sources(opts: Options) -> None:
    """The sources, with how many records each supports and which.

    Example: wpq sources --sort used_by_count --desc
    """
    ds = load(opts)
    emit(opts, ds, query.source_rows(ds), query.SOURCE_COLUMNS, title="Sources", listing="sources")


@app.command()
@listing
def search(
    opts: Options,
    text: Annotated[str, typer.Argument(help="Text to look for (case and accents ignored).")],
    collection: Annotated[
        str | None,
        typer.Option(
            "--in", help="Only this collection (events, pledges, ...).", show_default=False
        ),
    ] = None,
) -> None:
    """Records in any collection whose text contains TEXT.

    Example: wpq search unicef --in events
    """
    ds = load(opts)
    emit(
        opts,
        ds,
        query.search(ds, text, collection),
        query.SEARCH_COLUMNS,
        title="Matches",
        listing="search",
    )


@app.command()
@listing
def show(
    opts: Options,
    record_id: Annotated[
        str,
        typer.Argument(
            metavar="ID", help="The id of a record.", autocompletion=complete_from_data("records")
        ),
    ],
    collection: Annotated[
        str | None,
        typer.Option("--in", help="The collection, when the id is in several.", show_default=False),
    ] = None,
) -> None:
    """One record in full, with its sources and everything that refers to it.

    Example: wpq show uk-40m-fund-2016
    """
    from .table import render_record

    ds = load(opts)
    shown = query.show(ds, record_id, collection)
    emit_document(
        opts,
        shown,
        draw=lambda console: render_record(console, shown),
        rows=[{"field": k, "value": v} for k, v in shown["record"].items()],
        columns=["field", "value"],
    )


@app.command()
def export(
    sqlite: Annotated[
        Path, typer.Option("--sqlite", help="Write the dataset to this SQLite file.")
    ],
    force: Annotated[bool, typer.Option("--force", help="Replace an existing file.")] = False,
    data: Annotated[
        list[Path] | None,
        typer.Option("--data", help="Also export these files or directories.", show_default=False),
    ] = None,
    no_bundled: Annotated[
        bool, typer.Option("--no-bundled", help="Export only --data / WPQ_DATA.")
    ] = False,
) -> None:
    """Export the whole dataset as an SQLite database: a table per collection, link tables.

    The file is written under a temporary name and renamed when complete.

    Example: wpq export --sqlite wpq.db
    """
    from .export import export_sqlite

    ds = load(_data_only(data, no_bundled))
    counts = export_sqlite(ds, sqlite, force=force)
    sys.stderr.write(
        f"wpq: wrote {sum(counts.values())} rows in {len(counts)} tables to {sqlite}\n"
    )


def _data_only(data: list[Path] | None, no_bundled: bool) -> Options:
    """Options for a command that reads data but prints no listing."""
    defaults = {name: default for name, (_, default) in SHARED_OPTIONS.items()}
    return Options(**{**defaults, "data": data or [], "no_bundled": no_bundled})


cache_app = typer.Typer(
    name="cache",
    help="The cache of checked data, which spares a repeated query from parsing YAML again."
    "\n\nExample: wpq cache info",
    no_args_is_help=True,
)
app.add_typer(cache_app)


@cache_app.command("info")
def cache_info(
    json_output: Annotated[bool, typer.Option("--json", help="As a JSON object.")] = False,
) -> None:
    """Where the cache is and what it holds.

    Example: wpq cache info
    """
    from . import cache
    from .render import render_json

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
    from . import cache

    removed = cache.clear()
    sys.stderr.write(f"wpq: removed {removed} cache file{'s' if removed != 1 else ''}\n")


@app.command()
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) of a data file, for editors.

    Example: wpq schema > wpq-data.schema.json
    """
    from .render import render_json
    from .schema import data_file_schema

    write(render_json(data_file_schema()))


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or directories; default: the bundled data plus --data / WPQ_DATA.",
            show_default=False,
        ),
    ] = None,
    data: Annotated[
        list[Path] | None, typer.Option("--data", help="Also check these.", show_default=False)
    ] = None,
) -> None:
    """Check data files and report every problem, one line each.

    Exit 0 when clean, 1 otherwise. Example: wpq validate mine.yaml
    """
    from .loader import env_paths, load_dataset

    named = [str(p) for p in (paths or [])] + [str(p) for p in (data or [])]
    if paths:
        ds = load_dataset(named, bundled=False, check_codes=True)
    else:
        ds = load_dataset(named or env_paths(), bundled=True, check_codes=True)
    count = sum(len(ds.collection(name)) for name in query.COLLECTION_NAMES)
    sys.stderr.write(f"wpq: {count} records, no problems\n")


# ---------------------------------------------------------------- entry point


def _interrupt(signum: int, frame: Any) -> NoReturn:
    raise Interrupted()


def click_command(argv: Sequence[str]) -> Any:
    """The click command that runs ``argv``.

    Typer builds every command's parameters up front (about 10 ms for all of wpq's), so when
    the line names a command, only that one is built; help and completion get them all.
    """
    import copy

    name = next((arg for arg in argv if not arg.startswith("-")), None)
    if name is not None and "_WPQ_COMPLETE" not in os.environ:
        narrowed = copy.copy(app)
        narrowed.registered_commands = [
            c
            for c in app.registered_commands
            if (c.name or c.callback.__name__) == name  # type: ignore[union-attr]
        ]
        narrowed.registered_groups = [
            g
            for g in app.registered_groups
            if (g.name or g.typer_instance.info.name) == name  # type: ignore[union-attr]
        ]
        if narrowed.registered_commands or narrowed.registered_groups:
            return typer.main.get_command(narrowed)
    return typer.main.get_command(app)


def main(argv: Sequence[str] | None = None) -> int:
    """Run wpq; returns the exit status. Errors become one stderr line each."""
    from typer._click import exceptions as click_exceptions

    signal.signal(signal.SIGINT, _interrupt)
    command = click_command(sys.argv[1:] if argv is None else argv)
    try:
        result = command.main(
            args=list(argv) if argv is not None else None, prog_name="wpq", standalone_mode=False
        )
    except WpqError as error:
        if os.environ.get("WPQ_DEBUG") == "1":
            raise
        sys.stdout.flush()
        sys.stderr.write("".join(f"wpq: {line}\n" for line in error.lines()))
        return int(error.exit_status)
    except click_exceptions.NoArgsIsHelpError as error:
        write(error.ctx.get_help() + "\n" if error.ctx else "")
        return int(ExitStatus.OK)
    except click_exceptions.ClickException as error:
        if os.environ.get("WPQ_DEBUG") == "1":
            raise
        ctx = getattr(error, "ctx", None)
        where = f" (see '{ctx.command_path} --help')" if ctx else ""
        message = " ".join(error.format_message().split())
        sys.stderr.write(f"wpq: {message}{where}\n")
        return error.exit_code
    except typer.Abort:  # EOF on a prompt
        sys.stderr.write("wpq: aborted\n")
        return int(ExitStatus.INTERRUPTED)
    return result if isinstance(result, int) else int(ExitStatus.OK)
