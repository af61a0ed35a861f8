"""`zicht compare` on a store on disk: formats, output file, and one-line errors."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.unit.compare.helpers import E33, GGZ, write_store
from zicht.cli import app


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    return write_store(tmp_path_factory.mktemp("cli") / "store")


def run(*args: str):
    return CliRunner().invoke(app, ["compare", *args])


def test_csv_to_stdout_is_plain_csv(store):
    res = run(
        "--store",
        str(store),
        "--definitions",
        f"{GGZ},{E33}",
        "--date",
        "2024-12-31",
        "--level",
        "gemeente",
        "--disclosure",
        "suppress",
        "--threshold",
        "1",
        "--rounding",
        "1",
    )
    assert res.exit_code == 0, res.output
    assert res.stdout.startswith(
        "table,level,region_code"
    )  # no comment line: pandas and Excel defaults read it
    table = pd.read_csv(io.StringIO(res.stdout))
    counts = table[table["table"] == "counts"]
    assert set(counts["level"]) == {"total", "gemeente"}
    assert counts.set_index(["region_code", "definition"]).loc[("GM1", GGZ), "count"] == 30


def test_csv_file_gets_its_manifest_beside_it(store, tmp_path):
    out = tmp_path / "result.csv"
    res = run(
        "--store", str(store), "--definitions", f"{GGZ},{E33}", "--date", "2024-12-31", "--out", str(out)
    )
    assert res.exit_code == 0, res.output
    manifest = json.loads((tmp_path / "result.manifest.json").read_text(encoding="utf-8"))
    rules = manifest["disclosure"]
    assert manifest["level"] == "wijk" and rules["mode"] == "perturb"
    assert (rules["max_deviation"], rules["variance"], rules["blocked_upto"]) == (5, 4.0, 2)
    assert "same persons always give the same published value" in rules["rule"]
    assert pd.read_csv(out)["table"].iloc[0] == "counts"


def test_json_to_file_and_rules_from_options(store, tmp_path):
    out = tmp_path / "result.json"
    res = run(
        "--store",
        str(store),
        "--definitions",
        GGZ,
        "--date",
        "2024-12-31",
        "--level",
        "wijk",
        "--format",
        "json",
        "--out",
        str(out),
        "--disclosure",
        "suppress",
        "--threshold",
        "5",
        "--rounding",
        "1",
    )
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["manifest"]["disclosure"]["threshold"] == 5
    assert {r["region_code"] for r in data["counts"]} == {"totaal", "GM1", "GM2", "WK1", "WK2", "WK3"}


@pytest.mark.parametrize(
    "args, message",
    [
        # Typer checks the typed options itself (usage error, exit 2) and names the choices.
        (["--date", "2024-13-01"], "Invalid value for '--date': '2024-13-01' is not a date YYYY-MM-DD"),
        (
            ["--date", "1850-01-01"],
            "Invalid value for '--date': 1850-01-01 is outside 1900-01-01 .. 2199-12-31",
        ),
        (["--format", "xlsx"], "'xlsx' is not one of 'csv', 'json', 'parquet'"),
        (["--format", "parquet"], "--format parquet needs --out FILE"),
        (["--level", "straat"], "'straat' is not one of 'gemeente', 'wijk', 'buurt'"),
        (["--disclosure", "round"], "'round' is not one of 'perturb', 'suppress'"),
        (["--engine", "sqlite"], "'sqlite' is not one of 'duckdb', 'spark', 'in_memory'"),
        (["--variance", "0"], "variance must be a number > 0"),
        (["--disclosure", "suppress", "--max-deviation", "3"], "apply to --disclosure perturb only"),
    ],
)
def test_bad_options_give_one_line_errors(store, args, message):
    base = {"--store": str(store), "--definitions": GGZ, "--date": "2024-12-31"}
    given = dict(zip(args[::2], args[1::2], strict=True))
    argv = [x for k, v in {**base, **given}.items() for x in (k, v)]
    res = run(*argv)
    assert res.exit_code != 0
    assert message in str(res.exception) or message in res.output


def test_missing_store_is_a_clear_error(tmp_path):
    res = run("--store", str(tmp_path / "nope"), "--definitions", GGZ, "--date", "2024-12-31")
    assert res.exit_code != 0
    assert "store not found" in str(res.exception)


def test_a_date_outside_a_source_period_is_warned_about(store):
    res = run("--store", str(store), "--definitions", GGZ, "--date", "2031-06-30", "--level", "gemeente")
    assert res.exit_code == 0, res.output
    warnings = [line for line in res.stderr.splitlines() if line.startswith("warning:")]
    assert warnings and all("outside the period of source" in w for w in warnings), res.stderr
    assert any("zvw-ggz" in w and GGZ in w for w in warnings), warnings
    inside = run("--store", str(store), "--definitions", GGZ, "--date", "2024-12-31", "--level", "gemeente")
    assert "warning:" not in inside.stderr
