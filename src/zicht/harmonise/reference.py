"""Reference tables of the store: `source` and `source_coverage` from the descriptors, `region` and
`population` from the package's CBS region data (`zicht.regions`)."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from zicht.harmonise.schema import TABLES, column_list, quoted
from zicht.mappings.descriptor import SourceDescriptor
from zicht.mappings.mapping_set import MappingSet


def _insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        return
    casts = ", ".join(f"CAST({quoted(c)} AS {t}) AS {quoted(c)}" for c, t in TABLES[table])
    con.register("_frame", frame)
    try:
        con.execute(f"INSERT INTO {table} ({column_list(table)}) SELECT {casts} FROM _frame")
    finally:
        con.unregister("_frame")


def _iso(value: object) -> str | None:
    if value is None or value == "":
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def load_sources(
    con: duckdb.DuckDBPyConnection,
    descriptors: list[SourceDescriptor],
    mappings: dict[str, MappingSet | None],
) -> None:
    rows, coverage = [], []
    for d in descriptors:
        m = mappings.get(d.id)
        start, end = d.period
        rows.append(
            {
                "id": d.id,
                "title": d.data.get("title"),
                "kind": d.kind,
                "owner": d.data.get("owner"),
                "code_system": d.code_system,
                "mapping_set_id": m.mapping_set_id if m else d.mapping_set_id,
                "mapping_set_version": m.version if m else None,
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
            }
        )
        for c in d.coverage:
            coverage.append(
                {
                    "source_id": d.id,
                    "gemeente_code": c.get("gemeente_code"),
                    "coverage_status": c.get("coverage_status"),
                    "start_date": _iso(c.get("start_date")),
                    "end_date": _iso(c.get("end_date")),
                    "remark": c.get("remark"),
                }
            )
    _insert_frame(con, "source", pd.DataFrame(rows, columns=[c for c, _ in TABLES["source"]]))
    _insert_frame(
        con, "source_coverage", pd.DataFrame(coverage, columns=[c for c, _ in TABLES["source_coverage"]])
    )


def load_region_table(con: duckdb.DuckDBPyConnection) -> bool:
    """All regions of the 2024 layout (NL, Twente, gemeenten, wijken, synthetic buurten); False when the
    package's region data are not installed (then region codes are checked by pattern only)."""
    try:
        from zicht import regions as cbs
    except ImportError:
        return False
    _insert_frame(con, "region", cbs.regions())
    return True


def load_population(con: duckdb.DuckDBPyConnection, gemeenten: list[str]) -> str:
    """Population: land and regio for all of NL, gemeente/wijk/buurt for the gemeenten of the run.
    Returns a note for the manifest."""
    try:
        from zicht import regions as cbs
    except ImportError as exc:  # the region package is optional data; say so in the manifest
        return f"region and population tables left empty: zicht.regions unavailable ({exc})"
    frames = [cbs.population(("land", "regio"))]
    if gemeenten:
        frames.append(cbs.population(("gemeente", "wijk", "buurt"), gemeente_filter=sorted(gemeenten)))
    _insert_frame(con, "population", pd.concat(frames, ignore_index=True))
    return (
        "regions: CBS 2024 (CC BY 4.0) with synthetic buurten; population: modelled age split of CBS counts, "
        "gemeente/wijk/buurt rows for the gemeenten of the population register"
    )
