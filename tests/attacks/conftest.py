"""A synthetic store and registry built for the attacks, and an oracle that counts with its own SQL.

The attacker's tools here are written apart from zicht's compare code: the oracle reads the store's
DuckDB tables directly with hand-written SQL (not the engines), and the attacks read only what a CLI
user or an API client gets back.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
import yaml

from tests.unit.compare.helpers import write_store
from zicht import paths
from zicht.registry.files import append_lock, read_definition
from zicht.registry.normalise import content_hash

R1 = dt.date(2024, 12, 31)
R2 = dt.date(2024, 10, 31)
AGE_LIMITS = (18, 25, 30, 35, 40, 45, 50, 55, 60)
E33 = [f"e33-age-{a}" for a in AGE_LIMITS]
GGZ = "ggz-attack"
K10 = "k10-attack"


def _wijken() -> dict[str, list[str]]:
    return {f"GM90{g:02d}": [f"WK90{g:02d}{w:02d}" for w in range(1, 11)] for g in (1, 2, 3, 4)}


def _tables(seed: int = 7) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    persons, events = [], []
    pid = 0
    for gem, wijken in _wijken().items():
        for wijk in wijken:
            for _ in range(int(rng.integers(80, 400))):
                persons.append(
                    {
                        "id": f"x{pid:06d}",
                        "sex": "female" if rng.random() < 0.5 else "male",
                        "birth_year": int(rng.integers(1935, 2007)),
                        "residence_gemeente": gem,
                        "residence_wijk": wijk,
                        "residence_buurt": None,
                    }
                )
                pid += 1
    for p in persons:
        if rng.random() < 0.09:  # an E33 report somewhere in 2024
            day = dt.date(2024, 1, 1) + dt.timedelta(days=int(rng.integers(0, 366)))
            events.append(_event(len(events), p["id"], "politie-e33", "zc:safety_e33", day))
        if rng.random() < 0.08:
            day = dt.date(2024, 1, 1) + dt.timedelta(days=int(rng.integers(0, 300)))
            events.append(_event(len(events), p["id"], "zvw-ggz", "zc:ggz_specialised_outpatient", day))
        if 2024 - p["birth_year"] >= 18 and rng.random() < 0.3:  # survey respondent
            k10 = 34.0 if rng.random() < 0.06 else 15.0
            events.append(
                _event(
                    len(events),
                    p["id"],
                    "ggd-monitor",
                    "zc:psy_distress",
                    dt.date(2024, 5, 1),
                    value=k10,
                    weight=float(rng.choice([1.0, 1.5, 2.0, 3.0])),
                )
            )
    regions = [{"id": "NL01", "name": "Nederland", "level": "land"}]
    population = []
    for gem, wijken in _wijken().items():
        regions.append({"id": gem, "name": f"Gemeente {gem}", "level": "gemeente", "parent": "NL01"})
        regions += [{"id": w, "name": f"Wijk {w}", "level": "wijk", "parent": gem} for w in wijken]
    for sex in ("male", "female"):
        for lo in range(0, 100, 5):
            population.append(
                {
                    "region_code": "NL01",
                    "year": 2024,
                    "sex": sex,
                    "age_min": lo,
                    "age_max": lo + 4,
                    "count": 100000 - 800 * lo,
                }
            )
    sources = [
        {"id": "politie-e33", "kind": "registration"},
        {"id": "zvw-ggz", "kind": "registration"},
        {"id": "ggd-monitor", "kind": "survey"},
    ]
    coverage = [
        {
            "source_id": s["id"],
            "gemeente_code": g,
            "coverage_status": "full",
            "start_date": dt.date(2020, 1, 1),
            "end_date": dt.date(2024, 12, 31),
        }
        for s in sources
        for g in _wijken()
    ]
    return {
        "person": pd.DataFrame(persons),
        "event": pd.DataFrame(events),
        "region": pd.DataFrame(regions),
        "population": pd.DataFrame(population),
        "source": pd.DataFrame(sources),
        "source_coverage": pd.DataFrame(coverage),
    }


def _event(i, person, source, concept, day, value=None, weight=None):
    return {
        "id": f"ev{i}",
        "person_id": person,
        "source_id": source,
        "concept": concept,
        "start_date": day,
        "end_date": day,
        "value": value,
        "weight": weight,
    }


def _definition(base: str, new_id: str, **changes) -> dict:
    doc = copy.deepcopy(read_definition(paths.registry_dir() / f"{base}.yaml"))
    doc.update(id=new_id, author="Aanvaller (test)", title=f"{new_id} (attack test)", **changes)
    doc.pop("content_hash", None)
    doc["content_hash"] = content_hash(doc)
    return doc


@pytest.fixture(scope="session")
def attack_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_store(tmp_path_factory.mktemp("attack") / "store", _tables())


@pytest.fixture(scope="session")
def attack_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("attack-registry")
    docs = [
        _definition("e33-12m", d, population={"age_min": a}) for d, a in zip(E33, AGE_LIMITS, strict=True)
    ]
    docs.append(_definition("ggz-specialised-12m", GGZ))
    docs.append(_definition("k10-high-monitor", K10))
    for doc in docs:
        (root / f"{doc['id']}.yaml").write_text(
            yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    append_lock([(d["id"], d["version"], d["content_hash"]) for d in docs], root)
    return root


class Oracle:
    """True counts by hand-written SQL over the store (ages as year(R) - birth year; a 12-month window
    up to R holds events that end after R minus 12 months and start on or before R)."""

    def __init__(self, store: Path) -> None:
        self.con = duckdb.connect(str(store / "zicht.duckdb"), read_only=True)

    def _persons(self, where_event: str, date: dt.date, min_age: int | None) -> str:
        age = f"AND {date.year} - p.birth_year >= {min_age}" if min_age is not None else ""
        return f"""
            SELECT p.id, p.residence_gemeente AS g, p.residence_wijk AS w FROM person p
            WHERE EXISTS (SELECT 1 FROM event e WHERE e.person_id = p.id AND {where_event}
                          AND e.start_date <= DATE '{date}' AND e.end_date > DATE '{date}' - INTERVAL 12 MONTH) {age}"""

    def counts(self, source: str, date: dt.date, min_age: int | None = None) -> dict[str, int]:
        sql = self._persons(f"e.source_id = '{source}'", date, min_age)
        out: dict[str, int] = {"totaal": 0}
        for g, w, n in self.con.execute(f"SELECT g, w, count(*) FROM ({sql}) GROUP BY g, w").fetchall():
            out[w] = n
            out[g] = out.get(g, 0) + n
            out["totaal"] += n
        return out

    def both(self, date: dt.date, min_age: int) -> dict[str, int]:
        a = self._persons("e.source_id = 'politie-e33'", date, min_age)
        b = self._persons("e.source_id = 'zvw-ggz'", date, None)
        rows = self.con.execute(
            f"SELECT a.w, count(*) FROM ({a}) a JOIN ({b}) b USING (id) GROUP BY a.w"
        ).fetchall()
        return dict(rows)

    def survey(self, date: dt.date) -> dict[str, tuple[int, int]]:
        """Per wijk: (respondents, respondents with K10 >= 30), adults."""
        rows = self.con.execute(f"""
            SELECT p.residence_wijk, count(*), count(*) FILTER (WHERE e.value >= 30) FROM person p
            JOIN event e ON e.person_id = p.id AND e.source_id = 'ggd-monitor'
            WHERE {date.year} - p.birth_year >= 18 GROUP BY 1""").fetchall()
        return {w: (n, k) for w, n, k in rows}

    def wijken(self) -> dict[str, list[str]]:
        return _wijken()


@pytest.fixture(scope="session")
def oracle(attack_store: Path) -> Oracle:
    return Oracle(attack_store)
