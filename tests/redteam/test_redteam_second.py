"""Red team, second round: a stdout that cannot hold Unicode (item 3), memory (item 4),
controls and formulas in every text format (item 5), settings warm and cold (item 7) and
the small ones (item 10). Items 1, 2 and 6 have files of their own (``writes``, ``cache``);
item 8's data files are in ``tests/bad/`` (90-98), which ``hostile.py`` runs too.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from harness import (
    DATA_ERROR,
    INTERRUPTED,
    OK,
    ROOT,
    UNPRINTABLE,
    USAGE_ERROR,
    Run,
    check,
    environment,
    fenced,
    run_in_process,
    wpq_process,
)

__all__ = ["fenced"]
pytestmark = pytest.mark.usefixtures("fenced")

FORMATS = ["table", "tsv", "csv", "json", "jsonl", "yaml"]
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\u202eevil\u200b"


def data_file(tmp_path: Path, *titles: str) -> Path:
    """A valid file of sources titled ``titles`` (quoted as JSON, which YAML reads)."""
    rows = "".join(
        f"  - {{id: src-{i}, title: {json.dumps(t)}, publisher: P}}\n" for i, t in enumerate(titles)
    )
    path = tmp_path / "titles.yaml"
    path.write_text("sources:\n" + rows)
    return path


# ---------------------------------------------------------------- item 3: stdout encodings


def run_with_stdout(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, encoding: str, *argv: str
) -> tuple[Run, bytes]:
    """``wpq ARGV`` in this process with a stdout of ``encoding`` (``PYTHONIOENCODING``)."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding, write_through=True)
    monkeypatch.setattr(sys, "stdout", stream)
    run = run_in_process(capsys, *argv)
    monkeypatch.undo()
    return run, raw.getvalue()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
def test_a_stdout_that_cannot_hold_unicode_never_traces(
    fmt: str,
    encoding: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    argv = ("show", "uk-40m-fund-2016", "--format", fmt)  # £ and curly quotes
    run, out = run_with_stdout(capsys, monkeypatch, encoding, *argv)
    check(run, OK, lines=0)
    text = out.decode(encoding)
    assert "uk-40m-fund-2016" in text
    truth = run_in_process(capsys, *argv).out
    if fmt == "json":  # valid JSON that means the same
        assert json.loads(text) == json.loads(truth)
    elif fmt == "yaml":
        assert yaml.safe_load(text) == yaml.safe_load(truth)
    elif fmt == "jsonl":
        assert [json.loads(line) for line in text.splitlines()] == [
            json.loads(line) for line in truth.splitlines()
        ]


def test_pythonioencoding_ascii_as_the_shell_sets_it(tmp_path: Path) -> None:
    for fmt in ("json", "tsv"):
        run = wpq_process(
            "show", "uk-40m-fund-2016", "--format", fmt, cache=tmp_path,
            env={"PYTHONIOENCODING": "ascii"},
        )  # fmt: skip
        check(run, OK, lines=0, out=True)
        assert run.out.isascii()


# ---------------------------------------------------------------- item 4: memory


def test_a_file_of_more_records_than_the_limit_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """One mapping per 100 bytes of the size limit: 0.01 MB allows 100."""
    monkeypatch.setenv("WPQ_MAX_FILE_MB", "0.01")
    path = tmp_path / "many.yaml"
    path.write_text("sources:\n" + "".join(f"  - {{id: s{i}, title: T, publisher: P}}\n"
                                           for i in range(150)))  # fmt: skip
    assert path.stat().st_size < 10_000
    run = run_in_process(capsys, "validate", "--no-bundled", str(path))
    check(run, DATA_ERROR, lines=1, fragment="more than 100 records and entries")


def test_running_out_of_memory_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from wpq.load import records

    def exhausted(*args: object, **kwargs: object) -> None:
        raise MemoryError

    monkeypatch.setattr(records, "read_records", exhausted)
    run = run_in_process(capsys, "funding", "--no-cache")
    check(run, DATA_ERROR, lines=1, fragment="out of memory")


# ---------------------------------------------------------------- item 5: every text format


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_format_writes_a_control_character_raw(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_file(tmp_path, HOSTILE)
    run = run_in_process(capsys, "sources", "--data", str(path), "--no-bundled", "--format", fmt)
    check(run, OK, lines=0, out=True)
    assert not UNPRINTABLE.search(run.out.replace("\t", "").replace("\n", "").replace("\r", ""))


@pytest.mark.parametrize("fmt", ["tsv", "csv"])
def test_tsv_and_csv_neutralise_formulas(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    formulas = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"]
    path = data_file(tmp_path, *formulas)
    run = run_in_process(capsys, "sources", "--data", str(path), "--no-bundled",
                         "--format", fmt, "--fields", "title", "--no-headers")  # fmt: skip
    check(run, OK, lines=0)
    cells = (
        [row[0] for row in csv.reader(io.StringIO(run.out))]
        if fmt == "csv"
        else run.out.splitlines()
    )
    assert sorted(cells) == sorted("'" + f for f in formulas)


# ---------------------------------------------------------------- item 7: settings


@pytest.mark.parametrize("value", ["abc", "0", "-1", "nan", ""])
def test_a_bad_size_limit_is_a_usage_error_warm_as_cold(
    value: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    check(run_in_process(capsys, "events"), OK, lines=0)  # the cache is warm now
    monkeypatch.setenv("WPQ_MAX_FILE_MB", value)
    if value == "":  # unset, in effect: the default
        check(run_in_process(capsys, "events"), OK, lines=0)
        return
    for cache in ((), ("--no-cache",)):
        check(run_in_process(capsys, "events", *cache), USAGE_ERROR, lines=1,
              fragment="WPQ_MAX_FILE_MB")  # fmt: skip


@pytest.mark.parametrize(
    ("value", "cached"),
    [("false", True), ("no", True), ("0", True), ("off", True), ("FALSE", True),
     ("1", False), ("true", False), ("yes", False), ("on", False)],
)  # fmt: skip
def test_wpq_no_cache_reads_the_usual_words(
    value: str,
    cached: bool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setenv("WPQ_NO_CACHE", value)
    check(run_in_process(capsys, "events"), OK, lines=0)
    assert bool(list(tmp_path.rglob("*.wpqcache"))) is cached


def test_a_no_cache_word_wpq_cannot_read_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WPQ_NO_CACHE", "sometimes")
    check(run_in_process(capsys, "events"), USAGE_ERROR, lines=1, fragment="WPQ_NO_CACHE")


@pytest.mark.parametrize(
    ("argv", "code"),
    [(("events", "--bogus"), USAGE_ERROR), (("funding", "--donor", "Narnia"), USAGE_ERROR),
     (("events", "--data", "missing.yaml"), DATA_ERROR)],
)  # fmt: skip
def test_wpq_debug_never_changes_an_exit_code(
    argv: tuple[str, ...], code: int, tmp_path: Path
) -> None:
    quiet = wpq_process(*argv, cache=tmp_path)
    loud = wpq_process(*argv, cache=tmp_path, env={"WPQ_DEBUG": "1"})
    assert quiet.code == loud.code == code
    assert "Traceback" in loud.err and "Traceback" not in quiet.err


# ---------------------------------------------------------------- item 10: the small ones


def test_ctrl_c_before_wpqs_own_handler_is_one_line_and_130(tmp_path: Path) -> None:
    """The console script imports ``wpq.__main__`` first: from its first lines on, Ctrl-C
    ends wpq with its message, never a traceback (the command line is not even imported)."""
    code = (
        "import os, signal, sys, time; sys.argv = ['wpq']; import wpq.__main__; "
        "assert 'wpq.cli' not in sys.modules and 'typer' not in sys.modules; "
        "os.kill(os.getpid(), signal.SIGINT); time.sleep(10)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=30,
                          env=environment(tmp_path), cwd=ROOT)  # fmt: skip
    assert (done.returncode, done.stderr) == (INTERRUPTED, b"wpq: interrupted\n")


def test_a_named_pipe_with_no_writer_says_so_on_a_terminal(tmp_path: Path) -> None:
    pipe = tmp_path / "p.yaml"
    os.mkfifo(pipe)
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "wpq", "events", "--data", str(pipe), "--json"],
        env={**environment(tmp_path / "cache"), "TERM": "dumb"},
        stdout=subprocess.PIPE, stderr=follower, cwd=ROOT,
    )  # fmt: skip
    os.close(follower)
    seen = b""
    deadline = time.monotonic() + 15
    try:
        while b"waiting for a writer" not in seen and time.monotonic() < deadline:
            try:
                seen += os.read(leader, 4096)
            except OSError:
                break
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)
        os.close(leader)
    assert f"wpq: waiting for a writer on {pipe}".encode() in seen
    assert process.returncode == INTERRUPTED


def test_waiting_is_said_only_after_a_second_and_only_when_it_waits(tmp_path: Path) -> None:
    from wpq.load import text

    pipe = tmp_path / "p.yaml"
    os.mkfifo(pipe)
    heard: list[str] = []

    def write_later() -> None:
        time.sleep(0.3)
        with open(pipe, "w") as writer:
            writer.write("sources: []\n")

    threading.Thread(target=write_later, daemon=True).start()
    assert text.read_text(pipe, heard.append) == "sources: []\n"
    assert heard == []  # the writer came within the second


@pytest.mark.parametrize("value", ["0o17", "y", "N", "1e3", "08", ".5"])
def test_yaml_output_quotes_what_another_reader_takes_for_a_number_or_boolean(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = data_file(tmp_path, value)
    run = run_in_process(capsys, "sources", "--data", str(path), "--no-bundled",
                         "--format", "yaml", "--fields", "title")  # fmt: skip
    check(run, OK, lines=0)
    assert run.out in (f"- title: '{value}'\n", f'- title: "{value}"\n')
    assert yaml.safe_load(run.out) == [{"title": value}]


def test_a_missing_chain_of_two_data_rates_is_said_as_such(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "rates.yaml"
    path.write_text(
        "sources:\n  - {id: src, title: T, publisher: P}\n"
        "organisations:\n  - {id: org, name: Org, kind: ngo}\n"
        "rates:\n"
        "  - {id: xof-per-eur-2015, currency: XOF, per: EUR, year: 2015, rate: 655.957,"
        " sources: [src]}\n"
        "  - {id: kmf-per-usd-2015, currency: KMF, per: USD, year: 2015, rate: 443.3,"
        " sources: [src]}\n"
        "pledges:\n  - {id: p1, by: org, kind: funding, date: '2015', summary: S,"
        " amount: 1000, currency: XOF, sources: [src]}\n"
    )
    run = run_in_process(capsys, "funding", "--data", str(path), "--no-bundled", "--in", "KMF")
    check(run, USAGE_ERROR, lines=1, fragment="two of the data's rates for 2015")
    assert "2015 only" not in run.err


def test_an_invisible_character_is_never_echoed_raw(capsys: pytest.CaptureFixture[str]) -> None:
    run = run_in_process(capsys, "funding", "--to", "UK\u200b")
    check(run, USAGE_ERROR, lines=1, fragment="\\u200b")
