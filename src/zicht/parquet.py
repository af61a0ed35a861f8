"""Writing Parquet files with DuckDB (already a runtime dependency), so that no install needs pyarrow.

DuckDB writes a pandas frame's columns with their own types (int64 → BIGINT, float64 → DOUBLE, bool →
BOOLEAN, text → VARCHAR, datetime64 → TIMESTAMP, date objects → DATE); ``types`` casts named columns
(e.g. ``{"code": "VARCHAR", "n": "BIGINT"}``). One thread per file keeps the file byte-identical for the
same frame (synthetic output is reproducible per seed). ``metadata`` lands in the file's key/value
metadata, where pyarrow, pandas and DuckDB's ``parquet_kv_metadata`` read it.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from pathlib import Path

import duckdb
import pandas as pd

from zicht.sql import quoted, sql_text


def write_parquet(
    frame: pd.DataFrame,
    path: Path | str,
    *,
    types: Mapping[str, str] | None = None,
    metadata: Mapping[str, str] | None = None,
    compression: str = "zstd",
) -> None:
    """Write ``frame`` (no index) to ``path`` as one Parquet file."""
    types = dict(types or {})
    unknown = set(types) - set(frame.columns)
    if unknown:
        raise ValueError(f"types for columns not in the frame: {sorted(unknown)}")
    columns = ", ".join(
        f"CAST({quoted(c)} AS {types[c]}) AS {quoted(c)}" if c in types else quoted(c) for c in frame.columns
    )
    options = ["FORMAT parquet", f"COMPRESSION {compression}"]
    if metadata:
        options.append(
            "KV_METADATA {" + ", ".join(f"{sql_text(k)}: {sql_text(v)}" for k, v in metadata.items()) + "}"
        )
    con = duckdb.connect(config={"threads": 1})
    try:
        con.register("frame", frame.reset_index(drop=True))
        select = f"SELECT {columns} FROM frame" if len(frame.columns) else "SELECT * FROM frame"
        con.execute(f"COPY ({select}) TO {sql_text(str(path))} ({', '.join(options)})")
    finally:
        con.close()


def parquet_bytes(frame: pd.DataFrame, **options: object) -> bytes:
    """``write_parquet`` into memory (for HTTP bodies and ``to_bytes`` APIs)."""
    with tempfile.TemporaryDirectory(prefix="zicht-parquet-") as tmp:
        path = Path(tmp) / "out.parquet"
        write_parquet(frame, path, **options)  # type: ignore[arg-type]
        return path.read_bytes()


__all__ = ["parquet_bytes", "write_parquet"]
