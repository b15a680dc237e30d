"""Red team, hostile files: every case of ``hostile.py`` through ``validate`` and a query,
then the attacks whose harm was a wrong answer rather than a crash: money counted twice
through a line break, totals past exact arithmetic, data driving the terminal."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import msgspec
import pytest
from harness import DATA_ERROR, OK, USAGE_ERROR, Run, check, fenced, run_in_process
from hostile import Case, cases, pledge, with_pledges

from wpq.export.schema import data_file_schema
from wpq.model import COLLECTIONS
from wpq.values import MAX_WHOLE, VISIBLE_PATTERN, Amount, Count, Whole

__all__ = ["fenced"]  # the fixture, used below by name
pytestmark = pytest.mark.usefixtures("fenced")

COMMANDS = {
    "validate": ("validate", "--no-bundled", "{path}"),
    "query": ("funding", "--data", "{path}", "--no-bundled", "--json"),
}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize("case", cases(), ids=lambda c: c.name)
def test_hostile_file(
    case: Case,
    command: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in case.extra.items():
        monkeypatch.setenv(name, value)
    path = case.path(tmp_path)
    run = run_in_process(capsys, *(a.replace("{path}", str(path)) for a in COMMANDS[command]))
    check(run, case.code, lines=case.lines, fragment=case.fragment)
    if case.code == DATA_ERROR:  # each line names the file, escaped as the message is
        assert all(line.startswith("wpq: ") and ": " in line[5:] for line in run.err.splitlines())


# ---------------------------------------------------------------- item 1: whole values


def schema_patterns() -> list[str]:
    """Every pattern the data-file schema declares, wherever it is."""
    text = json.dumps(data_file_schema())
    return sorted(set(re.findall(r'"pattern": ("(?:[^"\\]|\\.)*")', text)))


# Every pattern but the one that asks text for something visible (anywhere in it) is a
# whole value's: an id, a date, a code.
WHOLE_VALUE_PATTERNS = [
    json.loads(p) for p in schema_patterns() if json.loads(p) != VISIBLE_PATTERN
]


@pytest.mark.parametrize("pattern", WHOLE_VALUE_PATTERNS)
def test_no_pattern_accepts_a_final_line_break(pattern: str) -> None:
    """msgspec matches with re.search, so ``$`` alone lets "id\\n" through."""
    samples = {"uk-50m", "2014-12", "2014-12-10", "2014", "GB", "GBR", "GBP"}
    matched = [s for s in samples if re.search(pattern, s)]
    assert matched, f"no sample matches {pattern}"
    for sample in matched:
        assert re.search(pattern, sample + "\n") is None, (pattern, sample)


def test_the_patterns_cover_ids_dates_and_codes() -> None:
    """The schema the patterns are read from is the data file's, with every collection."""
    assert len(schema_patterns()) >= 4
    assert set(COLLECTIONS) <= set(data_file_schema()["$defs"]["DataFile"]["properties"])


def uk_total(run: Run) -> int:
    summary = json.loads(run.out)
    return int(next(t["amount"] for t in summary["pledged"] if t["currency"] == "GBP"))


def test_a_duplicate_id_as_a_block_scalar_never_counts_twice(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = run_in_process(capsys, "funding", "--donor", "UK", "--summary", "--json")
    check(before, OK, lines=0)
    again = tmp_path / "again.yaml"
    again.write_text(
        "pledges:\n  - id: |\n      uk-50m-2014\n    by: uk-government\n    kind: funding\n"
        '    date: "2014-12"\n    summary: The same pledge again.\n    amount: 50000000\n'
        "    currency: GBP\n    sources: [weprotect-events]\n"
    )
    for argv in (("validate", "--data", str(again)), ("funding", "--donor", "UK", "--data",
                 str(again), "--summary", "--json")):  # fmt: skip
        check(run_in_process(capsys, *argv), DATA_ERROR, lines=1, fragment="invalid value")
    assert uk_total(before) == uk_total(
        run_in_process(capsys, "funding", "--donor", "UK", "--summary", "--json")
    )


# ---------------------------------------------------------------- item 6: exact money


def test_amounts_at_the_cap_total_exactly_and_export(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cap = 10**15
    path = tmp_path / "cap.yaml"
    path.write_bytes(
        with_pledges(
            pledge(id="a", amount=str(cap), date='"2015"'),
            pledge(id="b", amount=str(cap), date='"2015"'),
            pledge(id="c", amount="1", date='"2015"'),
        )
    )
    data = ("--data", str(path), "--no-bundled")
    run = run_in_process(capsys, "funding", *data, "--summary", "--json")
    check(run, OK, lines=0)
    assert json.loads(run.out)["pledged"] == [{"currency": "GBP", "amount": 2 * cap + 1}]
    converted = run_in_process(capsys, "funding", *data, "--in", "USD", "--summary", "--json")
    check(converted, OK, lines=0)
    usd = json.loads(converted.out)
    assert usd["pledged"][0]["amount"] == sum(c["converted_amount"] for c in usd["conversions"])
    database = tmp_path / "cap.db"
    check(run_in_process(capsys, "export", "--sqlite", str(database), *data), OK, lines=1)
    with sqlite3.connect(database) as db:
        assert db.execute("select sum(amount) from pledges").fetchone()[0] == 2 * cap + 1


def test_past_the_cap_is_a_data_error_for_every_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(with_pledges(pledge(amount=str(2**63))))
    data = ("--data", str(path), "--no-bundled")
    for argv in (
        ("export", "--sqlite", str(tmp_path / "x.db"), *data),
        ("funding", *data, "--in", "USD"),
        ("summary", *data),
    ):
        check(run_in_process(capsys, *argv), DATA_ERROR, lines=1, fragment="10^15")
    assert not (tmp_path / "x.db").exists()


def test_the_model_caps_every_whole_number() -> None:
    """A field of the model that takes a whole number refuses 2^63 (SQLite's limit)."""
    schema = json.dumps(data_file_schema())
    integers = re.findall(r'\{[^{}]*"type": "integer"[^{}]*\}', schema)
    assert integers
    for integer in integers:  # each bounded, within the cap (a year: 1000 to 9999)
        bounds = json.loads(integer)
        assert -MAX_WHOLE <= bounds["minimum"] <= bounds["maximum"] <= MAX_WHOLE, integer
    for whole in (Amount, Count, Whole):
        assert msgspec.convert(MAX_WHOLE, whole) == MAX_WHOLE
        with pytest.raises(msgspec.ValidationError):
            msgspec.convert(2**63, whole)


# ---------------------------------------------------------------- item 5: messages


HOSTILE = "\x1b]0;pwned\x07\x1b[2J\u202eevil[reverse]"


def hostile_data(tmp_path: Path) -> Path:
    """A valid file whose names and region would drive a terminal if printed raw."""
    quoted = HOSTILE.encode("unicode_escape").decode()
    path = tmp_path / "names.yaml"
    path.write_text(
        "sources:\n  - {id: src, title: T, publisher: P}\n"
        'countries:\n  - {code: "GB", iso3: GBR, name: United Kingdom}\n'
        f'organisations:\n  - {{id: org, name: "{quoted}", kind: ngo, aliases: ["{quoted}2"]}}\n'
        "programmes:\n  - id: prog\n"
        f'    name: "{quoted}"\n    lead: org\n    sources: [src]\n'
        f'    regions: [{{id: reg, name: "{quoted}"}}]\n'
        "    countries: [{country: GB, region: reg}]\n"
    )
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ("funding", "--donor", "zzzz"),
        ("countries", "--region", "zzzz"),
        ("countries", "--programme", "zzzz"),
        ("events", "--host", HOSTILE + "x"),
        ("show", HOSTILE + "x"),  # HOSTILE itself names the organisation: shown, exit 0
        ("events", "--fields", HOSTILE),
        ("events", "--color", HOSTILE),
    ],
    ids=["donor", "region", "programme", "host", "show", "fields", "color"],
)
def test_messages_quoting_data_are_escaped(
    argv: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = hostile_data(tmp_path)
    run = run_in_process(capsys, *argv, "--data", str(path), "--no-bundled")
    check(run, USAGE_ERROR, lines=1)
    assert HOSTILE.encode("unicode_escape").decode() in run.err  # quoted, and escaped


def test_a_file_name_is_escaped_and_never_markup(tmp_path: Path) -> None:
    """The loading spinner shows file names: as text, not Rich markup, and escaped."""
    import io
    import time

    from wpq.commands.spinner import load_progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stderr", terminal)
        patch.setenv("TERM", "xterm")
        with load_progress(after=0.0) as progress:
            assert progress is not None
            progress(f"/d/[reverse]{HOSTILE}.yaml", 0, 1)
            deadline = time.monotonic() + 5
            while "Reading" not in terminal.getvalue() and time.monotonic() < deadline:
                time.sleep(0.02)
            progress(f"/d/[reverse]{HOSTILE}.yaml", 0, 1)
            time.sleep(0.2)
    shown = terminal.getvalue()
    assert "Reading [reverse]\\x1b]0;pwned\\x07\\x1b[2J\\u202eevil[reverse].yaml" in shown
    assert "\x1b[7m" not in shown  # reverse video: markup applied
    assert "\u202e" not in shown and "\x07" not in shown and "\x1b]0;" not in shown
