"""Read one YAML data file into plain Python values, safely, and find positions in it.

The first step of the flow: bytes -> text -> YAML nodes (libyaml's composer when present)
-> dicts, lists and scalars, under wpq's own rules rather than YAML 1.1's: ``NO``, ``yes``,
``on`` and bare dates stay text, duplicate keys are an error, tags that would build Python
objects are refused, and aliases may not expand without bound. Positions are looked up only
when a problem needs one (``locate``), so a clean load keeps no node tree.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from yaml.reader import ReaderError

from .errors import Problem

try:  # libyaml's C parser when present: several times faster than the pure-Python one.
    from yaml import CSafeLoader as _NodeLoader

    _LIBYAML = True
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _NodeLoader  # type: ignore[assignment]

    _LIBYAML = False

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _TAG + "timestamp"}
_MAP, _SEQ = _TAG + "map", _TAG + "seq"
_INT_RE = re.compile(r"[-+]?[0-9]+")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_TRUE, _FALSE = {"true", "True", "TRUE"}, {"false", "False", "FALSE"}
_MAX_DEPTH = 64  # wpq's records nest five deep; far deeper input is hostile or broken
_TOO_DEEP = f"the data nests deeper than {_MAX_DEPTH} levels"
_TOO_DEEP_HINT = "nest less, or move an alias (*name) out of its own anchor's value"


def _libyaml_limits_depth() -> bool:
    """Whether libyaml refuses deep nesting itself (0.2.6 and later stop at 1,000 levels).

    Older libyaml composes recursively in C without a limit (some 30,000 levels crash the
    process), so wpq must measure a suspicious text before handing it over.
    """
    if not _LIBYAML:
        return True  # the pure-Python composer raises RecursionError, caught below
    from yaml import _yaml

    parts = tuple(int(p) for p in _yaml.get_version_string().split(".")[:3] if p.isdigit())
    return parts >= (0, 2, 6)


_LIMITED = _libyaml_limits_depth()
# Without libyaml's own limit: a text with few flow brackets and short line prefixes cannot
# nest deep enough to matter (each block level needs an indicator or indentation); any other
# text is measured, with a second pass over its events, before it is composed.
_SHALLOW_FLOW = 200
_DEEP_PREFIX = re.compile(r"^[ \t?:-]{150,}", re.M)
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


class FileProblem(Exception):
    """A problem found while reading one file; ``node`` or ``line``/``column`` say where."""

    def __init__(
        self, message: str, *, node: Any = None, line: int = 0, column: int = 0, hint: str = ""
    ) -> None:
        super().__init__(message)
        if node is not None:
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
        self.message, self.line, self.column, self.hint = message, line, column, hint

    def problem(self, path: str) -> Problem:
        return Problem(path, self.line, self.column, self.message, self.hint)


def read_text(path: Path) -> str:
    """The file's text, decoded strictly as UTF-8.

    A leading byte-order mark is accepted silently: Windows editors write one and it says
    nothing but "UTF-8". An empty (or all-whitespace) file is an error, not an empty dataset:
    a data file that holds nothing is almost always a mistake (a failed save, a wrong path).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FileProblem("no such file") from None
    except IsADirectoryError:
        raise FileProblem("is a directory, expected a YAML file") from None
    except OSError as exc:
        raise FileProblem(f"cannot read: {exc.strerror or exc}") from None
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


def compose(text: str) -> Any:
    """The YAML node tree of a single-document text."""
    loader = _NodeLoader(text)
    try:
        if not _LIMITED and (
            text.count("[") + text.count("{") > _SHALLOW_FLOW or _DEEP_PREFIX.search(text)
        ):
            _check_depth(_NodeLoader(text))
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.problem and "maximum nesting depth" in exc.problem:
            # libyaml stopped at its own limit (1,000 levels): one message whichever layer
            # noticed, at the place wpq's limit is passed
            _check_depth(_NodeLoader(text))
            raise FileProblem(
                _TOO_DEEP,
                line=mark.line + 1 if mark else 0,
                column=mark.column + 1 if mark else 0,
                hint=_TOO_DEEP_HINT,
            ) from None
        what = " ".join(s for s in (exc.context, exc.problem) if s) or "invalid YAML"
        what = " ".join(what.split())
        if exc.context and exc.context_mark and mark and exc.context_mark.line != mark.line:
            # "while parsing a flow sequence" is more use with where that sequence began
            what = what.replace(exc.context, f"{exc.context} (line {exc.context_mark.line + 1})")
        raise FileProblem(
            f"YAML syntax error: {what}",
            line=mark.line + 1 if mark else 0,
            column=mark.column + 1 if mark else 0,
            hint=next((h for k, h in _HINTS.items() if k in what), ""),
        ) from None
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
    except RecursionError:  # the pure-Python composer (no libyaml) on deep input
        _check_depth(_NodeLoader(text))
        raise FileProblem(_TOO_DEEP, hint=_TOO_DEEP_HINT) from None
    finally:
        loader.dispose()
    if node is None:
        raise FileProblem(
            "file holds no YAML document, only comments",
            line=1,
            column=1,
            hint="expected a mapping of collections",
        )
    return node


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a reader error's offset (libyaml counts UTF-8 bytes)."""
    if _LIBYAML:
        text = text.encode("utf-8")[:offset].decode("utf-8", "replace")
        offset = len(text)
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _check_depth(loader: Any) -> None:
    """Raise if collections nest deeper than wpq allows, reading events (no recursion)."""
    depth = 0
    try:
        while True:
            event = loader.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                return
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > _MAX_DEPTH:
                    mark = event.start_mark
                    raise FileProblem(
                        _TOO_DEEP,
                        line=mark.line + 1 if mark else 0,
                        column=mark.column + 1 if mark else 0,
                        hint=_TOO_DEEP_HINT,
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError:
        return  # a syntax error before the limit: the caller reports it
    finally:
        loader.dispose()


def parse_file(path: Path, problems: list[FileProblem] | None = None) -> Any:
    """Read, compose and construct one file; raises ``FileProblem``.

    With a ``problems`` list, a problem that leaves the document usable (a duplicate key:
    the first value is kept) is appended there instead, so the rest is still checked.
    """
    text = read_text(path)
    constructor = _Constructor(budget=10_000 + 2 * len(text), problems=problems)
    return constructor.construct(compose(text), 0)


class _Constructor:
    """Builds plain values from nodes; ``budget`` bounds how far aliases may expand."""

    def __init__(self, budget: int, problems: list[FileProblem] | None = None) -> None:
        self.budget = budget
        self.problems = problems

    def construct(self, node: Any, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise FileProblem(
                "aliases expand to far more values than the file holds",
                node=node,
                hint="a 'billion laughs' document? write the values out",
            )
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            if tag not in _SCALAR_TAGS:
                raise _refused(node)
            return _scalar(node)
        if depth >= _MAX_DEPTH:  # this collection is level depth + 1, as _check_depth counts
            raise FileProblem(_TOO_DEEP, node=node, hint=_TOO_DEEP_HINT)
        if isinstance(node, yaml.SequenceNode):
            if tag != _SEQ:
                raise _refused(node)
            return [self.construct(item, depth + 1) for item in node.value]
        if tag != _MAP:
            raise _refused(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                raise FileProblem(
                    "merge keys (<<) are not supported", node=key_node, hint="write the fields out"
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise FileProblem("a mapping key must be a plain value", node=key_node)
            key = self.construct(key_node, depth + 1)
            if key in mapping:
                duplicate = FileProblem(
                    f"duplicate key '{key}'",
                    node=key_node,
                    hint=f"first at line {_line_of(node, key)}; keep one of them",
                )
                if self.problems is None:
                    raise duplicate
                self.problems.append(duplicate)
                continue
            mapping[key] = self.construct(value_node, depth + 1)
        return mapping


def _line_of(mapping: Any, key: Any) -> int:
    """Line of the first key of ``mapping`` whose value is ``key``."""
    for key_node, _ in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and _scalar(key_node) == key:
            return int(key_node.start_mark.line) + 1
    return 0  # pragma: no cover - the key was read from this mapping


def _refused(node: Any) -> FileProblem:
    return FileProblem(
        f"YAML tag '{node.tag}' is not allowed",
        node=node,
        hint="data files hold only plain text, numbers, lists and mappings",
    )


def _scalar(node: Any) -> Any:
    """A scalar under wpq's rules: quoted text is text; plain ints, floats, null, true/false."""
    value: str = node.value
    if node.style or node.tag == _STR:  # quoted, block, or explicitly !!str
        return value
    tag = node.tag
    if tag == _INT and _INT_RE.fullmatch(value):
        try:
            return int(value)
        except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
            raise FileProblem(
                f"number of {len(value)} digits is too long", node=node, hint="quote it as text"
            ) from None
    if tag == _FLOAT and _FLOAT_RE.fullmatch(value):
        number = float(value)
        if math.isinf(number):  # 1.0e+400: JSON has no infinity
            raise FileProblem(f"number {value} is too large", node=node)
        return number
    if tag == _NULL:
        return None
    if tag == _BOOL:
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
    return value  # YAML 1.1's yes/no/on/off, dates, 0x1F, 1_000, .inf: kept as written


def locate(root: Any, node_path: Sequence[PathPart], *, at_key: bool = False) -> tuple[int, int]:
    """1-based line and column of the value at ``node_path`` below the node ``root``.

    With ``at_key``, of its key instead. Walks as far as the path exists and answers the
    deepest node reached.
    """
    node, key_node = root, None
    for part in node_path:
        child = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and (
                    k.value == str(part) if part != NULL_KEY else _scalar(k) is None
                ):
                    key_node, child = k, v
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(part, int)
            and (0 <= part < len(node.value))
        ):
            key_node, child = None, node.value[part]
        if child is None:
            break
        node = child
    else:
        if at_key and key_node is not None:
            node = key_node
    return node.start_mark.line + 1, node.start_mark.column + 1
