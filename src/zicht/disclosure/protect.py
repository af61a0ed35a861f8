"""``protect``: primary suppression, secondary suppression checked by the LP audit, and rounding."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from zicht.disclosure.audit import Auditor, Finding
from zicht.disclosure.primary import primary_mask
from zicht.disclosure.problem import Constraint, Problem, build_problem, withheld_mask
from zicht.disclosure.repair import protecting_complements
from zicht.disclosure.rules import DisclosureRules, round_to_base

PUBLISHED, PRIMARY, SECONDARY, WITHHELD = "published", "primary", "secondary", "withheld"


@dataclass(frozen=True)
class Protected:
    """The cells with ``published`` (rounded, NA when suppressed) and ``status``, and the rules applied.

    ``status``: published | primary (small) | secondary (hidden to protect another cell) | withheld (the
    caller's ``withheld`` column: never published, e.g. building blocks of other numbers).

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


def _complements(
    problem: Problem,
    suppressed: np.ndarray,
    findings: list[Finding],
    rules: DisclosureRules,
    lower: np.ndarray,
    cap: float,
) -> list[int]:
    """Suppress, per narrow cell, the published cells of its cheapest protecting direction.

    A finding next to a cell suppressed earlier in the same round waits for the next audit: that cell
    may well have protected it already. So does a finding whose direction would have to be sought over the
    whole linked table (an expensive LP) once anything was suppressed this round: far-reaching directions
    often run through the cells just suppressed. The first finding of a round is always repaired, so
    every round makes progress.
    """
    added: list[int] = []
    nearby_added = np.zeros(problem.n_cells, dtype=bool)
    for finding in findings:
        if nearby_added[finding.cell]:
            continue
        rise = finding.lo + rules.protection_interval - int(problem.values[finding.cell])
        chosen = protecting_complements(
            problem,
            suppressed,
            finding.cell,
            rise,
            lower,
            cap,
            rules.protect_zeros,
            rules.threshold,
            whole=not added,
        )
        if chosen is None:
            continue
        suppressed[chosen] = True
        added.extend(int(c) for c in chosen)
        for cell in chosen:
            for row in problem.cell_constraints[cell]:
                nearby_added[problem.members[row]] = True
    return added


def _secondary(
    problem: Problem,
    suppressed: np.ndarray,
    rules: DisclosureRules,
    withheld: np.ndarray,
    primary: np.ndarray,
) -> dict[str, int]:
    # Zeros are published unless protected, so a hidden cell is >= 1 -- except a withheld one.
    lower = np.where(withheld, 0, 0 if rules.protect_zeros else 1)
    exempt = withheld & ~primary
    auditor = Auditor(problem, lower=lower, interval=rules.protection_interval, exempt=exempt)
    rounds = 0
    while True:
        rounds += 1
        findings = auditor.audit(suppressed)
        if not findings:
            break
        if not _complements(
            problem, suppressed, findings, rules, lower, auditor.cap
        ):  # guards against looping
            raise RuntimeError(
                f"disclosure control: no complement found for cell {problem.ids[findings[0].cell]!r}"
            )
    return {
        "audit_rounds": rounds,
        "audit_blocks_checked": auditor.blocks_checked,
        "audit_lp_solves": auditor.lp_solves,
    }


def protect(
    cells: pd.DataFrame, constraints: list[Constraint], rules: DisclosureRules | None = None
) -> Protected:
    """Apply disclosure control to person counts linked by ``constraints`` (``total == sum(parts)``).

    Deterministic: the same cells and constraints (in any row or list order) give the same result.
    Raises ``ZichtError`` naming the cell or constraint when the input is not a consistent count table.
    """
    rules = rules if rules is not None else DisclosureRules()
    problem = build_problem(cells, constraints)
    withheld = withheld_mask(cells)
    primary = primary_mask(problem, rules)
    suppressed = primary | withheld
    audit = {"audit_rounds": 0, "audit_blocks_checked": 0, "audit_lp_solves": 0}
    if rules.secondary and primary.any():
        audit = _secondary(problem, suppressed, rules, withheld, primary)

    rounded = round_to_base(problem.values, rules.rounding_base)
    table = cells.copy()
    published = pd.array(rounded, dtype="Int64")
    published[suppressed] = pd.NA
    table["published"] = published
    table["status"] = np.where(
        withheld, WITHHELD, np.where(primary, PRIMARY, np.where(suppressed, SECONDARY, PUBLISHED))
    )
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
            "withheld_cells": int(withheld.sum()),
            "suppressed_primary": int((primary & ~withheld).sum()),
            "suppressed_secondary": int((suppressed & ~primary & ~withheld).sum()),
            **audit,
        }
    )
    return Protected(table=table, rules=applied)
