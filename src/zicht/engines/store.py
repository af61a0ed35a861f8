"""Opening a harmonised store (docs/store.md) for the engines.

A `Store` wraps one DuckDB connection: on `STORE/zicht.duckdb` (read-only), on `STORE/parquet/*.parquet`
when there is no database file, or on tables given in memory (spec tests build tiny stores this way).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from zicht.disclosure.record_keys import record_key
from zicht.errors import InputError

DB_NAME = "zicht.duckdb"
MANIFEST_NAME = "manifest.json"

# The columns engines read, with their contract types (docs/store.md).
COLUMNS: dict[str, dict[str, str]] = {
    "person": {
        "id": "VARCHAR",
        "sex": "VARCHAR",
        "birth_year": "INTEGER",
        "residence_gemeente": "VARCHAR",
        "residence_wijk": "VARCHAR",
        "residence_buurt": "VARCHAR",
        "record_key": "BIGINT",
    },
    "event": {
        "id": "VARCHAR",
        "person_id": "VARCHAR",
        "source_id": "VARCHAR",
        "concept": "VARCHAR",
        "start_date": "DATE",
        "end_date": "DATE",
        "value": "DOUBLE",
        "weight": "DOUBLE",
    },
    "region": {
        "id": "VARCHAR",
        "name": "VARCHAR",
        "level": "VARCHAR",
        "parent": "VARCHAR",
        "year": "INTEGER",
        "synthetic": "BOOLEAN",
    },
    "population": {
        "region_code": "VARCHAR",
        "year": "INTEGER",
        "sex": "VARCHAR",
        "age_min": "INTEGER",
        "age_max": "INTEGER",
        "count": "BIGINT",
        "synthetic": "BOOLEAN",
    },
    "source": {
        "id": "VARCHAR",
        "kind": "VARCHAR",
        "mapping_set_id": "VARCHAR",
        "mapping_set_version": "VARCHAR",
    },
    "source_coverage": {
        "source_id": "VARCHAR",
        "gemeente_code": "VARCHAR",
        "coverage_status": "VARCHAR",
        "start_date": "DATE",
        "end_date": "DATE",
    },
}
REQUIRED = ("person", "event")
# The integer surrogate of the pseudonym (docs/store.md): harmonise writes it into both tables since store
# format 3; engines join and group on it when both tables have it, else on the pseudonym (older stores).
PERSON_KEY: dict[str, dict[str, str]] = {
    "person": {"person_key": "BIGINT"},
    "event": {"person_key": "BIGINT"},
}
# From this manifest format on, harmonise guarantees unique person ids (`resolve_duplicates` keeps the first
# row of an id) and records the person table's row count, so opening the store need not group 18 M ids.
UNIQUE_IDS_FORMAT = 3


@dataclass
class Store:
    con: duckdb.DuckDBPyConnection
    path: Path | None = None
    manifest: dict[str, Any] = field(default_factory=dict)
    manifest_sha256: str | None = None
    _person_key: bool | None = field(default=None, repr=False)

    @property
    def has_person_key(self) -> bool:
        """Whether `person.person_key` and `event.person_key` are there (a store made by harmonise since
        format 3, or an in-memory test store)."""
        if self._person_key is None:
            self._person_key = all(
                set(cols) <= self.columns(table)
                for table, cols in PERSON_KEY.items()
                if self.has_table(table)
            )
        return self._person_key

    def columns(self, name: str) -> set[str]:
        return {
            r[0]
            for r in self.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main'",
                [name],
            ).fetchall()
        }

    def has_table(self, name: str) -> bool:
        rows = self.con.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_name = ? AND table_schema = 'main'", [name]
        ).fetchall()
        return bool(rows)

    def frame(self, name: str) -> pd.DataFrame:
        """A whole table with the contract columns (an absent optional table gives an empty frame)."""
        cols = COLUMNS[name]
        if not self.has_table(name):
            return pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
        select = ", ".join(f'"{c}"' for c in cols)
        return self.con.execute(f'SELECT {select} FROM "{name}" ORDER BY ALL').df()

    def rows(self, name: str, extra: Sequence[str] = ()) -> list[tuple[Any, ...]]:
        """A whole table's contract columns (and `extra` ones after them) as Python tuples (dates as
        datetime.date, NULL as None)."""
        select = ", ".join(f'"{c}"' for c in (*COLUMNS[name], *extra))
        return self.con.execute(f'SELECT {select} FROM "{name}"').fetchall()

    def source_concepts(self) -> dict[str, set[str]]:
        """Which concepts (CURIEs) each source delivers in this store."""
        out: dict[str, set[str]] = {}
        for source_id, concept in self.con.execute(
            "SELECT DISTINCT source_id, concept FROM event"
        ).fetchall():
            out.setdefault(source_id, set()).add(concept)
        return out

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(path: Path) -> Store:
    """Open STORE read-only and check that the tables the engines need have the contract columns."""
    path = Path(path)
    if not path.is_dir():
        raise InputError(f"{path}: store not found (expected a directory made by `zicht harmonise`)")
    db = path / DB_NAME
    if db.is_file():
        try:
            con = duckdb.connect(str(db), read_only=True)
        except duckdb.Error as exc:
            raise InputError(f"{db}: cannot open the store database: {exc}") from None
    else:
        parquet = path / "parquet"
        if not parquet.is_dir():
            raise InputError(f"{path}: neither {DB_NAME} nor parquet/ found; not a harmonised store")
        con = duckdb.connect()
        for file in sorted(parquet.glob("*.parquet")):
            con.execute(f"CREATE VIEW \"{file.stem}\" AS SELECT * FROM read_parquet('{_lit(str(file))}')")
    manifest, digest = _read_manifest(path)
    store = Store(con, path, manifest, digest)
    _check_columns(store, str(path))
    return store


TEST_RELEASE_KEY = b"zicht in-memory test stores only"


def store_from_frames(
    tables: Mapping[str, pd.DataFrame | Sequence[Mapping[str, Any]]],
    manifest: Mapping[str, Any] | None = None,
    person_key: bool = True,
) -> Store:
    """An in-memory store from frames or lists of row dicts; missing contract columns become NULL and
    every column is cast to its contract type, so tests state only what matters to them. Persons without
    a `record_key` get the one `TEST_RELEASE_KEY` gives their id (as harmonise would with that key).
    `person_key` adds the person keys as harmonise writes them (False: a store of format 2, without)."""
    con = duckdb.connect()
    for name, data in tables.items():
        frame = data if isinstance(data, pd.DataFrame) else pd.DataFrame(list(data))
        if name == "person" and "record_key" not in frame.columns and "id" in frame.columns:
            frame = frame.assign(
                record_key=[None if pd.isna(i) else record_key(TEST_RELEASE_KEY, str(i)) for i in frame["id"]]
            )
        cols = COLUMNS.get(name)
        if cols is None:
            raise InputError(f"unknown store table {name!r}")
        unknown = set(frame.columns) - set(cols)
        if unknown:
            raise InputError(f"table {name}: unknown column(s) {sorted(unknown)}")
        if not len(frame.columns):
            con.execute(f'CREATE TABLE "{name}" ({", ".join(f"{c} {t}" for c, t in cols.items())})')
            continue
        con.register("_in", frame)
        exprs = [
            f'CAST(_in."{c}" AS {t}) AS "{c}"' if c in frame.columns else f'CAST(NULL AS {t}) AS "{c}"'
            for c, t in cols.items()
        ]
        con.execute(f'CREATE TABLE "{name}" AS SELECT {", ".join(exprs)} FROM _in')
        con.unregister("_in")
    for name in REQUIRED:
        if name not in tables:
            con.execute(f'CREATE TABLE "{name}" ({", ".join(f"{c} {t}" for c, t in COLUMNS[name].items())})')
    if person_key:
        # as harmonise writes them (harmonise/store.py): the rank of the id, repeated on each event
        con.execute(
            'CREATE TABLE "_person" AS SELECT *, CAST(dense_rank() OVER (ORDER BY id) AS BIGINT) AS person_key '
            'FROM "person"'
        )
        con.execute('DROP TABLE "person"')
        con.execute('ALTER TABLE "_person" RENAME TO "person"')
        con.execute(
            'CREATE TABLE "_event" AS SELECT e.*, (SELECT max(p.person_key) FROM "person" p '
            'WHERE p.id = e.person_id) AS person_key FROM "event" e'
        )
        con.execute('DROP TABLE "event"')
        con.execute('ALTER TABLE "_event" RENAME TO "event"')
    store = Store(con, None, dict(manifest or {}), None)
    _check_columns(store, "in-memory store")
    return store


def _read_manifest(path: Path) -> tuple[dict[str, Any], str | None]:
    file = path / MANIFEST_NAME
    if not file.is_file():
        return {}, None
    raw = file.read_bytes()
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise InputError(f"{file}: not valid JSON: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(f"{file}: expected a JSON object")
    return data, "sha256:" + hashlib.sha256(raw).hexdigest()


def _check_columns(store: Store, where: str) -> None:
    for name in REQUIRED:
        if not store.has_table(name):
            raise InputError(f"{where}: table {name!r} is missing")
    for name, cols in COLUMNS.items():
        if not store.has_table(name):
            continue
        have = {
            r[0]
            for r in store.con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main'",
                [name],
            ).fetchall()
        }
        missing = [c for c in cols if c not in have]
        if missing:
            raise InputError(
                f"{where}: table {name!r} lacks column(s) {', '.join(missing)} (see docs/store.md)"
            )
    if _unique_by_harmonise(store):
        return
    # Distinct 64-bit hashes first: as exact (distinct hashes mean distinct ids) at a fraction of the memory
    # of grouping the ids themselves (nationally 18 M strings of 64 characters); only when two hashes meet
    # is the slow search for the repeated id needed.
    rows, hashes = store.con.execute("SELECT count(*), count(DISTINCT hash(id)) FROM person").fetchone() or (
        0,
        0,
    )
    dup = (
        []
        if rows == hashes
        else store.con.execute(
            "SELECT id, count(*) FROM person GROUP BY id HAVING count(*) > 1 LIMIT 1"
        ).fetchall()
    )
    if dup:
        raise InputError(f"{where}: person id {dup[0][0]!r} occurs {dup[0][1]} times; ids must be unique")


def _unique_by_harmonise(store: Store) -> bool:
    """Whether the manifest vouches for unique person ids: a store of format 3 or later whose person table
    still has the row count harmonise recorded. Anything else (no manifest, an older format, a person table
    changed since) gets the full check."""
    m = store.manifest
    try:
        fmt = int(m.get("format", 0))
        rows = int(m["tables"]["person"]["rows"])
    except (KeyError, TypeError, ValueError):
        return False
    if fmt < UNIQUE_IDS_FORMAT or not store.has_person_key:
        return False
    (have,) = store.con.execute("SELECT count(*) FROM person").fetchone() or (None,)
    return bool(have == rows)


def _lit(text: str) -> str:
    return text.replace("'", "''")
