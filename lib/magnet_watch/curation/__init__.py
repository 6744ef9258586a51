"""Curation: add a document, extract its candidate facts, accept reviewed rows, audit coverage.

``python -m magnet_watch.curation add FILE`` and ``... accept CANDIDATES.csv``.
Builds on data and text; never imports analysis, narrative, charts or reports.
"""
