"""wpq: a sourced dataset on the fight against online child sexual exploitation, and its queries.

``import wpq`` is cheap: the loader and query functions are imported on first use.
"""

from __future__ import annotations

# The console script imports this package before ``__main__`` can install wpq's Ctrl-C
# handler: nothing here may take time (``typing`` alone costs milliseconds).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# The folder wpq/load/ would become ``wpq.load`` the first time a module in it is imported,
# hiding the function below; importing it first (it holds no code) keeps ``wpq.load`` the
# function, while ``from wpq.load import records`` still finds the folder.
from . import load as _load_folder  # noqa: E402, F401

__version__ = "0.3.0"
__all__ = ["__version__", "load"]


def load(paths: Any = (), *, bundled: bool = True) -> Any:
    """Load and check the bundled data plus ``paths``; returns a ``wpq.model.Dataset``."""
    from .loader import load_dataset

    return load_dataset(paths, bundled=bundled)
