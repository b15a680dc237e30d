"""A data file to start from (``wpq new``): a commented example of each record a user adds,
valid as written, with the vocabularies filled in from the model."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ..errors import UsageError, WpqError
from ..model import EVENT_KINDS, ORG_KINDS, PLEDGE_KINDS
from ..vocabulary import STAGES

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
    """Write a new data file at ``path``, which must not exist (not even as a link)."""
    text = data_template().encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        raise UsageError(f"{path} already exists; wpq new never replaces a file") from None
    except OSError as exc:
        raise WpqError(f"cannot write {path}: {exc.strerror or exc}") from None
    except ValueError as exc:  # a NUL byte in the name
        raise UsageError(f"invalid path {str(path)!r}: {exc}") from None
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(text)
    except OSError as exc:  # a full disk: leave no half-written file behind
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise WpqError(f"cannot write {path}: {exc.strerror or exc}") from None
