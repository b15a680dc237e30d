"""The questions wpq answers, as pure functions of a ``Dataset`` that return rows: names on
the command line to ids (``names``, ``choices``), a record as a row (``rows``), the listings
(``listings``, ``directory``), money (``money``, ``rates``, ``footers``), where facts come from
(``provenance``) and the dataset over time (``timeline``). ``wpq.query`` re-exports them for
scripts.
"""
