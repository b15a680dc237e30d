"""wpq's own exceptions and exit codes: raised deep in the core, one stderr line in the CLI."""

from __future__ import annotations

import enum
import re
from collections.abc import Collection, Iterable

import msgspec


class ExitStatus(enum.IntEnum):
    """The documented exit codes (README, "Exit codes")."""

    OK = 0
    DATA_ERROR = 1
    USAGE_ERROR = 2
    NO_MATCH = 4
    OUTPUT_ERROR = 74  # sysexits.h's EX_IOERR: stdout could not be written
    INTERRUPTED = 130


# C0 and C1 controls (ESC, BEL, a line break...), line and paragraph separators, the
# marks and overrides of bidirectional text, which can make a name read as something else,
# and the invisible characters that make two names look the same (a zero-width space, a
# word joiner, a byte-order mark). The one class every text format escapes.
# (Compiled on first use by ``re``'s own cache: most runs print no message at all.)
_C1_AND_BIDI = "\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff"
_UNPRINTABLE = f"[\x00-\x1f{_C1_AND_BIDI}]"
UNPRINTABLE_CLASS = _UNPRINTABLE
# The same class without the C0 controls, which every encoder of JSON or YAML escapes.
BEYOND_C0 = f"[{_C1_AND_BIDI}]"
# Its characters one by one, for ``str.translate``: a class of characters beyond Latin-1
# takes ``re`` some 0.7 ms to compile (tests/test_render.py checks the two agree).
BEYOND_C0_CHARS = frozenset(
    chr(c)
    for c in (
        *range(0x7F, 0xA0),
        0x061C,
        0x200B,
        0x200E,
        0x200F,
        *range(0x2028, 0x202F),
        0x2060,
        *range(0x2066, 0x206A),
        0xFEFF,
    )
)
_UNPRINTABLE_BUT_LINES = f"[\x00-\x09\x0b-\x1f{_C1_AND_BIDI}]"


def printable(text: str, *, keep_lines: bool = False) -> str:
    """``text`` with every control or bidirectional character written as its escape
    (``\\x1b``, ``\\u202e``): a message quoting data stays one line and cannot drive the
    terminal. ``keep_lines`` leaves line breaks as they are (a table's multi-line cell)."""
    pattern = _UNPRINTABLE_BUT_LINES if keep_lines else _UNPRINTABLE
    return re.sub(pattern, lambda m: m[0].encode("unicode_escape").decode("ascii"), text)


class WpqError(Exception):
    """Base of every error a user can act on; ``exit_status`` says how the process ends."""

    exit_status = ExitStatus.DATA_ERROR

    def lines(self) -> list[str]:
        return [str(self)]


class Problem(msgspec.Struct, frozen=True, order=True):
    """One defect in a data file. ``line``/``column`` are 1-based; 0 when unknown.

    Problems sort by file, line, column and message.
    """

    path: str
    line: int = 0
    column: int = 0
    message: str = ""
    hint: str = ""

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}:{self.column}"
        text = f"{where}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """ "did you mean 'x'?" for the choice closest to ``word``, or '' when none is close."""
    import difflib  # only on the way to an error

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


class DataError(WpqError):
    """A data file is missing, unreadable, not YAML or invalid; holds every problem found,
    by file, line and column, the files in ``last`` (the bundled data) after the others."""

    exit_status = ExitStatus.DATA_ERROR

    def __init__(self, problems: list[Problem], last: Collection[str] = ()) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path in last, p))
        super().__init__("\n".join(str(p) for p in self.problems))

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class UsageError(WpqError):
    """A bad option value, an unknown or ambiguous name, an unknown field."""

    exit_status = ExitStatus.USAGE_ERROR


class OutputError(WpqError):
    """stdout could not be written: a full disk, a closed descriptor, an I/O error."""

    exit_status = ExitStatus.OUTPUT_ERROR


class CacheUntrusted(Exception):
    """Records read from a cache file break a rule every loaded dataset keeps (a duplicate
    id, a cycle, tranches beyond their pledge, a reference to nothing): the file was not
    written by wpq from the data files, and nothing read from it can be trusted, not even
    the positions its indexes gave. The dataset that raised it has taken the data files'
    records since (``cache/audit.py``): asking again answers from them."""
