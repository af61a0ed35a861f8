"""A reference date outside a source's delivered period is flagged (coverage none, gap outside_period), not a zero."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from tests.unit.compare.helpers import GGZ, R, tables
from zicht.compare import compare
from zicht.disclosure import DisclosureRules
from zicht.engines import store_from_frames

EXACT = DisclosureRules(threshold=1, rounding_base=1)


@pytest.mark.parametrize("date", [dt.date(2031, 6, 30), dt.date(2010, 6, 30)])
def test_a_date_outside_every_delivery_is_flagged_not_zero(date: dt.date) -> None:
    store = store_from_frames(tables())
    try:
        outside = compare(store, [GGZ], date, "gemeente", rules=EXACT, disclosure="suppress").counts
        inside = compare(store, [GGZ], R, "gemeente", rules=EXACT, disclosure="suppress").counts
    finally:
        store.close()
    row = outside[(outside["region_code"] == "GM1") & (outside["definition"] == GGZ)].iloc[0]
    assert row["coverage"] == "none" and pd.isna(row["count"]) and row["count_status"] == "no_source"
    assert "zvw-ggz:outside_period" in row["coverage_gaps"]
    assert outside[outside["definition"] == GGZ]["count"].isna().all()
    before = inside[(inside["region_code"] == "GM1") & (inside["definition"] == GGZ)].iloc[0]
    assert before["coverage"] == "full" and before["count"] == 30
