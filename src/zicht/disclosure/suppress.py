"""Primary suppression and the quick complement pass of secondary suppression.

The complement pass enforces the classic necessary condition: no relation (a total with its parts) may
hold exactly one suppressed cell, since that cell would be its total minus the published parts. It is
cheap and settles most cells; the LP audit (``audit.py``) then catches what overlapping relations still
leak. Complements are chosen by the smallest value (least information lost), ties by cell id, never a
zero unless zeros are protected: with zeros published, every suppressed cell is known to be >= 1, and the
audit gives the attacker exactly that knowledge. (With ``protect_zeros`` a protected zero total whose parts
are all zero can only be hidden by suppressing one of those zero parts.)
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable

import numpy as np

from zicht.disclosure.problem import Problem
from zicht.disclosure.rules import DisclosureRules


def primary_mask(problem: Problem, rules: DisclosureRules) -> np.ndarray:
    """Cells below the threshold, and with ``protect_zeros`` zeros that are a part of a non-zero total."""
    values = problem.values
    mask = (values > 0) & (values < rules.threshold)
    if rules.protect_zeros:
        for cells in problem.members:
            if values[cells[0]] > 0:
                parts = cells[1:]
                mask[parts[values[parts] == 0]] = True
    return mask


def cheapest(problem: Problem, candidates: np.ndarray) -> int | None:
    """The candidate cell with the smallest value, ties broken by cell id; None when there is none."""
    if len(candidates) == 0:
        return None
    order = np.lexsort((problem.rank[candidates], problem.values[candidates]))
    return int(candidates[order[0]])


def complement_candidates(
    problem: Problem, suppressed: np.ndarray, rows: Iterable[int], allow_zero: bool
) -> np.ndarray:
    """Published cells in the given relations that may be suppressed to protect others (zeros if allowed)."""
    cells = [problem.members[row] for row in rows]
    if not cells:
        return np.empty(0, dtype=np.int64)
    pool = np.unique(np.concatenate(cells))
    keep = ~suppressed[pool]
    if not allow_zero:
        keep &= problem.values[pool] > 0
    return pool[keep]


def complete_relations(
    problem: Problem, suppressed: np.ndarray, allow_zero: bool, start: Iterable[int] | None = None
) -> list[int]:
    """Suppress complements until no relation holds exactly one suppressed cell.

    Changes ``suppressed`` in place and returns the newly suppressed cells in the order they were chosen.
    Relations are visited in their (id-sorted) row order, so the result does not depend on input order.
    ``start`` limits the first visit to the relations of the given cells (all relations when None).
    """
    if start is None:
        pending = list(range(len(problem.members)))
    else:
        pending = sorted({int(row) for cell in start for row in problem.cell_constraints[cell]})
    heapq.heapify(pending)
    queued = set(pending)
    added: list[int] = []
    while pending:
        row = heapq.heappop(pending)
        queued.discard(row)
        cells = problem.members[row]
        if int(suppressed[cells].sum()) != 1:
            continue
        choice = cheapest(problem, complement_candidates(problem, suppressed, [row], allow_zero))
        if choice is None:  # impossible for a consistent table (see the module docstring)
            raise RuntimeError(f"no complement available for relation {row}")
        suppressed[choice] = True
        added.append(choice)
        for other in problem.cell_constraints[choice]:
            if int(other) not in queued:
                queued.add(int(other))
                heapq.heappush(pending, int(other))
    return added
