"""Roll-up of residence to total / gemeente / wijk / buurt with explicit unknown children."""

from __future__ import annotations

import pandas as pd
import pytest

from zicht.compare.regions import rollup, with_keys
from zicht.errors import InputError


def test_rollup_nests_exactly_and_keeps_unknowns():
    frame = pd.DataFrame(
        {
            "gemeente": ["GM1", "GM1", "GM1", None],
            "wijk": ["WK1", "WK1", None, None],
            "buurt": ["BU1", None, None, None],
            "n": [1, 2, 4, 8],
        }
    )
    out = rollup(with_keys(frame), [], ["n"], "buurt").set_index("region_code")
    assert out.loc["totaal", "n"] == 15
    assert out.loc["GM1", "n"] == 7 and out.loc["onbekend", "n"] == 8
    assert out.loc["WK1", "n"] == 3 and out.loc["GM1-onbekend", "n"] == 4
    assert out.loc["WK1-onbekend", "parent_code"] == "WK1" and out.loc["WK1-onbekend", "n"] == 2
    for parent, group in out.reset_index().groupby("parent_code"):
        assert group["n"].sum() == out.loc[parent, "n"]


def test_a_wijk_in_two_gemeenten_is_refused():
    frame = pd.DataFrame(
        {"gemeente": ["GM1", "GM2"], "wijk": ["WK1", "WK1"], "buurt": [None, None], "n": [1, 1]}
    )
    with pytest.raises(InputError, match="WK1 lies in more than one gemeente"):
        with_keys(frame)
