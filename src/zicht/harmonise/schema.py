"""The tables of the harmonised store with their DuckDB types and sort keys (contract: docs/store.md)."""

from __future__ import annotations

from zicht.sql import quoted

__all__ = ["SORT_KEYS", "TABLES", "column_list", "create_statement", "quoted"]

TABLES: dict[str, list[tuple[str, str]]] = {
    "person": [
        ("id", "VARCHAR"),
        ("sex", "VARCHAR"),
        ("birth_year", "INTEGER"),
        ("residence_gemeente", "VARCHAR"),
        ("residence_wijk", "VARCHAR"),
        ("residence_buurt", "VARCHAR"),
        ("record_key", "BIGINT"),
        ("person_key", "BIGINT"),
    ],
    "event": [
        ("id", "VARCHAR"),
        ("person_id", "VARCHAR"),
        ("source_id", "VARCHAR"),
        ("concept", "VARCHAR"),
        ("source_code", "VARCHAR"),
        ("source_code_system", "VARCHAR"),
        ("mapping_predicate", "VARCHAR"),
        ("start_date", "DATE"),
        ("end_date", "DATE"),
        ("value", "DOUBLE"),
        ("weight", "DOUBLE"),
        ("region_code", "VARCHAR"),
        ("source_file", "VARCHAR"),
        ("source_row", "BIGINT"),
        ("person_key", "BIGINT"),
    ],
    "region": [
        ("id", "VARCHAR"),
        ("name", "VARCHAR"),
        ("level", "VARCHAR"),
        ("parent", "VARCHAR"),
        ("year", "INTEGER"),
        ("synthetic", "BOOLEAN"),
    ],
    "population": [
        ("region_code", "VARCHAR"),
        ("year", "INTEGER"),
        ("sex", "VARCHAR"),
        ("age_min", "INTEGER"),
        ("age_max", "INTEGER"),
        ("count", "BIGINT"),
        ("synthetic", "BOOLEAN"),
    ],
    "source": [
        ("id", "VARCHAR"),
        ("title", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("owner", "VARCHAR"),
        ("code_system", "VARCHAR"),
        ("mapping_set_id", "VARCHAR"),
        ("mapping_set_version", "VARCHAR"),
        ("period_start", "DATE"),
        ("period_end", "DATE"),
    ],
    "source_coverage": [
        ("source_id", "VARCHAR"),
        ("gemeente_code", "VARCHAR"),
        ("coverage_status", "VARCHAR"),
        ("start_date", "DATE"),
        ("end_date", "DATE"),
        ("remark", "VARCHAR"),
    ],
    "note": [
        ("id", "VARCHAR"),
        ("author", "VARCHAR"),
        ("created_on", "DATE"),
        ("region_code", "VARCHAR"),
        ("indicator", "VARCHAR"),
        ("definition_id", "VARCHAR"),
        ("text", "VARCHAR"),
        ("language", "VARCHAR"),
    ],
    "quarantine": [
        ("source_id", "VARCHAR"),
        ("source_file", "VARCHAR"),
        ("source_row", "BIGINT"),
        ("reason", "VARCHAR"),
        ("column", "VARCHAR"),
        ("detail", "VARCHAR"),
    ],
}

# Columns computed when the store is written (`store.write_store`), not staged: the record key (HMAC of the
# release key) and the integer surrogate of the pseudonym that engines join and group on.
DERIVED = frozenset({"record_key", "person_key"})

# Sort keys make the Parquet files byte-identical between runs on the same input; every key is unique
# per row (or the rows it ties are identical), so the order is total.
SORT_KEYS: dict[str, list[str]] = {
    "person": ["id"],
    "event": ["source_id", "source_file", "source_row", "concept", "source_code", "id"],
    "region": ["id"],
    "population": ["region_code", "year", "sex", "age_min"],
    "source": ["id"],
    "source_coverage": ["source_id", "gemeente_code", "start_date"],
    "note": ["id"],
    "quarantine": ["source_id", "source_file", "source_row", "column", "reason", "detail"],
}


def create_statement(table: str, target: str | None = None) -> str:
    """CREATE TABLE for ``table``; ``target`` is the SQL name to create (e.g. `store."event"`)."""
    cols = ", ".join(f"{quoted(c)} {t}" for c, t in TABLES[table])
    return f"CREATE TABLE {target or quoted(table)} ({cols})"


def column_list(table: str) -> str:
    return ", ".join(quoted(c) for c, _ in TABLES[table])
