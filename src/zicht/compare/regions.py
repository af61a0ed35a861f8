"""Regions of residence as the levels of a comparison: total → gemeente → wijk → buurt.

Tabulations from the engines carry each person's gemeente, wijk and buurt; this module gives every row
a region code per level and rolls values up, so that every parent equals the sum of its children
exactly (the nesting that disclosure control must respect). A person without a wijk or buurt is counted
in an explicit "unknown" child (`<parent>-onbekend`), never dropped.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from zicht.errors import InputError

LEVELS = ("total", "gemeente", "wijk", "buurt")
TOTAL = "totaal"
UNKNOWN = "onbekend"


def levels_down_to(level: str) -> tuple[str, ...]:
    if level not in LEVELS[1:]:
        raise InputError(f"unknown region level {level!r} (choose gemeente, wijk or buurt)")
    return LEVELS[: LEVELS.index(level) + 1]


def with_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """Add `key_total`, `key_gemeente`, `key_wijk`, `key_buurt` and check that each wijk lies in one
    gemeente and each buurt in one wijk (else nesting, and so disclosure control, would break)."""
    out = frame.copy()
    out["key_total"] = TOTAL
    out["key_gemeente"] = out["gemeente"].where(out["gemeente"].notna(), UNKNOWN).astype(str)
    out["key_wijk"] = out["wijk"].where(out["wijk"].notna(), out["key_gemeente"] + "-" + UNKNOWN).astype(str)
    out["key_buurt"] = out["buurt"].where(out["buurt"].notna(), out["key_wijk"] + "-" + UNKNOWN).astype(str)
    for child, parent in (("key_wijk", "key_gemeente"), ("key_buurt", "key_wijk")):
        parents = out.groupby(child)[parent].nunique()
        bad = parents[parents > 1]
        if len(bad):
            code = bad.index[0]
            where = sorted(out.loc[out[child] == code, parent].unique())
            raise InputError(
                f"store: residence {code} lies in more than one {parent[4:]} ({', '.join(where)}); "
                "persons' residence codes must nest (buurt in wijk in gemeente)"
            )
    return out


def rollup(frame: pd.DataFrame, by: Sequence[str], values: Sequence[str], level: str) -> pd.DataFrame:
    """Sums of `values` per region for every level from total down to `level`, grouped by `by`.
    Columns: level, region_code, parent_code, *by, *values."""
    keyed = frame if "key_total" in frame.columns else with_keys(frame)
    parts = []
    levels = levels_down_to(level)
    for i, lvl in enumerate(levels):
        key = f"key_{lvl}"
        cols = [key] + ([f"key_{levels[i - 1]}"] if i else [])
        grouped = keyed.groupby(cols + list(by), dropna=False, sort=True)[list(values)].sum().reset_index()
        grouped = grouped.rename(columns={key: "region_code"})
        grouped["parent_code"] = grouped.pop(f"key_{levels[i - 1]}") if i else None
        grouped.insert(0, "level", lvl)
        parts.append(grouped[["level", "region_code", "parent_code", *by, *values]])
    return pd.concat(parts, ignore_index=True)


def region_tree(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """Every region from total down to `level` that holds at least one row: level, region_code, parent_code."""
    keyed = with_keys(frame.assign(_one=1))
    return rollup(keyed, [], ["_one"], level)[["level", "region_code", "parent_code"]]
