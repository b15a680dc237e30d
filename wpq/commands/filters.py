"""The commands' own filters, declared once: each option with its help and its completion
from the data (``options.py`` holds what every command shares).
"""

# Each option is the default of the parameters that take it (``year: list[int] | None =
# YearOpt``), which Typer reads as it reads ``Annotated[list[int] | None, YearOpt]``: typing
# takes some 20 microseconds to build each such alias, at every start.
from collections.abc import Sequence
from typing import Any

import typer

from ..vocabulary import EVENT_KINDS, GROUPINGS, ORG_KINDS, PLEDGE_KINDS, ROLES
from .given import years_option
from .options import complete_currencies, complete_from_data, complete_words


def _names_option(help: str, what: str, *flag: str) -> Any:
    return typer.Option(
        None,
        *flag,
        help=help + " Repeat for any of several.",
        show_default=False,
        autocompletion=complete_from_data(what),
    )


def _words_option(help: str, words: Sequence[str], flag: str = "--kind") -> Any:
    return typer.Option(
        None,
        flag,
        help=help + " Repeat, or separate with commas, for any of several.",
        show_default=False,
        autocompletion=complete_words(*words),
    )


Names = list[str] | None
YearOpt = years_option(
    "--year",
    "Only year YEAR (an event overlapping it, a pledge dated in it). Repeat for any of several.",
)
FromOpt = years_option("--from", "From year YEAR (with --to: a range).")
ToOpt = years_option(
    "--to",
    "To year YEAR (with --from: a range).",
    " (--to is the last year of a range; who was given money is --recipient)",
)
HostOpt = _names_option("Hosted by ORG (id, name, alias or ISO code).", "hosts")
DonorOpt = _names_option("Pledged by ORG or its parts (id, name, alias or ISO code).", "donors")
RecipientOpt = _names_option("Pledged to ORG or its parts.", "recipients", "--recipient")
PledgerOpt = _names_option(
    "Made by ORG or its parts, alone or with others.", "pledgers", "--pledger"
)
LeadOpt = _names_option("Led by ORG or its parts.", "leads")
CountryOpt = _names_option("In country C (code or name).", "countries")
ProgrammeOpt = _names_option("Programme P (id, name or alias).", "programmes")
RegionOpt = _names_option("Only region R (id or name).", "regions")
EventOpt = _names_option("Made at event E.", "events")
EventKindOpt = _words_option(", ".join(EVENT_KINDS) + ".", EVENT_KINDS)
PledgeKindOpt = _words_option(", ".join(PLEDGE_KINDS) + ".", PLEDGE_KINDS)
OrgKindOpt = _words_option(", ".join(ORG_KINDS) + ".", ORG_KINDS)
RoleOpt = _words_option(
    "donor (pledged or granted money), pledger (made any pledge), recipient, "
    "host (of an event) or lead (of a programme).",
    tuple(ROLES),
    "--role",
)
AnyKindOpt = _words_option(
    "An event kind (summit, milestone, ...) or a pledge kind (funding, ...).",
    (*EVENT_KINDS, *PLEDGE_KINDS),
)
CurrencyOpt = typer.Option(
    None,
    help="In currency CUR (ISO 4217). Repeat, or separate with commas, for any of several.",
    show_default=False,
    autocompletion=complete_currencies,
)
AboutOpt = typer.Option(
    None,
    help="Only figures mentioning TEXT, or made public at an event named TEXT.",
    show_default=False,
)
SummaryOpt = typer.Option(
    False, "--summary", help="Money pledged, committed and paid per group instead of pledges."
)
GroupByOpt = typer.Option(
    None,
    help="Totals per donor (the default: the organisation on the record), government "
    "(ministries rolled into theirs), recipient, year or programme; implies --summary.",
    show_default=False,
    autocompletion=complete_words(*GROUPINGS),
)
ChartOpt = typer.Option(False, "--chart", help="With --summary on a terminal: draw bars.")
InOpt = typer.Option(
    None,
    "--in",
    help="Convert to currency CUR (any the ECB's reference rates cover, or your data's "
    "rates) at the annual average rate of the year each amount moved.",
    show_default=False,
    autocompletion=complete_currencies,
)
CollectionOpt = typer.Option(
    None,
    "--collection",
    metavar="COLLECTION",
    help="Only this collection (events, pledges, ...).",
    show_default=False,
    autocompletion=complete_from_data("collections"),
)
RecordArg = typer.Argument(
    ...,
    metavar="ID",
    help="The id of a record, or the name or alias of an organisation, programme, "
    "event or country.",
    autocompletion=complete_from_data("records"),
)
