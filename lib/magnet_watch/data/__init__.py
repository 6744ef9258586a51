"""Stage 1, data: the curated tables, their Table Schema, provenance and the reference packages.

Loads and validates; computes nothing. Never imports analysis, narrative, charts,
notebook or reports.
"""
