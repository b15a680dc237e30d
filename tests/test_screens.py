"""What a person sees: whole screens at 80 columns compared with ``tests/screens/*.txt``,
and the same tables on a real pseudo-terminal.

The screens are wpq's real output (a subprocess, ``--format table --color never``,
``COLUMNS=80``). After changing the layout on purpose, regenerate them and read the diff:
``python tests/test_screens.py --update``.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

ROOT = Path(__file__).resolve().parent.parent
SCREENS = ROOT / "tests" / "screens"
WIDTH = 80
EXPECTED = {
    "events": ("events",),
    "funding-donor-uk": ("funding", "--donor", "UK"),
    "countries-programme-unicef": ("countries", "--programme", "unicef"),
    "show-uk-40m-fund-2016": ("show", "uk-40m-fund-2016"),
    "organisations-role-donor": ("organisations", "--role", "donor"),
    "programmes": ("programmes",),
    "figures-about-internet": ("figures", "--about", "internet"),
    "timeline-2015": ("timeline", "--year", "2015"),
    "pledges-event-london-2014": ("pledges", "--event", "london-2014"),
    "events-2015-wide": ("events", "--year", "2015", "--wide"),
}


def environment(**extra: str) -> dict[str, str]:
    """The caller's environment without what changes wpq's output."""
    drop = ("WPQ_", "COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR", "TERM")
    env = {k: v for k, v in os.environ.items() if not k.startswith(drop)}
    return {**env, **extra}


def screen(args: tuple[str, ...]) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "wpq", *args, "--format", "table", "--color", "never"],
        capture_output=True,
        text=True,
        env=environment(COLUMNS=str(WIDTH)),
        cwd=ROOT,
        check=False,
    )
    assert (result.returncode, result.stderr) == (0, ""), args
    return result.stdout


@pytest.mark.parametrize("name", EXPECTED)
def test_screen_at_80_columns(name: str) -> None:
    expected = (SCREENS / f"{name}.txt").read_text(encoding="utf-8")
    assert screen(EXPECTED[name]) == expected


# ---------------------------------------------------------------- a real terminal

ESCAPES = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def on_a_terminal(*args: str, columns: int = WIDTH) -> tuple[int, str]:
    """Run wpq with stdout and stderr on a pseudo-terminal ``columns`` wide: (status, text
    as the terminal received it, escapes removed)."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "wpq", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=environment(TERM="xterm-256color"),
        cwd=ROOT,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # EIO: the other side is closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    status = process.wait(timeout=60)
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return status, ESCAPES.sub("", text)


TERMINAL_LISTINGS = {
    "events": ("events",),
    "funding": ("funding",),
    "pledges": ("pledges",),
    "countries": ("countries", "--programme", "unicef"),
}


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("name", TERMINAL_LISTINGS)
def test_on_an_80_column_terminal_a_row_takes_a_line_and_ids_stay_whole(name: str) -> None:
    args = TERMINAL_LISTINGS[name]
    status, text = on_a_terminal(*args)
    assert status == 0
    lines = text.splitlines()
    screen_lines = sum(max(1, math.ceil(cell_len(line) / WIDTH)) for line in lines)
    rows = json.loads(subprocess.run(
        [sys.executable, "-m", "wpq", *args, "--json"],
        capture_output=True, text=True, env=environment(), cwd=ROOT, check=True,
    ).stdout)  # fmt: skip
    assert screen_lines / len(rows) <= 2
    key = "code" if name == "countries" else "id"
    tokens = {token for line in lines for token in line.split()}
    assert [row[key] for row in rows if row[key] not in tokens] == []


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_on_a_terminal_an_empty_result_is_one_line_on_stderr() -> None:
    assert on_a_terminal("events", "--year", "1900") == (0, "wpq: nothing matches\n")
    assert on_a_terminal("events", "--year", "1900", "-e") == (4, "wpq: nothing matches\n")


if __name__ == "__main__" and sys.argv[1:] == ["--update"]:
    SCREENS.mkdir(exist_ok=True)
    for screen_name, screen_args in EXPECTED.items():
        (SCREENS / f"{screen_name}.txt").write_text(screen(screen_args), encoding="utf-8")
        print(f"wrote tests/screens/{screen_name}.txt")
