"""The errors the library raises on bad input: each names the file, row and column."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or row) of one file.

    ``line`` is the line number in the CSV file (the header is line 1), so an
    editor jumps straight to it; ``row_id`` is the row's key where it has one.
    """

    file: str
    line: int | None
    column: str | None
    message: str
    row_id: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.row_id:
            where += f" ({self.row_id})"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class DataValidationError(ValueError):
    """Raised when a table fails its schema, keys or provenance. Nothing is loaded.

    ``problems`` lists every offending cell; the message shows them all (up to a
    limit) so that one run finds every mistake.
    """

    MAX_SHOWN = 50

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[: self.MAX_SHOWN])
        more = len(self.problems) - self.MAX_SHOWN
        tail = f"\n  ... and {more} more" if more > 0 else ""
        n = len(self.problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in the curated data:\n{shown}{tail}")


class ParameterError(ValueError):
    """Raised when a notebook or report parameter is unknown, of the wrong type or out of range."""

    def _render_traceback_(self) -> list[str]:
        """Return the lines IPython shows instead of a traceback: the message alone, so a
        notebook (JupyterLab, papermill, nbval) stops on one readable line, not a stack."""
        return [f"ParameterError: {self}"]
