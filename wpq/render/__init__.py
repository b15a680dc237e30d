"""Rows to text: the plain formats, written without Rich (``text``); references as BibTeX,
RIS, a plain list or a citation style (``bibtex``, ``ris``, ``references``, ``styles``); and
on a terminal, every listing's declared columns (``columns``) drawn as tables (``table``,
planned by ``layout``), the card of one record (``card``) and validate's report
(``report``). ``cells`` is the text of one value, shared by tables and plain formats.
"""
