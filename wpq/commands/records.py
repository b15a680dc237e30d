"""Commands about records themselves and where they come from: the sources, a search of
every record's text, and one record in full. ``cli.py`` registers them; like every command,
they only parse options, ask ``provenance`` and hand the answer to ``output``.
"""

# No `from __future__ import annotations`: Typer reads these annotations as objects.
import sys
from typing import Annotated

import typer

from ..errors import UsageError
from ..questions import provenance
from ..questions.names import match_kind
from ..questions.rows import COLLECTION_NAMES
from ..render.text import CITATION_FORMATS
from .filters import CollectionOpt, RecordArg
from .formats import output_format, split_fields
from .options import Options, card, listing
from .output import emit, emit_document, load, say, write


@listing
def sources(opts: Options) -> None:
    """The sources, with how many records each supports and which.

    Example: wpq sources --sort used_by_count --desc
    """
    ds = load(opts)
    emit(opts, ds, provenance.source_rows(ds), "sources")


@listing
def search(
    opts: Options,
    text: Annotated[
        str, typer.Argument(metavar="TEXT", help="Text to look for (case and accents ignored).")
    ],
    collection: str | None = CollectionOpt,
) -> None:
    """Records whose text (names, titles, summaries, notes, quotes; not ids) contains TEXT:
    events, pledges and programmes first, sources last.

    Example: wpq search unicef --collection events
    """
    ds = load(opts)
    emit(opts, ds, provenance.search(ds, text, collection), "search")


@card
def show(
    opts: Options,
    record_id: str = RecordArg,
    collection: str | None = CollectionOpt,
) -> None:
    """One record in full, with its sources and everything that refers to it.

    A name is resolved as --donor resolves it: wpq show uk is the UK government, and
    wpq show uk --collection countries the country. --fields picks the record's fields.

    Example: wpq show uk-40m-fund-2016
    """
    from ..render.card import render_record

    ds = load(opts)
    fmt = output_format(opts)
    if fmt in CITATION_FORMATS:  # the same references as wpq cite
        from ..questions.citations import cite
        from .references import bundled_keys, render

        if opts.fields:
            raise UsageError(f"--fields does not go with --format {fmt.value}")
        wanted = match_kind(collection, COLLECTION_NAMES, "collection") if collection else None
        found = provenance.find_record(ds, record_id, wanted)
        write(render(cite(ds, [found], bundled=bundled_keys(opts)), fmt))
        return
    shown = provenance.show(ds, record_id, collection, split_fields(opts.fields))
    names = provenance.reference_names(ds, shown["collection"], shown["id"])
    rows = [{"field": k, "value": v} for k, v in shown["record"].items()]
    money = [] if opts.fields else provenance.money_fields(shown)  # --fields: the record's own
    money_rows = [{"field": k, "value": v} for k, v in money]
    if shown.get("note") and sys.stderr.isatty():  # a country no record uses
        say(shown["note"])
    # Piped, the card's other parts follow as blocks (a script loses nothing the card shows);
    # --fields asks for the record's fields alone.
    blocks = [] if opts.fields else [(c, shown[k]) for k, c in provenance.SHOW_BLOCKS.items()]
    emit_document(
        opts,
        shown,
        draw=lambda console: render_record(console, shown, names),
        sections=[(("field", "value"), [*rows, *money_rows]), *blocks],
        what="card",
    )
