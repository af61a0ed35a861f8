"""Weighted prevalence estimates with 95% intervals for survey definitions (never counts).

Per region: p = Σ w·y / Σ w over respondents (y = meets the definition, w = design weight). Its variance
is the linearised (Taylor) variance of a ratio estimator under with-replacement sampling,
v = n/(n-1) · Σ w²(y - p)² / (Σ w)². The design effect is deff = v / (p(1-p)/n), the factor by which the
design (unequal weights) inflates the variance of a simple random sample of n; the effective sample
size is n / deff. The linearised variance is itself an estimate and can fall below the simple random
sample's by chance when y and w happen to correlate in a small sample; an effective sample size above
n would then claim more information than the respondents hold, so deff is taken as at least 1 (as
Korn and Graubard truncate the effective sample size at n). When p is 0 or 1 the linearised variance is
0 and Kish's deff = n Σw² / (Σw)² (≥ 1) is used. The 95% interval is the Wilson score interval with the
effective sample size, so it stays inside [0, 1] for small areas. Coverage of ≈ 95% is checked over
repeated synthetic samples (tests/unit/compare/test_survey_coverage.py).

Publication (docs/disclosure.md): the respondents who meet the definition and those who do not are two
perturbed cells; the published estimate scales the weighted totals of each group by its published /
true count, so estimate × respondents gives back a perturbed numerator, never the true one. The
published respondent count is a third perturbed cell; the interval uses it with the design effect
rounded to one decimal (the exact design effect of equal weights, n/(n-1), would give n back). An
estimate is published only when the published respondent count reaches `min_respondents`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054


@dataclass(frozen=True)
class SurveyRules:
    min_respondents: int = 50

    def to_dict(self) -> dict[str, object]:
        return {
            "min_respondents": self.min_respondents,
            "estimator": "weighted proportion sum(w*y)/sum(w) with design weights",
            "variance": "linearised (Taylor) variance of the ratio estimator, with replacement; design effect "
            "at least 1 (Kish's when the proportion is 0 or 1)",
            "interval": "95% Wilson score interval with effective sample size = respondents / design effect",
            "publication_rule": f"an estimate needs at least {self.min_respondents} (published) respondents",
            "disclosure": "respondents who meet and who do not meet the definition are perturbed cells; the "
            "estimate is computed from them, so estimate x respondents never gives a true count",
        }


def design_effect(
    n: int, sum_w: float, sum_w2_members: float, sum_w2_others: float, sum_w_members: float
) -> float:
    """The design effect of the weighted proportion, at least 1."""
    p = sum_w_members / sum_w
    if n > 1 and 0 < p < 1:
        var = n / (n - 1) * (sum_w2_members * (1 - p) ** 2 + sum_w2_others * p**2) / sum_w**2
        return max(1.0, var / (p * (1 - p) / n))
    return max(1.0, n * (sum_w2_members + sum_w2_others) / sum_w**2)


def wilson(p: float, n_eff: float) -> tuple[float, float]:
    z2 = Z95**2
    centre = (p + z2 / (2 * n_eff)) / (1 + z2 / n_eff)
    half = Z95 * math.sqrt(p * (1 - p) / n_eff + z2 / (4 * n_eff**2)) / (1 + z2 / n_eff)
    return max(0.0, centre - half), min(1.0, centre + half)


def estimate(
    n: int, sum_w: float, sum_w2_members: float, sum_w2_others: float, sum_w_members: float
) -> tuple[float, float, float] | None:
    """(p, low, high) as proportions from the true respondents; None without respondents or weights."""
    if n <= 0 or sum_w <= 0:
        return None
    p = sum_w_members / sum_w
    lo, hi = wilson(p, n / design_effect(n, sum_w, sum_w2_members, sum_w2_others, sum_w_members))
    return p, lo, hi


def published_estimate(
    yes: int,
    no: int,
    sum_w_yes: float,
    sum_w_no: float,
    sum_w2_yes: float,
    sum_w2_no: float,
    yes_published: float | None,
    no_published: float | None,
    respondents_published: int | None,
) -> tuple[float, float, float] | None:
    """(p, low, high) from the perturbed counts of respondents who do and do not meet the definition;
    None when nothing can be published."""
    n = yes + no
    sum_w = sum_w_yes + sum_w_no
    if n <= 0 or sum_w <= 0 or yes_published is None or no_published is None or not respondents_published:
        return None
    w_yes = sum_w_yes * (yes_published / yes) if yes else 0.0
    w_no = sum_w_no * (no_published / no) if no else 0.0
    if w_yes + w_no <= 0:
        return None
    p = w_yes / (w_yes + w_no)
    deff = round(design_effect(n, sum_w, sum_w2_yes, sum_w2_no, sum_w_yes), 1)
    lo, hi = wilson(p, respondents_published / max(1.0, deff))
    return p, lo, hi
