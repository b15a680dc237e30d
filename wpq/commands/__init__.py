"""What every command shares, and the commands beyond the query listings of ``wpq/cli.py``:
options declared once (``options``; each command's filters in ``filters``), an option given
twice or by an old name refused (``given``), the format and what goes with it
(``formats``), from an answer to stdout and exit codes (``output``, ``summary``,
``streams``), help that reads well (``helptext``), data files (``data``: validate, new,
schema, export, cache), who and what the data knows (``directory``), records and their
sources (``records``), references (``cite``, ``references``), shell completion
(``completion``) and the loading spinner (``spinner``).
"""
