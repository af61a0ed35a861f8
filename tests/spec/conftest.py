"""Spec tests: each language feature once, as tiny tables in and the persons expected out, run on
every engine (the in-memory reference, DuckDB and Spark). They document docs/definitions.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

import pytest

from tests.conftest import engine_params
from zicht.engines import store_from_frames
from zicht.query_model import compile_definition

R = dt.date(2024, 12, 31)


@pytest.fixture(params=engine_params())
def engine(request: pytest.FixtureRequest, make_engine):
    return make_engine(request.param)


def person(
    pid: str,
    birth_year: int | None = 1980,
    sex: str = "female",
    gemeente: str = "GM0001",
    wijk: str = "WK000101",
    buurt: str = "BU00010101",
) -> dict[str, Any]:
    return {
        "id": pid,
        "sex": sex,
        "birth_year": birth_year,
        "residence_gemeente": gemeente,
        "residence_wijk": wijk,
        "residence_buurt": buurt,
    }


def event(
    pid: str,
    concept: str,
    start: str,
    end: str | None = "same",
    source: str = "src-a",
    value: float | None = None,
    weight: float | None = None,
) -> dict[str, Any]:
    """An event; `end="same"` makes a point event (end = start), `end=None` an open episode."""
    start_date = dt.date.fromisoformat(start)
    end_date = start_date if end == "same" else (None if end is None else dt.date.fromisoformat(end))
    return {
        "id": f"{pid}-{concept}-{start}-{end}-{value}",
        "person_id": pid,
        "source_id": source,
        "concept": concept if concept.startswith("zc:") else "zc:" + concept,
        "start_date": start_date,
        "end_date": end_date,
        "value": value,
        "weight": weight,
    }


def definition(
    *criteria: Mapping[str, Any], logic: Mapping[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    crits = [dict({"id": f"c{i}", "label": f"c{i}"}, **c) for i, c in enumerate(criteria)]
    return {
        "id": "spec",
        "version": "0.1.0",
        "status": "draft",
        "title": "spec",
        "description": "spec",
        "author": "spec",
        "domains": ["psy"],
        "criteria": crits,
        "logic": logic or {"op": "all", "operands": [c["id"] for c in crits]},
        **extra,
    }


def meeting(
    engine,
    definition: Mapping[str, Any],
    persons: Iterable[Mapping[str, Any]],
    events: Iterable[Mapping[str, Any]],
    reference_date: dt.date = R,
) -> set[str]:
    """The ids of the persons who meet the definition on this engine."""
    store = store_from_frames({"person": list(persons), "event": list(events)})
    try:
        return set(engine.members(store, compile_definition(definition), reference_date))
    finally:
        store.close()
