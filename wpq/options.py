"""The options commands share, declared once: data, output, completion from the data.

Typer reads these declarations; ``listing`` adds the shared ones to a command and hands
them to it as one ``Options`` value.
"""

# No `from __future__ import annotations`: Typer reads these annotations as objects.
import functools
import inspect
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated, Any

import msgspec
import typer

from .errors import WpqError
from .listings import listing_fields
from .model import EVENT_KINDS, PLEDGE_KINDS, Dataset
from .names import completion_values
from .render import Format
from .rows import fold


class Options(msgspec.Struct, frozen=True):
    """The data and output options every listing command takes (after the command name)."""

    data: list[Path]
    no_bundled: bool
    no_cache: bool
    format: Format | None
    json: bool
    jsonl: bool
    fields: str | None
    sort: str | None
    desc: bool
    limit: int | None
    no_headers: bool
    color: str
    exit_status: bool
    with_sources: bool


def _completion_dataset(ctx: typer.Context) -> Dataset | None:
    """The data a command line being completed would query, or None if it cannot load."""
    from .loader import env_paths, load_dataset

    try:
        paths = [str(p) for p in ctx.params.get("data") or []] or env_paths()
        return load_dataset(paths, bundled=not ctx.params.get("no_bundled"))
    except (WpqError, OSError):
        return None


def _matching(values: Sequence[str], incomplete: str) -> list[str]:
    wanted = fold(incomplete)
    return [v for v in values if fold(v).startswith(wanted)]


def complete_from_data(what: str) -> Callable[..., list[str]]:
    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        ds = _completion_dataset(ctx)
        return _matching(completion_values(ds, what), incomplete) if ds else []

    return complete


def complete_words(*words: str) -> Callable[..., list[str]]:
    def complete(incomplete: str) -> list[str]:
        return _matching(words, incomplete)

    return complete


def _complete_fields(ctx: typer.Context, incomplete: str) -> list[str]:
    """Field names of the command being completed; after a comma, the next one."""
    done, _, last = incomplete.rpartition(",")
    prefix = done + "," if done else ""
    fields = listing_fields(ctx.info_name or "")
    return [prefix + f for f in _matching(fields, last) if f not in done.split(",")]


_DATA = "Data"
_OUTPUT = "Output"
SHARED_OPTIONS: dict[str, tuple[Any, Any]] = {
    "data": (
        Annotated[
            list[Path] | None,
            typer.Option(
                "--data",
                help="A YAML file or a directory of them, merged with the bundled data "
                "(repeatable; overrides WPQ_DATA).",
                rich_help_panel=_DATA,
                show_default=False,
                readable=False,  # the loader reports an unreadable file, as for WPQ_DATA
            ),
        ],
        None,
    ),
    "no_bundled": (
        Annotated[
            bool,
            typer.Option(
                "--no-bundled", help="Query only --data / WPQ_DATA.", rich_help_panel=_DATA
            ),
        ],
        False,
    ),
    "no_cache": (
        Annotated[
            bool,
            typer.Option(
                "--no-cache",
                help="Read the YAML again instead of the cache (env WPQ_NO_CACHE=1).",
                rich_help_panel=_DATA,
            ),
        ],
        False,
    ),
    "format": (
        Annotated[
            Format | None,
            typer.Option(
                "--format",
                help="Output format [default: table on a terminal, tsv otherwise; env WPQ_FORMAT].",
                case_sensitive=False,
                rich_help_panel=_OUTPUT,
                show_default=False,
            ),
        ],
        None,
    ),
    "json": (
        Annotated[
            bool, typer.Option("--json", help="Same as --format json.", rich_help_panel=_OUTPUT)
        ],
        False,
    ),
    "jsonl": (
        Annotated[
            bool, typer.Option("--jsonl", help="Same as --format jsonl.", rich_help_panel=_OUTPUT)
        ],
        False,
    ),
    "fields": (
        Annotated[
            str | None,
            typer.Option(
                "--fields",
                help="Comma-separated fields to show, in order.",
                autocompletion=_complete_fields,
                rich_help_panel=_OUTPUT,
                show_default=False,
            ),
        ],
        None,
    ),
    "sort": (
        Annotated[
            str | None,
            typer.Option(
                "--sort",
                help="Sort by this field.",
                rich_help_panel=_OUTPUT,
                show_default=False,
                autocompletion=_complete_fields,
            ),
        ],
        None,
    ),
    "desc": (
        Annotated[bool, typer.Option("--desc", help="Sort descending.", rich_help_panel=_OUTPUT)],
        False,
    ),
    "limit": (
        Annotated[
            int | None,
            typer.Option(
                "--limit",
                min=0,
                help="Show at most N rows.",
                rich_help_panel=_OUTPUT,
                show_default=False,
            ),
        ],
        None,
    ),
    "no_headers": (
        Annotated[
            bool,
            typer.Option("--no-headers", help="No header row in tsv/csv.", rich_help_panel=_OUTPUT),
        ],
        False,
    ),
    "color": (
        Annotated[
            str,
            typer.Option(
                "--color",
                help="auto, always or never (NO_COLOR and FORCE_COLOR are honoured with auto).",
                rich_help_panel=_OUTPUT,
            ),
        ],
        "auto",
    ),
    "exit_status": (
        Annotated[
            bool,
            typer.Option(
                "--exit-status",
                "-e",
                help="Exit with 4 when nothing matches.",
                rich_help_panel=_OUTPUT,
            ),
        ],
        False,
    ),
    "with_sources": (
        Annotated[
            bool,
            typer.Option(
                "--with-sources", help="Add the citations of each row.", rich_help_panel=_OUTPUT
            ),
        ],
        False,
    ),
}


def listing(func: Callable[..., None]) -> Callable[..., None]:
    """Give a command the shared data and output options, passed to it as ``opts``."""
    signature = inspect.signature(func)
    own = [p for p in signature.parameters.values() if p.name != "opts"]
    shared = [
        inspect.Parameter(
            name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
        )
        for name, (annotation, default) in SHARED_OPTIONS.items()
    ]

    @functools.wraps(func)
    def command(**kwargs: Any) -> None:
        opts = Options(**{name: kwargs.pop(name) for name in SHARED_OPTIONS})
        func(opts=opts, **kwargs)

    command.__signature__ = signature.replace(parameters=own + shared)  # type: ignore[attr-defined]
    return command


# ---------------------------------------------------------------- the commands' own filters


def _name_option(help: str, what: str) -> Any:
    return typer.Option(help=help, show_default=False, autocompletion=complete_from_data(what))


def _kind_option(help: str, kinds: Sequence[str]) -> Any:
    return typer.Option(help=help, show_default=False, autocompletion=complete_words(*kinds))


YearOpt = Annotated[int | None, typer.Option("--year", help="Only year Y.", show_default=False)]
FromOpt = Annotated[int | None, typer.Option("--from", help="From year Y.", show_default=False)]
ToOpt = Annotated[int | None, typer.Option("--to", help="To year Y.", show_default=False)]
HostOpt = Annotated[
    str | None, _name_option("Hosted by ORG (id, name, alias or ISO code).", "organisations")
]
DonorOpt = Annotated[
    str | None,
    _name_option("Pledged by ORG or its parts (id, name, alias or ISO code).", "organisations"),
]
RecipientOpt = Annotated[str | None, _name_option("Pledged to ORG.", "organisations")]
PledgerOpt = Annotated[str | None, _name_option("Made by ORG or its parts.", "organisations")]
CountryOpt = Annotated[str | None, _name_option("Held in country C.", "countries")]
ProgrammeOpt = Annotated[str | None, _name_option("Programme P (id, name or alias).", "programmes")]
RegionOpt = Annotated[str | None, _name_option("Only region R.", "regions")]
EventOpt = Annotated[str | None, _name_option("Made at event E.", "events")]
EventKindOpt = Annotated[str | None, _kind_option(", ".join(EVENT_KINDS) + ".", EVENT_KINDS)]
PledgeKindOpt = Annotated[str | None, _kind_option(", ".join(PLEDGE_KINDS) + ".", PLEDGE_KINDS)]
AnyKindOpt = Annotated[
    str | None,
    _kind_option(
        "An event kind (summit, milestone, ...) or a pledge kind (funding, ...).",
        (*EVENT_KINDS, *PLEDGE_KINDS),
    ),
]
CurrencyOpt = Annotated[
    str | None, typer.Option(help="In currency CUR (ISO 4217).", show_default=False)
]
AboutOpt = Annotated[
    str | None, typer.Option(help="Only figures mentioning TEXT.", show_default=False)
]
SummaryOpt = Annotated[bool, typer.Option("--summary", help="Totals per group instead of pledges.")]
GroupByOpt = Annotated[
    str, typer.Option(help="Group --summary by donor, recipient, year or programme.")
]
ChartOpt = Annotated[bool, typer.Option("--chart", help="With --summary on a terminal: draw bars.")]
InOpt = Annotated[
    str | None,
    typer.Option(
        "--in",
        help="Convert amounts to this currency (USD, GBP) at each year's annual average rate.",
        show_default=False,
    ),
]
