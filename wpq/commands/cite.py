"""``wpq cite``: the references behind records (each record with the data version, and
every source it cites), or the dataset itself. ``cli.py`` registers the command;
``questions/citations.py`` builds the references, ``references`` writes them.
"""

# No `from __future__ import annotations`: Typer reads these annotations as objects.
import enum
import os
import shutil
import sys
from typing import Annotated, Any

import typer

from ..errors import UsageError
from ..questions import citations
from .filters import CollectionOpt
from .options import Options, complete_from_data, data_only
from .output import load, write
from .references import bundled_keys, render

Row = dict[str, Any]


class CiteFormat(str, enum.Enum):
    text = "text"
    csljson = "csljson"
    bibtex = "bibtex"
    ris = "ris"


# ``--json`` and ``WPQ_FORMAT=json`` ask for the canonical form.
_ALIASES = {"json": CiteFormat.csljson}


def cite_format(chosen: CiteFormat | None, json_flag: bool) -> CiteFormat:
    """The format asked for; else ``WPQ_FORMAT`` where it names one of cite's; else plain
    text on a terminal and CSL-JSON (the canonical form, which a script or pandoc reads)
    when piped, as every listing prints a table on a terminal and data when piped."""
    if chosen is not None and json_flag and chosen is not CiteFormat.csljson:
        raise UsageError(f"choose one output format: {chosen.value}, csljson (--json)")
    if chosen is not None:
        return chosen
    if json_flag:
        return CiteFormat.csljson
    env = os.environ.get("WPQ_FORMAT", "").lower()
    if env in CiteFormat.__members__ or env in _ALIASES:
        return _ALIASES.get(env) or CiteFormat(env)
    return CiteFormat.text if sys.stdout.isatty() else CiteFormat.csljson


@data_only
def cite(
    opts: Options,
    records: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[ID|NAME]...",
            help="Records to cite: ids, or names as wpq show takes them (any collection).",
            show_default=False,
            autocompletion=complete_from_data("records"),
        ),
    ] = None,
    dataset: Annotated[
        bool, typer.Option("--dataset", help="Cite the dataset itself: version and licence.")
    ] = False,
    collection: str | None = CollectionOpt,
    fmt: Annotated[
        CiteFormat | None,
        typer.Option(
            "--format",
            help="text, csljson (CSL-JSON, for Zotero and pandoc), bibtex or ris.",
            case_sensitive=False,
            show_default="text on a terminal, csljson otherwise",
        ),
    ] = None,
    json_flag: Annotated[bool, typer.Option("--json", help="Same as --format csljson.")] = False,
    style: Annotated[
        str | None,
        typer.Option(
            "--style",
            help="A citation style (apa, chicago-author-date, ... or a .csl file), as text; "
            "needs wpq's optional 'styles' extra (citeproc-py).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """The references behind records: each record (its id and the data version) and every
    source it cites, with title, author or publisher, date and URL; a copy names its original.

    --dataset cites the dataset itself, with its version and licence (data CC BY 4.0,
    code MIT).

    Example: wpq cite uk-40m-fund-2016 --format bibtex
    """
    from ..questions.provenance import find_record
    from ..questions.rows import COLLECTION_NAMES

    if style and (json_flag or fmt not in (None, CiteFormat.text)):
        given = "--json" if json_flag else f"--format {fmt.value if fmt else ''}"
        raise UsageError(f"--style prints text; it does not go with {given}")
    chosen = CiteFormat.text if style else cite_format(fmt, json_flag)
    if not records and not dataset:
        raise UsageError("name a record to cite (an id or name), or give --dataset")
    items: list[Row] = [citations.dataset_item()] if dataset else []
    if records:
        from ..questions.names import match_kind

        ds = load(opts)
        wanted = match_kind(collection, COLLECTION_NAMES, "collection") if collection else None
        found = [find_record(ds, key, wanted) for key in dict.fromkeys(records)]
        items += citations.cite(ds, found, bundled=bundled_keys(opts))
    text = render(items, chosen, style)
    if chosen is CiteFormat.text and sys.stdout.isatty():
        from ..render.references import wrapped

        text = wrapped(text, shutil.get_terminal_size().columns)
    write(text)
