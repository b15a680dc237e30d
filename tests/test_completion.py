"""Shell completion through bash's protocol: what wpq answers to ``_WPQ_COMPLETE=complete_bash``
with COMP_WORDS/COMP_CWORD (as the script of ``wpq --show-completion bash`` asks), and what
bash itself puts on the line when it runs that script.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wpq.commands.completion import escape_for_bash
from wpq.model import COLLECTIONS, Dataset
from wpq.questions.choices import completion_values
from wpq.questions.money import GROUPINGS
from wpq.questions.names import organisation_roles


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("WPQ_", "_WPQ"))}
    return {**base, **extra}


def complete(*words: str) -> list[str]:
    """The words wpq answers for the last of ``words`` (``wpq`` is the first), one per line,
    as bash's COMPREPLY receives them: escaped for the shell."""
    line = ["wpq", *words]
    result = subprocess.run(
        [sys.executable, "-m", "wpq"],
        env=env(
            _WPQ_COMPLETE="complete_bash",
            COMP_WORDS=" ".join(line),
            COMP_CWORD=str(len(line) - 1),
        ),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0 and result.stderr == ""
    return result.stdout.splitlines()


def as_typed(answer: str) -> list[str]:
    """The shell words an answer becomes once on the command line."""
    return shlex.split(answer)


def test_a_name_with_spaces_comes_back_as_one_shell_word() -> None:
    answers = complete("funding", "--donor", "Unite")
    assert answers, "the UK government has the alias 'United Kingdom'"
    assert all(len(as_typed(a)) == 1 for a in answers)
    assert "United Kingdom" in [as_typed(a)[0] for a in answers]


def test_a_half_typed_escaped_name_goes_on() -> None:
    # bash passes the escaped word as typed; wpq reads it as "United K"
    answers = complete("funding", "--donor", "United\\ K")
    assert [as_typed(a) for a in answers] == [["United Kingdom"]]


def test_donor_offers_the_organisations_that_pledged_money(bundled: Dataset) -> None:
    answers = complete("funding", "--donor", "")
    donors = organisation_roles(bundled)["donor"]
    assert set(answers) == donors
    assert len(answers) < len(bundled.organisations)


def test_donor_offers_others_only_when_no_donor_fits(bundled: Dataset) -> None:
    donors = organisation_roles(bundled)["donor"]
    assert "microsoft" not in donors
    assert complete("funding", "--donor", "micro") == ["microsoft"]


def test_one_word_per_organisation_not_every_alias() -> None:
    answers = [as_typed(a)[0] for a in complete("events", "--host", "U")]
    uk = [a for a in answers if a in ("UK", "United Kingdom", "UK government")]
    assert len(uk) == 1


@pytest.mark.parametrize(
    "words,expected",
    [
        (("funding", "--in", ""), {"GBP", "USD"}),
        (("funding", "--currency", ""), {"GBP"}),
        (("funding", "--currency", "g"), {"gbp"}),
        (("funding", "--by", ""), set(GROUPINGS)),
        (("funding", "--by", "re"), {"recipient"}),
        (("search", "abu", "--collection", "ev"), {"events"}),
        (("show", "uk", "--collection", ""), set(COLLECTIONS)),
        (("show", "uk-40"), {"uk-40m-fund-2016"}),
        (("pledges", "--event", "abu-dhabi-2"), {"abu-dhabi-2015", "abu-dhabi-2024"}),
        (("events", "--kind", "summit,fo"), {"summit,forum"}),
        (("events", "--kind", "Sum"), {"summit"}),
        (("organisations", "--role", "do"), {"donor"}),
        (("countries", "--region", "ecaro"), {"ecaro"}),
    ],
)
def test_option_values_complete(words: tuple[str, ...], expected: set[str]) -> None:
    assert expected <= {as_typed(a)[0] for a in complete(*words)}


def test_region_completes_by_name(bundled: Dataset) -> None:
    answers = [as_typed(a)[0] for a in complete("countries", "--region", "Europe")]
    assert answers == ["Europe and Central Asia"]
    assert complete("countries", "--region", "Europe") == ["Europe\\ and\\ Central\\ Asia"]


def test_completion_values_fit_what_is_typed_in_any_case(bundled: Dataset) -> None:
    # Names match in any case; each is offered as the data writes it.
    assert completion_values(bundled, "donors", "unite") == ["United Kingdom"]
    assert completion_values(bundled, "programmes", "un") == ["unicef"]


def test_bash_gets_the_name_as_the_data_writes_it_not_a_mix_of_cases() -> None:
    # bash puts the one answer in place of the word typed: "uni" becomes "United Kingdom"
    assert complete("funding", "--donor", "uni") == ["United\\ Kingdom"]
    assert complete("funding", "--donor", "united\\ k") == ["United\\ Kingdom"]


@pytest.mark.parametrize(
    "words,expected",
    [
        (("funding", "--donor", '"Home'), ["Home Office"]),
        (("funding", "--donor", "'Home"), ["Home Office"]),
        (("funding", "--donor", '"united k'), ["United Kingdom"]),
        (("countries", "--region", '"Europe'), ["Europe and Central Asia"]),
    ],
)
def test_inside_an_opening_quote_the_words_go_in_without_backslashes(
    words: tuple[str, ...], expected: list[str]
) -> None:
    assert complete(*words) == expected


def test_what_completion_offers_the_option_takes(bundled: Dataset) -> None:
    from wpq.questions import names

    for what, match in (
        ("donors", lambda t: names.match_organisation(bundled, t)),
        ("hosts", lambda t: names.match_organisation(bundled, t)),
        ("events", lambda t: names.match_event(bundled, t)),
        ("programmes", lambda t: names.match_programme(bundled, t)),
        ("countries", lambda t: names.match_country(bundled, t)),
        ("regions", lambda t: names.match_region(bundled, t)),
    ):
        for start in ("", "u", "G", "gov", "abu", "disrupting", "e", "Viet"):
            for word in completion_values(bundled, what, start):
                assert match(word), (what, start, word)  # exact: no error, never None


@pytest.mark.parametrize(
    "value", ["United Kingdom", "Prime Minister's Office, 10 Downing Street", "a$b`c", "x*y?"]
)
def test_escaped_value_is_one_word_to_the_shell(value: str) -> None:
    assert shlex.split(escape_for_bash(value)) == [value]


# ---------------------------------------------------------------- bash itself


def _wpq_on_path() -> str | None:
    here = str(Path(sys.executable).parent)
    return here if shutil.which("wpq", path=here) else None


@pytest.mark.skipif(
    shutil.which("bash") is None or _wpq_on_path() is None, reason="needs bash and wpq"
)
def test_bash_running_the_completion_script_puts_one_escaped_word_on_the_line(
    tmp_path: Path,
) -> None:
    bin_dir = _wpq_on_path()
    assert bin_dir
    path = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    script = subprocess.run(
        ["wpq", "--show-completion", "bash"],
        env=env(PATH=path, _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1"),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    (tmp_path / "wpq.sh").write_text(script)
    # As bash would call the function after `wpq funding --donor Unite<TAB>`, then insert
    # the only answer; `eval set --` reads the line back as the shell would run it.
    probe = (
        f"source {shlex.quote(str(tmp_path / 'wpq.sh'))}\n"
        "COMP_WORDS=(wpq funding --donor Unite); COMP_CWORD=3\n"
        "_wpq_completion wpq\n"
        'echo "${#COMPREPLY[@]}"\n'
        'eval "set -- ${COMPREPLY[0]}"; echo "$#"; echo "$1"\n'
    )
    result = subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", probe],
        env=env(PATH=path),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    count, words, first = result.stdout.splitlines()
    assert count == "1" and words == "1" and first == "United Kingdom"


def test_bash_gets_several_names_as_the_data_writes_them_unless_that_cuts_the_word() -> None:
    from wpq.commands import completion

    typed = [completion._as_typed(v, "gov") for v in ("Government of Japan", "Government of X")]
    assert typed == ["government of japan", "government of x"]  # what Typer lets through
    # their common start, "Government of ", is longer than "gov": bash may put it in place
    assert completion.answers(typed, "gov") == ["Government of Japan", "Government of X"]
    # "UNICEF" and "United Kingdom" start alike for one letter: bash would cut "uni" to "U"
    typed = [completion._as_typed(v, "uni") for v in ("UNICEF", "United Kingdom")]
    assert completion.answers(typed, "uni") == ["unicef", "united kingdom"]
