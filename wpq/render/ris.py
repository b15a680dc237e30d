"""CSL-JSON items -> RIS (Zotero, EndNote, Mendeley read it), written here: a tag and a
value a line, nothing to escape but line breaks. rispy (1.5 ms to import) would do as well
but writes a numbered line before each record that is no part of RIS; the tests read every
bundled record's output back with rispy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Item = dict[str, Any]

# CSL type -> RIS type: a web page, a dataset (a record of wpq's, or wpq itself), a document.
_TYPES = {"webpage": "ELEC", "dataset": "DATA", "document": "GEN"}


def _line(tag: str, value: Any) -> str:
    """``TAG  - value``: a value on one line (RIS has no way to continue one)."""
    return f"{tag}  - {' '.join(str(value).split())}\n"


def _date(parts: Sequence[int]) -> str:
    """RIS's ``DA`` form: ``YYYY/MM/DD/``, an unknown part left empty (``2016/07//``)."""
    padded = [f"{p:02d}" if i else str(p) for i, p in enumerate(parts)]
    padded += [""] * (3 - len(padded))
    return "/".join(padded) + "/"


def reference(item: Item) -> str:
    """One item as an RIS reference, from ``TY`` to ``ER``."""
    lines = [_line("TY", _TYPES.get(item.get("type", ""), "GEN")), _line("ID", item["id"])]
    if item.get("title"):
        lines.append(_line("TI", item["title"]))
    for name in item.get("author") or []:
        literal = name.get("literal") or ", ".join(
            p for p in (name.get("family"), name.get("given")) if p
        )
        lines.append(_line("AU", literal))
    if item.get("container-title"):
        lines.append(_line("T2", item["container-title"]))
    if item.get("publisher"):
        lines.append(_line("PB", item["publisher"]))
    parts = ((item.get("issued") or {}).get("date-parts") or [[]])[0]
    if parts:
        lines.append(_line("PY", parts[0]))
        lines.append(_line("DA", _date(parts)))
    if item.get("version"):
        lines.append(_line("ET", item["version"]))
    for url in dict.fromkeys(u for u in (item.get("URL"), item.get("archive_location")) if u):
        lines.append(_line("UR", url))
    if item.get("note"):
        lines.append(_line("N1", item["note"]))
    lines.append("ER  - \n")
    return "".join(lines)


def render_ris(items: Sequence[Item]) -> str:
    """Items as an RIS file: one reference each, an empty line between."""
    return "\n".join(reference(item) for item in items)
