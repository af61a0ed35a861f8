"""The Spark engine: runs the plan of `zicht.engines.plan` (the same sqlglot trees the DuckDB engine runs,
rendered in the "spark" dialect) with `spark.sql` over the store's Parquet files.

Where the data is:

* a store folder with `parquet/` (every store `zicht harmonise` writes): Spark reads
  `parquet/person.parquet` and `parquet/event.parquet` itself, from `parquet_uri` when given (the same
  folder as the cluster sees it, e.g. `hdfs://…/store/parquet` or `s3a://…`), else from the local path,
  which must then be on storage every executor sees (local mode always does);
* an in-memory store (spec tests) or a store without `parquet/`: its person and event rows are sent to
  Spark from the store's DuckDB connection (fine for small stores; a national store has Parquet).

The session: `master` is `local[N]`/`local[*]` (a Spark inside this process), `spark://host:port`
(a standalone cluster; YARN and Kubernetes masters work the same way) or `sc://host:port` (Spark Connect:
nothing of Spark runs here but the thin client). One session per master and process; `spark_session()`
makes it with the settings the plan needs (UTC dates, ANSI arithmetic so an overflowing sum fails instead
of wrapping) and, for local runs, few shuffle partitions and no web UI.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import os
import re
import socket
import threading
import warnings
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlglot import exp

from zicht.engines.base import (
    Engine,
    Request,
    Tabulation,
    canonical,
)
from zicht.engines.plan import Plan, run_plan
from zicht.engines.store import COLUMNS, PERSON_KEY, Store
from zicht.errors import InputError
from zicht.query_model.nodes import DefinitionQuery

if TYPE_CHECKING:  # pyspark is an extra (`pip install 'zicht[spark]'`)
    from pyspark.sql import DataFrame, SparkSession

DIALECT = "spark"
DEFAULT_MASTER = "local[*]"
MASTER_ENV = "ZICHT_SPARK_MASTER"
SUBMITTED = "PYSPARK_GATEWAY_PORT"  # set by spark-submit for the Python program it runs
SUBMIT_MASTER = "spark-submit"  # the session spark-submit configured (its --master and --conf)
TABLES = ("person", "event")  # the plan reads these two (docs/store.md columns)
# Settings every session gets: the plan's date arithmetic is in days (no time zone may shift a date),
# and ANSI mode makes an int64 overflow an error rather than a wrapped sum.
SESSION_CONF = {"spark.sql.session.timeZone": "UTC", "spark.sql.ansi.enabled": "true"}
# Settings of a Spark started in this process (local[...]): the frames are small aggregates, so a few
# shuffle partitions (adaptive execution merges them further) beat the default 200; no web UI.
LOCAL_CONF = {
    "spark.sql.shuffle.partitions": "8",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.adaptive.enabled": "true",
}
_SPARK_TYPES = {
    "VARCHAR": "STRING",
    "INTEGER": "INT",
    "BIGINT": "BIGINT",
    "DATE": "DATE",
    "DOUBLE": "DOUBLE",
    "BOOLEAN": "BOOLEAN",
}
_HAS_ARROW = importlib.util.find_spec("pyarrow") is not None
_runs = itertools.count()
_lock = threading.Lock()


def default_master() -> str:
    """$ZICHT_SPARK_MASTER, else the master `spark-submit` gave (when it started this process), else local[*]."""
    if os.environ.get(MASTER_ENV):
        return os.environ[MASTER_ENV]
    if SUBMITTED in os.environ:
        return SUBMIT_MASTER
    return DEFAULT_MASTER


_MASTER = re.compile(
    r"local(\[(\*|[1-9][0-9]*)(,[0-9]+)?\])?|local-cluster\[[0-9, ]+\]|yarn|"
    r"(spark|sc|k8s|mesos)://\S+"
)


def check_master(master: str) -> str:
    """The master URL, or a clear error naming the forms Spark accepts."""
    master = master.strip()
    if master == SUBMIT_MASTER and SUBMITTED in os.environ:
        return master
    if not _MASTER.fullmatch(master):
        raise InputError(
            f"--spark-master: {master!r} is not a Spark master (give local[N], local[*], "
            "spark://HOST:PORT, sc://HOST:PORT for Spark Connect, yarn or k8s://…)"
        )
    return master


def spark_session(master: str | None = None, conf: Mapping[str, str] | None = None) -> SparkSession:
    """The process's session for `master` (made once; later calls with the same master reuse it)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise InputError("the Spark engine needs PySpark: pip install 'zicht[spark]'") from None
    master = check_master(master or default_master())
    settings = {**SESSION_CONF, **(conf or {})}
    # PySpark 4 warns on pandas 3 wherever its Connect client touches pandas; the engine does not use
    # PySpark's pandas conversion (frames come through Arrow), and the spec suite checks the results.
    warnings.filterwarnings(
        "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
    )
    with _lock:
        if master.startswith("sc://"):
            _reachable(master)
            builder = SparkSession.builder.remote(master)
        elif master == SUBMIT_MASTER:
            builder = SparkSession.builder.appName("zicht")
        else:
            builder = SparkSession.builder.master(master).appName("zicht")
            if master.startswith("local"):
                settings = {**LOCAL_CONF, **settings}
        for key, value in settings.items():
            builder = builder.config(key, value)
        try:
            session = builder.getOrCreate()
            for key, value in SESSION_CONF.items():  # a session made earlier by someone else gets them too
                session.conf.set(key, value)
            if master.startswith("sc://"):
                session.range(1).collect()  # Connect is lazy: an unreachable server shows here, not mid-plan
            else:
                session.sparkContext.setLogLevel("ERROR")
        except Exception as exc:  # Py4J/Connect errors: no Java, master unreachable, bad setting
            raise InputError(f"cannot start a Spark session on {master}: {_first_line(exc)}") from None
    return session


def _reachable(url: str) -> None:
    """Fail at once when no server listens at a Spark Connect URL (the client retries for minutes)."""
    hostport = url[len("sc://") :].split("/", 1)[0].split(";", 1)[0]
    host, _, port = hostport.rpartition(":") if ":" in hostport else (hostport, "", "15002")
    try:
        with socket.create_connection((host.strip("[]") or "localhost", int(port)), timeout=10):
            pass
    except (OSError, ValueError) as exc:
        raise InputError(
            f"cannot start a Spark session on {url}: no Spark Connect server answers at {hostport} ({exc})"
        ) from None


class SparkEngine(Engine):
    name = "spark"

    def __init__(
        self,
        master: str | None = None,
        conf: Mapping[str, str] | None = None,
        parquet_uri: str | None = None,
        session: SparkSession | None = None,
    ) -> None:
        self.master = check_master(master or default_master())
        self.conf = dict(conf or {})
        self.parquet_uri = parquet_uri.rstrip("/") if parquet_uri else None
        self._session = session

    @property
    def session(self) -> SparkSession:
        if self._session is None:
            self._session = spark_session(self.master, self.conf)
        return self._session

    def members(self, store: Store, query: DefinitionQuery, reference_date: dt.date) -> frozenset[str]:
        with self._tables(store) as run:
            plan = Plan([query], [], reference_date, person_key=store.has_person_key)
            rows = run.sql(plan.member_ids(query)).collect()
        return frozenset(r[0] for r in rows)

    def _tabulate(self, store: Store, request: Request) -> Tabulation:
        counted, surveyed, reference_date = request.counted, request.surveyed, request.reference_date
        attrition, level = request.attrition, request.level
        plan = Plan(counted, surveyed, reference_date, level, person_key=store.has_person_key)
        with self._tables(store) as run:
            return run_plan(plan, counted, surveyed, run, attrition=attrition)

    @contextmanager
    def _tables(self, store: Store) -> Iterator[_Run]:
        run = _Run(self.session, next(_runs))
        try:
            for table in TABLES:
                run.register(table, self._read(store, table))
            yield run
        finally:
            run.close()

    def _read(self, store: Store, table: str) -> DataFrame:
        """The store's table as a Spark DataFrame with the contract columns and types."""
        spark = self.session
        cols = {**COLUMNS[table], **(PERSON_KEY[table] if store.has_person_key else {})}
        types = {c: _SPARK_TYPES[t] for c, t in cols.items()}
        if self.parquet_uri is not None or (store.path is not None and (store.path / "parquet").is_dir()):
            folder = self.parquet_uri or str(Path(store.path or ".") / "parquet")
            location = f"{folder}/{table}.parquet"
            try:
                frame = spark.read.parquet(location)
            except Exception as exc:  # Spark's AnalysisException: path missing or unreadable
                raise InputError(
                    f"{location}: Spark cannot read the store's {table} table: {_first_line(exc)}"
                ) from None
            missing = [c for c in types if c not in frame.columns]
            if missing:
                raise InputError(f"{location}: lacks column(s) {', '.join(missing)} (see docs/store.md)")
            return frame.selectExpr(*(f"CAST(`{c}` AS {t}) AS `{c}`" for c, t in types.items()))
        schema = ", ".join(f"`{c}` {t}" for c, t in types.items())
        return spark.createDataFrame(_rows(store, table, list(cols)[len(COLUMNS[table]) :]), schema=schema)


class _Run:
    """The temporary views of one engine call (unique names, so that calls never see each other's
    tables), dropped and uncached at the end."""

    def __init__(self, spark: SparkSession, run: int) -> None:
        self.spark = spark
        self.prefix = f"zicht_{run}_"
        self.names: dict[str, str] = {}
        self.cached: list[DataFrame] = []

    def register(self, table: str, frame: DataFrame) -> None:
        name = self.prefix + table
        frame.createOrReplaceTempView(name)
        self.names[table] = name

    def cache(self, step: str, select: exp.Query) -> str:
        """A step as a cached view: computed by the first frame that needs it, reused by the others (no
        job of its own: on a tiny store every Spark job costs more than the data)."""
        frame = self.sql(select).persist()
        name = self.prefix + step
        frame.createOrReplaceTempView(name)
        self.names[step] = name
        self.cached.append(frame)
        return name

    def view(self, step: str, select: exp.Query) -> str:
        """A step as a plain view (computed inside the one step that reads it)."""
        name = self.prefix + step
        self.sql(select).createOrReplaceTempView(name)
        self.names[step] = name
        return name

    # The plan's steps (`plan.Steps`): population and persons are read by several frames, so cached;
    # a step read once is a plain view, computed inside the one step that reads it.
    def keep(self, step: str, select: exp.Query, *, reused: bool = True) -> str:
        return self.cache(step, select) if reused else self.view(step, select)

    def release(self, name: str) -> None:
        """Cached frames stay until the tabulation ends (`_tables` unpersists them)."""

    def frame(self, select: exp.Select, columns: Sequence[str]) -> pd.DataFrame:
        return canonical(_to_pandas(self.sql(select)), columns)

    def sql(self, select: exp.Expr) -> DataFrame:
        statement = _renamed(select, self.names).sql(dialect=DIALECT)
        try:
            return self.spark.sql(statement)
        except Exception as exc:  # a bug, not user input: say which statement failed
            raise RuntimeError(
                f"Spark engine failed on generated SQL: {_first_line(exc)}\n{statement}"
            ) from exc

    def close(self) -> None:
        # A session stopped meanwhile has freed its caches and views already: nothing is left to release.
        with suppress(Exception):
            for frame in self.cached:
                frame.unpersist()
            for name in self.names.values():
                self.spark.catalog.dropTempView(name)


def _renamed(select: exp.Expr, names: Mapping[str, str]) -> exp.Expr:
    """The plan with the store's tables and step results under this call's view names."""

    def rename(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Table) and node.name in names and not node.args.get("db"):
            return exp.to_table(names[node.name], quoted=True, alias=node.alias or None)
        return node

    return select.transform(rename)


def _to_pandas(frame: DataFrame) -> pd.DataFrame:
    """The result through Arrow when pyarrow is there (columnar, fast for large frames), else as rows.
    Not `toPandas()`: PySpark 4's pandas conversion warns on pandas 3 and uses arguments pandas 3
    deprecates; `canonical()` sets the contract types either way."""
    if _HAS_ARROW:
        return frame.toArrow().to_pandas()
    return pd.DataFrame([tuple(r) for r in frame.collect()], columns=frame.columns)


def _rows(store: Store, table: str, extra: Sequence[str]) -> list[tuple[Any, ...]]:
    return store.rows(table, extra) if store.has_table(table) else []


def _first_line(exc: BaseException) -> str:
    """The line of a Spark error that says what went wrong (Py4J puts the Java exception on a later line)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    for line in lines:
        if "Exception: " in line or "Error: " in line:
            return line.split("Exception: ", 1)[-1] if "Exception: " in line else line
    return lines[0] if lines else type(exc).__name__
