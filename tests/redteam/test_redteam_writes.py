"""Red team, files wpq writes (second round, item 1): ``export --sqlite`` and ``new`` write
only where nothing is, or with ``--force`` over a regular file; never into or over a FIFO,
a socket, a directory or a link, dangling or not. Every case lives in the test's own
temporary folder: no real device is ever a target.
"""

from __future__ import annotations

import os
import socket
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from harness import OK, OUTPUT_ERROR, USAGE_ERROR, check, fenced, run_in_process, wpq_process

from wpq.errors import UsageError
from wpq.export.target import check_target

__all__ = ["fenced"]


def fifo(folder: Path) -> Path:
    path = folder / "out.db"
    os.mkfifo(path)
    return path


def sock(folder: Path) -> Path:
    path = folder / "out.db"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
    return path


def dangling(folder: Path) -> Path:
    path = folder / "out.db"
    path.symlink_to(folder / "nowhere.db")
    return path


def linked(folder: Path) -> Path:
    (folder / "real.db").write_bytes(b"mine")
    path = folder / "out.db"
    path.symlink_to(folder / "real.db")
    return path


def directory(folder: Path) -> Path:
    path = folder / "out.db"
    path.mkdir()
    return path


TARGETS: dict[str, tuple[Callable[[Path], Path], str]] = {
    "fifo": (fifo, "FIFO"),
    "socket": (sock, "socket"),
    "dangling-link": (dangling, "symbolic link"),
    "link-to-a-file": (linked, "symbolic link"),
    "directory": (directory, "directory"),
}


def snapshot(folder: Path) -> dict[str, tuple[int, bytes | str | None]]:
    """What the folder holds: each entry's type and content (a link's target)."""
    found: dict[str, tuple[int, bytes | str | None]] = {}
    for entry in sorted(folder.iterdir()):
        mode = os.lstat(entry).st_mode
        if stat.S_ISLNK(mode):
            found[entry.name] = (stat.S_IFMT(mode), os.readlink(entry))
        elif stat.S_ISREG(mode):
            found[entry.name] = (stat.S_IFMT(mode), entry.read_bytes())
        else:
            found[entry.name] = (stat.S_IFMT(mode), None)
    return found


@pytest.mark.usefixtures("fenced")
@pytest.mark.parametrize("target", list(TARGETS))
@pytest.mark.parametrize("force", [False, True], ids=["", "force"])
def test_export_never_writes_into_or_over_what_is_not_a_regular_file(
    target: str, force: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A FIFO as a subprocess with a time limit: opening it to write would block for ever."""
    make, what = TARGETS[target]
    path = make(tmp_path)
    before = snapshot(tmp_path)
    argv = ["export", "--sqlite", str(path), *(["--force"] if force else [])]
    if target == "fifo":
        run = wpq_process(*argv, cache=tmp_path.parent / f"{tmp_path.name}-cache", timeout=30)
    else:
        run = run_in_process(capsys, *argv)
    check(run, USAGE_ERROR, lines=1, fragment=what)
    assert snapshot(tmp_path) == before  # nothing replaced, nothing left behind
    assert not (tmp_path / "nowhere.db").exists()


@pytest.mark.usefixtures("fenced")
@pytest.mark.parametrize("target", list(TARGETS))
def test_new_never_writes_into_or_over_anything(
    target: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if target == "fifo":  # opening it to write would block: the rule is checked before
        with pytest.raises(UsageError, match="FIFO"):
            check_target(fifo(tmp_path), force=False)
        return
    path = TARGETS[target][0](tmp_path)
    before = snapshot(tmp_path)
    check(run_in_process(capsys, "new", str(path)), USAGE_ERROR, lines=1)
    assert snapshot(tmp_path) == before


@pytest.mark.usefixtures("fenced")
def test_force_replaces_a_regular_file_whole_and_keeps_its_mode(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "out.db"
    path.write_bytes(b"old")
    path.chmod(0o640)
    check(run_in_process(capsys, "export", "--sqlite", str(path), "--force"), OK, lines=1)
    assert path.read_bytes().startswith(b"SQLite format 3\x00")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.db"]


@pytest.mark.usefixtures("fenced")
def test_a_new_file_gets_the_usual_mode(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    previous = os.umask(0o022)
    try:
        check(run_in_process(capsys, "export", "--sqlite", str(tmp_path / "a.db")), OK, lines=1)
        check(run_in_process(capsys, "new", str(tmp_path / "a.yaml")), OK, lines=1)
    finally:
        os.umask(previous)
    for name in ("a.db", "a.yaml"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o644, name


@pytest.mark.usefixtures("fenced")
@pytest.mark.parametrize("command", ["export", "new"])
def test_a_file_that_cannot_be_written_is_exit_74_for_both(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "nodir" / "x"
    argv = ("export", "--sqlite", str(target)) if command == "export" else ("new", str(target))
    check(run_in_process(capsys, *argv), OUTPUT_ERROR, lines=1, fragment="cannot write")
    assert not (tmp_path / "nodir").exists()
