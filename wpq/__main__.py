"""``python -m wpq`` and the ``wpq`` console script."""

from __future__ import annotations

import _signal  # type: ignore[import-not-found]  # ``signal`` imports ``enum``: slow
import os
import sys


def _interrupted_early(signum: int, frame: object) -> None:
    """Ctrl-C before wpq's own handler is in place (``cli.main``): nothing is written or
    half done yet, so end at once, with the message and status of any interruption."""
    try:
        os.write(2, b"wpq: interrupted\n")
    finally:  # a closed stderr loses the message, never the status
        os._exit(130)


def _is_the_program() -> bool:
    """Whether this process is wpq: ``python -m wpq`` or the ``wpq`` console script, which
    imports this module (not a program that imports it)."""
    return __name__ == "__main__" or os.path.basename(sys.argv[0] if sys.argv else "").startswith(
        "wpq"
    )


# First of all, before the imports below (and wpq's, which take tens of milliseconds): a
# Ctrl-C from now on ends wpq with one line, never a Python traceback. What comes before
# this line is Python's own start and the console script finding this module.
if _is_the_program() and _signal.getsignal(_signal.SIGINT) is _signal.default_int_handler:
    _signal.signal(_signal.SIGINT, _interrupted_early)

import contextlib  # noqa: E402
import errno  # noqa: E402
import gc  # noqa: E402
import importlib  # noqa: E402
import io  # noqa: E402
import types  # noqa: E402

OUTPUT_ERROR = 74  # errors.ExitStatus.OUTPUT_ERROR, without importing wpq before it runs
INTERRUPTED = 130


class _ClosedStdout(io.TextIOBase):
    """stdout when the shell closed it (``wpq events >&-``): writing fails as writing to a
    closed descriptor does, so a command ends with wpq's one-line write error."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text:
            raise OSError(errno.EBADF, "stdout is closed")
        return 0

    def fileno(self) -> int:
        return 1  # /dev/null now (``_fill_closed_streams``)


def _fill_closed_streams() -> None:
    """Give each closed standard descriptor /dev/null, so no file wpq opens can take its
    number (and be written or read as stdin, stdout or stderr): reading a closed stdin finds
    nothing, a message to a closed stderr is lost, and output to a closed stdout fails."""
    for fd, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is not None:
            continue
        devnull = os.open(os.devnull, os.O_RDWR)
        if devnull != fd:
            os.dup2(devnull, fd)
            os.close(devnull)
        if fd == 1:
            sys.stdout = _ClosedStdout()
        else:
            setattr(sys, name, open(fd, "r" if fd == 0 else "w", closefd=False))  # noqa: SIM115


def _flush(status: int) -> int:
    """Flush what is left; output that cannot be written changes a success to 74."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    except (OSError, ValueError) as exc:
        if status == 0:
            message = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            _say(f"cannot write output: {message}")
            status = OUTPUT_ERROR
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    return status


def _say(line: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.write(f"wpq: {line}\n")


class _OnFirstUse(types.ModuleType):
    """Stands in ``sys.modules`` for a submodule of msgspec that its package imports but
    wpq's queries never use (``msgspec.inspect`` and the TOML and YAML codecs: some 1.5 ms);
    the first attribute read imports the real module, under its own name, and reads it
    there. ``__spec__`` is left None, so the import system never loads it by looking."""

    def __getattr__(self, attribute: str) -> object:
        real = sys.modules.get(self.__name__)
        if real is self or real is None:
            sys.modules.pop(self.__name__, None)
            real = importlib.import_module(self.__name__)
        return getattr(real, attribute)


_UNUSED_BY_QUERIES = ("msgspec.inspect", "msgspec.toml", "msgspec.yaml")


def _msgspec_alone() -> None:
    """Import msgspec without ``typing_extensions``, which it would import (some 2 ms, a
    tenth of what wpq adds to Python's start) only to read that module's own kinds of type,
    which wpq never uses; ``typing`` serves instead. Anything imported later that wants
    ``typing_extensions`` gets it as usual."""
    if "msgspec" in sys.modules or "typing_extensions" in sys.modules:
        return
    sys.modules["typing_extensions"] = None  # type: ignore[assignment]
    for name in _UNUSED_BY_QUERIES:
        sys.modules[name] = _OnFirstUse(name)
    try:
        import msgspec  # noqa: F401
    except ImportError:  # a msgspec that needs it after all: imported as usual, later
        for name in [n for n in sys.modules if n.partition(".")[0] == "msgspec"]:
            del sys.modules[name]
    finally:
        del sys.modules["typing_extensions"]


def run() -> None:
    _fill_closed_streams()
    # A query makes a few objects per record and frees them when it ends: the cyclic
    # collector would only walk them again and again (docs/performance.md).
    gc.disable()
    try:
        _msgspec_alone()
        from .cli import main

        status = main()
    except KeyboardInterrupt:  # raised by a handler other than wpq's (an embedding program)
        _say("interrupted")
        status = INTERRUPTED
    # Skip tearing down every imported module: output is flushed, nothing else is pending,
    # and the teardown costs a few milliseconds on each run.
    os._exit(_flush(status))


if __name__ == "__main__":
    run()
