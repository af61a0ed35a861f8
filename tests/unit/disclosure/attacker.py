"""An attacker who tries to recover suppressed cells from a protected table.

Written apart from the code under test: it reads only what would be published (``published``, NA when
suppressed), the constraints and the rules, and attacks with the published rounding intervals (not the
true values the audit assumes). Two attacks:

- differencing: every constraint, and every sum and difference of two constraints, that leaves a single
  suppressed cell gives that cell as a combination of published cells;
- linear programming: the tightest interval of every suppressed cell given everything published.
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from zicht.disclosure import Constraint, DisclosureRules


def published_interval(published: int, rules: DisclosureRules) -> tuple[int, int]:
    """What a published value tells: it rounds to ``published`` and it was publishable (0 or >= threshold)."""
    base = rules.rounding_base
    lo = max(0, math.ceil(published - base / 2))  # halves round up: r - base/2 rounds to r
    hi = math.ceil(published + base / 2) - 1
    if lo == 0 and hi < rules.threshold:
        return 0, 0  # 1 .. threshold-1 would have been suppressed
    if lo == 0:
        return 0, hi  # 0 or threshold .. hi
    return max(lo, rules.threshold), hi


class Attack:
    def __init__(self, table: pd.DataFrame, constraints: list[Constraint], rules: DisclosureRules) -> None:
        self.rules = rules
        self.ids = table["cell_id"].tolist()
        self.position = {cell: i for i, cell in enumerate(self.ids)}
        published = table["published"]
        self.suppressed = published.isna().to_numpy()
        self.lo = np.zeros(len(self.ids))
        self.hi = np.full(len(self.ids), np.inf)
        lower = 0 if rules.protect_zeros else 1  # zeros are always published unless protected ...
        withheld = table["withheld"].to_numpy(bool) if "withheld" in table else np.zeros(len(table), bool)
        for i, value in enumerate(published):
            if self.suppressed[i]:
                self.lo[i] = 0 if withheld[i] else lower  # ... or withheld (the caller hides those)
            else:
                self.lo[i], self.hi[i] = published_interval(int(value), rules)
        self.rows = []
        for c in constraints:
            row = np.zeros(len(self.ids))
            row[self.position[c.total]] = 1.0
            for part in c.parts:
                row[self.position[part]] = -1.0
            self.rows.append(row)

    def _interval_from(self, row: np.ndarray) -> tuple[int, float, float] | None:
        """If ``row @ x == 0`` leaves exactly one suppressed cell, that cell's interval."""
        involved = np.flatnonzero(row)
        hidden = [i for i in involved if self.suppressed[i]]
        if len(hidden) != 1:
            return None
        target = hidden[0]
        rest = [i for i in involved if i != target]
        # row[target] * x_target = -sum(row[k] * x_k)
        scaled = -row[rest] / row[target]
        lo = float(np.sum(np.where(scaled > 0, scaled * self.lo[rest], scaled * self.hi[rest])))
        hi = float(np.sum(np.where(scaled > 0, scaled * self.hi[rest], scaled * self.lo[rest])))
        return target, max(lo, self.lo[target]), hi

    def differencing(self) -> dict[str, tuple[float, float]]:
        """Narrowest interval per suppressed cell over all constraints and pairwise sums/differences."""
        found: dict[str, tuple[float, float]] = {}
        candidates = list(self.rows)
        for a, b in combinations(self.rows, 2):
            if np.any((a != 0) & (b != 0)):
                candidates.extend([a - b, a + b])
        for row in candidates:
            result = self._interval_from(row)
            if result is None:
                continue
            target, lo, hi = result
            cell = self.ids[target]
            if cell not in found or hi - lo < found[cell][1] - found[cell][0]:
                found[cell] = (lo, hi)
        return found

    def linear_programming(self) -> dict[str, tuple[int, int]]:
        """The integer interval [ceil(min), floor(max)] of every suppressed cell."""
        a_eq = np.array(self.rows) if self.rows else None
        b_eq = np.zeros(len(self.rows)) if self.rows else None
        bounds = [(self.lo[i], None if np.isinf(self.hi[i]) else self.hi[i]) for i in range(len(self.ids))]
        result: dict[str, tuple[int, int]] = {}
        for i in np.flatnonzero(self.suppressed):
            c = np.zeros(len(self.ids))
            c[i] = 1.0
            low = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            high = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            assert low.status == 0, low.message
            hi = math.inf if high.status == 3 else -high.fun
            assert high.status in (0, 3), high.message
            result[self.ids[i]] = (math.ceil(low.fun - 1e-6), hi if math.isinf(hi) else math.floor(hi + 1e-6))
        return result


def narrowest(intervals: dict[str, tuple[float, float]]) -> float:
    return min((hi - lo for lo, hi in intervals.values()), default=math.inf)
