"""Red team, the cache (second round): a file cut short and restored under readers' feet,
cache files crafted with valid CRCs, and cache files or folders that are not the user's.

A reader must never die by a signal whatever another process does to the file (item 2);
a crafted file must never give a wrong total or a traceback, and a file someone else could
have written is never read (item 6).
"""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import msgspec
import pytest
from harness import OK, ROOT, Run, capped, check, environment, fenced, run_in_process

from wpq.cache import layout, reader
from wpq.loader import load_dataset
from wpq.model import Dataset

__all__ = ["fenced"]

SUMMARY = ("funding", "--donor", "UK", "--summary", "--json")


def cache_file(cache: Path) -> Path:
    [path] = [p for p in cache.rglob("*.wpqcache")]
    return path


# ---------------------------------------------------------------- item 2: SIGBUS


def test_readers_never_die_while_the_file_is_cut_short_and_restored_in_place(
    tmp_path: Path,
) -> None:
    """A writer truncates the cache file and writes it back, in place, without end; pairs
    of readers query meanwhile. A mapped file killed about one reader in ten (SIGBUS)."""
    cache = tmp_path / "cache"
    argv = [sys.executable, "-m", "wpq", *SUMMARY]
    env = environment(cache)
    truth = subprocess.run(argv, env=env, capture_output=True, check=True, cwd=ROOT).stdout
    path = cache_file(cache)
    whole = path.read_bytes()
    stop = threading.Event()

    def cut_and_restore() -> None:
        with open(path, "r+b") as file:
            while not stop.is_set():
                file.truncate(len(whole) // 3)
                time.sleep(0.002)
                file.seek(0)
                file.write(whole)
                file.flush()
                time.sleep(0.002)

    writer = threading.Thread(target=cut_and_restore, daemon=True)
    writer.start()
    deadline = time.monotonic() + 20
    runs: list[Run] = []
    try:
        while len(runs) < 16 and time.monotonic() < deadline:
            readers = [
                subprocess.Popen(
                    argv,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    preexec_fn=capped(),
                    cwd=ROOT,
                )
                for _ in range(2)
            ]
            for process in readers:
                out, err = process.communicate(timeout=30)
                runs.append(Run(process.returncode, out.decode(), err.decode()))
    finally:
        stop.set()
        writer.join(5)
    assert len(runs) >= 4, "too few readers ran in the time allowed"
    for run in runs:
        assert run.code != -signal.SIGBUS, "a reader died by SIGBUS"
        check(run, OK, lines=0)
        assert run.out == truth.decode()


def test_a_cache_file_is_read_never_mapped(monkeypatch: pytest.MonkeyPatch) -> None:
    import mmap

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cache file was mapped")

    monkeypatch.setattr(mmap, "mmap", refuse)
    first = load_dataset()
    second = load_dataset()
    assert isinstance(second, layout.LazyDataset) and second == first


# ---------------------------------------------------------------- item 6: crafted files


@functools.cache
def plain_data() -> Dataset:
    """The bundled data, read from the YAML (datasets are immutable: one serves all)."""
    return load_dataset(cache=False)


def craft(cache: Path, change: Callable[[Dataset], Dataset]) -> None:
    """Replace the one cache file under ``cache`` by one holding ``change(data)`` for the
    same key, every CRC valid: what wpq would have written for other data."""
    path = cache_file(cache)
    raw = path.read_bytes()
    length = int.from_bytes(raw[len(layout.MAGIC) : len(layout.MAGIC) + 4], "little")
    start = len(layout.MAGIC) + 8
    header = msgspec.msgpack.decode(raw[start : start + length], type=layout.Header)
    crafted = change(plain_data())
    temp = path.with_suffix(".crafted")
    temp.write_bytes(b"".join(layout.encode(header.key, header.racy, crafted)))
    os.replace(temp, path)


def replaced(collection: str, record_id: str, **fields: object) -> Callable[[Dataset], Dataset]:
    def change(ds: Dataset) -> Dataset:
        records = tuple(
            msgspec.structs.replace(r, **fields) if r.id == record_id else r  # type: ignore[attr-defined]
            for r in ds.collection(collection)
        )
        return ds.replace(**{collection: records})

    return change


def added(collection: str, record_id: str, times: int) -> Callable[[Dataset], Dataset]:
    def change(ds: Dataset) -> Dataset:
        records = ds.collection(collection)
        copy = next(r for r in records if r.id == record_id)  # type: ignore[attr-defined]
        return ds.replace(**{collection: records + (copy,) * times})

    return change


CRAFTED = {
    "a pledge 99 more times": added("pledges", "uk-50m-2014", 99),
    "a pledge its own tranche": replaced("pledges", "uk-50m-2014", part_of="uk-50m-2014"),
    "two pledges each part of the other": replaced(
        "pledges", "uk-50m-2014", part_of="uk-10m-unicef-programme"
    ),
    "tranches beyond their pledge": replaced("pledges", "uk-40m-fund-2016", amount=45_000_000),
    "a tranche in another currency": replaced("pledges", "uk-40m-fund-2016", currency="USD"),
    "a tranche of nothing": replaced("pledges", "uk-40m-fund-2016", part_of="no-such-pledge"),
    "a donor that is not there": replaced("pledges", "uk-40m-fund-2016", by="no-such-org"),
    "an organisation part of its part": replaced(
        "organisations", "uk-government", part_of="home-office"
    ),
    "an organisation twice": added("organisations", "home-office", 1),
}
TRUTHS: dict[tuple[str, ...], Run] = {}  # each question's answer from the YAML
QUESTIONS = [
    ("funding", "--donor", "UK", "--in", "USD", "--summary", "--json"),
    ("pledges", "--pledger", "UK", "--json"),
]


@pytest.mark.usefixtures("fenced")
@pytest.mark.parametrize("crafted", list(CRAFTED))
def test_a_crafted_cache_file_never_gives_a_wrong_answer(
    crafted: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    load_dataset()  # fills the cache
    for question in QUESTIONS:
        if question not in TRUTHS:
            TRUTHS[question] = run_in_process(capsys, *question, "--no-cache")
        check(TRUTHS[question], OK, lines=0, out=True)
        craft(tmp_path / "cache", CRAFTED[crafted])
        assert run_in_process(capsys, *question) == TRUTHS[question], question


def test_the_api_says_so_and_answers_from_the_data_files_when_asked_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wpq import query
    from wpq.errors import CacheUntrusted

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    plain = load_dataset(cache=False)
    truth = query.totals_by_currency(plain, query.funding(plain, by="UK"))
    load_dataset()  # fills the cache
    craft(tmp_path / "cache", CRAFTED["a pledge 99 more times"])
    ds = load_dataset()
    with pytest.raises(CacheUntrusted):
        query.funding(ds, by="UK")
    assert query.totals_by_currency(ds, query.funding(ds, by="UK")) == truth


# ---------------------------------------------------------------- item 6: whose cache


def test_missing_parents_of_the_cache_folder_are_made_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "a" / "b"))
    previous = os.umask(0)
    try:
        load_dataset()
    finally:
        os.umask(previous)
    for folder in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "wpq"):
        assert folder.stat().st_mode & 0o777 == 0o700, folder


def test_a_cache_file_of_someone_else_is_never_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    load_dataset()
    assert isinstance(load_dataset(), layout.LazyDataset)
    path = cache_file(tmp_path / "cache")
    if os.geteuid() == 0:
        os.chown(path, 65534, 65534)
    else:  # only root can give a file away: wpq is made to see itself as another user
        monkeypatch.setattr(reader, "_user", lambda: os.geteuid() + 1)
    assert not isinstance(load_dataset(), layout.LazyDataset)


def test_a_cache_folder_others_can_write_is_never_read_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    load_dataset()
    folder = tmp_path / "cache" / "wpq"
    folder.chmod(0o777)
    assert not isinstance(load_dataset(), layout.LazyDataset)
    assert folder.stat().st_mode & 0o777 == 0o700  # made private again as it is written
    assert isinstance(load_dataset(), layout.LazyDataset)
