"""Refusing files that carry a bare BSN: the run stops for that file and nothing of it enters the store.

Detection is the privacy guard's (`zicht.privacy`), so validate and harmonise agree on what a BSN is
(9 digits passing the 11-check, also inside free text, with its rule for record-number columns where a
few values pass the check by chance). DuckDB first selects the columns that hold any run of nine digits,
so only those are handed to the guard.
"""

from __future__ import annotations

import duckdb

from zicht.errors import InputError
from zicht.harmonise.schema import quoted
from zicht.privacy import PrivacyFinding, scan_frame

_NINE_DIGITS = r"[0-9][0-9.\s-]{7,10}[0-9]"


class BSNRefused(InputError):
    """A file holds a value that passes the BSN 11-check; the message names file, row and column only."""

    exit_code = 1


def bsn_findings(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], *, file: str,
                 roles: dict[str, str]) -> list[PrivacyFinding]:
    """Every cell of ``table`` that is or holds a BSN, in row then column order (values masked)."""
    if not columns:
        return []
    probes = ", ".join(f"bool_or(regexp_matches({quoted(c)}, '{_NINE_DIGITS}'))" for c in columns)
    flags = con.execute(f"SELECT {probes} FROM {table}").fetchone() or ()
    candidates = [c for c, hit in zip(columns, flags) if hit]
    if not candidates:
        return []
    found = []
    for column in candidates:
        frame = con.execute(f"SELECT {quoted(column)} FROM {table} ORDER BY source_row").df()
        found.extend(f for f in scan_frame(frame, file=file, roles=roles) if f.kind == "bsn" and f.row is not None)
    order = {c: i for i, c in enumerate(columns)}
    return sorted(found, key=lambda f: (f.row, order[f.column]))


def refuse_bsn(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], *, file: str,
               roles: dict[str, str]) -> None:
    """Raise BSNRefused for the first BSN (lowest row, then column order) in ``table``."""
    found = bsn_findings(con, table, columns, file=file, roles=roles)
    if found:
        first = found[0]
        more = f" ({len(found) - 1} more in this file)" if len(found) > 1 else ""
        raise BSNRefused(
            f"{file}: row {first.row}, column {first.column!r}: value passes the BSN 11-check ({first.masked}){more}; "
            "the file is refused and nothing from it enters the store — pseudonymise the person id at the source "
            "(zicht pseudonymise)"
        )
