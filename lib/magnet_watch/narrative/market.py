"""The market-share notebook in words: magnet shares, processing claims, reserves against mining.

Each finding is stated once here; the charts take their titles from these functions.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from magnet_watch.analysis.market import EVERYONE_ELSE, processing_claims, reserves_vs_mining
from magnet_watch.data.fact_ids import NamedFacts
from magnet_watch.data.lookups import figure_text, format_quantity, source_label
from magnet_watch.narrative.headlines import (
    computed_headline,
    headline_frame,
    period_words,
    row_headline,
)
from magnet_watch.text import formats as fmt
from magnet_watch.text.numbers import ORDINAL_WORDS, WORD_NUMBERS

# 2 -> "two" (the first word for a number, so 12 is "twelve", not "dozen").
NUMBER_WORDS = {n: w for w, n in reversed(WORD_NUMBERS.items())}


def number_word(n: int) -> str:
    """Return a small count as a word ("two", "three"); digits beyond the word list."""
    return NUMBER_WORDS.get(n, str(n))


def largest_words(rank: int) -> str:
    """Return a rank by size in words: 1 "largest", 3 "third-largest"; "rank 12" beyond tenth."""
    if rank == 1:
        return "largest"
    return f"{ORDINAL_WORDS[rank]}-largest" if rank in ORDINAL_WORDS else f"rank {rank}"


def market_headlines(
    split: pd.DataFrame, named: NamedFacts, facts: pd.DataFrame, editions: list[dict] | None = None
) -> pd.DataFrame:
    """Return the market-share notebook's headlines: magnet shares, processing claims (every one
    in ``facts``), reserves as the documents state them and, given ``editions``
    (``data.usgs.reserves_by_edition``), as USGS gives them at the page's date."""
    rest = split[split["subject"] == EVERYONE_ELSE].iloc[0]
    rows = [
        row_headline(named.china_magnet_share, "China's share of world magnet production"),
        row_headline(named.japan_magnet_share, "Japan's share of world magnet production"),
        computed_headline(
            "Share left for everyone else",
            rest["value_text"],
            period_words(named.china_magnet_share),
            rest["fact_ids"],
        ),
    ]
    for _, r in processing_claims(facts).iterrows():
        rows.append(row_headline(r, "China's share of rare-earth processing"))
    rows += [
        row_headline(named.india_reserves_share, "India's share of world reserves"),
        row_headline(named.india_reserves_rank, "India's rank by reserves"),
        row_headline(named.india_mining_share, "India's share of world mining"),
    ]
    if editions:
        current = _current(editions)
        rows.append(
            {
                "figure": "India's reserves in the USGS edition current at the page's date",
                "value": usgs_reserves_words(editions),
                "period": current["name"],
                "source": current["name"],
            }
        )
    return headline_frame(rows)


def market_share_title(split: pd.DataFrame, japan_share: pd.Series) -> str:
    """Return the magnet-share chart's finding: China's and Japan's shares and the rest
    (``japan_share`` is Japan's fact row)."""
    rows = {r["subject"]: r for r in split.to_dict("records")}
    japan = figure_text(japan_share)  # the figure, not its "est."
    return (
        f"China makes {rows['China']['value_text']} of the world's rare-earth magnets and "
        f"Japan {japan}: {rows[EVERYONE_ELSE]['value_text']} is left for everyone "
        "else"
    )


def _both(n: int, yes: bool) -> str:
    """Return "can both hold" / "cannot both hold" for two claims, "all" for more."""
    return ("can" if yes else "cannot") + (" both" if n == 2 else " all") + " hold"


def _with_note(source: str, note) -> str:
    """Return "source: note" ("source" alone when the fact has no note: never "None")."""
    text = "" if note is None or pd.isna(note) else str(note).strip().rstrip(".")
    return f"{source}: {text}" if text else str(source)


def processing_summary(
    claims: pd.DataFrame,
    conflicts: pd.DataFrame,
    approx_tolerance_pct: float,
    sources: pd.DataFrame,
) -> str:
    """Return the processing-share finding in words (Markdown): every claim with its source by
    publisher and date (``sources``: sources.csv), and whether their wordings can all hold
    when "approximately" means +/- ``approx_tolerance_pct``."""
    parts = [
        f"**{format_quantity(r)}** ({_with_note(source_label(r['source_id'], sources), r['note'])})"
        for r in claims.to_dict("records")
    ]
    text = "China's share of rare-earth processing, as each source states it: " + "; ".join(parts)
    n, reading = (
        len(claims),
        f'Reading "approximately" as within {approx_tolerance_pct:g}% of the figure',
    )
    if conflicts.empty:
        verdict = f"{reading}, the {number_word(n)} claims **{_both(n, True)}**."
    else:
        kept = "Both are kept." if n == 2 else "All are kept."
        verdict = (
            f"{reading}, the {number_word(n)} claims **{_both(n, False)}**: they measure "
            "different things (capacity against rare earths processed) or one of them is "
            f"wrong. {kept}"
        )
    return f"{text}.\n\n{verdict}"


def processing_title(value_texts: Iterable[str], overlap: bool) -> str:
    """Return the processing chart's finding: each source's figure, and whether they overlap."""
    texts = list(value_texts)
    n = number_word(len(texts))
    if overlap:
        verdict = (
            "the wording leaves room for both"
            if len(texts) == 2
            else "the wording leaves room for all"
        )
    else:
        verdict = (
            f"as worded, the {n} do not overlap"
            if len(texts) == 2
            else f"as worded, the {n} do not all overlap"
        )
    return f"China's processing share by source: {' vs '.join(texts)}; {verdict}"


def processing_note(approx_tolerance_pct: float, marks_note: str) -> str:
    """Return the processing chart's reading of the wordings, then the legend of its marks."""
    return (
        f"Lines: the range each wording allows ('approximately' read as ±{approx_tolerance_pct:g}%"
        f" of the figure, 'over' up to 100%). {marks_note}"
    )


def reserves_summary(
    named: NamedFacts, facts: pd.DataFrame, editions: list[dict] | None = None
) -> str:
    """Return India's reserves against mining in words (Markdown), as the documents state it,
    then what USGS says at the page's date (``editions``: ``data.usgs.reserves_by_edition``;
    None: the documents alone)."""
    r = reserves_vs_mining(named, facts)
    ranks = [largest_words(v) for v in r["reserves_rank"]]
    ranks_text = ranks[-1] if len(ranks) < 2 else ", ".join(ranks[:-1]) + " or " + ranks[-1]
    n = len(r["rank_sources"])
    say = f"so says {number_word(n)} document" if n == 1 else f"so say {number_word(n)} documents"
    return (
        f"India has the world's {ranks_text} rare-earth reserves ({say}), "
        f"**{r['reserves_text']}** of the world total, "
        f"but contributes **{r['mining_text']}** of world mining: its share of reserves is "
        f"{fmt.ratio(r['ratio_more_than'])} its share of mining or more."
        + (" " + usgs_reserves_words(editions) if editions else "")
    )


def reserves_title(
    reserves_text: str, mining_text: str, ranks: Iterable[int], editions: list[dict] | None = None
) -> str:
    """Return the reserves chart's finding: India's reserves share (and rank) against mining,
    as the documents state it; told as the documents' word, not as current, when the USGS
    edition current at the page's date (``editions``: ``data.usgs.reserves_by_edition``) gives
    India no reserves figure."""
    rank_text = "".join(f" ({largest_words(int(v))})" for v in sorted(set(ranks)))
    said = "" if not editions or _current(editions)["rank"] is not None else "The documents say "
    return (
        f"{said}India holds {reserves_text} of the world's rare-earth reserves{rank_text} but "
        f"{mining_text} of world mining"
    )


def _current(editions: list[dict]) -> dict:
    return next(e for e in editions if e["current"])


def usgs_reserves_words(editions: list[dict]) -> str:
    """Return what USGS says of India's reserves at the page's date, edition by edition
    (``data.usgs.reserves_by_edition``): "USGS Mineral Commodity Summaries 2025, January 2025
    ranks India third-largest by reserves (7.7% of the world total)", or, when the current
    edition lists them as not available, the latest earlier edition's rank and that."""
    current = _current(editions)
    if current["rank"] is not None:
        return (
            f"{current['name']} gives India the world's {largest_words(current['rank'])} "
            f"reserves ({current['share_pct']:.1f}% of the world total, an upper bound)."
        )
    earlier = [e for e in editions if e["rank"] is not None and not e["current"]]
    before = (
        f"{earlier[-1]['short']} ranked India's reserves the world's "
        f"{largest_words(earlier[-1]['rank'])}; "
        if earlier
        else ""
    )
    return f"{before}{current['name']} lists India's reserves as not available ({current['note']})."
