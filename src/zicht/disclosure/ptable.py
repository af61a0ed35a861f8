"""The perturbation table of the cell key method: how likely each true count is published as each value.

A row per true count ``i`` (0 .. ``N``; every larger count uses row ``N`` shifted) gives the transition
probabilities ``p(i -> i + d)`` for deviations ``d`` in ``-D .. D``. They are the maximum-entropy
distribution (as spread out as the constraints allow, so no published value is more telling than it
must be) under:

* maximum deviation ``D``: ``|d| <= D``;
* no negative values and no published value in ``1 .. js`` (a published 1 or 2 would single out
  persons; with ``js = 0`` every value may appear);
* zeros stay zero: row 0 is ``p(0 -> 0) = 1`` (an empty cell discloses nothing about a person, and
  making up persons where there are none would put numbers on empty regions);
* zero mean (unbiased) where the allowed values make that possible, and variance ``V``; where ``V`` is
  out of reach for a row (small counts next to the blocked values), the variance nearest to ``V`` that an
  unbiased row can have, and where no unbiased row exists, the smallest bias.

The maximum-entropy distribution under a mean and a variance is ``p(d) ∝ exp(a·d + b·d²)`` on the
allowed deviations; ``a`` and ``b`` minimise the convex dual ``log Σ exp(a·d + b·(d² - V))``, a
two-parameter problem solved here by Newton's method with a backtracking line search (numpy only: the
default release needs no optimisation library). On the edge of what is feasible the distribution is the
unique two-point (or one-point) distribution there.

Rows ``i >= js + D + 1`` are identical (no allowed value is blocked), so ``N = js + D + 1``.

The lookup is the inverse of a row's cumulative distribution at the cell key ``u`` in [0, 1):
deviations are ordered from ``-D`` to ``D``, and the published value is ``i + d`` for the first ``d``
whose cumulative probability exceeds ``u``. The same cell (same persons, so same count and same key)
therefore always gets the same value.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from zicht.errors import ZichtError

if TYPE_CHECKING:  # pandas only for frame(), imported there: the table itself is numpy
    import pandas as pd

_TOL = 1e-9


@dataclass(frozen=True)
class PerturbationRules:
    """Parameters of the perturbation table (defaults: docs/disclosure.md, "Why these parameters")."""

    max_deviation: int = 5
    variance: float = 4.0
    blocked_upto: int = 2  # js: no published value in 1 .. js

    def __post_init__(self) -> None:
        for name in ("max_deviation", "blocked_upto"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ZichtError(f"perturbation rules: {name} must be a whole number >= 0, got {value!r}")
        if self.max_deviation < 1:
            raise ZichtError(
                f"perturbation rules: max_deviation must be at least 1, got {self.max_deviation}"
            )
        if (
            isinstance(self.variance, bool)
            or not isinstance(self.variance, (int, float))
            or not math.isfinite(self.variance)
            or self.variance <= 0
        ):
            raise ZichtError(f"perturbation rules: variance must be a number > 0, got {self.variance!r}")
        if self.variance > self.max_deviation**2:
            raise ZichtError(
                f"perturbation rules: variance {self.variance} cannot be reached with deviations of "
                f"at most {self.max_deviation} (at most {self.max_deviation**2})"
            )

    @property
    def table(self) -> PerturbationTable:
        return perturbation_table(self.max_deviation, float(self.variance), self.blocked_upto)

    def to_dict(self) -> dict[str, Any]:
        t = self.table
        big = t.rows[-1]
        return {
            "method": "cell key method (consistent perturbation)",
            "max_deviation": self.max_deviation,
            "variance": float(self.variance),
            "blocked_upto": self.blocked_upto,
            "rule": (
                f"every published count is the true count plus a deviation of at most {self.max_deviation} "
                f"persons, drawn from a fixed perturbation table by a cell key that only the persons in "
                f"the cell determine: the same persons always give the same published value"
            ),
            "zero_rule": "zeros are published as 0",
            "small_values_rule": (
                f"no count is published as 1 to {self.blocked_upto}"
                if self.blocked_upto
                else "every value can be published"
            ),
            "bias_rule": "the deviation has mean 0 (unbiased) for every count of at least "
            f"{t.unbiased_from} and variance {float(self.variance)} for every count of at least "
            f"{t.full_variance_from}",
            "probability_unchanged": round(float(big.probabilities[self.max_deviation]), 4),
            "mean_absolute_deviation": round(float(np.abs(big.deviations) @ big.probabilities), 4),
            "derived_rule": "rates, standardised rates, Jaccard indices, survey estimates and intervals are "
            "computed from published (perturbed) values only; published parts need not add up "
            "to published totals",
            "table": "zicht disclosure ptable (docs/disclosure.md)",
        }


@dataclass(frozen=True)
class Row:
    count: int
    deviations: np.ndarray  # -D .. D
    probabilities: np.ndarray  # same length; 0 where the value is not allowed

    @property
    def bias(self) -> float:
        return float(self.deviations @ self.probabilities)

    @property
    def variance(self) -> float:
        return float((self.deviations.astype(float) - self.bias) ** 2 @ self.probabilities)


@dataclass(frozen=True)
class PerturbationTable:
    max_deviation: int
    variance: float
    blocked_upto: int
    rows: tuple[Row, ...]
    cumulative: np.ndarray  # rows × (2D + 1), last allowed entry and beyond exactly 1

    @property
    def last_row(self) -> int:
        return len(self.rows) - 1

    @property
    def unbiased_from(self) -> int:
        return next(r.count for r in self.rows if all(abs(x.bias) < 1e-7 for x in self.rows[r.count :]))

    @property
    def full_variance_from(self) -> int:
        return next(
            r.count
            for r in self.rows
            if all(
                abs(x.variance - self.variance) < 1e-6 and abs(x.bias) < 1e-7 for x in self.rows[r.count :]
            )
        )

    def deviation(self, counts: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """The deviation of each cell (vectorised): counts >= 0 (int), keys in [0, 1)."""
        counts = np.asarray(counts, dtype=np.int64)
        keys = np.asarray(keys, dtype=np.float64)
        rows = np.minimum(counts, self.last_row)
        cum = self.cumulative[rows]
        index: np.ndarray = (keys[..., None] >= cum).sum(axis=-1)
        return index.astype(np.int64) - self.max_deviation

    def perturb(self, counts: np.ndarray, keys: np.ndarray) -> np.ndarray:
        counts = np.asarray(counts, dtype=np.int64)
        perturbed: np.ndarray = counts + self.deviation(counts, keys)
        return perturbed

    def frame(self) -> pd.DataFrame:
        """One row per true count: p(d) for every deviation, bias, variance, P(unchanged)."""
        import pandas as pd

        d = self.rows[0].deviations
        data: dict[str, list[int | str] | list[float]] = {
            "count": [r.count if r.count < self.last_row else f">= {r.count}" for r in self.rows]
        }
        for k, dev in enumerate(d):
            data[f"p({int(dev):+d})"] = [float(r.probabilities[k]) for r in self.rows]
        data["bias"] = [round(r.bias, 12) + 0.0 for r in self.rows]  # no "-0.0000" from rounding noise
        data["variance"] = [round(r.variance, 12) + 0.0 for r in self.rows]
        return pd.DataFrame(data)


def cell_keys(rk: np.ndarray) -> np.ndarray:
    """Cell keys in [0, 1) from sums of 32-bit record keys: the fractional part of the sum / 2**32."""
    from zicht.disclosure.record_keys import KEY_MODULUS

    return np.mod(np.asarray(rk, dtype=np.int64), KEY_MODULUS).astype(np.float64) / KEY_MODULUS


@functools.lru_cache(maxsize=16)
def perturbation_table(max_deviation: int, variance: float, blocked_upto: int) -> PerturbationTable:
    D, js = max_deviation, blocked_upto
    deviations = np.arange(-D, D + 1)
    rows = []
    for i in range(js + D + 2):
        values = i + deviations
        allowed = (values >= 0) & ((values == 0) | (values > js))
        if i == 0:
            allowed = values == 0
        p = np.zeros(len(deviations))
        p[allowed] = _row(deviations[allowed].astype(float), variance)
        rows.append(Row(i, deviations, p))
    cum = np.cumsum(np.array([r.probabilities for r in rows]), axis=1)
    for k, r in enumerate(rows):
        last = int(np.flatnonzero(r.probabilities > 0)[-1])
        cum[k, last:] = 1.0
    return PerturbationTable(D, variance, js, tuple(rows), cum)


def _row(d: np.ndarray, variance: float) -> np.ndarray:
    """Maximum-entropy probabilities on the allowed deviations d (sorted) with mean 0 and the variance
    nearest to `variance` that mean 0 allows; the least biased point mass when mean 0 is out of reach."""
    if len(d) == 1 or d.min() >= 0 or d.max() <= 0:
        # No unbiased row exists: the value nearest to the true count, with certainty.
        p = np.zeros(len(d))
        p[int(np.argmin(np.abs(d)))] = 1.0
        return p
    below, above = d[d < 0].max(), d[d > 0].min()
    v_min = 0.0 if (d == 0).any() else -below * above  # lower hull of (d, d²) at mean 0
    v_max = -d.min() * d.max()  # chord between the extremes
    if variance <= v_min + _TOL:
        return _two_point(d, 0.0 if v_min == 0 else below, above) if v_min > 0 else (d == 0).astype(float)
    if variance >= v_max - _TOL:
        return _two_point(d, d.min(), d.max())
    return _max_entropy(d, variance)


def _two_point(d: np.ndarray, x1: float, x2: float) -> np.ndarray:
    p = np.zeros(len(d))
    p[d == x2] = -x1 / (x2 - x1)
    p[d == x1] = x2 / (x2 - x1)
    return p


def _logsumexp(z: np.ndarray) -> float:
    top = float(z.max())
    return top + math.log(float(np.exp(z - top).sum()))


def _max_entropy(d: np.ndarray, variance: float) -> np.ndarray:
    """p(d) ∝ exp(θ·f(d)) with f(d) = (d, d² - V) and θ the minimiser of the dual log Σ exp(θ·f): its
    gradient is E[f] (zero at the solution: mean 0, variance V) and its Hessian Cov[f], positive definite
    for an interior V, so damped Newton converges (quadratically near the end) from any start."""
    features = np.stack([d, d**2 - variance], axis=1)

    def dual(theta: np.ndarray) -> float:
        return _logsumexp(features @ theta)

    theta = np.array([0.0, -0.5 / variance])
    for _ in range(200):
        z = features @ theta
        p = np.exp(z - _logsumexp(z))
        grad = features.T @ p
        if np.abs(grad).max() < 1e-13:
            break
        hess = (features * p[:, None]).T @ features - np.outer(grad, grad)
        step = np.linalg.solve(hess + 1e-15 * np.eye(2), -grad)
        value, t = dual(theta), 1.0
        while t > 1e-12 and dual(theta + t * step) > value + 1e-4 * t * float(grad @ step):
            t /= 2
        theta = theta + t * step
    z = features @ theta
    p = np.exp(z - _logsumexp(z))
    mean, var = float(d @ p), float(d**2 @ p)
    if abs(mean) > 1e-8 or abs(var - variance) > 1e-7:  # a solver failure, not a user error
        raise RuntimeError(
            f"perturbation table: no maximum-entropy row for deviations {d.tolist()} "
            f"(mean {mean}, variance {var}, wanted {variance})"
        )
    return np.asarray(p, dtype=np.float64)
