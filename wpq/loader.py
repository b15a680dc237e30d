"""Where data comes from, and loading it: files named -> a checked ``Dataset``.

The first step of the flow. A set of files loaded before is answered from the cache
(``cache/policy.py``); otherwise ``load/records.py`` parses, converts and checks them, and
the result is cached. Nothing heavy is imported here, so a cached load costs little more
than reading one file.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from . import settings
from .errors import Problem
from .model import Dataset

# Not resolved: ``__file__`` is absolute, and resolving its links costs a query 0.1 ms or more
# (a file named twice is found by ``_unique``, which resolves what it compares).
BUNDLED_DIR = Path(__file__).parent / "data"
YAML_SUFFIXES = (".yaml", ".yml")

Progress = Callable[[str, int, int], None]


def bundled_paths() -> list[Path]:
    return sorted(p for p in BUNDLED_DIR.iterdir() if p.suffix in YAML_SUFFIXES)


def env_paths(environ: dict[str, str] | None = None) -> list[str]:
    """Paths named by ``WPQ_DATA`` (separated by ``os.pathsep``)."""
    value = (os.environ if environ is None else environ).get("WPQ_DATA", "")
    return [p for p in value.split(os.pathsep) if p]


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[Problem]]:
    """Files named directly, and the ``*.yaml``/``*.yml`` files of named directories.

    A path that names nothing is a problem: an empty one, a missing one, a symbolic link
    that leads nowhere or in a loop (named, or found in a directory: never skipped).
    """
    files: list[Path] = []
    problems: list[Problem] = []
    for raw in paths:
        if str(raw) == "":
            problems.append(
                Problem("''", message="empty path", hint="name a file or a directory ('.')")
            )
            continue
        path = Path(raw)
        try:
            if not path.is_dir():
                _add(path, files, problems)
                continue
            found = sorted(p for p in path.iterdir() if p.suffix in YAML_SUFFIXES)
            found = [p for p in found if not p.is_dir()]
            if not found:
                problems.append(
                    Problem(
                        str(path),
                        message="directory holds no .yaml or .yml files",
                        hint="name a file, or a directory of data files",
                    )
                )
            for file in found:
                _add(file, files, problems, regular=True)
        except OSError as exc:  # an unreadable directory, a name too long
            problems.append(Problem(str(path), message=f"cannot read: {exc.strerror or exc}"))
        except ValueError as exc:  # a NUL byte in the name
            problems.append(Problem(repr(str(path)), message=f"invalid path: {exc}"))
    return files, problems


def _add(path: Path, files: list[Path], problems: list[Problem], *, regular: bool = False) -> None:
    """Add ``path`` to ``files``, or why it names no file to ``problems``: nothing there, a
    link that leads nowhere or in a loop, or (with ``regular``, for a directory's files) a
    pipe or device, which a directory holds by mistake."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            problems.append(
                Problem(str(path), message="symbolic link loop", hint="fix or remove the link")
            )
        elif exc.errno != errno.ENOENT:
            problems.append(Problem(str(path), message=f"cannot read: {exc.strerror or exc}"))
        elif path.is_symlink():
            problems.append(
                Problem(
                    str(path),
                    message=f"broken symbolic link to '{os.readlink(path)}'",
                    hint="fix or remove the link",
                )
            )
        else:
            problems.append(Problem(str(path), message="no such file or directory"))
        return
    if regular and not stat.S_ISREG(mode):
        problems.append(
            Problem(str(path), message="not a regular file", hint="a data file holds YAML text")
        )
        return
    files.append(path)


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

    Countries are completed from ISO 3166-1 whenever files are read (``load/countries.py``).
    ``check_codes`` also checks currency codes against ISO 4217 (pycountry); by default only
    when user data is loaded, as the bundled data is checked by its tests.
    ``cache`` (default: on unless ``WPQ_NO_CACHE`` says yes) answers from, and fills, the
    cache of checked datasets. ``progress(file, done, total)`` hears of each file read when
    the cache cannot answer. Raises ``DataError`` listing every problem.
    """
    from .cache import policy as dataset_cache

    settings.check()  # warm or cold alike: the cache must not hide a setting wpq cannot read
    files, problems = expand_paths(paths)
    if files:  # a file named twice, or bundled and named, is read once
        files = _unique([*bundled_paths(), *files] if bundled else files)
    elif bundled:
        files = bundled_paths()  # distinct by construction
    if check_codes is None:
        check_codes = bool(paths)
    use_cache = not dataset_cache.disabled() if cache is None else cache
    key = None

    def load_files() -> Dataset:
        from .load.records import load_checked

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
