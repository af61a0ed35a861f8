"""From true cells to published values: the one release step of every comparison.

Two modes (docs/disclosure.md):

* `perturb` (default): every cell is its true count plus a deviation from the perturbation table, looked
  up by the cell's key. No relations between cells are needed: the same persons give the same value in
  every table, so differencing and repeating queries give nothing new.
* `suppress`: the LP-audited suppression of `zicht.disclosure.protect` over every cell and every
  relation a reader can use (`cells.py`), for fixed publication tables released once.

Either way the result is the same arrays with a `shown` flag (always true when perturbing).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from zicht.choices import DISCLOSURE_MODES
from zicht.compare.tables import Sums, Tables
from zicht.disclosure.ptable import PerturbationRules, cell_keys

PERTURB, SUPPRESS = DISCLOSURE_MODES
MODES = DISCLOSURE_MODES


@dataclass
class Values:
    value: np.ndarray
    shown: np.ndarray

    @staticmethod
    def all_shown(value: np.ndarray) -> Values:
        return Values(value, np.ones(value.shape, dtype=bool))


@dataclass
class Published:
    count: Values
    pair: Values
    upset: Values
    universe: Values
    attrition: dict[str, Values] = field(default_factory=dict)
    member_strata: dict[str, np.ndarray] = field(default_factory=dict)
    resident_strata: dict[str, np.ndarray] = field(default_factory=dict)
    respondents: dict[str, Values] = field(default_factory=dict)
    survey_yes: dict[str, Values] = field(default_factory=dict)
    survey_no: dict[str, Values] = field(default_factory=dict)
    rules: dict[str, Any] = field(default_factory=dict)
    standardised: bool = True


def perturb(t: Tables, rules: PerturbationRules) -> Published:
    table = rules.table

    def p(s: Sums) -> np.ndarray:
        return table.perturb(s.n, cell_keys(s.rk))

    out = Published(
        Values.all_shown(p(t.count)),
        Values.all_shown(p(t.pair)),
        Values.all_shown(p(t.upset)),
        Values.all_shown(p(t.universe)),
    )
    for d, a in t.attrition.items():
        out.attrition[d] = Values.all_shown(p(a.cells))
    for d, strata in t.member_strata.items():
        out.member_strata[d] = p(strata)
        out.resident_strata[d] = p(t.resident_strata[d])
    for d, sv in t.survey.items():
        out.respondents[d] = Values.all_shown(p(sv.yes + sv.no))
        out.survey_yes[d] = Values.all_shown(p(sv.yes))
        out.survey_no[d] = Values.all_shown(p(sv.no))
    n_cells = sum(int(np.prod(x.value.shape)) for x in (out.count, out.pair, out.upset, out.universe))
    n_cells += sum(int(np.prod(x.value.shape)) for x in out.attrition.values())
    n_cells += sum(3 * len(x.value) for x in out.respondents.values())
    out.rules = {"mode": PERTURB, **rules.to_dict(), "cells": n_cells, "published_cells": n_cells}
    return out


__all__ = ["MODES", "PERTURB", "SUPPRESS", "Published", "Values", "perturb"]
