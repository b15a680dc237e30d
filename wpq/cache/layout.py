"""The layout of one cache file: a dataset written so that a query can read the index of
the field it filters by and decode only the records that can match (``policy.py`` decides
when to read and write one).

    MAGIC | header length (u32) | header CRC (u32) | header (msgpack) | sections

The header holds the key, the size of the sections and, per collection, the spans (offset,
length, CRC) of its records (one msgpack array), of the offset and CRC of each record in
it, and of one index per ``indexes.KEYS`` field (value -> positions). Every byte is checked
against its CRC before it is used, read when needed and never mapped (``reader``). Many
records at once decode into unchecked subclasses of the record types (``trusted``): they
passed every check before they were written, and what spans records is checked again on
what the file hands back (``audit``).
"""

# No `from __future__ import annotations`: msgspec reads the annotations of the Structs below
# when a query first decodes a header, and each one written as a string is compiled and
# evaluated then (some 0.2 ms a query).
import functools
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

import msgspec

from ..errors import CacheUntrusted
from ..indexes import KEYS, build
from ..model import COLLECTIONS, Dataset, Record
from .audit import Audit, CacheDamaged
from .reader import BLOCK, CacheFile

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


# ---------------------------------------------------------------- reading


class LazyDataset(Dataset):
    """A Dataset read from a cache file: each collection is decoded on first use, and
    ``records_at`` decodes only the records asked for.

    A section found damaged while a query reads it (a CRC that does not match) is never
    used: ``reload`` loads the data files again, and the query goes on from that.
    """

    def __init__(
        self, file: CacheFile, base: int, header: Header, reload: Callable[[], Dataset]
    ) -> None:
        for name, value in (("_file", file), ("_base", base), ("_header", header)):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "_reload", reload)
        object.__setattr__(
            self, "_audit", Audit({n: c.count for n, c in header.collections.items()})
        )
        object.__setattr__(self, "origins", {})
        object.__setattr__(self, "_decoded", {})

    _file: CacheFile
    _base: int
    _audit: Audit
    _header: Header
    _reload: Callable[[], Dataset]
    _decoded: dict[str, dict[int, Record]]  # collection -> position -> record handed back

    def __getattr__(self, name: str) -> Any:  # a collection, on first use
        if name not in COLLECTIONS:
            raise AttributeError(name)
        stored = self._header.collections[name]
        try:
            records = msgspec.msgpack.decode(
                self._section(stored.records),
                type=tuple[_record_type(COLLECTIONS[name], stored.count), ...],  # type: ignore[misc]
            )
            if len(records) != stored.count:
                raise CacheDamaged(name)
            self._audit.check(self, name, range(len(records)), records)
        except CacheUntrusted:
            self._recover()
            raise
        except (CacheDamaged, msgspec.DecodeError, msgspec.ValidationError):
            self._recover()
            return self.__dict__[name]
        if self._header is None:  # recovered while checking: the data files' records
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
        return [header, self._file.read(self._base, self._header.size)]

    def _recover(self) -> None:
        """Take every collection from the data files instead of this damaged cache file."""
        full = self._reload()
        for name in COLLECTIONS:
            object.__setattr__(self, name, full.collection(name))
        self.__dict__.pop("_memos", None)
        self._decoded.clear()
        object.__setattr__(self, "_header", None)

    def _section(self, span: Span) -> bytes:
        data = self._file.read(self._base + span.offset, span.length)
        if len(data) != span.length or zlib.crc32(data) != span.crc:
            raise CacheDamaged(span)
        return data

    def _arrays(self, collection: str) -> "tuple[memoryview[int], memoryview[int]]":
        def read() -> "tuple[memoryview[int], memoryview[int]]":
            stored = self._header.collections[collection]
            try:
                offsets = _unpacked(self._section(stored.offsets), "Q")
                crcs = _unpacked(self._section(stored.crcs), "I")
            except ValueError:
                raise CacheDamaged(collection) from None
            if len(offsets) != stored.count + 1 or len(crcs) != stored.count:
                raise CacheDamaged(collection)
            return offsets, crcs

        return self.memo(f"arrays {collection}", read)

    def index(self, collection: str, field: str) -> Mapping[str, list[int]]:
        if self._header is None:
            return super().index(collection, field)

        def read() -> Mapping[str, list[int]]:
            span = self._header.collections[collection].indexes[field]
            index = _Positions(msgspec.msgpack.decode(self._section(span), type=dict[str, bytes]))
            if field == ("code" if collection == "countries" else "id"):
                self._audit.indexed(collection, index)
            else:
                self._audit.index_read(self, collection, field, index)
            return index

        try:
            return self.memo(f"index {collection}.{field}", read)
        except CacheUntrusted:
            self._recover()
            raise
        except (CacheDamaged, KeyError, msgspec.DecodeError, msgspec.ValidationError, ValueError):
            self._recover()
            return super().index(collection, field)

    def records_at(self, collection: str, positions: Sequence[int]) -> list[Record]:
        """The records at ``positions``: each read, checked and decoded once (a question
        may ask again for records it had: a pledge's tranches among the pledges listed)."""
        if self._header is None or collection in self.__dict__:  # decoded already
            return super().records_at(collection, positions)
        decoded = self._decoded.setdefault(collection, {})
        fresh = [p for p in positions if p not in decoded] if decoded else positions
        if fresh:
            try:
                found = self._decode_at(collection, fresh)
                self._audit.check(self, collection, fresh, found)
            except CacheUntrusted:
                self._recover()
                raise
            except (CacheDamaged, IndexError, msgspec.DecodeError, msgspec.ValidationError):
                self._recover()
                return super().records_at(collection, positions)
            if self._header is None:  # recovered while checking: the data files' records
                return super().records_at(collection, positions)
            if fresh is positions:
                decoded.update(zip(positions, found, strict=True))
                return found
            decoded.update(zip(fresh, found, strict=True))
        return [decoded[p] for p in positions]

    def _decode_at(self, collection: str, positions: Sequence[int]) -> list[Record]:
        """The records at ``positions``, each CRC-checked. Read a block at a time: a record
        not in the block last read starts the next one (``reader.BLOCK`` bytes or the
        record, whichever is longer, never past the last record asked for), so a query that
        decodes thousands of records spread over the file makes a few hundred reads. The
        records checked are gathered into one msgpack array, decoded in one call."""
        offsets, crcs = self._arrays(collection)
        decoder = _decoder(list[_record_type(COLLECTIONS[collection], len(positions))])  # type: ignore[misc]
        base = self._base + self._header.collections[collection].records.offset
        read, crc32 = self._file.read, zlib.crc32
        found = bytearray(b"\xdd" + len(positions).to_bytes(4, "big"))  # a msgpack array32
        block, start, end = memoryview(b""), 0, 0
        stop = offsets[max(positions) + 1] if positions else 0  # nothing past it is needed
        for position in positions:
            first, last = offsets[position], offsets[position + 1]
            if first < start or last > end:
                start = first
                block = memoryview(read(base + start, max(last, min(start + BLOCK, stop)) - start))
                end = start + len(block)
            data = block[first - start : last - start]
            if crc32(data) != crcs[position]:
                raise CacheDamaged(collection, position)
            found += data
        records: list[Record] = decoder.decode(found)
        return records


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
            self._unpacked[value] = _unpacked(self._packed[value], "I").tolist()
        return self._unpacked[value]

    def __contains__(self, value: object) -> bool:  # without unpacking the positions
        return value in self._packed

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)


def _unpacked(data: bytes, code: Literal["I", "Q"]) -> "memoryview[int]":
    """``data`` read as unsigned integers (``code``: ``I`` 32 bits, ``Q`` 64), in the
    machine's order, as ``encode`` wrote them with ``array`` (a C module the reading side
    need not import); ``ValueError`` for a length that is not a multiple of their width."""
    try:
        return memoryview(data).cast(code)
    except TypeError:
        raise ValueError(f"{len(data)} bytes are not a whole number of '{code}'") from None


@functools.cache
def _decoder(record_type: Any) -> msgspec.msgpack.Decoder[Any]:
    return msgspec.msgpack.Decoder(record_type)


def open_dataset(path: Path, cache_key: str, reload: Callable[[], Dataset]) -> LazyDataset | None:
    """The dataset the cache file at ``path`` holds for ``cache_key``, or None (no file, or
    one not to be trusted). ``reload`` loads the data files themselves, should a section
    prove damaged later.
    """
    try:
        file = CacheFile.open(path, least=_PREFIX)
        if file is None:
            return None
        prefix = file.read(0, _PREFIX + _HEADER_GUESS)
        if prefix[: len(MAGIC)] != MAGIC:
            return None
        length = int.from_bytes(prefix[len(MAGIC) : len(MAGIC) + 4], "little")
        crc = int.from_bytes(prefix[len(MAGIC) + 4 : _PREFIX], "little")
        raw = prefix[_PREFIX : _PREFIX + length]
        if len(raw) < length:
            raw = file.read(_PREFIX, length)
        if len(raw) != length or zlib.crc32(raw) != crc:
            return None
        header = msgspec.msgpack.decode(raw, type=Header)
    except (OSError, ValueError, msgspec.DecodeError, msgspec.ValidationError):
        return None
    if header.key != cache_key or set(header.collections) != set(COLLECTIONS):
        return None  # written for other files, or by something else
    if file.size != _PREFIX + length + header.size:
        return None  # cut short, or grown
    for racy_path, crc in header.racy.items():
        if content_crc(racy_path) != crc:
            return None
    return LazyDataset(file, _PREFIX + length, header, reload)


# Most headers are a few kilobytes: read with the prefix in one go.
_HEADER_GUESS = 1 << 14


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
    from array import array  # only where a cache file is written

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
