"""Stage 6, reports: run the notebooks and publish them as offline HTML pages (``make reports``).

One job per module: ``plan`` (notebooks, scenarios, parameters), ``cache`` (input
hashes, the manifest, reuse), ``run`` (kernels and the worker pool), ``pages``
(reading executed notebooks), ``markup`` (which notebook HTML may be shown),
``html`` (pages from ``templates/``), ``publish`` (staging and the atomic swap),
``lock`` (one build at a time), ``environment`` (checks before anything runs),
``cli`` (the command line) and ``build`` (the order of it all).
"""
