"""The plan's cells: persons by pattern are grouped by age band (the ages where an age test of the
comparison changes its answer), and the members frame sees persons without relevant events only when a
definition can hold without them."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd
from sqlglot import exp

from zicht.engines import get_engine, store_from_frames
from zicht.engines.plan import Plan
from zicht.query_model.nodes import AgeRange, Criterion, DefinitionQuery, Not

R = dt.date(2024, 12, 31)


def _query(qid: str, population: AgeRange, criterion_age: AgeRange, negate: bool = False) -> DefinitionQuery:
    c = Criterion(id="c", concepts=("zc:safety_e33",), window_months=12, age=criterion_age)
    return DefinitionQuery(id=qid, root=Not(c) if negate else c, population=population)


QUERIES = [
    _query("a", AgeRange(18, None), AgeRange()),
    _query("b", AgeRange(None, 64), AgeRange(23, 40)),
    _query("c", AgeRange(), AgeRange(0, 0)),
]


def test_every_age_test_answers_the_same_for_an_age_and_its_band():
    plan = Plan(QUERIES, [], R)
    assert plan.age_cuts == (0, 1, 18, 23, 41, 65)
    ages = [None, *range(-2, 121)]

    band = plan.age_band(exp.column("age")).sql("duckdb")
    con = duckdb.connect()
    con.execute("CREATE TABLE t (age INT)")
    con.executemany("INSERT INTO t VALUES (?)", [(a,) for a in ages])
    rep = dict(con.execute(f"SELECT age, {band} FROM t").fetchall())
    ranges = [r for q in QUERIES for r in (q.population, *(c.age for c in q.criteria))]
    for age in ages:
        assert all(r.contains(age) == r.contains(rep[age]) for r in ranges), age
    assert rep[None] is None
    assert len({rep[a] for a in ages if a is not None}) == len(plan.age_cuts) + 1


def test_members_without_events_only_when_a_definition_can_hold_without_them():
    assert not Plan(QUERIES, [], R).members_without_events
    negated = _query("n", AgeRange(65, None), AgeRange(), negate=True)
    assert Plan([*QUERIES, negated], [], R).members_without_events


def test_a_not_definition_counts_the_persons_without_events_by_exact_age():
    persons = [
        {"id": f"p{i}", "sex": "female", "birth_year": 1930 + i, "residence_gemeente": "GM0001"}
        for i in range(60)
    ]
    events = [
        {
            "id": f"e{i}",
            "person_id": f"p{i}",
            "source_id": "politie-e33",
            "concept": "zc:safety_e33",
            "start_date": dt.date(2024, 6, 1),
            "end_date": dt.date(2024, 6, 1),
        }
        for i in range(0, 60, 3)
    ]
    queries = [*QUERIES, _query("n", AgeRange(65, None), AgeRange(), negate=True)]
    frames = {}
    for name in ("in_memory", "duckdb"):
        store = store_from_frames({"person": persons, "event": events})
        frames[name] = get_engine(name).tabulate(store, queries, [], R, level="gemeente")
        store.close()
    pd.testing.assert_frame_equal(frames["duckdb"].members, frames["in_memory"].members)
    members = frames["duckdb"].members
    n_bit = 1 << 3
    negated = members[(members["mask"] & n_bit) != 0]
    # 65 and over (born 1959 or before: p0..p29) without an event in the window: two of every three
    assert negated["n"].sum() == 20 and sorted(negated["age"]) == sorted(
        2024 - (1930 + i) for i in range(30) if i % 3
    )
