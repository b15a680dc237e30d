"""ISO 3166-1 country and ISO 4217 currency codes, from pycountry (imported only to validate).

Each function answers a problem message, a hint, or '' when all is well.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pycountry

from .errors import did_you_mean


def country_problem(code: str, iso3: str, name: str = "") -> tuple[str, str, str]:
    """(field, message, hint) when ``code``/``iso3`` is not a real ISO 3166-1 pair, else
    ('', '', '')."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        other = pycountry.countries.get(alpha_3=iso3) or _by_name(name)
        hint = (
            f"{_name(other)} is '{other.alpha_2}'"
            if other is not None
            else "use an ISO 3166-1 alpha-2 code, e.g. 'GB', 'NO'"
        )
        return "code", f"unknown ISO 3166-1 country code '{code}'", hint
    if country.alpha_3 != iso3:
        return (
            "iso3",
            f"iso3 of '{code}' is '{country.alpha_3}', not '{iso3}'",
            f"write iso3: {country.alpha_3}",
        )
    return "", "", ""


def missing_country_hint(code: str) -> str:
    """The hint for a country code used by a record but absent from ``countries``."""
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if country is None:
        return f"'{code}' is not an ISO 3166-1 alpha-2 code"
    return f'add it to countries: code: "{code}", iso3: {country.alpha_3}, name: {_name(country)}'


@cache
def is_currency(code: str) -> bool:
    return pycountry.currencies.get(alpha_3=code) is not None


def currency_hint(code: str) -> str:
    known = sorted(c.alpha_3 for c in pycountry.currencies)
    return did_you_mean(code, known) or "use an ISO 4217 code such as GBP, USD, EUR"


def _by_name(name: str) -> Any:
    try:
        return pycountry.countries.lookup(name) if name else None
    except LookupError:
        return None


def _name(country: Any) -> str:
    return str(getattr(country, "common_name", None) or country.name)
