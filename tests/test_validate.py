"""``wpq validate`` and every query command on bad data: one line per problem, exit 1.

The corpus in ``tests/bad/`` holds one defect per file; each file's first line says where
it is and a fragment of the message: ``# expect: 7: unknown field 'hostz'``. Each file is
self-contained (it holds the sources, organisations and countries it refers to), so a
query with ``--no-bundled`` sees the same single problem as ``wpq validate``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from wpq.cli import main
from wpq.errors import DataError
from wpq.loader import load_dataset

BAD = Path(__file__).parent / "bad"
CORPUS = sorted(BAD.glob("*.yaml"))
_EXPECT = re.compile(rb"^# expect: (?P<line>\d+): (?P<fragment>.+)$")

GOOD = """\
sources:
  - id: src
    title: A report
    publisher: An NGO
countries:
  - code: "GB"
    iso3: GBR
    name: United Kingdom
organisations:
  - id: uk-government
    name: UK Government
    kind: government
    country: "GB"
    sources: [src]
"""


def expectation(path: Path) -> tuple[int, str]:
    first = path.read_bytes().split(b"\n", 1)[0]
    match = _EXPECT.match(first)
    assert match, f"{path.name}: first line must be '# expect: LINE: fragment'"
    return int(match["line"]), match["fragment"].decode()


@pytest.fixture(autouse=True)
def _no_env_data(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("WPQ_DATA", "WPQ_DEBUG", "WPQ_FORMAT"):
        monkeypatch.delenv(name, raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, list[str]]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err.splitlines()


def test_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 40
    assert len({p.name.split("-", 1)[0] for p in CORPUS}) == len(CORPUS)  # unique numbers


@pytest.mark.parametrize(
    "command",
    [
        ("validate", "--no-bundled", "{path}"),
        ("events", "--data", "{path}", "--no-bundled"),
        ("funding", "--no-bundled", "--data", "{path}", "--json"),
    ],
    ids=["validate", "events", "funding"],
)
@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_bad_file(capsys: pytest.CaptureFixture[str], path: Path, command: tuple[str, ...]) -> None:
    line, fragment = expectation(path)
    status, out, err = run(capsys, *(a.format(path=path) for a in command))
    assert status == 1
    assert out == ""
    assert len(err) == 1, err  # one defect, one line: no follow-on problems
    assert err[0].startswith(f"wpq: {path}:{line}:"), err[0]
    assert fragment in err[0]
    assert "Traceback" not in err[0]


def test_problems_name_the_record(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "validate", "--no-bundled", str(BAD / "31-invalid-month.yaml"))
    assert status == 1
    assert ": pledges[0].date: invalid date '2015-13'" in err[0]


def test_two_defects_give_two_lines_in_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(
        GOOD
        + """events:
  - id: london-2014
    name: London summit
    kind: summit
    start: "2014-12-10"
    city: London
    country: "GB"
    hostz: [uk-government]
    sources: [src]
pledges:
  - id: uk-50m
    by: uk-government
    kind: funding
    date: "2014-12"
    summary: Fifty million pounds.
    amount: 50000000
    currency: XYZ
    sources: [src]
"""
    )
    status, out, err = run(capsys, "validate", "--no-bundled", str(path))
    assert (status, out) == (1, "")
    assert [line.split(": ", 2)[1] for line in err] == [f"{path}:22:5", f"{path}:31:15"]
    assert "unknown field 'hostz' (did you mean 'hosts'?)" in err[0]
    assert "unknown currency code 'XYZ'" in err[1]


def test_every_structural_problem_of_one_record(tmp_path: Path) -> None:
    path = tmp_path / "org.yaml"
    path.write_text(
        """organisations:
  - id: uk-government
    nmae: UK Government
    kind: governmentz
    aliases: UK
    country: "GB"
"""
    )
    with pytest.raises(DataError) as info:
        load_dataset([path], bundled=False)
    lines = info.value.lines()
    assert [(p.line, p.column) for p in info.value.problems] == [(2, 5), (3, 5), (4, 11), (5, 14)]
    assert "missing required field 'name'" in lines[0]
    assert "unknown field 'nmae' (did you mean 'name'?)" in lines[1]
    assert "organisations[0].kind: invalid value 'governmentz'" in lines[2]
    assert "organisations[0].aliases: expected a list, got text" in lines[3]
    # its reference to a missing country is not checked: the record did not convert


def test_a_record_that_fails_to_convert_still_defines_its_id(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(
        GOOD
        + """  - id: home-office
    name: Home Office
    kind: ministry
    part_of: uk-government
pledges:
  - id: p1
    by: home-office
    kind: commitment
    date: "2015"
    summary: A commitment.
    sources: [src]
"""
    )
    with pytest.raises(DataError) as info:
        load_dataset([path], bundled=False)
    assert len(info.value.problems) == 1  # the kind; not also "unknown organisation"
    assert "invalid value 'ministry'" in info.value.lines()[0]


def test_duplicate_ids_across_files_name_both_places(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(GOOD)
    second.write_text(
        """organisations:
  - id: uk-government
    name: Also the UK
    kind: government
"""
    )
    status, out, err = run(capsys, "validate", "--no-bundled", str(first), str(second))
    assert (status, out) == (1, "")
    assert err == [
        f"wpq: {second}:2:9: organisations[0].id: duplicate id 'uk-government' in "
        f"organisations (also defined at {first}:10:9)"
    ]


def test_a_file_named_twice_is_read_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(GOOD)
    status, _, err = run(
        capsys, "validate", "--no-bundled", str(path), str(tmp_path / "." / "a.yaml")
    )
    assert status == 0, err


def test_a_directory_is_every_yaml_file_in_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "a.yaml").write_text(GOOD)
    (tmp_path / "b.yml").write_text("figures:\n  - id: f1\n    statment: x\n")
    (tmp_path / "notes.txt").write_text("not data: [")
    status, out, err = run(capsys, "validate", "--no-bundled", str(tmp_path))
    assert (status, out) == (1, "")
    assert len(err) == 1 + 4  # the unknown field, and four missing required fields
    assert all(line.startswith(f"wpq: {tmp_path / 'b.yml'}:") for line in err)


def test_problems_sorted_by_file_then_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "b.yaml").write_text("figures:\n  - id: F\n")
    (tmp_path / "a.yaml").write_text("sources:\n  - id: s\n    titel: x\n")
    status, _, err = run(
        capsys, "validate", "--no-bundled", str(tmp_path / "b.yaml"), str(tmp_path / "a.yaml")
    )
    assert status == 1
    where = [tuple(line[5:].split(":")[:2]) for line in err]
    assert where == sorted(where, key=lambda w: (w[0], int(w[1])))
    assert where[0][0].endswith("a.yaml")


def test_missing_path_and_empty_directory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    (tmp_path / "empty").mkdir()
    status, out, err = run(
        capsys, "validate", "--no-bundled", str(tmp_path / "nope.yaml"), str(tmp_path / "empty")
    )
    assert (status, out) == (1, "")
    assert err == [
        f"wpq: {tmp_path / 'empty'}: directory holds no .yaml or .yml files "
        "(name a file, or a directory of data files)",
        f"wpq: {tmp_path / 'nope.yaml'}: no such file or directory",
    ]


def test_bundled_data_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "validate")
    assert (status, out) == (0, ""), err
    assert err[-1].endswith("no problems")


def test_bundled_codes_are_real_iso_codes() -> None:
    # queries skip the currency check on bundled data (countries are always checked): here
    load_dataset(bundled=True, check_codes=True)


def test_an_invalid_country_code_offers_the_closest_valid_ones(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text(
        GOOD.replace('    country: "GB"\n    sources', '    country: "QQ"\n    sources')
    )
    with pytest.raises(DataError) as info:
        load_dataset([path], bundled=False)
    [problem] = info.value.problems
    assert (problem.line, problem.column) == (13, 14)
    assert problem.message.startswith("organisations[0].country: unknown country 'QQ'")
    assert "ISO 3166-1" in problem.hint
    # codes one letter away, each with its name
    assert re.search(r"did you mean 'AQ' \(Antarctica\)", problem.message)


def test_console_script_gives_one_line_and_no_traceback(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = BAD / "19-unknown-field.yaml"
    line, fragment = expectation(path)
    done = subprocess.run(
        [sys.executable, "-m", "wpq", "validate", "--no-bundled", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith(f"wpq: {path}:{line}:")
    assert fragment in done.stderr
    assert done.stderr.count("\n") == 1
