"""rk: every frame's `rk` is the exact sum of its persons' record keys (0 .. 2**32 - 1, NULL counts 0) as
int64 — past 2**31 and 2**32, where a 32-bit or floating sum would go wrong, in every engine."""

from __future__ import annotations

from tests.spec.conftest import R, definition, event, person
from zicht.engines import store_from_frames
from zicht.query_model import compile_definition

TOP = 2**32 - 1  # the largest record key
PERSONS = [dict(person(f"p{i}"), record_key=TOP - i) for i in range(5)] + [
    dict(person("p5"), record_key=None)
]
EVENTS = [event(p, "safety_e33", "2024-06-01") for p in ("p0", "p1", "p2", "p5")]


def test_key_sums_are_exact_int64(engine):
    store = store_from_frames({"person": PERSONS, "event": EVENTS})
    try:
        tab = engine.tabulate(store, [compile_definition(definition({"concepts": ["safety_e33"]}))], [], R)
    finally:
        store.close()
    assert tab.residents["rk"].tolist() == [5 * TOP - 10]  # 21474836465: beyond 2**34
    assert tab.residents["rk"].dtype == "int64"
    assert tab.members[["mask", "n", "rk"]].to_dict("records") == [{"mask": 1, "n": 4, "rk": 3 * TOP - 3}]
    crit = tab.criteria["spec"]
    assert dict(zip(crit["member"], crit["rk"], strict=True)) == {False: 2 * TOP - 7, True: 3 * TOP - 3}
