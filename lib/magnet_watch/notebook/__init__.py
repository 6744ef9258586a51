"""Stage 5, notebook: what a notebook calls to show charts, tables and findings, and its parameters."""
