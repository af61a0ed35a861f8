"""Weighted prevalence estimates with 95% intervals for survey definitions (never counts).

Per region: p = Σ w·y / Σ w over respondents (y = meets the definition, w = design weight). Its variance
is the linearised (Taylor) variance of a ratio estimator under with-replacement sampling,
v = n/(n-1) · Σ w²(y - p)² / (Σ w)², which also captures the loss of precision from unequal weights.
The 95% interval is the Wilson score interval with the effective sample size n_eff = p(1-p)/v (Kish's
n_eff = (Σw)²/Σw² when p is 0 or 1), so it stays inside [0, 1] for small areas. An estimate is
published only when the region has at least `min_respondents` unweighted respondents and the respondent
count itself passes disclosure control.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

Z95 = 1.959963984540054


@dataclass(frozen=True)
class SurveyRules:
    min_respondents: int = 50

    def to_dict(self) -> dict[str, object]:
        return {
            "min_respondents": self.min_respondents,
            "estimator": "weighted proportion sum(w*y)/sum(w) with design weights",
            "variance": "linearised (Taylor) variance of the ratio estimator, with replacement",
            "interval": "95% Wilson score interval with effective sample size p(1-p)/variance",
            "publication_rule": f"an estimate needs at least {self.min_respondents} unweighted respondents",
        }


def estimate(n: int, sum_w: float, sum_w2_members: float, sum_w2_others: float,
             sum_w_members: float) -> tuple[float, float, float] | None:
    """(p, low, high) as proportions; None without respondents or weights."""
    if n <= 0 or sum_w <= 0:
        return None
    p = sum_w_members / sum_w
    if n > 1:
        var = n / (n - 1) * (sum_w2_members * (1 - p) ** 2 + sum_w2_others * p ** 2) / sum_w ** 2
    else:
        var = 0.0
    if var > 0:
        n_eff = p * (1 - p) / var
    else:
        n_eff = sum_w ** 2 / (sum_w2_members + sum_w2_others)
    z2 = Z95 ** 2
    centre = (p + z2 / (2 * n_eff)) / (1 + z2 / n_eff)
    half = Z95 * math.sqrt(p * (1 - p) / n_eff + z2 / (4 * n_eff ** 2)) / (1 + z2 / n_eff)
    return p, max(0.0, centre - half), min(1.0, centre + half)


def estimates(rolled: pd.DataFrame) -> pd.DataFrame:
    """From rolled survey sums (level, region_code, member, n, sum_w, sum_w2) to per-region estimates
    (level, region_code, respondents, estimate, ci_low, ci_high) in proportions."""
    rows = []
    for (level, code), g in rolled.groupby(["level", "region_code"], sort=False):
        mem, oth = g[g["member"]], g[~g["member"]]
        n = int(g["n"].sum())
        result = estimate(n, float(g["sum_w"].sum()), float(mem["sum_w2"].sum()), float(oth["sum_w2"].sum()),
                          float(mem["sum_w"].sum()))
        rows.append((level, code, n, *(result or (None, None, None))))
    return pd.DataFrame(rows, columns=["level", "region_code", "respondents", "estimate", "ci_low", "ci_high"])
