"""References on the command line, shared by ``wpq cite``, ``wpq show`` and every listing:
writing CSL-JSON items in a format, telling the user's records from the dataset's, and
what a listing prints with a citation format (``--format csljson|bibtex|ris``) or
``--with-sources``. ``questions/citations.py`` builds the items; ``render`` writes them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..model import COLLECTIONS, Dataset, record_key
from ..questions import citations
from ..render.text import Format

if TYPE_CHECKING:
    import enum

    from .options import Options

Row = dict[str, Any]


def render(items: Sequence[Row], fmt: enum.Enum, style: str | None = None) -> str:
    """References in a format (or, with ``style``, as that citation style's bibliography)."""
    if style:
        from ..render.styles import render_style

        return render_style(items, style)
    if fmt.value == "csljson":
        from ..render.text import render_json

        return render_json(list(items))
    if fmt.value == "bibtex":
        from ..render.bibtex import render_bibtex

        return render_bibtex(items)
    if fmt.value == "ris":
        from ..render.ris import render_ris

        return render_ris(items)
    from ..render.references import render_references

    return render_references(items)


def bundled_keys(opts: Options) -> set[tuple[str, str]] | None:
    """The (collection, id) of every record of the wpq dataset when other data is loaded
    too (a record of the user's is cited as theirs, not as ours); None when all are ours."""
    from ..loader import env_paths, load_dataset

    if opts.no_bundled:
        return set()
    if not (opts.data or env_paths()):
        return None
    ours = load_dataset([], bundled=True, cache=False if opts.no_cache else None)
    return {(name, record_key(name, r)) for name in COLLECTIONS for r in ours.collection(name)}


def listing_references(
    opts: Options, ds: Dataset, listing: str, rows: list[Row], fmt: Format
) -> str:
    """A listing in a citation format: its rows' records (and, ``--with-sources``, their
    sources) as references."""
    if opts.fields:
        raise UsageError(f"--fields does not go with --format {fmt.value}: references have theirs")
    items = citations.listing_items(
        ds, listing, rows, with_sources=opts.with_sources, bundled=bundled_keys(opts)
    )
    return render(items, fmt)


def add_citations(
    ds: Dataset, listing: str, rows: list[Row], columns: Sequence[str], fmt: Format
) -> tuple[list[Row], list[str]]:
    """``--with-sources``: each row's ``citations`` (every source behind its record); in TSV
    and CSV a readable reference each, beside the source ids (``sources``)."""
    rows = citations.with_citations(ds, rows, listing)
    if fmt in (Format.tsv, Format.csv):
        from ..render.references import source_text

        for row in rows:
            ids = [c["id"] for c in row["citations"]]
            row["sources"] = ids
            row["citations"] = [source_text(i) for i in citations.source_items(ds, ids)]
        return rows, [*[c for c in columns if c != "sources"], "sources", "citations"]
    return rows, [*columns, "citations"]


def number_sources(
    ds: Dataset, whole: list[Row], picked: list[Row], fields: Sequence[str] | None
) -> tuple[list[Row], list[Row], list[str] | None]:
    """A table's ``refs`` column (the numbers of each row's sources, in order of first use)
    and the sources to list under it; ``--fields`` keeps the column."""
    from ..render.references import numbers

    numbered: dict[str, int] = {}
    shown = []
    for full, row in zip(whole, picked, strict=True):
        ids = [c["id"] for c in full.get("citations") or []]
        for i in ids:
            numbered.setdefault(i, len(numbered) + 1)
        shown.append({**row, "refs": numbers([numbered[i] for i in ids], brackets=False)})
    refs = citations.source_items(ds, numbered)
    return shown, refs, [*fields, "refs"] if fields else None
