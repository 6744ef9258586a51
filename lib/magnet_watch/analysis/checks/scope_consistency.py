"""One rule across pages: no record is used in a scope that a check rules out for it.

The later-reference check (05) and the curation audit's consistency checks (06) judge what
some quantities count; data/scope_verdicts.csv says which verdict rules which scope out for
which record. ``scope_rejections`` applies those rules to the verdicts the checks gave;
``scope_conflicts`` lists every use (``data.scope_uses.ScopeUse``: a model input, or the
pages' wording) of a record in a scope ruled out, or a scope part of it (data/scopes.csv's
``part_of``). Numbers and codes only: the words are the reason column's, written as data.
"""

from __future__ import annotations

import pandas as pd

from magnet_watch.data.scope_uses import ScopeUse

REJECTION_COLUMNS = ["record", "rejects_scope", "check_id", "verdict", "reason"]
CONFLICT_COLUMNS = ["record", "scope", "kind", "use", "rejects_scope", "check_id", "reason"]


def scope_rejections(rules: pd.DataFrame, verdicts: pd.DataFrame) -> pd.DataFrame:
    """Return the rules whose check gave their verdict (``REJECTION_COLUMNS``).

    ``verdicts`` has one row per check result: ``check_id`` and ``verdict`` (the later-reference
    check's rows; the consistency checks' ``result`` as verdict). Raises ValueError naming a
    rule whose check gave no verdict at all: a rule on a check that is gone would rule out
    nothing, silently.
    """
    given = set(verdicts["check_id"].astype(str))
    stale = sorted(set(rules["check_id"].astype(str)) - given)
    if stale:
        raise ValueError(f"data/scope_verdicts.csv names checks that gave no verdict: {stale}")
    pairs = set(zip(verdicts["check_id"].astype(str), verdicts["verdict"].astype(str), strict=True))
    hit = [
        (str(c), str(v)) in pairs for c, v in zip(rules["check_id"], rules["verdict"], strict=True)
    ]
    return rules.loc[hit, REJECTION_COLUMNS].reset_index(drop=True)


def _within(scopes: pd.DataFrame) -> dict[str, set[str]]:
    """Each scope with every scope it is part of, itself included (scopes.csv's part_of)."""
    parent = {
        str(s): (None if pd.isna(p) else str(p))
        for s, p in zip(scopes["scope"], scopes["part_of"], strict=True)
    }
    out = {}
    for scope in parent:
        chain, at = {scope}, parent[scope]
        while at is not None and at not in chain:
            chain.add(at)
            at = parent.get(at)
        out[scope] = chain
    return out


def scope_conflicts(
    uses: list[ScopeUse], rejections: pd.DataFrame, scopes: pd.DataFrame
) -> pd.DataFrame:
    """Return every use of a record in a scope that a rejection rules out, or in a scope part
    of it (``CONFLICT_COLUMNS``); empty when the pages and the checks agree."""
    within = _within(scopes)
    ruled = {}
    for r in rejections.itertuples(index=False):
        ruled.setdefault(str(r.record), []).append(r)
    rows = [
        {
            "record": u.record,
            "scope": u.scope,
            "kind": u.kind,
            "use": u.use,
            "rejects_scope": r.rejects_scope,
            "check_id": r.check_id,
            "reason": r.reason,
        }
        for u in uses
        for r in ruled.get(u.record, [])
        if r.rejects_scope in within.get(u.scope, {u.scope})
    ]
    return pd.DataFrame(rows, columns=CONFLICT_COLUMNS)
