"""zicht.parquet writes Parquet with DuckDB; pyarrow (test extra only) reads it back as an independent reader."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from zicht.parquet import parquet_bytes, write_parquet


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "n": np.arange(3, dtype=np.int64),
            "text": ["x", None, "zé"],
            "share": [1.5, np.nan, 2.0],
            "flag": [True, False, True],
            "year": pd.Series([2020, None, 2024], dtype="Int64"),
            "code": pd.Series(["1", None, "3"], dtype=object),
            "day": [dt.date(2024, 1, 1), None, dt.date(2020, 2, 29)],
        }
    )


def test_types_nulls_and_values_survive(tmp_path: Path) -> None:
    path = tmp_path / "f.parquet"
    write_parquet(_frame(), path, types={"code": "BIGINT"})
    table = pq.read_table(path)
    assert [str(t) for t in table.schema.types] == [
        "int64",
        "string",
        "double",
        "bool",
        "int64",
        "int64",
        "date32[day]",
    ]
    assert table.to_pydict() == {
        "n": [0, 1, 2],
        "text": ["x", None, "zé"],
        "share": [1.5, None, 2.0],
        "flag": [True, False, True],
        "year": [2020, None, 2024],
        "code": [1, None, 3],
        "day": [dt.date(2024, 1, 1), None, dt.date(2020, 2, 29)],
    }


def test_metadata_and_bytes_are_reproducible(tmp_path: Path) -> None:
    meta = {"zicht_manifest": '{"note": "it\'s"}'}
    a, b = parquet_bytes(_frame(), metadata=meta), parquet_bytes(_frame(), metadata=meta)
    assert a == b
    path = tmp_path / "m.parquet"
    path.write_bytes(a)
    assert pq.read_schema(path).metadata[b"zicht_manifest"] == b'{"note": "it\'s"}'
    kv = (
        duckdb.connect()
        .execute("SELECT value FROM parquet_kv_metadata(?) WHERE key = 'zicht_manifest'", [str(path)])
        .fetchone()
    )
    assert kv is not None and kv[0] == b'{"note": "it\'s"}'


def test_a_cast_that_cannot_hold_is_an_error_not_a_silent_change(tmp_path: Path) -> None:
    with pytest.raises(duckdb.ConversionException):
        write_parquet(pd.DataFrame({"code": ["12", "x"]}), tmp_path / "bad.parquet", types={"code": "BIGINT"})
    with pytest.raises(ValueError, match="not in the frame"):
        write_parquet(pd.DataFrame({"a": [1]}), tmp_path / "bad.parquet", types={"b": "BIGINT"})
