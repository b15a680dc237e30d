"""The cache of checked datasets: seen changes, damaged files, read-only places, concurrency."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINI_DIR

from wpq import cache
from wpq.cache import LazyDataset
from wpq.errors import DataError
from wpq.loader import load_dataset
from wpq.model import Dataset


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache of this test's own (XDG_CACHE_HOME), empty at the start."""
    home = tmp_path / "cache-home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home / "wpq"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A private copy of the mini data, free to change."""
    copy = tmp_path / "data"
    shutil.copytree(MINI_DIR, copy)
    return copy


def cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*" + cache.SUFFIX))


def load(data: Path) -> Dataset:
    return load_dataset([data], bundled=False)


def test_second_load_comes_from_the_cache_and_equals_the_first(cache_dir: Path, data: Path) -> None:
    first = load(data)
    assert not isinstance(first, LazyDataset)
    assert len(cache_files(cache_dir)) == 1
    second = load(data)
    assert isinstance(second, LazyDataset)
    assert second == first


def test_a_changed_file_is_seen(cache_dir: Path, data: Path) -> None:
    load(data)
    events = data / "events.yaml"
    text = events.read_text()
    assert "name: London Summit" in text
    events.write_text(text.replace("name: London Summit", "name: London Summit, changed"))
    again = load(data)
    assert not isinstance(again, LazyDataset)
    assert "London Summit, changed" in {e.name for e in again.events}


def test_an_added_or_removed_file_is_seen(cache_dir: Path, data: Path) -> None:
    before = load(data)
    extra = data / "more.yaml"
    extra.write_text(
        "sources:\n  - {id: src-extra, title: Extra, publisher: Someone}\n"
        "figures:\n  - {id: extra-figure, statement: A new figure., value: 3, unit: things,"
        " sources: [src-extra]}\n"
    )
    added = load(data)
    assert len(added.figures) == len(before.figures) + 1
    extra.unlink()
    assert load(data) == before


@pytest.mark.parametrize("damage", ["truncate", "garbage", "flip", "empty", "foreign"])
def test_a_damaged_cache_file_gives_correct_results(
    cache_dir: Path, data: Path, damage: str
) -> None:
    right = load(data)
    [path] = cache_files(cache_dir)
    raw = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "garbage":
        path.write_bytes(os.urandom(len(raw)))
    elif damage == "flip":  # one changed byte deep inside the records
        middle = len(raw) // 2
        path.write_bytes(raw[:middle] + bytes([raw[middle] ^ 0xFF]) + raw[middle + 1 :])
    elif damage == "empty":
        path.write_bytes(b"")
    else:  # a well-formed cache file written for other data
        other = cache.CachedDataset("another key", 0, {})
        import msgspec

        path.write_bytes(msgspec.msgpack.encode(other))
    again = load(data)
    assert not isinstance(again, LazyDataset)
    assert again == right
    assert isinstance(load(data), LazyDataset)  # rebuilt


def test_a_read_only_cache_directory_only_means_no_cache(cache_dir: Path, data: Path) -> None:
    cache_dir.parent.mkdir(parents=True)
    cache_dir.parent.chmod(0o500)
    try:
        if os.access(cache_dir.parent, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        assert load(data) == load(data)
        assert not cache_dir.exists()
    finally:
        cache_dir.parent.chmod(0o700)


def test_a_cache_path_that_is_a_file_only_means_no_cache(cache_dir: Path, data: Path) -> None:
    cache_dir.parent.mkdir(parents=True)
    cache_dir.write_text("not a directory")  # works even for root, unlike chmod
    first = load(data)
    second = load(data)
    assert second == first and not isinstance(second, LazyDataset)


def test_no_cache_env_and_flag(
    cache_dir: Path, data: Path, monkeypatch: pytest.MonkeyPatch, run
) -> None:
    monkeypatch.setenv("WPQ_NO_CACHE", "1")
    load(data)
    assert not cache_dir.exists()
    monkeypatch.delenv("WPQ_NO_CACHE")
    result = run("events", "--data", str(data), "--no-bundled", "--no-cache", "--json")
    assert result.code == 0 and json.loads(result.out)
    assert not cache_dir.exists()
    assert load_dataset([data], bundled=False, cache=False) == load(data)


def test_invalid_data_is_never_cached(cache_dir: Path, data: Path) -> None:
    (data / "events.yaml").write_text("events:\n  - id: Bad Id\n")
    with pytest.raises(DataError):
        load(data)
    assert not cache_dir.exists() or cache_files(cache_dir) == []


def test_cache_info_and_clear(cache_dir: Path, data: Path, run) -> None:
    load(data)
    info = json.loads(run("cache", "info", "--json").out)
    assert info["directory"] == str(cache_dir) and info["files"] == 1 and info["bytes"] > 0
    result = run("cache", "clear")
    assert result.code == 0 and "removed 1 cache file" in result.err
    assert cache_files(cache_dir) == []


def test_eight_processes_on_a_cold_cache(cache_dir: Path, data: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_dir.parent)}
    command = [
        sys.executable,
        "-m",
        "wpq",
        "funding",
        "--data",
        str(data),
        "--no-bundled",
        "--donor",
        "UK",
        "--json",
    ]
    expected = subprocess.run(
        command, env={**env, "WPQ_NO_CACHE": "1"}, capture_output=True, text=True, check=True
    ).stdout
    assert not cache_dir.exists()
    processes = [
        subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(8)
    ]
    results = [p.communicate() for p in processes]
    assert [p.returncode for p in processes] == [0] * 8
    assert all(out == expected and err == "" for out, err in results)
    assert len(cache_files(cache_dir)) == 1
    assert not list(cache_dir.glob(".*.tmp"))  # no temporary file left behind
    warm = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    assert warm.stdout == expected
    assert isinstance(load(data), LazyDataset)


def test_a_cache_directory_refusing_writes_only_means_no_cache(
    cache_dir: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a read-only directory does to wpq, also when the tests run as root."""
    import tempfile

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    first = load(data)
    assert load(data) == first
    assert not cache_dir.exists() or cache_files(cache_dir) == []


def test_ctrl_c_while_loading_is_one_line_and_exit_130(tmp_path: Path) -> None:
    """A load blocked on a pipe that never delivers is interrupted as a user would do it."""
    import signal
    import time

    process = subprocess.Popen(
        [sys.executable, "-m", "wpq", "events", "--data", "/dev/stdin", "--no-cache"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(1.0)  # let it start and block reading stdin; nothing is timed
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert out == ""
    assert err == "wpq: interrupted\n"
