"""Read one YAML data file into plain Python values, safely, and find positions in it.

The first step of the flow: bytes -> text -> YAML nodes (libyaml's composer when present)
-> dicts, lists and scalars, under wpq's own rules rather than YAML 1.1's: ``NO``, ``yes``,
``on`` and bare dates stay text, duplicate keys are an error, tags that would build Python
objects are refused, and aliases may not expand without bound. Positions are looked up only
when a problem needs one (``locate``), so a clean load keeps no node tree.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem

try:  # libyaml's C parser when present: several times faster than the pure-Python one.
    from yaml import CSafeLoader as _NodeLoader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _NodeLoader  # type: ignore[assignment]

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_SCALAR_TAGS = {_STR, _INT, _FLOAT, _BOOL, _NULL, _TAG + "timestamp"}
_MAP, _SEQ = _TAG + "map", _TAG + "seq"
_INT_RE = re.compile(r"[-+]?[0-9]+")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_TRUE, _FALSE = {"true", "True", "TRUE"}, {"false", "False", "FALSE"}
_MAX_DEPTH = 64  # wpq's records nest five deep; far deeper input is hostile or broken

PathPart = str | int
NodePath = tuple[PathPart, ...]


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
    """The file's text, decoded strictly as UTF-8 (a leading byte-order mark is allowed)."""
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
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = " ".join(s for s in (exc.context, exc.problem) if s) or "invalid YAML"
        raise FileProblem(
            f"YAML syntax error: {what}",
            line=mark.line + 1 if mark else 0,
            column=mark.column + 1 if mark else 0,
        ) from None
    except yaml.YAMLError as exc:
        raise FileProblem(f"YAML error: {exc}") from None
    except RecursionError:
        raise FileProblem("YAML nests too deeply") from None
    finally:
        loader.dispose()
    if node is None:
        raise FileProblem("file holds no YAML document", line=1, column=1)
    return node


def parse_file(path: Path) -> Any:
    """Read, compose and construct one file; raises ``FileProblem``."""
    text = read_text(path)
    return _Constructor(budget=10_000 + 2 * len(text)).construct(compose(text), 0)


class _Constructor:
    """Builds plain values from nodes; ``budget`` bounds how far aliases may expand."""

    def __init__(self, budget: int) -> None:
        self.budget = budget

    def construct(self, node: Any, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise FileProblem(
                "aliases expand to far more values than the file holds",
                node=node,
                hint="a 'billion laughs' document? write the values out",
            )
        if depth > _MAX_DEPTH:
            raise FileProblem(f"values nest more than {_MAX_DEPTH} levels deep", node=node)
        tag = node.tag
        if isinstance(node, yaml.ScalarNode):
            if tag not in _SCALAR_TAGS:
                raise _refused(node)
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if tag != _SEQ:
                raise _refused(node)
            return [self.construct(item, depth + 1) for item in node.value]
        if tag != _MAP:
            raise _refused(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _TAG + "merge":
                raise FileProblem("merge keys (<<) are not supported", node=key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                raise FileProblem("a mapping key must be a plain value", node=key_node)
            key = self.construct(key_node, depth + 1)
            if key in mapping:
                raise FileProblem(f"duplicate key '{key}'", node=key_node, hint="keep one of them")
            mapping[key] = self.construct(value_node, depth + 1)
        return mapping


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
        return int(value)
    if tag == _FLOAT and _FLOAT_RE.fullmatch(value):
        return float(value)
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
                if isinstance(k, yaml.ScalarNode) and k.value == str(part):
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
