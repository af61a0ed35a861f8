"""The Spark engine through Spark Connect (`--spark-master sc://…`): a Connect server started from the
installed PySpark (its sbin script) reads the store's Parquet and the CLI publishes what DuckDB publishes;
a server that is not there is a one-line error."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.integration.test_spark_compare import parquet_store
from tests.unit.compare.helpers import E33, GGZ

pytestmark = [pytest.mark.spark, pytest.mark.slow]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def connect_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pyspark = pytest.importorskip("pyspark")
    home = Path(pyspark.__file__).parent
    script = home / "sbin" / "start-connect-server.sh"
    if not script.is_file():
        pytest.skip(f"this PySpark has no {script.name} (a pip install of pyspark 4 ships it)")
    work = tmp_path_factory.mktemp("connect")
    port = free_port()
    env = {
        **os.environ,
        "SPARK_HOME": str(home),
        "SPARK_LOG_DIR": str(work),
        "SPARK_PID_DIR": str(work),
        "SPARK_IDENT_STRING": f"zicht-test-{port}",
    }
    subprocess.run(
        [
            str(script),
            "--master",
            "local[1]",
            "--conf",
            f"spark.connect.grpc.binding.port={port}",
            "--conf",
            "spark.ui.enabled=false",
        ],
        env=env,
        check=True,
        capture_output=True,
    )
    try:
        deadline = time.monotonic() + 300
        while True:  # the daemon returns at once; the port opens when the server is up
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"Spark Connect server did not open port {port}; logs in {work}")
            time.sleep(1)
        yield f"sc://127.0.0.1:{port}"
    finally:
        subprocess.run(
            [str(home / "sbin" / "stop-connect-server.sh")], env=env, check=False, capture_output=True
        )


def zicht(*args: str) -> subprocess.CompletedProcess[str]:
    """The CLI in a process of its own: PySpark allows no Connect session in a process that already holds a
    classic one (the test run's local session)."""
    return subprocess.run(
        [sys.executable, "-c", "from zicht.cli import main; main()", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )


def test_connect_publishes_what_duckdb_publishes(connect_url: str, tmp_path: Path) -> None:
    store = parquet_store(tmp_path / "store")
    common = [
        "compare",
        "--store",
        str(store),
        "--definitions",
        f"{GGZ},{E33}",
        "--date",
        "2024-12-31",
        "--level",
        "buurt",
        "--format",
        "json",
    ]
    duck = zicht(*common, "--out", str(tmp_path / "duckdb.json"))
    spark = zicht(
        *common, "--out", str(tmp_path / "spark.json"), "--engine", "spark", "--spark-master", connect_url
    )
    assert duck.returncode == 0, duck.stderr
    assert spark.returncode == 0, spark.stderr
    got, want = (
        json.loads((tmp_path / f"{n}.json").read_text(encoding="utf-8")) for n in ("spark", "duckdb")
    )
    assert (got["manifest"].pop("engine"), want["manifest"].pop("engine")) == ("spark", "duckdb")
    assert got["counts"] and got == want


def test_unreachable_connect_server_is_a_one_line_error(tmp_path: Path) -> None:
    store = parquet_store(tmp_path / "store")
    res = zicht(
        "compare",
        "--store",
        str(store),
        "--definitions",
        GGZ,
        "--date",
        "2024-12-31",
        "--engine",
        "spark",
        "--spark-master",
        "sc://127.0.0.1:1",
    )
    assert res.returncode != 0
    assert "zicht: error: cannot start a Spark session on sc://127.0.0.1:1" in res.stderr
    assert "Traceback" not in res.stderr
