"""What every command shares, and the commands beyond the query listings of ``wpq/cli.py``:
options declared once (``options``), from an answer to stdout and exit codes (``output``),
data files (``data``: validate, new, schema, export, cache), who and what the data knows
(``directory``), records and their sources (``records``), shell completion (``completion``)
and the loading spinner (``spinner``).
"""
