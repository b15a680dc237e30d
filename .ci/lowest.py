"""Print pip constraints that pin each dependency to the lowest version pyproject.toml allows.

    python3 .ci/lowest.py [EXTRA ...] > constraints.txt

Covers ``[project] dependencies`` and the named optional extras (default: test). Each
``name>=X`` becomes ``name==X``, so every lower bound must be a real release: one that is
not fails the install, and CI with it. Derived from pyproject.toml so the two cannot drift.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

_REQUIREMENT = re.compile(r"^\s*(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^]]*\])?(?P<spec>[^;]*)")


def lowest(requirement: str) -> str | None:
    match = _REQUIREMENT.match(requirement)
    if match is None:
        raise SystemExit(f"lowest.py: cannot read requirement {requirement!r}")
    bound = re.search(r">=\s*([^,\s]+)", match["spec"])
    return f"{match['name']}=={bound[1]}" if bound else None


def main(extras: list[str]) -> None:
    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())[
        "project"
    ]
    requirements = list(project.get("dependencies", []))
    for extra in extras or ["test"]:
        requirements += project.get("optional-dependencies", {}).get(extra, [])
    pins = dict.fromkeys(filter(None, (lowest(r) for r in requirements)))
    sys.stdout.write("".join(pin + "\n" for pin in pins))


if __name__ == "__main__":
    main(sys.argv[1:])
