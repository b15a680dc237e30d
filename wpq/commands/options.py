"""The options commands share, declared once: data, output, and each filter with its
completion (``completion.py``).

Typer reads these declarations; ``listing`` adds the shared ones to a command and hands
them to it as one ``Options`` value (``document`` and ``card`` only those a command that
prints one object can honour).
"""

# No `from __future__ import annotations`: Typer reads these annotations as objects.
import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any

import msgspec
import typer

from ..render.text import Format

# ---------------------------------------------------------------- completion, on demand
# ``completion`` reads the data and knows the fields of every listing: imported only when a
# shell asks. Typer reads each callback's parameters to know what to pass it.


def complete_from_data(what: str) -> Callable[..., list[str]]:
    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        from . import completion

        return completion.complete_from_data(what)(ctx, incomplete)

    return complete


def complete_words(*words: str) -> Callable[..., list[str]]:
    def complete(incomplete: str) -> list[str]:
        from . import completion

        return completion.complete_words(*words)(incomplete)

    return complete


def complete_fields(ctx: typer.Context, incomplete: str) -> list[str]:
    from . import completion

    return completion.complete_fields(ctx, incomplete)


def complete_currencies(ctx: typer.Context, incomplete: str) -> list[str]:
    from . import completion

    return completion.complete_currencies(ctx, incomplete)


class Options(msgspec.Struct, frozen=True):
    """The data and output options every listing command takes (after the command name)."""

    data: list[str]  # text, not Path: Path('') would be '.', the current directory
    no_bundled: bool
    no_cache: bool
    format: Format | None
    json: bool
    jsonl: bool
    csv: bool
    tsv: bool
    fields: str | None
    sort: str | None
    desc: bool
    limit: int | None
    no_headers: bool
    color: str
    exit_status: bool
    with_sources: bool
    wide: bool
    disputed: bool
    inferred: bool


_DATA = "Data"
_OUTPUT = "Output"
_DISPUTED = "Only records carrying a dispute (for figures: a conflicting figure)."
_INFERRED = "Only records holding a fact marked inferred (their own, or an entry's)."
# name -> (type, option). The option is the parameter's default, which carries its own
# default value: Typer reads that as it reads ``Annotated[type, option]``, which costs typing
# some 20 microseconds an option to build, at every start.
SHARED_OPTIONS: dict[str, tuple[Any, Any]] = {
    "data": (
        list[str] | None,
        typer.Option(
            None,
            "--data",
            metavar="PATH",
            help="A YAML file or a directory of them, merged with the bundled data "
            "(repeatable; overrides WPQ_DATA).",
            rich_help_panel=_DATA,
            show_default=False,
            readable=False,  # the loader reports an unreadable file, as for WPQ_DATA
        ),
    ),
    "no_bundled": (
        bool,
        typer.Option(
            False, "--no-bundled", help="Query only --data / WPQ_DATA.", rich_help_panel=_DATA
        ),
    ),
    "no_cache": (
        bool,
        typer.Option(
            False,
            "--no-cache",
            help="Read the YAML again instead of the cache (env WPQ_NO_CACHE=1).",
            rich_help_panel=_DATA,
        ),
    ),
    "format": (
        Format | None,
        typer.Option(
            None,
            "--format",
            help="Output format (env WPQ_FORMAT).",
            case_sensitive=False,
            rich_help_panel=_OUTPUT,
            show_default="table on a terminal, tsv otherwise",
        ),
    ),
    # --json, --jsonl, --csv, --tsv: shorthands for --format.
    **{
        short: (
            bool,
            typer.Option(
                False, f"--{short}", help=f"Same as --format {short}.", rich_help_panel=_OUTPUT
            ),
        )
        for short in ("json", "jsonl", "csv", "tsv")
    },
    "fields": (
        str | None,
        typer.Option(
            None,
            "--fields",
            help="Comma-separated fields to show, in order.",
            autocompletion=complete_fields,
            rich_help_panel=_OUTPUT,
            show_default=False,
        ),
    ),
    "sort": (
        str | None,
        typer.Option(
            None,
            "--sort",
            help="Sort by this field.",
            rich_help_panel=_OUTPUT,
            show_default=False,
            autocompletion=complete_fields,
        ),
    ),
    "desc": (bool, typer.Option(False, "--desc", help="Sort descending.", rich_help_panel=_OUTPUT)),
    "limit": (
        int | None,
        typer.Option(
            None,
            "--limit",
            min=0,
            help="Show at most N rows.",
            rich_help_panel=_OUTPUT,
            show_default=False,
        ),
    ),
    "no_headers": (
        bool,
        typer.Option(
            False, "--no-headers", help="No header row in tsv/csv.", rich_help_panel=_OUTPUT
        ),
    ),
    "color": (
        str,
        typer.Option(
            "auto",
            "--color",
            help="auto, always or never (NO_COLOR and FORCE_COLOR are honoured with auto).",
            rich_help_panel=_OUTPUT,
        ),
    ),
    "exit_status": (
        bool,
        typer.Option(
            False,
            "--exit-status",
            "-e",
            help="Exit with 4 when nothing matches.",
            rich_help_panel=_OUTPUT,
        ),
    ),
    "with_sources": (
        bool,
        typer.Option(
            False, "--with-sources", help="Add the citations of each row.", rich_help_panel=_OUTPUT
        ),
    ),
    "wide": (
        bool,
        typer.Option(
            False,
            "--wide",
            help="Tables: every column, every cell whole, one line a row (wider than the "
            "terminal if need be; drawn when piped too).",
            rich_help_panel=_OUTPUT,
        ),
    ),
    "disputed": (bool, typer.Option(False, "--disputed", help=_DISPUTED, rich_help_panel=_DATA)),
    "inferred": (bool, typer.Option(False, "--inferred", help=_INFERRED, rich_help_panel=_DATA)),
}


def shared_defaults() -> dict[str, Any]:
    """Each shared option's value when it is not given."""
    return {name: option.default for name, (_, option) in SHARED_OPTIONS.items()}


def _with_shared(names: Sequence[str]) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """A decorator giving a command the shared options ``names``, passed to it as ``opts``;
    the others keep their defaults, and Click refuses them on the command line."""

    shared = [  # built once for every command the decorator gives them to
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            annotation=SHARED_OPTIONS[name][0],
            default=SHARED_OPTIONS[name][1],
        )
        for name in names
    ]
    defaults = shared_defaults()

    def decorate(func: Callable[..., None]) -> Callable[..., None]:
        signature = inspect.signature(func)
        own = [p for p in signature.parameters.values() if p.name != "opts"]

        @functools.wraps(func)
        def command(**kwargs: Any) -> None:
            given = {name: kwargs.pop(name) for name in names}
            func(opts=Options(**{**defaults, "data": [], **given}), **kwargs)

        command.__signature__ = signature.replace(parameters=own + shared)  # type: ignore[attr-defined]
        return command

    return decorate


# A command that prints one object (a summary, a record) has no rows to sort, cut or count.
_DOCUMENT_OPTIONS = (
    *("data", "no_bundled", "no_cache", "format", "json", "jsonl", "csv", "tsv", "no_headers"),
)
listing = _with_shared(tuple(SHARED_OPTIONS))
document = _with_shared((*_DOCUMENT_OPTIONS, "color", "wide"))
card = _with_shared((*_DOCUMENT_OPTIONS, "fields", "color"))
data_only = _with_shared(("data", "no_bundled", "no_cache"))  # wpq cite: its own formats
