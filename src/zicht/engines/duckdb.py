"""The DuckDB engine (the embedded default): runs the plan of `zicht.engines.plan` on the store's
connection. The persons with relevant events (`Plan.persons`) and the population are computed once into
temporary tables; the members frame is an aggregate of them, and the persons-by-pattern table
(`Plan.base`) that the attrition and survey frames aggregate is built only when they are asked for."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import tempfile
from collections.abc import Iterator, Sequence

import duckdb
import numpy as np
import pandas as pd
from sqlglot import exp

from zicht.engines.base import (
    VALUE_COLUMNS,
    Engine,
    Request,
    Tabulation,
    canonical,
)
from zicht.engines.plan import Plan, run_plan
from zicht.engines.store import Store
from zicht.query_model.nodes import DefinitionQuery
from zicht.sql import scalar

DIALECT = "duckdb"
# Measured on the national store: 600 MB is as fast as no limit (the per-person aggregate spills a little),
# and keeps the whole tabulation well under 2 GB.
DEFAULT_MEMORY_LIMIT = "1GB"
_temp_names = itertools.count()


class DuckDBEngine(Engine):
    name = "duckdb"

    def __init__(self, memory_limit: str | None = DEFAULT_MEMORY_LIMIT) -> None:
        self.memory_limit = memory_limit

    def members(self, store: Store, query: DefinitionQuery, reference_date: dt.date) -> frozenset[str]:
        plan = Plan([query], [], reference_date, person_key=store.has_person_key)
        rows = _run(store, plan.member_ids(query)).fetchall()
        return frozenset(r[0] for r in rows)

    def _tabulate(self, store: Store, request: Request) -> Tabulation:
        counted, surveyed, reference_date = request.counted, request.surveyed, request.reference_date
        attrition, level = request.attrition, request.level
        plan = Plan(counted, surveyed, reference_date, level, person_key=store.has_person_key)
        steps = _TempTables(store, next(_temp_names))
        try:
            with _settings(store.con, memory_limit=self.memory_limit):
                return run_plan(plan, counted, surveyed, steps, attrition=attrition)
        finally:
            for name in steps.names:
                _drop(store, name)


class _TempTables:
    """The plan's steps as temporary tables of the store's connection, dropped as soon as they are read."""

    def __init__(self, store: Store, run: int) -> None:
        self.store, self.run = store, run
        self.names: list[str] = []

    def keep(self, step: str, select: exp.Query, *, reused: bool = True) -> str:
        name = f"zicht_{step}_{self.run}"
        _create(self.store, name, select)
        self.names.append(name)
        return name

    def release(self, name: str) -> None:
        _drop(self.store, name)

    def frame(self, select: exp.Select, columns: Sequence[str]) -> pd.DataFrame:
        # sorted by DuckDB (in parallel, on typed columns) rather than by pandas on objects
        return canonical(_fetch(_run(self.store, _sorted(select, columns))), columns, presorted=True)


def _fetch(result: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """A result as a frame straight from numpy arrays (NULL as None or a masked value): nationally the
    residents and members frames have hundreds of thousands of rows, and `.df()` spends more on inferring
    string columns than the query that made them."""
    out = {}
    for name, values in result.fetchnumpy().items():
        mask = np.ma.getmaskarray(values)
        data = np.ma.getdata(values)
        if data.dtype == object:
            if mask.any():
                data = data.copy()
                data[mask] = None
            out[name] = pd.Series(data, dtype=object)
        elif not mask.any():
            out[name] = pd.Series(data)
        elif data.dtype.kind in "iu":
            out[name] = pd.Series(pd.arrays.IntegerArray(data.astype(np.int64), mask))
        elif data.dtype.kind == "b":
            out[name] = pd.Series(pd.arrays.BooleanArray(data, mask))
        else:
            out[name] = pd.Series(np.where(mask, np.nan, data.astype(np.float64)))
    return pd.DataFrame(out)


def _sorted(select: exp.Select, columns: Sequence[str]) -> exp.Select:
    """The frame's rows in the canonical order (`base.canonical`): by every key column, NULL first.
    DuckDB compares VARCHAR by UTF-8 bytes, which is the code point order Python sorts str by."""
    keys = [c for c in columns if c not in VALUE_COLUMNS]
    return (
        exp.select(exp.Star())
        .from_(select.subquery("frame", copy=False), copy=False)
        .order_by(*(exp.Ordered(this=exp.column(k, quoted=True), nulls_first=True) for k in keys), copy=False)
    )


def _create(store: Store, name: str, select: exp.Query) -> None:
    _run(
        store,
        exp.Create(
            this=exp.to_table(name, quoted=True),
            kind="TABLE",
            expression=select,
            properties=exp.Properties(expressions=[exp.TemporaryProperty()]),
        ),
    )


def _drop(store: Store, name: str) -> None:
    _run(store, exp.Drop(tables=[exp.to_table(name, quoted=True)], kind="TABLE", exists=True))


@contextlib.contextmanager
def _settings(con: duckdb.DuckDBPyConnection, memory_limit: str | None) -> Iterator[None]:
    """For one tabulation: no insertion order to keep (the frames are sorted afterwards), a memory limit
    (aggregates and joins beyond it spill) and spill files in a temporary folder of our own, never next to
    the store (DuckDB's default for a database file)."""
    wanted: dict[str, bool | str] = {"preserve_insertion_order": False}
    if memory_limit:
        wanted["memory_limit"] = memory_limit
    old = {k: scalar(con, "SELECT current_setting(?)", [k]) for k in _SET}
    with tempfile.TemporaryDirectory(prefix="zicht-duckdb-") as spill:
        try:
            for key, value in {**wanted, "temp_directory": spill}.items():
                _set(con, key, value)
            yield
        finally:
            for key, value in old.items():
                _set(con, key, value)


# Fixed statements, values as parameters.
_SET = {
    "preserve_insertion_order": "SET preserve_insertion_order = ?",
    "memory_limit": "SET memory_limit = ?",
    "temp_directory": "SET temp_directory = ?",
}


def _set(con: duckdb.DuckDBPyConnection, key: str, value: object) -> None:
    con.execute(_SET[key], [value])


def _run(store: Store, statement: exp.Expression) -> duckdb.DuckDBPyConnection:
    # Each statement tree is built for this one call, so the generator may rework it in place (no copy).
    sql = statement.sql(dialect=DIALECT, copy=False)
    try:
        return store.con.execute(sql)
    except duckdb.Error as exc:  # a bug, not user input: say which statement failed
        raise RuntimeError(f"DuckDB engine failed on generated SQL: {exc}\n{sql}") from exc
