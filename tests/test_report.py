"""validate's report: the cause first, in the user's own file; what follows from an id
defined twice is not reported apart; a currency in small letters is refused with its fix;
on a terminal, the problems under their file, wrapped to its width."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import Result

from wpq.errors import DataError, Problem


def pledge(pledge_id: str, amount: int = 1000, currency: str = "GBP", extra: str = "") -> str:
    return f"""\
  - id: {pledge_id}
    by: uk-government
    kind: funding
    date: "2014-12"
    summary: A pledge.
    amount: {amount}
    currency: {currency}
    sources: [weprotect-events]
{extra}"""


def validate(run: Any, tmp_path: Path, text: str) -> tuple[Path, Result]:
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    return path, run("validate", str(path))


def test_an_id_of_the_bundled_data_is_blamed_on_the_user_s_file_alone(
    run: Any, tmp_path: Path
) -> None:
    # In dollars, the bundled pledge's tranches (in pounds) no longer match it: that follows
    # from the duplicate and was reported first, in the bundled pledges.yaml.
    path, result = validate(run, tmp_path, "pledges:\n" + pledge("uk-50m-2014", currency="USD"))
    assert result.code == 1
    bundled = Path("wpq/data/pledges.yaml").resolve()
    line = bundled.read_text().splitlines().index("  - id: uk-50m-2014") + 1
    assert result.err.splitlines() == [
        f"wpq: {path}:2:9: pledges[0].id: duplicate id 'uk-50m-2014' in pledges "
        f"(also defined at {bundled}:{line}:9)"
    ]


def test_a_duplicate_in_one_file_is_reported_and_not_what_follows_from_it(
    run: Any, tmp_path: Path
) -> None:
    text = "pledges:\n" + pledge("my-a", extra="    part_of: my-a\n") + pledge("my-a")
    text += pledge("my-c", extra="    part_of: my-d\n")
    text += pledge("my-d", extra="    part_of: my-c\n")
    path, result = validate(run, tmp_path, text)
    lines = result.err.splitlines()
    assert result.code == 1
    assert lines[0] == (
        f"wpq: {path}:11:9: pledges[1].id: duplicate id 'my-a' in pledges "
        f"(also defined at {path}:2:9)"
    )
    # the cycle through my-a waits for the duplicate to go; one without it is still found
    assert [line.split(": ", 3)[-1] for line in lines[1:]] == [
        "forms a cycle: my-c -> my-d -> my-c (one of them must not be part of the other)"
    ]


def test_tranches_of_a_duplicated_pledge_are_not_added_up(run: Any, tmp_path: Path) -> None:
    text = "pledges:\n" + pledge("my-a", amount=10) + pledge("my-a", amount=10)
    text += pledge("my-t", amount=20, extra="    part_of: my-a\n")
    _, result = validate(run, tmp_path, text)
    assert len(result.err.splitlines()) == 1 and "duplicate id 'my-a'" in result.err


@pytest.mark.parametrize(
    ("currency", "hint"),
    [
        ("nok", "codes are in capitals: NOK"),
        ("Usd", "codes are in capitals: USD"),
        ("xyz", "use an ISO 4217 code such as GBP, USD, EUR"),
    ],
)
def test_a_currency_in_small_letters_is_refused_with_its_fix(
    run: Any, tmp_path: Path, currency: str, hint: str
) -> None:
    path, result = validate(run, tmp_path, "pledges:\n" + pledge("my-a", currency=currency))
    assert result.code == 1
    assert result.err == (
        f"wpq: {path}:8:15: pledges[0].currency: invalid value '{currency}' ({hint})\n"
    )


def test_problems_in_the_bundled_files_come_after_the_user_s() -> None:
    bundled = "/site-packages/wpq/data/pledges.yaml"
    problems = [Problem(bundled, 3, 1, "b"), Problem("zz.yaml", 9, 1, "a")]
    assert DataError(problems, last={bundled}).lines() == [
        "zz.yaml:9:1: a",
        f"{bundled}:3:1: b",
    ]
    assert DataError(problems).lines()[0].startswith(bundled)  # by path otherwise


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_on_a_terminal_the_problems_stand_under_their_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_terminal import on_terminals

    monkeypatch.chdir(tmp_path)
    path = Path("mine.yaml")
    path.write_text("pledges:\n" + pledge("uk-50m-2014") + pledge("my-b", currency="nok"))
    [(status, text)] = on_terminals([(["validate", str(path)], 60)])
    assert status == 1
    lines = text.splitlines()
    assert lines[0] == str(path)
    assert lines[1].split()[:2] == ["2:9", "pledges[0].id:"]
    assert "codes are in capitals: NOK" in text
    assert lines[-1] == f"wpq: 2 problems in {path}"
    assert max(len(line) for line in lines) <= 60
