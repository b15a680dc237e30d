"""A cache of checked datasets, so a repeated query neither parses unchanged YAML nor
decodes records it cannot match (the file's layout: ``layout.py``).

One file per set of data files, named by a CRC of its key: each file's path, size,
modification and change times, inode and device, wpq's version and the checks that ran. A
file changed within the timestamp granularity of the write (``RACY_S``) is also keyed by
its content, checked on every read. What is not a regular file (a pipe, ``/dev/stdin``) is
never cached. The cache is never required: a missing, read-only, stale, truncated, corrupt
or foreign file only means a full load, and files are written under a temporary name and
renamed into place, so concurrent runs never see half a file.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import msgspec

from .. import __version__
from ..model import Dataset
from . import layout

# Bump when the layout of a cache file or the meaning of a record changes.
FORMAT = 10  # 10: text fields must hold something visible
SUFFIX = ".wpqcache"
KEEP = 16  # cache files kept; the oldest go first
# A file changed this close to the moment the cache is written may change again within the
# same timestamp tick (1-2 s on coarse file systems) without its stat changing: such a file
# is also keyed by a CRC of its content, as git treats "racily clean" index entries.
RACY_S = 2.0


def disabled(environ: dict[str, str] | None = None) -> bool:
    """``WPQ_NO_CACHE`` (``settings.flag``'s words; another value is a ``UsageError``), or
    a cache file set aside earlier in this run (``set_aside``)."""
    from ..settings import no_cache

    return no_cache(environ) or _SET_ASIDE[0]


# Whether no cache file is read or written now: one proved untrustworthy (``set_aside``).
_SET_ASIDE = [False]


@contextlib.contextmanager
def set_aside() -> Iterator[None]:
    """Read and write no cache file within the block: one broke a rule every loaded dataset
    keeps (``errors.CacheUntrusted``), so the question is asked again of the data files."""
    before, _SET_ASIDE[0] = _SET_ASIDE[0], True
    try:
        yield
    finally:
        _SET_ASIDE[0] = before


def directory(environ: dict[str, str] | None = None) -> Path:
    """``$XDG_CACHE_HOME/wpq``, or ``~/.cache/wpq``; a relative ``XDG_CACHE_HOME`` is invalid
    (the XDG spec says to ignore it) and would put the cache in the current directory."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "wpq"


def key(files: Sequence[Path], *, checks: str) -> str | None:
    """The cache key of loading ``files`` in this order; None if one cannot be read or is
    not a regular file (its content cannot be known without reading it all)."""
    parts: list[Any] = [FORMAT, __version__, checks, sys.byteorder]
    try:
        for path in files:
            info = _stat(path)
            if not stat.S_ISREG(info.st_mode) or _is_a_stream(path):
                return None
            parts.append(
                (
                    os.path.abspath(path),
                    info.st_size,
                    info.st_mtime_ns,
                    info.st_ctime_ns,
                    info.st_ino,
                    info.st_dev,
                )
            )
    except (OSError, ValueError):
        return None
    # The whole description is the key; its CRC only names the file (hashlib costs ~2 ms to
    # import). Two descriptions sharing a name merely take turns: each read compares keys.
    return msgspec.json.encode(parts).decode()


def read(cache_key: str, reload: Callable[[], Dataset]) -> Dataset | None:
    """The dataset cached under ``cache_key``, or None (no file, or one not to be trusted).

    ``reload`` loads the data files themselves, should a part of the file prove damaged
    while a query reads it.
    """
    path = _file(cache_key)
    if _SET_ASIDE[0] or not _private(path.parent):
        return None
    dataset = layout.open_dataset(path, cache_key, reload)
    if dataset is not None and dataset.racy and _racy_files(cache_key) == {}:
        # Its content checked out and its stat has since settled: key it by stat alone from
        # now on, so reading it no longer reads every byte of the data files.
        _replace(path, dataset.settled())
    return dataset


def _is_a_stream(path: Path) -> bool:
    """``/dev/stdin`` and the like: a regular file behind it today, another one tomorrow."""
    return os.path.abspath(path).startswith(("/dev/", "/proc/"))


def _stat(path: Path) -> os.stat_result:
    return os.stat(path)


def _file(cache_key: str) -> Path:
    return directory() / f"{zlib.crc32(cache_key.encode()):08x}{SUFFIX}"


# ---------------------------------------------------------------- writing


def write(cache_key: str, dataset: Dataset) -> None:
    """Store ``dataset`` under ``cache_key``; any failure leaves no trace and is ignored."""
    racy = _racy_files(cache_key)
    if racy is None or _SET_ASIDE[0]:
        return
    try:
        pieces = layout.encode(cache_key, racy, dataset)
    except OverflowError:  # a number beyond 64 bits: such data is simply not cached
        return
    _replace(_file(cache_key), pieces)


def _replace(path: Path, pieces: Sequence[bytes]) -> None:
    """Write ``pieces`` to ``path`` atomically: a temporary file renamed into place."""
    folder = path.parent
    tmp_name = None
    try:
        if not _make_private(folder):
            return
        import tempfile

        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as tmp:
            tmp.writelines(pieces)
        os.replace(tmp_name, path)
        tmp_name = None
        _prune(folder)
    except OSError:
        pass
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


def _private(folder: Path) -> bool:
    """Whether cache files in ``folder`` can be trusted: a folder of the user's own that no
    one else can write (each file is also checked to be the user's: ``layout.CacheFile``)."""
    try:
        info = os.stat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == _user() and not info.st_mode & 0o022


def _make_private(folder: Path) -> bool:
    """Create ``folder`` and any missing parent as the XDG spec asks (mode 0700), or make
    a folder of the user's own that others could write private; False where that cannot
    be done (a folder of someone else's: nothing is written there)."""
    missing = []
    for parent in (folder, *folder.parents):
        if parent.exists():
            break
        missing.append(parent)
    for parent in reversed(missing):
        with contextlib.suppress(FileExistsError):
            parent.mkdir(mode=0o700)
    if not _private(folder):
        info = os.stat(folder)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != _user():
            return False
        os.chmod(folder, 0o700)
    return _private(folder)


def _user() -> int:
    return os.geteuid() if hasattr(os, "geteuid") else 0


def _racy_files(cache_key: str) -> dict[str, int] | None:
    """CRCs of the content of the files changed within ``RACY_S`` of now; None if one
    changed while it was read (the key no longer describes it)."""
    described = msgspec.json.decode(cache_key)[4:]
    now = time.time_ns()
    racy: dict[str, int] = {}
    for path, _size, mtime, ctime, *_ in described:
        if now - max(mtime, ctime) < RACY_S * 1e9:
            crc = layout.content_crc(path)
            if crc is None:
                return None
            racy[path] = crc
    return racy


def _prune(folder: Path) -> None:
    entries = sorted(folder.glob("*" + SUFFIX), key=_mtime, reverse=True)
    for old in entries[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


# ---------------------------------------------------------------- wpq cache info / clear


def info() -> dict[str, Any]:
    """Where the cache is, how many files it holds and their size."""
    folder = directory()
    files = sorted(folder.glob("*" + SUFFIX)) if folder.is_dir() else []
    return {
        "directory": str(folder),
        "enabled": not disabled(),
        "files": len(files),
        "bytes": sum(_size(p) for p in files),
    }


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def clear() -> int:
    """Remove every cache file; returns how many were removed."""
    folder = directory()
    removed = 0
    for path in folder.glob("*" + SUFFIX) if folder.is_dir() else []:
        try:
            path.unlink()
            removed += 1
        except OSError:
            pass
    return removed
