"""The dataset in other shapes: an SQLite database (``sqlite``, its schema in ``sqlschema``),
the JSON Schema of a data file (``schema``) and a data file to start from (``template``).
"""
