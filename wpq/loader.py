"""Where data comes from, and loading it: files named -> a checked ``Dataset``.

The first step of the flow. A set of files loaded before is answered from the cache
(``cache.py``); otherwise ``records.py`` parses, converts and checks them, and the result
is cached. Nothing heavy is imported here, so a cached load costs little more than reading
one file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .errors import Problem
from .model import Dataset

BUNDLED_DIR = Path(__file__).resolve().parent / "data"
YAML_SUFFIXES = (".yaml", ".yml")

Progress = Callable[[str, int, int], None]


def bundled_paths() -> list[Path]:
    return sorted(p for p in BUNDLED_DIR.iterdir() if p.suffix in YAML_SUFFIXES)


def env_paths(environ: dict[str, str] | None = None) -> list[str]:
    """Paths named by ``WPQ_DATA`` (separated by ``os.pathsep``)."""
    value = (os.environ if environ is None else environ).get("WPQ_DATA", "")
    return [p for p in value.split(os.pathsep) if p]


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Files named directly, and the ``*.yaml``/``*.yml`` files of named directories."""
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        path = Path(raw)
        try:
            if path.is_dir():
                found = sorted(
                    p for p in path.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file()
                )
                if not found:
                    problems.append(
                        Problem(
                            str(path),
                            message="directory holds no .yaml or .yml files",
                            hint="name a file, or a directory of data files",
                        )
                    )
                files.extend(found)
            elif not path.exists():
                problems.append(Problem(str(path), message="no such file or directory"))
            else:
                files.append(path)
        except OSError as exc:  # an unreadable directory, a name too long
            problems.append(Problem(str(path), message=f"cannot read: {exc.strerror or exc}"))
        except ValueError as exc:  # a NUL byte in the name
            problems.append(Problem(repr(str(path)), message=f"invalid path: {exc}"))
    return files, problems


def _unique(files: Iterable[Path]) -> list[Path]:
    """``files`` without repeats: a file named twice (or bundled and named) is read once."""
    seen: set[Path] = set()
    unique: list[Path] = []
    for path in files:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):  # a symlink loop: left for reading to report
            key = path
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique


def load_dataset(
    paths: Sequence[str | Path] = (),
    *,
    bundled: bool = True,
    check_codes: bool | None = None,
    cache: bool | None = None,
    progress: Progress | None = None,
) -> Dataset:
    """Load the bundled data (unless ``bundled`` is false) and ``paths`` into a Dataset.

    ``check_codes`` checks country and currency codes against ISO 3166/4217 (pycountry);
    by default only when user data is loaded, as the bundled data is checked by its tests.
    ``cache`` (default: on unless ``WPQ_NO_CACHE`` is set) answers from, and fills, the
    cache of checked datasets. ``progress(file, done, total)`` hears of each file read when
    the cache cannot answer. Raises ``DataError`` listing every problem.
    """
    from . import cache as dataset_cache

    files, problems = expand_paths(paths)
    if bundled:
        files = bundled_paths() + files
    files = _unique(files)
    if check_codes is None:
        check_codes = bool(paths)
    use_cache = not dataset_cache.disabled() if cache is None else cache
    key = None

    def load_files() -> Dataset:
        from .records import load_checked

        dataset = load_checked(files, list(problems), check_codes=check_codes, progress=progress)
        if key:
            dataset_cache.write(key, dataset)
        return dataset

    if use_cache and not problems:
        key = dataset_cache.key(files, checks="codes" if check_codes else "references")
        cached = dataset_cache.read(key, reload=load_files) if key else None
        if cached is not None:
            return cached
    return load_files()
