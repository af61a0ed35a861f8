"""Primary suppression: the cells that may not be published as they are."""

from __future__ import annotations

import numpy as np

from zicht.disclosure.problem import Problem
from zicht.disclosure.rules import DisclosureRules


def primary_mask(problem: Problem, rules: DisclosureRules) -> np.ndarray:
    """Cells with ``0 < value < threshold``; with ``protect_zeros`` also zeros that are part of a non-zero total.

    A zero total is left alone: "nobody here" discloses nothing about anybody.
    """
    values = problem.values
    mask = (values > 0) & (values < rules.threshold)
    if rules.protect_zeros:
        for cells in problem.members:
            if values[cells[0]] > 0:
                parts = cells[1:]
                mask[parts[values[parts] == 0]] = True
    return mask
