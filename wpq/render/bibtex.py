"""CSL-JSON items -> BibTeX, written here in a few lines rather than through bibtexparser
(which costs some 17 ms to import: more than wpq's own work on a query); the tests read
every bundled record's output back with bibtexparser.

Every entry is ``@misc`` (classic BibTeX and biblatex both take it) keyed by the item's id;
text is escaped for LaTeX, so a brace, ``%`` or ``&`` in a title cannot break the file.
Dates are given as ``year``/``month`` and as biblatex's ``date`` at the precision known.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Item = dict[str, Any]

# LaTeX's special characters, each written so that braces stay balanced (BibTeX counts
# every brace, escaped or not).
_LATEX = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "%": r"\%",
        "&": r"\&",
        "#": r"\#",
        "$": r"\$",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)
# A URL is verbatim in biblatex and hyperref: only what would end the field is encoded.
_URL = str.maketrans({"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20", "\n": "%0A"})


def latex(text: str) -> str:
    """``text`` as LaTeX: special characters escaped, line breaks and tabs as spaces."""
    return " ".join(text.translate(_LATEX).split())


def _names(item: Item, key: str) -> str | None:
    """CSL names as BibTeX's ``and``-list; a body's name in braces, kept whole."""
    names = item.get(key) or []
    parts = [
        "{" + latex(n["literal"]) + "}"
        if "literal" in n
        else latex(", ".join(p for p in (n.get("family"), n.get("given")) if p))
        for n in names
    ]
    return " and ".join(parts) or None


def entry(item: Item) -> str:
    """One item as a BibTeX entry."""
    fields: list[tuple[str, str | None]] = [
        ("title", "{" + latex(item["title"]) + "}" if item.get("title") else None),
        ("author", _names(item, "author")),
        ("publisher", latex(item["publisher"]) if item.get("publisher") else None),
        ("howpublished", latex(item["container-title"]) if item.get("container-title") else None),
        ("version", latex(item["version"]) if item.get("version") else None),
    ]
    parts = ((item.get("issued") or {}).get("date-parts") or [[]])[0]
    if parts:
        fields.append(("year", str(parts[0])))
        fields.append(("month", str(parts[1]) if len(parts) > 1 else None))
        fields.append(("date", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))))
    fields.append(("url", item["URL"].translate(_URL) if item.get("URL") else None))
    fields.append(("note", latex(item["note"]) if item.get("note") else None))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields if value)
    return f"@misc{{{item['id']},\n{body}}}\n"


def render_bibtex(items: Sequence[Item]) -> str:
    """Items as a BibTeX file: one entry each, an empty line between."""
    return "\n".join(entry(item) for item in items)
