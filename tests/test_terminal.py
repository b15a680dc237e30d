"""Every command that draws on a terminal, on a real one: each listing, card and report,
on a pseudo-terminal 60, 80, 120 and 200 columns wide and with ``--wide``, exits as
documented, with no traceback and no line wider than the terminal (``--wide`` may be
wider, but never cuts a cell).

The commands are those the app has, found when the tests are collected: a command added
later is drawn here too, with no arguments unless ``ARGS`` gives it some, or says in
``NOT_DRAWN`` why it draws nothing. Each run is a fork of this process on a new
pseudo-terminal (``pty.fork``, its size set with ``TIOCSWINSZ``), so a run costs wpq's own
work, not a Python start.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import pytest
from conftest import MINI_DIR, WPQ_ENV
from rich.cells import cell_len

import wpq.cli
from wpq.model import COLLECTIONS, Dataset, record_key

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")

WIDTHS = (60, 80, 120, 200)
WIDE = 80  # --wide is drawn on a terminal this wide
# Each command's argument lists, one run each; a command not named here runs without any.
# "{bad}" is a data file with problems; "{show}" a record of each collection (``SHOWN``).
ARGS: dict[str, list[tuple[str, ...]]] = {
    "cite": [("uk-40m-fund-2016", "abu-dhabi-2015"), ("--dataset",)],
    "funding": [
        (),
        ("--by", "recipient"),
        ("--by", "government"),
        ("--chart",),
        ("--donor", "UK", "--in", "USD"),
        ("--with-sources",),
    ],
    "pledges": [(), ("--with-sources",)],
    "search": [("unicef",)],
    "show": [("{show}",)],
    "validate": [(), ("{bad}",)],
}
NOT_DRAWN = {
    "new": "writes a commented YAML template, the same on any terminal",
    "schema": "prints a JSON Schema for editors",
    "export": "writes an SQLite file and says so in one line",
    "cache": "prints its facts as name and value, one a line",
}
ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
# A data file with one problem of each kind validate reports, each with a long message.
BAD = """\
pledges:
  - id: uk-50m-2014
    by: uk-government
    kind: funding
    date: "2014-12"
    summary: The same id as a bundled pledge.
    amount: 1000
    currency: nok
    sources: [weprotect-events]
  - id: my-pledge-with-a-rather-long-identifier-to-report
    by: government-of-a-country-that-is-not-in-the-data
    kind: funding
    date: "2014-13"
    summary: A reference to nothing, and a month that does not exist.
    amount: 1000
    currency: GBP
    sources: [weprotect-events]
"""


def commands() -> list[str]:
    """The name of every command and group the app has, those of other modules too."""
    return sorted(wpq.cli.click_command([]).commands)  # type: ignore[attr-defined]


def runs() -> list[tuple[str, ...]]:
    found = []
    for name in commands():
        if name not in NOT_DRAWN:
            found += [(name, *args) for args in ARGS.get(name, [()])]
    return found


def on_terminals(runs: Sequence[tuple[Sequence[str], int]]) -> list[tuple[int, str]]:
    """Run each ``(ARGS, columns)`` as ``wpq ARGS``, all at once, each in a fork of this
    process whose standard streams are a new pseudo-terminal ``columns`` wide: for each,
    (exit status, what the terminal received, its escapes removed)."""
    import selectors

    started = [_fork(args, columns) for args, columns in runs]
    received: dict[int, list[bytes]] = {fd: [] for _, fd in started}
    with selectors.DefaultSelector() as waiting:
        for _, fd in started:
            waiting.register(fd, selectors.EVENT_READ)
        while waiting.get_map():
            for key, _ in waiting.select():
                try:
                    chunk = os.read(key.fd, 65536)
                except OSError:  # EIO: the child's side is closed
                    chunk = b""
                if chunk:
                    received[key.fd].append(chunk)
                else:
                    waiting.unregister(key.fd)
                    os.close(key.fd)
    results = []
    for pid, fd in started:
        _, status = os.waitpid(pid, 0)
        text = b"".join(received[fd]).decode("utf-8").replace("\r\n", "\n")
        results.append((os.waitstatus_to_exitcode(status), ESCAPES.sub("", text)))
    return results


def _fork(args: Sequence[str], columns: int) -> tuple[int, int]:
    """(process id, the terminal's descriptor) of ``wpq ARGS`` on a new pseudo-terminal."""
    import fcntl
    import pty
    import struct
    import termios

    with warnings.catch_warnings():
        # Python 3.12 warns of fork() in a process with threads; the child runs wpq alone
        warnings.simplefilter("ignore", DeprecationWarning)
        pid, terminal = pty.fork()
    if pid:
        return pid, terminal
    status = 99  # the child: wpq on the terminal, then out, whatever happens
    try:
        fcntl.ioctl(1, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
        for name in ("COLUMNS", "LINES", *WPQ_ENV):
            os.environ.pop(name, None)
        os.environ["TERM"] = "xterm-256color"
        sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        status = wpq.cli.main(list(args))
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        os._exit(status)


def shown(bundled: Dataset, collection: str) -> list[str]:
    """``show``'s arguments for the record of ``collection`` with the most to show (the mini
    data's, when the bundled data has none)."""
    from wpq.loader import load_dataset

    data: list[str] = []
    records = bundled.collection(collection)
    if not records:
        records = load_dataset([MINI_DIR], bundled=False).collection(collection)
        data = ["--data", str(MINI_DIR), "--no-bundled"]
    record = max(records, key=lambda r: (len(json.dumps(str(r))), record_key(collection, r)))
    return [record_key(collection, record), "--collection", collection, *data]


def expand(args: Sequence[str], bad: Path, show: list[str]) -> list[str]:
    out: list[str] = []
    for arg in args:
        out += [str(bad)] if arg == "{bad}" else show if arg == "{show}" else [arg]
    return out


@pytest.fixture(autouse=True)
def warm() -> None:
    """Everything a run imports, imported once here (and the cache written), so that each
    fork only does its own work."""
    global _warm
    if not _warm:
        with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
            for args in (["summary"], ["sources"], ["show", "uk-40m-fund-2016"]):
                wpq.cli.main([*args, "--format", "table", "--color", "always"])
        _warm = True


_warm = False


@pytest.fixture(scope="module")
def bad(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("terminal") / "my-records.yaml"
    path.write_text(BAD, encoding="utf-8")
    return path


def test_every_command_is_drawn_or_says_why_not() -> None:
    assert set(NOT_DRAWN) <= set(commands())  # no reason kept for a command that went
    assert set(ARGS) <= set(commands())
    assert {r[0] for r in runs()} | set(NOT_DRAWN) == set(commands())


def takes_wide(name: str) -> bool:
    command = wpq.cli.click_command([]).commands[name]  # type: ignore[attr-defined]
    return any("--wide" in getattr(p, "opts", ()) for p in command.params)


def check(args: Sequence[str], bad: Path, show: list[str]) -> None:
    argv = expand(args, bad, show)
    expected = 1 if "{bad}" in args else 0  # validate: 1 when a file has problems
    sizes = (*WIDTHS, *([None] if takes_wide(args[0]) else []))
    planned = [([*argv, *(["--wide"] if c is None else [])], c or WIDE) for c in sizes]
    for columns, (status, text) in zip(sizes, on_terminals(planned), strict=True):
        where = f"wpq {' '.join(argv)} at {columns or 'wide'}"
        assert "Traceback" not in text, f"{where}:\n{text}"
        assert status == expected, f"{where}: exit {status}\n{text}"
        assert text.strip(), f"{where}: nothing on the terminal"
        if columns is None:
            assert "…" not in text, f"{where}: a cell cut under --wide\n{text}"
            continue
        # A URL (or a digest) stands whole on a line of its own (it is clicked and copied),
        # however long: one word that no terminal width can split.
        over = [
            line for line in text.splitlines()
            if cell_len(line) > columns and not re.fullmatch(r"\s*\S+", line)
        ]  # fmt: skip
        assert over == [], f"{where}: lines wider than the terminal:\n" + "\n".join(over)


@pytest.mark.parametrize("args", [r for r in runs() if r[0] != "show"], ids=" ".join)
def test_a_command_fits_every_terminal_and_never_traces(
    args: tuple[str, ...], bad: Path, bundled: Dataset
) -> None:
    check(args, bad, [])


@pytest.mark.parametrize("collection", list(COLLECTIONS))
def test_a_card_of_each_collection_fits_every_terminal(
    collection: str, bad: Path, bundled: Dataset
) -> None:
    assert ("show", "{show}") in runs()
    check(("show", "{show}"), bad, shown(bundled, collection))
