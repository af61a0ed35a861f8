"""Survey intervals over repeated synthetic samples: ≈ 95% coverage, effective sample size never above n.

A population of 20,000 adults in two strata with different prevalence; each sample takes a fixed number
of respondents per stratum (unequal inclusion probabilities, so unequal design weights N_h / n_h); the
weighted estimate and its interval are computed by `zicht.compare.survey` from the same sums the engine
gives compare (n, Σw, Σw² of members and others)."""

from __future__ import annotations

import numpy as np
import pytest

from zicht.compare.survey import design_effect, estimate, published_estimate
from zicht.disclosure.ptable import PerturbationRules

REPS = 1500


def _population(rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    stratum = (rng.random(20_000) < 0.3).astype(int)  # 30% in stratum 1
    y = rng.random(20_000) < np.where(stratum == 1, 0.25, 0.06)
    return stratum, y


@pytest.mark.parametrize("sizes", [(60, 140), (150, 50), (300, 300)])
def test_interval_covers_the_true_prevalence_95_percent_of_the_time(sizes):
    rng = np.random.default_rng(sum(sizes))
    stratum, y = _population(rng)
    truth = y.mean()
    table = PerturbationRules().table
    hits = published_hits = 0
    for _ in range(REPS):
        picked, weights = [], []
        for h, n_h in enumerate(sizes):
            members = np.flatnonzero(stratum == h)
            picked.append(rng.choice(members, n_h, replace=False))
            weights.append(np.full(n_h, len(members) / n_h))
        idx, w = np.concatenate(picked), np.concatenate(weights)
        yy = y[idx]
        n = len(idx)
        sw, swy = w.sum(), w[yy].sum()
        s2y, s2n = (w[yy] ** 2).sum(), (w[~yy] ** 2).sum()
        assert n / design_effect(n, sw, s2y, s2n, swy) <= n  # never more information than respondents
        p, lo, hi = estimate(n, sw, s2y, s2n, swy)
        hits += lo <= truth <= hi
        # the published estimate: perturbed yes/no counts and respondents (random cell keys)
        k = int(yy.sum())
        yes_p, no_p, n_p = table.perturb(np.array([k, n - k, n]), rng.random(3))
        result = published_estimate(k, n - k, swy, sw - swy, s2y, s2n, float(yes_p), float(no_p), int(n_p))
        published_hits += result is not None and result[1] <= truth <= result[2]
    # The variance treats the sample as unstratified (the survey frame has no strata), which is
    # conservative when strata differ in prevalence: up to ~98% here.
    assert 0.93 <= hits / REPS <= 0.98, hits / REPS
    assert 0.92 <= published_hits / REPS <= 0.985, published_hits / REPS


def test_equal_weights_effective_size_is_n_minus_one_and_never_above_n():
    # members and others with equal weights: linearised deff = n/(n-1)
    assert design_effect(50, 100.0, 25 * 4.0, 25 * 4.0, 50.0) == pytest.approx(50 / 49)
    # members with smaller weights than others (y correlated with w) can make the linearised variance
    # fall below the simple random sample's: the design effect is then taken as 1, not below
    assert design_effect(215, 215.0, 30 * 0.5**2, 185 * (200 / 185) ** 2, 15.0) == 1.0
