"""Shared fixtures: the mini dataset (tests/fixtures/mini) and a helper that runs the CLI."""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from wpq.loader import load_dataset
from wpq.model import COLLECTIONS, Dataset, Record, record_key

MINI_DIR = Path(__file__).resolve().parent / "fixtures" / "mini"
# The mini data alone, for CLI tests: `run("events", *MINI)`.
MINI = ("--data", str(MINI_DIR), "--no-bundled")

# Variables that change what wpq does; no test should see the caller's values.
WPQ_ENV = ("WPQ_DATA", "WPQ_FORMAT", "WPQ_DEBUG", "NO_COLOR", "FORCE_COLOR")


class Result(NamedTuple):
    code: int
    out: str
    err: str


@pytest.fixture(scope="session")
def mini_dir() -> Path:
    return MINI_DIR


@pytest.fixture(scope="session")
def mini() -> Dataset:
    """The mini dataset, checked as user data is (ISO codes included)."""
    return load_dataset([MINI_DIR], bundled=False, check_codes=True)


@pytest.fixture(scope="session")
def bundled() -> Dataset:
    return load_dataset(bundled=True, check_codes=True)


@pytest.fixture(scope="session")
def cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache directory of the test session's own: tests never touch the user's cache."""
    return tmp_path_factory.mktemp("cache-home")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, cache_home: Path) -> None:
    for name in WPQ_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache_home))


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Iterator[Callable[..., Result]]:
    """Run ``wpq ARGS...`` in-process through ``wpq.cli.main``: (exit code, stdout, stderr).

    ``main`` installs its own SIGINT handler; the test process gets its own back afterwards.
    """
    from wpq.cli import main

    previous = signal.getsignal(signal.SIGINT)

    def invoke(*args: str) -> Result:
        capsys.readouterr()  # drop anything printed before this run
        code = main(list(args))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    try:
        yield invoke
    finally:
        signal.signal(signal.SIGINT, previous)


def walk(
    value: Any, path: str = "", skip: frozenset[str] = frozenset()
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every mapping inside ``value`` (a record as builtins), with where it is.

    msgspec's ``to_builtins`` keeps tuples as tuples, so both sequence types are walked.
    """
    if isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            if key not in skip:
                yield from walk(item, f"{path}.{key}", skip)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from walk(item, f"{path}[{index}]", skip)


def every_record(ds: Dataset) -> Iterator[tuple[str, str, Record]]:
    """(collection, id or code, record) for every record of ``ds``."""
    for name in COLLECTIONS:
        for record in ds.collection(name):
            yield name, record_key(name, record), record
