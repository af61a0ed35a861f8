"""Reading extracts in tests without trusting the generator's own readers."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow.parquet as pq
import yaml


def descriptor(run_dir: Path, source_id: str) -> dict:
    return yaml.safe_load((run_dir / "extracts" / source_id / f"{source_id}.source.yaml").read_text("utf-8"))


def read_rows(path: Path, delimiter: str) -> tuple[list[str], list[dict[str, str]], list[bytes]]:
    """Header, rows as dicts (strings; bad bytes kept as surrogates) and the raw bytes of each data line."""
    if path.suffix == ".parquet":
        table = pq.read_table(path).to_pylist()
        rows = [{k: ("" if v is None else str(v)) for k, v in r.items()} for r in table]
        return list(table[0]) if table else [], rows, []
    raw = path.read_bytes()
    text = raw.decode("utf-8", errors="surrogateescape")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(reader)
    # no field holds a newline, so data line i is raw line i + 1
    lines = raw.split(b"\n")[1:-1]
    assert len(lines) == len(rows)
    return list(reader.fieldnames or []), rows, lines
