"""The perturbation table: its constraints, the maximum-entropy choice and the cell-key lookup."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from zicht.cli import app
from zicht.disclosure.ptable import PerturbationRules, cell_keys, perturbation_table
from zicht.errors import ZichtError


@pytest.mark.parametrize("D, V, js", [(5, 4.0, 2), (2, 1.0, 0), (3, 2.0, 1), (4, 3.0, 4), (1, 0.5, 0)])
def test_every_row_keeps_the_constraints(D, V, js):
    t = perturbation_table(D, V, js)
    assert len(t.rows) == js + D + 2
    assert t.rows[0].probabilities[D] == 1.0  # zeros stay zero
    for r in t.rows:
        p = r.probabilities
        assert p.min() >= 0 and p.sum() == pytest.approx(1, abs=1e-12)
        values = r.count + r.deviations
        assert p[(values < 0) | ((values >= 1) & (values <= js))].sum() == 0  # no negatives, nothing in 1..js
        assert r.deviations.min() == -D and r.deviations.max() == D
    # rows without blocked neighbours: unbiased with exactly the variance V, symmetric
    big = t.rows[-1]
    assert big.bias == pytest.approx(0, abs=1e-9) and big.variance == pytest.approx(V, abs=1e-7)
    assert np.allclose(big.probabilities, big.probabilities[::-1])


def test_unbiased_where_feasible_and_nearest_variance_otherwise():
    # D=2, js=2: a true 1 can only go to 0 or 3: unbiased only as 2/3 * (-1) + 1/3 * (+2), variance 2 (> V=1)
    row = perturbation_table(2, 1.0, 2).rows[1]
    assert row.bias == pytest.approx(0) and row.variance == pytest.approx(2.0)
    assert row.probabilities[1] == pytest.approx(2 / 3) and row.probabilities[4] == pytest.approx(1 / 3)
    # D=1, js=2: a true 1 cannot reach 3: no unbiased row exists, so the value nearest the truth (0)
    row = perturbation_table(1, 0.5, 2).rows[1]
    assert row.probabilities[0] == 1.0 and row.bias == -1


def test_maximum_entropy_beats_other_distributions_with_the_same_moments():
    t = perturbation_table(5, 4.0, 2)
    p = t.rows[-1].probabilities
    d = t.rows[-1].deviations.astype(float)
    entropy = -(p * np.log(p)).sum()
    rng = np.random.default_rng(1)
    for _ in range(200):  # move along the null space of the three moment constraints
        a = np.stack([np.ones_like(d), d, d**2])
        _, _, vt = np.linalg.svd(a)
        step = vt[3:].T @ rng.normal(size=len(d) - 3) * 0.01
        q = p + step
        if q.min() <= 0:
            continue
        assert -(q * np.log(q)).sum() <= entropy + 1e-12


@pytest.mark.parametrize(
    "D, V, js", [(5, 4.0, 2), (3, 2.0, 1), (4, 3.0, 4), (5, 1.0, 2), (8, 10.0, 3), (10, 50.0, 5)]
)
def test_interior_rows_are_the_exponential_family_of_the_moments(D, V, js):
    """Optimality (KKT) of maximum entropy under mean and variance constraints: where a row has more than
    two allowed values and is not on the edge, log p is a quadratic in d on its support (p > 0 everywhere
    there), with mean 0 and variance V. (8, 10, 3) and (10, 50, 5) are rows a general-purpose solver
    (scipy's trust-exact) failed on; the Newton solve of the two-parameter dual must not."""
    t = perturbation_table(D, V, js)
    checked = 0
    for r in t.rows[1:]:
        support = r.probabilities > 0
        d = r.deviations[support].astype(float)
        if len(d) <= 2 or abs(r.variance - V) > 1e-7:
            continue  # an edge row (one or two points), tested above
        checked += 1
        x = np.stack([np.ones_like(d), d, d**2], axis=1)
        logp = np.log(r.probabilities[support])
        coef, *_ = np.linalg.lstsq(x, logp, rcond=None)
        assert np.abs(x @ coef - logp).max() < 1e-8
        assert r.bias == pytest.approx(0, abs=1e-9)
        allowed = r.count + r.deviations
        allowed_mask = (allowed == 0) | (allowed > js)
        assert (support == (allowed_mask & (allowed >= 0))).all()  # every allowed value has p > 0
    assert checked >= 2


def test_newton_solution_equals_a_general_optimiser():
    """An independent solve of the same dual with scipy (the optional extra) gives the same rows."""
    optimize = pytest.importorskip("scipy.optimize", reason="scipy (the suppress extra) is the oracle here")
    from zicht.disclosure.ptable import _max_entropy

    for d, v in [
        (np.arange(-5, 6.0), 4.0),
        (np.array([-2.0, 0, 1, 2, 3, 4, 5]), 3.0),
        (np.arange(-3, 4.0), 1.5),
    ]:
        f = np.stack([d, d**2 - v], axis=1)

        def dual(theta, f=f):
            z = f @ theta
            return np.log(np.exp(z - z.max()).sum()) + z.max()

        res = optimize.minimize(
            dual,
            np.zeros(2),
            method="Nelder-Mead",
            options={"xatol": 1e-12, "fatol": 1e-15, "maxiter": 20000},
        )
        z = f @ res.x
        oracle = np.exp(z - z.max()) / np.exp(z - z.max()).sum()
        assert np.allclose(_max_entropy(d, v), oracle, atol=1e-6)


def test_lookup_is_the_inverse_cdf_of_the_row():
    t = perturbation_table(5, 4.0, 2)
    keys = (np.arange(200_000) + 0.5) / 200_000
    for count in (1, 2, 3, 7, 8, 500):
        dev = t.deviation(np.full(len(keys), count), keys)
        freq = np.bincount(dev + 5, minlength=11) / len(keys)
        row = t.rows[min(count, t.last_row)]
        assert np.allclose(freq, row.probabilities, atol=1e-4)
        assert np.all(np.diff(dev) >= 0)  # monotone in the key
    assert (t.perturb(np.zeros(5, dtype=np.int64), keys[:5]) == 0).all()
    published = t.perturb(np.arange(1, 40), np.linspace(0, 0.999, 39))
    assert not np.isin(published, [1, 2]).any() and (published >= 0).all()


def test_cell_keys_are_the_fraction_of_the_key_sum():
    assert cell_keys(np.array([0, 1 << 31, (1 << 32) + 5, 3 * (1 << 32) - 1])).tolist() == [
        0.0,
        0.5,
        5 / 2**32,
        1 - 1 / 2**32,
    ]


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"max_deviation": 0}, "at least 1"),
        ({"variance": -1}, "variance must be a number > 0"),
        ({"variance": 30.0}, "cannot be reached"),
        ({"blocked_upto": -1}, "whole number >= 0"),
        ({"max_deviation": True}, "whole number"),
    ],
)
def test_bad_rules_are_clear_errors(kwargs, message):
    with pytest.raises(ZichtError, match=message):
        PerturbationRules(**kwargs)


def test_rules_in_words_and_numbers():
    d = PerturbationRules().to_dict()
    assert (d["max_deviation"], d["variance"], d["blocked_upto"]) == (5, 4.0, 2)
    assert d["bias_rule"].startswith("the deviation has mean 0")
    assert 0.15 < d["probability_unchanged"] < 0.25


def test_cli_prints_the_table():
    res = CliRunner().invoke(app, ["disclosure", "ptable", "--format", "csv"])
    assert res.exit_code == 0
    lines = res.stdout.strip().splitlines()
    assert lines[0].startswith("count,p(-5)") and len(lines) == 1 + 9
    bad = CliRunner().invoke(app, ["disclosure", "ptable", "--format", "xml"])
    assert bad.exit_code != 0
