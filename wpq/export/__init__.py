"""The dataset in other shapes: an SQLite database (``sqlite``, its schema in ``sqlschema``);
a bundle to browse with datasette and share as a Data Package (``bundle``: the database with
search from ``browse``, ``datasette_metadata``, ``datapackage``, their words from
``describe``); the JSON Schema of a data file (``schema``) and a data file to start from
(``template``). Every file is written by ``target``'s rule.
"""
