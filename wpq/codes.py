"""ISO 3166-1 country and ISO 4217 currency codes, from pycountry (imported only to validate)."""

from __future__ import annotations

from functools import cache

import pycountry


def country_problem(code: str, iso3: str) -> str:
    """Why ``code``/``iso3`` is not a real ISO 3166-1 pair, or ''."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return f"unknown ISO 3166-1 country code '{code}'"
    if country.alpha_3 != iso3:
        return f"iso3 of '{code}' is '{country.alpha_3}', not '{iso3}'"
    return ""


@cache
def is_currency(code: str) -> bool:
    return pycountry.currencies.get(alpha_3=code) is not None
