"""Unchecked twins of the record types, for records that were checked when they were stored.

``trusted(Pledge)`` is a subclass of ``Pledge`` with the same fields, names and defaults,
but without the patterns and ranges of the model (``Meta`` constraints), which msgspec would
otherwise run again on every id, date and code as it decodes. The cache decodes into these:
its records passed every check before they were written, and each byte read is CRC-checked.
Instances are ``Pledge``s for every purpose but ``type(x) is Pledge``.
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Any

import msgspec


@functools.cache
def trusted(record_type: type[msgspec.Struct]) -> Any:
    """The unchecked subclass of ``record_type`` (nested record types likewise)."""
    hints = typing.get_type_hints(record_type, include_extras=True)
    fields = []
    for field in msgspec.structs.fields(record_type):
        if field.required:
            default = msgspec.field(name=field.encode_name)
        elif field.default_factory is not msgspec.NODEFAULT:
            default = msgspec.field(default_factory=field.default_factory, name=field.encode_name)
        else:
            default = msgspec.field(default=field.default, name=field.encode_name)
        fields.append((field.name, _unchecked(hints[field.name]), default))
    config = record_type.__struct_config__
    return msgspec.defstruct(
        record_type.__name__,
        fields,
        bases=(record_type,),
        module=record_type.__module__,
        frozen=config.frozen,
        kw_only=True,
        omit_defaults=config.omit_defaults,
        forbid_unknown_fields=config.forbid_unknown_fields,
        array_like=config.array_like,
    )


def _unchecked(annotation: Any) -> Any:
    """``annotation`` without ``Meta`` constraints, with nested records made unchecked."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _unchecked(args[0])
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple[_unchecked(args[0]), ...]  # type: ignore[misc]
        return tuple[tuple(_unchecked(a) for a in args)]  # type: ignore[misc]
    if origin in (typing.Union, types.UnionType):
        return typing.Union[tuple(_unchecked(a) for a in args)]  # noqa: UP007
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return trusted(annotation)
    return annotation
