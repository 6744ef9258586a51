"""The checks: the articles' claims against independent references, numbers and verdicts.

- ``claims_check``: the seed articles' claims against USGS's Mineral Commodity Summaries;
- ``reference_check``: the same claims against the later references (``data.later_references``);
- ``claims_rows``: the USGS check's rows, one function per kind of claim;
- ``checked_claims``: notebook 05's run, both checks with the parameters resolved once, which the
  notebook, its JupyterLab panel and its offline explorer call.

The models (``analysis.capacity``, ``imports``, ``sensitivity``, ``official_terms``, ...) never
import a check: the layer contract in ``.importlinter`` holds that.
"""
