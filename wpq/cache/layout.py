"""The layout of one cache file: a dataset written so that a query can read the index of
the field it filters by and decode only the records that can match (``policy.py`` decides
when to read and write one).

    MAGIC | header length (u32) | header CRC (u32) | header (msgpack) | sections

The header holds the key, the size of the sections and, per collection, the spans (offset,
length, CRC) of its records (one msgpack array), of the offset and CRC of each record in
it, and of one index per ``indexes.KEYS`` field (value -> positions). Every byte is checked
against its CRC before it is used. Many records at once decode into unchecked subclasses of
the record types (``trusted``): they passed every check before they were written.
"""

from __future__ import annotations

import functools
import mmap
import os
import stat
import zlib
from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import msgspec

from ..indexes import KEYS, build
from ..model import COLLECTIONS, Dataset, Record

MAGIC = b"WPQCACHE2\n"
_PREFIX = len(MAGIC) + 8


class Span(msgspec.Struct, frozen=True, array_like=True):
    """Where a section lies in the file, and the CRC-32 of its bytes."""

    offset: int
    length: int
    crc: int


class Stored(msgspec.Struct, frozen=True, array_like=True):
    """One collection: its records as a msgpack array, where each record starts (u64, one
    more for the end) and its CRC (u32), and one index (msgpack map) per field."""

    count: int
    records: Span
    offsets: Span
    crcs: Span
    indexes: dict[str, Span]


class Header(msgspec.Struct, frozen=True, array_like=True):
    key: str
    size: int  # of the sections: a shorter file was cut short
    racy: dict[str, int]  # path -> CRC-32 of the content of a file changed just before
    collections: dict[str, Stored]


class CacheDamaged(Exception):
    """A section does not match its CRC: the cache file must not be trusted."""


# ---------------------------------------------------------------- reading


class LazyDataset(Dataset):
    """A Dataset read from a cache file: each collection is decoded on first use, and
    ``records_at`` decodes only the records asked for.

    A section found damaged while a query reads it (a CRC that does not match) is never
    used: ``reload`` loads the data files again, and the query goes on from that.
    """

    def __init__(
        self, view: memoryview, base: int, header: Header, reload: Callable[[], Dataset]
    ) -> None:
        for name, value in (("_view", view), ("_base", base), ("_header", header)):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_reload", reload)
        object.__setattr__(self, "origins", {})

    _view: memoryview
    _base: int
    _header: Header
    _reload: Callable[[], Dataset]

    def __getattr__(self, name: str) -> Any:  # a collection, on first use
        if name not in COLLECTIONS:
            raise AttributeError(name)
        stored = self._header.collections[name]
        try:
            records = msgspec.msgpack.decode(
                self._section(stored.records),
                type=tuple[_record_type(COLLECTIONS[name], stored.count), ...],  # type: ignore[misc]
            )
        except (CacheDamaged, msgspec.DecodeError, msgspec.ValidationError):
            self._recover()
            return self.__dict__[name]
        object.__setattr__(self, name, records)
        return records

    @property
    def racy(self) -> dict[str, int]:
        """The data files this cache file is also keyed by content (changed just before)."""
        return self._header.racy if self._header is not None else {}

    def settled(self) -> list[bytes]:
        """This cache file's bytes with no file keyed by content any more."""
        header = _encode_header(msgspec.structs.replace(self._header, racy={}))
        return [header, bytes(self._view[self._base :])]

    def _recover(self) -> None:
        """Take every collection from the data files instead of this damaged cache file."""
        full = self._reload()
        for name in COLLECTIONS:
            object.__setattr__(self, name, full.collection(name))
        self.__dict__.pop("_memos", None)
        object.__setattr__(self, "_header", None)

    def _section(self, span: Span) -> bytes:
        start = self._base + span.offset
        data = bytes(self._view[start : start + span.length])
        if len(data) != span.length or zlib.crc32(data) != span.crc:
            raise CacheDamaged(span)
        return data

    def _arrays(self, collection: str) -> tuple[array[int], array[int]]:
        def read() -> tuple[array[int], array[int]]:
            stored = self._header.collections[collection]
            offsets, crcs = array("Q"), array("I")
            offsets.frombytes(self._section(stored.offsets))
            crcs.frombytes(self._section(stored.crcs))
            if len(offsets) != stored.count + 1 or len(crcs) != stored.count:
                raise CacheDamaged(collection)
            return offsets, crcs

        return self.memo(f"arrays {collection}", read)

    def index(self, collection: str, field: str) -> Mapping[str, list[int]]:
        if self._header is None:
            return super().index(collection, field)

        def read() -> Mapping[str, list[int]]:
            span = self._header.collections[collection].indexes[field]
            return _Positions(msgspec.msgpack.decode(self._section(span), type=dict[str, bytes]))

        try:
            return self.memo(f"index {collection}.{field}", read)
        except (CacheDamaged, KeyError, msgspec.DecodeError, msgspec.ValidationError, ValueError):
            self._recover()
            return super().index(collection, field)

    def records_at(self, collection: str, positions: Sequence[int]) -> list[Record]:
        if self._header is None or collection in self.__dict__:  # decoded already
            return super().records_at(collection, positions)
        try:
            return self._decode_at(collection, positions)
        except (CacheDamaged, IndexError, msgspec.DecodeError, msgspec.ValidationError):
            self._recover()
            return super().records_at(collection, positions)

    def _decode_at(self, collection: str, positions: Sequence[int]) -> list[Record]:
        offsets, crcs = self._arrays(collection)
        decoder = _decoder(_record_type(COLLECTIONS[collection], len(positions)))
        base = self._base + self._header.collections[collection].records.offset
        found: list[Record] = []
        for position in positions:
            data = self._view[base + offsets[position] : base + offsets[position + 1]]
            if zlib.crc32(data) != crcs[position]:
                raise CacheDamaged(collection, position)
            found.append(decoder.decode(data))
        return found


# From how many records on decoding into ``trusted`` types pays: building one costs about
# a millisecond, checking a record's patterns again some ten microseconds.
TRUSTED_FROM = 200


def _record_type(record_type: type[Record], count: int) -> Any:
    if count < TRUSTED_FROM:
        return record_type
    from .trusted import trusted

    return trusted(record_type)


class _Positions(Mapping[str, list[int]]):
    """An index as stored: value -> positions, each list unpacked when first asked for (a
    question may need the values alone, or the positions of one of them)."""

    def __init__(self, packed: dict[str, bytes]) -> None:
        self._packed = packed
        self._unpacked: dict[str, list[int]] = {}

    def __getitem__(self, value: str) -> list[int]:
        if value not in self._unpacked:
            found = array("I")
            found.frombytes(self._packed[value])
            self._unpacked[value] = found.tolist()
        return self._unpacked[value]

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)


@functools.cache
def _decoder(record_type: Any) -> msgspec.msgpack.Decoder[Any]:
    return msgspec.msgpack.Decoder(record_type)


def open_dataset(path: Path, cache_key: str, reload: Callable[[], Dataset]) -> LazyDataset | None:
    """The dataset the cache file at ``path`` holds for ``cache_key``, or None (no file, or
    one not to be trusted). ``reload`` loads the data files themselves, should a section
    prove damaged later.
    """
    try:
        view = _map(path)
        if view is None or bytes(view[: len(MAGIC)]) != MAGIC:
            return None
        length = int.from_bytes(view[len(MAGIC) : len(MAGIC) + 4], "little")
        crc = int.from_bytes(view[len(MAGIC) + 4 : _PREFIX], "little")
        raw = bytes(view[_PREFIX : _PREFIX + length])
        if len(raw) != length or zlib.crc32(raw) != crc:
            return None
        header = msgspec.msgpack.decode(raw, type=Header)
    except (OSError, ValueError, msgspec.DecodeError, msgspec.ValidationError):
        return None
    if header.key != cache_key or set(header.collections) != set(COLLECTIONS):
        return None  # written for other files, or by something else
    if len(view) != _PREFIX + length + header.size:
        return None  # cut short, or grown
    for racy_path, crc in header.racy.items():
        if content_crc(racy_path) != crc:
            return None
    return LazyDataset(view, _PREFIX + length, header, reload)


def _map(path: Path) -> memoryview | None:
    """The file's bytes, mapped; None unless it is a regular, non-empty file (a FIFO or a
    device put in its place must not block or flood a query)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size < _PREFIX:
            return None
        return memoryview(mmap.mmap(fd, 0, access=mmap.ACCESS_READ))
    finally:
        os.close(fd)


def content_crc(path: str) -> int | None:
    """CRC-32 of a file's content, or None if it cannot be read."""
    try:
        with open(path, "rb") as file:
            crc = 0
            while chunk := file.read(1 << 20):
                crc = zlib.crc32(chunk, crc)
            return crc
    except OSError:
        return None


# ---------------------------------------------------------------- writing


def encode(cache_key: str, racy: dict[str, int], dataset: Dataset) -> list[bytes]:
    """The bytes of a cache file holding ``dataset`` for ``cache_key``, in pieces.

    Raises OverflowError for a number beyond 64 bits (such data is not cached).
    """
    encoder = msgspec.msgpack.Encoder()
    sections: list[bytes] = []
    size = 0

    def add(data: bytes) -> Span:
        nonlocal size
        span = Span(size, len(data), zlib.crc32(data))
        sections.append(data)
        size += len(data)
        return span

    stored: dict[str, Stored] = {}
    for name in COLLECTIONS:
        records = dataset.collection(name)
        encoded = [encoder.encode(record) for record in records]
        head = b"\xdd" + len(encoded).to_bytes(4, "big")  # a msgpack array32 of them all
        offsets, crcs, at = array("Q"), array("I"), len(head)
        for data in encoded:
            offsets.append(at)
            crcs.append(zlib.crc32(data))
            at += len(data)
        offsets.append(at)
        records_span = add(head + b"".join(encoded))
        indexes = {
            field: add(
                encoder.encode(
                    {v: array("I", ps).tobytes() for v, ps in build(records, keys).items()}
                )
            )
            for field, keys in KEYS.get(name, {}).items()
        }
        stored[name] = Stored(
            len(records), records_span, add(offsets.tobytes()), add(crcs.tobytes()), indexes
        )
    return [_encode_header(Header(cache_key, size, racy, stored)), *sections]


def _encode_header(header: Header) -> bytes:
    """The magic, the header's length and CRC, and the header."""
    data = msgspec.msgpack.encode(header)
    return MAGIC + len(data).to_bytes(4, "little") + zlib.crc32(data).to_bytes(4, "little") + data
