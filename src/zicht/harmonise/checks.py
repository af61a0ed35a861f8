"""Row checks driven by the source descriptor: each row gets the first reason it cannot be harmonised.

The checks are declared data (the descriptor's columns: role, datatype, required, pattern), turned into
one SQL CASE per file so that DuckDB checks millions of rows in one pass. A reason is a stable code
(docs/stewards.md lists them); `detail` shows the offending value only for columns that cannot hold an
identifier (codes, dates, numbers, regions), never for person keys, record ids or free text.
"""

from __future__ import annotations

from dataclasses import dataclass

from zicht.mappings.descriptor import Column, SourceDescriptor
from zicht.regions.codes import level_of_pattern, region_code_pattern
from zicht.sql import quoted, sql_text

PSEUDONYM = r"^[0-9a-f]{16,64}$"
REGION_CODE = region_code_pattern()  # the model's RegionCode: CBS codes and zicht's synthetic buurten
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# No source holds events of living persons from before this day: earlier dates (0000-01-01, 1800-01-01)
# are typing or export errors, far before any source's period, and would distort every window.
EARLIEST_DATE = "1900-01-01"
_SHOWN_ROLES = frozenset({"code", "start_date", "end_date", "value", "weight", "region", "sex", "birth_year"})


def date_expr(column: str, prefix: str = "") -> str:
    """A text column as DATE, NULL when empty or not a real ISO date."""
    col = prefix + quoted(column)
    return f"CAST(CASE WHEN regexp_full_match({col}, '{ISO_DATE}') THEN try_strptime({col}, '%Y-%m-%d') END AS DATE)"


@dataclass(frozen=True)
class Check:
    condition: str  # SQL, true when the row fails
    reason: str
    column: str
    detail: str  # SQL expression for the detail text


def _shown(col: Column) -> str:
    ref = quoted(col.name)
    if col.role in _SHOWN_ROLES:
        return f"' (value ' || left({ref}, 40) || ')'"
    return "''"


def column_checks(
    descriptor: SourceDescriptor, max_birth_year: int, *, known_regions: bool = False
) -> list[Check]:
    """The checks of every declared column; with ``known_regions`` region codes must exist in `region`."""
    checks: list[Check] = []
    period_end = descriptor.period[1].isoformat()
    for col in descriptor.columns:
        ref = quoted(col.name)
        name = sql_text(col.name)
        if col.required:
            checks.append(Check(f"{ref} IS NULL", "missing_value", col.name, f"{name} || ' is empty'"))
        if col.role == "person_key":
            checks.append(
                Check(
                    f"NOT regexp_full_match({ref}, '{PSEUDONYM}')",
                    "invalid_person_key",
                    col.name,
                    "'not a pseudonym (16-64 lowercase hex digits); value not shown'",
                )
            )
        if col.pattern:
            checks.append(
                Check(
                    f"NOT regexp_matches({ref}, {sql_text(col.pattern)})",
                    "pattern_mismatch",
                    col.name,
                    f"'does not match ' || {sql_text(col.pattern)} || {_shown(col)}",
                )
            )
        if col.datatype == "date":
            checks.append(
                Check(
                    f"{ref} IS NOT NULL AND {date_expr(col.name)} IS NULL",
                    "bad_date",
                    col.name,
                    f"'not a date YYYY-MM-DD' || {_shown(col)}",
                )
            )
            checks.append(
                Check(
                    f"{date_expr(col.name)} < DATE '{EARLIEST_DATE}'",
                    "before_period",
                    col.name,
                    f"'before {EARLIEST_DATE}, long before the source period from "
                    f"{descriptor.period[0].isoformat()}' || {_shown(col)}",
                )
            )
        elif col.datatype == "integer":
            checks.append(
                Check(
                    f"{ref} IS NOT NULL AND TRY_CAST({ref} AS BIGINT) IS NULL",
                    "bad_integer",
                    col.name,
                    f"'not a whole number' || {_shown(col)}",
                )
            )
        elif col.datatype == "decimal":
            checks.append(
                Check(
                    f"{ref} IS NOT NULL AND TRY_CAST({ref} AS DOUBLE) IS NULL",
                    "bad_decimal",
                    col.name,
                    f"'not a number' || {_shown(col)}",
                )
            )
        if col.role == "region":
            checks.append(
                Check(
                    f"NOT regexp_full_match({ref}, '{REGION_CODE}')",
                    "bad_region",
                    col.name,
                    f"'not a CBS region code nor a zicht synthetic buurt code' || {_shown(col)}",
                )
            )
            if known_regions:  # the alias is the left join to `region` made in reason_select
                checks.append(
                    Check(
                        f"{ref} IS NOT NULL AND {region_alias(col.name)} IS NULL",
                        "unknown_region",
                        col.name,
                        f"'no such region in the 2024 layout' || {_shown(col)}",
                    )
                )
        if col.role == "start_date":
            checks.append(
                Check(
                    f"{date_expr(col.name)} > DATE '{period_end}'",
                    "after_period",
                    col.name,
                    f"'after the end of the source period {period_end}' || {_shown(col)}",
                )
            )
        if col.role == "weight":
            checks.append(
                Check(
                    f"TRY_CAST({ref} AS DOUBLE) < 0",
                    "bad_decimal",
                    col.name,
                    f"'a design weight cannot be negative' || {_shown(col)}",
                )
            )
        if col.role == "birth_year":
            checks.append(
                Check(
                    f"TRY_CAST({ref} AS BIGINT) NOT BETWEEN 1900 AND {max_birth_year}",
                    "implausible_birth_year",
                    col.name,
                    f"'outside 1900-{max_birth_year}' || {_shown(col)}",
                )
            )
    start, end = descriptor.column("start_date"), descriptor.column("end_date")
    if start is not None and end is not None:
        checks.append(
            Check(
                f"{date_expr(end.name)} < {date_expr(start.name)}",
                "end_before_start",
                end.name,
                f"'ends ' || {quoted(end.name)} || ' before it starts ' || {quoted(start.name)}",
            )
        )
    checks.extend(_region_consistency(descriptor))
    return checks


def _region_consistency(descriptor: SourceDescriptor) -> list[Check]:
    """A wijk or buurt code must lie in the gemeente (and wijk) given in the same row."""
    cols = {level: c for c in descriptor.columns_with_role("region") if (level := region_level(c))}
    checks = []
    pairs = [("wijk", "gemeente", 4), ("buurt", "gemeente", 4), ("buurt", "wijk", 6)]
    for inner, outer, digits in pairs:
        if inner in cols and outer in cols:
            a, b = quoted(cols[inner].name), quoted(cols[outer].name)
            checks.append(
                Check(
                    f"substr({a}, 3, {digits}) <> substr({b}, 3, {digits})",
                    "inconsistent_region",
                    cols[inner].name,
                    f"{a} || ' does not lie in ' || {b}",
                )
            )
    return checks


def region_alias(column: str) -> str:
    return quoted("_region_" + column)


def region_level(col: Column) -> str | None:
    """gemeente / wijk / buurt from the column's declared pattern (GM/WK/BU), else None."""
    return level_of_pattern(col.pattern)


def reason_select(
    descriptor: SourceDescriptor,
    table: str,
    max_birth_year: int,
    *,
    known_regions: bool = False,
    flagged: str | None = None,
    carry: dict[str, str] | None = None,
) -> str:
    """SELECT source_row, reason, column, detail for every row of ``table`` (reason NULL = passes), plus one
    column per ``carry`` entry (alias → SQL expression over the row's columns), so that staging reads the
    typed values from this one pass instead of going back to ``table``.

    An exact repeat of an earlier row of the file is `duplicate_row`; the original stays.
    """
    cols = [quoted(c.name) for c in descriptor.columns]
    checks = column_checks(descriptor, max_birth_year, known_regions=known_regions)
    dup = Check("_dup_first < source_row", "duplicate_row", "", "'same values as row ' || _dup_first")
    ordered = [dup, *checks]
    if flagged:  # rows flagged before the checks (undecodable bytes, a BSN) keep that reason
        ordered.insert(0, Check("_flag_reason IS NOT NULL", "", "", ""))

    def pick(c: Check, part: str) -> str:
        if c.condition == "_flag_reason IS NOT NULL":
            return {"reason": "_flag_reason", "column": "_flag_column", "detail": "_flag_detail"}[part]
        return {"reason": sql_text(c.reason), "column": sql_text(c.column), "detail": c.detail}[part]

    # A date column's typed value (a regexp and a strptime per row) is used by up to five checks and the
    # carried start/end: it is computed once per row, as a column of its own, and the checks and carried
    # expressions refer to that column instead of repeating the expression (DuckDB does not factor out a
    # CASE repeated across projections).
    carry = dict(carry or {})
    typed = {}
    texts = [c.condition for c in ordered] + [c.detail for c in ordered] + list(carry.values())
    for i, col in enumerate(descriptor.columns):
        expr = date_expr(col.name)
        if any(expr in text for text in texts):
            typed[expr] = quoted(f"_date{i}")

    def factored(text: str) -> str:
        for expr, alias in typed.items():
            text = text.replace(expr, alias)
        return text

    ordered = [Check(factored(c.condition), c.reason, c.column, factored(c.detail)) for c in ordered]
    carry = {alias: factored(expr) for alias, expr in carry.items()}
    dates_sql = "".join(f", {expr} AS {alias}" for expr, alias in typed.items())
    # Each condition is evaluated once into a flag column; the three CASEs then only test the flags.
    flags_sql = ", ".join(f"({c.condition}) AS _f{i}" for i, c in enumerate(ordered))
    reason = (
        "CASE " + " ".join(f"WHEN _f{i} THEN {pick(c, 'reason')}" for i, c in enumerate(ordered)) + " END"
    )
    column = (
        "CASE " + " ".join(f"WHEN _f{i} THEN {pick(c, 'column')}" for i, c in enumerate(ordered)) + " END"
    )
    detail = (
        "CASE " + " ".join(f"WHEN _f{i} THEN {pick(c, 'detail')}" for i, c in enumerate(ordered)) + " END"
    )
    joins, found = "", ""
    if flagged:
        joins += (
            f' LEFT JOIN (SELECT source_row AS _flag_row, min(reason) AS _flag_reason, min("column") AS '
            f"_flag_column, min(detail) AS _flag_detail FROM {flagged} GROUP BY 1) ON _flag_row = t.source_row"
        )
        found += "_flag_reason, _flag_column, _flag_detail, "
    if known_regions:
        for col in descriptor.columns_with_role("region"):
            alias = region_alias(col.name)
            joins += f" LEFT JOIN (SELECT id FROM region) {alias} ON {alias}.id = t.{quoted(col.name)}"
            found += f"{alias}.id AS {alias}, "
    carried = "".join(f", {expr} AS {quoted(alias)}" for alias, expr in carry.items())
    return (
        f"SELECT source_row, {reason} AS reason, NULLIF({column}, '') AS \"column\", {detail} AS detail{carried} FROM ("
        f"SELECT *, {flags_sql} FROM (SELECT *{dates_sql} FROM ("
        f"SELECT t.*, {found}_dup._dup_first FROM {table} t{joins} "
        f"LEFT JOIN ({_repeats(table, cols)}) _dup ON _dup._dup_row = t.source_row)))"
    )


def _repeats(table: str, cols: list[str]) -> str:
    """(row, first row with the same values) for the rows whose values occur more than once in the file.

    Exact repeats are rare, so candidates come from a 64-bit hash of the row's values (one hash aggregate,
    no sort of the file); only those rows are compared by their values, so a hash collision costs a
    comparison, never a row. Equal values include equal NULLs, as in GROUP BY.
    """
    values = ", ".join(cols)
    return (
        f"SELECT source_row AS _dup_row, min(source_row) OVER (PARTITION BY {values}) AS _dup_first "
        f"FROM {table} WHERE hash({values}) IN (SELECT _h FROM (SELECT hash({values}) AS _h FROM {table}) "
        "GROUP BY _h HAVING count(*) > 1)"
    )
