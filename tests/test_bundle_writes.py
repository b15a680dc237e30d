"""Tests of ``wpq export --bundle`` as a command: a bundle of user data alone, one of
``--sqlite`` or ``--bundle``, the rule that a bundle writes only the files it owns (never
through a link, nothing when refused), and that the export never imports datasette or
frictionless (test dependencies only).
"""

from __future__ import annotations

import ast
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI, Result

Run = Callable[..., Result]


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the command


def test_the_command_writes_a_bundle_of_user_data_alone(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "mine"
    result = run("export", "--bundle", str(target), *MINI)
    assert (result.code, result.out) == (0, "")
    assert len(result.err.splitlines()) == 1 and str(target) in result.err
    package = load_json(target / "datapackage.json")
    assert "licenses" not in package and "version" not in package
    metadata = load_json(target / "metadata.json")
    assert "license" not in metadata
    with sqlite3.connect(target / "wpq.db") as db:
        contents = dict(db.execute("select key, value from metadata").fetchall())
    assert contents["contents"] == "user data" and "licence" not in contents


@pytest.mark.parametrize("given", [(), ("--sqlite", "x.db", "--bundle", "y")])
def test_export_writes_one_of_sqlite_or_bundle(run: Run, given: tuple[str, ...]) -> None:
    result = run("export", *given, *MINI)
    assert (result.code, result.out) == (2, "")
    assert result.err.startswith("wpq: export writes --sqlite FILE or --bundle DIR")
    assert len(result.err.splitlines()) == 1


# ---------------------------------------------------------------- what a bundle may write


def snapshot(directory: Path) -> dict[str, tuple[bytes, int]]:
    """Every file and link under ``directory``: its bytes (a link: its target) and mtime."""
    found = {}
    for path in sorted(directory.rglob("*")):
        if path.is_symlink():
            found[str(path)] = (os.readlink(path).encode(), 0)
        elif path.is_file():
            found[str(path)] = (path.read_bytes(), path.stat().st_mtime_ns)
    return found


def test_a_second_bundle_needs_force_and_replaces_only_its_own_files(
    run: Run, tmp_path: Path
) -> None:
    target = tmp_path / "b"
    assert run("export", "--bundle", str(target), *MINI).code == 0
    (target / "notes.txt").write_text("mine")
    (target / "data" / "extra.csv").write_text("a,b\n")
    before = snapshot(target)
    again = run("export", "--bundle", str(target), *MINI)
    assert (again.code, again.out) == (2, "")
    assert again.err.splitlines() == [
        f"wpq: {target / 'wpq.db'} already exists; use --force to replace the bundle's own files"
    ]
    assert snapshot(target) == before  # nothing written, no temporary file left
    assert run("export", "--bundle", str(target), "--force", *MINI).code == 0
    after = snapshot(target)
    assert set(after) == set(before)
    for name in ("notes.txt", "data/extra.csv"):
        assert after[str(target / name)] == before[str(target / name)]


def test_a_refused_bundle_makes_nothing(run: Run, tmp_path: Path) -> None:
    """Every target is checked first: a file of the user's called wpq.db stops the bundle
    before its data folder is made."""
    (tmp_path / "wpq.db").write_text("the user's own")
    result = run("export", "--bundle", str(tmp_path), *MINI)
    assert result.code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wpq.db"]
    assert (tmp_path / "wpq.db").read_text() == "the user's own"


@pytest.mark.parametrize("force", [False, True])
def test_a_link_among_the_bundles_files_is_never_written_through(
    run: Run, tmp_path: Path, force: bool
) -> None:
    target = tmp_path / "b"
    (target / "data").mkdir(parents=True)
    victim = tmp_path / "victim.csv"
    victim.write_text("precious")
    (target / "data" / "pledges.csv").symlink_to(victim)
    before = snapshot(tmp_path)
    result = run("export", "--bundle", str(target), *(["--force"] if force else []), *MINI)
    assert (result.code, result.out) == (2, "")
    assert "symbolic link" in result.err and len(result.err.splitlines()) == 1
    assert snapshot(tmp_path) == before


def as_link(folder: Path) -> Path:
    (folder / "real").mkdir()
    (folder / "b").symlink_to(folder / "real")
    return folder / "b"


def as_file(folder: Path) -> Path:
    (folder / "b").write_text("a file")
    return folder / "b"


def data_as_file(folder: Path) -> Path:
    (folder / "b").mkdir()
    (folder / "b" / "data").write_text("a file")
    return folder / "b"


def data_as_link(folder: Path) -> Path:
    (folder / "b" / "real").mkdir(parents=True)
    (folder / "b" / "data").symlink_to(folder / "b" / "real")
    return folder / "b"


@pytest.mark.parametrize("make", [as_link, as_file, data_as_file, data_as_link])
def test_a_bundle_goes_into_a_directory_never_through_a_link(
    run: Run, tmp_path: Path, make: Callable[[Path], Path]
) -> None:
    target = make(tmp_path)
    before = snapshot(tmp_path)
    result = run("export", "--bundle", str(target), "--force", *MINI)
    assert (result.code, result.out) == (2, "")
    assert len(result.err.splitlines()) == 1
    assert snapshot(tmp_path) == before


def test_a_bundle_in_a_missing_folder_is_an_output_error(run: Run, tmp_path: Path) -> None:
    result = run("export", "--bundle", str(tmp_path / "no" / "b"), *MINI)
    assert (result.code, result.out) == (74, "")
    assert len(result.err.splitlines()) == 1
    assert not (tmp_path / "no").exists()


# ---------------------------------------------------------------- what the code imports


def test_the_export_never_imports_datasette_or_frictionless(tmp_path: Path) -> None:
    folder = Path(__file__).resolve().parent.parent / "wpq" / "export"
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            assert not {n.split(".")[0] for n in names} & {"datasette", "frictionless"}, path
    code = (
        "import sys; from wpq.cli import main; "
        f"code = main(['export', '--bundle', {str(tmp_path / 'b')!r}, *{list(MINI)!r}]); "
        "assert code == 0; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('datasette', 'frictionless')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout) == (0, "[]\n"), done.stderr
