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
from typing import Annotated, Any

import msgspec
import typer

from ..render.text import Format
from ..vocabulary import EVENT_KINDS, GROUPINGS, ORG_KINDS, PLEDGE_KINDS, ROLES
from .given import years_option

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
    fields: str | None
    sort: str | None
    desc: bool
    limit: int | None
    no_headers: bool
    color: str
    exit_status: bool
    with_sources: bool
    wide: bool


_DATA = "Data"
_OUTPUT = "Output"
SHARED_OPTIONS: dict[str, tuple[Any, Any]] = {
    "data": (
        Annotated[
            list[str] | None,
            typer.Option(
                "--data",
                metavar="PATH",
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
                help="Output format (env WPQ_FORMAT).",
                case_sensitive=False,
                rich_help_panel=_OUTPUT,
                show_default="table on a terminal, tsv otherwise",
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
                autocompletion=complete_fields,
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
                autocompletion=complete_fields,
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
    "wide": (
        Annotated[
            bool,
            typer.Option(
                "--wide",
                help="Tables: every column, long cells wrapped rather than cut.",
                rich_help_panel=_OUTPUT,
            ),
        ],
        False,
    ),
}


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
    defaults = {name: default for name, (_, default) in SHARED_OPTIONS.items()}

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
_DOCUMENT_OPTIONS = ("data", "no_bundled", "no_cache", "format", "json", "jsonl", "no_headers")
listing = _with_shared(tuple(SHARED_OPTIONS))
document = _with_shared((*_DOCUMENT_OPTIONS, "color"))
card = _with_shared((*_DOCUMENT_OPTIONS, "fields", "color"))


# ---------------------------------------------------------------- the commands' own filters


def _names_option(help: str, what: str, *flag: str) -> Any:
    return typer.Option(
        *flag,
        help=help + " Repeat for any of several.",
        show_default=False,
        autocompletion=complete_from_data(what),
    )


def _words_option(help: str, words: Sequence[str], flag: str = "--kind") -> Any:
    return typer.Option(
        flag,
        help=help + " Repeat, or separate with commas, for any of several.",
        show_default=False,
        autocompletion=complete_words(*words),
    )


Names = list[str] | None
YearOpt = Annotated[
    list[int] | None,
    years_option(
        "--year",
        "Only year YEAR (an event overlapping it, a pledge dated in it). Repeat for any of "
        "several.",
    ),
]
FromOpt = Annotated[int | None, years_option("--from", "From year YEAR (with --to: a range).")]
ToOpt = Annotated[
    int | None,
    years_option(
        "--to",
        "To year YEAR (with --from: a range).",
        " (--to is the last year of a range; who was given money is --recipient)",
    ),
]
HostOpt = Annotated[Names, _names_option("Hosted by ORG (id, name, alias or ISO code).", "hosts")]
DonorOpt = Annotated[
    Names, _names_option("Pledged by ORG or its parts (id, name, alias or ISO code).", "donors")
]
RecipientOpt = Annotated[
    Names, _names_option("Pledged to ORG or its parts.", "recipients", "--recipient")
]
PledgerOpt = Annotated[
    Names,
    _names_option("Made by ORG or its parts, alone or with others.", "pledgers", "--pledger"),
]
LeadOpt = Annotated[Names, _names_option("Led by ORG or its parts.", "leads")]
CountryOpt = Annotated[Names, _names_option("In country C (code or name).", "countries")]
ProgrammeOpt = Annotated[Names, _names_option("Programme P (id, name or alias).", "programmes")]
RegionOpt = Annotated[Names, _names_option("Only region R (id or name).", "regions")]
EventOpt = Annotated[Names, _names_option("Made at event E.", "events")]
EventKindOpt = Annotated[Names, _words_option(", ".join(EVENT_KINDS) + ".", EVENT_KINDS)]
PledgeKindOpt = Annotated[Names, _words_option(", ".join(PLEDGE_KINDS) + ".", PLEDGE_KINDS)]
OrgKindOpt = Annotated[Names, _words_option(", ".join(ORG_KINDS) + ".", ORG_KINDS)]
RoleOpt = Annotated[
    Names,
    _words_option(
        "donor (pledged or granted money), pledger (made any pledge), recipient, "
        "host (of an event) or lead (of a programme).",
        tuple(ROLES),
        "--role",
    ),
]
AnyKindOpt = Annotated[
    Names,
    _words_option(
        "An event kind (summit, milestone, ...) or a pledge kind (funding, ...).",
        (*EVENT_KINDS, *PLEDGE_KINDS),
    ),
]
CurrencyOpt = Annotated[
    Names,
    typer.Option(
        help="In currency CUR (ISO 4217). Repeat, or separate with commas, for any of several.",
        show_default=False,
        autocompletion=complete_currencies,
    ),
]
AboutOpt = Annotated[
    str | None, typer.Option(help="Only figures mentioning TEXT.", show_default=False)
]
SummaryOpt = Annotated[
    bool, typer.Option("--summary", help="Money pledged and given per group instead of pledges.")
]
GroupByOpt = Annotated[
    str | None,
    typer.Option(
        help="Totals per donor (the default), recipient, year or programme; implies --summary.",
        show_default=False,
        autocompletion=complete_words(*GROUPINGS),
    ),
]
ChartOpt = Annotated[bool, typer.Option("--chart", help="With --summary on a terminal: draw bars.")]
InOpt = Annotated[
    str | None,
    typer.Option(
        "--in",
        help="Convert to currency CUR (any the ECB's reference rates cover, or your data's "
        "rates) at the annual average rate of the year each amount moved.",
        show_default=False,
        autocompletion=complete_currencies,
    ),
]
CollectionOpt = Annotated[
    str | None,
    typer.Option(
        "--collection",
        metavar="COLLECTION",
        help="Only this collection (events, pledges, ...).",
        show_default=False,
        autocompletion=complete_from_data("collections"),
    ),
]
RecordArg = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help="The id of a record, or the name or alias of an organisation, programme, "
        "event or country.",
        autocompletion=complete_from_data("records"),
    ),
]
