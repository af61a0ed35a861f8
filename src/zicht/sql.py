"""The SQL text zicht writes for DuckDB outside the engines' sqlglot plan: quoting and one-value queries.

Harmonise, the privacy guard's column scans and the Parquet writer build their statements as text; a
name is always `quoted` and a value always `sql_text`, so no extract header or code can end a literal.
(The engines build expression trees instead, docs/architecture.md.)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import duckdb


def quoted(name: str) -> str:
    """``name`` as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def sql_text(value: str) -> str:
    """``value`` as an SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[Any] | None = None) -> Any:
    """The first column of the one row ``sql`` returns (an aggregate such as count(*))."""
    row = con.execute(sql, params).fetchone()
    if row is None:  # an aggregate always returns a row; anything else is a programming error
        raise RuntimeError(f"the query returned no row: {sql[:200]}")
    return row[0]
