"""A record that failed to convert to its type: every problem with it, in a user's words.

msgspec stops at a record's first bad field and names patterns by their regex; here each
field is converted on its own, so two bad fields give two problems, and each message says
what the value should be, with a hint.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import msgspec

from ..errors import did_you_mean
from ..model import Record
from ..references import reference_target
from ..values import (
    ALPHA2_PATTERN,
    ALPHA3_PATTERN,
    DATE_PATTERN,
    ID_PATTERN,
    MAX_WHOLE,
    VISIBLE_PATTERN,
)
from . import check
from .check import field_path
from .pending import Pending
from .yamlfile import NULL_KEY, NodePath

# msgspec names a failed pattern by its regex; users are told what the value should be.
_PATTERN_HINTS = {
    ID_PATTERN: "an id: a lower-case slug such as 'london-2014'",
    DATE_PATTERN: 'a date: YYYY, YYYY-MM or YYYY-MM-DD, e.g. "2014-12-10"',
    ALPHA2_PATTERN: 'an ISO 3166-1 alpha-2 country code in capitals, quoted: "GB", "NO"',
    ALPHA3_PATTERN: "a three-letter ISO code in capitals",
    VISIBLE_PATTERN: "text with something to see: not only spaces or invisible characters",
}


def _pattern_hint(shown: str) -> str:
    """The hint for a regex as msgspec's message shows it (in Python's quoting: ``\\n``)."""
    for pattern, hint in _PATTERN_HINTS.items():
        if shown in (pattern, repr(pattern)[1:-1]):
            return hint
    return ""


_FIELD_HINTS = {
    "currency": "an ISO 4217 currency code in capitals: GBP, USD, EUR",
    "per": "an ISO 4217 currency code in capitals: GBP, USD, EUR",
    "iso3": "an ISO 3166-1 alpha-3 country code in capitals: GBR, NOR",
}


_AT_RE = re.compile(r"^(?P<message>.*?)(?: - at `\$(?P<path>[^`]*)`)?$", re.S)


_PATH_PART_RE = re.compile(r"\.([^.\[]+)|\[(\d+)\]")


_UNKNOWN_FIELD_RE = re.compile(r"Object contains unknown field `(?P<field>[^`]*)`")


def short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def record_problems(
    path: str, base: NodePath, item: Any, exc: msgspec.ValidationError, record_type: type[Record]
) -> list[Pending]:
    """Every problem of a record that failed to convert, not just the first msgspec saw.

    Each field is converted on its own, so two bad fields give two problems.
    """
    if not isinstance(item, dict):
        return [_conversion_problem(path, base, exc, record_type, item=item)]
    fields = {f.encode_name: f for f in msgspec.structs.fields(record_type)}
    found: list[Pending] = []
    # The record's good references are still checked: one round of fixes, not two.
    references: list[Pending] = []
    for key, value in item.items():
        field = fields.get(key) if isinstance(key, str) else None
        if key is None:
            where = field_path(str(base[0]), int(base[1]), ())
            message = f"{where}: a field with no name (the key is null: ~ or empty)"
            names = ", ".join(fields)
            found.append(Pending(path, (*base, NULL_KEY), message, f"fields: {names}", at_key=True))
            continue
        if field is None:
            found.append(_unknown_field(path, base, (), str(key), record_type))
            continue
        try:
            msgspec.convert(value, field.type)
        except msgspec.ValidationError as field_exc:
            found.append(_conversion_problem(path, base, field_exc, record_type, (key,), item=item))
            continue
        references += _references(path, base, record_type, key, value)
        if key in check.DATE_FIELDS and isinstance(value, str):
            message = check.date_problem(value)
            if message:
                where = field_path(str(base[0]), int(base[1]), (key,))
                found.append(Pending(path, (*base, key), f"{where}: {message}"))
    for name, field in fields.items():
        if field.required and name not in item:
            found.append(
                Pending(
                    path,
                    base,
                    f"{field_path(str(base[0]), int(base[1]), ())}: "
                    f"missing required field '{name}'",
                    f"add '{name}'",
                )
            )
    return (found or [_conversion_problem(path, base, exc, record_type, item=item)]) + references


def _references(
    path: str, base: NodePath, record_type: type[Record], key: str, value: Any
) -> list[Pending]:
    """A reference field's ids, each for ``check`` to look up (a problem only if unknown)."""
    target = reference_target(record_type, key)
    if target is None:
        return []
    where = field_path(str(base[0]), int(base[1]), (key,))
    if isinstance(value, str):
        return [Pending(path, (*base, key), where, reference=(target, value))]
    return [
        Pending(path, (*base, key, i), f"{where}[{i}]", reference=(target, v))
        for i, v in enumerate(value or ())
        if isinstance(v, str)
    ]


def _unknown_field(
    path: str, base: NodePath, inner: NodePath, field: str, record_type: type[Record]
) -> Pending:
    struct = _struct_at(record_type, inner)
    names = [f.encode_name for f in msgspec.structs.fields(struct)] if struct else []
    return Pending(
        path,
        (*base, *inner, field),
        f"{field_path(str(base[0]), int(base[1]), inner)}: unknown field '{field}'",
        did_you_mean(field, names) or ("fields: " + ", ".join(names) if names else ""),
        at_key=True,
    )


def _conversion_problem(
    path: str,
    base: NodePath,
    exc: msgspec.ValidationError,
    record_type: type[Record],
    prefix: NodePath = (),
    item: Any = None,
) -> Pending:
    """A msgspec error as a problem at the value it names (``prefix`` leads to that value).

    ``item`` is the record's raw value, for quoting the offending value in the message.
    """
    text = str(exc)
    key_of = _KEY_RE.match(text)
    if key_of:  # msgspec's form for a non-text key: "... - at `key` in `$.x`"
        text = f"keys must be text - at `${key_of['path']}`"
    match = _AT_RE.match(text)
    assert match is not None  # the pattern matches any text
    message, at = match["message"], match["path"] or ""
    inner = prefix + tuple(
        name if name else int(index) for name, index in _PATH_PART_RE.findall(at)
    )
    node_path = base + inner
    where = field_path(str(base[0]), int(base[1]), inner)
    unknown = _UNKNOWN_FIELD_RE.match(message)
    if unknown:
        return _unknown_field(path, base, inner, unknown["field"], record_type)
    field = next((p for p in reversed(inner) if isinstance(p, str)), "")
    hint = ""
    pattern = re.search(r"matching regex '([^']*)'", message)
    if pattern:
        hint = _FIELD_HINTS.get(field) or _pattern_hint(pattern[1])
        value = _value_at(item, inner)
        if field in ("currency", "per") and isinstance(value, str) and len(value) == 3:
            hint = _currency_fix(value) or hint
        target = _reference_target(record_type, inner)
        if target and isinstance(value, str):  # a name where an id belongs: check says whose
            return Pending(path, node_path, where, reference=(target, value))
        if inner == ("id",) and isinstance(value, str) and _slug(value):
            hint = f"an id: a lower-case slug such as '{_slug(value)}'"
        message = f"invalid value {short(value)}" if value is not _NOTHING else "invalid value"
        if isinstance(value, str) and value.endswith("\n"):
            hint = "no line break at the end: write the value on its key's line, not as a | block"
    enum = re.fullmatch(r"Invalid enum value (.*)", message)
    if enum:
        allowed = _enum_values(record_type, inner)
        message = f"invalid value {enum[1]}"
        hint = "one of: " + ", ".join(allowed) if allowed else ""
        value = _value_at(item, inner)
        close = did_you_mean(value, allowed) if isinstance(value, str) else ""
        hint = f"{close} {hint}" if close and hint else hint
    message = message.replace("Object missing required field", "missing required field")
    message = re.sub(r"`([^`]*)`", _type_words, message)
    message, hint = _explain(message, hint, field, _value_at(item, inner))
    message = message[:1].lower() + message[1:]
    return Pending(path, node_path, f"{where}: {message}", hint)


_KEY_RE = re.compile(r"^.* - at `key` in `\$(?P<path>[^`]*)`$", re.S)


_TYPE_WORDS = {
    "str": "text",
    "int": "a whole number",
    "float": "a decimal number",
    "bool": "true or false",
    "null": "nothing",
    "array": "a list",
    "object": "a mapping",
}


_NOTHING = object()


_NUMBER_LIKE = re.compile(r"[-+]?[0-9][0-9_,. ]*")


_EXPONENT = re.compile(r"[-+]?[0-9]+(\.[0-9]*)?[eE][-+]?[0-9]{1,3}")


def _type_words(match: re.Match[str]) -> str:
    """msgspec's type names (``int | null``) in a user's words (a whole number)."""
    names = match[1].split(" | ")
    if len(names) > 1 and "null" in names:
        names.remove("null")  # every optional field allows null: not worth saying
    if sorted(names) == ["float", "int"]:
        return "a number"
    return " or ".join(_TYPE_WORDS.get(name, name) for name in names)


def _explain(message: str, hint: str, field: str, value: Any) -> tuple[str, str]:
    """A plainer message and a hint for the commonest type errors."""
    if message.endswith("of length >= 1"):
        if field in ("sources", "source"):
            return "a record needs at least one source", "list the ids of the sources it rests on"
        return "must not be empty", hint
    if message == "Expected a whole number >= 0":
        return "must be a whole number, 0 or more", hint
    if message == f"Expected a whole number <= {MAX_WHOLE}":
        # a cap of wpq's own, not a fact of the data: say why it is there
        return f"must be at most {MAX_WHOLE:,} (10^15)", "wpq caps numbers so totals stay exact"
    if message == f"Expected a whole number >= -{MAX_WHOLE}":
        return f"must be at least -{MAX_WHOLE:,} (-10^15)", "wpq caps numbers so totals stay exact"
    if message.startswith("Expected text, got") and isinstance(value, (int, float)):
        if field in check.DATE_FIELDS and isinstance(value, int):
            return message, f'quote the date: "{value}"'
        written = str(value).lower() if isinstance(value, bool) else value
        return message, f'quote it: "{written}"'
    if " number, got text" in message and isinstance(value, str) and _EXPONENT.fullmatch(value):
        return message, _written_out(value)
    number_like = isinstance(value, str) and _NUMBER_LIKE.fullmatch(value)
    if message.startswith("Expected a whole number, got text") and number_like:
        digits = re.sub(r"[^0-9]", "", str(value).split(".")[0])
        return message, f"write digits only: {digits}"
    if field == "amount" and message.startswith("Expected a whole number, got a decimal"):
        return message, "amounts are whole major units: 50000000, not 50.5"
    return message, hint


def _currency_fix(value: str) -> str:
    """The fix for a currency code in the wrong case (``nok``: refused, "write it NOK")."""
    from . import codes  # pycountry: only on the way to an error

    code = value.upper()
    if code == value or not code.isalpha():
        return ""
    if not codes.is_currency(code):
        return codes.currency_hint(code)
    return f"codes are in capitals: {code}"


def _written_out(value: str) -> str:
    """How to write a number that YAML 1.1 read as text (``1e6``: it wants ``1.0e+6``): in
    digits (``1000000``, ``0.00000000000000001``), or, where that runs long, in the form a
    YAML 1.1 reader takes for a number. Never the text as it was given."""
    from decimal import Decimal

    number = Decimal(value)
    digits = format(number.normalize(), "f")
    if len(digits.lstrip("-+")) <= 24:
        return f"write it out: {digits}"
    mantissa, exponent = f"{number:e}".split("e")
    mantissa = mantissa.rstrip("0") + ("0" if mantissa.rstrip("0").endswith(".") else "")
    if "." not in mantissa:
        mantissa += ".0"
    written = f"{mantissa}e{int(exponent):+d}"
    return f"write it as {written}: YAML 1.1 wants a point and a signed exponent"


def _reference_target(record_type: type[Record], inner: NodePath) -> str | None:
    """The collection the field at ``inner`` refers to, if it is a reference."""
    names = [i for i, part in enumerate(inner) if isinstance(part, str)]
    if not names:
        return None
    struct = _struct_at(record_type, inner[: names[-1]])
    return reference_target(struct, str(inner[names[-1]])) if struct else None


def _slug(text: str) -> str:
    """``text`` as an id: 'Government of Norway' -> 'government-of-norway'."""
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def _value_at(item: Any, inner: NodePath) -> Any:
    """The raw value at ``inner`` below ``item``, or ``_NOTHING``."""
    value = item
    for part in inner:
        in_list = isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value)
        if not (in_list or (isinstance(value, dict) and part in value)):
            return _NOTHING
        value = value[part]
    return value


def _enum_values(record_type: type[Record], inner: Sequence[object]) -> list[str]:
    """The allowed values of the Literal field at ``inner``."""

    struct = _struct_at(record_type, [p for p in inner[:-1]]) if inner else None
    name = next((p for p in reversed(inner) if isinstance(p, str)), None)
    if struct is None or name is None:
        return []
    for field in msgspec.structs.fields(struct):
        if field.encode_name == name:
            return [str(a) for a in _literal_args(field.type)]
    return []


def _literal_args(field_type: Any) -> tuple[Any, ...]:
    from typing import Literal, get_args, get_origin

    if get_origin(field_type) is Literal:
        return get_args(field_type)
    for arg in get_args(field_type):
        found = _literal_args(arg)
        if found:
            return found
    return ()


def _struct_at(struct: Any, parts: Sequence[object]) -> type[Record] | None:
    """The record type reached by following field names (and list indexes) from ``struct``."""
    for part in parts:
        if isinstance(part, int):
            continue
        fields = {f.encode_name: f.type for f in msgspec.structs.fields(struct)}
        field_type = fields.get(str(part))
        struct = _inner_struct(field_type)
        if struct is None:
            return None
    return struct  # type: ignore[no-any-return]


def _inner_struct(field_type: Any) -> Any:
    if isinstance(field_type, type) and issubclass(field_type, Record):
        return field_type
    for arg in getattr(field_type, "__args__", ()) or ():
        found = _inner_struct(arg)
        if found is not None:
            return found
    return None
