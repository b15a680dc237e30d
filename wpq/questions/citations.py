"""Records -> references a researcher can cite, as CSL-JSON items (the canonical form:
Zotero and pandoc read it; ``render`` writes BibTeX, RIS and plain text from these items).

A citation of a fact names the record (its collection, id and the data version) and every
source behind it. A source's reference carries its title, author or publisher, date at the
precision known (CSL ``issued`` with one to three date parts) and URL; for a copy read on
another site, the original's publisher and date, with the copy's site and URL marked as
the copy (CSL ``archive`` and ``archive_location``, and a note).

The dataset itself is citable: ``dataset_item``. Its version is wpq's (``wpq.__version__``):
the data ships inside the package, so the version that installs the code installs exactly
that data; ``data_digest`` tells a changed copy (an edited checkout) from the release.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from .. import __version__
from ..model import Dataset, Pledge, Record, Source, record_key
from .names import country_names, organisation_names
from .rows import Row
from .trust import find, record_of, record_sources, row_sources

Item = dict[str, Any]

# The dataset as CITATION.cff and ``wpq cite --dataset`` name it (tests hold the file to these).
TITLE = "wpq: a sourced dataset on the international fight against online child sexual exploitation"
AUTHOR = "The wpq contributors"
LICENCE = "CC-BY-4.0"
LICENCE_NAME = "Creative Commons Attribution 4.0 International"
LICENCE_SHORT = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
CODE_LICENCE = "MIT"
CODE_LICENCE_URL = "https://opensource.org/license/mit"
DATASET_ID = "wpq:dataset"

# What a record is called in a reference: "Pledge uk-40m-fund-2016".
_SINGULAR = {
    "sources": "Source",
    "organisations": "Organisation",
    "countries": "Country",
    "events": "Event",
    "pledges": "Pledge",
    "programmes": "Programme",
    "figures": "Figure",
    "rates": "Rate",
}


def data_version() -> str:
    """The version of the bundled data: wpq's own (one source: ``wpq.__version__``)."""
    return __version__


@functools.cache
def data_digest() -> str:
    """SHA-256 of the bundled data files (YAML and the rate table, by name, line ends
    made ``\\n``): the same for every install of a release, different for edited data."""
    from ..loader import BUNDLED_DIR

    digest = hashlib.sha256()
    for path in sorted(BUNDLED_DIR.iterdir()):
        if path.suffix in (".yaml", ".yml", ".csv"):
            digest.update(path.name.encode() + b"\0")
            digest.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()


def dataset_facts() -> dict[str, str]:
    """The dataset's name, version, digest and licences, for ``cite --dataset`` and exports."""
    return {
        "title": TITLE,
        "author": AUTHOR,
        "version": data_version(),
        "data_sha256": data_digest(),
        "licence": LICENCE,
        "licence_name": LICENCE_NAME,
        "licence_url": LICENCE_URL,
        "code_licence": CODE_LICENCE,
    }


def issued(date: str | None) -> dict[str, list[list[int]]] | None:
    """A ``YYYY[-MM[-DD]]`` date as CSL date parts, at the precision it has."""
    if not date:
        return None
    return {"date-parts": [[int(part) for part in date.split("-")]]}


def dataset_item() -> Item:
    """The dataset itself, as one CSL-JSON item."""
    version, digest = data_version(), data_digest()
    return {
        "id": DATASET_ID,
        "type": "dataset",
        "title": TITLE,
        "author": [{"literal": AUTHOR}],
        "version": version,
        "note": f"Data licensed under {LICENCE_NAME} ({LICENCE_SHORT}), {LICENCE_URL}; code "
        f"under the {CODE_LICENCE} licence. Data version {version}, SHA-256 {digest}.",
        "custom": {"licence": LICENCE, "licence_url": LICENCE_URL, "data_sha256": digest},
    }


def is_copy(source: Source) -> bool:
    """Whether ``source`` is a copy read on another site (it names the original's publisher)."""
    return source.original_publisher is not None


def source_item(source: Source) -> Item:
    """A source as a CSL-JSON item. For a copy: the original's publisher, date and (when
    known) URL; the site read and its address as ``archive`` and ``archive_location``."""
    copy = is_copy(source)
    item: Item = {
        "id": source.id,
        "type": "webpage" if source.url else "document",
        "title": source.title,
    }
    if source.author:
        item["author"] = [{"literal": source.author}]
    item["publisher"] = source.original_publisher if copy else source.publisher
    date = issued((source.original_published or source.published) if copy else source.published)
    if date:
        item["issued"] = date
    url = (source.original_url or source.url) if copy else source.url
    if url:
        item["URL"] = url
    if copy:
        item["archive"] = source.publisher
        if source.url:
            item["archive_location"] = source.url
        item["note"] = copy_note(source)
    return item


def copy_note(source: Source) -> str:
    """What a copy is, in words: where it was read, and the original where known."""
    dated = f", dated {source.published}" if source.published else ""
    read = f"Read in a copy on {source.publisher}{dated}"
    read += f": {source.url}" if source.url else ""
    original = f"The original is by {source.original_publisher}"
    if source.original_published:
        original += f" ({source.original_published})"
    original += (
        f", at {source.original_url}" if source.original_url else "; its address is not known"
    )
    return f"{read}. {original}."


def record_title(ds: Dataset, collection: str, record: Record) -> str:
    """A record in a reference: its kind, id and what it is ("Pledge uk-40m-fund-2016:
    Home Office, 40,000,000 GBP, 2016-07-12")."""
    key = record_key(collection, record)
    if isinstance(record, Pledge):
        donor = organisation_names(ds).get(record.by, record.by)
        money = f"{record.amount:,} {record.currency}" if record.amount is not None else None
        what = ", ".join(p for p in (donor, money, record.date) if p)
    else:
        what = next(
            (
                str(value)
                for name in ("name", "title", "statement", "summary")
                if (value := getattr(record, name, None))
            ),
            "",
        )
    head = f"{_SINGULAR.get(collection, collection)} {key}"
    return f"{head}: {what}" if what and what != key else head


def record_item(
    ds: Dataset,
    collection: str,
    record: Record,
    *,
    sources: Sequence[str] | None = None,
    bundled: bool = True,
    entry: str | None = None,
) -> Item:
    """A record as a CSL-JSON item of type dataset: the record in the wpq dataset at its
    version (``bundled``) or in the user's own data, with the ids of its sources. ``entry``
    names one entry of it (a programme's country code)."""
    key = record_key(collection, record)
    cited = list(sources) if sources is not None else record_sources(collection, record)
    title = record_title(ds, collection, record)
    if entry:
        name = country_names(ds).get(entry, entry)
        title = f"{name} in {title}"
    path = f"{collection}/{key}" + (f"#{entry}" if entry else "")
    item: Item = {
        "id": f"wpq:{collection}:{key}" + (f":{entry}" if entry else ""),
        "type": "dataset",
        "title": title,
    }
    custom: Item = {"collection": collection, "record_id": key}
    if entry:
        custom["entry"] = entry
    if bundled:
        version = data_version()
        item |= {
            "author": [{"literal": AUTHOR}],
            "container-title": TITLE,
            "version": version,
        }
        note = f"Record {path} of the wpq dataset, version {version}, licensed {LICENCE_SHORT}."
        custom["data_version"] = version
        custom["data_sha256"] = data_digest()
    else:
        note = f"Record {path} of the user's own data (not part of the wpq dataset)."
    if cited:
        note += " Sources: " + ", ".join(cited) + "."
    item["note"] = note
    item["custom"] = custom | {"sources": cited}
    return item


def cite(
    ds: Dataset,
    records: Iterable[tuple[str, Record]],
    *,
    bundled: set[tuple[str, str]] | None = None,
) -> list[Item]:
    """The references of ``records``: each record's item, then every source behind them,
    each once, in the order first cited (a source cited directly is its own item).
    ``bundled``: the (collection, id) keys of the wpq dataset when other data is loaded
    too; None when every record is the dataset's."""
    items: list[Item] = []
    cited: list[str] = []
    for collection, record in records:
        if collection == "sources":
            cited.append(record_key(collection, record))
            continue
        key = record_key(collection, record)
        ours = bundled is None or (collection, key) in bundled
        item = record_item(ds, collection, record, bundled=ours)
        items.append(item)
        cited += item["custom"]["sources"]
    return items + source_items(ds, cited)


def source_items(ds: Dataset, ids: Iterable[str]) -> list[Item]:
    """The CSL-JSON items of the sources ``ids``, each once, in order."""
    items = []
    for key in dict.fromkeys(ids):
        source = find(ds, "sources", key)
        if isinstance(source, Source):
            items.append(source_item(source))
    return items


def listing_items(
    ds: Dataset,
    listing: str,
    rows: Sequence[Row],
    *,
    with_sources: bool = False,
    bundled: set[tuple[str, str]] | None = None,
) -> list[Item]:
    """A listing's rows as references: each row's record (a ``sources`` row: the source;
    a ``countries`` row: the programme's entry for that country), then, ``with_sources``,
    every source behind them."""
    items: dict[str, Item] = {}
    cited: list[str] = []
    for row in rows:
        found = record_of(ds, listing, row)
        if found is None:
            continue
        collection, record = found
        if collection == "sources":
            cited.append(record_key(collection, record))
            continue
        key = record_key(collection, record)
        ours = bundled is None or (collection, key) in bundled
        entry = str(row["code"]) if listing == "countries" else None
        sources = row_sources(ds, listing, row)
        item = record_item(ds, collection, record, sources=sources, bundled=ours, entry=entry)
        items.setdefault(item["id"], item)
        if with_sources:
            cited += sources
    return [*items.values(), *source_items(ds, cited)]


def source_fields(source: Source) -> Row:
    """What a row's ``citations`` entry says of one source (JSON keys: the source's fields)."""
    return {
        "id": source.id,
        "title": source.title,
        "author": source.author,
        "publisher": source.publisher,
        "published": source.published,
        "url": source.url,
        "original_publisher": source.original_publisher,
        "original_published": source.original_published,
        "original_url": source.original_url,
    }


def with_citations(ds: Dataset, rows: list[Row], listing: str = "") -> list[Row]:
    """Rows with a ``citations`` list: each source behind the row (``source_fields``)."""
    result = []
    for row in rows:
        ids = row_sources(ds, listing, row) if listing else list(row.get("sources") or [])
        found = (find(ds, "sources", i) for i in ids)
        result.append(
            {**row, "citations": [source_fields(s) for s in found if isinstance(s, Source)]}
        )
    return result
