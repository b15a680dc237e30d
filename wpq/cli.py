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

from . import __version__
from .commands.filters import (
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
    Names,
    PledgeKindOpt,
    PledgerOpt,
    ProgrammeOpt,
    RecipientOpt,
    RegionOpt,
    SummaryOpt,
    ToOpt,
    YearOpt,
)
from .commands.given import CheckedCommand, CheckedGroup
from .commands.options import Options, document, listing
from .commands.output import (
    Interrupted,
    emit,
    emit_document,
    emit_timeline,
    load,
    run,
    write,
)

app = typer.Typer(
    name="wpq",
    cls=CheckedGroup,  # refuses an option given twice, blank or by its old name
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
    year: list[int] | None = YearOpt,
    from_year: int | None = FromOpt,
    to_year: int | None = ToOpt,
    host: Names = HostOpt,
    country: Names = CountryOpt,
    kind: Names = EventKindOpt,
) -> None:
    """Summits, congresses and launches, by date.

    Example: wpq events --year 2015
    """
    from .questions import listings

    ds = load(opts)
    found = listings.filter_events(
        ds, year=year, from_year=from_year, to_year=to_year, host=host, country=country, kind=kind
    )
    rows = listings.event_rows(ds, found)
    emit(opts, ds, rows, "events")


@app.command()
@listing
def funding(
    opts: Options,
    donor: Names = DonorOpt,
    recipient: Names = RecipientOpt,
    year: list[int] | None = YearOpt,
    from_year: int | None = FromOpt,
    to_year: int | None = ToOpt,
    programme: Names = ProgrammeOpt,
    currency: Names = CurrencyOpt,
    summary: bool = SummaryOpt,
    by: str | None = GroupByOpt,
    chart: bool = ChartOpt,
    convert_to: str | None = InOpt,
) -> None:
    """Pledges of money, tranches under their pledge: what was pledged, committed, paid.

    Pledged counts each top-level pledge; committed and paid count each amount at the stage
    it reached, where and when it went (a tranche by its own donor, year, recipient and
    stage). Grants out of a fund are listed apart.

    Example: wpq funding --donor UK
    """
    from .questions import footers, money
    from .questions import funding as rows_of
    from .questions.directory import short_names

    ds = load(opts)
    pledges = money.funding(
        ds,
        by=donor,
        to=recipient,
        year=year,
        from_year=from_year,
        to_year=to_year,
        programme=programme,
        currency=currency,
    )
    if opts.disputed or opts.inferred:  # the rows are narrowed alike in output.emit
        from .questions.trust import keep_records

        pledges = keep_records(pledges, disputed=opts.disputed, inferred=opts.inferred)
    conversions = money.convert_pledges(ds, pledges, convert_to) if convert_to else None
    if summary or chart or by:
        from .commands.summary import emit_summary

        grouped = rows_of.group_funding(ds, pledges, by or "donor", conversions)
        lines = footers.footer_lines(ds, pledges, conversions)
        emit_summary(opts, grouped, chart=chart, footer=lines, short=short_names(ds))
        return
    converted = ["rate", "rate_year", "rate_source", "converted_amount", "converted_currency"]
    converted += [f"converted_{m}" for m in money.COLUMNS]
    emit(
        opts,
        ds,
        rows_of.funding_listing(ds, pledges, conversions),
        "funding",
        also=converted if conversions is not None else (),
        footer=lambda shown: (
            footers.total_lines(ds, shown, conversions) + rows_of.sort_note(opts.sort, conversions)
        ),
        nested=True,
        order=rows_of.sort_order(conversions),
    )


@app.command("summary")
@document
def summary_command(opts: Options, convert_to: str | None = InOpt) -> None:
    """Counts, money by donor and currency, events per year, programme coverage.

    Example: wpq summary --in USD
    """
    from .questions import timeline as timeline_module
    from .questions.directory import short_names
    from .render.table import render_summary

    ds = load(opts)
    summary = timeline_module.dataset_summary(ds, convert_to)
    emit_document(
        opts,
        summary,
        draw=lambda console: render_summary(
            console, summary, wide=opts.wide, short=short_names(ds)
        ),
        sections=timeline_module.summary_sections(summary),
    )


@app.command()
@listing
def timeline(
    opts: Options,
    year: list[int] | None = YearOpt,
    from_year: int | None = FromOpt,
    to_year: int | None = ToOpt,
    kind: Names = AnyKindOpt,
) -> None:
    """Events, milestones and pledges in date order, grouped by year.

    Example: wpq timeline --from 2014 --to 2016
    """
    from .questions import timeline as timeline_module

    ds = load(opts)
    rows = timeline_module.timeline(ds, year=year, from_year=from_year, to_year=to_year, kind=kind)
    emit_timeline(opts, ds, rows)


@app.command()
@listing
def countries(opts: Options, programme: Names = ProgrammeOpt, region: Names = RegionOpt) -> None:
    """Programme countries with their region and notes, by region.

    Example: wpq countries --programme unicef
    """
    from .questions import listings

    ds = load(opts)
    rows = listings.country_rows(ds, programme=programme, region=region)
    emit(opts, ds, rows, "countries")


@app.command()
@listing
def pledges(
    opts: Options,
    pledger: Names = PledgerOpt,
    event: Names = EventOpt,
    year: list[int] | None = YearOpt,
    from_year: int | None = FromOpt,
    to_year: int | None = ToOpt,
    kind: Names = PledgeKindOpt,
) -> None:
    """All pledges, money or not.

    Example: wpq pledges --event abu-dhabi-2015
    """
    from .questions import listings

    ds = load(opts)
    found = listings.filter_pledges(
        ds, by=pledger, event=event, year=year, from_year=from_year, to_year=to_year, kind=kind
    )
    from .questions.rows import Built  # made as they are written

    rows = Built(len(found), lambda start, stop: listings.pledge_rows_of(ds, found[start:stop]))
    emit(opts, ds, rows, "pledges")


@app.command()
@listing
def figures(opts: Options, about: str | None = AboutOpt) -> None:
    """Statistics quoted by the sources; conflicting figures are cross-referenced.

    Example: wpq figures --about internet
    """
    from .questions import listings

    ds = load(opts)
    emit(opts, ds, listings.figure_rows(ds, about=about), "figures")


# Commands that live in other modules, imported only when one of them runs, or for help and
# completion (which need them all): the module that holds each, in the order help lists them.
ELSEWHERE = {
    "sources": "commands.records",
    "search": "commands.records",
    "show": "commands.records",
    "cite": "commands.cite",
    "organisations": "commands.directory",
    "programmes": "commands.directory",
    "validate": "commands.data",
    "new": "commands.data",
    "schema": "commands.data",
    "export": "commands.data",
    "cache": "commands.data",
}


def register(names: Sequence[str]) -> None:
    """Add the commands of ``ELSEWHERE`` named (each once) to ``app``."""
    import importlib

    known = {c.name or c.callback.__name__ for c in app.registered_commands}  # type: ignore[union-attr]
    known |= {g.name or g.typer_instance.info.name for g in app.registered_groups}  # type: ignore[union-attr]
    for name in names:
        if name in known or name not in ELSEWHERE:
            continue
        module = importlib.import_module(f".{ELSEWHERE[name]}", __package__)
        if name == "cache":
            app.add_typer(module.cache_app)
        else:
            app.command()(getattr(module, name))


# ---------------------------------------------------------------- entry point


def _interrupt(signum: int, frame: Any) -> NoReturn:
    raise Interrupted()


def click_command(argv: Sequence[str]) -> Any:
    """The click command that runs ``argv``.

    Typer builds every command's parameters up front (about 10 ms for all of wpq's), so when
    the line names a command, only that one is built; help and completion get them all.
    """
    if "_WPQ_COMPLETE" in os.environ:
        from .commands.completion import use_escaping_bash_completion

        register(list(ELSEWHERE))
        command = _command(app)
        use_escaping_bash_completion()
        return command
    if list(argv) == ["--version"]:  # the group alone answers it: build no command
        return _command(_without_commands())
    name = next((arg for arg in argv if not arg.startswith("-")), None)
    if name is not None:
        narrowed = _narrowed(name)
        if narrowed.registered_commands or narrowed.registered_groups:
            # With the command first, no option of the group itself can follow: Typer's
            # --install-completion and --show-completion (some 0.3 ms to build) are left out.
            narrowed._add_completion = narrowed._add_completion and argv[0] != name
            return _command(narrowed)
    register(list(ELSEWHERE))
    return _command(app)


def command_alone(argv: Sequence[str]) -> Any | None:
    """The click command of the command ``argv`` starts with, built without wpq's group
    around it, which adds nothing a command named first can use (its own options, and a
    second context to parse: some 0.7 ms); None when ``argv`` does not start with the name
    of a command (but with a group of commands, an option) or a shell asks to complete."""
    import copy

    if not argv or argv[0].startswith("-") or "_WPQ_COMPLETE" in os.environ:
        return None
    single = _narrowed(argv[0])
    if not single.registered_commands:
        return None
    info = copy.copy(single.registered_commands[0])  # Typer writes settings into it
    info.cls = CheckedCommand  # the group's checks (``given.py``), made by the command
    single.registered_commands, single.registered_callback = [info], None
    single._add_completion = False
    return typer.main.get_command(single)  # tidied by the command, when its help can show


def _narrowed(name: str) -> typer.Typer:
    """A copy of ``app`` holding only the command or group called ``name``, if any."""
    import copy

    register([name])
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
    return narrowed


def _command(typer_app: typer.Typer) -> Any:
    """The click command of ``typer_app``, its help tidied (``commands/helptext.py``)."""
    from .commands.helptext import tidy

    return tidy(typer.main.get_command(typer_app))


def _without_commands() -> typer.Typer:
    import copy

    bare = copy.copy(app)
    bare.registered_commands, bare.registered_groups = [], []
    return bare


def main(argv: Sequence[str] | None = None) -> int:
    """Run wpq; returns the exit status. Errors become one stderr line each (``output.run``)."""
    signal.signal(signal.SIGINT, _interrupt)
    args = sys.argv[1:] if argv is None else list(argv)
    alone = command_alone(args)
    if alone is not None:
        return run(alone, args[1:], prog_name=f"wpq {args[0]}")
    return run(click_command(args), args)
