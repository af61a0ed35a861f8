"""Denominators, direct standardisation and survey intervals, checked against hand calculations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zicht.compare.rates import Populations, member_strata, standardised_rate
from zicht.compare.survey import estimate
from zicht.engines import store_from_frames
from zicht.query_model.nodes import AgeRange


def _pops(rows: list[tuple]) -> Populations:
    frame = pd.DataFrame(rows, columns=["region_code", "sex", "age_min", "age_max", "count"]).assign(
        year=2024
    )
    store = store_from_frames({"population": frame, "region": [{"id": "NL01", "level": "land"}]})
    try:
        return Populations(store)
    finally:
        store.close()


def test_bands_count_pro_rata_and_open_band_whole():
    pops = _pops([("GM1", "male", 15, 19, 50), ("GM1", "female", 15, 19, 50), ("GM1", "male", 95, None, 7)])
    # 18..19 is 2 of the 5 years of 15-19: 20 + 20
    assert pops.total(["GM1"], AgeRange(18, 65)) == pytest.approx(40)
    assert pops.total(["GM1"], AgeRange(18, None)) == pytest.approx(47)
    assert pops.total(["GM1"], AgeRange(0, 17)) == pytest.approx(60)
    assert pops.total(["GM9"], AgeRange()) is None
    assert pops.standard_code == "NL01"


def test_directly_standardised_rate_by_hand():
    # Region: young 100 men with 10 members, old 100 men with 40 members (rates 0.1 and 0.4).
    # Standard: 300 young, 100 old -> 0.75*0.1 + 0.25*0.4 = 0.175 -> 175 per 1,000 (crude would be 250).
    pops = _pops(
        [
            ("R", "male", 20, 20, 100),
            ("R", "male", 70, 70, 100),
            ("NL01", "male", 20, 20, 300),
            ("NL01", "male", 70, 70, 100),
        ]
    )
    age = AgeRange(18, None)
    members = pd.DataFrame({"sex": ["male", "male", "unknown"], "age": [20, 70, 40], "n": [10, 40, 99]})
    rate = standardised_rate(member_strata(members, age), pops.strata(["R"], age), pops.strata(["NL01"], age))
    assert rate == 175.0


def test_standardised_rate_without_standard_is_missing():
    assert standardised_rate(np.zeros((2, 3)), np.ones((2, 3)), None) is None


def test_estimate_equal_weights_is_the_wilson_interval():
    # 50 respondents with weight 2, 25 members: p = 0.5, linearised n_eff = 49 -> Wilson [0.3652, 0.6348]
    p, lo, hi = estimate(50, 100.0, 25 * 4.0, 25 * 4.0, 50.0)
    assert p == 0.5
    assert (round(lo, 4), round(hi, 4)) == (0.3652, 0.6348)


def test_unequal_weights_widen_the_interval():
    # 100 respondents, weighted p = 0.2 both times; equal weights 1 against 5 members of weight 4
    # and 95 others of weight 80/95 (the members' weight sits on few respondents)
    p_eq, lo_eq, hi_eq = estimate(100, 100.0, 20 * 1.0, 80 * 1.0, 20.0)
    p_un, lo_un, hi_un = estimate(100, 100.0, 5 * 4.0**2, 95 * (80 / 95) ** 2, 20.0)
    assert p_eq == p_un == pytest.approx(0.2)
    assert hi_un - lo_un > hi_eq - lo_eq


def test_no_respondents_no_estimate():
    assert estimate(0, 0.0, 0.0, 0.0, 0.0) is None
