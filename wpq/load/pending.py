"""What the steps of loading hand each other: records read so far, problems not yet placed.

``records`` produces both and ``check`` adds problems; they take these types from here, so
neither imports the other for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model import Origin, Record

if TYPE_CHECKING:
    from .yamlfile import NodePath


@dataclass(frozen=True)
class Pending:
    """A problem whose position in its file is still to be looked up.

    ``hint_at`` names a second place (file, node path) whose position replaces ``{at}`` in
    the hint: "also defined at other.yaml:12:9". ``reference`` (collection,
    value) marks a value that cannot be an id, for ``check`` to say what it may have meant.
    """

    path: str
    node_path: NodePath
    message: str
    hint: str = ""
    at_key: bool = False
    hint_at: tuple[str, NodePath] | None = None
    reference: tuple[str, str] | None = None


# (collection, record, origin) for every record that converted cleanly
Loaded = list[tuple[str, Record, Origin]]
# (collection, id or code, origin) of records that did not convert but name themselves:
# their ids still count, so one bad field gives one problem, not one per reference.
Unconverted = list[tuple[str, str, Origin]]
