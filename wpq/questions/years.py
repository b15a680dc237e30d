"""The years a question asks about: ``--year`` (given once or more) or a range ``--from``
``--to``, as spans of years every listing filters by the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..errors import UsageError

# A year filter's value: one year, several (``--year`` given more than once), or none.
Years = int | Sequence[int] | None
# The years asked for, as spans (first, last), either end open (None); none: any year.
Spans = list[tuple[int | None, int | None]]


def year_span(
    year: int | None, from_year: int | None, to_year: int | None
) -> tuple[int | None, int | None]:
    """The first and last year asked for (one ``--year``, or a range); see ``year_spans``."""
    spans = year_spans(year, from_year, to_year)
    return spans[0] if spans else (None, None)


def year_spans(year: Years, from_year: int | None, to_year: int | None) -> Spans:
    """The years asked for: each ``--year`` given, or the range ``--from``/``--to``. Both at
    once, or a range that ends before it starts, is a usage error."""
    years = [year] if isinstance(year, int) else list(dict.fromkeys(year or ()))
    if years and (from_year is not None or to_year is not None):
        other = "--from" if from_year is not None else "--to"
        raise UsageError(f"--year and {other} do not go together: give years or a range")
    if from_year is not None and to_year is not None and from_year > to_year:
        raise UsageError(f"--from {from_year} is after --to {to_year}")
    if years:
        return [(y, y) for y in years]
    return [] if from_year is None and to_year is None else [(from_year, to_year)]


def in_spans(first: int, last: int, spans: Spans) -> bool:
    """Whether the years ``first`` to ``last`` overlap any of ``spans`` (any, when none)."""
    return not spans or any(
        (low is None or last >= low) and (high is None or first <= high) for low, high in spans
    )


def span_years(spans: Spans) -> list[str] | None:
    """Every year ``spans`` hold, for an index to narrow by; None when one is open."""
    bounded = [(low, high) for low, high in spans if low is not None and high is not None]
    if not spans or len(bounded) < len(spans):
        return None
    return [str(y) for low, high in bounded for y in range(low, high + 1)]
