"""What a shell completes: option values from the data a command line would query, and the
answers of ``_WPQ_COMPLETE=complete_bash`` escaped so bash inserts them as one word.
"""

# No `from __future__ import annotations`: Typer reads the ``ctx`` annotations as objects.
import os
import re
from collections.abc import Callable, Iterable

import typer

from ..errors import WpqError
from ..model import Dataset
from ..questions.choices import completion_values
from ..questions.listings import listing_fields
from ..vocabulary import fold


def _completion_dataset(ctx: typer.Context) -> Dataset | None:
    """The data a command line being completed would query, or None if it cannot load."""
    from ..loader import env_paths, load_dataset

    try:
        paths = [str(p) for p in ctx.params.get("data") or []] or env_paths()
        return load_dataset(paths, bundled=not ctx.params.get("no_bundled"))
    except (WpqError, OSError):
        return None


def _matching(values: Iterable[str], incomplete: str) -> list[str]:
    wanted = fold(incomplete)
    return [v for v in values if fold(v).startswith(wanted)]


# An answer as it starts with what was typed -> as the data writes it. Typer keeps only
# answers that start as typed ("united Kingdom" after "uni"); bash is given the data's
# spelling back where it can replace the word with it (``answers``).
_SPELLED: dict[str, str] = {}


def complete_from_data(what: str) -> Callable[..., list[str]]:
    """Completion of a value naming ``what`` (see ``choices.completion_values``)."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        ds = _completion_dataset(ctx)
        values = completion_values(ds, what, incomplete) if ds else []
        return [_as_typed(v, incomplete) for v in values]

    return complete


def _as_typed(value: str, incomplete: str) -> str:
    start = value[: len(incomplete)]
    if start == incomplete or fold(start) != fold(incomplete):
        return value
    rest = value[len(incomplete) :]  # in the case typed: "united kingdom" after "uni"
    rest = rest.lower() if incomplete.islower() else rest.upper() if incomplete.isupper() else rest
    _SPELLED[incomplete + rest] = value
    return incomplete + rest


def answers(values: list[str], incomplete: str) -> list[str]:
    """The words bash is given: the data's spelling when bash can put it in place of what was
    typed (one answer, or several whose common start is at least as long as the word), else
    as typed, so bash never cuts the word back to a shorter common start."""
    spelled = [_SPELLED.get(v, v) for v in values]
    if len(spelled) <= 1:
        return spelled
    head = spelled[0][: len(incomplete)]
    long_enough = len(head) == len(incomplete) and all(s.startswith(head) for s in spelled)
    return spelled if long_enough else values


def complete_words(*words: str) -> Callable[..., list[str]]:
    """Completion from a fixed vocabulary; after a comma, of the next word of a list."""

    def complete(incomplete: str) -> list[str]:
        done, _, last = incomplete.rpartition(",")
        prefix = done + "," if done else ""
        given = done.split(",")
        return [_as_typed(prefix + w, incomplete) for w in _matching(words, last) if w not in given]

    return complete


def complete_currencies(ctx: typer.Context, incomplete: str) -> list[str]:
    """The currencies of the data and those wpq converts between, in the case typed (a shell
    keeps only words that start as typed); after a comma, the next of a list."""
    from ..questions.rates import currencies

    ds = _completion_dataset(ctx)
    codes = sorted({*(completion_values(ds, "currencies") if ds else []), *currencies()})
    done, _, last = incomplete.rpartition(",")
    prefix = done + "," if done else ""
    given = done.upper().split(",")
    fits = [c for c in _matching(codes, last) if c not in given]
    return [prefix + (c.lower() if last.islower() else c) for c in fits]


# Characters bash takes for itself in a word; anything else is written as is.
_BASH_SPECIAL = re.compile(r"([^\w@%+,./:=-])")


def escape_for_bash(value: str, quote: str = "") -> str:
    """``value`` as one bash word: ``United Kingdom`` -> ``United\\ Kingdom``; inside the
    ``quote`` the word was opened with, as that quote needs it (``"Home`` -> ``Home Office``)."""
    if quote == '"':
        return re.sub(r'([\\"$`])', r"\\\1", value)
    if quote == "'":
        return value.replace("'", "'\\''")
    return _BASH_SPECIAL.sub(r"\\\1", value)


def open_quote(line: str) -> str:
    """The quote still open at the end of ``line`` (``'``, ``"``), as bash reads it; ''."""
    quote, escaped = "", False
    for char in line:
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
    return quote


def use_escaping_bash_completion() -> None:
    """Make ``_WPQ_COMPLETE=complete_bash`` answer words bash can insert as they are.

    Typer's bash script puts each answer into COMPREPLY unquoted, so a name with a space
    would become two words; answers are escaped here, as bash escapes file names, or as
    the quote the word was opened with needs (bash then closes it). Call after
    Typer has built the command (that registers Typer's own completion classes).
    """
    from typer._click.shell_completion import CompletionItem, add_completion_class
    from typer._completion_classes import BashComplete

    class EscapingBashComplete(BashComplete):
        def complete(self) -> str:
            args, incomplete = self.get_completion_args()
            values = [str(item.value) for item in self.get_completions(args, incomplete)]
            quote = open_quote(os.environ.get("COMP_WORDS", ""))
            return "\n".join(escape_for_bash(v, quote) for v in answers(values, incomplete))

        def format_completion(self, item: CompletionItem) -> str:
            return escape_for_bash(str(item.value))

    add_completion_class(EscapingBashComplete, "bash")


def complete_fields(ctx: typer.Context, incomplete: str) -> list[str]:
    """Field names of the command being completed; after a comma, the next one."""
    done, _, last = incomplete.rpartition(",")
    prefix = done + "," if done else ""
    fields = listing_fields(ctx.info_name or "")
    return [prefix + f for f in _matching(fields, last) if f not in done.split(",")]
