"""The DuckDB engine (the embedded default): a query tree becomes one SQL statement.

One scan of `event` computes, per person, the aggregates of every distinct criterion of every
definition at once (`count(*) FILTER (WHERE ...)`), a left join onto `person` turns them into boolean
criterion flags, and the logic tree becomes a boolean expression over the flags. SQL is written only
here, from nodes; the semantics are those of docs/definitions.md and the in-memory reference engine.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from functools import singledispatch

import duckdb

from zicht.engines.base import (
    CRITERIA_COLUMNS,
    MEMBER_COLUMNS,
    RESIDENT_COLUMNS,
    SURVEY_COLUMNS,
    Tabulation,
    canonical,
    check_counted,
)
from zicht.engines.store import Store
from zicht.query_model.nodes import AgeRange, All, AnyOf, AtLeast, Criterion, DefinitionQuery, Node, Not
from zicht.query_model.semantics import window_start

_temp_names = itertools.count()
RK = "CAST(coalesce(sum(record_key), 0) AS BIGINT) AS rk"  # sum of record keys (cell key method)


def _str(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _date(value: dt.date) -> str:
    return f"DATE '{value.isoformat()}'"


def _in(column: str, values: Sequence[str]) -> str:
    return f"{column} IN ({', '.join(_str(v) for v in values)})"


def _age_condition(age: AgeRange) -> str:
    parts = []
    if age.age_min is not None:
        parts.append(f"age >= {age.age_min}")
    if age.age_max is not None:
        parts.append(f"age <= {age.age_max}")
    return f"coalesce({' AND '.join(parts)}, false)" if parts else "true"


class _Plan:
    """Names the SQL columns of the distinct criteria (criteria with the same filter share one)."""

    def __init__(self, reference_date: dt.date) -> None:
        self.reference_date = reference_date
        self.index: dict[tuple, int] = {}
        self.criteria: list[Criterion] = []

    def flag(self, c: Criterion) -> str:
        if c.filter_key not in self.index:
            self.index[c.filter_key] = len(self.criteria)
            self.criteria.append(c)
        return f"k{self.index[c.filter_key]}"

    def event_condition(self, c: Criterion) -> str:
        r = _date(self.reference_date)
        parts = [_in("concept", c.concepts)]
        if c.sources is not None:
            parts.append(_in("source_id", c.sources))
        parts.append(f"start_date <= {r}")
        parts.append(f"coalesce(end_date, {r}) >= {_date(window_start(self.reference_date, c.window_months))}")
        if c.value_min is not None:
            parts.append(f"value >= {c.value_min!r}")
        if c.value_max is not None:
            parts.append(f"value <= {c.value_max!r}")
        return " AND ".join(parts)

    def aggregates(self) -> list[str]:
        r = _date(self.reference_date)
        out = []
        for j, c in enumerate(self.criteria):
            cond = self.event_condition(c)
            out.append(f"count(*) FILTER (WHERE {cond}) AS n{j}")
            if c.min_span_days is not None:
                w = _date(window_start(self.reference_date, c.window_months))
                out.append(
                    f"date_diff('day', greatest({w}, min(start_date) FILTER (WHERE {cond})), "
                    f"least({r}, max(coalesce(end_date, {r})) FILTER (WHERE {cond}))) AS s{j}"
                )
        return out

    def flags(self) -> list[str]:
        out = []
        for j, c in enumerate(self.criteria):
            parts = [f"coalesce(n{j}, 0) >= {c.min_occurrences}"]
            if c.min_span_days is not None:
                parts.append(f"coalesce(s{j} >= {c.min_span_days}, false)")
            parts.append(_age_condition(c.age))
            out.append(f"({' AND '.join(parts)}) AS k{j}")
        return out

    def prefilter(self, extra_concepts: Sequence[str] = (), extra_sources: Sequence[str] = ()) -> str:
        concepts = sorted({x for c in self.criteria for x in c.concepts} | set(extra_concepts))
        parts = [_in("concept", concepts)] if concepts else []
        if extra_sources:
            parts.append(_in("source_id", extra_sources))
        where = " OR ".join(parts) if parts else "false"
        return f"({where}) AND start_date <= {_date(self.reference_date)}"


@singledispatch
def to_sql(node: Node, plan: _Plan) -> str:
    """A boolean SQL expression over the criterion flags that holds when the node holds."""
    raise TypeError(f"no SQL rule for node type {type(node).__name__}")


@to_sql.register
def _(node: Criterion, plan: _Plan) -> str:
    return plan.flag(node)


@to_sql.register
def _(node: All, plan: _Plan) -> str:
    return "(" + " AND ".join(to_sql(op, plan) for op in node.operands) + ")"


@to_sql.register
def _(node: AnyOf, plan: _Plan) -> str:
    return "(" + " OR ".join(to_sql(op, plan) for op in node.operands) + ")"


@to_sql.register
def _(node: AtLeast, plan: _Plan) -> str:
    return "((" + " + ".join(f"CAST({to_sql(op, plan)} AS INTEGER)" for op in node.operands) + f") >= {node.k})"


@to_sql.register
def _(node: Not, plan: _Plan) -> str:
    return f"(NOT {to_sql(node.operand, plan)})"


class DuckDBEngine:
    name = "duckdb"

    def members(self, store: Store, query: DefinitionQuery, reference_date: dt.date) -> frozenset[str]:
        table = self._flags(store, [query], [], reference_date)
        try:
            rows = store.con.execute(f"SELECT person_id FROM {table} WHERE m0").fetchall()
        finally:
            store.con.execute(f"DROP TABLE {table}")
        return frozenset(r[0] for r in rows)

    def tabulate(self, store: Store, counted: Sequence[DefinitionQuery], surveyed: Sequence[DefinitionQuery],
                 reference_date: dt.date, *, attrition: bool = True) -> Tabulation:
        check_counted(counted, surveyed)
        table = self._flags(store, counted, surveyed, reference_date)
        con = store.con
        home = "gemeente, wijk, buurt"
        try:
            mask = " + ".join(f"(CAST(m{i} AS BIGINT) << {i})" for i in range(len(counted))) or "CAST(0 AS BIGINT)"
            members = con.execute(
                f"SELECT {home}, sex, age, mask, count(*) AS n, {RK} FROM (SELECT *, {mask} AS mask FROM {table}) "
                f"WHERE mask <> 0 GROUP BY ALL"
            ).df()
            residents = con.execute(f"SELECT {home}, sex, age, count(*) AS n, {RK} FROM {table} GROUP BY ALL").df()
            criteria = {}
            for i, q in enumerate(counted if attrition else ()):
                pattern = " + ".join(f"(CAST(q{i}c{j} AS BIGINT) << {j})" for j in range(len(q.criteria)))
                criteria[q.id] = canonical(con.execute(
                    f"SELECT {home}, {pattern} AS pattern, m{i} AS member, count(*) AS n, {RK} FROM {table} "
                    f"WHERE u{i} GROUP BY ALL"
                ).df(), CRITERIA_COLUMNS)
            survey = {}
            for i, q in enumerate(surveyed):
                survey[q.id] = canonical(con.execute(
                    f"SELECT {home}, sm{i} AS member, count(*) AS n, {RK}, sum(w{i}) AS sum_w, "
                    f"sum(w{i} * w{i}) AS sum_w2 "
                    f"FROM {table} WHERE su{i} AND w{i} IS NOT NULL GROUP BY ALL"
                ).df(), SURVEY_COLUMNS)
        finally:
            con.execute(f"DROP TABLE {table}")
        return Tabulation(tuple(q.id for q in counted), canonical(residents, RESIDENT_COLUMNS),
                          canonical(members, MEMBER_COLUMNS), criteria, survey)

    @staticmethod
    def _flags(store: Store, counted: Sequence[DefinitionQuery], surveyed: Sequence[DefinitionQuery],
               reference_date: dt.date) -> str:
        """Materialise one row per person with residence, sex, age and, per definition, universe (u),
        member (m) and criterion flags; survey definitions get respondent weight (w)."""
        plan = _Plan(reference_date)
        r = _date(reference_date)
        per_person: list[str] = []
        for i, q in enumerate(counted):
            per_person.append(f"{_age_condition(q.population)} AS u{i}")
            per_person.append(f"({_age_condition(q.population)} AND {to_sql(q.root, plan)}) AS m{i}")
            per_person.extend(f"{plan.flag(c)} AS q{i}c{j}" for j, c in enumerate(q.criteria))
        weights: list[str] = []
        survey_sources: set[str] = set()
        for i, q in enumerate(surveyed):
            per_person.append(f"{_age_condition(q.population)} AS su{i}")
            per_person.append(f"({_age_condition(q.population)} AND {to_sql(q.root, plan)}) AS sm{i}")
            per_person.append(f"w{i}")
            w = _date(window_start(reference_date, q.period_months))
            cond = (f"{_in('source_id', q.sources)} AND weight IS NOT NULL AND start_date <= {r} "
                    f"AND coalesce(end_date, {r}) >= {w}")
            weights.append(f"arg_max(weight, struct_pack(s := start_date, w := weight)) FILTER (WHERE {cond}) AS w{i}")
            survey_sources.update(q.sources)
        aggregates = plan.aggregates() + weights
        flags = plan.flags()
        table = f"zicht_flags_{next(_temp_names)}"
        agg_sql = (f"SELECT person_id, {', '.join(aggregates)} FROM event "
                   f"WHERE {plan.prefilter(extra_sources=sorted(survey_sources))} GROUP BY person_id"
                   if aggregates else "SELECT NULL::VARCHAR AS person_id WHERE false")
        sql = f"""
        CREATE TEMP TABLE {table} AS
        WITH agg AS ({agg_sql}),
        person_agg AS (
            SELECT p.id AS pid, p.sex, p.residence_gemeente AS gemeente, p.residence_wijk AS wijk,
                   p.residence_buurt AS buurt, {reference_date.year} - p.birth_year AS age,
                   coalesce(p.record_key, 0) AS record_key, agg.* EXCLUDE (person_id)
            FROM person p LEFT JOIN agg ON agg.person_id = p.id
        ),
        flagged AS (SELECT *{''.join(', ' + f for f in flags)} FROM person_agg)
        SELECT pid AS person_id, gemeente, wijk, buurt, sex, age, record_key{''.join(', ' + x for x in per_person)}
        FROM flagged
        """
        try:
            store.con.execute(sql)
        except duckdb.Error as exc:  # a bug, not user input: say which statement failed
            raise RuntimeError(f"DuckDB engine failed on generated SQL: {exc}\n{sql}") from exc
        return table
