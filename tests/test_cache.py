"""The cache of checked datasets: seen changes, damaged files, read-only places, concurrency."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import msgspec
import pytest
from conftest import MINI_DIR

from wpq import indexes
from wpq.cache import layout as cachefile
from wpq.cache import policy as cache
from wpq.cache.layout import LazyDataset
from wpq.errors import DataError
from wpq.loader import load_dataset
from wpq.model import COLLECTIONS, Dataset


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
    cache_dir: Path, data: Path, tmp_path: Path, damage: str
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
        other = tmp_path / "other"
        shutil.copytree(data, other)
        (other / "more.yaml").write_text("sources:\n  - {id: other, title: T, publisher: P}\n")
        load(other)
        [foreign] = [p for p in cache_files(cache_dir) if p != path]
        path.write_bytes(foreign.read_bytes())
    # A damage found when the file is opened means a full load; one found in a section
    # while a query reads it (the flipped byte) means the data files are read then.
    again = load(data)
    assert again == right
    assert {e.id for e in again.events} == {e.id for e in right.events}
    rebuilt = load(data)  # the next run has a sound cache file again
    assert isinstance(rebuilt, LazyDataset) and rebuilt == right


@pytest.mark.parametrize("collection", list(COLLECTIONS))
def test_every_byte_of_a_cache_file_is_checked(
    cache_dir: Path, data: Path, collection: str
) -> None:
    """A flipped byte anywhere is caught by a CRC before it is used, whichever part of the
    file a query reads: a collection, an index, or single records through an index."""
    right = load(data)
    [path] = cache_files(cache_dir)
    raw = path.read_bytes()
    for offset in range(0, len(raw), max(1, len(raw) // 97)):
        path.write_bytes(raw[:offset] + bytes([raw[offset] ^ 0x55]) + raw[offset + 1 :])
        again = load(data)
        field = next(iter(indexes.KEYS[collection]))
        for value, positions in right.index(collection, field).items():
            picked = again.records_at(collection, again.index(collection, field).get(value, []))
            assert msgspec.msgpack.encode(picked) == msgspec.msgpack.encode(
                right.records_at(collection, positions)
            )
        assert msgspec.msgpack.encode(again.collection(collection)) == msgspec.msgpack.encode(
            right.collection(collection)
        )
        path.write_bytes(raw)


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


# ---------------------------------------------------------------- a changed file is never stale


def _same_size_edit(path: Path) -> None:
    """Change a value in ``path`` without changing its size: 'London' -> 'Lundon'."""
    text = path.read_text()
    assert "London Summit" in text
    path.write_text(text.replace("London Summit", "Lundon Summit"))


def _event_names(ds: Dataset) -> set[str]:
    return {e.name for e in ds.events}


def test_a_same_size_edit_with_its_old_times_restored_is_seen(cache_dir: Path, data: Path) -> None:
    events = data / "events.yaml"
    before = os.stat(events)
    load(data)
    _same_size_edit(events)
    os.utime(events, ns=(before.st_atime_ns, before.st_mtime_ns))  # touch -d
    assert os.stat(events).st_size == before.st_size
    assert "Lundon Summit" in _event_names(load(data))


def test_a_file_swapped_by_rename_is_seen(cache_dir: Path, data: Path) -> None:
    events = data / "events.yaml"
    before = os.stat(events)
    load(data)
    swap = data / "events.yaml.new"
    shutil.copy2(events, swap)
    _same_size_edit(swap)
    os.utime(swap, ns=(before.st_atime_ns, before.st_mtime_ns))
    swap.replace(events)
    assert "Lundon Summit" in _event_names(load(data))


def test_a_file_replaced_by_tar_with_the_same_size_and_time_is_seen(
    cache_dir: Path, data: Path, tmp_path: Path
) -> None:
    import tarfile

    events = data / "events.yaml"
    original = events.read_bytes()
    archives = []
    for name, content in (("a", original), ("b", original.replace(b"London", b"Lundon"))):
        events.write_bytes(content)
        os.utime(events, (1_600_000_000, 1_600_000_000))
        archive = tmp_path / f"{name}.tar"
        with tarfile.open(archive, "w") as tar:
            tar.add(events, arcname="events.yaml")
        archives.append(archive)
    for archive, expected in zip(archives, ("London Summit", "Lundon Summit"), strict=True):
        with tarfile.open(archive) as tar:
            tar.extractall(data, filter="data")
        assert expected in _event_names(load(data))


def test_an_edit_within_one_tick_of_a_coarse_clock_is_seen(
    cache_dir: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a file system whose times tick once a second (or two), a same-size edit in place
    within the tick after the cache was written changes no stat at all: the cache then
    keys the file by its content too (it was changed just before the write)."""

    real_stat = os.stat

    class Coarse:
        def __init__(self, path: object) -> None:
            info = real_stat(path)  # type: ignore[arg-type]
            self.st_mode, self.st_size = info.st_mode, info.st_size
            self.st_ino, self.st_dev = info.st_ino, info.st_dev
            # every change in this test happens within one tick
            self.st_mtime_ns = self.st_ctime_ns = time.time_ns() // 10**9 * 10**9

    monkeypatch.setattr(cache, "_stat", Coarse)
    first = load(data)
    assert "London Summit" in _event_names(first)
    _same_size_edit(data / "events.yaml")
    again = load(data)
    assert not isinstance(again, LazyDataset)
    assert "Lundon Summit" in _event_names(again)


def test_content_keying_ends_once_the_files_settle(
    cache_dir: Path, data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "RACY_S", 0.3)
    load(data)  # the copy was just made: keyed by content too
    [path] = cache_files(cache_dir)
    assert cachefile.open_dataset(path, _key_of(path), reload=lambda: Dataset()).racy
    time.sleep(0.4)
    assert isinstance(load(data), LazyDataset)  # read, checked, and rewritten settled
    assert cachefile.open_dataset(path, _key_of(path), reload=lambda: Dataset()).racy == {}
    _same_size_edit(data / "events.yaml")  # a later edit changes the stat
    assert "Lundon Summit" in _event_names(load(data))


def _key_of(path: Path) -> str:
    header_length = int.from_bytes(path.read_bytes()[10:14], "little")
    raw = path.read_bytes()[18 : 18 + header_length]
    return str(msgspec.msgpack.decode(raw)[0])


def test_standard_input_is_read_never_cached(cache_dir: Path, data: Path, tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_dir.parent)}
    env.pop("WPQ_NO_CACHE", None)
    answers = []
    for amount in (100, 900):
        user = tmp_path / f"stdin-{amount}.yaml"
        user.write_text(
            "sources:\n  - {id: s1, title: T, publisher: P}\n"
            "organisations:\n  - {id: giver, name: Giver, kind: ngo}\n"
            f"pledges:\n  - {{id: p1, by: giver, kind: funding, date: '2020', summary: S,"
            f" amount: {amount}, currency: GBP, sources: [s1]}}\n"
        )
        with user.open() as stdin:
            result = subprocess.run(
                [sys.executable, "-m", "wpq", "funding", "--data", "/dev/stdin", "--json"],
                stdin=stdin,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
        answers.append([row["amount"] for row in json.loads(result.stdout) if row["id"] == "p1"])
    assert answers == [[100], [900]]
    # the bundled data alone may be cached; nothing keyed by /dev/stdin is
    for path in cache_files(cache_dir):
        assert b"/dev/stdin" not in path.read_bytes() and b"/proc/self" not in path.read_bytes()
