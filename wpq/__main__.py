"""``python -m wpq`` and the ``wpq`` console script."""

from __future__ import annotations

import os
import sys


def run() -> None:
    try:
        from .cli import main

        status = main()
    except KeyboardInterrupt:  # before wpq's own handler is in place
        sys.stderr.write("wpq: interrupted\n")
        status = 130
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    # Skip tearing down every imported module: output is flushed, nothing else is pending,
    # and the teardown costs a few milliseconds on each run.
    os._exit(status)


if __name__ == "__main__":
    run()
