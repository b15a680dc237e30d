"""Red team, fuzz: valid data files, mutated the ways a hostile or careless hand would, then
loaded. Whatever loads must be right (ids, dates and codes whole values, numbers within the
cap, ids unique, the same records from the cache as from the YAML); whatever does not must
be a DataError of one-line, printable problems. Under the memory cap and alarm of ``fenced``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import msgspec
import pytest
from harness import UNPRINTABLE, fenced
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from wpq.errors import DataError
from wpq.loader import load_dataset
from wpq.model import COLLECTIONS, Dataset, record_key
from wpq.values import MAX_WHOLE

__all__ = ["fenced"]
pytestmark = pytest.mark.usefixtures("fenced")

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"
FILES = sorted(MINI.glob("*.yaml"))
# What an attacker or a slip inserts: line breaks and blocks, anchors and aliases, tags,
# huge numbers, control and bidirectional characters, markup, document markers, tabs.
TOKENS = [
    "|\n      ",
    ">\n      ",
    '"\\n"',
    "\n",
    "&a ",
    "*a",
    "<<: *a\n",
    "!!python/object/apply:os.system [true] ",
    "!!binary aGk= ",
    str(2**63),
    str(10**15 + 1),
    "9" * 40,
    "1.0e+400",
    "\x1b[2J",
    "\u202e",
    "[reverse]",
    "\x00",
    "---\n",
    "\t",
    "~",
    "- ",
    ": ",
    "{",
    "[",
    "'",
]
HOW = ["insert", "replace-value", "duplicate", "delete", "flip"]
QUOTED = ["\\e]0;title\\a", "\\e[2J", "\\u202Eevil", "[reverse]x", "uk-gov\\n", "2015\\n", "GB\\n"]
NUMBERS = [0, -1, 2**53, 10**15, 10**15 + 1, 2**63, 10**28 + 1]
# Patterns as whole values: what the model's types mean, without msgspec's re.search.
WHOLE = {
    "id": re.compile(r"[a-z0-9]+(-[a-z0-9]+)*"),
    "date": re.compile(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"),
    "code": re.compile(r"[A-Z]{2,3}"),
}
ID_FIELDS = {"id", "by", "to", "made_at", "part_of", "programme", "lead", "measured_by"}
DATE_FIELDS = {"date", "start", "end", "published", "as_of"}
CODE_FIELDS = {"code", "iso3", "currency", "country"}


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    """One of the mini data's files, changed in one to four places."""
    path = draw(st.sampled_from(FILES))
    lines = path.read_text().split("\n")
    for _ in range(draw(st.sampled_from([1, 1, 2, 4]))):
        i = draw(st.integers(0, len(lines) - 1))
        how = draw(st.sampled_from([*HOW, "block", "block", "quoted", "number", "number"]))
        line = lines[i]
        key, colon, value = line.partition(": ")
        indent = " " * (len(key) - len(key.lstrip(" -")) + 2)
        if how == "block" and colon and value:  # the same value as a block: a line break more
            lines[i] = f"{key}: {draw(st.sampled_from('|>'))}\n{indent}{value.strip(chr(34))}"
        elif how == "quoted" and colon:
            lines[i] = f'{key}: "{draw(st.sampled_from(QUOTED))}"'
        elif how == "number" and colon:
            lines[i] = f"{key}: {draw(st.sampled_from(NUMBERS))}"
        elif how == "insert":
            at = draw(st.integers(0, len(line)))
            lines[i] = line[:at] + draw(st.sampled_from(TOKENS)) + line[at:]
        elif how == "replace-value" and ": " in line:
            lines[i] = line.split(": ", 1)[0] + ": " + draw(st.sampled_from(TOKENS))
        elif how == "duplicate":
            lines.insert(draw(st.integers(0, len(lines))), line)
        elif how == "delete":
            del lines[i]
            lines = lines or [""]
        elif line:
            at = draw(st.integers(0, len(line) - 1))
            lines[i] = line[:at] + chr(draw(st.integers(0, 0x2070))) + line[at + 1 :]
    return path.name, "\n".join(lines).encode("utf-8", "surrogatepass")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("redteam-fuzz")


def walk(value: Any, field: str = "") -> list[tuple[str, Any]]:
    """(field name, value) of every scalar inside a record as builtins."""
    if isinstance(value, dict):
        return [pair for key, item in value.items() for pair in walk(item, key)]
    if isinstance(value, (list, tuple)):
        return [pair for item in value for pair in walk(item, field)]
    return [(field, value)]


def assert_right(dataset: Dataset) -> None:
    """What a load that succeeds must hold, whatever the file said."""
    for name in COLLECTIONS:
        records = dataset.collection(name)
        keys = [record_key(name, r) for r in records]
        assert len(keys) == len(set(keys)), f"duplicate ids in {name}"
        for record in records:
            for field, value in walk(msgspec.to_builtins(record)):
                if isinstance(value, int) and not isinstance(value, bool):
                    assert -MAX_WHOLE <= value <= MAX_WHOLE, (field, value)
                kind = (
                    "id" if field in ID_FIELDS or field == "sources" else
                    "date" if field in DATE_FIELDS else
                    "code" if field in CODE_FIELDS else None
                )  # fmt: skip
                if kind and isinstance(value, str):
                    assert WHOLE[kind].fullmatch(value), (name, field, value)


@settings(
    max_examples=300,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(change=mutated())
def test_mutated_valid_files_load_right_or_not_at_all(
    workspace: Path, change: tuple[str, bytes]
) -> None:
    name, data = change
    folder = workspace / "data"
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(MINI, folder)
    (folder / name).write_bytes(data)
    try:
        fresh = load_dataset([folder], bundled=False, check_codes=True, cache=False)
    except DataError as error:
        event("rejected")
        assert error.problems
        for line in error.lines():
            assert "\n" not in line and not UNPRINTABLE.search(line), line
        return
    event("loaded")
    assert_right(fresh)
    # The cache answers the same: filled by the first load, read by the second.
    load_dataset([folder], bundled=False, check_codes=True, cache=True)
    assert load_dataset([folder], bundled=False, check_codes=True, cache=True) == fresh
