"""From the core's answer to what the user sees: load the data the options name, choose the
format, pick fields, write to stdout, and map errors and empty results to exit codes.

The commands in ``cli.py`` call these; nothing below ``output`` prints or decides an exit.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import CacheUntrusted, ExitStatus, OutputError, UsageError, WpqError, printable
from ..render.text import Format
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


# ---------------------------------------------------------------- choosing what to print


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


def check_color(color: str) -> None:
    if color not in ("auto", "always", "never"):
        raise UsageError(f"--color must be auto, always or never, not '{color}'")


# ---------------------------------------------------------------- listings and documents


def emit(
    opts: Options,
    ds: Dataset,
    rows: list[Row],
    columns: Sequence[str],
    *,
    title: str,
    listing: str,
    footer: Callable[[list[Row]], list[str]] | None = None,
    nested: bool = False,
) -> None:
    """Pick, sort and limit ``rows``, render them in the chosen format and write them."""
    from ..questions.rows import pick

    check_color(opts.color)
    fmt = output_format(opts)
    fields = split_fields(opts.fields)
    if opts.with_sources:
        from ..questions.provenance import with_citations

        rows = with_citations(ds, rows)
        columns = [*columns, "citations"]
    if rows:
        valid = list(rows[0])
    else:
        from ..questions.listings import listing_fields

        valid = [*listing_fields(listing), *columns]

    def cut(keep: Sequence[str] | None) -> list[Row]:
        return pick(
            rows, fields=keep, sort=opts.sort, desc=opts.desc, limit=opts.limit, valid=valid
        )

    picked = cut(fields)
    shown = fields or columns
    if fmt is Format.table:
        from ..questions.money import tranche_depths
        from ..render.table import capture, render_table

        # Tranche marks and footers read every field of the rows shown, whatever --fields shows.
        whole = cut(None) if fields else picked
        depths = tranche_depths(whole) if nested and not opts.sort else None
        lines = footer(whole) if footer and picked else []
        text = capture(
            lambda console: render_table(
                console,
                picked,
                listing,
                fields=fields,
                extra=["citations"] if opts.with_sources else [],
                title=title,
                depths=depths,
                footer=lines,
                wide=opts.wide,
            ),
            opts.color,
        )
    else:
        from ..render.text import render_rows

        text = render_rows(
            fmt, picked, shown, headers=not opts.no_headers, unicode=unicode_stdout()
        )
    write(text)
    finish(opts, bool(picked))


def emit_document(
    opts: Options,
    document: Any,
    *,
    draw: Callable[[Any], None],
    sections: Sequence[tuple[Sequence[str], Sequence[Row]]],
) -> None:
    """Write one object (a summary, a record): drawn by ``draw(console)`` on a terminal,
    whole in JSON or YAML, and as blocks of ``(columns, rows)`` in TSV or CSV."""
    check_color(opts.color)
    fmt = output_format(opts)
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


def emit_summary(
    opts: Options, summary: dict[str, Any], *, chart: bool = False, footer: Sequence[str] = ()
) -> None:
    """The ``--summary`` object: whole in JSON/YAML, one row per group and currency otherwise.

    --fields, --sort and --limit apply to the groups (JSON) or to the rows (other formats);
    the overall totals always cover every group.
    """
    from ..questions.money import GROUP_FIELDS, SUMMARY_COLUMNS, summary_rows
    from ..questions.rows import pick
    from ..render.text import render_document, render_jsonl

    check_color(opts.color)
    fmt = output_format(opts)
    fields = split_fields(opts.fields)

    def picked(items: list[Row], valid: Sequence[str]) -> list[Row]:
        return pick(
            items, fields=fields, sort=opts.sort, desc=opts.desc, limit=opts.limit, valid=valid
        )

    whole = fmt in (Format.json, Format.yaml, Format.jsonl)
    groups = picked(summary["groups"], GROUP_FIELDS) if whole else []
    rows = [] if whole else picked(summary_rows(summary), SUMMARY_COLUMNS)
    columns = fields or SUMMARY_COLUMNS
    if fmt is Format.table:
        from ..render.table import capture, render_chart, render_table

        if not fields and not summary["granted"]:  # no grants: no empty column
            columns = [c for c in columns if c != "granted"]

        def draw(console: Any) -> None:
            if not rows:
                return  # nothing matched: said on stderr
            if chart:
                render_chart(console, summary, footer)
            else:
                title = f"Funding by {summary['by']}"
                render_table(
                    console,
                    rows,
                    "funding-summary",
                    fields=fields,
                    title=title,
                    footer=footer,
                    wide=opts.wide,
                )

        write(capture(draw, opts.color))
    elif fmt is Format.jsonl:  # one line per group, as --jsonl gives one per row elsewhere
        write(render_jsonl(groups))
    else:
        document = {**summary, "groups": groups}
        write(
            render_document(
                fmt,
                document,
                sections=[(columns, rows)],
                headers=not opts.no_headers,
                unicode=unicode_stdout(),
            )
        )
    finish(opts, bool(groups or rows))


def emit_timeline(opts: Options, ds: Dataset, rows: list[Row]) -> None:
    """The timeline: by year on a terminal (unless --fields or --sort ask for a listing)."""
    if output_format(opts) is Format.table and not (opts.fields or opts.sort):
        from ..render.table import capture, render_timeline

        check_color(opts.color)
        shown = rows[: opts.limit] if opts.limit is not None else rows
        write(capture(lambda console: render_timeline(console, shown, wide=opts.wide), opts.color))
        finish(opts, bool(rows))
        return
    from ..questions.listings import TIMELINE_COLUMNS

    emit(opts, ds, rows, TIMELINE_COLUMNS, title="Timeline", listing="timeline")


# ---------------------------------------------------------------- writing and ending


def write(text: str) -> None:
    """Write all of ``text`` to stdout.

    A reader that went away (``wpq events | head -1``) ends the output quietly; any other
    failure (a full disk, a closed stdout) is an ``OutputError``: one line, exit 74.
    """
    try:
        write_encodable(sys.stdout, text)
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


def run(command: Any, argv: Sequence[str] | None) -> int:
    """Run a click command; every expected error ends as one stderr line and its exit code,
    running out of memory too (said once the memory is free again: exit 1)."""
    with contextlib.suppress(MemoryError):
        return _run(command, argv)
    say('out of memory: the data needs more than this machine allows (README, "Limits")')
    return int(ExitStatus.DATA_ERROR)


def _run(command: Any, argv: Sequence[str] | None) -> int:
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
            args=list(argv) if argv is not None else None, prog_name="wpq", standalone_mode=False
        )
    except CacheUntrusted:
        from ..cache import policy

        with policy.set_aside():  # ask again, of the data files alone
            return _run(command, argv)
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
