"""The house of DESIGN §8: the stages in their folders, arrows that run one way, no import
circle, a core that never reaches for the command line or Rich, and modules small enough
to read.

Imports are read from each module's source (every ``import``, at the top or inside a
function, except those under ``if TYPE_CHECKING:``), so a lazy import cannot hide a circle
or an arrow that runs upwards.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "wpq"
MODULES = {
    ".".join(path.relative_to(PACKAGE).with_suffix("").parts): path
    for path in sorted(PACKAGE.rglob("*.py"))
}
FOLDERS = sorted(name.rsplit(".", 1)[0] for name in MODULES if name.endswith(".__init__"))
# DESIGN §8's list, top to bottom: a module may import its own level and the levels below,
# never one above; two folders on one level stay apart (render and export, load and cache).
LEVELS = [
    ("__main__", "cli", "commands"),
    ("render", "export"),
    ("__init__", "query", "questions"),
    ("loader",),
    ("load", "cache"),
    (
        "model",
        "values",
        "indexes",
        "references",
        "errors",
        "vocabulary",
        "settings",
        "descriptions",
    ),
]
CORE_FOLDERS = ("questions", "load", "cache", "export")
SHELL = ("typer", "rich", "click")
MAX_LINES = 400


def place(module: str) -> str:
    """The folder a module stands in, or the module itself at the top of the package."""
    return module.split(".")[0]


def level(module: str) -> int:
    return next(i for i, names in enumerate(LEVELS) if place(module) in names)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _own(dotted: list[str]) -> str | None:
    """wpq's module that ``dotted`` (below ``wpq``) names: a module, or a folder's __init__."""
    name = ".".join(dotted)
    if name in MODULES:
        return name
    if f"{name}.__init__" in MODULES:
        return f"{name}.__init__"
    return None


def imports_of(module: str) -> set[str]:
    """What ``module`` imports: wpq's own modules by their dotted name below ``wpq``
    (``questions.names``, ``load.__init__``), other packages by their first part."""
    tree = ast.parse(MODULES[module].read_text())
    package = module.split(".")[:-1]
    found: set[str] = set()

    def add(dotted: list[str], names: list[str]) -> None:
        for name in names:  # ``from .questions import names`` imports a module
            own = _own([*dotted, name])
            if own is not None:
                found.add(own)
        own = _own(dotted)
        if own is not None and (own != "__init__" or not names):
            found.add(own)

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "wpq":
                    add(parts[1:], [])
                else:
                    found.add(parts[0])
        elif isinstance(node, ast.ImportFrom):
            names = [alias.name for alias in node.names]
            if node.level == 0:
                parts = (node.module or "").split(".")
                if parts[0] == "wpq":
                    add(parts[1:], names)
                else:
                    found.add(parts[0])
            else:
                base = package[: len(package) - (node.level - 1)]
                add([*base, *(node.module.split(".") if node.module else [])], names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    found.discard(module)
    return found


def own_imports(module: str) -> set[str]:
    return {name for name in imports_of(module) if name in MODULES}


def test_the_folders_of_the_design_are_there() -> None:
    assert {"commands", "render", "export", "questions", "load", "cache"} <= set(FOLDERS)
    for name in ("cli", "loader", "model", "errors", "vocabulary", "query"):
        assert name in MODULES
    assert (PACKAGE / "data").is_dir()


def test_every_module_has_its_place_on_a_level() -> None:
    for module in MODULES:
        level(module)  # raises StopIteration for a module §8's list does not place


def test_the_walk_sees_lazy_imports_and_skips_type_checking_ones() -> None:
    # output imports the table only inside functions, and options only for type checking
    assert "render.table" in own_imports("commands.output")
    assert "commands.options" not in own_imports("commands.output")
    assert "typer" in imports_of("cli")
    # ``from .questions import listings`` (in a function) is an import of that module
    assert "questions.listings" in own_imports("cli")


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


@pytest.mark.parametrize("module", sorted(MODULES))
def test_arrows_run_down_the_list(module: str) -> None:
    upward = sorted(
        target
        for target in own_imports(module)
        if level(target) < level(module)
        or (
            level(target) == level(module)
            and place(target) != place(module)
            and {place(target), place(module)} <= set(FOLDERS)
        )
    )
    assert upward == [], f"wpq.{module} imports from a stage above it or beside it"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if place(m) in CORE_FOLDERS))
def test_the_core_never_imports_the_command_line_or_rich(module: str) -> None:
    forbidden = [
        name
        for name in imports_of(module)
        if name in SHELL or place(name) in ("cli", "__main__", "commands", "render")
    ]
    assert forbidden == []


@pytest.mark.parametrize("folder", FOLDERS)
def test_a_folders_init_holds_no_logic(folder: str) -> None:
    tree = ast.parse(MODULES[f"{folder}.__init__"].read_text())
    for node in tree.body:
        docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        names = isinstance(node, (ast.Import, ast.ImportFrom)) or (
            isinstance(node, ast.Assign)
            and [getattr(t, "id", None) for t in node.targets] == ["__all__"]
        )
        assert docstring or names, f"wpq/{folder}/__init__.py line {node.lineno} holds logic"
    assert ast.get_docstring(tree), f"wpq/{folder}/__init__.py says nothing of what it holds"


def test_render_text_does_not_draw_tables() -> None:
    assert "render.table" not in own_imports("render.text")


def test_importing_the_python_api_loads_no_command_line() -> None:
    code = (
        "import sys, wpq\n"
        "from wpq import query\n"
        "ds = wpq.load()\n"
        "query.funding(ds, by='UK')\n"
        "ds = wpq.load(bundled=True)\n"  # wpq.load stays the function once wpq/load/ is read
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'click')"
        " or m == 'wpq.cli' or m.startswith(('wpq.commands', 'wpq.render'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd="/",
        env={"WPQ_NO_CACHE": "1", "PATH": "/usr/bin:/bin"},
    ).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_module_stays_readable(module: str) -> None:
    lines = MODULES[module].read_text().count("\n")
    assert lines <= MAX_LINES, f"wpq/{module} has {lines} lines; split it by what it holds"
