"""`zicht demo`: every current registry definition compared on a store, written as CSV and JSON."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from tests.unit.compare.helpers import write_store
from zicht.cli import app
from zicht.registry.files import load_registry


def test_demo_compares_every_current_definition(tmp_path) -> None:
    store = write_store(tmp_path / "store")
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["demo", "--store", str(store), "--out", str(out)])
    assert res.exit_code == 0, res.output
    result = json.loads((out / "compare-gemeente.json").read_text())
    current = {f.data["id"] for f in load_registry() if not f.archived and f.data["status"] == "published"}
    shown = {e["id"] for e in result["manifest"]["definitions"]}
    assert shown == current
    assert (out / "compare-gemeente.csv").read_text().startswith("table,level,region_code")
    side = json.loads((out / "compare-gemeente.manifest.json").read_text())
    assert side == result["manifest"] and side["disclosure"]["mode"] == "perturb"
    # as the page shows them: Dutch numbers (3,2 per 1.000) and words instead of status tokens
    assert "Per 1.000 inwoners" in res.stdout
    assert re.search(r"\d,\d\n", res.stdout), res.stdout
    assert not re.search(r"\d\.\d\n", res.stdout), res.stdout
    assert not {"no_source", "not_covered", "suppressed"} & set(re.findall(r"[a-z_]+", res.stdout)), (
        res.stdout
    )
    assert "cell key method" in res.stderr
    # one progress bar, not a line per step
    bars = [line for line in res.stderr.splitlines() if "━" in line]
    assert len(bars) == 1 and "100%" in bars[0] and "harmonise" not in res.stderr, res.stderr
    # the same table for Excel with Dutch settings: semicolons, decimal comma, BOM
    excel = (out / "compare-gemeente-excel.csv").read_bytes()
    assert excel.startswith(b"\xef\xbb\xbftable;level;region_code")
    # nothing unprotected leaves: every count is perturbed, so none is published as 1 or 2
    counts = [row["count"] for row in result["counts"] if row["count"] is not None]
    assert counts and not {1, 2} & set(counts)


def test_demo_rejects_a_bad_date(tmp_path) -> None:
    res = CliRunner().invoke(app, ["demo", "--store", str(tmp_path), "--date", "31-12-2024"])
    assert res.exit_code != 0
    assert "not a date" in str(res.exception) or "not a date" in res.output
