"""Writing the store: the final DuckDB database and sorted Parquet files, byte-identical between runs.

Staging happens in a scratch database; the store database is created fresh and filled with sorted
tables, so it holds no freed blocks or staging tables. Parquet files are written by DuckDB with fixed
settings from sorted queries; they carry no timestamps.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from zicht.disclosure.record_keys import record_key_sql
from zicht.harmonise.checks import sql_text
from zicht.harmonise.schema import DERIVED, SORT_KEYS, TABLES, column_list, create_statement, quoted
from zicht.sql import scalar

PARQUET_OPTIONS = "FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 3, ROW_GROUP_SIZE 122880"
STAGES = {
    # The derived columns (record key, person key) are computed when the store is written (`write_store`),
    # from the resolved person ids.
    "event_stage": [c for c in TABLES["event"] if c[0] not in DERIVED],
    "person_stage": [c for c in TABLES["person"] if c[0] not in DERIVED]
    + [("source_file", "VARCHAR"), ("source_row", "BIGINT")],
    "note_stage": TABLES["note"] + [("source_file", "VARCHAR"), ("source_row", "BIGINT")],
}


def create_work_tables(con: duckdb.DuckDBPyConnection) -> None:
    for table in ("quarantine", "region", "population", "source", "source_coverage"):
        con.execute(create_statement(table))
    for name, cols in STAGES.items():
        con.execute(f"CREATE TABLE {name} (" + ", ".join(f"{quoted(c)} {t}" for c, t in cols) + ")")
    con.execute(
        "CREATE TABLE event_record (source_id VARCHAR, record_id VARCHAR, by_content BOOLEAN, source_file VARCHAR, "
        "source_row BIGINT)"
    )


def resolve_duplicates(
    con: duckdb.DuckDBPyConnection,
    person_key_columns: dict[str, str],
    notes_id_columns: dict[str, str],
    event_record_columns: dict[str, str] | None = None,
) -> dict[str, int]:
    """Keep the first row (by file, row) of each person id and note id, and of each event record id
    across files; quarantine the others.

    ``person_key_columns``/``notes_id_columns``/``event_record_columns`` map source id → the column that
    carried the key, for the quarantine record. Returns the events removed per file.

    Repeated ids are rare, so they are found from a 64-bit hash of the id first (one hash aggregate over the
    stage, no sort of millions of strings); only the rows whose hash repeats are compared by their real id,
    so a hash collision costs a comparison, never a row.
    """
    for stage, key_columns, reason, what in (
        ("person_stage", person_key_columns, "duplicate_person", "person key"),
        ("note_stage", notes_id_columns, "duplicate_record_id", "record id"),
    ):
        con.execute(
            "CREATE OR REPLACE TEMP TABLE _repeats AS SELECT source_file, source_row, rk, first_file, first_row FROM ("
            "SELECT source_file, source_row, row_number() OVER w AS rk, first_value(source_file) OVER w AS first_file, "
            f"first_value(source_row) OVER w AS first_row FROM {stage} "
            f"WHERE hash(id) IN (SELECT h FROM (SELECT hash(id) AS h FROM {stage}) GROUP BY h HAVING count(*) > 1) "
            "WINDOW w AS (PARTITION BY id ORDER BY source_file, source_row)) WHERE rk > 1"
        )
        for source_id, column in sorted(key_columns.items()):
            con.execute(
                f"INSERT INTO quarantine SELECT ?, source_file, source_row, '{reason}', ?, "
                f"'{what} already on ' || first_file || ' row ' || first_row FROM _repeats",
                [source_id, column],
            )
        if scalar(con, "SELECT count(*) FROM _repeats"):
            con.execute(
                f"DELETE FROM {stage} WHERE (source_file, source_row) IN "
                "(SELECT source_file, source_row FROM _repeats)"
            )
        con.execute("DROP TABLE _repeats")
    return _event_record_duplicates(con, event_record_columns or {})


def _event_record_duplicates(
    con: duckdb.DuckDBPyConnection, record_columns: dict[str, str]
) -> dict[str, int]:
    """Rows of an event source whose record id (or, without one, all of whose values) already came in
    another file of that source — an extract delivered twice under two names — are quarantined as
    `duplicate_record_id`; the first file wins. A record id repeated within one file is not a duplicate
    (a survey respondent has a row per question; exact repeats within a file are `duplicate_row`).
    Returns the events removed per file."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE event_duplicates AS SELECT source_id, by_content, source_file, source_row, "
        "first_file, first_row FROM (SELECT *, first_value(source_file) OVER w AS first_file, "
        "first_value(source_row) OVER w AS first_row FROM event_record WHERE hash(source_id, record_id) IN ("
        "SELECT hash(source_id, record_id) FROM event_record GROUP BY 1 HAVING count(DISTINCT source_file) > 1) "
        "WINDOW w AS (PARTITION BY source_id, record_id ORDER BY source_file, source_row)) WHERE source_file <> first_file"
    )
    con.execute("CREATE OR REPLACE TEMP TABLE record_columns (source_id VARCHAR, column_name VARCHAR)")
    if record_columns:
        con.executemany("INSERT INTO record_columns VALUES (?, ?)", sorted(record_columns.items()))
    con.execute(
        "INSERT INTO quarantine SELECT d.source_id, d.source_file, d.source_row, 'duplicate_record_id', "
        "CASE WHEN d.by_content THEN NULL ELSE c.column_name END, "
        "CASE WHEN d.by_content THEN 'same values as ' ELSE 'record id already on ' END || d.first_file || ' row ' "
        "|| d.first_row FROM event_duplicates d LEFT JOIN record_columns c USING (source_id)"
    )
    removed = dict(
        con.execute(
            "SELECT e.source_file, count(*) FROM event_stage e JOIN event_duplicates d USING (source_file, source_row) "
            "GROUP BY 1"
        ).fetchall()
    )
    con.execute(
        "DELETE FROM event_stage WHERE (source_file, source_row) IN "
        "(SELECT source_file, source_row FROM event_duplicates)"
    )
    return removed


def write_store(con: duckdb.DuckDBPyConnection, target: Path, release_key: bytes) -> dict[str, int]:
    """Create ``target/zicht.duckdb`` and ``target/parquet/*.parquet`` from the work tables; rows per table.

    Each table is sorted once, into the store database; its Parquet file is then written from that table in
    stored order (DuckDB keeps insertion order for a query without ORDER BY), not sorted a second time.
    The event stage is not sorted by its keys: it was filled in store order (sources by id, files by name,
    each file's events ordered by row, concept, code and id; `records._stage_events`), and deleting rows
    keeps that order. Derived columns: the persons' record keys (`record_key_sql`) and the person key, the
    rank of the id among the store's persons (1..n in `id` order; ids are unique here, `resolve_duplicates`),
    which `event.person_key` repeats (NULL for an event whose person is not in `person`), so that engines
    join and group on a BIGINT instead of a 64-character pseudonym (docs/store.md).
    """
    parquet_dir = target / "parquet"
    parquet_dir.mkdir(parents=True, exist_ok=True)
    db_path = target / "zicht.duckdb"
    con.execute(f"ATTACH {sql_text(str(db_path))} AS store")
    counts: dict[str, int] = {}
    try:
        for table in TABLES:
            con.execute(create_statement(table, f"store.{quoted(table)}"))
            if table == "event":
                _look_up_person_keys(con)
            con.execute(f"INSERT INTO store.{quoted(table)} {_store_rows(table, release_key)}")
            counts[table] = scalar(con, f"SELECT count(*) FROM store.{quoted(table)}")
            out = parquet_dir / f"{table}.parquet"
            con.execute(
                f"COPY (SELECT * FROM store.{quoted(table)}) TO {sql_text(str(out))} ({PARQUET_OPTIONS})"
            )
        con.execute("DROP TABLE IF EXISTS _event_person_key")
        con.execute("CHECKPOINT store")
    finally:
        con.execute("DETACH store")
    return counts


def _look_up_person_keys(con: duckdb.DuckDBPyConnection) -> None:
    """`_event_person_key`: each staged event's person key (NULL without its person), one row per event in
    the stage's order. Only the keys are put back in that order (a sort of two integers per event), so the
    wide event rows are read once, in order, and never sorted or moved through the join."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _event_person_key AS SELECT k.person_key FROM event_stage e "
        "LEFT JOIN store.person k ON k.id = e.person_id ORDER BY e.rowid"
    )


def _store_rows(table: str, release_key: bytes) -> str:
    """The SELECT that fills a store table from its work table, in store order, derived columns included
    (`store.person` is written before `store.event`, whose person keys `_look_up_person_keys` finds there)."""
    order = ", ".join(quoted(c) for c in SORT_KEYS[table])
    if table == "person":
        # One sort: the person key is the row's number in the sorted rows (the rank of the unique id), not a
        # window that sorts the ids a second time.
        staged = ", ".join(
            f"{record_key_sql(release_key, quoted('id'))} AS record_key" if c == "record_key" else quoted(c)
            for c, _ in TABLES[table]
            if c != "person_key"
        )
        numbered = column_list(table).replace(
            quoted("person_key"), f"row_number() OVER () AS {quoted('person_key')}"
        )
        return f"SELECT {numbered} FROM (SELECT {staged} FROM person_stage ORDER BY {order})"
    if table == "event":
        # Row by row: the k-th staged event with the k-th looked-up key (both in the stage's order).
        staged = ", ".join(f"e.{quoted(c)}" for c, _ in TABLES[table] if c not in DERIVED)
        return f"SELECT {staged}, k.person_key FROM event_stage e POSITIONAL JOIN _event_person_key k"
    source = {"note": "note_stage"}.get(table, table)
    return f"SELECT {column_list(table)} FROM {source} ORDER BY {order}"


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
