"""Help that reads as written: each paragraph of a command's help whole (Typer's Rich help
keeps a docstring's line breaks, so sentences broke where the source code wrapped them),
and required arguments named plainly in usage lines (``wpq show [OPTIONS] ID``, where
Typer writes ``{ID}``)."""

from __future__ import annotations

import re
from typing import Any

from typer.core import TyperArgument


class _Argument(TyperArgument):
    """An argument whose usage reads ``ID``, ``TEXT``: required, without Typer's braces."""

    def make_metavar(self, ctx: Any, *, usage: bool = False) -> str:
        text = super().make_metavar(ctx, usage=usage)
        return text[1:-1] if text.startswith("{") and text.endswith("}") else text


def tidy(command: Any) -> Any:
    """``command`` and every command under it, their help and usage tidied; returns it."""
    if command.help:
        command.help = unwrap(command.help)
    for param in command.params:
        if type(param) is TyperArgument:
            param.__class__ = _Argument
    for sub in getattr(command, "commands", {}).values():
        tidy(sub)
    return command


def unwrap(text: str) -> str:
    """``text`` with each paragraph on one line (paragraphs stay apart; one that starts
    with ``\\b`` keeps its lines, as Click's convention has it)."""
    import inspect

    paragraphs = re.split(r"\n\s*\n", inspect.cleandoc(text))
    return "\n\n".join(p if p.startswith("\b") else " ".join(p.split()) for p in paragraphs)
