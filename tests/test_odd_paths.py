"""Odd paths (issue 15, item 8): an empty --data, broken and looping links, pipes where
files belong, a relative XDG_CACHE_HOME, a cache file that is not a file. Each is either
a one-line problem or harmless; none reads the wrong files or hangs.

Runs that could hang on a regression are subprocesses with a timeout.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MINI_DIR
from wpq.cache import policy as cache

FILE = MINI_DIR / "sources.yaml"


def wpq(
    *args: str, env: dict[str, str], cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("WPQ_")}
    return subprocess.run(
        [sys.executable, "-m", "wpq", *args],
        capture_output=True,
        text=True,
        env={**clean, **env},
        cwd=cwd,
        timeout=60,
        check=False,
    )


def test_an_empty_data_path_is_an_error_not_the_current_directory(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "docker-compose.yml").write_text("services:\n  web: {image: nginx}\n")
    monkeypatch.chdir(tmp_path)
    for args in (
        ["events", "--data", ""],
        ["validate", ""],
        ["export", "--sqlite", "x.db", "--data", ""],
    ):
        result = run(*args)
        assert (result.code, result.out) == (1, ""), args
        assert result.err.splitlines() == ["wpq: '': empty path (name a file or a directory ('.'))"]
    assert not (tmp_path / "x.db").exists()
    # '.' still means the current directory, on purpose
    assert "unknown collection 'services'" in run("events", "--data", ".").err


def test_a_directorys_broken_and_looping_links_are_reported(run: Any, tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(FILE.read_text())
    (tmp_path / "gone.yaml").symlink_to("missing.yaml")
    (tmp_path / "loop.yaml").symlink_to("loop.yaml")
    result = run("validate", "--no-bundled", str(tmp_path))
    assert (result.code, result.out) == (1, "")
    assert result.err.splitlines() == [
        f"wpq: {tmp_path / 'gone.yaml'}: broken symbolic link to 'missing.yaml' "
        "(fix or remove the link)",
        f"wpq: {tmp_path / 'loop.yaml'}: symbolic link loop (fix or remove the link)",
    ]


def test_a_named_link_loop_is_reported_as_a_loop(run: Any, tmp_path: Path) -> None:
    loop = tmp_path / "loop.yaml"
    loop.symlink_to("loop.yaml")
    result = run("events", "--data", str(loop))
    assert (result.code, result.out) == (1, "")
    assert result.err == f"wpq: {loop}: symbolic link loop (fix or remove the link)\n"


def test_a_pipe_in_a_data_directory_is_reported_not_read(tmp_path: Path) -> None:
    (tmp_path / "good.yaml").write_text(FILE.read_text())
    os.mkfifo(tmp_path / "pipe.yaml")  # nobody writes to it: reading would wait forever
    done = wpq("validate", "--no-bundled", str(tmp_path), env={"XDG_CACHE_HOME": str(tmp_path)})
    assert (done.returncode, done.stdout) == (1, "")
    assert (
        done.stderr
        == f"wpq: {tmp_path / 'pipe.yaml'}: not a regular file (a data file holds YAML text)\n"
    )


def test_a_relative_xdg_cache_home_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    env = {"XDG_CACHE_HOME": "relative-cache", "HOME": str(home)}
    monkeypatch.setenv("HOME", str(home))
    assert cache.directory(env) == home / ".cache" / "wpq"
    done = wpq("events", "--data", str(MINI_DIR), "--no-bundled", env=env, cwd=work)
    assert done.returncode == 0, done.stderr
    assert list(work.iterdir()) == []  # nothing written where the user happens to be
    assert list((home / ".cache" / "wpq").glob("*.wpqcache"))


@pytest.mark.parametrize("replacement", ["fifo", "dev-zero"])
def test_a_cache_file_that_is_not_a_regular_file_is_ignored(
    tmp_path: Path, replacement: str
) -> None:
    env = {"XDG_CACHE_HOME": str(tmp_path)}
    first = wpq("events", "--data", str(MINI_DIR), "--no-bundled", env=env)
    assert first.returncode == 0, first.stderr
    [cached] = (tmp_path / "wpq").glob("*.wpqcache")
    cached.unlink()
    if replacement == "fifo":
        os.mkfifo(cached)  # opening it for reading would wait for a writer
    else:
        cached.symlink_to("/dev/zero")  # reading it would never end
    again = wpq("events", "--data", str(MINI_DIR), "--no-bundled", env=env)
    assert (again.returncode, again.stdout) == (0, first.stdout)
