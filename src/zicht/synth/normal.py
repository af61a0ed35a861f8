"""The standard normal CDF and quantile on numpy arrays, from the standard library.

The synthetic latent model needs Φ for every adult and Φ⁻¹ for a few cut points per wijk; scipy
would be 140 MB of install for two functions. ``math.erfc`` is libm's (accurate to an ulp), and
`statistics.NormalDist.inv_cdf` is Wichura's AS241 (relative error about 1e-16), so both agree with
scipy's ``ndtr``/``ndtri`` to a few ulp.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd

_STANDARD = NormalDist()


def ndtr(x: np.ndarray) -> np.ndarray:
    """Φ(x) = P(N(0, 1) <= x), element-wise, as float64."""
    x = np.asarray(x, dtype=np.float64)
    # erfc keeps full relative precision in the lower tail, where 1 + erf(x/√2) would cancel.
    scaled = (-x / math.sqrt(2.0)).ravel().tolist()
    return (0.5 * np.fromiter(map(math.erfc, scaled), dtype=np.float64, count=x.size)).reshape(x.shape)


def ndtri(p: np.ndarray) -> np.ndarray:
    """Φ⁻¹(p), element-wise: -inf at 0, +inf at 1, NaN outside [0, 1] or for NaN."""
    p = np.asarray(p, dtype=np.float64)
    # Cut points repeat per wijk: compute each distinct value once. The distinct values come from a hash
    # table (pd.factorize, NaN kept as a value of its own), not from sorting a per-person array: the order
    # of the distinct values does not matter here, and np.unique's sort was a sixth of a national synth run.
    inverse, values = pd.factorize(p.ravel(), use_na_sentinel=False)
    out = np.array([_quantile(v) for v in values.tolist()], dtype=np.float64)
    return out[inverse].reshape(p.shape)


def _quantile(p: float) -> float:
    if 0.0 < p < 1.0:
        return _STANDARD.inv_cdf(p)
    if p == 0.0:
        return -math.inf
    if p == 1.0:
        return math.inf
    return math.nan
