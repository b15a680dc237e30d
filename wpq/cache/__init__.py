"""The cache of checked datasets: when a cache file may be trusted, written and cleared
(``policy``), the file's layout of records and indexes (``layout``), reading what a query
needs of it (``reader``), the checks across records run again on what it hands back
(``audit``), and the unchecked twins of the record types its records decode into
(``trusted``).
"""
