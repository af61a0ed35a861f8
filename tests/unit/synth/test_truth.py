"""The generator's own definition evaluation on a hand-made case (expected results worked out by hand)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from zicht.errors import InputError
from zicht.synth.truth import is_survey, membership, survey_respondents, window_start

R = date(2024, 12, 31)
NAT = np.datetime64("NaT", "D")


def _d(text: str) -> np.datetime64:
    return np.datetime64(text, "D") if text else NAT


PERSONS = pd.DataFrame(
    {
        "birth_year": [1980, 1990, 2010, 1950, 1985],
        "gemeente": "GM0153",
        "wijk": "WK015300",
        "buurt": "BU015300S01",
    }
)
EVENTS = pd.DataFrame(
    [
        # person 0: specialised outpatient care 2022-01-01 .. open, two records; Wmo guidance in 2024
        (0, "zvw-ggz", "ggz_specialised_outpatient", "2022-01-01", "2022-12-31", np.nan, np.nan),
        (0, "zvw-ggz", "ggz_specialised_outpatient", "2023-01-01", "", np.nan, np.nan),
        (0, "wmo-enschede", "support_guidance_individual", "2024-03-01", "2024-05-01", np.nan, np.nan),
        # person 1: one FACT record ending the day before the 12-month window; one E33 on the window's first day
        (1, "zvw-ggz", "ggz_specialised_fact", "2023-06-01", "2023-12-31", np.nan, np.nan),
        (1, "politie-e33", "safety_e33", "2024-01-01", "2024-01-01", np.nan, np.nan),
        # person 2 (age 14): E33 from the wrong source only counts where no source restriction applies
        (2, "meldpunt", "safety_e33", "2024-06-01", "2024-06-01", np.nan, np.nan),
        # person 3: survey K10 30 and 29
        (3, "ggd-monitor", "psy_distress", "2024-10-01", "2024-10-01", 30.0, 2.0),
        (4, "ggd-monitor", "psy_distress", "2024-10-02", "2024-10-02", 29.0, 6.0),
        # person 4: debt counselling and income support: two domains
        (4, "schuldhulp", "context_debt_counselling", "2024-11-01", "", np.nan, np.nan),
        (4, "participatiewet", "context_income_support", "2020-01-01", "", np.nan, np.nan),
    ],
    columns=["person", "source_id", "concept", "start", "end", "value", "weight"],
)
EVENTS["start"] = EVENTS["start"].map(_d)
EVENTS["end"] = EVENTS["end"].map(_d)


def _crit(id_: str, concepts: list[str], **kw: object) -> dict:
    return {"id": id_, "label": id_, "concepts": concepts, **kw}


def _members(definition: dict) -> list[int]:
    return list(np.flatnonzero(membership(definition, PERSONS, EVENTS, R)))


def test_window_start_clamps_to_month_end() -> None:
    assert window_start(date(2024, 12, 31), 12) == date(2024, 1, 1)
    assert window_start(date(2024, 3, 31), 1) == date(2024, 3, 1)  # 2024-02-29 + 1 day
    assert window_start(date(2023, 3, 31), 1) == date(2023, 3, 1)  # 2023-02-28 + 1 day


def test_narrower_concepts_window_and_sources() -> None:
    spec = {
        "criteria": [_crit("g", ["ggz_specialised"], window_months=12)],
        "logic": {"op": "any", "operands": ["g"]},
    }
    assert _members(spec) == [0]  # person 1's FACT ended 2023-12-31, outside [2024-01-01, R]
    spec24 = {
        "criteria": [_crit("g", ["ggz_specialised"], window_months=24)],
        "logic": {"op": "any", "operands": ["g"]},
    }
    assert _members(spec24) == [0, 1]
    narrow = {
        "criteria": [_crit("g", ["ggz_specialised"], include_narrower=False)],
        "logic": {"op": "any", "operands": ["g"]},
    }
    assert _members(narrow) == []
    e33 = {
        "criteria": [_crit("e", ["safety_e33"], sources=["politie-e33"])],
        "logic": {"op": "any", "operands": ["e"]},
    }
    assert _members(e33) == [1]
    e33_any = {"criteria": [_crit("e", ["safety_e33"])], "logic": {"op": "any", "operands": ["e"]}}
    assert _members(e33_any) == [1, 2]


def test_min_occurrences_span_and_population() -> None:
    epa = {
        "population": {"age_min": 18, "age_max": 65},
        "criteria": [
            _crit("long", ["ggz_specialised"], window_months=36, min_occurrences=2, min_span_days=730),
            _crit("support", ["support_guidance", "ggz_wlz"], window_months=12),
        ],
        "logic": {"op": "all", "operands": ["long", "support"]},
    }
    # person 0: window 2022-01-01..R, span min(R, R) - max(W, 2022-01-01) = 1095 days >= 730, two records
    assert _members(epa) == [0]
    epa["criteria"][0]["min_span_days"] = 1096
    assert _members(epa) == []
    epa["criteria"][0]["min_span_days"] = 1095
    epa["population"]["age_max"] = 43  # person 0 is 2024 - 1980 = 44
    assert _members(epa) == []


def test_at_least_not_and_nested_groups() -> None:
    crits = [
        _crit("ggz", ["ggz"]),
        _crit("debt", ["context_debt_counselling"]),
        _crit("income", ["context_income_support"]),
        _crit("e33", ["safety_e33"]),
    ]
    two = {
        "criteria": crits,
        "logic": {"op": "at_least", "k": 2, "operands": ["ggz", "debt", "income", "e33"]},
    }
    assert _members(two) == [4]
    not_e33 = {"population": {"age_min": 18}, "criteria": crits, "logic": {"op": "not", "operands": ["e33"]}}
    assert _members(not_e33) == [0, 3, 4]  # person 2 (14) is outside the universe
    nested = {
        "criteria": crits,
        "logic": {
            "op": "any",
            "operands": ["e33"],
            "groups": [{"op": "all", "operands": ["debt", "income"]}],
        },
    }
    assert _members(nested) == [1, 2, 4]


def test_survey_estimate() -> None:
    k10 = {
        "population": {"age_min": 18},
        "criteria": [_crit("k", ["psy_distress"], sources=["ggd-monitor"], value_min=30)],
        "logic": {"op": "any", "operands": ["k"]},
    }
    assert is_survey(k10, {"ggd-monitor": "survey"})
    assert not is_survey(k10, {"ggd-monitor": "registration"})
    assert _members(k10) == [3]
    weights = survey_respondents(k10, PERSONS, EVENTS, R)
    assert weights.to_dict() == {3: 2.0, 4: 6.0}
    member = membership(k10, PERSONS, EVENTS, R)
    assert float((weights * member[weights.index]).sum() / weights.sum()) == 0.25


def test_bad_logic_is_a_clear_error() -> None:
    crits = [_crit("a", ["ggz"]), _crit("b", ["safety_e33"])]
    with pytest.raises(InputError, match="exactly one operand, got 2"):
        membership({"criteria": crits, "logic": {"op": "not", "operands": ["a", "b"]}}, PERSONS, EVENTS, R)
    with pytest.raises(InputError, match="unknown logic operator 'xor'"):
        membership({"criteria": crits, "logic": {"op": "xor", "operands": ["a", "b"]}}, PERSONS, EVENTS, R)
