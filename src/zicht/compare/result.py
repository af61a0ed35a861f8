"""The published result of a comparison: tidy frames, JSON, CSV and Parquet, with the manifest.

Only published values leave here: counts come from `Protected.table.published` (rounded, NA when
suppressed); the unprotected `value` column never enters a frame. A suppressed cell shows as missing
with status `suppressed` (not whether it was primary or secondary, which would itself tell something).
"""

from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from zicht.compare.coverage import NONE
from zicht.compare.regions import LEVELS
from zicht.compare.survey import SurveyRules
from zicht.errors import InputError

FORMATS = ("csv", "json", "parquet")
TABLES = ("counts", "pairs", "intersections", "attrition", "estimates")


@dataclass(frozen=True)
class ComparisonResult:
    counts: pd.DataFrame
    pairs: pd.DataFrame
    intersections: pd.DataFrame
    attrition: pd.DataFrame
    estimates: pd.DataFrame
    manifest: dict[str, Any]

    def to_frames(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in TABLES}

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"manifest": self.manifest}
        for name, frame in self.to_frames().items():
            out[name] = [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n"

    def to_long(self) -> pd.DataFrame:
        """All tables in one frame with a `table` column (for CSV and Parquet)."""
        frames = [f.assign(table=name) for name, f in self.to_frames().items() if len(f)]
        if not frames:
            return pd.DataFrame({"table": pd.Series(dtype=object)})
        long = pd.concat(frames, ignore_index=True)
        return long[["table"] + [c for c in long.columns if c != "table"]]

    def to_bytes(self, fmt: str) -> bytes:
        if fmt == "json":
            return self.to_json().encode("utf-8")
        if fmt == "csv":
            buf = io.StringIO()
            buf.write("# zicht compare manifest: " + json.dumps(self.manifest, ensure_ascii=False, sort_keys=True) + "\n")
            self.to_long().to_csv(buf, index=False, lineterminator="\n")
            return buf.getvalue().encode("utf-8")
        if fmt == "parquet":
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(self.to_long().astype(object).where(self.to_long().notna(), None),
                                         preserve_index=False)
            meta = dict(table.schema.metadata or {})
            meta.pop(b"pandas", None)
            meta[b"zicht_manifest"] = json.dumps(self.manifest, sort_keys=True).encode("utf-8")
            buf = io.BytesIO()
            pq.write_table(table.replace_schema_metadata(meta), buf)
            return buf.getvalue()
        raise InputError(f"unknown format {fmt!r} (choose {', '.join(FORMATS)})")

    def write(self, path: Path, fmt: str) -> None:
        Path(path).write_bytes(self.to_bytes(fmt))


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def assemble(table: pd.DataFrame, regions: pd.DataFrame, names: dict[str, str], coverage: pd.DataFrame,
             rates: pd.DataFrame, estimates: dict[str, pd.DataFrame], survey_rules: SurveyRules,
             manifest: dict[str, Any]) -> ComparisonResult:
    t = table.drop(columns=["value"]).copy()
    t["shown"] = t["published"].astype("Int64")
    t["state"] = t["status"].where(t["status"] == "published", "suppressed")
    cov = coverage.set_index(["region_code", "definition"])
    t = t.join(cov["coverage"], on=["region_code", "definition"])
    region_cols = regions[["level", "region_code"]].assign(
        region_name=[names.get(c, "onbekend") for c in regions["region_code"]])

    def pick(kind: str) -> pd.DataFrame:
        return t[t["kind"] == kind]

    counts = pick("count").merge(rates, on=["region_code", "definition"], how="left")
    counts = counts.join(cov["coverage_gaps"], on=["region_code", "definition"])
    no_source = counts["coverage"] == NONE
    counts.loc[no_source, ["shown", "rate_per_1000", "standardised_rate_per_1000"]] = None
    counts.loc[no_source, "state"] = "no_source"
    counts = counts.rename(columns={"shown": "count", "state": "count_status"})
    counts = _finish(counts, region_cols, ["definition", "count", "count_status", "population", "rate_per_1000",
                                           "standardised_rate_per_1000", "coverage", "coverage_gaps"])

    pair_parts = {k: pick(k).set_index(["region_code", "definition", "other"]) for k in ("both", "only_a", "only_b")}
    pairs = pair_parts["both"][["shown", "state", "coverage"]].rename(columns={"shown": "both", "state": "both_status"})
    for k in ("only_a", "only_b"):
        pairs[k] = pair_parts[k]["shown"]
        pairs[f"{k}_status"] = pair_parts[k]["state"]
    pairs = pairs.reset_index().rename(columns={"definition": "definition_a", "other": "definition_b",
                                                "coverage": "coverage_a"})
    pairs = pairs.join(cov["coverage"].rename("coverage_b"), on=["region_code", "definition_b"])
    union = pairs["both"] + pairs["only_a"] + pairs["only_b"]
    pairs["jaccard"] = (pairs["both"] / union.where(union > 0)).astype("Float64").round(3)
    gone = (pairs["coverage_a"] == NONE) | (pairs["coverage_b"] == NONE)
    pairs.loc[gone, ["both", "only_a", "only_b", "jaccard"]] = None
    pairs.loc[gone, ["both_status", "only_a_status", "only_b_status"]] = "no_source"
    pairs = _finish(pairs, region_cols, ["definition_a", "definition_b", "both", "only_a", "only_b", "jaccard",
                                         "both_status", "only_a_status", "only_b_status", "coverage_a", "coverage_b"])

    inter = pick("upset").rename(columns={"definition": "definitions", "shown": "count", "state": "count_status"})
    inter["n_definitions"] = inter["definitions"].str.count("&") + 1
    by_key = cov["coverage"].to_dict()
    inter["coverage"] = [_worst(by_key.get((code, d)) for d in ds.split("&"))
                         for code, ds in zip(inter["region_code"], inter["definitions"], strict=True)]
    inter.loc[inter["coverage"] == NONE, ["count", "count_status"]] = [None, "no_source"]
    inter = _finish(inter, region_cols, ["definitions", "n_definitions", "count", "count_status", "coverage"])

    att_parts = {k: pick(k).set_index(["region_code", "definition", "criterion"]) for k in ("meets", "admits", "removes")}
    att = att_parts["meets"][["shown", "state", "coverage"]].rename(columns={"shown": "meets", "state": "meets_status"})
    for k in ("admits", "removes"):
        att[k] = att_parts[k]["shown"]
        att[f"{k}_status"] = att_parts[k]["state"]
    att = att.reset_index()
    att.loc[att["coverage"] == NONE, ["meets", "admits", "removes"]] = None
    att.loc[att["coverage"] == NONE, ["meets_status", "admits_status", "removes_status"]] = "no_source"
    att = _finish(att, region_cols, ["definition", "criterion", "meets", "admits", "removes", "meets_status",
                                     "admits_status", "removes_status", "coverage"])

    est = _estimates(pick("respondents"), estimates, survey_rules)
    est = _finish(est, region_cols, ["definition", "result", "respondents", "estimate_percent", "ci_low_percent",
                                     "ci_high_percent", "estimate_status", "coverage"])
    return ComparisonResult(counts, pairs, inter, att, est, manifest)


def _estimates(resp: pd.DataFrame, estimates: dict[str, pd.DataFrame], rules: SurveyRules) -> pd.DataFrame:
    rows = []
    for r in resp.itertuples(index=False):
        e = estimates[r.definition]
        hit = e[e["region_code"] == r.region_code]
        n = int(hit["respondents"].iloc[0]) if len(hit) else 0
        p, lo, hi = (hit[["estimate", "ci_low", "ci_high"]].iloc[0].tolist() if len(hit) else (None, None, None))
        if r.coverage == NONE:
            status = "no_source"
        elif r.state != "published":
            status = "suppressed"
        elif n < rules.min_respondents or p is None:
            status = "too_few_respondents"
        else:
            status = "published"
        shown = status == "published"
        rows.append((r.region_code, r.definition, "estimate", None if r.coverage == NONE else r.shown,
                     _pct(p) if shown else None, _pct(lo) if shown else None, _pct(hi) if shown else None,
                     status, r.coverage))
    return pd.DataFrame(rows, columns=["region_code", "definition", "result", "respondents", "estimate_percent",
                                       "ci_low_percent", "ci_high_percent", "estimate_status", "coverage"])


def _worst(statuses) -> str:
    """The coverage of a set of definitions: none if any is none, partial if any is not full."""
    seen = set(statuses)
    return NONE if NONE in seen else ("full" if seen <= {"full"} else "partial")


def _pct(x: float | None) -> float | None:
    return None if x is None or math.isnan(x) else round(100 * float(x), 1)


def _finish(frame: pd.DataFrame, regions: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    out = regions.merge(frame, on="region_code", how="inner", suffixes=("", "_cell"))
    out = out[["level", "region_code", "region_name", *columns]]
    order = out["level"].map({lvl: i for i, lvl in enumerate(LEVELS)})
    keys = [c for c in ("definition", "definitions", "definition_a", "definition_b", "criterion") if c in columns]
    out = out.assign(_o=order).sort_values(["_o", "region_code", *keys], kind="mergesort").drop(columns="_o")
    return out.reset_index(drop=True)
