"""Rows to text: the plain formats, written without Rich (``text``), and on a terminal the
tables (``table``, planned by ``layout``) and the card of one record (``card``); ``cells``
is the text of one value, shared by both.
"""
