"""The cache of checked datasets: when a cache file may be trusted, written and cleared
(``policy``), the file's layout of records and indexes (``layout``), and the unchecked twins
of the record types its records decode into (``trusted``).
"""
