"""``python -m wpq`` and the ``wpq`` console script."""

from __future__ import annotations

import sys


def run() -> None:
    try:
        from .cli import main

        status = main()
    except KeyboardInterrupt:  # before wpq's own handler is in place
        sys.stderr.write("wpq: interrupted\n")
        status = 130
    sys.exit(status)


if __name__ == "__main__":
    run()
