"""The ground truth is reproducible: harmonise + the DuckDB engine find exactly the truth's members,
and harmonise quarantines exactly the rows of the defect manifest."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tests.unit.synth.conftest import SMALL
from zicht.engines import get_engine, open_store
from zicht.harmonise.run import QUARANTINE_ROW, harmonise
from zicht.query_model.compile import compile_definition
from zicht.synth.run import load_definitions


@pytest.mark.slow
def test_pipeline_reproduces_the_truth(small_run: Path, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    harmonise(small_run, store_dir, bsn_policy=QUARANTINE_ROW)
    with duckdb.connect(str(store_dir / "zicht.duckdb"), read_only=True) as con:
        quarantine = con.sql("select source_file, source_row from quarantine").df()
    defects = pd.read_csv(small_run / "defects.csv", keep_default_na=False)
    assert sorted(zip(quarantine["source_file"], quarantine["source_row"], strict=True)) == sorted(
        zip(defects["file"], defects["row"], strict=True)
    )
    persons = pd.concat([pd.read_parquet(small_run / f"truth/persons/{gm}.parquet") for gm in SMALL])
    store = open_store(store_dir)
    engine = get_engine("duckdb")
    for definition in load_definitions():
        found = engine.members(store, compile_definition(definition), dt.date(2024, 12, 31))
        truth = set(persons.loc[persons[f"member_{definition['id']}"], "person_key"])
        assert found == truth, definition["id"]
