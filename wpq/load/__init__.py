"""Loading, the step after choosing files (``wpq/loader.py``) when no cache serves: a file's
text (``text``), its YAML with the place of every value (``yamlfile``, ``positions``), typed
records and the problems of those that fail to convert (``records``, ``conversion``,
``pending``), then the checks: of one record's fields (``fields``, ``copies``), and across
records (``check``; money in ``ledger``, names two records share in ``clashes``, countries
and currencies in ``countries`` and ``codes``), and the hints a problem carries
(``suggest``).
"""
