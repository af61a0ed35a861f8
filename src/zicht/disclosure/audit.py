"""The LP audit: how far can an attacker narrow each suppressed cell?

For every suppressed cell two linear programs give the smallest and the largest value it can take given
everything published. The attacker modelled here is *stronger* than a real one: it knows the true value
of every published cell (not only the rounded value) and that every suppressed cell is a non-negative
integer (>= 1 when zeros are always published, because then no suppressed cell can be zero). Rounding can
only widen a real attacker's intervals, so a table that passes this audit also passes it with rounding
(the attacker test in tests/unit/disclosure checks exactly that, with the rounding intervals).

Knowing the published cells exactly turns them into constants, so the problem falls apart into blocks:
the connected components of suppressed cells linked by shared relations. Each block is a small LP, which
is what makes national wijk tables feasible. Two shortcuts keep the number of LPs down: the true values
are a feasible point, and every LP solution is another one; a cell whose observed range is already wide
enough needs no LP of its own. A block's LP is built once in HiGHS and re-solved per objective from the
previous basis (a warm start), about fifteen times faster than a fresh ``scipy.optimize.linprog`` call
on the same block. Every variable is capped (``cap``) so that no LP is unbounded; a cap only
shrinks the attacker's intervals, which errs on the safe side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from zicht.disclosure.problem import Problem
from zicht.extras import require

highspy = require("highspy", "suppress", "the suppression mode (--disclosure suppress)")
sparse = require("scipy.sparse", "suppress", "the suppression mode (--disclosure suppress)")
connected_components = require(
    "scipy.sparse.csgraph", "suppress", "the suppression mode (--disclosure suppress)"
).connected_components

if TYPE_CHECKING:  # the type only; the module itself comes from the `suppress` extra at run time
    from scipy.sparse import csr_matrix

_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Finding:
    """A suppressed cell the attacker can narrow to ``[lo, hi]``, narrower than required."""

    cell: int
    lo: int  # the attacker's integer bounds
    hi: int


@dataclass
class Auditor:
    """Audits growing suppression patterns of one problem; remembers the cells already found safe."""

    problem: Problem
    lower: np.ndarray  # per cell: what the attacker knows as its smallest possible value when hidden
    interval: int  # required hi - lo
    exempt: np.ndarray | None = (
        None  # hidden cells that need no protection of their own (withheld, not small)
    )
    lp_solves: int = 0
    blocks_checked: int = 0
    safe: np.ndarray = field(init=False)  # cells found safe: they stay safe (see ``audit``)

    def __post_init__(self) -> None:
        # Large enough that scaling a block whose cells are all suppressed still spans ``interval``.
        self.cap = float((self.interval + 2) * (int(self.problem.values.max(initial=0)) + 1) * 2)
        self.safe = np.zeros(self.problem.n_cells, dtype=bool) if self.exempt is None else self.exempt.copy()

    @staticmethod
    def _integer_bounds(lo: float, hi: float) -> tuple[int, int]:
        """The integer interval an attacker can state; LP round-off is forgiven, not counted as width."""
        scale = max(1.0, abs(lo), abs(hi))
        return math.ceil(lo - _TOLERANCE * scale), math.floor(hi + _TOLERANCE * scale)

    def _width(self, lo: float, hi: float) -> int:
        low, high = self._integer_bounds(lo, hi)
        return high - low

    def audit(self, suppressed: np.ndarray) -> list[Finding]:
        """All suppressed cells the attacker narrows too much, in cell-id order.

        Suppressing more cells only turns constants into unknowns, so the attacker's intervals can only
        widen: a cell once found safe stays safe while the suppressed set grows, and is not solved again.
        (Call with a suppressed set that contains the previous one.)
        """
        cells = np.flatnonzero(suppressed)
        if len(cells) == 0:
            return []
        sub = self.problem.by_column[:, cells].tocsr()
        touched = np.flatnonzero(np.diff(sub.indptr) > 0)
        sub = sub[touched]
        pattern = abs(sub)
        _, labels = connected_components(pattern.T @ pattern, directed=False)
        published = np.where(suppressed, 0, self.problem.values).astype(float)
        rhs = -(self.problem.matrix[touched] @ published)
        by_column = sub.tocsc()

        findings: list[Finding] = []
        order = np.argsort(labels, kind="stable")
        bounds = np.flatnonzero(np.diff(labels[order])) + 1
        for local in np.split(order, bounds):
            block = cells[local]
            if self.safe[block].all():
                continue
            block_columns = by_column[:, local]
            rows_local = np.flatnonzero(np.diff(block_columns.tocsr().indptr) > 0)
            found = self._audit_block(block, block_columns.tocsr()[rows_local], rhs[rows_local])
            self.blocks_checked += 1
            findings.extend(found)
        findings.sort(key=lambda f: self.problem.rank[f.cell])
        return findings

    def _audit_block(self, block: np.ndarray, a_eq: csr_matrix, b_eq: np.ndarray) -> list[Finding]:
        if a_eq.shape[0] == 0:  # a suppressed cell in no relation: nothing narrows it
            self.safe[block] = True
            return []
        truth = self.problem.values[block].astype(float)
        seen_lo, seen_hi = truth.copy(), truth.copy()
        findings: list[Finding] = []
        lp: _BlockLP | None = None
        for i in range(len(block)):
            if self.safe[block[i]] or self._width(seen_lo[i], seen_hi[i]) >= self.interval:
                self.safe[block[i]] = True
                continue
            lp = lp or _BlockLP(a_eq, b_eq, self.lower[block].astype(float), self.cap)
            lo, low_point = lp.optimum(i, 1.0)
            self.lp_solves += 1
            self._observe(low_point, seen_lo, seen_hi)
            if self._width(lo, seen_hi[i]) >= self.interval:
                self.safe[block[i]] = True
                continue
            hi, high_point = lp.optimum(i, -1.0)
            self.lp_solves += 1
            self._observe(high_point, seen_lo, seen_hi)
            if self._width(lo, hi) < self.interval:
                low, high = self._integer_bounds(lo, hi)
                findings.append(Finding(cell=int(block[i]), lo=low, hi=high))
            else:
                self.safe[block[i]] = True
        return findings

    @staticmethod
    def _observe(point: np.ndarray, seen_lo: np.ndarray, seen_hi: np.ndarray) -> None:
        np.minimum(seen_lo, point, out=seen_lo)
        np.maximum(seen_hi, point, out=seen_hi)


class _BlockLP:
    """``A x = b, lower <= x <= cap`` in HiGHS, re-solved for one objective ``sense * x_i`` at a time."""

    def __init__(self, a_eq: csr_matrix, b_eq: np.ndarray, lower: np.ndarray, cap: float) -> None:
        columns = sparse.csc_matrix(a_eq)
        n_rows, n_cols = columns.shape
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = n_cols, n_rows
        lp.col_cost_ = np.zeros(n_cols)
        lp.col_lower_ = lower
        lp.col_upper_ = np.full(n_cols, cap)
        lp.row_lower_ = lp.row_upper_ = np.asarray(b_eq, dtype=float)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n_cols, n_rows
        lp.a_matrix_.start_ = columns.indptr.astype(np.int32)
        lp.a_matrix_.index_ = columns.indices.astype(np.int32)
        lp.a_matrix_.value_ = columns.data.astype(float)
        self._highs = highspy._Highs()  # the plain binding: highspy.Highs() prints a banner on stdout
        # One thread and no presolve: deterministic, and the basis of the last solve stays a warm start.
        for option, value in (
            ("output_flag", False),
            ("threads", 1),
            ("presolve", "off"),
            ("random_seed", 0),
        ):
            self._highs.setOptionValue(option, value)
        self._highs.passModel(lp)
        self._last: int | None = None

    def optimum(self, column: int, sense: float) -> tuple[float, np.ndarray]:
        """``(min x_i, solution)`` for sense 1; ``(max x_i, solution)`` for sense -1."""
        if self._last is not None and self._last != column:
            self._highs.changeColCost(self._last, 0.0)
        self._highs.changeColCost(column, sense)
        self._last = column
        self._run()
        solution = self._highs.getSolution()
        value = sense * self._highs.getInfo().objective_function_value
        return value, np.asarray(solution.col_value)

    def _run(self) -> None:
        self._highs.run()
        status = self._highs.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:  # the true values are feasible: a solver failure
            raise RuntimeError(f"disclosure audit: LP not solved ({self._highs.modelStatusToString(status)})")
