"""Stage 4, charts: the one Altair theme and the chart builders, one module per notebook.

Draws analysis results; the words of a finding come from narrative. Never imports
notebook, reports or IPython.
"""
