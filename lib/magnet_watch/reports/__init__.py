"""Stage 6, reports: run the notebooks and publish them as offline HTML pages (``make reports``)."""
