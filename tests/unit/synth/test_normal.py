"""The numpy/stdlib normal CDF and quantile against an independent oracle (mpmath-free: erf series)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from zicht.synth.normal import ndtr, ndtri


def _phi_exact(x: float) -> float:
    """Φ(x) by the Taylor series of erf in exact rational arithmetic (|x| <= 3), an oracle independent
    of libm: erf(t) = 2/√π Σ (-1)^n t^(2n+1) / (n! (2n+1))."""
    t = Fraction(x) / Fraction(math.sqrt(2))  # √2 rounded once; its error is far below 1e-15 here
    term, total, n = t, Fraction(0), 0
    while True:
        piece = term / (2 * n + 1)
        total += piece
        if abs(piece) < Fraction(1, 10**22):
            break
        n += 1
        term = -term * t * t / n
    return 0.5 + float(total) / math.sqrt(math.pi)


@pytest.mark.parametrize("x", [-3.0, -1.96, -0.5, 0.0, 0.3, 1.0, 1.6448536269514722, 2.5])
def test_cdf_matches_the_series(x: float) -> None:
    assert float(ndtr(np.array([x]))[0]) == pytest.approx(_phi_exact(x), rel=1e-14, abs=1e-16)


def test_cdf_keeps_precision_in_the_lower_tail() -> None:
    # Φ(-10) = 7.619853024160526e-24 (known value); 0.5 * (1 + erf) would give 0.
    assert float(ndtr(np.array([-10.0]))[0]) == pytest.approx(7.619853024160526e-24, rel=1e-13)
    assert ndtr(np.array([-40.0, 40.0])).tolist() == [0.0, 1.0]


def test_quantile_inverts_the_cdf() -> None:
    p = np.array([1e-6, 0.01, 0.025, 0.2, 0.5, 0.8, 0.975, 0.999999])
    assert ndtr(ndtri(p)) == pytest.approx(p, rel=1e-13)
    assert float(ndtri(np.array([0.975]))[0]) == pytest.approx(1.959963984540054, rel=1e-15)


def test_quantile_edges_and_shape() -> None:
    got = ndtri(np.array([[0.0, 1.0], [0.5, 1.5]]))
    assert got.shape == (2, 2)
    assert got[0, 0] == -math.inf and got[0, 1] == math.inf and got[1, 0] == 0.0 and math.isnan(got[1, 1])


def test_repeated_values_are_computed_once_but_returned_in_place() -> None:
    p = np.array([0.9, 0.1, 0.9, 0.5, 0.1])
    got = ndtri(p)
    assert got[0] == got[2] and got[1] == got[4] == -got[0] and got[3] == 0.0
