"""From the core's answer to what the user sees: load the data the options name, choose the
format, pick fields, write to stdout, and map errors and empty results to exit codes.

The commands in ``cli.py`` call these; nothing below ``output`` prints or decides an exit.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import CacheUntrusted, ExitStatus, OutputError, UsageError, WpqError, printable
from ..render.text import CITATION_FORMATS, Format
from .formats import check, check_color, drawn, output_format, split_fields
from .streams import silence_stdout, unicode_stdout, write_encodable

if TYPE_CHECKING:
    from ..model import Dataset
    from .options import Options

Row = dict[str, Any]


class Interrupted(WpqError):
    exit_status = ExitStatus.INTERRUPTED

    def __init__(self) -> None:
        super().__init__("interrupted")


class NoMatch(Exception):
    """Nothing matched and ``-e`` asked for exit status 4."""


# ---------------------------------------------------------------- loading


def load(opts: Options) -> Dataset:
    """The dataset the options name: bundled data, ``--data`` or ``WPQ_DATA``."""
    from ..loader import env_paths, load_dataset

    paths = [str(p) for p in opts.data] if opts.data else env_paths()
    if opts.no_bundled and not paths:
        raise UsageError("--no-bundled needs data: give --data PATH or set WPQ_DATA")
    if not sys.stderr.isatty():  # no spinner to show: not even its module is needed
        return load_dataset(
            paths, bundled=not opts.no_bundled, cache=False if opts.no_cache else None
        )
    from .spinner import load_progress

    with load_progress() as progress:
        return load_dataset(
            paths,
            bundled=not opts.no_bundled,
            cache=False if opts.no_cache else None,
            progress=progress,
        )


# ---------------------------------------------------------------- listings and documents


def emit(
    opts: Options,
    ds: Dataset,
    made: Sequence[Row],
    listing: str,
    *,
    also: Sequence[str] = (),
    footer: Callable[[list[Row]], list[str]] | None = None,
    nested: bool = False,
    order: Mapping[str, tuple[str | None, str]] | None = None,
) -> None:
    """Pick, sort (``order``: how some fields sort, ``rows.pick``) and limit the rows
    ``made``, render them in the chosen format and write them.

    ``listing`` names the entry of ``render.columns.LISTINGS`` that says how every format
    shows them (its title, TSV/CSV columns and table); ``also`` adds fields to TSV/CSV.
    """
    from ..questions.rows import Built, pick

    check_color(opts.color)
    fmt = output_format(opts, drawn=drawn(opts))
    check(opts, fmt)
    fields = split_fields(opts.fields)
    if fmt in STREAMED and isinstance(made, Built) and not _picks(opts, fields):
        # Every row and field, as made a chunk at a time (``rows.Built``): written so.
        from ..render.text import json_pieces

        write(json_pieces(made.encoded(), lines=fmt is Format.jsonl))
        finish(opts, bool(made))
        return
    rows = narrowed(opts, ds, listing, list(made))
    # JSON and YAML show every field of every row: their listing's declared columns (and the
    # modules that declare them) are read only to add citations or name the fields of none.
    columns: Sequence[str] = ()
    if fmt not in EVERY_FIELD or opts.with_sources or not rows:
        columns = [*_declared(listing).fields, *also]
    if opts.with_sources:
        from .references import add_citations

        rows, cited = add_citations(ds, listing, rows, columns, fmt)
        if fields:  # asked for: shown, whatever --fields picks
            fields = [*fields, *(c for c in cited if c not in columns and c not in fields)]
        columns = cited
    if rows:
        valid = list(rows[0])
    else:
        from ..questions.listings import listing_fields

        valid = [*listing_fields(listing), *columns]

    def cut(keep: Sequence[str] | None) -> list[Row]:
        return pick(
            rows,
            fields=keep,
            sort=opts.sort,
            desc=opts.desc,
            limit=opts.limit,
            valid=valid,
            order=order,
        )

    picked = cut(fields)
    shown = fields or columns
    text: str | Iterable[str]
    if fmt in CITATION_FORMATS:
        from .references import listing_references

        text = listing_references(opts, ds, listing, cut(None), fmt)
    elif fmt is Format.table:
        from ..questions.directory import short_names
        from ..questions.money import tranche_depths
        from ..render.table import capture, render_table

        # Tranche marks and footers read every field of the rows shown, whatever --fields shows.
        whole = cut(None) if fields else picked
        depths = tranche_depths(whole) if nested and not opts.sort else None
        lines = footer(whole) if footer and picked else []
        refs: list[Row] = []
        if opts.with_sources:  # a column of numbers, the references under the table
            from .references import number_sources

            picked, refs, fields = number_sources(ds, whole, picked, fields)

        def draw(console: Any) -> None:
            render_table(
                console,
                picked,
                listing,
                fields=fields,
                extra=["refs"] if opts.with_sources else [],
                title=_declared(listing).title,
                depths=depths,
                footer=lines,
                wide=opts.wide,
                short=short_names(ds),
                headers=not opts.no_headers,
            )
            if refs:  # numbered under the table (--with-sources)
                from ..render.references import draw_references

                draw_references(console, refs)

        text = capture(draw, opts.color)
    else:
        from ..render.text import rows_pieces

        text = rows_pieces(
            fmt, picked, shown, headers=not opts.no_headers, unicode=unicode_stdout()
        )
    write(text)
    finish(opts, bool(picked))


# Formats written a few rows at a time, as they are made (``render.text.json_pieces``).
STREAMED = frozenset({Format.json, Format.jsonl})
# Formats that write every field of a row, whatever a listing's columns say.
EVERY_FIELD = frozenset({Format.json, Format.jsonl, Format.yaml})


def _declared(listing: str) -> Any:
    """The declaration of ``listing`` (``render.columns.LISTINGS``)."""
    from ..render.columns import LISTINGS

    return LISTINGS[listing]


def _picks(opts: Options, fields: Sequence[str] | None) -> bool:
    """Whether options pick, sort, narrow or add to a listing's rows."""
    return bool(fields or opts.sort or opts.with_sources or opts.disputed or opts.inferred) or (
        opts.limit is not None
    )


def narrowed(opts: Options, ds: Dataset, listing: str, rows: list[Row]) -> list[Row]:
    """``--disputed``, ``--inferred``: the rows whose record carries a dispute, an inferred fact."""
    if not (opts.disputed or opts.inferred):
        return rows
    from ..questions.trust import keep

    return keep(ds, listing, rows, disputed=opts.disputed, inferred=opts.inferred)


def emit_document(
    opts: Options,
    document: Any,
    *,
    draw: Callable[[Any], None],
    sections: Sequence[tuple[Sequence[str], Sequence[Row]]],
    what: str = "document",
) -> None:
    """Write one object (a summary, a record: a ``card``): drawn by ``draw(console)`` on a
    terminal, whole in JSON or YAML, and as blocks of ``(columns, rows)`` in TSV or CSV."""
    check_color(opts.color)
    fmt = output_format(opts, drawn=drawn(opts))
    check(opts, fmt, what=what)
    if fmt in CITATION_FORMATS:  # references are a listing's or a record's (wpq show, cite)
        raise UsageError(f"--format {fmt.value} is for listings and show; see: wpq cite --help")
    if fmt is Format.table:
        from ..render.table import capture

        write(capture(draw, opts.color))
        return
    from ..render.text import render_document

    write(
        render_document(
            fmt,
            document,
            sections=sections,
            headers=not opts.no_headers,
            unicode=unicode_stdout(),
        )
    )


def emit_timeline(opts: Options, ds: Dataset, rows: list[Row]) -> None:
    """The timeline: by year on a terminal (unless --fields or --sort ask for a listing)."""
    fmt = output_format(opts, drawn=drawn(opts))
    if fmt is Format.table and not (opts.fields or opts.sort):
        from ..render.table import capture, render_timeline

        check_color(opts.color)
        check(opts, fmt)
        rows = narrowed(opts, ds, "timeline", rows)
        extra = []
        if opts.with_sources:
            from ..questions.citations import with_citations

            rows, extra = with_citations(ds, rows), ["citations"]
        shown = rows[: opts.limit] if opts.limit is not None else rows
        write(
            capture(
                lambda console: render_timeline(
                    console, shown, wide=opts.wide, extra=extra, headers=not opts.no_headers
                ),
                opts.color,
            )
        )
        finish(opts, bool(rows))
        return
    emit(opts, ds, rows, "timeline")


# ---------------------------------------------------------------- writing and ending


def write(text: str | Iterable[str]) -> None:
    """Write all of ``text`` (or each of its pieces, one after the other) to stdout.

    A reader that went away (``wpq events | head -1``) ends the output quietly; any other
    failure (a full disk, a closed stdout) is an ``OutputError``: one line, exit 74.
    """
    try:
        for piece in [text] if isinstance(text, str) else text:
            write_encodable(sys.stdout, piece)
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()
    except OSError as exc:
        silence_stdout()
        raise OutputError(f"cannot write output: {exc.strerror or exc}") from None


def say(line: str) -> None:
    """One message on stderr, ``wpq: line``, its data made printable. A stderr that cannot
    be written (closed, a full disk) loses the message but never changes the outcome."""
    try:
        sys.stderr.write(f"wpq: {printable(line)}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def finish(opts: Options, matched: bool) -> None:
    """Say so when nothing matched (on a terminal); with ``-e``, end with exit status 4."""
    if matched:
        return
    if sys.stderr.isatty():
        say("nothing matches")
    if opts.exit_status:
        raise NoMatch()


def run(command: Any, argv: Sequence[str] | None, prog_name: str = "wpq") -> int:
    """Run a click command (called ``prog_name``); every expected error ends as one stderr
    line and its exit code, running out of memory too (said once the memory is free again:
    exit 1)."""
    with contextlib.suppress(MemoryError):
        return _run(command, argv, prog_name)
    say('out of memory: the data needs more than this machine allows (README, "Limits")')
    return int(ExitStatus.DATA_ERROR)


def _run(command: Any, argv: Sequence[str] | None, prog_name: str) -> int:
    from typer import Abort
    from typer._click import exceptions as click_exceptions

    from .. import settings
    from .streams import print_traceback

    try:
        debug = settings.debug()
    except UsageError as error:
        say(str(error))
        return int(error.exit_status)
    try:
        result = command.main(
            args=list(argv) if argv is not None else None,
            prog_name=prog_name,
            standalone_mode=False,
        )
    except CacheUntrusted:
        from ..cache import policy

        with policy.set_aside():  # ask again, of the data files alone
            return _run(command, argv, prog_name)
    except NoMatch:
        return int(ExitStatus.NO_MATCH)
    except WpqError as error:
        if debug:
            print_traceback()
        for line in error.lines():
            say(line)
        return int(error.exit_status)
    except click_exceptions.NoArgsIsHelpError as error:
        # Building the error formatted the help: Rich's help is already printed (the message
        # is then empty), plain help is the message. Asking for it again would print it twice.
        message = error.format_message()
        return run_write(message + "\n" if message else "")
    except click_exceptions.ClickException as error:
        if debug:
            print_traceback()
        ctx = getattr(error, "ctx", None)
        where = f" (see '{ctx.command_path} --help')" if ctx else ""
        say(" ".join(error.format_message().split()) + where)
        return error.exit_code
    except Abort:  # EOF on a prompt
        say("aborted")
        return int(ExitStatus.INTERRUPTED)
    except SystemExit as exit:
        # Click ends a broken pipe while printing help with status 1; a reader that stops
        # early is no failure (``wpq --help | head -1``)
        if isinstance(exit.__context__, BrokenPipeError):
            silence_stdout()
            return int(ExitStatus.OK)
        raise
    except OSError as exc:
        # Everything wpq reads or writes catches its own errors: what gets here is Click or
        # Rich failing to print help or completions on stdout
        if debug:
            print_traceback()
        silence_stdout()
        say(f"cannot write output: {exc.strerror or exc}")
        return int(ExitStatus.OUTPUT_ERROR)
    return result if isinstance(result, int) else int(ExitStatus.OK)


def run_write(text: str) -> int:
    """``write`` for ``run``'s own output (help when no command is named): an exit status."""
    try:
        write(text)
    except OutputError as error:
        say(str(error))
        return int(error.exit_status)
    return int(ExitStatus.OK)
