"""Checks of one record's fields that their types cannot express: a dispute names a field
the record has. ``check.py`` runs them with the checks that span records."""

from __future__ import annotations

from collections.abc import Iterator

import msgspec

from ..errors import did_you_mean
from ..model import Record

# Fields a dispute cannot be about: what identifies a record and what says where it comes
# from, rather than a fact a source could give another value of.
_NOT_DISPUTED = frozenset({"id", "disputes", "quotes", "sources", "evidence", "note"})

Problem = tuple[tuple[str | int, ...], str, str]  # (path in the record, message, hint)


def problems(record: Record) -> Iterator[Problem]:
    """What is wrong with ``record``'s fields alone."""
    disputes = getattr(record, "disputes", ())
    if not disputes:
        return
    names = disputable(type(record))
    for index, dispute in enumerate(disputes):
        if dispute.field not in names:
            what = type(record).__name__.lower()
            close = did_you_mean(dispute.field, names)
            yield (
                ("disputes", index, "field"),
                f"a {what} has no field '{dispute.field}' to dispute",
                close or "one of: " + ", ".join(names),
            )


def disputable(record_type: type[Record]) -> list[str]:
    """The fields of ``record_type`` a dispute may name, as data files name them."""
    return [
        f.encode_name
        for f in msgspec.structs.fields(record_type)
        if f.encode_name not in _NOT_DISPUTED
    ]
