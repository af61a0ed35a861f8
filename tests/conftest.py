"""Fixtures shared by the test kinds: the engines, with one local SparkSession for the whole run (starting
Spark takes seconds; every Spark test reuses it)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from zicht.engines import ENGINES, Engine, get_engine

# A small local Spark: two cores (the CI machine's), two shuffle partitions (the test stores are tiny, and
# two partitions still exercise the exchange between them), no UI.
SPARK_MASTER = "local[2]"
SPARK_TEST_CONF = {"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2"}


def engine_params() -> list[Any]:
    """Every engine as a test parameter; Spark's carry the `spark` mark (`-m "not spark"` leaves them out)."""
    return [
        pytest.param(name, marks=pytest.mark.spark) if name == "spark" else name for name in sorted(ENGINES)
    ]


@pytest.fixture(scope="session")
def spark_session() -> Iterator[Any]:
    pytest.importorskip("pyspark", reason="PySpark is not installed (pip install -e '.[test]' installs it)")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java runtime for Spark (PySpark 4 needs Java 17 or 21)")
    from zicht.engines.spark import spark_session as start

    session = start(SPARK_MASTER, SPARK_TEST_CONF)
    yield session
    session.stop()


@pytest.fixture(scope="session")
def make_engine(request: pytest.FixtureRequest) -> Callable[[str], Engine]:
    """`make_engine(name)`: the engine of that name; Spark's on the session's SparkSession."""

    def make(name: str) -> Engine:
        if name == "spark":
            from zicht.engines.spark import SparkEngine

            return SparkEngine(SPARK_MASTER, session=request.getfixturevalue("spark_session"))
        return get_engine(name)

    return make
