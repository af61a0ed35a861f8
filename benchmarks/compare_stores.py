"""Compare two harmonised stores: same tables, same rows in the same order, same quarantine, same manifest.

Used to check that a change to harmonise (speed, memory) leaves its output alone: build a store with the
old code and one with the new code from the same delivery and release key, then

    python benchmarks/compare_stores.py OLD_STORE NEW_STORE

Per table it reports whether the Parquet files are byte-identical and, when not, whether their contents
are (same schema, same rows in the same order: the first differing row is shown by number only); the
DuckDB database's tables are compared the same way (its file is not byte-stable by design). The manifests
are compared without their `run` section (time, folders, pid). Exit 0 when everything is identical in
content, 1 otherwise.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import duckdb


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _relation_diff(con: duckdb.DuckDBPyConnection, old: str, new: str) -> str | None:
    """None when the two relations (each with a `_n` row number) hold the same rows in the same order."""
    old_cols = con.execute(f"DESCRIBE SELECT * EXCLUDE (_n) FROM {old}").fetchall()
    new_cols = con.execute(f"DESCRIBE SELECT * EXCLUDE (_n) FROM {new}").fetchall()
    if [(c[0], c[1]) for c in old_cols] != [(c[0], c[1]) for c in new_cols]:
        return f"schema differs: {[(c[0], c[1]) for c in old_cols]} vs {[(c[0], c[1]) for c in new_cols]}"
    n_old = con.execute(f"SELECT count(*) FROM {old}").fetchone()[0]
    n_new = con.execute(f"SELECT count(*) FROM {new}").fetchone()[0]
    if n_old != n_new:
        return f"{n_old} rows vs {n_new} rows"
    names = [c[0] for c in old_cols]
    differs = " OR ".join(f'a."{c}" IS DISTINCT FROM b."{c}"' for c in names) or "false"
    first = con.execute(f"SELECT min(a._n) FROM {old} a JOIN {new} b USING (_n) WHERE {differs}").fetchone()[0]
    if first is not None:
        return f"row {first + 1} (in stored order) differs"
    return None


def _numbered(parquet: Path) -> str:
    return (f"(SELECT * EXCLUDE (file_row_number), file_row_number AS _n "
            f"FROM read_parquet('{parquet}', file_row_number = true))")


def compare_tables(old: Path, new: Path) -> list[str]:
    problems: list[str] = []
    con = duckdb.connect()
    old_files = sorted(p.name for p in (old / "parquet").glob("*.parquet"))
    new_files = sorted(p.name for p in (new / "parquet").glob("*.parquet"))
    if old_files != new_files:
        problems.append(f"parquet files differ: {old_files} vs {new_files}")
    for name in sorted(set(old_files) & set(new_files)):
        a, b = old / "parquet" / name, new / "parquet" / name
        if _sha(a) == _sha(b):
            print(f"parquet/{name}: byte-identical")
            continue
        diff = _relation_diff(
            con,
            _numbered(a), _numbered(b))
        line = f"parquet/{name}: bytes differ, " + ("same content" if diff is None else f"CONTENT DIFFERS: {diff}")
        print(line)
        if diff is not None:
            problems.append(line)
    con.execute(f"ATTACH '{old / 'zicht.duckdb'}' AS a (READ_ONLY)")
    con.execute(f"ATTACH '{new / 'zicht.duckdb'}' AS b (READ_ONLY)")
    tables_a = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'a'").fetchall()}
    tables_b = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'b'").fetchall()}
    if tables_a != tables_b:
        problems.append(f"database tables differ: {sorted(tables_a)} vs {sorted(tables_b)}")
    for table in sorted(tables_a & tables_b):
        diff = _relation_diff(con, f"(SELECT *, rowid AS _n FROM a.\"{table}\")", f"(SELECT *, rowid AS _n FROM b.\"{table}\")")
        line = f"zicht.duckdb {table}: " + ("same content" if diff is None else f"CONTENT DIFFERS: {diff}")
        print(line)
        if diff is not None:
            problems.append(line)
    con.close()
    return problems


def _without_run(manifest: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in manifest.items() if k != "run"}


def _walk(a: Any, b: Any, path: str, out: list[str]) -> None:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                out.append(f"{path}.{k}: only in {'new' if k in b else 'old'}")
            else:
                _walk(a[k], b[k], f"{path}.{k}", out)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            _walk(x, y, f"{path}[{i}]", out)
    elif a != b:
        out.append(f"{path}: {json.dumps(a)[:120]} vs {json.dumps(b)[:120]}")


def compare_manifests(old: Path, new: Path) -> list[str]:
    a = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    b = json.loads((new / "manifest.json").read_text(encoding="utf-8"))
    out: list[str] = []
    _walk(_without_run(a), _without_run(b), "manifest", out)
    print("manifest (without run): " + ("identical" if not out else f"{len(out)} differences"))
    for line in out[:40]:
        print("  " + line)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    args = parser.parse_args()
    problems = compare_tables(args.old, args.new) + compare_manifests(args.old, args.new)
    print("identical in content" if not problems else f"{len(problems)} problem(s)")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
