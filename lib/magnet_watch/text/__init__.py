"""Stage 0, text: read numbers, ranges, dates and periods as the documents write them.

Imports nothing else from the library but ``errors``.
"""
