"""The explorer's grid in words: which values each control offers, so a reader knows that every
figure it shows was computed, and at which settings."""

from __future__ import annotations

import textwrap

import pandas as pd

from magnet_watch.data.lookups import format_quantity
from magnet_watch.narrative.headlines import computed_headline, period_words

# A headline line longer than this wraps onto the next (an explorer's panel is a chart of
# text marks, which do not wrap themselves): 13 px bold fits about 100 characters on a page.
PANEL_LINE_CHARS = 100


def _value(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def axis_words(name: str, unit: str, values: list, step: float | None) -> str:
    """Return one axis of the grid in words: 'nd_mass_fraction (fraction of magnet mass) in
    steps of 0.01 from 0.25 to 0.32' or 'ramp_shape: linear, s_curve or back_loaded'."""
    numbers = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    others = [v for v in values if v not in numbers]
    if step is not None and numbers:
        text = (
            f"{name} ({unit}) in steps of {_value(step)} from {_value(min(numbers))} to "
            f"{_value(max(numbers))}"
        )
        if others:
            text += " or " + " or ".join(str(o) for o in others)
        return text
    shown = [_value(v) for v in values]
    listed = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]
    return f"{name} ({unit}): {listed}"


def grid_words(axes: list[tuple[str, str, list, float | None]], points: int) -> str:
    """Return the whole grid in words, with the number of cases the model was run for."""
    return (
        "The controls pick among " + f"{points:,} cases the model computed when this page "
        "was built: " + "; ".join(axis_words(*a) for a in axes) + ". The controls start at "
        "this report's own case."
    )


def headline_lines(figure: str, value: str, period: str) -> list[str]:
    """Return one headline as the explorer panel's lines: "figure: value (period)", wrapped at
    spaces to at most ``PANEL_LINE_CHARS`` characters a line (one line when it fits)."""
    return textwrap.wrap(
        f"{figure}: {value} ({period})",
        PANEL_LINE_CHARS,
        break_long_words=False,
        break_on_hyphens=False,
    )


def overlap_headline(
    figure: str, claims: pd.DataFrame, conflicts: pd.DataFrame, approx_tolerance_pct: float
) -> dict:
    """Return the headline row saying whether the claims of ``figure`` (fact rows, one per
    source, e.g. ``market.processing_claims``) can all hold, given ``conflicts`` (the pairs
    ``conflicting_claims`` finds) with "approximately" read as +/- ``approx_tolerance_pct`` %."""
    rows = claims.to_dict("records")
    texts = " vs ".join(format_quantity(r) for r in rows)
    verdict = "yes" if conflicts.empty else "no"
    return computed_headline(
        f"{figure}: can the {len(rows)} sources' figures all hold",
        f'{verdict} ({texts}, "approximately" within ±{approx_tolerance_pct:g}%)',
        " and ".join(dict.fromkeys(period_words(r) for r in rows)),
        [r["fact_id"] for r in rows],
    )
