"""Currency conversion at annual average rates, from a bundled table that names its sources.

Only US dollars per pound are known (``../shared/facts/funding.md`` §3): the US Federal
Reserve's G.5A annual series, with the IMF series (via the World Bank) for 2016, the one
year no G.5A release was found for. A year or a pair of currencies with no rate is an error,
never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

from .errors import UsageError


@dataclass(frozen=True)
class RateSource:
    id: str
    title: str
    publisher: str
    url: str
    note: str = ""


FED_2016 = RateSource(
    "fed-g5a-2016-01-04",
    "G.5A Foreign Exchange Rates (Annual), release of 4 January 2016",
    "Board of Governors of the US Federal Reserve System",
    "https://federalreserve.gov/releases/g5a/20160104/default.htm",
    "Annual averages of daily noon buying rates in New York; sterling in US dollars per pound.",
)
FED_2021 = RateSource(
    "fed-g5a-2021-01-04",
    "G.5A Foreign Exchange Rates (Annual), release of 4 January 2021",
    "Board of Governors of the US Federal Reserve System",
    "https://federalreserve.gov/releases/g5a/20210104",
)
FED_2024 = RateSource(
    "fed-g5a-2024-02-01",
    "G.5A Foreign Exchange Rates (Annual), release of 1 February 2024",
    "Board of Governors of the US Federal Reserve System",
    "https://federalreserve.gov/releases/g5a/20240201",
)
IMF_FALLBACK = RateSource(
    "imf-ifs-gbp-per-usd",
    "United Kingdom: official exchange rate (LCU per US$, period average)",
    "IndexMundi, from IMF International Financial Statistics via the World Bank",
    "https://www.indexmundi.com/facts/united-kingdom/indicator/PA.NUS.FCRF",
    "Fallback for 2016, for which no G.5A release was found: 1 / 0.741 GBP per USD. "
    "A different method from G.5A; it agrees with it within about 0.01 in other years.",
)

# US dollars per pound sterling, annual averages, with the source of each.
USD_PER_GBP: dict[int, tuple[Decimal, RateSource]] = {
    2014: (Decimal("1.6484"), FED_2016),
    2015: (Decimal("1.5284"), FED_2016),
    2016: (Decimal(1) / Decimal("0.741"), IMF_FALLBACK),
    2017: (Decimal("1.2890"), FED_2021),
    2018: (Decimal("1.3363"), FED_2021),
    2019: (Decimal("1.2768"), FED_2021),
    2020: (Decimal("1.2829"), FED_2021),
    2021: (Decimal("1.3764"), FED_2024),
    2022: (Decimal("1.2371"), FED_2024),
    2023: (Decimal("1.2440"), FED_2024),
}


@dataclass(frozen=True)
class Conversion:
    """One amount converted: the original, the rate (target units per source unit) and why."""

    amount: int
    currency: str
    converted: int
    to: str
    rate: Decimal
    year: int
    source: RateSource | None


def rate(from_currency: str, to_currency: str, year: int) -> tuple[Decimal, RateSource | None]:
    """Units of ``to_currency`` per unit of ``from_currency`` in ``year``."""
    if from_currency == to_currency:
        return Decimal(1), None
    pair = {from_currency, to_currency}
    if pair != {"GBP", "USD"}:
        raise UsageError(
            f"no {from_currency} to {to_currency} rate: wpq's bundled table has only US dollars "
            "per pound (US Federal Reserve G.5A)"
        )
    if year not in USD_PER_GBP:
        known = f"{min(USD_PER_GBP)}-{max(USD_PER_GBP)}"
        raise UsageError(
            f"no GBP/USD rate for {year} in wpq's bundled table (it has {known}); "
            "the sources give none, and wpq does not guess"
        )
    usd_per_gbp, source = USD_PER_GBP[year]
    return (usd_per_gbp if from_currency == "GBP" else 1 / usd_per_gbp), source


def convert(amount: int, currency: str, to: str, year: int) -> Conversion:
    value, source = rate(currency, to, year)
    converted = (Decimal(amount) * value).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
    return Conversion(amount, currency, int(converted), to, value, year, source)


def target_currency(text: str) -> str:
    code = text.strip().upper()
    if len(code) != 3 or not code.isalpha():
        raise UsageError(f"--in takes a currency code such as USD or GBP, not '{text}'")
    return code


def currencies() -> tuple[str, ...]:
    """The currencies the bundled table converts between (for completing ``--in``)."""
    return ("GBP", "USD")
