"""Canonical form of a definition and its content hash.

The hash covers everything that gives a definition its meaning or its citation (texts, author,
criteria, logic, references) and leaves out lifecycle metadata (status, dates of publication, the
hash itself), so that deprecating a version keeps its hash while any edit of its content changes it.
Defaults are filled in and order-free lists sorted, so that equivalent files hash the same.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

LIFECYCLE_FIELDS = ("status", "content_hash", "published", "created")
DEFAULT_PERIOD_MONTHS = 12


def _norm_logic(node: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"op": node["op"]}
    if node.get("k") is not None:
        out["k"] = node["k"]
    out["operands"] = sorted(node.get("operands") or [])
    groups = [_norm_logic(g) for g in node.get("groups") or []]
    out["groups"] = sorted(groups, key=lambda g: json.dumps(g, sort_keys=True))
    return out


def _norm_criterion(crit: Mapping[str, Any], period_months: int) -> dict[str, Any]:
    out = {k: v for k, v in crit.items() if v is not None and v != []}
    out["concepts"] = sorted(set(out.get("concepts") or []))
    if "sources" in out:
        out["sources"] = sorted(set(out["sources"]))
    out.setdefault("include_narrower", True)
    out.setdefault("min_occurrences", 1)
    out.setdefault("window_months", period_months)
    for key in ("value_min", "value_max"):
        if key in out:
            out[key] = float(out[key])
    return out


def normalise(definition: Mapping[str, Any]) -> dict[str, Any]:
    """The canonical content of a definition (lifecycle fields removed, defaults filled, lists sorted)."""
    d = copy.deepcopy(dict(definition))
    for key in LIFECYCLE_FIELDS:
        d.pop(key, None)
    d = {k: v for k, v in d.items() if v is not None and v != [] and v != {}}
    period = (d.get("reference_period") or {}).get("months", DEFAULT_PERIOD_MONTHS)
    d["reference_period"] = {"months": period}
    if "domains" in d:
        d["domains"] = sorted(set(d["domains"]))
    d["criteria"] = sorted(
        (_norm_criterion(c, period) for c in d.get("criteria") or []), key=lambda c: c["id"]
    )
    if "logic" in d:
        d["logic"] = _norm_logic(d["logic"])
    if isinstance(d.get("description"), str):
        d["description"] = " ".join(d["description"].split())
    return d


def canonical_json(definition: Mapping[str, Any]) -> str:
    return json.dumps(
        normalise(definition), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_iso
    )


def content_hash(definition: Mapping[str, Any]) -> str:
    return "sha256:" + hashlib.sha256(canonical_json(definition).encode("utf-8")).hexdigest()


def _iso(value: Any) -> str:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")
