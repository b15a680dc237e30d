"""Red team, faults: a full disk, closed descriptors, readers that leave early, signals,
endless and huge inputs, a damaged cache and processes racing for it.

Process-level faults run ``python -m wpq`` under ``wpq_process`` (memory capped, timed out);
the rest run in this process under ``fenced``. Each asserts the contract of ``check``.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from harness import (
    DATA_ERROR,
    INTERRUPTED,
    OK,
    OUTPUT_ERROR,
    ROOT,
    USAGE_ERROR,
    Run,
    check,
    environment,
    fenced,
    run_in_process,
    wpq_process,
)

__all__ = ["fenced"]

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


# ---------------------------------------------------------------- item 4: writing stdout

COMMANDS = [
    ("events",),
    ("funding",),
    ("funding", "--summary"),
    ("countries",),
    ("pledges",),
    ("figures",),
    ("summary",),
    ("timeline",),
    ("show", "uk-40m-fund-2016"),
    ("sources",),
    ("search", "unicef"),
]
FORMATS = ["table", "tsv", "csv", "json", "jsonl", "yaml"]
OTHER = [("schema",), ("cache", "info"), ("--version",)]


class FullDisk(io.StringIO):
    """A stdout on a full disk: every write fails as /dev/full does."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def isatty(self) -> bool:
        return False


@pytest.mark.usefixtures("fenced")
@pytest.mark.parametrize(
    "argv",
    [(*c, "--format", f) for c in COMMANDS for f in FORMATS] + OTHER,
    ids=lambda a: " ".join(a),
)
def test_every_command_and_format_on_a_full_disk(
    argv: tuple[str, ...], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdout", FullDisk())
    run = run_in_process(capsys, *argv)
    check(run, OUTPUT_ERROR, lines=1, fragment="cannot write output: No space left on device")


@pytest.mark.parametrize(
    "argv",
    [("events",), ("show", "uk-40m-fund-2016", "--json"), ("--version",), ("--help",), ()],
    ids=["events", "show", "version", "help", "no-command"],
)
def test_full_disk_and_closed_stdout_as_the_shell_makes_them(
    argv: tuple[str, ...], cache: Path
) -> None:
    with open("/dev/full", "w") as full:
        run = wpq_process(*argv, cache=cache, stdout=full)
    check(run, OUTPUT_ERROR, lines=1, fragment="cannot write output: No space left on device")
    run = wpq_process(*argv, cache=cache, close=[1])  # wpq ... >&-
    check(run, OUTPUT_ERROR, lines=1, fragment="cannot write output:")


@pytest.mark.usefixtures("fenced")
def test_an_export_that_cannot_write_its_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "missing" / "wpq.db"
    run = run_in_process(capsys, "export", "--sqlite", str(target))
    check(run, OUTPUT_ERROR, lines=1, fragment=f"cannot write {target}")
    assert not target.parent.exists()


def test_a_command_that_writes_nothing_to_stdout_needs_none(cache: Path) -> None:
    check(wpq_process("validate", cache=cache, close=[1]), OK, lines=1)


def dead_pipe() -> int:
    """The write end of a pipe whose reader has gone: every write meets EPIPE."""
    read, write = os.pipe()
    os.close(read)
    return write


@pytest.mark.parametrize(
    "argv", [("search", "a", "--json"), ("--help",), ("events", "--help"), ("schema",)]
)
def test_a_reader_gone_early_is_no_failure(argv: tuple[str, ...], cache: Path) -> None:
    """``wpq ... | head -1``: exit 0, nothing on stderr."""
    write = dead_pipe()
    try:
        run = wpq_process(*argv, cache=cache, stdout=write)
    finally:
        os.close(write)
    check(run, OK, lines=0)


def test_head_reads_one_line_of_a_long_output(cache: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "wpq", "search", "a", "--jsonl"],
        env=environment(cache),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    ) as process:
        assert process.stdout and process.stderr
        first = process.stdout.readline()
        process.stdout.close()
        err = process.stderr.read().decode()
        code = process.wait(timeout=30)
    assert first.startswith(b"{")
    check(Run(code, "", err), OK, lines=0)


# ---------------------------------------------------------------- item 9: stderr, codes


def test_a_usage_error_with_stderr_closed_or_full_still_exits_2(cache: Path) -> None:
    check(wpq_process("events", "--bogus", cache=cache, close=[2]), USAGE_ERROR)
    with open("/dev/full", "w") as full:
        code = subprocess.run(
            [sys.executable, "-m", "wpq", "events", "--bogus"],
            env=environment(cache),
            stderr=full,
            stdout=subprocess.PIPE,
            check=False,
            cwd=ROOT,
        ).returncode
    assert code == USAGE_ERROR


def test_a_data_error_with_stderr_closed_exits_1_and_output_is_whole(cache: Path) -> None:
    check(wpq_process("events", "--data", "nope.yaml", cache=cache, close=[2]), DATA_ERROR)
    whole = wpq_process("events", "--json", cache=cache)
    assert wpq_process("events", "--json", cache=cache, close=[2]).out == whole.out


@pytest.mark.usefixtures("fenced")
def test_an_unreadable_file_is_a_data_error_by_either_route(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--data`` and ``WPQ_DATA`` name it alike: exit 1, one ``path: cannot read`` line.

    Running as root, no permission stops a read, so refusal is simulated at both layers
    that ask: Click's readability check (``os.access``) and the loader's ``open``.
    """
    from wpq.load import text as textfile

    path = tmp_path / "secret.yaml"
    path.write_text("sources: []\n")
    if os.geteuid() == 0:
        real_access, real_open = os.access, open

        def access(name: object, mode: int, **kwargs: object) -> bool:
            return str(name) != str(path) and real_access(name, mode)  # type: ignore[arg-type]

        def refuse(name: object, *args: object, **kwargs: object) -> object:
            if str(name) == str(path):
                raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
            return real_open(name, *args, **kwargs)  # type: ignore[call-overload]

        monkeypatch.setattr(os, "access", access)
        monkeypatch.setattr(textfile, "open", refuse, raising=False)
    else:
        path.chmod(0)
    expected = f"wpq: {path}: cannot read: {os.strerror(errno.EACCES)}\n"
    by_option = run_in_process(capsys, "events", "--data", str(path))
    check(by_option, DATA_ERROR, lines=1)
    assert by_option.err == expected
    monkeypatch.setenv("WPQ_DATA", str(path))
    by_variable = run_in_process(capsys, "events")
    assert by_variable == by_option
    check(run_in_process(capsys, "validate", str(path)), DATA_ERROR, lines=1)


# ---------------------------------------------------------------- item 2: endless input


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_an_endless_device_ends_at_once(device: str, cache: Path) -> None:
    start = time.monotonic()
    run = wpq_process("validate", device, cache=cache, timeout=20)
    check(run, DATA_ERROR, lines=1, fragment=device)
    assert time.monotonic() - start < 10


def feed(fifo: Path, chunk: bytes, stop: threading.Event) -> threading.Thread:
    """A writer that keeps ``fifo`` open and sends ``chunk`` until ``stop`` or the reader
    leaves."""

    def write() -> None:
        try:
            with open(fifo, "wb", buffering=0) as pipe:
                while not stop.is_set():
                    pipe.write(chunk)
                    time.sleep(0.01)
        except (BrokenPipeError, OSError):
            pass

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[tuple[Path, threading.Event]]:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    stop = threading.Event()
    yield path, stop
    stop.set()
    with pytest.MonkeyPatch.context():  # unblock a writer still waiting for a reader
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
            os.close(fd)
        except OSError:
            pass


def test_an_endless_pipe_stops_at_the_limit(
    fifo: tuple[Path, threading.Event], cache: Path
) -> None:
    path, stop = fifo
    thread = feed(path, b"a: b\n" * 20_000, stop)
    run = wpq_process("validate", str(path), cache=cache, env={"WPQ_MAX_FILE_MB": "1"}, timeout=30)
    stop.set()
    thread.join(5)
    check(run, DATA_ERROR, lines=1, fragment="more than 1 MB")


@pytest.mark.parametrize(
    ("signum", "expected"), [(signal.SIGINT, INTERRUPTED), (signal.SIGTERM, -signal.SIGTERM)]
)
def test_a_signal_during_a_read_ends_it_at_once(
    signum: int, expected: int, fifo: tuple[Path, threading.Event], cache: Path
) -> None:
    path, stop = fifo
    thread = feed(path, b"# more to come\n", stop)
    with subprocess.Popen(
        [sys.executable, "-m", "wpq", "validate", str(path)],
        env=environment(cache),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    ) as process:
        time.sleep(1.0)  # reading by now: the writer never ends the file
        assert process.poll() is None
        sent = time.monotonic()
        process.send_signal(signum)
        out, err = process.communicate(timeout=10)
        waited = time.monotonic() - sent
    stop.set()
    thread.join(5)
    assert waited < 3
    run = Run(process.returncode, out.decode(), err.decode())
    check(run, expected, lines=1 if signum == signal.SIGINT else 0)
    if signum == signal.SIGINT:
        assert run.err == "wpq: interrupted\n"


@pytest.fixture(scope="module")
def big_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20,000 valid pledges (about 6 MB), from the benchmark's generator."""
    folder = tmp_path_factory.mktemp("big")
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--pledges", "20000",
         "--out", str(folder)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return folder / "pledges-20000.yaml"


def peak_rss(*args: str, cache: Path) -> tuple[int, int]:
    """(exit status, peak resident memory in bytes) of ``wpq ARGS``, uncached."""
    from harness import capped

    process = subprocess.Popen(
        [sys.executable, "-m", "wpq", *args],
        env={**environment(cache), "WPQ_NO_CACHE": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=capped(),
        cwd=ROOT,
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return process.returncode, usage.ru_maxrss * 1024


def test_memory_stays_a_small_multiple_of_the_file(big_file: Path, cache: Path) -> None:
    """Building values from events, not a node tree: a load needs ~10x the file, not ~30x."""
    size = big_file.stat().st_size
    code, base = peak_rss("validate", "--no-bundled", str(MINI), cache=cache)
    assert code == OK
    code, peak = peak_rss("validate", "--no-bundled", str(big_file), cache=cache)
    assert code == OK
    assert peak - base < 15 * size, f"{(peak - base) / size:.1f} times the file's size"


def test_an_interrupted_parse_ends_at_once(big_file: Path, cache: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "wpq", "validate", str(big_file)],
        env={**environment(cache), "WPQ_NO_CACHE": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    ) as process:
        time.sleep(0.5)
        if process.poll() is not None:
            pytest.skip("the machine loaded 6 MB in under 0.5 s: nothing left to interrupt")
        sent = time.monotonic()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
        assert time.monotonic() - sent < 2
    check(Run(process.returncode, out.decode(), err.decode()), INTERRUPTED, lines=1)


def test_a_small_pipe_is_read_like_a_file(cache: Path) -> None:
    text = (MINI / "sources.yaml").read_bytes()
    via_file = wpq_process("sources", "--data", str(MINI / "sources.yaml"), "--no-bundled",
                           "--json", cache=cache)  # fmt: skip
    via_pipe = subprocess.run(
        [sys.executable, "-m", "wpq", "sources", "--data", "/dev/stdin", "--no-bundled",
         "--json", "--no-cache"],
        input=text, env=environment(cache), capture_output=True, check=False, cwd=ROOT,
    )  # fmt: skip
    check(via_file, OK, lines=0, out=True)
    assert (via_pipe.returncode, via_pipe.stdout.decode()) == (OK, via_file.out)


# ---------------------------------------------------------------- the cache, damaged


def cache_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def flip(path: Path, every: int) -> None:
    data = bytearray(path.read_bytes())
    for i in range(len(data) // 2 % max(every, 1), len(data), every):
        data[i] ^= 0x55
    path.write_bytes(bytes(data))


DAMAGE: dict[str, Callable[[Path], None]] = {
    "emptied": lambda p: p.write_bytes(b""),
    "halved": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "one-byte-flipped": lambda p: flip(p, 10**9),
    "many-bytes-flipped": lambda p: flip(p, 97),
    "garbage-appended": lambda p: p.write_bytes(p.read_bytes() + os.urandom(100)),
    "random-bytes": lambda p: p.write_bytes(os.urandom(p.stat().st_size)),
    "made-a-directory": lambda p: (p.unlink(), p.mkdir()),
    "dangling-link": lambda p: (p.unlink(), p.symlink_to(p.parent / "gone")),
    "unreadable": lambda p: p.chmod(0),
}


@pytest.fixture
def user_data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(MINI, folder)
    return folder


@pytest.mark.usefixtures("fenced")
@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_cache_gives_the_same_answer(
    damage: str,
    user_data: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    argv = ("funding", "--data", str(user_data), "--no-bundled", "--summary", "--json")
    truth = run_in_process(capsys, *argv, "--no-cache")
    check(truth, OK, lines=0, out=True)
    assert run_in_process(capsys, *argv) == truth  # fills the cache
    damaged = cache_files(cache)
    assert damaged, "the query left no cache file to damage"
    for path in damaged:
        DAMAGE[damage](path)
    assert run_in_process(capsys, *argv) == truth
    assert run_in_process(capsys, *argv) == truth  # and again, after any repair


@pytest.mark.usefixtures("fenced")
def test_another_datasets_cache_file_is_not_taken(
    user_data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    mine = ("funding", "--data", str(user_data), "--no-bundled", "--summary", "--json")
    truth = run_in_process(capsys, *mine, "--no-cache")
    run_in_process(capsys, *mine)
    [own] = cache_files(cache)
    run_in_process(capsys, "funding", "--summary", "--json")  # the bundled data's file
    [other] = [p for p in cache_files(cache) if p != own]
    shutil.copyfile(other, own)
    assert run_in_process(capsys, *mine) == truth


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_a_cache_file_that_is_not_a_file(kind: str, user_data: Path, cache: Path) -> None:
    argv = ("funding", "--data", str(user_data), "--no-bundled", "--summary", "--json")
    truth = wpq_process(*argv, cache=cache)
    for path in cache_files(cache):
        path.unlink()
        if kind == "fifo":
            os.mkfifo(path)
        else:
            path.symlink_to("/dev/zero")
    assert wpq_process(*argv, cache=cache, timeout=3) == truth


# ---------------------------------------------------------------- racing processes


@pytest.mark.parametrize("data", ["bundled", "user"])
def test_concurrent_runs_on_a_cold_cache_agree(data: str, user_data: Path, cache: Path) -> None:
    argv = ["funding", "--summary", "--json"]
    if data == "user":
        argv += ["--data", str(user_data), "--no-bundled"]
    truth = wpq_process(*argv, cache=cache, env={"WPQ_NO_CACHE": "1"})
    check(truth, OK, lines=0, out=True)
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "wpq", *argv],
            env=environment(cache),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=ROOT,
        )
        for _ in range(8)
    ]
    for process in processes:
        out, err = process.communicate(timeout=60)
        assert Run(process.returncode, out.decode(), err.decode()) == truth
    assert not [p for p in cache.rglob("*") if p.name.endswith(".tmp")]
    assert wpq_process(*argv, cache=cache) == truth


def test_the_readme_documents_every_exit_status() -> None:
    """The codes the harness expects are wpq's, and the README's table lists each once."""
    from wpq.errors import ExitStatus

    assert {OK, DATA_ERROR, USAGE_ERROR, OUTPUT_ERROR, INTERRUPTED} <= set(ExitStatus)
    readme = (ROOT / "README.md").read_text()
    table = readme.split("## Exit codes", 1)[1].split("\n\n", 2)[1]
    codes = [int(line.split("|")[1]) for line in table.splitlines()[2:]]
    assert codes == sorted(ExitStatus)
