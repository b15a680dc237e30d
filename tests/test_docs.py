"""Docs that fail when wrong: README examples, the committed schema, every command's help."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import wpq.cli
from wpq.export.schema import data_file_schema

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
EXAMPLES = re.compile(r"(<!-- examples -->\n)(.*?)(<!-- /examples -->)", re.S)
BLOCK = re.compile(r"```console\n(.*?)```\n", re.S)


def run_wpq(command: str) -> str:
    """stdout of a ``$ wpq …`` line, run as a user would with stdout piped (so TSV)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WPQ_")}
    args = shlex.split(command)
    assert args[0] == "wpq", command
    result = subprocess.run(
        [sys.executable, "-m", "wpq", *args[1:]],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, f"{command}: {result.stderr}"
    return result.stdout


def examples(text: str) -> list[tuple[str, str]]:
    """(command, output) pairs of the README's examples section."""
    section = EXAMPLES.search(text)
    assert section, "README has no <!-- examples --> section"
    pairs = []
    for block in BLOCK.findall(section.group(2)):
        command, _, output = block.partition("\n")
        assert command.startswith("$ wpq "), block
        pairs.append((command[2:], output))
    return pairs


def rendered(text: str) -> str:
    """The README with every example's output run afresh."""
    section = EXAMPLES.search(text)
    assert section
    body = BLOCK.sub(
        lambda m: "```console\n{}\n{}```\n".format(
            m.group(1).partition("\n")[0], run_wpq(m.group(1).partition("\n")[0][2:])
        ),
        section.group(2),
    )
    return text[: section.start(2)] + body + text[section.end(2) :]


def test_readme_has_examples() -> None:
    assert len(examples(README.read_text())) >= 4


@pytest.mark.parametrize("command,output", examples(README.read_text()))
def test_readme_example_output_is_real(command: str, output: str) -> None:
    assert run_wpq(command) == output


def test_ci_runs_the_readme_test_command() -> None:
    text = README.read_text()
    command = re.search(r"<!-- test-command -->\n```\n(.*)\n```", text)
    assert command and "pytest" in command.group(1)
    assert "<!-- test-command -->" in (ROOT / ".ci" / "run").read_text()


def test_committed_schema_is_generated() -> None:
    committed = json.loads((ROOT / "schema" / "wpq-data.schema.json").read_text())
    assert committed == data_file_schema()


def test_bundled_files_carry_the_schema_modeline() -> None:
    for path in sorted((ROOT / "wpq" / "data").glob("*.yaml")):
        first = path.read_text().splitlines()[0]
        assert first == "# yaml-language-server: $schema=../../schema/wpq-data.schema.json", path


def test_every_command_has_help_ending_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:

    group = wpq.cli.click_command([])  # every command, those of other modules too
    names = sorted(group.commands)  # type: ignore[attr-defined]
    assert {"events", "funding", "countries", "pledges", "figures", *wpq.cli.ELSEWHERE} <= set(
        names
    )
    for name in names:
        assert wpq.cli.main([name, "--help"]) == 0
        out = capsys.readouterr().out
        assert "Example:" in out, name
        assert f"wpq {name}" in out.split("Example:")[-1], name


if __name__ == "__main__" and sys.argv[1:] == ["--update"]:
    README.write_text(rendered(README.read_text()))


def test_readme_python_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    assert blocks, "README has no Python example"
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "GBP" in out


def test_import_wpq_and_load_in_a_fresh_interpreter() -> None:
    code = "import wpq; print(len(wpq.load().events))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/"
    )
    import wpq

    assert int(result.stdout) == len(wpq.load().events) > 0


def test_query_functions_are_documented() -> None:
    from wpq import query

    public = [
        name
        for name in dir(query)
        if not name.startswith("_")
        and callable(getattr(query, name))
        and getattr(query, name).__module__ == query.__name__
    ]
    undocumented = [n for n in public if not (getattr(query, n).__doc__ or "").strip()]
    assert undocumented == []
