"""Checks of a source that is a copy read on another site: ``original_publisher`` (who first
published it) must be there when any other ``original_*`` field is, and the copy's fields
must say something other than the original's. ``check`` reports what these find.
"""

from __future__ import annotations

from ..model import Source
from ..vocabulary import fold

# (field path, message, hint)
Found = tuple[tuple[str, ...], str, str]


def copy_problems(source: Source) -> list[Found]:
    """What is wrong with ``source``'s copy fields, if anything."""
    found: list[Found] = []
    if source.original_publisher is None:
        for name in ("original_published", "original_url"):
            if getattr(source, name) is not None:
                found.append(
                    (
                        (name,),
                        f"{name} without original_publisher",
                        "a copy names who first published it: add 'original_publisher'",
                    )
                )
        return found
    if fold(source.original_publisher) == fold(source.publisher):
        found.append(
            (
                ("original_publisher",),
                "original_publisher is the publisher: a copy is read on another site",
                "name the site you read as 'publisher', or drop the original_* fields",
            )
        )
    if source.original_url is not None and source.original_url == source.url:
        found.append(
            (
                ("original_url",),
                "original_url is the url: 'url' is the address of the copy you read",
                "drop 'original_url', or give the copy's address as 'url'",
            )
        )
    if source.published and source.original_published:
        width = min(len(source.published), len(source.original_published))
        if source.published[:width] < source.original_published[:width]:
            found.append(
                (
                    ("published",),
                    f"the copy ({source.published}) is dated before its original "
                    f"({source.original_published})",
                    "'published' is the copy's date, 'original_published' the original's",
                )
            )
    return found
