"""The generator's own evaluation of definitions: ground truth for harmonise + the definition engines.

Written independently of `zicht.engines` on purpose (numpy/pandas over the generator's clean event
list), following docs/definitions.md. It sees exactly the events the extracts deliver validly
(defect rows excluded, coverage respected), so a correct pipeline reproduces its numbers exactly.

Inputs are plain frames:
- persons: index = person number within the batch; columns ``birth_year``, ``gemeente``, ``wijk``, ``buurt``;
- events: ``person``, ``source_id``, ``concept`` (framework key), ``start``, ``end`` (datetime64[D];
  NaT = running), ``value``, ``weight``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

from zicht.errors import InputError
from zicht.ontology.concepts import framework


@lru_cache(maxsize=256)
def _expand(concept: str, include_narrower: bool) -> frozenset[str]:
    if not include_narrower:
        return frozenset({concept})
    return frozenset(c.key for c in framework().descendants(concept))


def window_start(reference: date, months: int) -> date:
    """W = R - months (calendar months, day clamped to the month's end) + 1 day."""
    return reference - relativedelta(months=months) + relativedelta(days=1)


def _criterion(
    crit: Mapping[str, Any],
    definition: Mapping[str, Any],
    persons: pd.DataFrame,
    events: pd.DataFrame,
    reference: date,
) -> np.ndarray:
    """Boolean per person (in `persons` order): the criterion holds."""
    months = crit.get("window_months") or (definition.get("reference_period") or {}).get("months") or 12
    r = np.datetime64(reference, "D")
    w = np.datetime64(window_start(reference, int(months)), "D")
    concepts = set().union(*(_expand(c, crit.get("include_narrower", True)) for c in crit["concepts"]))
    ev = events[events["concept"].isin(concepts)]
    if crit.get("sources"):
        ev = ev[ev["source_id"].isin(crit["sources"])]
    end = ev["end"].to_numpy().astype("datetime64[D]")
    start = ev["start"].to_numpy().astype("datetime64[D]")
    end_or_r = np.where(np.isnat(end), r, end)
    keep = (start <= r) & (end_or_r >= w)
    value = ev["value"].to_numpy(float)
    if crit.get("value_min") is not None:
        keep &= ~np.isnan(value) & (value >= float(crit["value_min"]))
    if crit.get("value_max") is not None:
        keep &= ~np.isnan(value) & (value <= float(crit["value_max"]))
    m = pd.DataFrame({"person": ev["person"].to_numpy()[keep], "start": start[keep], "end": end_or_r[keep]})
    grouped = m.groupby("person")
    stats = grouped.agg(n=("start", "size"), first=("start", "min"), last=("end", "max"))
    ok = stats["n"] >= int(crit.get("min_occurrences") or 1)
    if crit.get("min_span_days") is not None:
        last = np.minimum(stats["last"].to_numpy().astype("datetime64[D]"), r)
        first = np.maximum(stats["first"].to_numpy().astype("datetime64[D]"), w)
        ok &= (last - first).astype(int) >= int(crit["min_span_days"])
    holds = persons.index.isin(stats.index[ok.to_numpy()])
    age = reference.year - persons["birth_year"].to_numpy()
    if crit.get("age_min") is not None:
        holds &= age >= int(crit["age_min"])
    if crit.get("age_max") is not None:
        holds &= age <= int(crit["age_max"])
    return holds


def _logic(node: Mapping[str, Any], results: dict[str, np.ndarray]) -> np.ndarray:
    parts = [results[o] for o in node.get("operands") or []] + [
        _logic(g, results) for g in node.get("groups") or []
    ]
    op = node["op"]
    if op == "all":
        return np.logical_and.reduce(parts)
    if op == "any":
        return np.logical_or.reduce(parts)
    if op == "at_least":
        return np.sum(parts, axis=0) >= int(node["k"])
    if op == "not":
        if len(parts) != 1:
            raise InputError(f"a not node needs exactly one operand, got {len(parts)}")
        return ~parts[0]
    raise InputError(f"unknown logic operator {op!r}")


def universe(definition: Mapping[str, Any], persons: pd.DataFrame, reference: date) -> np.ndarray:
    pop = definition.get("population") or {}
    age = reference.year - persons["birth_year"].to_numpy()
    inside = np.ones(len(persons), bool)
    if pop.get("age_min") is not None:
        inside &= age >= int(pop["age_min"])
    if pop.get("age_max") is not None:
        inside &= age <= int(pop["age_max"])
    return inside


def membership(
    definition: Mapping[str, Any], persons: pd.DataFrame, events: pd.DataFrame, reference: date
) -> np.ndarray:
    """Boolean per person: member of the definition at the reference date."""
    results = {c["id"]: _criterion(c, definition, persons, events, reference) for c in definition["criteria"]}
    return _logic(definition["logic"], results) & universe(definition, persons, reference)


def is_survey(definition: Mapping[str, Any], source_kinds: Mapping[str, str]) -> bool:
    """A definition whose criteria all restrict to survey sources gives an estimate, not a count."""
    crits = definition["criteria"]
    return all(c.get("sources") and all(source_kinds.get(s) == "survey" for s in c["sources"]) for c in crits)


def survey_respondents(
    definition: Mapping[str, Any], persons: pd.DataFrame, events: pd.DataFrame, reference: date
) -> pd.Series:
    """Design weight per respondent in the universe: persons with an event of the definition's survey
    sources in the definition's window (the weight of a respondent is the same on all their rows)."""
    sources = {s for c in definition["criteria"] for s in c["sources"]}
    months = (definition.get("reference_period") or {}).get("months") or 12
    r = np.datetime64(reference, "D")
    w = np.datetime64(window_start(reference, int(months)), "D")
    ev = events[events["source_id"].isin(sources)]
    start = ev["start"].to_numpy().astype("datetime64[D]")
    ev = ev[(start <= r) & (start >= w)]
    weight = ev.groupby("person")["weight"].first()
    inside = persons.index[universe(definition, persons, reference)]
    return weight[weight.index.isin(inside)]
