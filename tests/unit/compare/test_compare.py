"""compare() end to end on a hand-made store whose numbers are worked out by hand in helpers.py."""

from __future__ import annotations

import io
import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from tests.unit.compare.helpers import E33, GGZ, K10, MULTI, R, tables, write_store
from zicht.compare import compare
from zicht.compare.definitions import resolve
from zicht.disclosure import DisclosureRules
from zicht.engines import store_from_frames
from zicht.errors import InputError

EXACT = DisclosureRules(threshold=1, rounding_base=1)  # nothing below 1 person: the raw numbers


@pytest.fixture(scope="module")
def exact():
    store = store_from_frames(tables())
    try:
        yield compare(
            store,
            [GGZ, E33, MULTI, K10],
            R,
            "wijk",
            rules=EXACT,
            disclosure="suppress",
            attrition_level="wijk",
            intersection_level="wijk",
        )
    finally:
        store.close()


def _get(frame: pd.DataFrame, **where: object) -> pd.Series:
    rows = frame
    for k, v in where.items():
        rows = rows[rows[k] == v]
    assert len(rows) == 1, where
    return rows.iloc[0]


def test_counts_per_region(exact):
    c = exact.counts
    assert _get(c, region_code="WK1", definition=GGZ)["count"] == 30
    assert _get(c, region_code="WK2", definition=GGZ)["count"] == 0
    assert _get(c, region_code="GM1", definition=E33)["count"] == 25
    assert _get(c, region_code="WK2", definition=E33)["count"] == 5
    assert _get(c, region_code="totaal", definition=MULTI)["count"] == 15
    assert set(c["level"]) == {"total", "gemeente", "wijk"}
    assert _get(c, region_code="WK1", definition=GGZ)["region_name"] == "Noord"


def test_missing_source_is_flagged_not_zero(exact):
    row = _get(exact.counts, region_code="GM2", definition=E33)
    assert row["coverage"] == "none" and row["count_status"] == "no_source" and pd.isna(row["count"])
    assert pd.isna(_get(exact.counts, region_code="WK3", definition=E33)["count"])
    multi = _get(exact.counts, region_code="GM1", definition=MULTI)
    assert multi["coverage"] == "partial"
    assert "debt=schuldhulp:partial" in multi["coverage_gaps"] and "wmo=no source" in multi["coverage_gaps"]
    assert _get(exact.counts, region_code="totaal", definition=E33)["coverage"] == "partial"
    assert _get(exact.counts, region_code="WK1", definition=GGZ)["coverage"] == "full"


def test_no_source_status_is_the_same_in_every_table(exact):
    pair = _get(exact.pairs, region_code="GM2", definition_a=GGZ, definition_b=E33)
    assert pair["coverage_b"] == "none" and pd.isna(pair["both"])
    assert {pair["both_status"], pair["only_a_status"], pair["only_b_status"]} == {"no_source"}
    inter = exact.intersections
    hidden = inter[inter["coverage"] == "none"]
    assert len(hidden) and set(hidden["count_status"]) == {"no_source"} and hidden["count"].isna().all()


def test_rates_use_the_universe_on_the_reference_date(exact):
    """The denominator is the definition's universe from the person register at the reference date
    (WK1: 40 residents aged 40), not the CBS table of 1 January (200 in WK1)."""
    assert _get(exact.counts, region_code="WK1", definition=GGZ)["population"] == 40
    assert _get(exact.counts, region_code="WK1", definition=GGZ)["rate_per_1000"] == 750.0
    total = _get(exact.counts, region_code="totaal", definition=GGZ)
    assert total["population"] == 100 and total["rate_per_1000"] == 300.0
    # suppression protects no stratum counts, so it publishes no standardised rate
    assert pd.isna(total["standardised_rate_per_1000"])


def test_universe_follows_the_reference_date_and_age_limits():
    data = tables()
    data["person"].loc[:9, "birth_year"] = 2007  # ten persons turn 18 in 2025
    store = store_from_frames(data)
    adults = {**resolve([GGZ])[0], "id": "ggz-adults", "population": {"age_min": 18}}
    try:
        before = compare(store, [adults], R, "wijk", rules=EXACT, disclosure="suppress")
        after = compare(store, [adults], R.replace(year=2025), "wijk", rules=EXACT, disclosure="suppress")
    finally:
        store.close()
    assert _get(before.counts, region_code="WK1", definition="ggz-adults")["population"] == 30
    assert _get(after.counts, region_code="WK1", definition="ggz-adults")["population"] == 40


def test_pairs(exact):
    p = _get(exact.pairs, region_code="WK1", definition_a=GGZ, definition_b=E33)
    assert (p["both"], p["only_a"], p["only_b"]) == (10, 20, 10)
    assert p["jaccard"] == pytest.approx(0.25)
    p2 = _get(exact.pairs, region_code="WK2", definition_a=GGZ, definition_b=E33)
    assert (p2["both"], p2["only_a"], p2["only_b"]) == (0, 0, 5)


def test_intersections_are_exclusive(exact):
    wk1 = exact.intersections[exact.intersections["region_code"] == "WK1"].set_index("definitions")["count"]
    assert wk1[GGZ] == 15
    assert wk1[f"{GGZ}&{MULTI}"] == 5
    assert wk1[f"{GGZ}&{E33}&{MULTI}"] == 10
    assert wk1[E33] == 10
    assert wk1.sum() == 40  # everyone in WK1 who is in any definition, once
    wk3 = exact.intersections[exact.intersections["region_code"] == "WK3"].set_index("definitions")
    assert wk3.loc[E33, "coverage"] == "none" and pd.isna(wk3.loc[E33, "count"])
    assert wk3.loc[GGZ, "coverage"] == "full" and wk3.loc[GGZ, "count"] == 0


def test_attrition(exact):
    e33 = _get(exact.attrition, region_code="WK1", definition=MULTI, criterion="e33")
    assert (e33["meets"], e33["admits"], e33["removes"]) == (20, 10, 0)
    ggz = _get(exact.attrition, region_code="WK1", definition=MULTI, criterion="ggz")
    assert (ggz["meets"], ggz["admits"], ggz["removes"]) == (30, 15, 0)
    single = _get(exact.attrition, region_code="GM1", definition=GGZ, criterion="ggz-sp")
    assert (single["meets"], single["admits"], single["removes"]) == (30, 0, 50)  # 80 residents, 30 meet


def test_attrition_and_intersections_default_to_gemeente_level():
    store = store_from_frames(tables())
    try:
        result = compare(store, [GGZ, MULTI], R, "wijk", rules=EXACT, disclosure="suppress")
    finally:
        store.close()
    assert set(result.attrition["level"]) == {"total", "gemeente"}
    assert set(result.intersections["level"]) == {"total", "gemeente"}
    assert set(result.counts["level"]) == set(result.pairs["level"]) == {"total", "gemeente", "wijk"}
    assert result.manifest["attrition_level"] == result.manifest["intersection_level"] == "gemeente"


def test_survey_estimate_with_interval(exact):
    assert K10 not in set(exact.counts["definition"])  # an estimate is never a count
    total = _get(exact.estimates, region_code="totaal", definition=K10)
    assert total["result"] == "estimate" and total["respondents"] == 50
    assert total["estimate_percent"] == 50.0
    # equal weights: design effect 50/49 is published rounded to 1.0 (the exact value would give n back),
    # so the interval is Wilson's with n = 50
    assert (total["ci_low_percent"], total["ci_high_percent"]) == (36.6, 63.4)
    gm1 = _get(exact.estimates, region_code="GM1", definition=K10)
    assert gm1["estimate_status"] == "too_few_respondents" and pd.isna(gm1["estimate_percent"])


def test_manifest(exact):
    m = exact.manifest
    assert m["reference_date"] == "2024-12-31" and m["level"] == "wijk"
    assert [d["id"] for d in m["definitions"]] == [GGZ, E33, MULTI, K10]
    assert all(d["content_hash"].startswith("sha256:") and d["version"] == "1.0.0" for d in m["definitions"])
    assert {d["id"]: d["result"] for d in m["definitions"]}[K10] == "estimate"
    assert m["disclosure"]["threshold"] == 1 and m["zicht_version"]


def test_default_release_perturbs_every_count_within_the_table(exact):
    store = store_from_frames(tables())
    try:
        result = compare(
            store, [GGZ, E33, MULTI, K10], R, "wijk", attrition_level="wijk", intersection_level="wijk"
        )
    finally:
        store.close()
    rules = result.manifest["disclosure"]
    assert rules["mode"] == "perturb" and rules["max_deviation"] == 5
    moved = 0
    for name, cols in (
        ("counts", ["count"]),
        ("pairs", ["both", "only_a", "only_b"]),
        ("attrition", ["meets", "admits", "removes"]),
    ):
        keys = {
            "counts": ["region_code", "definition"],
            "pairs": ["region_code", "definition_a", "definition_b"],
            "attrition": ["region_code", "definition", "criterion"],
        }[name]
        got = result.to_frames()[name].set_index(keys)
        true = exact.to_frames()[name].set_index(keys)
        for col in cols:
            both = pd.concat([got[col].rename("p"), true[col].rename("t")], axis=1).dropna()
            assert len(both)
            dev = (both["p"] - both["t"]).astype(int)
            assert dev.abs().max() <= 5, (name, col)
            assert ((both["t"] == 0) <= (both["p"] == 0)).all(), "zeros stay zero"
            assert not both["p"].isin([1, 2]).any(), "no published 1 or 2"
            assert (both["p"] >= 0).all()
            moved += int((dev != 0).sum())
    assert moved > 10  # the values are perturbed, not copied
    inter = result.intersections
    # a set is listed where its published value is positive, or that of the parent region
    top = inter[inter["level"] == "total"]
    assert len(top) and (top["count"] > 0).all()
    assert {"WK1", "WK2"} <= set(inter["region_code"])


def test_suppression_mode_publishes_only_rounded_safe_counts():
    store = store_from_frames(tables())
    try:
        result = compare(store, [GGZ, E33, MULTI], R, "wijk", disclosure="suppress")
    finally:
        store.close()
    for name in ("counts", "intersections"):
        shown = result.to_frames()[name]["count"].dropna()
        assert (shown % 5 == 0).all()
    assert result.manifest["disclosure"]["rounding_base"] == 5
    wk2 = _get(result.counts, region_code="WK2", definition=E33)  # 5 persons: below 10
    assert pd.isna(wk2["count"]) and wk2["count_status"] == "suppressed"
    assert pd.isna(wk2["rate_per_1000"]) and pd.isna(wk2["standardised_rate_per_1000"])


def test_differencing_cannot_recover_a_suppressed_count():
    """Without rounding, an attacker subtracts published numbers along every relation the output shows:
    parent minus children, count minus only-A, count minus both. No relation may leave exactly one
    suppressed number, or that number would be recovered."""
    store = store_from_frames(tables())
    try:
        result = compare(
            store, [GGZ, E33, MULTI], R, "wijk", rules=DisclosureRules(rounding_base=1), disclosure="suppress"
        )
    finally:
        store.close()
    counts = result.counts.set_index(["region_code", "definition"])["count"]
    relations = [[("GM1", d), ("WK1", d), ("WK2", d)] for d in (GGZ, E33, MULTI)]
    relations += [[("totaal", d), ("GM1", d), ("GM2", d)] for d in (GGZ, MULTI)]
    suppressed_somewhere = False
    for rel in relations:
        missing = [k for k in rel if pd.isna(counts[k])]
        suppressed_somewhere |= bool(missing)
        assert len(missing) != 1, rel
    for p in result.pairs.itertuples(index=False):
        for trio in (
            (counts[(p.region_code, p.definition_a)], p.both, p.only_a),
            (counts[(p.region_code, p.definition_b)], p.both, p.only_b),
        ):
            assert sum(pd.isna(x) for x in trio) != 1, p
    assert suppressed_somewhere  # the case is not trivial: something was suppressed


def test_same_inputs_same_bytes(tmp_path):
    path = write_store(tmp_path / "store")
    outputs = {
        fmt: [compare(path, [GGZ, E33, K10], R, "wijk").to_bytes(fmt) for _ in range(2)]
        for fmt in ("csv", "json", "parquet")
    }
    for fmt, (a, b) in outputs.items():
        assert a == b, fmt
    manifest = json.loads(outputs["json"][0])["manifest"]
    assert manifest["store"]["manifest_sha256"].startswith("sha256:")
    meta = pq.read_table(io.BytesIO(outputs["parquet"][0])).schema.metadata
    assert json.loads(meta[b"zicht_manifest"])["reference_date"] == "2024-12-31"
    assert outputs["csv"][0].startswith(b"table,level,region_code")


def test_unknown_definition_and_level_are_clear_errors():
    store = store_from_frames(tables())
    try:
        with pytest.raises(InputError, match="'nope' not found in the registry"):
            compare(store, ["nope"], R, "wijk")
        with pytest.raises(InputError, match="unknown region level 'straat'"):
            compare(store, [GGZ], R, "straat")
    finally:
        store.close()
