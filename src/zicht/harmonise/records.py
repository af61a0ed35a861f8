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
from dataclasses import dataclass, field

import duckdb

from zicht.errors import InputError
from zicht.harmonise.checks import date_expr, reason_select, region_level, sql_text
from zicht.harmonise.schema import quoted
from zicht.mappings.descriptor import SourceDescriptor
from zicht.mappings.mapping_set import MAPPED, NO_TERM, NOT_ASSIGNABLE, MappingSet

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
        con.executemany("INSERT INTO map_assign VALUES (?, ?, ?)",
                        [(a.code, a.concept, a.predicate) for a in mapping.assignments])
    about = [(code, a.concept) for code in sorted(mapping.status) if (a := mapping.about(code)) is not None]
    if about:
        con.executemany("INSERT INTO map_about VALUES (?, ?)", about)


def stage_file(con: duckdb.DuckDBPyConnection, descriptor: SourceDescriptor, mapping: MappingSet | None,
               kind: str, result: FileResult, *, max_birth_year: int, sex_codes: dict[str, str] | None = None,
               known_regions: bool = False, flagged: list[tuple[int, str, str, str]] | None = None) -> None:
    """Check the rows of temp table `raw` and stage them; fills ``result``'s counts. ``flagged`` rows
    (source_row, reason, column, detail) were found before the checks: bytes not valid in the declared
    encoding, or a BSN when BSN rows are quarantined instead of refusing the file."""
    con.execute("CREATE OR REPLACE TEMP TABLE flagged (source_row BIGINT, reason VARCHAR, \"column\" VARCHAR, "
                "detail VARCHAR)")
    if flagged:
        con.executemany("INSERT INTO flagged VALUES (?, ?, ?, ?)", flagged)
    select = reason_select(descriptor, "raw", max_birth_year, known_regions=known_regions,
                           flagged="flagged" if flagged else None)
    con.execute(f"CREATE OR REPLACE TEMP TABLE checked AS {select}")
    result.rows_read = con.execute("SELECT count(*) FROM raw").fetchone()[0]
    file = sql_text(result.file)
    sid = sql_text(descriptor.id)
    con.execute(
        "INSERT INTO quarantine SELECT "
        f"{sid}, {file}, source_row, reason, \"column\", detail FROM checked WHERE reason IS NOT NULL"
    )
    if kind == KIND_EVENTS:
        _stage_events(con, descriptor, mapping, result)
    elif kind == KIND_PERSONS:
        _stage_persons(con, descriptor, result, sex_codes or {})
    elif kind == KIND_NOTES:
        _stage_notes(con, descriptor, mapping, result)
    else:  # pragma: no cover - guarded by the caller
        raise ValueError(kind)
    # One reason per quarantined row (a row whose code cells fail for different reasons takes the first),
    # so that the reasons add up to rows read minus rows harmonised.
    for reason, n in con.execute(
        f"SELECT reason, count(*) FROM (SELECT source_row, min(reason) AS reason FROM quarantine "
        f"WHERE source_file = {file} AND source_row NOT IN (SELECT source_row FROM staged_rows) GROUP BY 1) GROUP BY 1"
    ).fetchall():
        result.quarantined[reason] += n
    result.cells_quarantined = con.execute(
        f"SELECT count(*) FROM quarantine WHERE source_file = {file} "
        "AND source_row IN (SELECT source_row FROM staged_rows)").fetchone()[0]
    start = descriptor.column("start_date")
    if start is not None:
        lo, hi = con.execute(
            f"SELECT min({date_expr(start.name)}), max({date_expr(start.name)}) FROM raw "
            "WHERE source_row IN (SELECT source_row FROM staged_rows)").fetchone()
        result.first_date, result.last_date = (str(lo) if lo else None), (str(hi) if hi else None)


def _region_expr(descriptor: SourceDescriptor, prefix: str = "r.") -> str:
    """The most specific region column of a row (buurt, then wijk, then gemeente, then undeclared level)."""
    rank = {"buurt": 0, "wijk": 1, "gemeente": 2, None: 3}
    cols = sorted(descriptor.columns_with_role("region"), key=lambda c: rank[region_level(c)])
    if not cols:
        return "CAST(NULL AS VARCHAR)"
    return "coalesce(" + ", ".join(prefix + quoted(c.name) for c in cols) + ")"


def _code_cells(descriptor: SourceDescriptor) -> str:
    codes = descriptor.columns_with_role("code")
    if not codes:
        raise InputError(f"{descriptor.path}: source {descriptor.id!r} declares no column with role code")
    return " UNION ALL ".join(
        f"SELECT source_row, {sql_text(c.name)} AS code_column, {quoted(c.name)} AS code FROM raw "
        f"WHERE {quoted(c.name)} IS NOT NULL" for c in codes
    )


def _quarantine_codes(con: duckdb.DuckDBPyConnection, descriptor: SourceDescriptor, mapping: MappingSet | None,
                      file: str) -> None:
    label = f"{mapping.mapping_set_id} {mapping.version}" if mapping else "(none)"
    details = " ".join(f"WHEN {sql_text(k)} THEN {sql_text(v)}" for k, v in _CODE_DETAIL.items())
    con.execute(
        f"INSERT INTO quarantine SELECT {sql_text(descriptor.id)}, {file}, source_row, status, code_column, "
        f"'code ' || left(code, 40) || ' ' || CASE status {details} END || ' ' || {sql_text(label)} "
        f"FROM cells WHERE status <> '{MAPPED}'"
    )
    # A row that passes every check but has no code at all must still end up somewhere.
    names = ", ".join(c.name for c in descriptor.columns_with_role("code"))
    con.execute(
        f"INSERT INTO quarantine SELECT {sql_text(descriptor.id)}, {file}, source_row, 'missing_value', "
        f"{sql_text(names)}, 'no code in any code column' FROM checked "
        "WHERE reason IS NULL AND source_row NOT IN (SELECT source_row FROM cells)"
    )


def _stage_events(con: duckdb.DuckDBPyConnection, descriptor: SourceDescriptor, mapping: MappingSet | None,
                  result: FileResult) -> None:
    file = sql_text(result.file)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE cells AS SELECT u.source_row, u.code_column, u.code, "
        f"coalesce(s.status, 'unmapped_code') AS status FROM ({_code_cells(descriptor)}) u "
        "JOIN checked c ON c.source_row = u.source_row AND c.reason IS NULL "
        "LEFT JOIN map_status s ON s.code = u.code"
    )
    _quarantine_codes(con, descriptor, mapping, file)
    # A code outside the code list is a data error, so the whole row is suspect and yields no event; a
    # known code without a concept (NoTermFound, narrow/related only) is a mapping decision and costs
    # only its own cell.
    con.execute("CREATE OR REPLACE TEMP TABLE suspect AS SELECT DISTINCT source_row FROM cells "
                "WHERE status = 'unmapped_code'")
    key = descriptor.column("person_key")
    start = descriptor.column("start_date")
    if key is None or start is None:
        raise InputError(f"{descriptor.path}: source {descriptor.id!r} needs a person_key and a start_date column")
    end = descriptor.column("end_date")
    value, weight = descriptor.column("value"), descriptor.column("weight")
    end_sql = date_expr((end or start).name, "r.")  # point events end where they start
    value_sql = f"TRY_CAST(r.{quoted(value.name)} AS DOUBLE)" if value else "CAST(NULL AS DOUBLE)"
    weight_sql = f"TRY_CAST(r.{quoted(weight.name)} AS DOUBLE)" if weight else "CAST(NULL AS DOUBLE)"
    sid = sql_text(descriptor.id)
    con.execute(
        "INSERT INTO event_stage SELECT "
        f"{sid} || '-' || substr(md5({file} || ':' || r.source_row || ':' || c.code_column || ':' || m.concept), 1, 20), "
        f"r.{quoted(key.name)}, {sid}, m.concept, c.code, {sql_text(descriptor.code_system)}, m.predicate, "
        f"{date_expr(start.name, 'r.')}, {end_sql}, "
        f"{value_sql}, {weight_sql}, {_region_expr(descriptor)}, {file}, r.source_row "
        "FROM cells c JOIN map_assign m ON m.code = c.code JOIN raw r ON r.source_row = c.source_row "
        f"WHERE c.status = '{MAPPED}' AND c.source_row NOT IN (SELECT source_row FROM suspect)"
    )
    con.execute("CREATE OR REPLACE TEMP TABLE staged_rows AS SELECT DISTINCT source_row FROM cells "
                f"WHERE status = '{MAPPED}' AND source_row NOT IN (SELECT source_row FROM suspect)")
    # What identifies a row across the source's files (its record id, else all its values), so that an
    # extract delivered twice under two names is harmonised once (resolve_duplicates).
    record = descriptor.column("record_id")
    if record is not None:
        identity, by_content = f"r.{quoted(record.name)}", "false"
    else:
        values = ", ".join(f"coalesce(r.{quoted(c.name)}, '')" for c in descriptor.columns)
        identity, by_content = f"md5(concat_ws(chr(31), {values}))", "true"
    con.execute(f"INSERT INTO event_record SELECT {sid}, {identity}, {by_content}, {file}, r.source_row FROM raw r "
                f"WHERE r.source_row IN (SELECT source_row FROM staged_rows) AND {identity} IS NOT NULL")
    result.rows_harmonised = con.execute("SELECT count(*) FROM staged_rows").fetchone()[0]
    result.events = con.execute(
        f"SELECT count(*) FROM cells c JOIN map_assign m ON m.code = c.code WHERE c.status = '{MAPPED}' "
        "AND c.source_row NOT IN (SELECT source_row FROM suspect)").fetchone()[0]


def _stage_persons(con: duckdb.DuckDBPyConnection, descriptor: SourceDescriptor, result: FileResult,
                   sex_codes: dict[str, str]) -> None:
    file = sql_text(result.file)
    key, sex, birth = descriptor.column("person_key"), descriptor.column("sex"), descriptor.column("birth_year")
    if key is None or sex is None or birth is None:
        raise InputError(f"{descriptor.path}: the person register {descriptor.id!r} needs person_key, sex and "
                         "birth_year columns")
    levels = {region_level(c): c for c in descriptor.columns_with_role("region")}
    if "gemeente" not in levels and "wijk" not in levels and "buurt" not in levels:
        raise InputError(f"{descriptor.path}: the person register needs a residence region column (GM/WK/BU pattern)")
    con.execute("CREATE OR REPLACE TEMP TABLE sex_map (code VARCHAR, sex VARCHAR)")
    if sex_codes:
        con.executemany("INSERT INTO sex_map VALUES (?, ?)", sorted(sex_codes.items()))
    sex_col = quoted(sex.name)
    con.execute(
        f"INSERT INTO quarantine SELECT {sql_text(descriptor.id)}, {file}, r.source_row, 'unmapped_code', "
        f"{sql_text(sex.name)}, 'sex code ' || left(r.{sex_col}, 40) || ' is not in the code list' "
        f"FROM raw r JOIN checked c ON c.source_row = r.source_row AND c.reason IS NULL "
        f"WHERE r.{sex_col} NOT IN (SELECT code FROM sex_map)"
    )
    b, w, g = levels.get("buurt"), levels.get("wijk"), levels.get("gemeente")
    buurt = f"r.{quoted(b.name)}" if b else "CAST(NULL AS VARCHAR)"
    wijk = f"r.{quoted(w.name)}" if w else (f"'WK' || substr({buurt}, 3, 6)" if b else "CAST(NULL AS VARCHAR)")
    gemeente = f"r.{quoted(g.name)}" if g else f"'GM' || substr(coalesce({wijk}, {buurt}), 3, 4)"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE staged AS SELECT r.{quoted(key.name)}, m.sex, CAST(r.{quoted(birth.name)} AS INTEGER), "
        f"{gemeente}, {wijk}, {buurt}, {file}, r.source_row FROM raw r "
        "JOIN checked c ON c.source_row = r.source_row AND c.reason IS NULL "
        f"JOIN sex_map m ON m.code = r.{sex_col}"
    )
    con.execute("INSERT INTO person_stage SELECT * FROM staged")
    con.execute("CREATE OR REPLACE TEMP TABLE staged_rows AS SELECT source_row FROM staged")
    result.rows_harmonised = con.execute("SELECT count(*) FROM staged_rows").fetchone()[0]


def _author_column(descriptor: SourceDescriptor) -> str:
    others = descriptor.columns_with_role("other")
    named = [c for c in others if c.name.lower() in ("author", "auteur")]
    if named or len(others) == 1:
        return (named or others)[0].name
    raise InputError(f"{descriptor.path}: narrative source {descriptor.id!r} needs an author column "
                     "(a column named 'auteur'/'author', or a single column with role other)")


def _stage_notes(con: duckdb.DuckDBPyConnection, descriptor: SourceDescriptor, mapping: MappingSet | None,
                 result: FileResult) -> None:
    file = sql_text(result.file)
    text, start, record = descriptor.column("text"), descriptor.column("start_date"), descriptor.column("record_id")
    if text is None or start is None or record is None:
        raise InputError(f"{descriptor.path}: narrative source {descriptor.id!r} needs record_id, text and start_date")
    author = _author_column(descriptor)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE cells AS SELECT u.source_row, u.code_column, u.code, "
        f"coalesce(CASE WHEN s.status = '{NOT_ASSIGNABLE}' THEN '{MAPPED}' ELSE s.status END, 'unmapped_code') "
        f"AS status FROM ({_code_cells(descriptor)}) u "
        "JOIN checked c ON c.source_row = u.source_row AND c.reason IS NULL LEFT JOIN map_status s ON s.code = u.code"
    )
    _quarantine_codes(con, descriptor, mapping, file)
    note_id = (f"{sql_text(descriptor.id)} || '-' || trim(regexp_replace(lower(r.{quoted(record.name)}), "
               "'[^a-z0-9]+', '-', 'g'), '-')")
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE staged AS SELECT {note_id}, r.{quoted(author)}, "
        f"{date_expr(start.name, 'r.')}, {_region_expr(descriptor)}, "
        f"a.concept, CAST(NULL AS VARCHAR), r.{quoted(text.name)}, CAST(NULL AS VARCHAR), {file}, r.source_row "
        f"FROM raw r JOIN (SELECT source_row, min(code) AS code FROM cells WHERE status = '{MAPPED}' GROUP BY 1) c "
        "ON c.source_row = r.source_row LEFT JOIN map_about a ON a.code = c.code"
    )
    con.execute("INSERT INTO note_stage SELECT * FROM staged")
    con.execute("CREATE OR REPLACE TEMP TABLE staged_rows AS SELECT source_row FROM staged")
    result.rows_harmonised = con.execute("SELECT count(*) FROM staged_rows").fetchone()[0]
