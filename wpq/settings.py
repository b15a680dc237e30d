"""wpq's settings from the environment (``WPQ_MAX_FILE_MB``, ``WPQ_NO_CACHE``,
``WPQ_DEBUG``), read and checked in one place.

Every run that loads data checks them all (``check``), whether the cache answers or not, so
a setting wpq cannot read is the same usage error warm as cold. A yes-or-no setting takes
the usual words: ``1``, ``true``, ``yes``, ``on`` and ``0``, ``false``, ``no``, ``off`` (or
empty), in any case; anything else is refused rather than guessed.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping

from .errors import UsageError

# A data file larger than this is refused before it is read (``WPQ_MAX_FILE_MB`` changes
# it): the 100,000-pledge benchmark file is 31 MB, and a load needs about eight times a file's
# size in memory.
MAX_FILE_MB = 100
BYTES_PER_MAPPING = 100
TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("", "0", "false", "no", "off")


def _env(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def flag(name: str, environ: Mapping[str, str] | None = None) -> bool:
    """The yes-or-no setting ``name``: false when unset or empty."""
    value = _env(environ).get(name, "")
    word = value.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise UsageError(f"{name}='{value}' is neither yes nor no; use 1 or 0 (true or false)")


def max_file_bytes(environ: Mapping[str, str] | None = None) -> int:
    """The size limit of one data file: ``WPQ_MAX_FILE_MB`` megabytes, or ``MAX_FILE_MB``."""
    value = _env(environ).get("WPQ_MAX_FILE_MB", "")
    if not value:
        return MAX_FILE_MB * 1_000_000
    try:
        megabytes = float(value)
    except ValueError:
        megabytes = math.nan
    if not (megabytes > 0 and math.isfinite(megabytes)) or megabytes * 1_000_000 < 1:
        raise UsageError(f"WPQ_MAX_FILE_MB='{value}' is not a number of megabytes, e.g. 500")
    return int(megabytes * 1_000_000)


def max_mappings(environ: Mapping[str, str] | None = None) -> int:
    """How many mappings (records, and entries such as quotes) one data file may hold: one
    per ``BYTES_PER_MAPPING`` bytes of the size limit, 1,000,000 by default. Memory goes by
    records as much as by bytes (some 0.75 KB a record however small it is written), so a
    file of tiny records is bounded by this as a file of large ones is by its size."""
    return max(1, max_file_bytes(environ) // BYTES_PER_MAPPING)


def no_cache(environ: Mapping[str, str] | None = None) -> bool:
    """``WPQ_NO_CACHE``: read the YAML again rather than the cache."""
    return flag("WPQ_NO_CACHE", environ)


def debug(environ: Mapping[str, str] | None = None) -> bool:
    """``WPQ_DEBUG``: a traceback beside each error message (the exit status is the same)."""
    return flag("WPQ_DEBUG", environ)


def check(environ: Mapping[str, str] | None = None) -> None:
    """Raise ``UsageError`` for the first setting of loading that wpq cannot read."""
    max_file_bytes(environ)
    no_cache(environ)
