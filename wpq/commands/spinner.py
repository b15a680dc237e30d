"""A spinner on stderr while data loads, shown only on a terminal and only when loading
takes a while; Rich is imported only when it is drawn."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import printable


@contextmanager
def load_progress(after: float = 1.0) -> Iterator[Callable[[str, int, int], None] | None]:
    """A spinner on stderr, shown only on a terminal and only once loading takes ``after`` s."""
    if not sys.stderr.isatty():
        yield None
        return
    import threading

    lock = threading.Lock()
    state: dict[str, Any] = {"text": "Loading data", "status": None, "done": False}

    def start() -> None:
        from rich.console import Console
        from rich.text import Text

        with lock:
            if not state["done"]:
                # Text, never a markup string: a file named "[reverse]x.yaml" is shown as named
                state["status"] = Console(stderr=True).status(Text(state["text"]))
                state["status"].start()

    class Progress:
        def __call__(self, name: str, done: int, total: int) -> None:
            with lock:
                state["text"] = (
                    f"Reading {printable(Path(name).name)} ({done + 1} of {total} files)"
                )
                if state["status"] is not None:
                    from rich.text import Text

                    state["status"].update(Text(state["text"]))

        def waiting(self, name: str) -> None:
            """A named pipe with no writer: said once, on a line of its own."""
            with lock:
                running = state["status"]
                if running is not None:
                    running.stop()
                with contextlib.suppress(OSError, ValueError):
                    sys.stderr.write(f"wpq: waiting for a writer on {printable(name)}\n")
                    sys.stderr.flush()
                state["text"] = f"Waiting for a writer on {printable(Path(name).name)}"
                if running is not None:
                    from rich.text import Text

                    running.update(Text(state["text"]))
                    running.start()

    progress = Progress()

    from ..load.text import start_for_main

    timer = threading.Timer(after, start)
    timer.daemon = True
    start_for_main(timer)  # and Rich's thread, started in it: Ctrl-C is the main thread's
    try:
        yield progress
    finally:
        timer.cancel()
        with lock:
            state["done"] = True
            if state["status"] is not None:
                state["status"].stop()
