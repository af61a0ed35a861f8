"""`zicht compare --engine spark`: the same published tables as the default engine (same cells, same record
key sums, so the same perturbation), the store read from its Parquet files, and one-line errors for bad
Spark options."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from tests.conftest import SPARK_MASTER
from tests.unit.compare.helpers import E33, GGZ, K10, write_store
from typer.testing import CliRunner

from zicht.cli import app
from zicht.errors import InputError


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return parquet_store(tmp_path_factory.mktemp("spark") / "store")


def parquet_store(path: Path) -> Path:
    """A store with zicht.duckdb and parquet/ (as harmonise writes it)."""
    write_store(path)
    (path / "parquet").mkdir()
    con = duckdb.connect(str(path / "zicht.duckdb"), read_only=True)
    for (name,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall():
        con.execute(f"COPY \"{name}\" TO '{path / 'parquet' / name}.parquet' (FORMAT parquet)")
    con.close()
    return path


def run(*args: str):
    return CliRunner().invoke(app, ["compare", *args])


def compare_json(store: Path, out: Path, *engine: str) -> dict:
    res = run(
        "--store",
        str(store),
        "--definitions",
        f"{GGZ},{E33},{K10}",
        "--date",
        "2024-12-31",
        "--level",
        "buurt",
        "--format",
        "json",
        "--out",
        str(out),
        *engine,
    )
    assert res.exit_code == 0, res.output
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.spark
def test_spark_publishes_what_duckdb_publishes(store: Path, tmp_path: Path, spark_session) -> None:
    duck = compare_json(store, tmp_path / "duckdb.json")
    spark = compare_json(
        store,
        tmp_path / "spark.json",
        "--engine",
        "spark",
        "--spark-master",
        SPARK_MASTER,
        "--spark-conf",
        "spark.sql.shuffle.partitions=3",
    )
    assert spark["manifest"].pop("engine") == "spark"
    assert duck["manifest"].pop("engine") == "duckdb"
    assert spark["counts"] and any(r["count"] for r in spark["counts"])
    assert spark == duck


@pytest.mark.spark
def test_spark_parquet_location_that_does_not_hold_the_store(
    store: Path, tmp_path: Path, spark_session
) -> None:
    res = run(
        "--store",
        str(store),
        "--definitions",
        GGZ,
        "--date",
        "2024-12-31",
        "--engine",
        "spark",
        "--spark-master",
        SPARK_MASTER,
        "--spark-parquet",
        str(tmp_path / "elsewhere"),
    )
    assert res.exit_code != 0
    assert isinstance(res.exception, InputError)
    assert f"{tmp_path / 'elsewhere'}/person.parquet: Spark cannot read the store's person table" in str(
        res.exception
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--spark-master", "local[2]"],
            "--spark-master, --spark-conf and --spark-parquet apply to --engine spark only",
        ),
        (
            ["--engine", "spark", "--spark-master", "localhost:7077"],
            "--spark-master: 'localhost:7077' is not a Spark master",
        ),
        (
            ["--engine", "spark", "--spark-conf", "spark.driver.memory"],
            "--spark-conf: 'spark.driver.memory' is not KEY=VALUE",
        ),
        (["--engine", "spark", "--spark-conf", "=4g"], "--spark-conf: '=4g' is not KEY=VALUE"),
    ],
)
def test_bad_engine_options_are_one_line_errors(store: Path, args: list[str], message: str) -> None:
    res = run("--store", str(store), "--definitions", GGZ, "--date", "2024-12-31", *args)
    assert res.exit_code != 0
    assert isinstance(res.exception, InputError)  # the CLI prints it as one line (tests/unit/test_cli.py)
    assert message in str(res.exception)


def test_an_unknown_engine_is_refused_with_the_choices(store: Path) -> None:
    # --engine is a typed choice: click refuses it as a usage error (exit 2) and names the choices.
    res = run("--store", str(store), "--definitions", GGZ, "--date", "2024-12-31", "--engine", "sparkle")
    assert res.exit_code == 2
    assert "'sparkle' is not one of" in res.output
    assert all(name in res.output for name in ("duckdb", "in_memory", "spark"))
