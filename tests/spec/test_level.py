"""level: `tabulate(..., level=L)` groups every frame down to residence level L (gemeente, wijk or buurt;
default buurt). The residence columns below L are None and their groups are merged: counts and record-key
sums of a coarser group are the sums over the finer groups it holds."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

from tests.spec.conftest import R, definition, event, person
from zicht.engines import store_from_frames
from zicht.engines.base import canonical
from zicht.errors import InputError
from zicht.query_model import compile_definition

PERSONS = [
    person("p1", wijk="WK000101", buurt="BU000101S01"),
    person("p2", wijk="WK000101", buurt="BU000101S02"),
    person("p3", wijk="WK000102", buurt="BU000102S01"),
    person("p4", wijk="WK000102", buurt="BU000102S01"),
    person("p5", gemeente="GM0002", wijk="WK000201", buurt="BU000201S01"),
]
EVENTS = [event(p, "safety_e33", "2024-06-01") for p in ("p1", "p2", "p3", "p5")]


def tabulate(engine, level: str | None):
    counted = [compile_definition(definition({"concepts": ["safety_e33"]}))]
    store = store_from_frames({"person": PERSONS, "event": EVENTS})
    try:
        if level is None:
            return engine.tabulate(store, counted, [], R)
        return engine.tabulate(store, counted, [], R, level=level)
    finally:
        store.close()


def rolled_up(frame: pd.DataFrame, depth: int) -> pd.DataFrame:
    """The buurt frame summed to a coarser level, as the engine should give it."""
    frame = frame.copy()
    for column in ("gemeente", "wijk", "buurt")[depth + 1 :]:
        frame[column] = None
    keys = [c for c in frame.columns if c not in ("n", "rk")]
    out = frame.groupby(keys, dropna=False, sort=False)[["n", "rk"]].sum().reset_index()
    return out.astype({"n": "int64", "rk": "int64"})


def test_level_is_a_keyword_of_tabulate(engine):
    assert inspect.signature(engine.tabulate).parameters["level"].default == "buurt"


def test_default_is_buurt(engine):
    tab = tabulate(engine, None)
    assert sorted(tab.members["buurt"]) == ["BU000101S01", "BU000101S02", "BU000102S01", "BU000201S01"]
    pd.testing.assert_frame_equal(tab.members, tabulate(engine, "buurt").members)


@pytest.mark.parametrize(("level", "depth"), [("wijk", 1), ("gemeente", 0)])
def test_coarser_levels_merge_the_finer_groups(engine, level, depth):
    fine, coarse = tabulate(engine, "buurt"), tabulate(engine, level)
    for name in ("residents", "members"):
        got, want = getattr(coarse, name), rolled_up(getattr(fine, name), depth)
        assert got["buurt"].isna().all()
        assert got[["n", "rk"]].sum().tolist() == getattr(fine, name)[["n", "rk"]].sum().tolist()
        pd.testing.assert_frame_equal(got, canonical(want, list(got.columns)))
    wijk_members = coarse.members.groupby(["gemeente", "wijk"], dropna=False)["n"].sum().to_dict()
    if level == "wijk":
        assert wijk_members == {
            ("GM0001", "WK000101"): 2,
            ("GM0001", "WK000102"): 1,
            ("GM0002", "WK000201"): 1,
        }
    else:
        assert coarse.members["wijk"].isna().all()
        assert coarse.members.groupby("gemeente")["n"].sum().to_dict() == {"GM0001": 3, "GM0002": 1}
    attrition = coarse.criteria["spec"]
    assert attrition["buurt"].isna().all() and attrition["n"].sum() == len(PERSONS)


def test_unknown_level_is_refused(engine):
    with pytest.raises(InputError, match="unknown residence level 'provincie'"):
        tabulate(engine, "provincie")
