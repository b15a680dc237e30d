"""Where a value is in a YAML text: the line and column a problem is reported at.

Looked up only when loading found problems, by reading the file's events once more for all
of that file's problems together; nothing of the file is kept in between.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import yaml

from .yamlfile import NULL_KEY, NodePath, parser

_COLLECTION_KEY = object()  # a key that is a mapping or a list: no path leads through it


def positions(text: str, wanted: Sequence[tuple[NodePath, bool]]) -> list[tuple[int, int]]:
    """1-based (line, column) of each ``(node path, at_key)`` in ``text``, in one reading.

    With ``at_key``, of the key whose value is at the path. A path that goes further than
    the file answers the deepest node it reaches; (0, 0) when even the file cannot be read.
    """
    found: list[tuple[int, int]] = [(0, 0)] * len(wanted)
    reached = [-1] * len(wanted)  # the depth of what ``found`` holds
    events = parser(text)
    stack: list[_Walk] = []
    key_mark: Any = None
    anchors: dict[str, Any] = {}  # the text of each anchored scalar
    try:
        while True:
            event: Any = events.get_event()
            if event is None or isinstance(event, yaml.StreamEndEvent):
                break
            if isinstance(event, yaml.CollectionEndEvent):
                if not stack.pop().is_key:
                    _next_child(stack)
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue  # the document's start or end
            if isinstance(event, yaml.ScalarEvent) and event.anchor is not None:
                anchors[event.anchor] = event.value
            top = stack[-1] if stack else None
            if top is not None and top.step is None:  # a key: its value comes next
                if isinstance(event, yaml.ScalarEvent):
                    top.step = NULL_KEY if _is_null(event) else event.value
                elif isinstance(event, yaml.AliasEvent):  # a key named by an alias (*k: ...)
                    top.step = anchors.get(event.anchor or "", _COLLECTION_KEY)
                else:
                    top.step = _COLLECTION_KEY
                key_mark = event.start_mark
                if isinstance(event, yaml.CollectionStartEvent):
                    stack.append(_Walk([], 0, is_key=True))
                continue
            depth = len(stack)
            here = list(range(len(wanted))) if top is None else top.following(wanted, depth)
            for i in here:
                if depth > reached[i]:
                    reached[i] = depth
                    node_path, at_key = wanted[i]
                    at: Any = event.start_mark
                    if at_key and depth == len(node_path) and top and isinstance(top.step, str):
                        at = key_mark
                    found[i] = (at.line + 1, at.column + 1)
            if isinstance(event, yaml.CollectionStartEvent):
                deeper = [i for i in here if len(wanted[i][0]) > depth]
                mapping = isinstance(event, yaml.MappingStartEvent)
                stack.append(_Walk(deeper, None if mapping else 0))
            else:
                _next_child(stack)
    except yaml.YAMLError:
        pass  # the file changed since it was read: answer what was found
    finally:
        events.dispose()
    return found


class _Walk:
    """A collection ``positions`` is inside: the requests that lead through it, and the
    key (a mapping) or index (a list) of the child being read; None: a key comes next."""

    __slots__ = ("is_key", "requests", "step")

    def __init__(self, requests: list[int], step: Any, *, is_key: bool = False) -> None:
        self.requests, self.step, self.is_key = requests, step, is_key

    def following(self, wanted: Sequence[tuple[NodePath, bool]], depth: int) -> list[int]:
        """The requests whose path goes on through the current child."""
        step = self.step
        if isinstance(step, str):
            return [i for i in self.requests if str(wanted[i][0][depth - 1]) == step]
        return [
            i
            for i in self.requests
            if isinstance(wanted[i][0][depth - 1], int) and wanted[i][0][depth - 1] == step
        ]


def _next_child(stack: list[_Walk]) -> None:
    """After a child: a mapping waits for its next key, a list counts one more item."""
    if stack:
        top = stack[-1]
        top.step = top.step + 1 if isinstance(top.step, int) else None


def _is_null(event: Any) -> bool:
    """Whether a key is YAML's null (``~:``, ``null:`` or no key at all), as built."""
    return not event.style and event.value in ("", "~", "null", "Null", "NULL")
