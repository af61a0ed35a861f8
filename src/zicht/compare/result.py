"""The published result of a comparison: tidy frames, JSON, CSV and Parquet, with the manifest.

Only published values leave here (`publish.Published`: perturbed, or suppressed cells missing); the
true counts of `tables.Tables` never enter a frame. Everything derived — rates, standardised rates,
Jaccard indices, survey estimates and their intervals — is computed here from published values only.
A suppressed cell shows as missing with status `suppressed` (not why, which would itself tell something).
CSV has no comment line, in the standard or the excel dialect (`zicht.csvfile`); its manifest, with the
disclosure rules, is written beside it as `<name>.manifest.json`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from zicht.choices import COMPARE_FORMATS, CsvDialect
from zicht.compare.coverage import NONE
from zicht.compare.publish import Published, Values
from zicht.compare.survey import SurveyRules, published_estimate
from zicht.compare.tables import ATTRITION_PARTS, PAIR_PARTS, Tables
from zicht.csvfile import frame_csv
from zicht.errors import InputError

FORMATS = COMPARE_FORMATS
TABLES = ("counts", "pairs", "intersections", "attrition", "estimates")
# The columns of the estimates table after its region columns.
ESTIMATE_COLUMNS = (
    "definition",
    "result",
    "respondents",
    "estimate_percent",
    "ci_low_percent",
    "ci_high_percent",
    "estimate_status",
    "coverage",
)


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

    def to_bytes(self, fmt: str, csv_dialect: CsvDialect = "standard") -> bytes:
        if fmt == "json":
            return self.to_json().encode("utf-8")
        if fmt == "csv":
            return frame_csv(self.to_long(), csv_dialect)
        if fmt == "parquet":
            from zicht.parquet import parquet_bytes

            return parquet_bytes(
                self.to_long(),
                compression="snappy",
                metadata={"zicht_manifest": json.dumps(self.manifest, sort_keys=True)},
            )
        raise InputError(f"unknown format {fmt!r} (choose {', '.join(FORMATS)})")

    def manifest_json(self) -> bytes:
        return (json.dumps(self.manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode(
            "utf-8"
        )

    def write(self, path: Path, fmt: str, csv_dialect: CsvDialect = "standard") -> list[Path]:
        """Write the result; CSV gets its manifest beside it (`<name>.manifest.json`). Returns the files."""
        path = Path(path)
        path.write_bytes(self.to_bytes(fmt, csv_dialect))
        if fmt != "csv":
            return [path]
        side = manifest_path(path)
        side.write_bytes(self.manifest_json())
        return [path, side]


def manifest_path(path: Path) -> Path:
    """`out.csv` -> `out.manifest.json` (the run manifest that belongs to a CSV file)."""
    return path.with_name((path.stem if path.suffix else path.name) + ".manifest.json")


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


STATUS_PUBLISHED, STATUS_SUPPRESSED, STATUS_NO_SOURCE = "published", "suppressed", "no_source"


@dataclass(frozen=True)
class CoverageGrid:
    """Source coverage per region row (as `Tables.regions`) × definition (`ids`): status and gaps."""

    ids: list[str]
    status: np.ndarray
    gaps: np.ndarray

    def columns(self, defs: list[str], of: str = "status") -> np.ndarray:
        grid: np.ndarray = getattr(self, of)
        picked: np.ndarray = grid[:, [self.ids.index(d) for d in defs]]
        return picked.reshape(grid.shape[0], len(defs))


COUNT_COLUMNS = [
    "definition",
    "count",
    "count_status",
    "population",
    "rate_per_1000",
    "standardised_rate_per_1000",
    "coverage",
    "coverage_gaps",
]
PAIR_COLUMNS = [
    "definition_a",
    "definition_b",
    "both",
    "only_a",
    "only_b",
    "jaccard",
    "both_status",
    "only_a_status",
    "only_b_status",
    "coverage_a",
    "coverage_b",
]
INTERSECTION_COLUMNS = ["definitions", "n_definitions", "count", "count_status", "coverage"]
ATTRITION_COLUMNS = [
    "definition",
    "criterion",
    "meets",
    "admits",
    "removes",
    "meets_status",
    "admits_status",
    "removes_status",
    "coverage",
]


def assemble(
    t: Tables,
    pub: Published,
    names: dict[str, str],
    coverage: CoverageGrid,
    standard: dict[str, Any],
    survey_rules: SurveyRules,
    manifest: dict[str, Any],
    dense_intersections: bool,
) -> ComparisonResult:
    """The published tables of a comparison: each one's rows per region, then region names and order."""
    regions = t.regions
    region_frame = regions.table[["level", "region_code"]].assign(
        region_name=pd.Series(regions.codes, dtype=object).map(names).fillna("onbekend").to_numpy(object)
    )
    ids = list(t.counted)
    cov_counted = coverage.columns(ids)
    gone = cov_counted == NONE  # no source of the definition covers the region: nothing is published
    counts = _count_rows(t, pub, coverage, standard, gone)
    pairs = _pair_rows(t, pub, cov_counted, gone)
    inter = _intersections(t, pub, ids, cov_counted, dense_intersections)
    att = _attrition_rows(t, pub, cov_counted, gone)
    est = _estimates(t, pub, survey_rules, coverage.columns(list(t.survey)))
    return ComparisonResult(
        _finish(counts, region_frame, COUNT_COLUMNS),
        _finish(pairs, region_frame, PAIR_COLUMNS),
        _finish(inter, region_frame, INTERSECTION_COLUMNS),
        _finish(att, region_frame, ATTRITION_COLUMNS),
        _finish(est, region_frame, list(ESTIMATE_COLUMNS)),
        manifest,
    )


def _count_rows(
    t: Tables, pub: Published, coverage: CoverageGrid, standard: dict[str, Any], gone: np.ndarray
) -> pd.DataFrame:
    """Counts, rates per 1,000 and directly standardised rates per (region row `_r`, definition)."""
    n = t.regions.n
    ids = list(t.counted)
    count = _nullable(pub.count)
    universe = _nullable(pub.universe)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(universe > 0, np.round(count / universe * 1000, 1), np.nan)
    dsr = np.full((n, len(ids)), np.nan)
    if pub.standardised:
        for i, d in enumerate(ids):
            if d in pub.member_strata and standard.get(d) is not None:
                dsr[:, i] = _standardised(pub.member_strata[d], pub.resident_strata[d], standard[d])
    dsr[np.isnan(count)] = np.nan
    hide = gone | np.isnan(count)
    return pd.DataFrame(
        {
            "_r": np.repeat(np.arange(n), len(ids)),
            "definition": np.tile(np.array(ids, dtype=object), n),
            "count": _ints(np.where(gone, np.nan, count)),
            "count_status": _status(pub.count.shown, gone).ravel(),
            "population": _ints(universe),
            "rate_per_1000": _floats(np.where(hide, np.nan, rate)),
            "standardised_rate_per_1000": _floats(np.where(hide, np.nan, dsr)),
            "coverage": coverage.columns(ids).ravel(),
            "coverage_gaps": coverage.columns(ids, "gaps").ravel(),
        }
    )


def _pair_rows(t: Tables, pub: Published, cov_counted: np.ndarray, gone: np.ndarray) -> pd.DataFrame:
    """Overlap of each pair of definitions per region row: both, only a, only b, Jaccard, statuses."""
    n = t.regions.n
    ids = list(t.counted)
    n_pairs = len(t.pairs)
    pair_value = _nullable(pub.pair)
    a_idx = np.array([i for i, _ in t.pairs], dtype=np.int64)
    b_idx = np.array([j for _, j in t.pairs], dtype=np.int64)
    pair_gone = (gone[:, a_idx] | gone[:, b_idx]) if n_pairs else np.zeros((n, 0), bool)
    pcols: dict[str, Any] = {
        "_r": np.repeat(np.arange(n), n_pairs),
        "definition_a": np.tile(np.array([ids[i] for i in a_idx], dtype=object), n),
        "definition_b": np.tile(np.array([ids[j] for j in b_idx], dtype=object), n),
    }
    for k, part in enumerate(PAIR_PARTS):
        v = np.where(pair_gone, np.nan, pair_value[:, :, k])
        pcols[part] = _ints(v)
    union = (
        sum(np.where(pair_gone, np.nan, pair_value[:, :, k]) for k in range(3))
        if n_pairs
        else np.zeros((n, 0))
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        jac = np.where(union > 0, np.round(pair_value[:, :, 0] / union, 3), np.nan) if n_pairs else union
    pcols["jaccard"] = _floats(np.where(pair_gone, np.nan, jac))
    for k, part in enumerate(PAIR_PARTS):
        pcols[f"{part}_status"] = (
            _status(pub.pair.shown[:, :, k], pair_gone).ravel() if n_pairs else np.array([], dtype=object)
        )
    pcols["coverage_a"] = cov_counted[:, a_idx].ravel() if n_pairs else np.array([], dtype=object)
    pcols["coverage_b"] = cov_counted[:, b_idx].ravel() if n_pairs else np.array([], dtype=object)
    return pd.DataFrame(pcols)


def _attrition_rows(t: Tables, pub: Published, cov_counted: np.ndarray, gone: np.ndarray) -> pd.DataFrame:
    """Criterion attrition (meets, admits, removes) of each definition in the regions it is counted in."""
    parts = []
    for i, d in enumerate(t.counted):
        a = t.attrition.get(d)
        if a is None:
            continue
        rows = a.rows
        v = _nullable(pub.attrition[d])[rows]
        g = gone[rows, i]
        n_c = len(a.criteria)
        frame = {
            "_r": np.repeat(rows, n_c),
            "definition": d,
            "criterion": np.tile(np.array(a.criteria, dtype=object), len(rows)),
        }
        for k, part in enumerate(ATTRITION_PARTS):
            frame[part] = _ints(np.where(g[:, None], np.nan, v[:, :, k]))
        for k, part in enumerate(ATTRITION_PARTS):
            frame[f"{part}_status"] = _status(
                pub.attrition[d].shown[rows][:, :, k], np.repeat(g[:, None], n_c, axis=1)
            ).ravel()
        frame["coverage"] = np.repeat(cov_counted[rows, i], n_c)
        parts.append(pd.DataFrame(frame))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["_r", *ATTRITION_COLUMNS])


def _intersections(t: Tables, pub: Published, ids: list[str], cov: np.ndarray, dense: bool) -> pd.DataFrame:
    """Exclusive intersections of the regions down to the intersection level. Suppression lists every
    (region, set) of the sets present; perturbation lists a set in a region when its published value is
    positive there or in the parent region (only published values decide what is listed, so a listed
    zero never tells that persons are there)."""
    n_masks = len(t.masks)
    width = max(n_masks, 1)
    keep_region = np.zeros(t.regions.n, dtype=bool)
    keep_region[t.upset_rows] = True
    value = pub.upset.value
    shown = pub.upset.shown
    key = t.upset_region * width + t.upset_mask  # sorted (np.unique in `sparse_sum`)
    if dense:
        rows = np.repeat(t.upset_rows, n_masks)
        masks = np.tile(np.arange(n_masks), len(t.upset_rows))
    else:
        positive = (value > 0) & shown
        own = positive & keep_region[t.upset_region]
        # the parent's positive sets, offered to each of its children that carry intersections
        child_rows = np.flatnonzero(keep_region & (t.regions.parent >= 0))
        child_rows = child_rows[np.argsort(t.regions.parent[child_rows], kind="stable")]
        child_parent = t.regions.parent[child_rows]
        p_region, p_mask = t.upset_region[positive], t.upset_mask[positive]
        lo = np.searchsorted(child_parent, p_region, side="left")
        per = np.searchsorted(child_parent, p_region, side="right") - lo
        which = np.repeat(np.arange(len(p_region)), per)
        child = child_rows[np.repeat(lo, per) + np.arange(len(which)) - np.repeat(np.cumsum(per) - per, per)]
        offered = child * width + p_mask[which]
        new = ~_member(offered, key[positive])
        rows = np.concatenate([t.upset_region[own], child[new]])
        masks = np.concatenate([t.upset_mask[own], p_mask[which][new]])
    pos = np.searchsorted(key, rows * width + masks)
    found = pos < len(key)
    found[found] = key[pos[found]] == (rows * width + masks)[found]
    pos = np.where(found, pos, 0)
    v = np.where(found, value[pos] if len(value) else 0, 0).astype(float)
    s = np.where(found, shown[pos] if len(value) else True, True) if dense else np.ones(len(rows), dtype=bool)
    names = np.array([_set_name(ids, int(m)) for m in t.masks], dtype=object)
    set_bits = t.masks[masks] if n_masks else np.zeros(0, dtype=np.int64)
    weights = 1 << np.arange(len(ids), dtype=np.int64)
    none_bits = ((cov == NONE) * weights).sum(axis=1) if len(ids) else np.zeros(len(cov), dtype=np.int64)
    not_full_bits = (
        ((cov != "full") * weights).sum(axis=1) if len(ids) else np.zeros(len(cov), dtype=np.int64)
    )
    gone = (none_bits[rows] & set_bits) != 0
    worst = np.where(gone, NONE, np.where((not_full_bits[rows] & set_bits) != 0, "partial", "full")).astype(
        object
    )
    value = np.where(gone | ~s, np.nan, v)
    bits = (
        ((t.masks[:, None] >> np.arange(len(ids))) & 1).astype(bool)
        if n_masks
        else np.zeros((0, len(ids)), bool)
    )
    return pd.DataFrame(
        {
            "_r": rows,
            "definitions": names[masks] if len(masks) else np.array([], dtype=object),
            "n_definitions": bits.sum(axis=1)[masks] if len(masks) else np.array([], dtype=np.int64),
            "count": _ints(value),
            "count_status": _status(s, gone),
            "coverage": worst,
        }
    )


def _member(values: np.ndarray, sorted_keys: np.ndarray) -> np.ndarray:
    """Whether each value is among the sorted keys."""
    pos = np.searchsorted(sorted_keys, values)
    inside = pos < len(sorted_keys)
    inside[inside] = sorted_keys[pos[inside]] == values[inside]
    return inside


def _estimates(t: Tables, pub: Published, rules: SurveyRules, cov: np.ndarray) -> pd.DataFrame:
    frames = []
    for k, (d, s) in enumerate(t.survey.items()):
        resp = pub.respondents[d]
        rows: list[tuple[int, int | None, float | None, float | None, float | None, str]] = []
        for r in range(t.regions.n):
            status_cov = cov[r, k]
            shown = bool(resp.shown[r])
            if status_cov == NONE:
                rows.append((r, None, None, None, None, "no_source"))
                continue
            n_pub = int(resp.value[r]) if shown else None
            result = published_estimate(
                int(s.yes.n[r]),
                int(s.no.n[r]),
                float(s.sum_w_yes[r]),
                float(s.sum_w_no[r]),
                float(s.sum_w2_yes[r]),
                float(s.sum_w2_no[r]),
                pub.survey_yes[d].value[r] if pub.survey_yes[d].shown[r] else None,
                pub.survey_no[d].value[r] if pub.survey_no[d].shown[r] else None,
                n_pub,
            )
            if n_pub is None:  # the respondents' count is suppressed
                rows.append((r, None, None, None, None, "suppressed"))
            elif n_pub < rules.min_respondents or result is None:
                rows.append((r, n_pub, None, None, None, "too_few_respondents"))
            else:
                p, lo, hi = result
                rows.append((r, n_pub, _pct(p), _pct(lo), _pct(hi), "published"))
        f = pd.DataFrame(
            rows,
            columns=[
                "_r",
                "respondents",
                "estimate_percent",
                "ci_low_percent",
                "ci_high_percent",
                "estimate_status",
            ],
        )
        f.insert(1, "definition", d)
        f.insert(2, "result", "estimate")
        f["coverage"] = cov[:, k]
        frames.append(f)
    cols = ["_r", *ESTIMATE_COLUMNS]
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)
    return out.astype(
        {
            "respondents": "Int64",
            "estimate_percent": "Float64",
            "ci_low_percent": "Float64",
            "ci_high_percent": "Float64",
        }
    )


def _standardised(members: np.ndarray, residents: np.ndarray, standard: np.ndarray) -> np.ndarray:
    """Directly standardised rate per 1,000 per region from published stratum counts (regions × 2 × bands)
    and the standard population (2 × bands); strata without published residents are left out and the
    standard weights renormalised over the rest."""
    present = residents > 0
    weights = np.where(present, standard[None, :, :], 0.0)
    total = weights.sum(axis=(1, 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = np.where(present, members / np.where(present, residents, 1), 0.0)
        out = (weights * rates).sum(axis=(1, 2)) / total * 1000
    return np.where(total > 0, np.round(out, 1), np.nan)


def _nullable(v: Values) -> np.ndarray:
    return np.where(v.shown, v.value, np.nan).astype(float)


def _ints(values: np.ndarray) -> pd.arrays.IntegerArray:
    flat = np.asarray(values, dtype=float).ravel()
    missing = np.isnan(flat)
    return pd.arrays.IntegerArray(np.where(missing, 0, flat).astype(np.int64), missing)


def _floats(values: np.ndarray) -> pd.arrays.FloatingArray:
    flat = np.asarray(values, dtype=float).ravel()
    missing = np.isnan(flat)
    return pd.arrays.FloatingArray(np.where(missing, 0.0, flat), missing)


def _status(shown: np.ndarray, gone: np.ndarray) -> np.ndarray:
    out = np.where(shown, STATUS_PUBLISHED, STATUS_SUPPRESSED).astype(object)
    out[gone] = STATUS_NO_SOURCE
    return out


def _set_name(ids: list[str], mask: int) -> str:
    return "&".join(d for i, d in enumerate(ids) if (mask >> i) & 1)


def _pct(x: float | None) -> float | None:
    return None if x is None or math.isnan(x) else round(100 * float(x), 1)


def _finish(frame: pd.DataFrame, regions: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Region columns in front (`_r` is the region row), rows by level, region code and the key columns."""
    r = frame["_r"].to_numpy(np.int64)
    out = pd.DataFrame(
        {
            "level": regions["level"].to_numpy(object)[r],
            "region_code": regions["region_code"].to_numpy(object)[r],
            "region_name": regions["region_name"].to_numpy(object)[r],
        }
    )
    for c in columns:
        out[c] = (
            frame[c].to_numpy()
            if not isinstance(frame[c].dtype, pd.api.extensions.ExtensionDtype)
            else frame[c].array
        )
    keys = [
        c for c in ("definition", "definitions", "definition_a", "definition_b", "criterion") if c in columns
    ]
    order = (
        np.lexsort([out[k].astype(str).to_numpy() for k in reversed(keys)] + [r])
        if len(out)
        else np.arange(0)
    )
    return out.iloc[order].reset_index(drop=True)
