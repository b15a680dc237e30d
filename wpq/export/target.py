"""Where a file wpq writes may go, and writing it whole: the one rule of ``wpq new`` and
``wpq export`` (and of any command that writes files). A directory wpq writes in (a bundle's)
is an existing directory, never a link to one, or one it makes.

A file is written only where nothing is, or, when asked to replace (``--force``), over a
regular file. Nothing else is ever replaced or written through: not a directory, a device
(``/dev/null``), a FIFO or a socket, and not a symbolic link, dangling or not (name the
file itself). The content goes to a temporary file beside the target, which takes the
target's name only when complete: without ``force`` by a hard link, which fails if anything
took the name meanwhile; with it by a rename, which replaces the file's entry and never
writes into what was there.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import OutputError, UsageError

# What stands at a path, by the type bits of its mode, as messages name it.
_KINDS = {
    stat.S_IFDIR: "a directory",
    stat.S_IFLNK: "a symbolic link",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
}
# A hard link cannot be made here (FAT, some network file systems): rename instead.
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.ENOSYS}


def _standing(path: Path, *, cannot: str, name_it: str) -> os.stat_result | None:
    """What stands at ``path`` (None: nothing), never a symbolic link: ``UsageError`` names
    it and asks for ``name_it``; ``cannot`` begins the message of a path that cannot be
    looked at (``cannot write``)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except ValueError as exc:  # a NUL byte in the name
        raise UsageError(f"invalid path {str(path)!r}: {exc}") from None
    except OSError as exc:  # a name too long, a parent that is a file
        raise OutputError(f"{cannot} {path}: {exc.strerror or exc}") from None
    if stat.S_ISLNK(info.st_mode):
        raise UsageError(
            f"{path} is a symbolic link to '{os.readlink(path)}'; wpq never writes through "
            f"{name_it}"
        )
    return info


def check_target(
    path: Path, *, force: bool, replace_hint: str = "use --force to replace it"
) -> int | None:
    """Refuse ``path`` unless a file may be written there: the mode of the regular file it
    replaces (``force``), or None when nothing is there. ``UsageError`` otherwise."""
    info = _standing(
        path, cannot="cannot write", name_it="or replaces a link: name the file itself"
    )
    if info is None:
        return None
    kind = stat.S_IFMT(info.st_mode)
    if kind != stat.S_IFREG:
        what = _KINDS.get(kind, "not a regular file")
        raise UsageError(f"{path} is {what}; wpq writes only regular files")
    if not force:
        raise UsageError(f"{path} already exists; {replace_hint}")
    return stat.S_IMODE(info.st_mode)


@contextlib.contextmanager
def writing(
    path: Path, *, force: bool, replace_hint: str = "use --force to replace it"
) -> Iterator[Path]:
    """A temporary file beside ``path`` to write, given ``path``'s name when the block ends
    without an error; removed otherwise (an interruption, a full disk).

    Raises ``UsageError`` for a target that may not be written (``check_target``), and
    ``OutputError`` (exit 74) when the file cannot be written.
    """
    path = Path(path)
    mode = check_target(path, force=force, replace_hint=replace_hint)
    directory = path.parent
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except FileNotFoundError:
        raise OutputError(f"cannot write {path}: no such directory {directory}") from None
    except NotADirectoryError:
        raise OutputError(f"cannot write {path}: {directory} is not a directory") from None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
    temp = Path(name)
    try:
        os.fchmod(fd, mode if mode is not None else 0o666 & ~_umask())
        os.close(fd)
        yield temp
        _put(temp, path, force=force, replace_hint=replace_hint)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def check_directory(path: Path) -> bool:
    """Whether ``path`` is a directory wpq may write its files in (False: nothing is there
    yet); ``UsageError`` for a link, even to a directory, and for anything else."""
    info = _standing(path, cannot="cannot write in", name_it="a link: name the directory itself")
    if info is None:
        return False
    kind = stat.S_IFMT(info.st_mode)
    if kind != stat.S_IFDIR:
        what = "a regular file" if kind == stat.S_IFREG else _KINDS.get(kind, "not a directory")
        raise UsageError(f"{path} is {what}; name a directory (a new one is made)")
    return True


def make_directory(path: Path) -> None:
    """A new directory ``path`` unless ``check_directory`` finds one (its parent must exist)."""
    if check_directory(path):
        return
    try:
        os.mkdir(path)
    except FileExistsError:  # made meanwhile: taken only if it is a directory
        check_directory(path)
    except FileNotFoundError:
        raise OutputError(f"cannot write {path}: no such directory {path.parent}") from None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def _put(temp: Path, path: Path, *, force: bool, replace_hint: str) -> None:
    """Give ``temp`` the name ``path``, checked again: something may have taken it since."""
    check_target(path, force=force, replace_hint=replace_hint)
    try:
        if force:
            os.replace(temp, path)
            return
        try:
            os.link(temp, path)
        except FileExistsError:
            raise UsageError(f"{path} already exists; {replace_hint}") from None
        except OSError as exc:
            if exc.errno not in _NO_LINKS:
                raise
            os.replace(temp, path)  # checked just above: nothing is there
            return
        os.unlink(temp)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def _umask() -> int:
    """The process's umask (there is no way to read it without setting it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
