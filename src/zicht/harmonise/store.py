"""Writing the store: the final DuckDB database and sorted Parquet files, byte-identical between runs.

Staging happens in a scratch database; the store database is created fresh and filled with sorted
tables, so it holds no freed blocks or staging tables. Parquet files are written by DuckDB with fixed
settings from sorted queries; they carry no timestamps.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow as pa

from zicht.disclosure.record_keys import record_keys
from zicht.harmonise.schema import SORT_KEYS, TABLES, column_list, create_statement, quoted

PARQUET_OPTIONS = "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 3, ROW_GROUP_SIZE 122880"
STAGES = {
    "event_stage": TABLES["event"],
    # The record key is added when the store is written (`write_store`), from the resolved person ids.
    "person_stage": [c for c in TABLES["person"] if c[0] != "record_key"] + [("source_file", "VARCHAR"), ("source_row", "BIGINT")],
    "note_stage": TABLES["note"] + [("source_file", "VARCHAR"), ("source_row", "BIGINT")],
}


def create_work_tables(con: duckdb.DuckDBPyConnection) -> None:
    for table in ("quarantine", "region", "population", "source", "source_coverage"):
        con.execute(create_statement(table))
    for name, cols in STAGES.items():
        con.execute(f"CREATE TABLE {name} (" + ", ".join(f"{quoted(c)} {t}" for c, t in cols) + ")")


def resolve_duplicates(con: duckdb.DuckDBPyConnection, person_key_columns: dict[str, str],
                       notes_id_columns: dict[str, str]) -> None:
    """Keep the first row (by file, row) of each person id and note id; quarantine the others.

    ``person_key_columns``/``notes_id_columns`` map source id → the column that carried the key, for the
    quarantine record.
    """
    for stage, key_columns, reason, what in (
        ("person_stage", person_key_columns, "duplicate_person", "person key"),
        ("note_stage", notes_id_columns, "duplicate_record_id", "record id"),
    ):
        for source_id, column in sorted(key_columns.items()):
            con.execute(
                f"INSERT INTO quarantine SELECT ?, source_file, source_row, '{reason}', ?, "
                f"'{what} already on ' || first_file || ' row ' || first_row FROM ("
                f"SELECT source_file, source_row, row_number() OVER w AS rk, first_value(source_file) OVER w AS first_file, "
                f"first_value(source_row) OVER w AS first_row FROM {stage} "
                "WINDOW w AS (PARTITION BY id ORDER BY source_file, source_row)) WHERE rk > 1",
                [source_id, column],
            )
        con.execute(
            f"DELETE FROM {stage} WHERE (source_file, source_row) IN (SELECT source_file, source_row FROM ("
            f"SELECT source_file, source_row, row_number() OVER (PARTITION BY id ORDER BY source_file, source_row) AS rk "
            f"FROM {stage}) WHERE rk > 1)"
        )


def add_record_keys(con: duckdb.DuckDBPyConnection, release_key: bytes, batch_rows: int = 1_000_000) -> None:
    """``person_keyed``: the persons of ``person_stage`` with their record key (`zicht.disclosure.record_keys`),
    computed in batches so that the ids never sit in Python all at once."""
    con.execute("CREATE OR REPLACE TEMP TABLE person_record_key (id VARCHAR, record_key BIGINT)")
    reading = con.cursor()  # its own cursor: the inserts below would end a stream on `con`
    reader = reading.sql("SELECT id FROM person_stage").to_arrow_reader(batch_rows)
    for batch in reader:
        ids = batch.column(0)
        keys = pa.array(record_keys(release_key, ids.to_pylist()), type=pa.int64())
        chunk = pa.table({"id": ids, "record_key": keys})  # noqa: F841 - read by the next statement
        con.execute("INSERT INTO person_record_key SELECT id, record_key FROM chunk")
    reading.close()
    con.execute("CREATE OR REPLACE TEMP TABLE person_keyed AS SELECT s.*, k.record_key FROM person_stage s "
                "JOIN person_record_key k USING (id)")
    con.execute("DROP TABLE person_record_key")


def write_store(con: duckdb.DuckDBPyConnection, target: Path, release_key: bytes) -> dict[str, int]:
    """Create ``target/zicht.duckdb`` and ``target/parquet/*.parquet`` from the work tables; rows per table."""
    parquet_dir = target / "parquet"
    parquet_dir.mkdir(parents=True, exist_ok=True)
    db_path = target / "zicht.duckdb"
    add_record_keys(con, release_key)
    sources = {"person": "person_keyed", "event": "event_stage", "note": "note_stage"}
    con.execute(f"ATTACH '{db_path}' AS store")
    counts: dict[str, int] = {}
    try:
        for table in TABLES:
            con.execute(create_statement(table, f"store.{quoted(table)}"))
            order = ", ".join(quoted(c) for c in SORT_KEYS[table])
            con.execute(f"INSERT INTO store.{quoted(table)} SELECT {column_list(table)} FROM "
                        f"{sources.get(table, table)} ORDER BY {order}")
            counts[table] = con.execute(f"SELECT count(*) FROM store.{quoted(table)}").fetchone()[0]
            out = parquet_dir / f"{table}.parquet"
            con.execute(f"COPY (SELECT * FROM store.{quoted(table)} ORDER BY {order}) TO '{out}' ({PARQUET_OPTIONS})")
        con.execute("CHECKPOINT store")
    finally:
        con.execute("DETACH store")
    return counts


def replace_store(built: Path, out_dir: Path) -> None:
    """Move the freshly built store files into ``out_dir``, replacing an earlier run's files only."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in ("zicht.duckdb", "parquet", "manifest.json"):
        old = out_dir / name
        if old.is_dir():
            shutil.rmtree(old)
        elif old.exists():
            old.unlink()
        shutil.move(str(built / name), str(old))
