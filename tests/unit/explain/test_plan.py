"""explain.plan: the steps from run A to run B, one factor at a time, for each way the store can change."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from zicht.explain.attribute import State, plan
from zicht.explain.runs import StoreInfo

D1, D2 = (("brp", "d", ("x1",)),), (("brp", "d", ("x2",)),)
M1, M2 = (("brp", "m", "1.0.0", "h1"),), (("brp", "m", "1.1.0", "h2"),)
DOC = {"id": "e33", "version": "1.0.0", "title": "E33"}
DATE = dt.date(2024, 1, 1)


def store(name: str, data: tuple, mappings: tuple) -> StoreInfo:
    return StoreInfo(Path(name), None, name, data, mappings)


def state(s: StoreInfo, date: dt.date = DATE, doc: dict = DOC) -> State:
    return State(s, (("e33", doc),), date)


def factors(a: State, b: State, stores: tuple[StoreInfo, ...] = ()) -> tuple[list, list[str]]:
    steps, notes = plan(a, b, stores)
    return [(s.factor, s.state.store.path.name, s.change) for s in steps], notes


def test_data_alone_and_mappings_alone_are_one_step_each() -> None:
    a = store("a", D1, M1)
    assert factors(state(a), state(store("b", D2, M1))) == (
        [(None, "a", "run A"), ("data", "b", "extracts: brp changed")],
        [],
    )
    assert factors(state(a), state(store("b", D1, M2))) == (
        [(None, "a", "run A"), ("mappings", "b", "mapping sets: brp 1.0.0 → 1.1.0")],
        [],
    )


def test_both_changed_split_through_a_bridge_store_else_one_step_with_a_note() -> None:
    a, b, bridge = store("a", D1, M1), store("b", D2, M2), store("bridge", D1, M2)
    assert factors(state(a), state(b), (bridge,)) == (
        [
            (None, "a", "run A"),
            ("mappings", "bridge", "mapping sets: brp 1.0.0 → 1.1.0"),
            ("data", "b", "extracts: brp changed"),
        ],
        [],
    )
    steps, notes = factors(state(a), state(b))
    assert steps == [
        (None, "a", "run A"),
        (
            "mappings+data",
            "b",
            "data and mapping sets changed together: mapping sets: brp 1.0.0 → 1.1.0; extracts: brp changed",
        ),
    ]
    assert len(notes) == 1 and "--store BRIDGE" in notes[0]


def test_definition_store_and_date_in_that_order() -> None:
    a, b = store("a", D1, M1), store("b", D2, M1)
    newer = {**DOC, "version": "1.1.0", "title": "E33 (new)"}
    steps, notes = factors(state(a), state(b, dt.date(2024, 6, 30), newer))
    assert [s[0] for s in steps] == [None, "definition", "data", "date"]
    assert steps[1][2] == "e33 1.0.0 → 1.1.0" and steps[3][2] == "2024-01-01 → 2024-06-30"
    assert notes == []
