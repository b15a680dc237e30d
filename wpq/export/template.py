"""A data file to start from (``wpq new``): a commented example of each record a user adds,
valid as written, with the vocabularies filled in from the model."""

from __future__ import annotations

from pathlib import Path

from ..errors import OutputError
from ..model import EVENT_KINDS, ORG_KINDS, PLEDGE_KINDS
from ..vocabulary import STAGES
from .target import writing

TEMPLATE = Path(__file__).resolve().parent / "template.yaml"


def data_template() -> str:
    """The text of a new data file."""
    return TEMPLATE.read_text(encoding="utf-8").format(
        organisation_kinds=", ".join(ORG_KINDS),
        event_kinds=", ".join(EVENT_KINDS),
        pledge_kinds=", ".join(PLEDGE_KINDS),
        stages=", ".join(STAGES),
    )


def write_new(path: Path) -> None:
    """Write a new data file at ``path``, where nothing is (``target``'s rule, no replacing:
    not even a link)."""
    text = data_template().encode("utf-8")
    with writing(path, force=False, replace_hint="wpq new never replaces a file") as temp:
        try:
            temp.write_bytes(text)
        except OSError as exc:  # a full disk
            raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
