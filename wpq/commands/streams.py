"""What stdout and stderr can take: the encoding of stdout (``PYTHONIOENCODING=ascii``, a
Latin-1 terminal), and the traceback ``WPQ_DEBUG`` adds beside a message.

A text wpq writes holds any character; a stream whose encoding cannot hold one gets it
escaped as JSON escapes it, ``\\uXXXX``, so JSON stays valid and means the same, and the
other formats show an escape where the character was, as they show control characters
(YAML is written in ASCII alone for such a stream: ``render_yaml(unicode=False)``).
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Any


def unicode_stdout() -> bool:
    """Whether stdout's encoding holds every character (UTF-8, or another UTF)."""
    import codecs

    try:
        return codecs.lookup(sys.stdout.encoding or "").name.startswith("utf")
    except (LookupError, AttributeError):
        return False


def write_encodable(stream: Any, text: str) -> None:
    """Write ``text`` to ``stream``, escaping what its encoding cannot hold (``escaped_for``)."""
    try:
        stream.write(text)
    except UnicodeEncodeError:  # nothing written yet: the whole text is encoded first
        stream.write(escaped_for(stream, text))


def escaped_for(stream: Any, text: str) -> str:
    """``text`` with every character ``stream``'s encoding (``PYTHONIOENCODING=ascii``,
    a Latin-1 terminal) cannot hold written ``\\uXXXX``, as JSON writes it: JSON stays
    valid and means the same, and the other formats show an escape where the character was,
    as they show control characters."""
    import codecs

    codecs.register_error("wpq-escape", _json_escape)
    encoding = stream.encoding or "ascii"
    return text.encode(encoding, "wpq-escape").decode(encoding)


def _json_escape(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    escapes = []
    for char in error.object[error.start : error.end]:
        code = ord(char)
        if code > 0xFFFF:  # a surrogate pair, as JSON spells a character past the BMP
            code -= 0x10000
            escapes.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            escapes.append(f"\\u{code:04x}")
    return "".join(escapes), error.end


def print_traceback() -> None:
    """``WPQ_DEBUG``: the traceback of the error being handled, on stderr; the message and
    the exit status that follow are the same as without it."""
    import traceback

    with contextlib.suppress(OSError, ValueError):
        traceback.print_exc(file=sys.stderr)


def silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no descriptor (a test's capture): nothing to flush
        pass
