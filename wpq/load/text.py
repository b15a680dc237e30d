"""A data file's text: read within a size limit, and decoded strictly as UTF-8.

The first step of loading. A file larger than ``max_file_bytes()`` is refused before it is
read, a pipe is read only up to that size, and a device (``/dev/zero``) is refused, so no
input can make wpq read without end; reading goes in pieces, so Ctrl-C is heard at once.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import Problem
from ..settings import max_file_bytes

_CHUNK = 1 << 20  # read in pieces, so Ctrl-C is heard between them and the limit is kept
WAIT_S = 1.0  # a named pipe with no writer this long is said to be waiting for one


class FileProblem(Exception):
    """A problem found while reading one file at ``line``/``column`` (1-based; 0: unknown)."""

    def __init__(
        self, message: str, *, mark: Any = None, line: int = 0, column: int = 0, hint: str = ""
    ) -> None:
        super().__init__(message)
        if mark is not None:
            line, column = mark.line + 1, mark.column + 1
        self.message, self.line, self.column, self.hint = message, line, column, hint

    def problem(self, path: str) -> Problem:
        return Problem(path, self.line, self.column, self.message, self.hint)


def _too_large(limit: int, size: int | None = None) -> FileProblem:
    """The file is ``size`` bytes (None: unknown, a pipe still going), over ``limit``."""
    most = f"{limit / 1_000_000:g} MB"
    return FileProblem(
        f"file is {size / 1_000_000:,.1f} MB, over wpq's limit of {most} for one data file"
        if size
        else f"file holds more than {most}, wpq's limit for one data file",
        hint="split it into several files, or raise the limit: WPQ_MAX_FILE_MB=500",
    )


def read_bytes(path: Path, waiting: Callable[[str], None] | None = None) -> bytes:
    """The file's bytes, refusing devices and anything over ``max_file_bytes()``.

    A pipe (``--data /dev/stdin``, ``<(...)``) is read, in pieces and only up to the limit,
    so an endless one ends in an error rather than eating all memory. ``waiting(path)``
    hears of a named pipe that has had no writer for ``WAIT_S`` seconds (opening it waits
    for one).
    """
    limit = max_file_bytes()
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem("is a directory, expected a YAML file")
        if not (stat.S_ISREG(info.st_mode) or stat.S_ISFIFO(info.st_mode)):
            kind = "a socket" if stat.S_ISSOCK(info.st_mode) else "a device"
            raise FileProblem(f"is {kind}, not a file", hint="name a YAML file or a pipe")
        if info.st_size > limit:
            raise _too_large(limit, info.st_size)
        chunks: list[bytes] = []
        size = 0
        with _open(path, info, waiting) as file:
            while chunk := file.read(_CHUNK):
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)  # grew since stat, or a pipe
                chunks.append(chunk)
    except FileNotFoundError:
        raise FileProblem("no such file") from None
    except IsADirectoryError:
        raise FileProblem("is a directory, expected a YAML file") from None
    except OSError as exc:
        raise FileProblem(f"cannot read: {exc.strerror or exc}") from None
    return b"".join(chunks)


def _open(path: Path, info: os.stat_result, waiting: Callable[[str], None] | None) -> BinaryIO:
    """``path`` opened to read; for a named pipe, ``waiting`` is told if no writer comes
    within ``WAIT_S`` (Ctrl-C still ends the wait at once)."""
    if waiting is None or not stat.S_ISFIFO(info.st_mode):
        return open(path, "rb", buffering=0)
    import threading

    timer = threading.Timer(WAIT_S, waiting, args=(str(path),))
    timer.daemon = True
    start_for_main(timer)
    try:
        return open(path, "rb", buffering=0)
    finally:
        timer.cancel()


def start_for_main(thread: Any) -> None:
    """Start ``thread`` with Ctrl-C (SIGINT) blocked in it and in the threads it starts: the
    signal then interrupts the main thread, however long it waits in a system call (opening
    a named pipe with no writer); delivered to another thread, it would leave it waiting."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):  # no POSIX threads: nothing to block
        thread.start()
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        thread.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def rereadable(path: Path) -> bool:
    """Whether reading ``path`` again gives the same bytes (a file, not a pipe)."""
    try:
        return stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def read_text(path: Path, waiting: Callable[[str], None] | None = None) -> str:
    """The file's text, decoded strictly as UTF-8.

    A leading byte-order mark is accepted silently: Windows editors write one and it says
    nothing but "UTF-8". An empty (or all-whitespace) file is an error, not an empty dataset:
    a data file that holds nothing is almost always a mistake (a failed save, a wrong path).
    """
    data = read_bytes(path, waiting)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = exc.start - (before.rfind(b"\n") + 1) + 1
        raise FileProblem(
            f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded",
            line=line,
            column=column,
            hint="save the file as UTF-8",
        ) from None
    if not text.strip():
        raise FileProblem(
            "file is empty", line=1, column=1, hint="expected a mapping of collections"
        )
    return text
