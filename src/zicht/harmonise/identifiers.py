"""Direct identifiers in an extract: a file with a BSN is refused (or its BSN rows quarantined), a row
with an e-mail address, phone number, street address or full date of birth is quarantined — in every
column, so that no such value reaches the store or a quarantine detail.

Detection is the privacy guard's (`zicht.privacy`: Unicode normalisation, every separator and numeric
form of a BSN), so validate and harmonise agree on what an identifier is. DuckDB narrows each column to
its distinct values that pass the guard's prefilter (a superset of what it confirms); only those are
handed to Python, and only the rows holding a confirmed value are fetched back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from zicht.errors import InputError
from zicht.harmonise.schema import quoted
from zicht.privacy.detect import NINE_DIGITS, PREFILTER, classify, describe_kind

_PREFILTER_SQL = "'" + PREFILTER.replace("'", "''") + "'"
# NINE_DIGITS as a whole-value match ($ in Python would also take a trailing newline, RE2's does not).
_NINE = re.compile(NINE_DIGITS.removeprefix("^").removesuffix("$"))


class BSNRefused(InputError):
    """A file holds a value that passes the BSN 11-check; the message names file, row and column only."""

    exit_code = 1


@dataclass(frozen=True, order=True)
class CellFinding:
    row: int
    column: str
    kind: str

    @property
    def detail(self) -> str:
        return f"value looks like {describe_kind(self.kind)}; value not shown"


def identifier_findings(
    con: duckdb.DuckDBPyConnection, table: str, columns: list[str], *, roles: dict[str, str]
) -> list[CellFinding]:
    """Every cell of ``table`` that is or holds a direct identifier, in row then column order.

    One scan gathers, per column, the distinct values that pass the guard's prefilter (every value of a
    birth-year column); a national delivery has thousands of files, so a scan per column, or a second one
    to count nine-digit values, costs more than the checks themselves. The distinct nine-digit values are
    counted from that list: every plain nine-digit number passes the prefilter.
    """
    if not columns:
        return []
    birth = {c for c in columns if roles.get(c) == "birth_year"}
    lists = ", ".join(
        f"list(DISTINCT {quoted(c)}) FILTER (WHERE "
        + (f"{quoted(c)} IS NOT NULL" if c in birth else f"regexp_matches({quoted(c)}, {_PREFILTER_SQL})")
        + ")"
        for c in columns
    )
    values = con.execute(f"SELECT {lists} FROM {table}").fetchone() or ()
    order = {c: i for i, c in enumerate(columns)}
    found: list[CellFinding] = []
    for column, distinct in zip(columns, values, strict=False):
        if not distinct:
            continue
        nine = sum(1 for v in distinct if _NINE.fullmatch(v))
        bad = classify(distinct, birth_column=column in birth, nine_digit_values=nine)
        if not bad:
            continue
        hits = "(SELECT unnest(?::VARCHAR[]) AS value, unnest(?::VARCHAR[]) AS kind)"
        rows = con.execute(
            f"SELECT t.source_row, h.kind FROM {table} t JOIN {hits} h ON t.{quoted(column)} = h.value",
            [list(bad), list(bad.values())],
        ).fetchall()
        found.extend(CellFinding(int(r), column, k) for r, k in rows)
    return sorted(found, key=lambda f: (f.row, order[f.column]))


def bsn_refusal(file: str, found: list[CellFinding]) -> BSNRefused | None:
    """The refusal of a file holding a BSN (lowest row, then column order), or None."""
    bsn = [f for f in found if f.kind == "bsn"]
    if not bsn:
        return None
    first = bsn[0]
    more = f" ({len(bsn) - 1} more in this file)" if len(bsn) > 1 else ""
    return BSNRefused(
        f"{file}: row {first.row}, column {first.column!r}: value passes the BSN 11-check (value not shown){more}; "
        "the file is refused and nothing from it enters the store — pseudonymise the person id at the source "
        "(zicht pseudonymise)"
    )
