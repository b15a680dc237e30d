"""The text of one value in a cell: shared by the plain formats (render) and tables (table)."""

from __future__ import annotations

from typing import Any

import msgspec


def cell_text(value: Any) -> str:
    """One value as text for a TSV/CSV/table cell: lists joined by '; ', mappings as JSON."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        if any(isinstance(v, (dict, list)) for v in value):
            return msgspec.json.encode(value).decode()
        return "; ".join(cell_text(v) for v in value)
    if isinstance(value, dict):
        return msgspec.json.encode(value).decode()
    return str(value)
