"""Generative test: for random query trees over random small stores, every engine gives the same
persons and the same tabulation (at a random residence level) as the in-memory reference engine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zicht.engines import ENGINES, Engine, get_engine, store_from_frames
from zicht.engines.base import RESIDENCE
from zicht.query_model.nodes import AgeRange, All, AnyOf, AtLeast, Criterion, DefinitionQuery, Node, Not

CONCEPTS = ["zc:ggz_basic", "zc:ggz_specialised", "zc:safety_e33", "zc:psy_distress"]
SOURCES = ["s1", "s2", "survey"]
R = dt.date(2024, 6, 30)
DAY0 = dt.date(2021, 1, 1)

ages = st.one_of(st.none(), st.integers(0, 90))


@st.composite
def age_ranges(draw: st.DrawFn) -> AgeRange:
    lo, hi = draw(ages), draw(ages)
    if lo is not None and hi is not None and lo > hi:
        lo, hi = hi, lo
    return AgeRange(lo, hi)


@st.composite
def criteria(draw: st.DrawFn, cid: str) -> Criterion:
    vmin = draw(st.one_of(st.none(), st.integers(0, 50)))
    vmax = draw(st.one_of(st.none(), st.integers(0, 50)))
    if vmin is not None and vmax is not None and vmin > vmax:
        vmin, vmax = vmax, vmin
    return Criterion(
        id=cid,
        concepts=tuple(draw(st.lists(st.sampled_from(CONCEPTS), min_size=1, max_size=3))),
        window_months=draw(st.integers(1, 40)),
        sources=draw(
            st.one_of(st.none(), st.lists(st.sampled_from(SOURCES), min_size=1, max_size=2).map(tuple))
        ),
        min_occurrences=draw(st.integers(1, 3)),
        min_span_days=draw(st.one_of(st.none(), st.integers(0, 800))),
        value_min=vmin,
        value_max=vmax,
        age=draw(age_ranges()),
    )


def trees(leaves: list[Criterion]) -> st.SearchStrategy[Node]:
    base = st.sampled_from(leaves)

    def extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
        lists = st.lists(children, min_size=1, max_size=3).map(tuple)
        return st.one_of(
            lists.map(All),
            lists.map(AnyOf),
            children.map(Not),
            lists.flatmap(lambda ops: st.integers(1, len(ops)).map(lambda k: AtLeast(k, ops))),
        )

    return st.recursive(base, extend, max_leaves=6)


@st.composite
def queries(draw: st.DrawFn, qid: str) -> DefinitionQuery:
    leaves = [draw(criteria(f"{qid}c{i}")) for i in range(draw(st.integers(1, 3)))]
    return DefinitionQuery(
        id=qid,
        root=draw(trees(leaves)),
        population=draw(age_ranges()),
        period_months=draw(st.integers(1, 40)),
    )


@st.composite
def stores(draw: st.DrawFn) -> dict[str, pd.DataFrame]:
    n = draw(st.integers(1, 8))
    persons = [
        {
            "id": f"p{i}",
            "sex": draw(st.sampled_from(["male", "female", "unknown"])),
            "birth_year": draw(st.one_of(st.none(), st.integers(1930, 2024))),
            "residence_gemeente": draw(st.sampled_from(["GM1", "GM2"])),
            "residence_wijk": draw(st.one_of(st.none(), st.sampled_from(["WK1", "WK2"]))),
            "residence_buurt": draw(st.one_of(st.none(), st.sampled_from(["BU1"]))),
        }
        for i in range(n)
    ]
    events = []
    for j in range(draw(st.integers(0, 25))):
        start = DAY0 + dt.timedelta(days=draw(st.integers(0, 1500)))
        length = draw(st.one_of(st.none(), st.integers(0, 600)))
        events.append(
            {
                "id": f"e{j}",
                "person_id": f"p{draw(st.integers(0, n))}",  # p{n} has no person row
                "source_id": draw(st.sampled_from(SOURCES)),
                "concept": draw(st.sampled_from(CONCEPTS)),
                "start_date": start,
                "end_date": None if length is None else start + dt.timedelta(days=length),
                "value": draw(st.one_of(st.none(), st.integers(0, 50).map(float))),
                "weight": draw(st.one_of(st.none(), st.floats(0.1, 10))),
            }
        )
    return {"person": pd.DataFrame(persons), "event": pd.DataFrame(events)}


def check_agreement(
    engines: list[tuple[str, Engine]], tables: dict[str, pd.DataFrame], n_counted: int, data: st.DataObject
) -> None:
    qs = [data.draw(queries(f"d{i}")) for i in range(n_counted)]
    surveyed = [
        DefinitionQuery(
            id="s",
            root=Criterion(
                id="sc", concepts=("zc:psy_distress",), window_months=12, sources=("survey",), value_min=30.0
            ),
            population=data.draw(age_ranges()),
            period_months=data.draw(st.integers(1, 24)),
        )
    ]
    level = data.draw(st.sampled_from(RESIDENCE))
    # with the person keys harmonise writes, and as an older store without them (joins on the pseudonym)
    store = store_from_frames(tables, person_key=data.draw(st.booleans()))
    try:
        reference = get_engine("in_memory")
        expected_members = [reference.members(store, q, R) for q in qs]
        expected = reference.tabulate(store, qs, surveyed, R, level=level)
        for name, engine in engines:
            assert [engine.members(store, q, R) for q in qs] == expected_members, name
            got = engine.tabulate(store, qs, surveyed, R, level=level)
            pd.testing.assert_frame_equal(got.residents, expected.residents)
            pd.testing.assert_frame_equal(got.members, expected.members)
            for q in qs:
                pd.testing.assert_frame_equal(got.criteria[q.id], expected.criteria[q.id])
            pd.testing.assert_frame_equal(got.survey["s"], expected.survey["s"], check_exact=False, rtol=1e-9)
    finally:
        store.close()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables=stores(), counted=st.lists(st.integers(0, 0), min_size=1, max_size=3), data=st.data())
def test_engines_agree(tables: dict[str, pd.DataFrame], counted: list[int], data: st.DataObject) -> None:
    """The embedded engines (every engine in this process without a cluster)."""
    check_agreement(
        [(name, get_engine(name)) for name in sorted(ENGINES) if name != "spark"], tables, len(counted), data
    )


@pytest.mark.spark
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables=stores(), counted=st.lists(st.integers(0, 0), min_size=1, max_size=3), data=st.data())
def test_spark_agrees(
    make_engine: Callable[[str], Engine],
    tables: dict[str, pd.DataFrame],
    counted: list[int],
    data: st.DataObject,
) -> None:
    """Spark on the session's local SparkSession: fewer examples (every Spark query is a job of its own,
    seconds on two cores), the same strategies and checks."""
    check_agreement([("spark", make_engine("spark"))], tables, len(counted), data)
