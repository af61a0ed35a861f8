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
