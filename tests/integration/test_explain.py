"""`zicht explain A B`: the change of each count between two runs split into definition version, mapping
sets, data snapshot and reference date. Two runs differ in all four; the contributions are checked
against independent comparisons of each intermediate state (not against explain's own arithmetic)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from zicht import paths
from zicht.cli import app
from zicht.compare import compare
from zicht.registry import edit

GEMEENTE = "GM0183"
DATE_A, DATE_B = dt.date(2024, 6, 30), dt.date(2024, 12, 31)


def _ok(args: list[str]) -> str:
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    return res.output


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Delivery D1 and D2 (fewer police rows), mapping sets M1 and M2 (E14 counted as E33), stores
    S1 = D1+M1, BRIDGE = D1+M2, S3 = D2+M2, and a registry with e33-12m 1.0.0 and 1.1.0 (24 months)."""
    root = tmp_path_factory.mktemp("explain")
    d1, d2, m2 = root / "d1", root / "d2", root / "m2"
    _ok(["synth", "--region", "twente", "--gemeente", GEMEENTE, "--seed", "7", "--out", str(d1), "--quiet"])
    shutil.copytree(d1, d2)
    police = d2 / "extracts" / "politie-e33" / f"incidenten_{GEMEENTE}.csv"
    rows = police.read_text(encoding="utf-8").splitlines(keepends=True)
    police.write_text("".join(rows[: len(rows) // 2]), encoding="utf-8")  # half the police rows (header kept)
    shutil.copytree(paths.mappings_dir(), m2)
    sssom = m2 / "politie-e33.sssom.tsv"
    text = sssom.read_text(encoding="utf-8").replace(
        "# mapping_set_version: 1.0.0", "# mapping_set_version: 1.1.0"
    )
    text = text.replace(
        "skos:broadMatch\tzc:psy_suicide_attempt\tSuïcidepoging",
        "skos:broadMatch\tzc:safety_e33\tPolitiemelding E33 (verward/overspannen persoon)",
    )
    sssom.write_text(text, encoding="utf-8")
    stores = {}
    for name, delivery, mappings in (("s1", d1, None), ("bridge", d1, m2), ("s3", d2, m2)):
        args = [
            "harmonise",
            "--in",
            str(delivery),
            "--out",
            str(root / name),
            "--bsn",
            "quarantine-row",
            "--quiet",
        ]
        _ok(args + (["--mappings", str(mappings)] if mappings else []))
        stores[name] = root / name
    registry = root / "registry"
    shutil.copytree(paths.registry_dir(), registry)
    edit.start_new_version("e33-12m", "minor", registry)
    current = registry / "e33-12m.yaml"
    doc = yaml.safe_load(current.read_text(encoding="utf-8"))
    doc["reference_period"] = {"months": 24}
    doc["criteria"][0]["window_months"] = 24
    doc["changelog"] = "Window of 24 months."
    current.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    edit.publish("e33-12m", registry)
    run_a, run_b = root / "a.json", root / "b.json"
    _ok(
        [
            "compare",
            "--store",
            str(stores["s1"]),
            "--definitions",
            "e33-12m@1.0.0,ggz-specialised-12m",
            "--date",
            DATE_A.isoformat(),
            "--level",
            "gemeente",
            "--format",
            "json",
            "--out",
            str(run_a),
            "--registry",
            str(registry),
        ]
    )
    _ok(
        [
            "compare",
            "--store",
            str(stores["s3"]),
            "--definitions",
            "e33-12m,ggz-specialised-12m",
            "--date",
            DATE_B.isoformat(),
            "--level",
            "gemeente",
            "--format",
            "json",
            "--out",
            str(run_b),
            "--registry",
            str(registry),
        ]
    )
    return {**stores, "registry": registry, "a": run_a, "b": run_b, "root": root}


def _published(store: Path, registry: Path, e33: str, date: dt.date) -> pd.Series:
    result = compare(store, [f"e33-12m@{e33}", "ggz-specialised-12m"], date, "gemeente", registry=registry)
    c = result.counts
    return c.set_index(["region_code", "definition"])["count"]


@pytest.mark.slow
def test_each_factor_is_the_change_its_step_makes(world: dict[str, Path]) -> None:
    out = _ok(
        [
            "explain",
            str(world["a"]),
            str(world["b"]),
            "--store",
            str(world["s1"]),
            "--store",
            str(world["s3"]),
            "--store",
            str(world["bridge"]),
            "--registry",
            str(world["registry"]),
            "--format",
            "json",
        ]
    )
    body = json.loads(out[out.index("{") :])
    assert [s["factor"] for s in body["steps"]] == ["start", "definition", "mappings", "data", "date"]
    assert body["notes"] == []
    reg = world["registry"]
    states = [
        _published(world["s1"], reg, "1.0.0", DATE_A),
        _published(world["s1"], reg, "1.1.0", DATE_A),
        _published(world["bridge"], reg, "1.1.0", DATE_A),
        _published(world["s3"], reg, "1.1.0", DATE_A),
        _published(world["s3"], reg, "1.1.0", DATE_B),
    ]
    columns = ["due_to_definition", "due_to_mappings", "due_to_data", "due_to_date"]
    rows = {(r["region_code"], r["definition"]): r for r in body["rows"] if r["measure"] == "count"}
    assert ("GM0183", "e33-12m") in rows and ("GM0183", "ggz-specialised-12m") in rows
    for key, row in rows.items():
        values = [s.get(key) for s in states]
        if row["split"] != "split":
            assert any(pd.isna(v) for v in values)
            continue
        assert row["value_a"] == values[0] and row["value_b"] == values[-1]
        for i, col in enumerate(columns, start=1):
            assert row[col] == values[i] - values[i - 1], (key, col)
        assert sum(row[c] for c in columns) == row["change"]
    # ggz-specialised-12m has one version, uses no police data: only the reference date moves it.
    ggz = rows[("GM0183", "ggz-specialised-12m")]
    assert ggz["due_to_definition"] == ggz["due_to_mappings"] == ggz["due_to_data"] == 0
    # M2 adds E14 registrations to E33; D2 drops police rows: the signs must follow.
    e33 = rows[("GM0183", "e33-12m")]
    assert e33["due_to_mappings"] >= 0 and e33["due_to_data"] <= 0


@pytest.mark.slow
def test_without_a_bridge_mappings_and_data_are_one_step_and_it_says_so(world: dict[str, Path]) -> None:
    out = _ok(
        [
            "explain",
            str(world["a"]),
            str(world["b"]),
            "--store",
            str(world["s1"]),
            "--store",
            str(world["s3"]),
            "--registry",
            str(world["registry"]),
            "--region",
            GEMEENTE,
        ]
    )
    assert "mappingsets en gegevens samen" in out and "--store BRIDGE" in out
    assert f"Tubbergen ({GEMEENTE}), e33-12m:" in out


@pytest.mark.slow
def test_a_run_whose_store_is_not_given_is_a_clear_error(world: dict[str, Path]) -> None:
    res = CliRunner().invoke(
        app,
        [
            "explain",
            str(world["a"]),
            str(world["b"]),
            "--store",
            str(world["s1"]),
            "--registry",
            str(world["registry"]),
        ],
    )
    assert res.exit_code != 0
    assert "not among the stores given" in str(res.exception) + res.output
