"""A cache of checked datasets, so a repeated query does not parse unchanged YAML again.

One file per set of data files, named by a hash of each file's path, size and modification
time, wpq's version and the checks that ran. It holds the records as msgpack, decoded
straight into the record types. The cache is never required: a missing, read-only, stale,
truncated, corrupt or foreign file only means a full load, and it is written atomically
(a temporary file renamed into place), so concurrent runs never see half a file.
"""

from __future__ import annotations

import contextlib
import functools
import os
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import msgspec

from . import __version__
from .errors import WpqError
from .model import Country, Dataset, Event, Figure, Organisation, Pledge, Programme, Source

# Bump when the layout of a cache file or the meaning of a record changes.
FORMAT = 2  # 2: ids, dates and codes refuse a final line break; numbers capped at 10^15
SUFFIX = ".wpqcache"
KEEP = 16  # cache files kept; the oldest go first


class CachedDataset(msgspec.Struct, frozen=True, array_like=True):
    """What a cache file holds: its own key, then each collection as encoded msgpack.

    Collections stay encoded until a query reads them (``LazyDataset``): decoding a record
    type the first time costs more than the records themselves, and most queries read only
    two or three collections.
    """

    key: str
    crc: int  # of the collections' bytes: a damaged file is refused before any query reads it
    collections: dict[str, msgspec.Raw]


_TYPES: dict[str, Any] = {
    "sources": tuple[Source, ...],
    "organisations": tuple[Organisation, ...],
    "countries": tuple[Country, ...],
    "events": tuple[Event, ...],
    "pledges": tuple[Pledge, ...],
    "programmes": tuple[Programme, ...],
    "figures": tuple[Figure, ...],
}


def _decoded(name: str) -> functools.cached_property[Any]:
    def collection(self: LazyDataset) -> Any:
        try:
            return msgspec.msgpack.decode(self._blobs[name], type=_TYPES[name])
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            # Only a file that passed the checksum yet holds other records gets here.
            raise WpqError(
                f"the cache holds damaged records ({exc}); run 'wpq cache clear'"
            ) from None

    return functools.cached_property(collection)


class LazyDataset(Dataset):
    """A Dataset read from the cache; each collection is decoded on first use."""

    def __init__(self, blobs: dict[str, msgspec.Raw]) -> None:
        object.__setattr__(self, "_blobs", blobs)
        object.__setattr__(self, "origins", {})

    _blobs: dict[str, msgspec.Raw]
    sources = _decoded("sources")
    organisations = _decoded("organisations")
    countries = _decoded("countries")
    events = _decoded("events")
    pledges = _decoded("pledges")
    programmes = _decoded("programmes")
    figures = _decoded("figures")


def disabled(environ: dict[str, str] | None = None) -> bool:
    value = (os.environ if environ is None else environ).get("WPQ_NO_CACHE", "")
    return value not in ("", "0")


def directory(environ: dict[str, str] | None = None) -> Path:
    """``$XDG_CACHE_HOME/wpq``, or ``~/.cache/wpq``."""
    env = os.environ if environ is None else environ
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "wpq"


def key(files: Sequence[Path], *, checks: str) -> str | None:
    """The cache key of loading ``files`` in this order, or None if one cannot be read."""
    parts: list[Any] = [FORMAT, __version__, checks]
    try:
        for path in files:
            stat = os.stat(path)
            parts.append((os.path.abspath(path), stat.st_size, stat.st_mtime_ns))
    except OSError:
        return None
    # The whole description is the key; its CRC only names the file (hashlib costs ~2 ms to
    # import). Two descriptions sharing a name merely take turns: each read compares keys.
    return msgspec.json.encode(parts).decode()


def _file(cache_key: str) -> Path:
    return directory() / f"{zlib.crc32(cache_key.encode()):08x}{SUFFIX}"


def read(cache_key: str) -> Dataset | None:
    """The dataset cached under ``cache_key``, or None (no file, or one not to be trusted)."""
    path = _file(cache_key)
    try:
        data = path.read_bytes()
        cached = msgspec.msgpack.decode(data, type=CachedDataset)
    except (OSError, msgspec.DecodeError, msgspec.ValidationError):
        return None
    if cached.key != cache_key or set(cached.collections) != set(_TYPES):
        return None  # written for other files, or by something else
    if _crc(cached.collections) != cached.crc:
        return None
    return LazyDataset(cached.collections)


def _crc(collections: dict[str, msgspec.Raw]) -> int:
    crc = 0
    for name in _TYPES:
        crc = zlib.crc32(collections[name], crc)
    return crc


def write(cache_key: str, dataset: Dataset) -> None:
    """Store ``dataset`` under ``cache_key``; any failure leaves no trace and is ignored."""
    folder = directory()
    encode = msgspec.msgpack.encode
    try:
        collections = {name: msgspec.Raw(encode(dataset.collection(name))) for name in _TYPES}
    except OverflowError:  # a number beyond 64 bits: such data is simply not cached
        return
    cached = CachedDataset(cache_key, _crc(collections), collections)
    tmp_name = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        import tempfile

        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(msgspec.msgpack.encode(cached))
        os.replace(tmp_name, _file(cache_key))
        tmp_name = None
        _prune(folder)
    except OSError:
        pass
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)


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
