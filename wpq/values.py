"""The kinds of value a record's fields hold: ids, dates, ISO codes, amounts and text, each
with the pattern or bounds that a data file is checked against (and that ``wpq schema``
states). ``model.py`` builds the records from them.
"""

from typing import Annotated

from msgspec import Meta


def whole_value(body: str) -> str:
    r"""``body`` as the whole value: msgspec matches with ``re.search``, where ``$`` also
    matches before a final line break (an id written as a ``|`` block). The lookahead means
    the same in JSON Schema's ECMA-262 regexes, which lack ``\Z``."""
    return f"^{body}(?!\\n)$"


ID_PATTERN = whole_value("[a-z0-9]+(-[a-z0-9]+)*")
DATE_PATTERN = whole_value("[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?")
ALPHA2_PATTERN = whole_value("[A-Z]{2}")
ALPHA3_PATTERN = whole_value("[A-Z]{3}")
# 10^15 major units is worth a billion dollars or more in any currency; below it a total of
# 10^13 amounts is exact in Decimal's 28 digits, and every number fits SQLite's and msgpack's
# 64-bit integers and a JavaScript double.
MAX_WHOLE = 10**15

Id = Annotated[str, Meta(pattern=ID_PATTERN, description="a lower-case slug: a-z, 0-9 and -")]
Date = Annotated[
    str,
    Meta(
        pattern=DATE_PATTERN,
        description="YYYY, YYYY-MM or YYYY-MM-DD: the precision the source gives",
    ),
]
CountryCode = Annotated[
    str, Meta(pattern=ALPHA2_PATTERN, description="ISO 3166-1 alpha-2 code, quoted")
]
CountryCode3 = Annotated[str, Meta(pattern=ALPHA3_PATTERN, description="ISO 3166-1 alpha-3 code")]
CurrencyCode = Annotated[str, Meta(pattern=ALPHA3_PATTERN, description="ISO 4217 currency code")]
Amount = Annotated[int, Meta(ge=0, le=MAX_WHOLE, description="whole major units: 50000000")]
Count = Annotated[int, Meta(ge=0, le=MAX_WHOLE)]
Whole = Annotated[int, Meta(ge=-MAX_WHOLE, le=MAX_WHOLE)]
Ids = tuple[Id, ...]
SourceIds = Annotated[tuple[Id, ...], Meta(min_length=1, description="ids of `sources` records")]
# Text with something to see in it: not only spaces, controls or invisible characters (a
# zero-width space, a bidirectional mark), which would make a name that looks like nothing.
# (Written as "not a space, and not one of these": the same characters as one class of
# everything else, which ``re`` takes twice as long to compile, on every run.)
VISIBLE_PATTERN = (
    "(?![\\x00-\\x1f\\x7f-\\x9f\\u00ad\\u061c\\u180e\\u200b-\\u200f\\u202a-\\u202e"
    "\\u2060-\\u2064\\u2066-\\u2069\\ufeff])\\S"
)
Text = Annotated[str, Meta(min_length=1, pattern=VISIBLE_PATTERN)]
