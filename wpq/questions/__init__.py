"""The questions wpq answers, as pure functions of a ``Dataset`` that return rows: names on
the command line to records (``matching``: the one exact rule; ``names``, ``choices``), the
years asked for (``years``), a record as a row (``rows``), the listings (``listings``,
``directory``), money (``money``: the ledger and its measures; ``funding``: its rows and
groups; ``rates``, ``footers``), where facts come from (``provenance``), references to cite
(``citations``), what is disputed or inferred (``trust``) and the dataset over time
(``timeline``). ``wpq.query`` re-exports them for scripts.
"""
