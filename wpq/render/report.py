"""``wpq validate``'s report on a terminal: the problems under the file they are in, each
at its line and column, its message and hint wrapped to the terminal (piped, each problem
stays one ``path:line:column: message (hint)`` line, for editors and scripts).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..errors import Problem
from .table import safe_text

if TYPE_CHECKING:
    from rich.console import Console


def render_problems(console: Console, problems: Sequence[Problem]) -> None:
    """``problems`` by file (in their order), then how many there are."""
    from rich.table import Table
    from rich.text import Text

    files: dict[str, list[Problem]] = {}
    for problem in problems:
        files.setdefault(problem.path, []).append(problem)
    for path, found in files.items():
        console.print(Text(safe_text(path), style="bold"), overflow="fold")
        grid = Table.grid(padding=(0, 0, 0, 2))
        grid.add_column(no_wrap=True, justify="right")
        grid.add_column(overflow="fold")
        for problem in found:
            where = f"{problem.line}:{problem.column}" if problem.line else ""
            text = Text(safe_text(problem.message))
            if problem.hint:
                text.append("\n" + safe_text(problem.hint), style="dim")
            grid.add_row(Text(where, style="dim"), text)
        console.print(grid)
    count, places = len(problems), len(files)
    in_what = f"{places} files" if places > 1 else next(iter(files), "")
    render_said(console, f"{count} problem{'s' if count != 1 else ''} in {in_what}")


def render_said(console: Console, line: str) -> None:
    """A message, ``wpq: line``, wrapped to the terminal (a path too long for a line folds)."""
    from rich.text import Text

    console.print(Text("wpq: " + safe_text(line)), overflow="fold")
