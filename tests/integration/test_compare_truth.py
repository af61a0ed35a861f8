"""Issue 7.8: on synthetic data, every engine's counts equal the generator's ground truth (before
disclosure control) for every registration seed definition, per gemeente, wijk and buurt; survey
respondents and weights equal the generator's too. Runs synth → harmonise → engines on one gemeente."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from tests.conftest import engine_params
from typer.testing import CliRunner

from zicht.cli import app
from zicht.compare.definitions import resolve, select
from zicht.compare.regions import rollup, with_keys
from zicht.engines import open_store
from zicht.registry.files import load_registry

GEMEENTE = "GM0147"  # Borne: small, with wijken and buurten


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("truth")
    data, store = root / "data", root / "store"
    runner = CliRunner()
    res = runner.invoke(
        app,
        ["synth", "--region", "twente", "--gemeente", GEMEENTE, "--seed", "3", "--out", str(data), "--quiet"],
    )
    assert res.exit_code == 0, res.output
    res = runner.invoke(
        app, ["harmonise", "--in", str(data), "--out", str(store), "--bsn", "quarantine-row", "--quiet"]
    )
    assert res.exit_code == 0, res.output
    return data, store


@pytest.mark.slow
@pytest.mark.parametrize("engine_name", engine_params())
def test_counts_equal_ground_truth(pipeline: tuple[Path, Path], engine_name: str, make_engine) -> None:
    data, store_path = pipeline
    meta = json.loads((data / "truth" / "definitions.json").read_text(encoding="utf-8"))
    reference = dt.date.fromisoformat(meta["reference_date"])
    truth = pd.read_csv(data / "truth" / "counts.csv")
    survey_truth = pd.read_csv(data / "truth" / "survey_estimates.csv")
    ids = sorted(f.data["id"] for f in load_registry() if not f.archived)
    assert {d["id"] for d in meta["definitions"]} == set(ids)
    with open_store(store_path) as store:
        selected = select(resolve(ids), store)
        counted = [s.query for s in selected if not s.survey]
        surveyed = [s.query for s in selected if s.survey]
        assert counted and surveyed
        tab = make_engine(engine_name).tabulate(store, counted, surveyed, reference)
    members = rollup(with_keys(tab.members), ["mask"], ["n"], "buurt")
    for i, q in enumerate(counted):
        got = (
            members[(members["mask"].to_numpy("int64") >> i) & 1 == 1]
            .groupby(["level", "region_code"])["n"]
            .sum()
        )
        want = truth[(truth["definition_id"] == q.id) & truth["level"].isin(["gemeente", "wijk", "buurt"])]
        want = want.set_index(["level", "region_code"])["members"]
        got = got[got.index.get_level_values(0) != "total"]
        both = pd.concat([want.rename("truth"), got.rename("engine")], axis=1).fillna(0).astype(int)
        assert want.sum() > 0, q.id  # the case is not empty
        assert (both["truth"] == both["engine"]).all(), (q.id, both[both["truth"] != both["engine"]].head())
    for q in surveyed:
        rolled = rollup(with_keys(tab.survey[q.id]), ["member"], ["n", "sum_w"], "gemeente")
        gem = rolled[rolled["level"] == "gemeente"]
        want = survey_truth[(survey_truth["definition_id"] == q.id) & (survey_truth["level"] == "gemeente")]
        want = want.set_index("region_code")
        got_n = gem.groupby("region_code")["n"].sum()
        got_w = gem.groupby("region_code")["sum_w"].sum()
        got_member_w = gem[gem["member"]].groupby("region_code")["sum_w"].sum()
        assert (got_n == want["respondents"]).all()
        assert got_w.round(4).tolist() == pytest.approx(want["sum_weight"].tolist(), abs=1e-3)
        assert got_member_w.tolist() == pytest.approx(want["sum_weight_member"].tolist(), abs=1e-3)
