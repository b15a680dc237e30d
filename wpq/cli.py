"""The command line: each command parses its options, asks the core one question and hands
the answer to ``output``, which writes it and maps errors to exit codes.

Nothing here filters, totals or formats: ``listings``, ``money``, ``provenance`` and
``timeline`` answer; ``output``, ``render`` and ``table`` show.
"""

# No `from __future__ import annotations`: Typer reads these annotations as objects, and
# evaluating strings for every command on each start costs milliseconds.
import os
import signal
import sys
from collections.abc import Sequence
from typing import Annotated, Any, NoReturn

import typer

from . import __version__, datacli, directorycli, footers, listings, money, provenance
from . import timeline as timeline_module
from .completion import use_escaping_bash_completion
from .options import (
    AboutOpt,
    AnyKindOpt,
    ChartOpt,
    CollectionOpt,
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
    RecordArg,
    RegionOpt,
    SummaryOpt,
    ToOpt,
    YearOpt,
    card,
    document,
    listing,
)
from .output import (
    Interrupted,
    emit,
    emit_document,
    emit_summary,
    emit_timeline,
    load,
    run,
    split_fields,
    write,
)

app = typer.Typer(
    name="wpq",
    help="Query a sourced dataset on the international fight against online child sexual "
    "exploitation: summits, pledges, funds, programmes and the countries they run in.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


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
    found = listings.filter_events(
        ds, year=year, from_year=from_year, to_year=to_year, host=host, country=country, kind=kind
    )
    rows = [listings.event_row(ds, e) for e in found]
    emit(opts, ds, rows, listings.EVENT_COLUMNS, title="Events", listing="events")


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
    by: GroupByOpt = None,
    chart: ChartOpt = False,
    convert_to: InOpt = None,
) -> None:
    """Pledges of money, tranches under their pledge, with what was pledged and given.

    Pledged counts each top-level pledge; given counts each amount where and when it went
    (a tranche by its own donor, year and recipient). Grants out of a fund are listed apart.

    Example: wpq funding --donor UK
    """
    ds = load(opts)
    pledges = money.funding(ds, by=donor, to=to, year=year, programme=programme, currency=currency)
    conversions = money.convert_pledges(ds, pledges, convert_to) if convert_to else None
    if summary or chart or by:
        grouped = money.group_funding(ds, pledges, by or "donor", conversions)
        lines = footers.footer_lines(ds, pledges, conversions)
        emit_summary(opts, grouped, chart=chart, footer=lines)
        return
    columns = list(listings.FUNDING_COLUMNS)
    if conversions is not None:
        columns += ["rate", "rate_year", "rate_source", "converted_amount", "converted_currency"]
    emit(
        opts,
        ds,
        money.funding_rows(ds, pledges, conversions),
        columns,
        title="Funding",
        listing="funding",
        footer=lambda shown: footers.total_lines(ds, shown, conversions),
        nested=True,
    )


@app.command("summary")
@document
def summary_command(opts: Options, convert_to: InOpt = None) -> None:
    """Counts, money by donor and currency, events per year, programme coverage.

    Example: wpq summary --in USD
    """
    from .table import render_summary

    ds = load(opts)
    summary = timeline_module.dataset_summary(ds, convert_to)
    emit_document(
        opts,
        summary,
        draw=lambda console: render_summary(console, summary, wide=opts.wide),
        sections=timeline_module.summary_sections(summary),
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
    rows = timeline_module.timeline(ds, year=year, from_year=from_year, to_year=to_year, kind=kind)
    emit_timeline(opts, ds, rows)


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
    rows = listings.country_rows(ds, programme=programme, region=region)
    emit(opts, ds, rows, listings.COUNTRY_COLUMNS, title="Programme countries", listing="countries")


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
    found = listings.filter_pledges(ds, by=by, event=event, year=year, kind=kind)
    rows = [listings.pledge_row(ds, p) for p in found]
    emit(opts, ds, rows, listings.PLEDGE_COLUMNS, title="Pledges", listing="pledges")


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
        listings.figure_rows(ds, about=about),
        listings.FIGURE_COLUMNS,
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
    emit(
        opts,
        ds,
        provenance.source_rows(ds),
        listings.SOURCE_COLUMNS,
        title="Sources",
        listing="sources",
    )


@app.command()
@listing
def search(
    opts: Options,
    text: Annotated[str, typer.Argument(help="Text to look for (case and accents ignored).")],
    collection: CollectionOpt = None,
) -> None:
    """Records whose text (names, titles, summaries, notes, quotes; not ids) contains TEXT:
    events, pledges and programmes first, sources last.

    Example: wpq search unicef --in events
    """
    ds = load(opts)
    emit(
        opts,
        ds,
        provenance.search(ds, text, collection),
        listings.SEARCH_COLUMNS,
        title="Matches",
        listing="search",
    )


@app.command()
@card
def show(
    opts: Options,
    record_id: RecordArg,
    collection: CollectionOpt = None,
) -> None:
    """One record in full, with its sources and everything that refers to it.

    A name is resolved as --donor resolves it: wpq show uk is the UK government, and
    wpq show uk --in countries the country. --fields picks the record's fields.

    Example: wpq show uk-40m-fund-2016
    """
    from .card import render_record

    ds = load(opts)
    shown = provenance.show(ds, record_id, collection, split_fields(opts.fields))
    names = provenance.reference_names(ds, shown["collection"], shown["id"])
    rows = [{"field": k, "value": v} for k, v in shown["record"].items()]
    money = [] if opts.fields else provenance.money_fields(shown)  # --fields: the record's own
    money_rows = [{"field": k, "value": v} for k, v in money]
    emit_document(
        opts,
        shown,
        draw=lambda console: render_record(console, shown, names),
        sections=[(("field", "value"), [*rows, *money_rows])],
    )


for command in (
    directorycli.organisations,
    directorycli.programmes,
    datacli.validate,
    datacli.new,
    datacli.schema,
    datacli.export,
):
    app.command()(command)
app.add_typer(datacli.cache_app)


# ---------------------------------------------------------------- entry point


def _interrupt(signum: int, frame: Any) -> NoReturn:
    raise Interrupted()


def click_command(argv: Sequence[str]) -> Any:
    """The click command that runs ``argv``.

    Typer builds every command's parameters up front (about 10 ms for all of wpq's), so when
    the line names a command, only that one is built; help and completion get them all.
    """
    import copy

    if "_WPQ_COMPLETE" in os.environ:
        command = typer.main.get_command(app)
        use_escaping_bash_completion()
        return command
    name = next((arg for arg in argv if not arg.startswith("-")), None)
    if name is not None:
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
    """Run wpq; returns the exit status. Errors become one stderr line each (``output.run``)."""
    signal.signal(signal.SIGINT, _interrupt)
    return run(click_command(sys.argv[1:] if argv is None else argv), argv)
