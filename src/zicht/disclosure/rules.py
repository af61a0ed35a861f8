"""The disclosure rules, the rounding rule, and what a published value tells an attacker.

The rules are a small frozen value: they travel with every result (output and run manifest) through
``to_dict()``, so a reader can see exactly which thresholds produced the numbers in front of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from zicht.errors import ZichtError


@dataclass(frozen=True)
class DisclosureRules:
    """Statistical disclosure control rules for person counts.

    - ``threshold``: a count with ``0 < value < threshold`` is a primary-suppressed cell.
    - ``rounding_base``: published values are rounded to the nearest multiple of this base (halves up);
      every cell, totals included, is rounded on its own. ``1`` means no rounding.
    - ``secondary``: suppress complementary cells so that no suppressed cell can be recovered from the
      constraints (totals, overlaps, nested regions) and the published cells.
    - ``min_interval``: an attacker who knows every published value, every constraint and that counts
      are non-negative integers must not be able to narrow a suppressed cell to ``[lo, hi]`` with
      ``hi - lo < min_interval``. ``None`` means "equal to the threshold".
    - ``protect_zeros``: also suppress a zero that is a part of a constraint whose total is not zero
      (a zero "A only" shows that everyone counted by A is also in B: group disclosure). Off by default,
      see docs/disclosure.md for why.
    """

    threshold: int = 10
    rounding_base: int = 5
    secondary: bool = True
    min_interval: int | None = None
    protect_zeros: bool = False

    def __post_init__(self) -> None:
        for name in ("threshold", "rounding_base"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ZichtError(f"disclosure rules: {name} must be a whole number >= 1, got {value!r}")
        if self.min_interval is not None and (
            isinstance(self.min_interval, bool)
            or not isinstance(self.min_interval, int)
            or self.min_interval < 0
        ):
            raise ZichtError(
                f"disclosure rules: min_interval must be a whole number >= 0, got {self.min_interval!r}"
            )
        for name in ("secondary", "protect_zeros"):
            if not isinstance(getattr(self, name), bool):
                raise ZichtError(
                    f"disclosure rules: {name} must be true or false, got {getattr(self, name)!r}"
                )

    @property
    def protection_interval(self) -> int:
        """The minimum width ``hi - lo`` of an attacker's interval for any suppressed cell."""
        return self.threshold if self.min_interval is None else self.min_interval

    def to_dict(self) -> dict[str, Any]:
        """The rules as plain JSON-ready values, for the output and the run manifest."""
        return {
            "threshold": self.threshold,
            "primary_rule": f"a count with 0 < value < {self.threshold} is suppressed",
            "protect_zeros": self.protect_zeros,
            "zero_rule": (
                "a zero that is part of a relation with a non-zero total is suppressed"
                if self.protect_zeros
                else "zeros are published"
            ),
            "rounding_base": self.rounding_base,
            "rounding_rule": (
                f"published values are rounded to the nearest multiple of {self.rounding_base} (halves up); "
                "every cell, totals included, is rounded on its own, so parts need not add up to the total"
                if self.rounding_base > 1
                else "no rounding"
            ),
            "secondary": self.secondary,
            "min_interval": self.protection_interval,
            "secondary_rule": (
                "complementary cells are suppressed until no suppressed cell can be narrowed to an interval "
                f"narrower than {self.protection_interval} from the published cells and the constraints"
                if self.secondary
                else "no secondary suppression"
            ),
        }


def round_to_base(values: np.ndarray, base: int) -> np.ndarray:
    """Round non-negative integers to the nearest multiple of ``base``; a value halfway rounds up."""
    values = np.asarray(values, dtype=np.int64)
    if base == 1:
        return values.copy()
    return ((values + base // 2) // base) * base


def preimage(published: int, base: int) -> tuple[int, int]:
    """All non-negative integers that ``round_to_base`` maps to ``published``, as ``(lo, hi)``."""
    if base == 1:
        return published, published
    # round(v) = r  <=>  r - base//2 <= v <= r + (base - 1) - base//2   (halves go up)
    lo = max(0, published - base // 2)
    hi = published + (base - 1) - base // 2
    return lo, hi
