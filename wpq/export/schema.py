"""The JSON Schema of a data file, generated from the record types (never written by hand)."""

from __future__ import annotations

from typing import Any

import msgspec

from ..model import FILE_RECORDS, Record

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def data_file_schema() -> dict[str, Any]:
    """Draft 2020-12 schema for one wpq YAML data file."""
    # Round-trip through JSON so defaults read as JSON does (msgspec leaves tuples as tuples).
    generated = msgspec.json.decode(msgspec.json.encode(msgspec.json.schema(_data_file())))
    _clean_descriptions(generated)
    _describe_fields(generated["$defs"])
    return {
        "$schema": SCHEMA_DIALECT,
        "title": "wpq data file",
        "description": "A YAML file of wpq records: each top-level key is a collection, "
        "each collection a list of records. Dates, codes and ids are strings; quote country "
        'codes ("NO", "NA").',
        **generated,
    }


def _data_file() -> type[msgspec.Struct]:
    """The type of one data file, built from the collections (for the schema only)."""
    fields = [(name, tuple[record, ...], ()) for name, record in FILE_RECORDS.items()]  # type: ignore[valid-type]
    doc = (
        "The shape of one data file: any of the collections, each a list of records.\n\n"
        "Used for ``wpq schema``; the loader converts record by record to report every problem."
    )
    return msgspec.defstruct(
        "DataFile", fields, bases=(Record,), kw_only=True, frozen=True, namespace={"__doc__": doc}
    )


def _describe_fields(definitions: dict[str, Any]) -> None:
    """Each collection and each field described as the published bundle describes it
    (``describe``: what ``descriptions.py`` says it means, with what its type says)."""
    from .. import model
    from ..descriptions import COLLECTION_MEANINGS
    from .describe import field_description

    for name, definition in definitions.items():
        if name == "DataFile":
            for collection, meaning in COLLECTION_MEANINGS.items():
                definition["properties"][collection]["description"] = meaning
            continue
        record = getattr(model, name)
        for field, entry in definition.get("properties", {}).items():
            entry["description"] = field_description(record, field)


def _clean_descriptions(node: Any) -> None:
    """Docstrings as ``inspect.cleandoc`` gives them: Python 3.13 strips their indentation
    itself, and the schema should not depend on the Python that made it."""
    import inspect

    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                node[key] = inspect.cleandoc(value)
            else:
                _clean_descriptions(value)
    elif isinstance(node, list):
        for item in node:
            _clean_descriptions(item)
