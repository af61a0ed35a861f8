"""A small hand-made store for compare tests: two gemeenten, three wijken, known members."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from zicht.disclosure.record_keys import record_key
from zicht.engines.store import COLUMNS, TEST_RELEASE_KEY

R = dt.date(2024, 12, 31)


def tables() -> dict[str, pd.DataFrame]:
    """GM1 (wijken WK1: 40 persons, WK2: 40) and GM2 (WK3: 20). Everyone is 40 years old.
    Events: p0..p29 specialised GGZ; p20..p44 an E33 report (source politie-e33); p0..p4 debt
    counselling from `schuldhulp`, which covers GM1 only. GM2 has no E33 coverage."""
    persons = []
    for i in range(100):
        wijk = "WK1" if i < 40 else ("WK2" if i < 80 else "WK3")
        persons.append(
            {
                "id": f"p{i:03d}",
                "sex": "female" if i % 2 else "male",
                "birth_year": 1984,
                "residence_gemeente": "GM1" if wijk != "WK3" else "GM2",
                "residence_wijk": wijk,
                "residence_buurt": None,
            }
        )
    events = []
    for i in range(30):
        events.append(_event(i, "zvw-ggz", "zc:ggz_specialised_outpatient"))
    for i in range(20, 45):
        events.append(_event(i, "politie-e33", "zc:safety_e33"))
    for i in range(5):
        events.append(_event(i, "schuldhulp", "zc:context_debt_counselling"))
    for i in range(0, 100, 2):  # every second person answered the survey, K10 = 30 for i % 4 == 0
        events.append(
            _event(i, "ggd-monitor", "zc:psy_distress", value=30.0 if i % 4 == 0 else 12.0, weight=2.0)
        )
    population = [
        {"region_code": code, "year": 2024, "sex": sex, "age_min": 40, "age_max": 40, "count": n}
        for code, n in (
            ("GM1", 400),
            ("GM2", 100),
            ("WK1", 200),
            ("WK2", 200),
            ("WK3", 100),
            ("NL01", 100000),
        )
        for sex in ("male", "female")
    ]
    regions = [
        {"id": "NL01", "name": "Nederland", "level": "land"},
        {"id": "GM1", "name": "Eerstegem", "level": "gemeente", "parent": "NL01"},
        {"id": "GM2", "name": "Tweedegem", "level": "gemeente", "parent": "NL01"},
        {"id": "WK1", "name": "Noord", "level": "wijk", "parent": "GM1"},
        {"id": "WK2", "name": "Zuid", "level": "wijk", "parent": "GM1"},
        {"id": "WK3", "name": "Dorp", "level": "wijk", "parent": "GM2"},
    ]
    sources = [
        {"id": "zvw-ggz", "kind": "registration"},
        {"id": "politie-e33", "kind": "registration"},
        {"id": "schuldhulp", "kind": "registration"},
        {"id": "ggd-monitor", "kind": "survey"},
    ]
    coverage = [
        {
            "source_id": s,
            "gemeente_code": g,
            "coverage_status": "full",
            "start_date": dt.date(2020, 1, 1),
            "end_date": dt.date(2024, 12, 31),
        }
        for s in ("zvw-ggz", "ggd-monitor")
        for g in ("GM1", "GM2")
    ]
    coverage += [
        {
            "source_id": "politie-e33",
            "gemeente_code": "GM1",
            "coverage_status": "full",
            "start_date": dt.date(2020, 1, 1),
            "end_date": dt.date(2024, 12, 31),
        },
        {"source_id": "politie-e33", "gemeente_code": "GM2", "coverage_status": "none"},
        {
            "source_id": "schuldhulp",
            "gemeente_code": "GM1",
            "coverage_status": "partial",
            "start_date": dt.date(2024, 6, 1),
            "end_date": dt.date(2024, 12, 31),
        },
    ]
    return {
        "person": pd.DataFrame(persons),
        "event": pd.DataFrame(events),
        "population": pd.DataFrame(population),
        "region": pd.DataFrame(regions),
        "source": pd.DataFrame(sources),
        "source_coverage": pd.DataFrame(coverage),
    }


def _event(
    i: int, source: str, concept: str, value: float | None = None, weight: float | None = None
) -> dict[str, Any]:
    start = dt.date(2024, 5, 1)
    return {
        "id": f"{source}-{i}",
        "person_id": f"p{i:03d}",
        "source_id": source,
        "concept": concept,
        "start_date": start,
        "end_date": start,
        "value": value,
        "weight": weight,
    }


def write_store(
    path: Path, data: dict[str, pd.DataFrame] | None = None, manifest: str = '{"content_hash": "x"}\n'
) -> Path:
    """Write the tables as STORE/zicht.duckdb with contract types, plus a manifest.json."""
    path.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path / "zicht.duckdb"))
    for name, frame in (data or tables()).items():
        if name == "person" and "record_key" not in frame.columns:  # as harmonise does, with the test key
            frame = frame.assign(record_key=[record_key(TEST_RELEASE_KEY, str(i)) for i in frame["id"]])
        cols = COLUMNS[name]
        con.register("_in", frame)
        exprs = [
            f'CAST(_in."{c}" AS {t}) AS "{c}"' if c in frame.columns else f'CAST(NULL AS {t}) AS "{c}"'
            for c, t in cols.items()
        ]
        con.execute(f'CREATE TABLE "{name}" AS SELECT {", ".join(exprs)} FROM _in')
        con.unregister("_in")
    con.close()
    (path / "manifest.json").write_text(manifest, encoding="utf-8")
    return path


GGZ = "ggz-specialised-12m"
E33 = "e33-12m"
MULTI = "multi-domain-2of5"
K10 = "k10-high-monitor"
