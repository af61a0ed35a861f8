"""``protect``: primary suppression, secondary suppression checked by the LP audit, and rounding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from zicht.disclosure.audit import Auditor, Finding
from zicht.disclosure.problem import Constraint, Problem, build_problem
from zicht.disclosure.rules import DisclosureRules, round_to_base
from zicht.disclosure.suppress import cheapest, complement_candidates, complete_relations, primary_mask

PUBLISHED, PRIMARY, SECONDARY = "published", "primary", "secondary"


@dataclass(frozen=True)
class Protected:
    """The cells with ``published`` (rounded, NA when suppressed) and ``status``, and the rules applied.

    ``table`` keeps the input columns, ``value`` included: it is for the run and its audit, never for
    publication. Publish ``published`` only, and show a suppressed cell as suppressed without its status.
    """

    table: pd.DataFrame
    rules: dict[str, Any]

    @property
    def n_primary(self) -> int:
        return int((self.table["status"] == PRIMARY).sum())

    @property
    def n_secondary(self) -> int:
        return int((self.table["status"] == SECONDARY).sum())


def _complements(problem: Problem, suppressed: np.ndarray, findings: list[Finding], allow_zero: bool) -> list[int]:
    """One complement per finding, skipping findings that a complement chosen this round already touches."""
    added: list[int] = []
    for finding in findings:
        relations = finding.binding_rows or finding.block_rows
        near = np.unique(np.concatenate([problem.members[row] for row in relations]))
        if added and np.isin(near, added).any():
            continue
        choice = cheapest(problem, complement_candidates(problem, suppressed, relations, allow_zero))
        if choice is None:
            choice = cheapest(problem, complement_candidates(problem, suppressed, finding.block_rows, allow_zero))
        if choice is None:
            raise RuntimeError(
                f"disclosure control: cell {problem.ids[finding.cell]!r} stays narrowed to "
                f"[{finding.lo:.1f}, {finding.hi:.1f}] and no cell is left to suppress next to it"
            )
        suppressed[choice] = True
        added.append(choice)
    return added


def _secondary(problem: Problem, suppressed: np.ndarray, rules: DisclosureRules) -> dict[str, int]:
    allow_zero = rules.protect_zeros
    complete_relations(problem, suppressed, allow_zero)
    auditor = Auditor(problem, lower=0 if rules.protect_zeros else 1, interval=rules.protection_interval)
    rounds = 0
    while True:
        rounds += 1
        findings = auditor.audit(suppressed)
        if not findings:
            break
        added = _complements(problem, suppressed, findings, allow_zero)
        complete_relations(problem, suppressed, allow_zero, start=added)
    return {"audit_rounds": rounds, "audit_blocks_checked": auditor.blocks_checked, "audit_lp_solves": auditor.lp_solves}


def protect(cells: pd.DataFrame, constraints: list[Constraint], rules: DisclosureRules | None = None) -> Protected:
    """Apply disclosure control to person counts linked by ``constraints`` (``total == sum(parts)``).

    Deterministic: the same cells and constraints (in any row or list order) give the same result.
    Raises ``ZichtError`` naming the cell or constraint when the input is not a consistent count table.
    """
    rules = rules if rules is not None else DisclosureRules()
    problem = build_problem(cells, constraints)
    primary = primary_mask(problem, rules)
    suppressed = primary.copy()
    audit = {"audit_rounds": 0, "audit_blocks_checked": 0, "audit_lp_solves": 0}
    if rules.secondary and primary.any():
        audit = _secondary(problem, suppressed, rules)

    rounded = round_to_base(problem.values, rules.rounding_base)
    table = cells.copy()
    published = pd.array(rounded, dtype="Int64")
    published[suppressed] = pd.NA
    table["published"] = published
    table["status"] = np.where(primary, PRIMARY, np.where(suppressed, SECONDARY, PUBLISHED))
    applied = rules.to_dict()
    applied.update(
        {
            "audit_attacker": (
                "knows every published value exactly, every constraint, and that counts are integers "
                f">= {0 if rules.protect_zeros else 1} when suppressed; must not narrow a suppressed cell to "
                f"an interval narrower than {rules.protection_interval}"
                if rules.secondary
                else "none"
            ),
            "cells": problem.n_cells,
            "constraints": len(problem.members),
            "published_cells": int((~suppressed).sum()),
            "suppressed_primary": int(primary.sum()),
            "suppressed_secondary": int((suppressed & ~primary).sum()),
            **audit,
        }
    )
    return Protected(table=table, rules=applied)
