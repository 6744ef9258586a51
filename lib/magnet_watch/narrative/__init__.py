"""Stage 3, narrative: each finding in words, and the headline tables, from analysis results.

Never imports charts, notebook, reports, Altair or IPython.
"""
