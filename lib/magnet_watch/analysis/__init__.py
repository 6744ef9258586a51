"""Stage 2, analysis: the computations (capacity, imports, market shares, claims checks).

Takes tables as arguments and returns numbers and typed frames. Never imports
narrative, charts, notebook, reports, Altair or IPython.
"""
