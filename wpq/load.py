"""Load data files into a checked ``Dataset``: files -> plain values -> typed records -> checks.

Every problem of every file is collected before anything is raised, each with the file,
line and column of the offending value, so ``wpq validate`` can report them all at once.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec

from . import check
from .errors import DataError, Problem
from .model import COLLECTIONS, Dataset, Origin, Record, record_key
from .yamlfile import FileProblem, NodePath, compose, locate, parse_file, read_text

BUNDLED_DIR = Path(__file__).resolve().parent / "data"
YAML_SUFFIXES = (".yaml", ".yml")

# msgspec names a failed pattern by its regex; users are told what the value should be.
_PATTERN_HINTS = {
    "^[a-z0-9]+(-[a-z0-9]+)*$": "an id: a lower-case slug such as 'london-2014'",
    "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$": "a date YYYY, YYYY-MM or YYYY-MM-DD, quoted or plain",
    "^[A-Z]{2}$": 'an ISO 3166-1 alpha-2 country code in capitals, quoted: "GB", "NO"',
    "^[A-Z]{3}$": "a three-letter ISO code in capitals (ISO 3166-1 alpha-3 or ISO 4217)",
}
_AT_RE = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)
_PATH_PART_RE = re.compile(r"\.([^.\[]+)|\[(\d+)\]")
_UNKNOWN_FIELD_RE = re.compile(r"Object contains unknown field `(?P<field>[^`]*)`")
_TYPE_NAMES = {"str": "text", "int": "a whole number", "array": "a list", "object": "a mapping"}


@dataclass(frozen=True)
class Pending:
    """A problem whose position in its file is still to be looked up."""

    path: str
    node_path: NodePath
    message: str
    hint: str = ""
    at_key: bool = False


def bundled_paths() -> list[Path]:
    return sorted(p for p in BUNDLED_DIR.iterdir() if p.suffix in YAML_SUFFIXES)


def env_paths(environ: dict[str, str] | None = None) -> list[str]:
    """Paths named by ``WPQ_DATA`` (separated by ``os.pathsep``)."""
    value = (os.environ if environ is None else environ).get("WPQ_DATA", "")
    return [p for p in value.split(os.pathsep) if p]


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Files named directly, and the ``*.yaml``/``*.yml`` files of named directories."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file())
            if not found:
                problems.append(
                    Problem(str(path), message="directory holds no .yaml or .yml files")
                )
            files.extend(found)
        elif not path.exists():
            problems.append(Problem(str(path), message="no such file or directory"))
        else:
            files.append(path)
    return files, problems


def load_dataset(
    paths: Sequence[str | Path] = (), *, bundled: bool = True, check_codes: bool | None = None
) -> Dataset:
    """Load the bundled data (unless ``bundled`` is false) and ``paths`` into a Dataset.

    ``check_codes`` checks country and currency codes against ISO 3166/4217 (pycountry);
    by default only when user data is loaded, as the bundled data is checked by its tests.
    Raises ``DataError`` listing every problem.
    """
    files, problems = expand_paths(paths)
    if bundled:
        files = bundled_paths() + files
    if check_codes is None:
        check_codes = bool(paths)
    records, pending, problems = read_records(files, problems)
    dataset = _dataset(records)
    pending.extend(check.check_dataset(dataset, records, check_codes=check_codes))
    problems.extend(resolve_positions(pending))
    if problems:
        raise DataError(problems)
    return dataset


# (collection, record, origin) for every record that converted cleanly
Loaded = list[tuple[str, Record, Origin]]


def read_records(
    files: Sequence[Path], problems: list[Problem]
) -> tuple[Loaded, list[Pending], list[Problem]]:
    records: Loaded = []
    pending: list[Pending] = []
    for path in files:
        name = str(path)
        try:
            document = parse_file(path)
        except FileProblem as exc:
            problems.append(exc.problem(name))
            continue
        if not isinstance(document, dict):
            pending.append(
                Pending(name, (), "expected a mapping of collections", _collections_hint())
            )
            continue
        for collection, items in document.items():
            if collection not in COLLECTIONS:
                pending.append(
                    Pending(
                        name,
                        (collection,),
                        f"unknown collection '{collection}'",
                        _suggest(str(collection), COLLECTIONS) or _collections_hint(),
                        at_key=True,
                    )
                )
                continue
            if items is None:
                continue
            if not isinstance(items, list):
                pending.append(
                    Pending(name, (collection,), f"'{collection}' must be a list of records")
                )
                continue
            record_type = COLLECTIONS[collection]
            for index, item in enumerate(items):
                try:
                    record = msgspec.convert(item, record_type)
                except msgspec.ValidationError as exc:
                    pending.extend(
                        _record_problems(name, (collection, index), item, exc, record_type)
                    )
                    continue
                records.append((collection, record, Origin(name, collection, index)))
    return records, pending, problems


def _dataset(records: Loaded) -> Dataset:
    by_collection: dict[str, list[Record]] = {name: [] for name in COLLECTIONS}
    origins: dict[tuple[str, str], Origin] = {}
    for collection, record, origin in records:
        by_collection[collection].append(record)
        origins.setdefault((collection, record_key(collection, record)), origin)
    return Dataset(**{k: tuple(v) for k, v in by_collection.items()}, origins=origins)  # type: ignore[arg-type]


def _record_problems(
    path: str, base: NodePath, item: Any, exc: msgspec.ValidationError, record_type: type[Record]
) -> list[Pending]:
    """Every problem of a record that failed to convert, not just the first msgspec saw.

    Each field is converted on its own, so two bad fields give two problems.
    """
    if not isinstance(item, dict):
        return [_conversion_problem(path, base, exc, record_type)]
    fields = {f.encode_name: f for f in msgspec.structs.fields(record_type)}
    found: list[Pending] = []
    for key, value in item.items():
        field = fields.get(key) if isinstance(key, str) else None
        if field is None:
            found.append(_unknown_field(path, base, (), str(key), record_type))
            continue
        try:
            msgspec.convert(value, field.type)
        except msgspec.ValidationError as field_exc:
            found.append(_conversion_problem(path, base, field_exc, record_type, (key,)))
    for name, field in fields.items():
        if field.required and name not in item:
            found.append(
                Pending(
                    path,
                    base,
                    f"{_field_path(base[0], base[1], ())}: missing required field '{name}'",
                )
            )
    return found or [_conversion_problem(path, base, exc, record_type)]


def _unknown_field(
    path: str, base: NodePath, inner: NodePath, field: str, record_type: type[Record]
) -> Pending:
    struct = _struct_at(record_type, inner)
    names = [f.encode_name for f in msgspec.structs.fields(struct)] if struct else []
    return Pending(
        path,
        (*base, *inner, field),
        f"{_field_path(base[0], base[1], inner)}: unknown field '{field}'",
        _suggest(field, names) or ("fields: " + ", ".join(names) if names else ""),
        at_key=True,
    )


def _conversion_problem(
    path: str,
    base: NodePath,
    exc: msgspec.ValidationError,
    record_type: type[Record],
    prefix: NodePath = (),
) -> Pending:
    """A msgspec error as a problem at the value it names (``prefix`` leads to that value)."""
    match = _AT_RE.match(str(exc))
    assert match is not None  # the pattern matches any text
    message, where = match["message"], match["path"] or ""
    inner = prefix + tuple(
        name if name else int(index) for name, index in _PATH_PART_RE.findall(where)
    )
    node_path = base + inner
    field_path = _field_path(base[0], base[1], inner)
    unknown = _UNKNOWN_FIELD_RE.match(message)
    if unknown:
        return _unknown_field(path, base, inner, unknown["field"], record_type)
    hint = ""
    pattern = re.search(r"matching regex '([^']*)'", message)
    if pattern:
        hint = _PATTERN_HINTS.get(pattern[1], "")
        message = "invalid value"
    enum = re.fullmatch(r"Invalid enum value (.*)", message)
    if enum:
        allowed = _enum_values(record_type, inner)
        message = f"invalid value {enum[1]}"
        hint = "one of: " + ", ".join(allowed) if allowed else ""
    message = message.replace("Object missing required field", "missing required field")
    for name, words in _TYPE_NAMES.items():
        message = message.replace(f"`{name}`", words)
    message = message[:1].lower() + message[1:]
    return Pending(path, node_path, f"{field_path}: {message}", hint)


def _enum_values(record_type: type[Record], inner: Sequence[object]) -> list[str]:
    """The allowed values of the Literal field at ``inner``."""

    struct = _struct_at(record_type, [p for p in inner[:-1]]) if inner else None
    name = next((p for p in reversed(inner) if isinstance(p, str)), None)
    if struct is None or name is None:
        return []
    for field in msgspec.structs.fields(struct):
        if field.encode_name == name:
            return [str(a) for a in _literal_args(field.type)]
    return []


def _literal_args(field_type: Any) -> tuple[Any, ...]:
    from typing import Literal, get_args, get_origin

    if get_origin(field_type) is Literal:
        return get_args(field_type)
    for arg in get_args(field_type):
        found = _literal_args(arg)
        if found:
            return found
    return ()


def _field_path(collection: str, index: int, parts: Sequence[object]) -> str:
    text = f"{collection}[{index}]"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _struct_at(struct: Any, parts: Sequence[object]) -> type[Record] | None:
    """The record type reached by following field names (and list indexes) from ``struct``."""
    for part in parts:
        if isinstance(part, int):
            continue
        fields = {f.encode_name: f.type for f in msgspec.structs.fields(struct)}
        field_type = fields.get(str(part))
        struct = _inner_struct(field_type)
        if struct is None:
            return None
    return struct  # type: ignore[no-any-return]


def _inner_struct(field_type: Any) -> Any:
    if isinstance(field_type, type) and issubclass(field_type, Record):
        return field_type
    for arg in getattr(field_type, "__args__", ()) or ():
        found = _inner_struct(arg)
        if found is not None:
            return found
    return None


def _suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def _collections_hint() -> str:
    return "top-level keys are collections: " + ", ".join(COLLECTIONS)


def resolve_positions(pending: Sequence[Pending]) -> list[Problem]:
    """Look up line and column of each pending problem, composing each file once."""
    problems: list[Problem] = []
    roots: dict[str, Any] = {}
    for item in pending:
        if item.path not in roots:
            try:
                roots[item.path] = compose(read_text(Path(item.path)))
            except FileProblem:
                roots[item.path] = None
        root = roots[item.path]
        line, column = locate(root, item.node_path, at_key=item.at_key) if root else (0, 0)
        problems.append(Problem(item.path, line, column, item.message, item.hint))
    return problems
