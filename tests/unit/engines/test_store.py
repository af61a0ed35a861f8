"""Opening a store refuses repeated person ids (a person counted twice would be counted twice in every cell)."""

from __future__ import annotations

import duckdb
import pytest

from zicht.engines import open_store, store_from_frames
from zicht.errors import InputError


@pytest.mark.parametrize(
    ("ids", "repeated"), [(["a", "b", "a"], "'a' occurs 2 times"), (["x", None, None], "None occurs 2 times")]
)
def test_repeated_person_ids_are_refused(ids, repeated):
    with pytest.raises(InputError, match=f"in-memory store: person id {repeated}; ids must be unique"):
        store_from_frames({"person": [{"id": i} for i in ids]})


def test_distinct_ids_and_a_single_missing_id_open():
    store_from_frames({"person": [{"id": i} for i in ("a", None, "b", "ab")]}).close()


def test_parquet_store_with_a_repeated_id_is_refused(tmp_path):
    (tmp_path / "parquet").mkdir()
    con = duckdb.connect()
    con.execute("""CREATE TABLE person AS SELECT 'p' || (i % 9999) AS id, 'female' AS sex, 1980 AS birth_year,
                   'GM0001' AS residence_gemeente, NULL::VARCHAR AS residence_wijk, NULL::VARCHAR AS residence_buurt,
                   i AS record_key FROM range(10000) t(i)""")
    con.execute("""CREATE TABLE event (id VARCHAR, person_id VARCHAR, source_id VARCHAR, concept VARCHAR,
                   start_date DATE, end_date DATE, value DOUBLE, weight DOUBLE)""")
    for table in ("person", "event"):
        con.execute(f"COPY {table} TO '{tmp_path / 'parquet' / (table + '.parquet')}' (FORMAT parquet)")
    with pytest.raises(InputError, match="person id 'p0' occurs 2 times"):
        open_store(tmp_path)


def _parquet_store(tmp_path, *, repeated: bool, person_key: bool, manifest: dict | None):
    import json

    (tmp_path / "parquet").mkdir()
    con = duckdb.connect()
    n = 9999 if repeated else 10000
    key = ", i + 1 AS person_key" if person_key else ""
    con.execute(f"""CREATE TABLE person AS SELECT 'p' || (i % {n}) AS id, 'female' AS sex, 1980 AS birth_year,
                    'GM0001' AS residence_gemeente, NULL::VARCHAR AS residence_wijk, NULL::VARCHAR AS residence_buurt,
                    i AS record_key{key} FROM range(10000) t(i)""")
    con.execute(f"""CREATE TABLE event (id VARCHAR, person_id VARCHAR, source_id VARCHAR, concept VARCHAR,
                    start_date DATE, end_date DATE, value DOUBLE, weight DOUBLE
                    {", person_key BIGINT" if person_key else ""})""")
    for table in ("person", "event"):
        con.execute(f"COPY {table} TO '{tmp_path / 'parquet' / (table + '.parquet')}' (FORMAT parquet)")
    if manifest is not None:
        (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    return tmp_path


def test_a_format_3_manifest_vouches_for_unique_ids_without_the_check(tmp_path):
    """harmonise resolves repeated ids itself; from format 3 on opening the store takes the manifest's word
    (the person table still has the rows it records) instead of grouping every id again."""
    manifest = {"format": 3, "tables": {"person": {"rows": 10000}}}
    store = open_store(_parquet_store(tmp_path, repeated=True, person_key=True, manifest=manifest))
    assert store.has_person_key
    store.close()


@pytest.mark.parametrize(
    ("person_key", "manifest"),
    [
        (True, None),  # not made by harmonise
        (True, {"format": 2, "tables": {"person": {"rows": 10000}}}),  # an older harmonise
        (True, {"format": 3, "tables": {"person": {"rows": 9999}}}),  # person table changed since
        (False, {"format": 3, "tables": {"person": {"rows": 10000}}}),  # not what format 3 writes
        (True, {"format": 3}),
    ],
)
def test_other_stores_are_checked_when_opened(tmp_path, person_key, manifest):
    root = _parquet_store(tmp_path, repeated=True, person_key=person_key, manifest=manifest)
    with pytest.raises(InputError, match="person id 'p0' occurs 2 times"):
        open_store(root)


def test_an_older_store_without_person_keys_still_opens_and_counts(tmp_path):
    import datetime as dt

    from zicht.engines import get_engine
    from zicht.query_model.nodes import Criterion, DefinitionQuery

    store = open_store(_parquet_store(tmp_path, repeated=False, person_key=False, manifest=None))
    assert not store.has_person_key
    q = DefinitionQuery(id="q", root=Criterion(id="c", concepts=("zc:safety_e33",), window_months=12))
    tab = get_engine("duckdb").tabulate(store, [q], [], dt.date(2024, 12, 31), level="gemeente")
    assert int(tab.residents["n"].sum()) == 10000 and tab.members.empty
    store.close()
