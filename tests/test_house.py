"""The house of DESIGN §8: no import circles inside wpq, a core that never reaches for the
command line or Rich, and modules small enough to read.

Imports are read from each module's source (every ``import``, at the top or inside a
function, except those under ``if TYPE_CHECKING:``), so a lazy import cannot hide a circle.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "wpq"
MODULES = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
# The command line and what only it uses; everything else is the core.
SHELL = {
    "__main__",
    "card",
    "cli",
    "completion",
    "datacli",
    "directorycli",
    "options",
    "output",
    "recordcli",
    "spinner",
    "table",
}
CORE = [m for m in MODULES if m not in SHELL]
MAX_LINES = 400


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(module: str) -> set[str]:
    """Top-level names imported by ``wpq/<module>.py``: wpq's own modules by their short
    name (``names``), other packages by their first part (``typer``, ``rich``)."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text())
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                found.add(parts[1] if parts[0] == "wpq" and len(parts) > 1 else parts[0])
        elif isinstance(node, ast.ImportFrom):
            if node.level == 0:
                parts = (node.module or "").split(".")
                found.add(parts[1] if parts[0] == "wpq" and len(parts) > 1 else parts[0])
            elif node.module:
                found.add(node.module.split(".")[0])
            else:  # from . import a, b
                found.update(alias.name for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def own_imports(module: str) -> set[str]:
    return {name for name in imports_of(module) if name in MODULES and name != module}


def test_the_walk_sees_lazy_imports_and_skips_type_checking_ones() -> None:
    # output imports table only inside functions, and options only for type checking
    assert "table" in own_imports("output")
    assert "options" not in own_imports("output")
    assert "typer" in imports_of("cli")


def test_no_import_circle_inside_wpq() -> None:
    graph = {module: own_imports(module) for module in MODULES}
    circles = []
    for start in MODULES:
        # every module reachable from start; a path back to start is a circle
        todo, seen, parent = [start], {start}, {start: ""}
        while todo:
            current = todo.pop()
            for target in sorted(graph[current]):
                if target == start:
                    path, node = [start], current
                    while node != start:
                        path.append(node)
                        node = parent[node]
                    circles.append(" -> ".join([start, *reversed(path[1:]), start]))
                elif target not in seen:
                    seen.add(target)
                    parent[target] = current
                    todo.append(target)
    assert circles == []


@pytest.mark.parametrize("module", CORE)
def test_the_core_never_imports_the_command_line_or_rich(module: str) -> None:
    forbidden = {"typer", "rich", "click"} | SHELL
    assert imports_of(module) & forbidden == set()


def test_render_does_not_draw_tables() -> None:
    assert "table" not in own_imports("render")


def test_importing_the_python_api_loads_no_command_line() -> None:
    code = (
        "import sys, wpq\n"
        "from wpq import query\n"
        "ds = wpq.load()\n"
        "query.funding(ds, by='UK')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'click')"
        " or m in ('wpq.cli', 'wpq.output', 'wpq.options', 'wpq.table', 'wpq.card')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/"
    ).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("module", MODULES)
def test_each_module_stays_readable(module: str) -> None:
    lines = (PACKAGE / f"{module}.py").read_text().count("\n")
    assert lines <= MAX_LINES, f"wpq/{module}.py has {lines} lines; split it by what it holds"
