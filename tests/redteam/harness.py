"""How the red team runs wpq, and the contract every run must keep.

Every run is fenced, so that a regression fails a test instead of taking the machine down:
in a subprocess under an address-space limit and a timeout (``wpq_process``), or in this
process under a lowered address-space limit and an alarm (the ``fenced`` fixture).

The contract (``check``): no traceback; every stderr line a ``wpq: `` message with no raw
control or bidirectional character; the documented exit code; on an error, nothing on stdout.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
MEMORY_CAP = 1 << 30  # 1 GiB of address space: ten times what loading the bundled data needs
# What no stderr line may hold raw: C0/C1 controls but the line break, separators, bidi
# marks, and the invisible characters that make two names look alike (U+200B, U+2060, BOM).
UNPRINTABLE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060\u2066-\u2069\ufeff]"
)
# Exit codes (README "Exit codes").
OK, DATA_ERROR, USAGE_ERROR, NO_MATCH, OUTPUT_ERROR, INTERRUPTED = 0, 1, 2, 4, 74, 130


class Run(NamedTuple):
    code: int
    out: str
    err: str


def check(
    run: Run, code: int, *, lines: int | None = None, fragment: str = "", out: bool | None = None
) -> None:
    """``run`` kept the contract, ended with ``code`` and, if given, ``lines`` stderr lines
    of which one holds ``fragment``. ``out``: whether stdout must hold something (on an
    error it must be empty)."""
    assert "Traceback" not in run.err, run.err
    assert run.code == code, f"exit {run.code}, expected {code}; stderr: {run.err!r}"
    err_lines = run.err.splitlines()
    for line in err_lines:
        assert line.startswith("wpq: "), f"not a wpq message: {line!r}"
        assert not UNPRINTABLE.search(line), f"raw control character on stderr: {line!r}"
    if lines is not None:
        assert len(err_lines) == lines, err_lines
    if fragment:
        assert any(fragment in line for line in err_lines), (fragment, err_lines)
    if code not in (OK, NO_MATCH):
        assert run.out == "", f"output beside an error: {run.out[:200]!r}"
    if out is not None:
        assert bool(run.out) is out, run.out[:200]


def environment(cache: Path, **extra: str) -> dict[str, str]:
    """The child's environment: none of the caller's WPQ_ settings, a private cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WPQ_")}
    for name in ("NO_COLOR", "FORCE_COLOR"):
        env.pop(name, None)
    return {**env, "XDG_CACHE_HOME": str(cache), "COLUMNS": "100", **extra}


def capped(close: Sequence[int] = ()) -> Callable[[], None]:
    """A subprocess ``preexec_fn``: memory capped, no core file, ``close`` descriptors shut."""

    def preexec() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        for fd in close:
            os.close(fd)

    return preexec


def wpq_process(
    *args: str,
    cache: Path,
    env: dict[str, str] | None = None,
    stdin: Any = subprocess.DEVNULL,
    stdout: Any = subprocess.PIPE,
    close: Sequence[int] = (),
    timeout: float = 30,
) -> Run:
    """``wpq ARGS`` as a user's shell runs it: ``python -m wpq``, capped; stdout as given
    (a pipe by default), closed descriptors as ``close`` says."""
    result = subprocess.run(
        [sys.executable, "-m", "wpq", *args],
        env={**environment(cache), **(env or {})},
        stdin=stdin,
        stdout=stdout,
        stderr=subprocess.DEVNULL if 2 in close else subprocess.PIPE,
        preexec_fn=capped(close),
        timeout=timeout,
        check=False,
        cwd=ROOT,
    )
    decode = lambda b: b.decode("utf-8", "replace") if isinstance(b, bytes) else ""  # noqa: E731
    return Run(result.returncode, decode(result.stdout), decode(result.stderr))


class Deadline(Exception):
    """An in-process run took longer than its test allows."""


@pytest.fixture
def fenced() -> Iterator[None]:
    """This process's address space capped at what it uses now plus ``MEMORY_CAP``, and an
    alarm after 60 s, for the duration of one test."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = _address_space() + MEMORY_CAP
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)

    def alarm(signum: int, frame: Any) -> None:
        raise Deadline("an in-process wpq run took over 60 s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, 60)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _address_space() -> int:
    """This process's virtual memory size in bytes (Linux), or 2 GiB where unknown."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 2 << 30


def run_in_process(capsys: pytest.CaptureFixture[str], *args: str) -> Run:
    """``wpq ARGS`` through ``wpq.cli.main`` in this process; SIGINT's handler restored."""
    from wpq.cli import main

    previous = signal.getsignal(signal.SIGINT)
    capsys.readouterr()
    try:
        code = main(list(args))
    finally:
        signal.signal(signal.SIGINT, previous)
    out, err = capsys.readouterr()
    return Run(code, out, err)
