"""Options as given (``commands/given.py``), through the command line: every option that
takes one value, of every command, refuses two different values; none takes a blank one;
years are years; each option name means one thing; the rows of issue 19's table."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest

import wpq.cli
from tests.conftest import MINI, Result
from wpq.commands.given import RENAMED

Run = Callable[..., Result]


@pytest.fixture(autouse=True)
def _elsewhere(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run in a folder of the test's own: a check that failed would let ``export --sqlite
    2001`` write a file named 2001."""
    monkeypatch.chdir(tmp_path)


def commands() -> Iterator[tuple[list[str], Any]]:
    """(argv prefix, click command) of every command that runs (groups' commands too)."""
    top = wpq.cli.click_command([])

    def walk(path: list[str], command: Any) -> Iterator[tuple[list[str], Any]]:
        subs = getattr(command, "commands", {})
        if not subs:
            yield path, command
        for name, sub in sorted(subs.items()):
            yield from walk([*path, name], sub)

    yield from walk([], top)


def single_valued() -> Iterator[tuple[list[str], str]]:
    """(command, option) for every option that takes one value, of every command: read
    from Click, so an option added tomorrow is in the list."""
    for path, command in commands():
        for param in command.params:
            flags = [o for o in getattr(param, "opts", ()) if o.startswith("--")]
            if flags and not (param.multiple or param.is_flag or param.count):
                yield path, flags[0]


SINGLE = list(single_valued())


def test_the_list_reads_every_command() -> None:
    found = {(" ".join(path), option) for path, option in SINGLE}
    assert {("events", "--year")} - found == {("events", "--year")}  # --year is repeatable
    assert {("events", "--from"), ("funding", "--in"), ("show", "--collection")} <= found
    assert {("export", "--sqlite"), ("funding", "--by"), ("events", "--sort")} <= found
    assert len({p[0] for p, _ in SINGLE}) >= 12


@pytest.mark.parametrize(("path", "option"), SINGLE, ids=[" ".join(p) + o for p, o in SINGLE])
def test_an_option_of_one_value_given_twice_differently_is_a_usage_error(
    run: Run, path: list[str], option: str
) -> None:
    args = ["uk"] if path in (["show"], ["search"]) else []
    result = run(*path, *args, option, "1999", option, "2001", *MINI)
    assert (result.code, result.out) == (2, "")
    assert result.err.splitlines() == [
        f"wpq: {option} given twice ('1999' and '2001'): it takes one value"
    ]


def test_the_same_value_twice_is_no_contradiction(run: Run) -> None:
    once = run("funding", "--in", "USD", *MINI)
    assert run("funding", "--in", "USD", "--in=usd", *MINI) == once
    assert run("events", "--json", "--json", *MINI).code == 0


@pytest.mark.parametrize(("path", "option"), SINGLE, ids=[" ".join(p) + o for p, o in SINGLE])
def test_no_option_takes_a_blank_value(run: Run, path: list[str], option: str) -> None:
    args = ["uk"] if path in (["show"], ["search"]) else []
    result = run(*path, *args, option, " ", *MINI)
    assert result.code in (1, 2) and result.out == ""  # a blank path is a data error (exit 1)
    assert len(result.err.splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("funding", "--in", ""),
        ("summary", "--in", ""),
        ("events", "--sort", ""),
        ("show", "uk", "--collection", ""),
        ("search", "uk", "--collection", ""),
        ("figures", "--about", ""),
        ("events", "--fields", "id,id"),
        ("show", "uk", "--fields", "name,kind,name"),
        *[
            (c, o, y)
            for c in ("events", "funding", "pledges", "timeline")
            for o in ("--year", "--from", "--to")
            for y in ("-1", "0", "999", "10000", "99999999999999999999", "x")
        ],
    ],
)
def test_a_value_that_means_nothing_is_one_line_exit_2(run: Run, args: tuple[str, ...]) -> None:
    result = run(*args, *MINI)
    assert (result.code, result.out) == (2, "")
    assert len(result.err.splitlines()) == 1 and "Traceback" not in result.err


# ---------------------------------------------------------------- one meaning per name


def test_each_option_name_means_one_thing_in_every_command() -> None:
    meanings: dict[str, set[str]] = {}
    for _, command in commands():
        for param in command.params:
            for flag in getattr(param, "opts", ()):
                meanings.setdefault(flag, set()).add(str(param.metavar or param.type))
    assert meanings["--to"] == meanings["--from"] == meanings["--year"] == {"YEAR"}
    assert meanings["--collection"] == {"COLLECTION"} and "--recipient" in meanings
    # an organisation by its role: --donor, --pledger, --recipient, --host, --lead
    assert {"--donor", "--pledger", "--recipient", "--host", "--lead"} <= set(meanings)


@pytest.mark.parametrize(
    ("args", "instead"),
    [
        (("pledges", "--by", "apple"), "--pledger"),
        (("show", "uk", "--in", "countries"), "--collection"),
        (("search", "uk", "--in", "events"), "--collection"),
        (("funding", "--to", "unicef"), "--recipient"),
    ],
)
def test_an_old_spelling_names_the_new_one(run: Run, args: tuple[str, ...], instead: str) -> None:
    result = run(*args)
    assert (result.code, result.out) == (2, "")
    assert len(result.err.splitlines()) == 1 and instead in result.err


def test_the_renamed_options_are_gone_from_their_commands() -> None:
    for flag, (names, _) in RENAMED.items():
        for path, command in commands():
            if path and path[-1] in names:
                assert flag not in {o for p in command.params for o in getattr(p, "opts", ())}


# ---------------------------------------------------------------- years everywhere


def ids(result: Result) -> list[str]:
    assert result.code == 0, result.err
    return [row["id"] for row in json.loads(result.out)]


def test_a_repeated_year_means_any_of_them(run: Run) -> None:
    both = ids(run("events", "--year", "2015", "--year", "2016", "--json"))
    assert both == ids(run("events", "--year", "2015", "--json")) + ids(
        run("events", "--year", "2016", "--json")
    )


@pytest.mark.parametrize("command", ["funding", "pledges"])
def test_money_and_pledges_take_the_years_events_take(run: Run, command: str) -> None:
    years = {2014: ids(run(command, "--year", "2014", "--json", *MINI))}
    for year in (2015, 2016):
        years[year] = ids(run(command, "--year", str(year), "--json", *MINI))
    ranged = ids(run(command, "--from", "2014", "--to", "2016", "--json", *MINI))
    repeated = ids(
        run(command, "--year", "2014", "--year", "2015", "--year", "2016", "--json", *MINI)
    )
    assert (
        sorted(ranged) == sorted(repeated) == sorted(i for found in years.values() for i in found)
    )
    assert all(years.values())
    later = ids(run(command, "--from", "2016", "--json", *MINI))
    assert years[2016][0] in later and years[2014][0] not in later
    assert "do not go together" in run(command, "--year", "2014", "--to", "2016", *MINI).err
    assert "is after" in run(command, "--from", "2016", "--to", "2014", *MINI).err


def test_a_tranche_is_in_the_year_of_its_own_date(run: Run) -> None:
    # the Home Office's 2016 tranche of the UK's 2014 pledge
    assert "uk-tranche-fund" in ids(run("funding", "--year", "2016", "--json", *MINI))
    assert "uk-tranche-fund" not in ids(run("funding", "--to", "2015", "--json", *MINI))


# ---------------------------------------------------------------- issue 19's table


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("events", "--country", "Ireland"), []),
        (("programmes", "--country", "Dominica"), []),
        (("funding", "--donor", "Ireland"), []),
        (("events", "--country", "United Kingdom"), None),
    ],
)
def test_a_real_country_no_record_uses_is_an_empty_answer(
    run: Run, args: tuple[str, ...], expected: list[str] | None
) -> None:
    found = ids(run(*args, "--json"))
    assert found == expected if expected is not None else found


def test_show_ireland_is_irelands_card_and_says_no_record_uses_it(run: Run) -> None:
    result = run("show", "Ireland", "--json")
    shown = json.loads(result.out)
    assert (result.code, shown["collection"], shown["id"]) == (0, "countries", "IE")
    assert shown["referenced_by"] == [] and "no record uses Ireland" in shown["note"]


@pytest.mark.parametrize(
    ("args", "every"),
    [
        (
            ("pledges", "--event", "Abu Dhabi"),
            (
                "abu-dhabi-2015",
                "abu-dhabi-interfaith-2018",
                "gnrc-abu-dhabi-2024",
                "abu-dhabi-2024",
            ),
        ),
        (
            ("pledges", "--event", "Global Summit"),
            (
                "london-2014",
                "abu-dhabi-2015",
                "addis-ababa-2019",
                "brussels-2022",
                "abu-dhabi-2024",
            ),
        ),
        (
            ("countries", "--programme", "disrupting harm"),
            ("disrupting-harm-1", "disrupting-harm-2"),
        ),
        (("funding", "--donor", "northern ireland"), ("uk-government",)),
    ],
)
def test_words_that_name_no_record_list_every_one_they_could_mean(
    run: Run, args: tuple[str, ...], every: tuple[str, ...]
) -> None:
    result = run(*args)
    assert (result.code, result.out) == (2, "")
    [line] = result.err.splitlines()
    assert f"any of {len(every)}: " in line or len(every) == 1
    assert all(f"{record} (" in line for record in every)
