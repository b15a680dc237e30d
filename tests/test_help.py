"""Help that is right and printed once: no text lost to Rich markup, no second copy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

import wpq.cli

BOX = "│╭╮╰╯─"


def commands() -> Iterator[tuple[list[str], Any]]:
    """(argv prefix, click command) of every command and group, the top one included."""
    top = wpq.cli.click_command([])  # every command, those of other modules too

    def walk(path: list[str], command: Any) -> Iterator[tuple[list[str], Any]]:
        yield path, command
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk([*path, name], sub)

    yield from walk([], top)


def words(text: str) -> str:
    """Text with the panels' borders and every run of blanks made one space."""
    return " ".join(text.translate({ord(c): " " for c in BOX}).split())


@pytest.mark.parametrize("argv", [[], ["cache"]], ids=["wpq", "wpq cache"])
def test_a_bare_group_prints_its_help_once(run: Any, argv: list[str]) -> None:
    result = run(*argv)
    assert result.code == 0
    assert result.out.count("Usage:") == 1
    assert "Commands" in result.out


@pytest.mark.parametrize("path", [" ".join(p) or "wpq" for p, _ in commands()])
def test_every_help_text_renders_whole_and_once(
    run: Any, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # one line per option: nothing wrapped to compare
    argv = [] if path == "wpq" else path.split()
    command = dict((" ".join(p) or "wpq", c) for p, c in commands())[path]
    result = run(*argv, "--help")
    assert result.code == 0
    assert result.out.count("Usage:") == 1
    shown = words(result.out)
    declared = [command.help or ""] + [p.help for p in command.params if getattr(p, "help", None)]
    for text in declared:
        for paragraph in re.split(r"\n\s*\n", text):
            assert words(paragraph) in shown, paragraph


def test_format_help_names_its_default_and_variable(
    run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    shown = words(run("events", "--help").out)
    assert (
        "Output format (env WPQ_FORMAT). [default: (table on a terminal, tsv otherwise)]" in shown
    )


@pytest.mark.parametrize("path", [" ".join(p) or "wpq" for p, _ in commands()])
def test_help_paragraphs_read_whole_and_usage_names_arguments_plainly(
    run: Any, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # wide enough for any paragraph on one line
    argv = [] if path == "wpq" else path.split()
    command = dict((" ".join(p) or "wpq", c) for p, c in commands())[path]
    lines = [line.strip(" " + BOX) for line in run(*argv, "--help").out.splitlines()]
    for paragraph in re.split(r"\n\s*\n", command.help or ""):
        assert " ".join(paragraph.split()) in lines  # one line: not broken where the source is
    usage = next(line for line in lines if line.startswith("Usage:"))
    assert "{" not in usage and "}" not in usage, usage


@pytest.mark.parametrize("command", ["show", "search"])
def test_a_missing_argument_is_named_as_usage_names_it(run: Any, command: str) -> None:
    result = run(command)
    assert result.code == 2 and result.out == ""
    [line] = result.err.splitlines()
    assert re.search(r"Missing argument '[A-Z]+'", line) and "{" not in line, line
