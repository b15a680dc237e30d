"""Reading a cache file: what a query needs, read when it needs it, never mapped.

A mapped file that another process cuts short or rewrites in place kills the reader with
SIGBUS when it touches a page that is gone; a read (``pread``) of the same bytes returns
fewer or other bytes instead, which the CRCs of ``layout`` catch, and the query goes on
from the data files.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path


class CacheFile:
    """A cache file open to read: what a query needs is read (``pread``) when needed, never
    mapped into memory, so whatever another process does to the file meanwhile (cut it
    short, rewrite it in place) means short or different bytes, which their CRCs catch, and
    never a signal (a mapped page that is gone kills the reader with SIGBUS)."""

    def __init__(self, fd: int, size: int) -> None:
        self._fd, self.size = fd, size

    def __del__(self) -> None:  # the descriptor lives as long as the dataset read from it
        with contextlib.suppress(OSError):
            os.close(self._fd)

    @classmethod
    def open(cls, path: Path, least: int) -> CacheFile | None:
        """``path`` open to read, or None unless it is a regular file of the user's own of
        at least ``least`` bytes (a FIFO or a device put in its place must not block or
        flood a query, and a file someone else wrote is not taken on trust)."""
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            info = os.fstat(fd)
            if stat.S_ISREG(info.st_mode) and info.st_size >= least and info.st_uid == _user():
                fd, file = -1, cls(fd, info.st_size)
                return file
            return None
        finally:
            if fd >= 0:
                os.close(fd)

    def read(self, offset: int, length: int) -> bytes:
        """Up to ``length`` bytes from ``offset``: fewer where the file ends sooner (or
        ended when it was opened: a span its header cannot have meant is never read)."""
        length = min(length, self.size - offset)
        if length <= 0 or offset < 0:
            return b""
        data = os.pread(self._fd, length, offset)
        while 0 < len(data) < length:  # a regular file reads short only at its end
            more = os.pread(self._fd, length - len(data), offset + len(data))
            if not more:
                break
            data += more
        return data


def _user() -> int:
    return os.geteuid() if hasattr(os, "geteuid") else 0


# How much ``layout.LazyDataset`` reads at a time when it decodes records: the records a
# query needs are spread over the file, and one read serves those that fall in it
# (measured in docs/performance.md).
BLOCK = 1 << 15
