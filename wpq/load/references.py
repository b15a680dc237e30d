"""The references a record makes, for the loader's checks: ``wpq/references.py`` holds them,
beside the model, as the cache re-checks them too (``cache/audit.py``)."""

from __future__ import annotations

from ..references import REFERENCE_FIELDS, reference_fields, reference_target, references

__all__ = ["REFERENCE_FIELDS", "reference_fields", "reference_target", "references"]
