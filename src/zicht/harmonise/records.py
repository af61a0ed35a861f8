"""One extract file → staged rows of the store: events (coded registrations and surveys), persons (the
population register) or notes (narrative sources), plus a quarantine row for everything that cannot be
harmonised. Every data row of the file ends up in the result or in quarantine.

A source may declare several code columns (the GGZ claims carry a care type and a diagnosis group);
each filled code cell is a record of its own, so a row yields one event per assignable code. A row
counts as harmonised when it yields at least one event; its other code cells that cannot be assigned
(NoTermFound, only narrow/related) are still listed in quarantine, with their column. A code that is not
in the mapping at all makes the whole row suspect: it yields no event.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from zicht.errors import InputError
from zicht.harmonise.checks import date_expr, reason_select, region_level, sql_text
from zicht.harmonise.schema import quoted
from zicht.mappings.descriptor import SourceDescriptor
from zicht.mappings.mapping_set import MAPPED, NO_TERM, NOT_ASSIGNABLE, MappingSet
from zicht.sql import scalar

KIND_EVENTS = "events"
KIND_PERSONS = "persons"
KIND_NOTES = "notes"

_CODE_DETAIL = {
    "unmapped_code": "is not in mapping set",
    NO_TERM: "is marked sssom:NoTermFound in mapping set",
    NOT_ASSIGNABLE: "has only narrowMatch/relatedMatch mappings in mapping set",
}


@dataclass
class FileResult:
    file: str  # path relative to the input folder
    sha256: str
    rows_read: int = 0
    rows_harmonised: int = 0
    events: int = 0
    quarantined: Counter = field(default_factory=Counter)  # reason → rows
    cells_quarantined: int = 0  # code cells of harmonised rows that could not be assigned
    refused: str | None = None
    first_date: str | None = None
    last_date: str | None = None

    @property
    def rows_quarantined(self) -> int:
        return self.rows_read - self.rows_harmonised


def register_mapping(con: duckdb.DuckDBPyConnection, mapping: MappingSet | None) -> None:
    """Temp tables `map_status(code, status)` and `map_assign(code, concept, predicate)` of one source."""
    con.execute("CREATE OR REPLACE TEMP TABLE map_status (code VARCHAR, status VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE map_assign (code VARCHAR, concept VARCHAR, predicate VARCHAR)")
    con.execute("CREATE OR REPLACE TEMP TABLE map_about (code VARCHAR, concept VARCHAR)")
    if mapping is None:
        return
    if mapping.status:
        con.executemany("INSERT INTO map_status VALUES (?, ?)", sorted(mapping.status.items()))
    if mapping.assignments:
        con.executemany(
            "INSERT INTO map_assign VALUES (?, ?, ?)",
            [(a.code, a.concept, a.predicate) for a in mapping.assignments],
        )
    about = [(code, a.concept) for code in sorted(mapping.status) if (a := mapping.about(code)) is not None]
    if about:
        con.executemany("INSERT INTO map_about VALUES (?, ?)", about)


def stage_file(
    con: duckdb.DuckDBPyConnection,
    descriptor: SourceDescriptor,
    mapping: MappingSet | None,
    kind: str,
    result: FileResult,
    *,
    max_birth_year: int,
    sex_codes: dict[str, str] | None = None,
    known_regions: bool = False,
    flagged: list[tuple[int, str, str, str]] | None = None,
) -> None:
    """Check the rows of temp table `raw` and stage them; fills ``result``'s counts. ``flagged`` rows
    (source_row, reason, column, detail) were found before the checks: bytes not valid in the declared
    encoding, or a BSN when BSN rows are quarantined instead of refusing the file.

    The file is read once: one pass checks every row and carries the typed values staging needs
    (`checked`); the quarantine rows of the file are collected in `file_quarantine`, and the counts of the
    manifest come from those two small tables in one query. (A national delivery has thousands of files,
    so the number of statements per file counts as much as the work per row.)
    """
    if flagged:
        con.execute(
            'CREATE OR REPLACE TEMP TABLE flagged (source_row BIGINT, reason VARCHAR, "column" VARCHAR, '
            "detail VARCHAR)"
        )
        con.executemany("INSERT INTO flagged VALUES (?, ?, ?, ?)", flagged)
    stage: Stage
    if kind == KIND_EVENTS:
        carry, stage = _event_carry(descriptor), _stage_events
    elif kind == KIND_PERSONS:
        carry, stage = _person_carry(descriptor), _stage_persons
    elif kind == KIND_NOTES:
        carry, stage = _note_carry(descriptor), _stage_notes
    else:  # pragma: no cover - guarded by the caller
        raise ValueError(kind)
    select = reason_select(
        descriptor,
        "raw",
        max_birth_year,
        known_regions=known_regions,
        flagged="flagged" if flagged else None,
        carry=carry,
    )
    con.execute(f"CREATE OR REPLACE TEMP TABLE checked AS {select}")
    file, sid = sql_text(result.file), sql_text(descriptor.id)
    # staged: SQL for the rows that yield a record; quarantined: SELECTs of (source_row, reason, column,
    # detail) beyond the checks' own reasons.
    staged, quarantined = stage(con, descriptor, mapping, result, sex_codes or {})
    con.execute(
        "CREATE OR REPLACE TEMP TABLE file_quarantine AS "
        + " UNION ALL ".join(
            [
                'SELECT source_row, reason, "column", detail FROM checked WHERE reason IS NOT NULL',
                *quarantined,
            ]
        )
    )
    con.execute(
        f'INSERT INTO quarantine SELECT {sid}, {file}, source_row, reason, "column", detail '
        "FROM file_quarantine"
    )
    _tally(con, staged, result, dated=descriptor.column("start_date") is not None)


# Stages the checked rows of one file (events, persons or notes): (con, descriptor, mapping set, result,
# sex codes) -> (SELECT of the staged source rows, SELECTs of the rows it quarantines).
Stage = Callable[
    [duckdb.DuckDBPyConnection, SourceDescriptor, MappingSet | None, "FileResult", dict[str, str]],
    tuple[str, list[str]],
]


def _tally(con: duckdb.DuckDBPyConnection, staged: str, result: FileResult, *, dated: bool) -> None:
    """Rows read and harmonised, quarantined rows by reason, quarantined cells of harmonised rows and the
    observed period of one file, in one query."""
    # One reason per quarantined row (a row whose code cells fail for different reasons takes the first),
    # so that the reasons add up to rows read minus rows harmonised.
    dates = "min(c._start), max(c._start)" if dated else "NULL, NULL"
    rows = con.execute(
        f"WITH staged AS ({staged}), "
        "per_row AS (SELECT source_row, min(reason) AS reason FROM file_quarantine "
        "WHERE source_row NOT IN (SELECT source_row FROM staged) GROUP BY 1) "
        "SELECT 'rows', NULL, (SELECT count(*) FROM checked), NULL, NULL "
        "UNION ALL SELECT 'staged', NULL, count(*), "
        f"CAST({dates.split(', ')[0]} AS VARCHAR), CAST({dates.split(', ')[1]} AS VARCHAR) "
        "FROM staged s" + (" JOIN checked c ON c.source_row = s.source_row" if dated else "") + " "
        "UNION ALL SELECT 'cells', NULL, count(*), NULL, NULL FROM file_quarantine "
        "WHERE source_row IN (SELECT source_row FROM staged) "
        "UNION ALL SELECT 'reason', reason, count(*), NULL, NULL FROM per_row GROUP BY reason"
    ).fetchall()
    for what, reason, n, lo, hi in rows:
        if what == "rows":
            result.rows_read = n
        elif what == "staged":
            result.rows_harmonised = n
            result.first_date, result.last_date = lo, hi
        elif what == "cells":
            result.cells_quarantined = n
        else:
            result.quarantined[reason] += n


def _region_expr(descriptor: SourceDescriptor, prefix: str = "r.") -> str:
    """The most specific region column of a row (buurt, then wijk, then gemeente, then undeclared level)."""
    rank = {"buurt": 0, "wijk": 1, "gemeente": 2, None: 3}
    cols = sorted(descriptor.columns_with_role("region"), key=lambda c: rank[region_level(c)])
    if not cols:
        return "CAST(NULL AS VARCHAR)"
    return "coalesce(" + ", ".join(prefix + quoted(c.name) for c in cols) + ")"


def _code_columns(descriptor: SourceDescriptor) -> list[str]:
    codes = descriptor.columns_with_role("code")
    if not codes:
        raise InputError(f"{descriptor.path}: source {descriptor.id!r} declares no column with role code")
    return [c.name for c in codes]


def _code_carry(descriptor: SourceDescriptor) -> dict[str, str]:
    return {f"_code{i}": quoted(name) for i, name in enumerate(_code_columns(descriptor))}


def _code_cells(descriptor: SourceDescriptor) -> str:
    """The filled code cells of the rows that pass the checks: (source_row, code_column, code)."""
    return " UNION ALL ".join(
        f'SELECT source_row, {sql_text(name)} AS code_column, "_code{i}" AS code FROM checked '
        f'WHERE reason IS NULL AND "_code{i}" IS NOT NULL'
        for i, name in enumerate(_code_columns(descriptor))
    )


def _code_quarantine(descriptor: SourceDescriptor, mapping: MappingSet | None) -> list[str]:
    """Quarantine of the code cells that cannot be assigned, and of passing rows without any code."""
    label = f"{mapping.mapping_set_id} {mapping.version}" if mapping else "(none)"
    details = " ".join(f"WHEN {sql_text(k)} THEN {sql_text(v)}" for k, v in _CODE_DETAIL.items())
    names = ", ".join(_code_columns(descriptor))
    return [
        f"SELECT source_row, status, code_column, "
        f"'code ' || left(code, 40) || ' ' || CASE status {details} END || ' ' || {sql_text(label)} "
        f"FROM cells WHERE status <> '{MAPPED}'",
        # A row that passes every check but has no code at all must still end up somewhere.
        f"SELECT source_row, 'missing_value', {sql_text(names)}, 'no code in any code column' FROM checked "
        "WHERE reason IS NULL AND source_row NOT IN (SELECT source_row FROM cells)",
    ]


def _event_carry(descriptor: SourceDescriptor) -> dict[str, str]:
    key = descriptor.column("person_key")
    start = descriptor.column("start_date")
    if key is None or start is None:
        raise InputError(
            f"{descriptor.path}: source {descriptor.id!r} needs a person_key and a start_date column"
        )
    end = descriptor.column("end_date")
    value, weight = descriptor.column("value"), descriptor.column("weight")
    return {
        "_person": quoted(key.name),
        "_start": date_expr(start.name),
        "_end": date_expr((end or start).name),  # point events end where they start
        "_value": f"TRY_CAST({quoted(value.name)} AS DOUBLE)" if value else "CAST(NULL AS DOUBLE)",
        "_weight": f"TRY_CAST({quoted(weight.name)} AS DOUBLE)" if weight else "CAST(NULL AS DOUBLE)",
        "_region": _region_expr(descriptor, prefix=""),
        "_identity": _record_identity(descriptor),
        **_code_carry(descriptor),
    }


def _has_record_id(descriptor: SourceDescriptor) -> bool:
    return descriptor.column("record_id") is not None


def _record_identity(descriptor: SourceDescriptor) -> str:
    """What identifies an event row across the source's files: its record id, else all its values."""
    record = descriptor.column("record_id")
    if record is not None:
        return quoted(record.name)
    values = ", ".join(f"coalesce({quoted(c.name)}, '')" for c in descriptor.columns)
    return f"md5(concat_ws(chr(31), {values}))"


def _stage_events(
    con: duckdb.DuckDBPyConnection,
    descriptor: SourceDescriptor,
    mapping: MappingSet | None,
    result: FileResult,
    _sex_codes: dict[str, str],
) -> tuple[str, list[str]]:
    file = sql_text(result.file)
    # A code outside the code list is a data error, so the whole row is suspect and yields no event; a
    # known code without a concept (NoTermFound, narrow/related only) is a mapping decision and costs
    # only its own cell.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE cells AS SELECT u.source_row, u.code_column, u.code, "
        "coalesce(s.status, 'unmapped_code') AS status, "
        "bool_or(s.status IS NULL) OVER (PARTITION BY u.source_row) AS suspect "
        f"FROM ({_code_cells(descriptor)}) u LEFT JOIN map_status s ON s.code = u.code"
    )
    sid = sql_text(descriptor.id)
    events = scalar(
        con,
        "INSERT INTO event_stage SELECT "
        f"{sid} || '-' || substr(md5({file} || ':' || r.source_row || ':' || c.code_column || ':' || m.concept), 1, 20), "
        f"r._person, {sid}, m.concept, c.code, {sql_text(descriptor.code_system)}, m.predicate, "
        f"r._start, r._end, r._value, r._weight, r._region, {file}, r.source_row "
        "FROM cells c JOIN map_assign m ON m.code = c.code JOIN checked r ON r.source_row = c.source_row "
        f"WHERE c.status = '{MAPPED}' AND NOT c.suspect "
        # source_row, concept, source_code, id: the event table's sort order within a file (schema.SORT_KEYS),
        # so that the stage, filled file by file in path order, is already in store order (store.write_store).
        "ORDER BY 14, 4, 5, 1",
    )
    result.events = events
    staged = f"SELECT DISTINCT source_row FROM cells WHERE status = '{MAPPED}' AND NOT suspect"
    # What identifies a row across the source's files (its record id, else all its values), so that an
    # extract delivered twice under two names is harmonised once (resolve_duplicates).
    con.execute(
        f"INSERT INTO event_record SELECT {sid}, _identity, {'false' if _has_record_id(descriptor) else 'true'}, "
        f"{file}, source_row FROM checked WHERE source_row IN ({staged}) AND _identity IS NOT NULL"
    )
    return staged, _code_quarantine(descriptor, mapping)


def _person_carry(descriptor: SourceDescriptor) -> dict[str, str]:
    key, sex, birth = (
        descriptor.column("person_key"),
        descriptor.column("sex"),
        descriptor.column("birth_year"),
    )
    if key is None or sex is None or birth is None:
        raise InputError(
            f"{descriptor.path}: the person register {descriptor.id!r} needs person_key, sex and "
            "birth_year columns"
        )
    levels = {region_level(c): c for c in descriptor.columns_with_role("region")}
    if "gemeente" not in levels and "wijk" not in levels and "buurt" not in levels:
        raise InputError(
            f"{descriptor.path}: the person register needs a residence region column (GM/WK/BU pattern)"
        )
    b, w, g = levels.get("buurt"), levels.get("wijk"), levels.get("gemeente")
    buurt = quoted(b.name) if b else "CAST(NULL AS VARCHAR)"
    wijk = quoted(w.name) if w else (f"'WK' || substr({buurt}, 3, 6)" if b else "CAST(NULL AS VARCHAR)")
    gemeente = quoted(g.name) if g else f"'GM' || substr(coalesce({wijk}, {buurt}), 3, 4)"
    # The birth year is cast only where the row passed its checks (in _stage_persons), as before.
    return {
        "_person": quoted(key.name),
        "_sex": quoted(sex.name),
        "_birth": quoted(birth.name),
        "_gemeente": gemeente,
        "_wijk": wijk,
        "_buurt": buurt,
    }


def _stage_persons(
    con: duckdb.DuckDBPyConnection,
    descriptor: SourceDescriptor,
    _mapping: MappingSet | None,
    result: FileResult,
    sex_codes: dict[str, str],
) -> tuple[str, list[str]]:
    file = sql_text(result.file)
    sex = descriptor.column("sex")
    assert sex is not None  # _person_carry checked it
    con.execute("CREATE OR REPLACE TEMP TABLE sex_map (code VARCHAR, sex VARCHAR)")
    if sex_codes:
        con.executemany("INSERT INTO sex_map VALUES (?, ?)", sorted(sex_codes.items()))
    con.execute(
        "INSERT INTO person_stage SELECT c._person, m.sex, CAST(c._birth AS INTEGER), c._gemeente, c._wijk, c._buurt, "
        f"{file}, c.source_row FROM checked c JOIN sex_map m ON m.code = c._sex WHERE c.reason IS NULL"
    )
    staged = "SELECT c.source_row FROM checked c JOIN sex_map m ON m.code = c._sex WHERE c.reason IS NULL"
    unmapped = (
        f"SELECT source_row, 'unmapped_code', {sql_text(sex.name)}, 'sex code ' || left(_sex, 40) || "
        "' is not in the code list' FROM checked WHERE reason IS NULL AND _sex NOT IN (SELECT code FROM sex_map)"
    )
    return staged, [unmapped]


def _author_column(descriptor: SourceDescriptor) -> str:
    others = descriptor.columns_with_role("other")
    named = [c for c in others if c.name.lower() in ("author", "auteur")]
    if named or len(others) == 1:
        return (named or others)[0].name
    raise InputError(
        f"{descriptor.path}: narrative source {descriptor.id!r} needs an author column "
        "(a column named 'auteur'/'author', or a single column with role other)"
    )


def _note_carry(descriptor: SourceDescriptor) -> dict[str, str]:
    text, start, record = (
        descriptor.column("text"),
        descriptor.column("start_date"),
        descriptor.column("record_id"),
    )
    if text is None or start is None or record is None:
        raise InputError(
            f"{descriptor.path}: narrative source {descriptor.id!r} needs record_id, text and start_date"
        )
    note_id = (
        f"{sql_text(descriptor.id)} || '-' || trim(regexp_replace(lower({quoted(record.name)}), "
        "'[^a-z0-9]+', '-', 'g'), '-')"
    )
    return {
        "_note": note_id,
        "_author": quoted(_author_column(descriptor)),
        "_start": date_expr(start.name),
        "_region": _region_expr(descriptor, prefix=""),
        "_text": quoted(text.name),
        **_code_carry(descriptor),
    }


def _stage_notes(
    con: duckdb.DuckDBPyConnection,
    descriptor: SourceDescriptor,
    mapping: MappingSet | None,
    result: FileResult,
    _sex_codes: dict[str, str],
) -> tuple[str, list[str]]:
    file = sql_text(result.file)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE cells AS SELECT u.source_row, u.code_column, u.code, "
        f"coalesce(CASE WHEN s.status = '{NOT_ASSIGNABLE}' THEN '{MAPPED}' ELSE s.status END, 'unmapped_code') "
        f"AS status FROM ({_code_cells(descriptor)}) u LEFT JOIN map_status s ON s.code = u.code"
    )
    con.execute(
        "INSERT INTO note_stage SELECT r._note, r._author, r._start, r._region, a.concept, CAST(NULL AS VARCHAR), "
        f"r._text, CAST(NULL AS VARCHAR), {file}, r.source_row "
        f"FROM checked r JOIN (SELECT source_row, min(code) AS code FROM cells WHERE status = '{MAPPED}' GROUP BY 1) c "
        "ON c.source_row = r.source_row LEFT JOIN map_about a ON a.code = c.code"
    )
    staged = f"SELECT DISTINCT source_row FROM cells WHERE status = '{MAPPED}'"
    return staged, _code_quarantine(descriptor, mapping)
