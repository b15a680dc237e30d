"""ISO 3166-1 country and ISO 4217 currency codes, from pycountry.

Imported only when data files are checked (a load the cache cannot answer): what a query
needs of a country goes into the dataset, and so into the cache.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import cache
from typing import Any, NamedTuple

import pycountry

from ..errors import did_you_mean
from ..vocabulary import fold
from .suggest import Candidate

# Codes people write that ISO 3166-1 keeps out of use ("exceptionally reserved"): the
# country each stands for.
RESERVED = {"UK": "GB", "EL": "GR"}


class IsoCountry(NamedTuple):
    """What ISO 3166-1 says of one country: alpha-3 code, short name, its other names."""

    alpha3: str
    name: str
    other_names: tuple[str, ...]


@cache
def iso_country(code: str) -> IsoCountry | None:
    """The ISO 3166-1 country of alpha-2 ``code``, or None if there is none."""
    # pycountry ignores case; a code in data does not ('gb' is no code)
    is_code = len(code) == 2 and code.isascii() and code.isalpha() and code.isupper()
    country = pycountry.countries.get(alpha_2=code) if is_code else None
    if country is None:
        return None
    name = _name(country)
    names = (getattr(country, "official_name", None), country.name)
    others = tuple(dict.fromkeys(n for n in names if n and n != name))
    return IsoCountry(country.alpha_3, name, others)


def meant_countries(text: str, used: Collection[str] = ()) -> list[Candidate]:
    """The countries ``text``, which is no alpha-2 code, may have meant: the one it names
    another way (``NOR``, ``Norway``, ``UK``), or else the codes one letter away from it,
    those in ``used`` first."""
    meant = _named(text)
    if meant:
        found = [meant]
    elif len(text) > 3:  # a misspelt name: the ISO names spelt nearly the same
        import difflib

        names = _by_name()
        close = difflib.get_close_matches(_key(text), names, n=3, cutoff=0.8)
        found = list(dict.fromkeys(names[n] for n in close))
    else:
        wanted = text.upper()
        near = [
            c.alpha_2
            for c in pycountry.countries
            if len(wanted) == 2 and (c.alpha_2[0] == wanted[0]) != (c.alpha_2[1] == wanted[1])
        ]
        found = sorted(near, key=lambda c: (c not in used, c))[:3]
    return [Candidate(c, _name(pycountry.countries.get(alpha_2=c))) for c in found]


def _named(text: str) -> str:
    """The alpha-2 code of the country ``text`` names in another way, or ''."""
    if text.upper() in RESERVED:
        return RESERVED[text.upper()]
    if len(text) == 2 and pycountry.countries.get(alpha_2=text.upper()):
        return text.upper()  # in lower case
    try:
        return str(pycountry.countries.lookup(text).alpha_2) if len(text) > 2 else ""
    except LookupError:
        return ""


@cache
def _by_name() -> dict[str, str]:
    """Every ISO 3166-1 name (short, official, common), folded -> its alpha-2 code."""
    found: dict[str, str] = {}
    for country in pycountry.countries:
        for name in (country.name, *(getattr(country, a, None) for a in _NAMES)):
            if name:
                found.setdefault(_key(name), country.alpha_2)
    return found


_NAMES = ("official_name", "common_name")


def _key(text: str) -> str:
    return " ".join(fold(text).split())


def code_of_name(text: str) -> str | None:
    """The alpha-2 code of the country ``text`` is the ISO 3166-1 name of ("Ireland",
    "Cote d'Ivoire"; case, accents and spacing aside), or None: never a part of a name."""
    return _by_name().get(_key(text))


def country_named(text: str) -> str | None:
    """The alpha-2 code of the country ``text`` names on the command line: its ISO name, its
    alpha-2 or alpha-3 code in any case, or a code ISO reserves for it ("UK"); else None."""
    wanted = _key(text).upper()
    if wanted in RESERVED:
        return RESERVED[wanted]
    if len(wanted) == 2 and wanted.isascii() and wanted.isalpha():
        country = pycountry.countries.get(alpha_2=wanted)
    elif len(wanted) == 3 and wanted.isascii() and wanted.isalpha():
        country = pycountry.countries.get(alpha_3=wanted)
    else:
        return code_of_name(text)
    return str(country.alpha_2) if country is not None else None


@cache
def is_currency(code: str) -> bool:
    return pycountry.currencies.get(alpha_3=code) is not None


def currency_hint(code: str) -> str:
    known = sorted(c.alpha_3 for c in pycountry.currencies)
    return did_you_mean(code, known) or "use an ISO 4217 code such as GBP, USD, EUR"


def _name(country: Any) -> str:
    """The short name people use: ISO's common name where it has one ('Tanzania')."""
    return str(getattr(country, "common_name", None) or country.name)
