"""Red team, option values (issue 24 item 9): values that mean nothing, given where a year,
a currency, a field or a collection belongs, are each a usage error: exit 2, one line, no
output, whatever the command."""

from __future__ import annotations

from pathlib import Path

import pytest
from harness import USAGE_ERROR, check, fenced, run_in_process

__all__ = ["fenced"]
pytestmark = pytest.mark.usefixtures("fenced")

MINI = ("--data", str(Path(__file__).resolve().parents[1] / "fixtures" / "mini"), "--no-bundled")
YEARS = ("-1", "0", "999", "10000", "99999999999999999999", "2015.5", "")


@pytest.mark.parametrize("value", YEARS)
@pytest.mark.parametrize("option", ["--year", "--from", "--to"])
@pytest.mark.parametrize("command", ["events", "funding", "pledges", "timeline"])
def test_a_year_that_is_no_year(
    capsys: pytest.CaptureFixture[str], command: str, option: str, value: str
) -> None:
    check(run_in_process(capsys, command, option, value, *MINI), USAGE_ERROR, lines=1)


@pytest.mark.parametrize(
    "args",
    [
        ("funding", "--in", ""),
        ("funding", "--in", " "),
        ("summary", "--in", ""),
        ("events", "--sort", ""),
        ("events", "--fields", "id,id"),
        ("events", "--fields", "id, name ,id"),
        ("show", "london-2014", "--fields", "name,name"),
        ("show", "london-2014", "--collection", ""),
        ("search", "london", "--collection", ""),
        ("events", "--limit", "1", "--limit", "2"),
        ("funding", "--in", "USD", "--in", "EUR"),
    ],
)
def test_a_value_that_means_nothing(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...]
) -> None:
    check(run_in_process(capsys, *args, *MINI), USAGE_ERROR, lines=1)
