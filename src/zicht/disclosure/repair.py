"""Choosing complements for a cell the audit found too narrow: the cheapest way to let it move.

A suppressed cell the attacker can already push down to ``lo`` is protected once it can also be
``rise = lo + interval - value`` larger than it is. That takes a *direction*: changes ``y`` to the cells
with ``y[cell] >= rise``, every relation
still adding up (``A y = 0``), every cell staying a non-negative count, and only suppressed cells moving
(a published cell that moves must be suppressed). The cheapest such direction is a linear program over
``y = y_up - y_down`` (Fischetti and Salazar's protection LP for one cell): moving an already
suppressed cell is free, moving a published one costs its suppression weight (its value plus the
threshold, so fewer and smaller cells are preferred) per unit of the interval. The published cells the
direction moves are the complements. The LP is first tried on the cells within two relations of the
cell, then three, then the whole linked table; a direction found on fewer cells is still a valid
direction of the whole table, because every relation touching a moved cell is part of the LP.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from zicht.disclosure.problem import Problem
from zicht.extras import require

highspy = require("highspy", "suppress", "the suppression mode (--disclosure suppress)")
sparse = require("scipy.sparse", "suppress", "the suppression mode (--disclosure suppress)")

if TYPE_CHECKING:  # the type only; the module itself comes from the `suppress` extra at run time
    from scipy.sparse import csr_matrix

_MOVED = 1e-7
_HOPS = (2, 3, None)  # None: the whole connected part of the table


def _neighbourhood(problem: Problem, cell: int, hops: int | None) -> np.ndarray:
    reached = {cell}
    frontier = [cell]
    step = 0
    while frontier and (hops is None or step < hops):
        rows = {int(r) for c in frontier for r in problem.cell_constraints[c]}
        new = {int(c) for r in rows for c in problem.members[r]} - reached
        reached |= new
        frontier = sorted(new)
        step += 1
    return np.array(sorted(reached), dtype=np.int64)


def protecting_complements(
    problem: Problem,
    suppressed: np.ndarray,
    cell: int,
    rise: float,
    lower: np.ndarray,
    cap: float,
    allow_zero: bool,
    threshold: int,
    whole: bool = True,
) -> np.ndarray | None:
    """Published cells to suppress so that ``cell`` can be ``rise`` larger than its true value.

    ``whole=False`` gives up (None) instead of solving over the whole linked table.
    """
    by_column = problem.by_column
    for hops in _HOPS if whole else _HOPS[:-1]:
        cells = _neighbourhood(problem, cell, hops)
        block = by_column[:, cells]
        rows = np.flatnonzero(np.diff(block.tocsr().indptr) > 0)
        moves = _cheapest_direction(
            problem, suppressed, cells, block.tocsr()[rows], cell, rise, lower, cap, allow_zero, threshold
        )
        if moves is not None:
            moved: np.ndarray = cells[np.abs(moves) > _MOVED]
            newly: np.ndarray = moved[~suppressed[moved]]  # the cells not suppressed yet
            return newly
    if not whole:
        return None
    raise RuntimeError(f"disclosure control: no protecting direction for cell {problem.ids[cell]!r}")


def _cheapest_direction(
    problem: Problem,
    suppressed: np.ndarray,
    cells: np.ndarray,
    a_eq: csr_matrix,
    target: int,
    rise: float,
    lower: np.ndarray,
    cap: float,
    allow_zero: bool,
    threshold: int,
) -> np.ndarray | None:
    n = len(cells)
    values = problem.values[cells].astype(float)
    hidden = suppressed[cells]
    movable = hidden | (values > 0) | allow_zero
    up_bound = np.where(movable, cap - values, 0.0)
    down_bound = np.where(movable, np.maximum(values - lower[cells], 0.0), 0.0)
    weight = np.where(hidden, 0.0, (values + threshold) / rise)
    position = int(np.searchsorted(cells, target))
    up_lower = np.zeros(n)
    up_lower[position] = rise
    down_bound[position] = 0.0

    columns = sparse.hstack([a_eq, -a_eq]).tocsc()
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = 2 * n, a_eq.shape[0]
    lp.col_cost_ = np.concatenate([weight, weight])
    lp.col_lower_ = np.concatenate([up_lower, np.zeros(n)])
    lp.col_upper_ = np.concatenate([np.maximum(up_bound, up_lower), down_bound])
    lp.row_lower_ = lp.row_upper_ = np.zeros(a_eq.shape[0])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = 2 * n, a_eq.shape[0]
    lp.a_matrix_.start_ = columns.indptr.astype(np.int32)
    lp.a_matrix_.index_ = columns.indices.astype(np.int32)
    lp.a_matrix_.value_ = columns.data.astype(float)
    highs = highspy._Highs()  # the plain binding: highspy.Highs() prints a banner on stdout
    for option, value in (("output_flag", False), ("threads", 1), ("random_seed", 0)):
        highs.setOptionValue(option, value)
    highs.passModel(lp)
    highs.run()
    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return None
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(
            f"disclosure control: protection LP not solved ({highs.modelStatusToString(status)})"
        )
    solution = np.asarray(highs.getSolution().col_value, dtype=np.float64)
    return solution[:n] - solution[n:]
