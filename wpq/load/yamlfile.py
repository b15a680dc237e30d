"""Read one YAML data file into plain Python values, safely.

The first step of the flow: bytes -> text -> YAML events (libyaml's parser when present)
-> dicts, lists and scalars, under wpq's own rules rather than YAML 1.1's: ``NO``, ``yes``,
``on`` and bare dates stay text, duplicate keys are an error, tags that would build Python
objects are refused, and aliases may not expand without bound. Values are built straight
from the parser's events, never through a tree of nodes (which costs some 25 times the
file's size), and a file may hold at most ``max_file_bytes()``, so memory stays a small
multiple of what was read (``text.py`` bounds and decodes it). Positions are looked up
only when a problem needs one, by reading the events again (``positions.py``).
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path
from typing import Any

import yaml
from yaml.reader import ReaderError

from ..settings import max_mappings
from .text import FileProblem, read_text

__all__ = ["FileProblem", "NodePath", "parse_file", "parse_text", "parser", "read_text"]

try:  # libyaml's C parser when present: several times faster than the pure-Python one.
    from yaml import CSafeLoader as _Parser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Parser  # type: ignore[assignment]

_LIBYAML = _Parser.__name__ == "CSafeLoader"


def parser(text: str) -> Any:
    """A YAML parser of ``text`` (libyaml's when present), read with ``get_event()``."""
    return _Parser(text)


_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _TAG + "timestamp"}
_MAP, _SEQ, _MERGE = _TAG + "map", _TAG + "seq", _TAG + "merge"
_INT_RE = re.compile(r"[-+]?[0-9]+")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_TRUE, _FALSE = {"true", "True", "TRUE"}, {"false", "False", "FALSE"}
_MAX_DEPTH = 64  # wpq's records nest five deep; far deeper input is hostile or broken
_TOO_DEEP = f"the data nests deeper than {_MAX_DEPTH} levels"
_TOO_DEEP_HINT = "nest less, or move an alias (*name) out of its own anchor's value"
_HINTS = {  # hints for libyaml's commonest complaints, by a fragment of the message
    "cannot start any token": "indent with spaces, not tabs; quote text that starts with @ or `",
    "mapping values are not allowed": "quote a value that holds ': '",
    "single document": "a data file holds one YAML document: remove the second '---'",
    "undefined alias": "define the anchor (&name) before its alias (*name)",
}
PathPart = str | int
NodePath = tuple[PathPart, ...]


# The path part of a null key (`~:`, `null:` or an empty key): YAML text never holds a NUL.
NULL_KEY = "\x00"


def parse_file(path: Path, problems: list[FileProblem] | None = None) -> Any:
    """Read and build one file; raises ``FileProblem`` (see ``parse_text``)."""
    return parse_text(read_text(path), problems)


def parse_text(text: str, problems: list[FileProblem] | None = None) -> Any:
    """The plain value of a single-document YAML text; raises ``FileProblem``.

    With a ``problems`` list, a problem that leaves the document usable (a duplicate key:
    the first value is kept) is appended there instead, so the rest is still checked.
    """
    events = _Parser(text)
    try:
        return _Builder(events, budget=10_000 + 2 * len(text), problems=problems).document()
    except yaml.MarkedYAMLError as exc:
        raise _syntax_problem(exc) from None
    except ReaderError as exc:  # a character YAML does not allow, e.g. NUL
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        line, column = _position(text, exc.position)
        raise FileProblem(
            f"character U+{char:04X} is not allowed in YAML",
            line=line,
            column=column,
            hint="remove control characters from the file",
        ) from None
    except yaml.YAMLError as exc:
        raise FileProblem("YAML error: " + " ".join(str(exc).split())) from None
    finally:
        events.dispose()


def _syntax_problem(exc: yaml.MarkedYAMLError) -> FileProblem:
    mark = exc.problem_mark or exc.context_mark
    if exc.problem and "maximum nesting depth" in exc.problem:
        # libyaml 0.2.6+ scans up to 1,000 flow brackets ahead of the events wpq reads, and
        # may refuse them before wpq's own limit is reached: one message either way
        return FileProblem(_TOO_DEEP, mark=mark, hint=_TOO_DEEP_HINT)
    what = " ".join(s for s in (exc.context, exc.problem) if s) or "invalid YAML"
    what = " ".join(what.split())
    if exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
        # "while parsing a flow sequence" is more use with where that sequence began
        what = what.replace(exc.context, f"{exc.context} (line {exc.context_mark.line + 1})")
    return FileProblem(
        f"YAML syntax error: {what}",
        mark=mark,
        hint=next((h for k, h in _HINTS.items() if k in what), ""),
    )


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a reader error's offset (libyaml counts UTF-8 bytes)."""
    if _LIBYAML:
        text = text.encode("utf-8")[:offset].decode("utf-8", "replace")
        offset = len(text)
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


class _Open:
    """A mapping or list being built: its value, the key awaiting a value, and for anchors
    and aliases how many values it holds and how deep it nests."""

    __slots__ = ("anchor", "built", "height", "is_list", "key", "key_lines", "skip", "value")

    def __init__(self, value: Any, anchor: str | None, built: int) -> None:
        self.value, self.anchor, self.built = value, anchor, built
        self.is_list = isinstance(value, list)
        self.height = 1
        self.key: Any = _NO_KEY
        self.key_lines: dict[Any, int] = {}  # the line of each key, for a duplicate's hint
        self.skip = False  # the value of a duplicate key is read, and dropped


_NO_KEY = object()


class _Builder:
    """Builds plain values from parser events; ``budget`` bounds how far aliases expand."""

    def __init__(self, parser: Any, budget: int, problems: list[FileProblem] | None) -> None:
        self.parser, self.budget, self.problems = parser, budget, problems
        self.built = 0  # values built so far, an alias counting every value it repeats
        self.mappings, self.most_mappings = 0, max_mappings()
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # value, values, height
        self.open_anchors: set[str] = set()

    def document(self) -> Any:
        get = self.parser.get_event
        get()  # the stream's start
        event = get()
        first = event.start_mark.line + 1
        if isinstance(event, yaml.StreamEndEvent):
            raise FileProblem(
                "file holds no YAML document, only comments",
                line=1,
                column=1,
                hint="expected a mapping of collections",
            )
        root = self.node()
        get()  # the document's end
        event = get()
        if not isinstance(event, yaml.StreamEndEvent):
            raise FileProblem(
                f"YAML syntax error: expected a single document in the stream (line {first}) "
                "but found another document",
                mark=event.start_mark,
                hint=_HINTS["single document"],
            )
        return root

    def node(self) -> Any:
        """Build the next node of the stream, with everything below it.

        The hot loop of a load (one pass per scalar), so the common cases are inline.
        """
        get = self.parser.get_event
        stack: list[_Open] = []
        top: _Open | None = None
        while True:
            event = get()
            kind = type(event)
            height = 0
            if kind is yaml.ScalarEvent:
                self.built += 1
                if event.style and event.tag is None:  # quoted, or a block: text
                    value = event.value
                else:
                    value = self.scalar(event, top)
                if event.anchor is not None:
                    self.anchor(event)
                    self.anchors[event.anchor] = (value, 1, 0)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                done = stack.pop()
                top = stack[-1] if stack else None
                value, height = done.value, done.height
                if done.anchor is not None:
                    self.anchors[done.anchor] = (value, self.built - done.built, height)
                    self.open_anchors.discard(done.anchor)
            elif kind is yaml.AliasEvent:
                self.built += 1
                value, height = self.alias(event, len(stack))
            else:  # a mapping or a list starts
                self.built += 1
                top = self.start(event, top, len(stack))
                stack.append(top)
                continue
            if top is None:
                return value
            if height >= top.height:
                top.height = height + 1
            if top.is_list:
                top.value.append(value)
            elif top.key is _NO_KEY:
                self.key(top, value, event)
            else:
                if not top.skip:
                    top.value[top.key] = value
                top.key, top.skip = _NO_KEY, False

    def start(self, event: Any, parent: _Open | None, depth: int) -> _Open:
        mapping = isinstance(event, yaml.MappingStartEvent)
        if parent is not None and parent.key is _NO_KEY and not parent.is_list:
            raise FileProblem("a mapping key must be a plain value", mark=event.start_mark)
        tag = event.tag
        if tag is None or tag == "!":
            tag = _MAP if mapping else _SEQ
        if tag != (_MAP if mapping else _SEQ):
            raise _refused(tag, event)
        if depth >= _MAX_DEPTH:  # this collection would be level 65
            raise FileProblem(_TOO_DEEP, mark=event.start_mark, hint=_TOO_DEEP_HINT)
        if event.anchor is not None:
            self.anchor(event)
            self.open_anchors.add(event.anchor)
        if mapping and depth:  # a record or an entry in one, not the file's own mapping
            self.mappings += 1
            if self.mappings > self.most_mappings:
                raise FileProblem(
                    f"file holds more than {self.most_mappings:,} records and entries "
                    "(mappings), wpq's limit for one data file",
                    mark=event.start_mark,
                    hint="split it into several files, or raise the limit: WPQ_MAX_FILE_MB=500",
                )
        return _Open({} if mapping else [], event.anchor, self.built)

    def anchor(self, event: Any) -> None:
        if event.anchor in self.anchors or event.anchor in self.open_anchors:
            raise FileProblem(
                f"YAML syntax error: found duplicate anchor '{event.anchor}'",
                mark=event.start_mark,
                hint="give each anchor (&name) its own name",
            )

    def alias(self, event: Any, depth: int) -> tuple[Any, int]:
        name = event.anchor
        if name in self.open_anchors:  # an alias inside its own anchor's value: endless
            raise FileProblem(_TOO_DEEP, mark=event.start_mark, hint=_TOO_DEEP_HINT)
        if name not in self.anchors:
            raise FileProblem(
                f"YAML syntax error: found undefined alias '{name}'",
                mark=event.start_mark,
                hint=_HINTS["undefined alias"],
            )
        value, values, height = self.anchors[name]
        self.built += values
        if self.built > self.budget:
            raise FileProblem(
                "aliases expand to far more values than the file holds",
                mark=event.start_mark,
                hint="a 'billion laughs' document? write the values out",
            )
        if depth + height > _MAX_DEPTH:
            raise FileProblem(_TOO_DEEP, mark=event.start_mark, hint=_TOO_DEEP_HINT)
        return value, height

    def scalar(self, event: Any, parent: _Open | None) -> Any:
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.parser.resolve(yaml.ScalarNode, event.value, event.implicit)
        is_key = parent is not None and parent.key is _NO_KEY and not parent.is_list
        if tag == _MERGE and is_key:
            raise FileProblem(
                "merge keys (<<) are not supported",
                mark=event.start_mark,
                hint="write the fields out",
            )
        if tag not in _SCALAR_TAGS:
            raise _refused(tag, event)
        return _scalar(tag, event)

    def key(self, mapping: _Open, key: Any, event: Any) -> None:
        """``key`` read in ``mapping``: its value comes next."""
        if isinstance(key, (dict, list)):  # an alias of a collection, as a key
            raise FileProblem("a mapping key must be a plain value", mark=event.start_mark)
        if type(key) is str:  # one string for every record's "id": some 50 bytes a key
            key = sys.intern(key)
        if key in mapping.key_lines:
            duplicate = FileProblem(
                f"duplicate key '{key}'",
                mark=event.start_mark,
                hint=f"first at line {mapping.key_lines[key]}; keep one of them",
            )
            if self.problems is None:
                raise duplicate
            self.problems.append(duplicate)
            mapping.skip = True
        else:
            mapping.key_lines[key] = event.start_mark.line + 1
        mapping.key = key


def _refused(tag: str, event: Any) -> FileProblem:
    return FileProblem(
        f"YAML tag '{tag}' is not allowed",
        mark=event.start_mark,
        hint="data files hold only plain text, numbers, lists and mappings",
    )


def _odd_integer(value: str) -> tuple[str, str] | None:
    """(message, hint) for a whole number written as no other reader reads it alike: a
    leading zero (YAML 1.1 reads ``017`` as octal 15, YAML 1.2 as 17; a string of zeros
    hides how long it is) or a plus sign (JSON has none)."""
    digits = value.lstrip("-+")
    plain = digits.lstrip("0") or "0"
    sign = "-" if value.startswith("-") else ""
    if len(digits) > 1 and digits.startswith("0"):
        return (
            f"number {short(value)} starts with a zero",
            f"write {sign}{short(plain)}, or quote it as text: YAML 1.1 reads a leading zero "
            "as octal, 017 as 15",
        )
    if value.startswith("+"):
        return f"number {short(value)} has a plus sign", f"write {short(plain)}"
    return None


def short(text: str, most: int = 24) -> str:
    """``text``, or its start and length when longer than ``most`` characters."""
    return text if len(text) <= most else f"{text[:most]}… ({len(text)} characters)"


def _scalar(tag: str, event: Any) -> Any:
    """A scalar under wpq's rules: quoted text is text; plain ints, floats, null, true/false."""
    value: str = event.value
    if event.style or tag == _STR:  # quoted, block, or explicitly !!str
        return value
    if tag == _INT and _INT_RE.fullmatch(value):
        odd = _odd_integer(value)
        if odd:
            raise FileProblem(odd[0], mark=event.start_mark, hint=odd[1])
        try:
            return int(value)
        except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
            raise FileProblem(
                f"number of {len(value)} digits is too long",
                mark=event.start_mark,
                hint="quote it as text",
            ) from None
    if tag == _FLOAT and _FLOAT_RE.fullmatch(value):
        number = float(value)
        if math.isinf(number):  # 1.0e+400: JSON has no infinity
            raise FileProblem(f"number {value} is too large", mark=event.start_mark)
        return number
    if tag == _NULL:
        return None
    if tag == _BOOL:
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
    return value  # YAML 1.1's yes/no/on/off, dates, 0x1F, 1_000, .inf: kept as written
