"""Curation: add a document, extract its candidate facts, accept reviewed rows, audit coverage.

``python -m magnet_watch.curation add FILE``, ``... candidates SOURCE_ID`` and
``... accept CANDIDATES.csv`` (``cli``); ``add``, ``accept``, ``extract`` (candidates),
``matching`` (does a row record a candidate), ``coverage`` and ``audit``;
``candidate_cache``, ``files`` (atomic writes) and ``staging`` (validate before writing).
Builds on data and text; never imports analysis, narrative, charts or reports.
"""
