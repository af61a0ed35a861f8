"""Counts for the API: definitions from the registry database, `zicht.compare` on the store (cached),
and the published result reshaped into cells, overlaps, UpSet and attrition for one level and area.

Only the published columns of a `ComparisonResult` are read; it never holds person-level data. The
release is the same as the CLI's (cell-key perturbation by default), so any cell has the same value in
any request. The suppression mode is answered only from one canonical release per store snapshot and
reference date: every current published definition, protected together down to one level.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from zicht import regions as catalogue
from zicht.api.errors import ApiError
from zicht.api.region_table import all_regions, inside
from zicht.api.store_state import StoreState
from zicht.compare import ComparisonResult, compare
from zicht.compare.publish import PERTURB, SUPPRESS
from zicht.compare.run import suppression
from zicht.errors import ZichtError
from zicht.regions import codes

# Levels a client may ask for; regio and land are the total of the store's area.
LEVELS = codes.LEVELS
STATUS = {
    "published": "published",
    "suppressed": "suppressed",
    "no_source": "not_covered",
    "too_few_respondents": "suppressed",
}


def compare_key(
    state: StoreState,
    documents: list[dict[str, Any]],
    reference_date: dt.date,
    level: str,
    disclosure: str = PERTURB,
) -> tuple:
    """What a comparison depends on: the store snapshot, the definition versions, the date, the level and
    the disclosure mode."""
    status = state()
    if not status.counts_available or state.path is None:
        raise ApiError(503, f"counts are not available: {status.message}")
    compare_level = "gemeente" if level in ("land", "regio") else level
    # Sorted: the same set of definitions asked in another order is the same comparison (and the same
    # protected release, so two orders cannot be differenced against each other).
    return (
        "compare",
        state.manifest_hash(),
        tuple(sorted((d["id"], d["version"], d["content_hash"]) for d in documents)),
        reference_date.isoformat(),
        disclosure,
        compare_level,
    )


def run(
    state: StoreState,
    documents: list[dict[str, Any]],
    reference_date: dt.date,
    level: str,
    disclosure: str = PERTURB,
) -> ComparisonResult:
    key = compare_key(state, documents, reference_date, level, disclosure)
    path = state.path
    if path is None:  # the routes ask only when a store is served; this says so if one forgets
        raise ApiError(503, "no store is served: start `zicht serve --store PATH` to compute counts")
    ordered = sorted(documents, key=lambda d: (d["id"], d["version"]))
    return state.cached(key, lambda: compare(path, ordered, reference_date, key[-1], disclosure=disclosure))


def require_suppression() -> None:
    """501 when the suppression mode's optional extra (scipy) is not installed."""
    try:
        suppression()
    except ZichtError as e:
        raise ApiError(501, str(e)) from e


def canonical_release(
    state: StoreState,
    published: list[dict[str, Any]],
    requested: list[dict[str, Any]],
    reference_date: dt.date,
    level: str,
    canonical_level: str,
) -> ComparisonResult:
    """The suppression mode's one release per store snapshot and date: all current published definitions
    (`published`), protected together down to `canonical_level`. Requests only cut pieces out of it, so
    two requests can never be differenced against each other."""
    current = {(d["id"], d["version"]) for d in published}
    for d in requested:
        if d.get("status") != "published" or (d["id"], d["version"]) not in current:
            raise ApiError(
                422,
                f"disclosure=suppress answers from the canonical release of the current published "
                f"definitions; {d['id']}@{d['version']} is not one of them",
            )
    if level in ("wijk", "buurt") and LEVELS.index(level) > LEVELS.index(canonical_level):
        raise ApiError(
            422,
            f"disclosure=suppress is released down to {canonical_level} level only; "
            f"use disclosure=perturb for {level}",
        )
    return run(state, published, reference_date, canonical_level, SUPPRESS)


def _total_code(result: ComparisonResult) -> str:
    """What the total of a store covers: Twente, the Netherlands, or only the store's own gemeenten."""
    present = set(result.counts.loc[result.counts["level"] == "gemeente", "region_code"])
    present |= set(result.estimates.loc[result.estimates["level"] == "gemeente", "region_code"])
    if present == set(catalogue.gemeente_codes("twente")):
        return catalogue.TWENTE_CODE
    if present == set(catalogue.gemeente_codes("nl")):
        return catalogue.NL_CODE
    return "totaal"


def _rows(frame: pd.DataFrame, level: str, within: str | None, total: str) -> Iterable[dict[str, Any]]:
    if level in ("land", "regio"):
        wanted = catalogue.NL_CODE if level == "land" else catalogue.TWENTE_CODE
        if total == wanted:
            picked = frame[frame["level"] == "total"]
        elif level == "regio":
            # a national store carries Twente as a regio of its own (compare's aggregate of its gemeenten)
            picked = frame[(frame["level"] == "regio") & (frame["region_code"] == wanted)]
        else:
            return []
    else:
        picked = frame[frame["level"] == level]
    out = []
    for row in picked.to_dict(orient="records"):
        code = total if row["level"] == "total" else row["region_code"]
        if within and row["level"] != "total" and not inside(code.split("-")[0], within):
            continue
        row["region_code"] = code
        out.append(
            {
                k: (None if v is pd.NA or (isinstance(v, float) and math.isnan(v)) else v)
                for k, v in row.items()
            }
        )
    return out


def shape(
    result: ComparisonResult, documents: list[dict[str, Any]], level: str, within: str | None
) -> dict[str, Any]:
    """The JSON body of GET /counts: the rows of the asked definitions at the asked level (and the total)
    within the asked region, as cells (counts and estimates), overlaps, UpSet bars and attrition."""
    result = _only(result, {d["id"] for d in documents})
    total = _total_code(result)
    estimated = set(result.estimates["definition"])
    names = all_regions()

    def rows(frame: pd.DataFrame) -> Iterable[dict[str, Any]]:
        return _rows(frame, level, within, total)

    manifest = result.manifest
    return {
        "reference_date": manifest["reference_date"],
        "level": level,
        "within": within,
        "total_region": total,
        "definitions": [
            {
                "id": d["id"],
                "version": d["version"],
                "content_hash": d["content_hash"],
                "title": d.get("title"),
                "kind": "estimate" if d["id"] in estimated else "count",
            }
            for d in documents
        ],
        "cells": [_cell(r, names, level, "count_status", _COUNT_FIELDS) for r in rows(result.counts)]
        + [_cell(r, names, level, "estimate_status", _ESTIMATE_FIELDS) for r in rows(result.estimates)],
        "overlaps": [_overlap(r) for r in rows(result.pairs)],
        "upset": [
            {
                "region": r["region_code"],
                "members": r["definitions"].split("&"),
                "count": r["count"],
                "status": STATUS[r["count_status"]],
            }
            for r in rows(result.intersections)
        ],
        "attrition": [_attrition(r) for r in rows(result.attrition)],
        "disclosure": manifest.get("disclosure"),
        "manifest": manifest,
    }


# The value fields of a comparison cell: a count fills the first four, a survey estimate the last four, so that
# every cell has the same keys in the same order whatever its kind.
_VALUE_KEYS = (
    "count",
    "population",
    "rate_per_1000",
    "standardised_rate",
    "estimate",
    "ci_low",
    "ci_high",
    "respondents",
)


# Which column of the result fills which value field, for a count and for a survey estimate.
_COUNT_FIELDS = {
    "count": "count",
    "population": "population",
    "rate_per_1000": "rate_per_1000",
    "standardised_rate": "standardised_rate_per_1000",
    "coverage_gaps": "coverage_gaps",
}
_ESTIMATE_FIELDS = {
    "estimate": "estimate_percent",
    "ci_low": "ci_low_percent",
    "ci_high": "ci_high_percent",
    "respondents": "respondents",
}


def _cell(
    r: dict[str, Any], names: dict[str, Any], level: str, status_column: str, fields: dict[str, str]
) -> dict[str, Any]:
    status = r[status_column]
    cell = {
        "region": r["region_code"],
        "region_name": _name(r, names),
        "level": level,
        "definition": r["definition"],
        **dict.fromkeys(_VALUE_KEYS),
        "coverage": r["coverage"],
        "coverage_gaps": None,
        "status": STATUS[status],
        "reason": status,
    }
    cell.update(
        {key: r[column] for key, column in fields.items()}
    )  # a key already in the dict keeps its place
    cell["coverage_gaps"] = cell["coverage_gaps"] or None  # no gaps is None, not an empty list
    return cell


def _overlap(r: dict[str, Any]) -> dict[str, Any]:
    """A pair row; its status is published only when all three parts are."""
    statuses = {r["both_status"], r["only_a_status"], r["only_b_status"]}
    gone = "none" in (r["coverage_a"], r["coverage_b"])
    status = "not_covered" if gone else "published" if statuses == {"published"} else "suppressed"
    return {
        "region": r["region_code"],
        "a": r["definition_a"],
        "b": r["definition_b"],
        "both": r["both"],
        "only_a": r["only_a"],
        "only_b": r["only_b"],
        "jaccard": r["jaccard"],
        "status": status,
        "both_status": r["both_status"],
        "only_a_status": r["only_a_status"],
        "only_b_status": r["only_b_status"],
    }


def _attrition(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "region": r["region_code"],
        "definition": r["definition"],
        "criterion": r["criterion"],
        "meets": r["meets"],
        "admits": r["admits"],
        "removes": r["removes"],
        "meets_status": r["meets_status"],
        "admits_status": r["admits_status"],
        "removes_status": r["removes_status"],
        "coverage": r["coverage"],
    }


def _only(result: ComparisonResult, wanted: set[str]) -> ComparisonResult:
    """The rows of `result` about the wanted definitions only (a canonical release holds more)."""
    if set(result.counts["definition"]) | set(result.estimates["definition"]) <= wanted:
        return result
    inter = result.intersections
    keep = [set(x.split("&")) <= wanted for x in inter["definitions"]]
    pairs = result.pairs
    return ComparisonResult(
        result.counts[result.counts["definition"].isin(wanted)],
        pairs[pairs["definition_a"].isin(wanted) & pairs["definition_b"].isin(wanted)],
        inter[keep],
        result.attrition[result.attrition["definition"].isin(wanted)],
        result.estimates[result.estimates["definition"].isin(wanted)],
        result.manifest,
    )


def _name(row: dict[str, Any], names: dict[str, Any]) -> str | None:
    region = names.get(row["region_code"])
    if region is not None:
        return region.name
    if row["region_code"] == catalogue.TWENTE_CODE:
        return "Twente"
    if row["region_code"] == catalogue.NL_CODE:
        return "Nederland"
    return row.get("region_name")


CELL_COLUMNS = (
    "region",
    "region_name",
    "level",
    "definition",
    "status",
    "reason",
    "count",
    "population",
    "rate_per_1000",
    "standardised_rate",
    "estimate",
    "ci_low",
    "ci_high",
    "respondents",
    "coverage",
    "coverage_gaps",
)
