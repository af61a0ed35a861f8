"""Disclosure control: every count that leaves zicht passes ``protect``.

``protect(cells, constraints, rules)`` takes a table of person counts (``cell_id``, ``value``, any
metadata) and the linear relations between them (``Constraint(total, parts)``: a total equals the sum of
its parts: regions nested in regions, definitions and their overlaps, intersections and unions). It
returns ``Protected``: the table with ``published`` (rounded, NA when suppressed) and ``status``
(published | primary | secondary), and the rules applied, for the output and the run manifest.

Steps: primary suppression of small counts, a complement pass (no relation with exactly one suppressed
cell), an LP audit per block of linked suppressed cells that adds complements until no suppressed cell
can be narrowed below the protection interval, then rounding. The rules in plain words are in
docs/disclosure.md.

The suppression machinery (LP audit) needs scipy, an optional extra (`zicht[suppress]`); the default
release (cell-key perturbation, `ptable`) does not. So the names below are loaded on first use: importing
``zicht.disclosure`` or its rules never imports scipy.
"""

from __future__ import annotations

import importlib
from typing import Any

from zicht.disclosure.rules import DisclosureRules, preimage, round_to_base

_LAZY = {
    "Constraint": "zicht.disclosure.problem",
    "PRIMARY": "zicht.disclosure.protect",
    "PUBLISHED": "zicht.disclosure.protect",
    "SECONDARY": "zicht.disclosure.protect",
    "Protected": "zicht.disclosure.protect",
    "protect": "zicht.disclosure.protect",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        module = importlib.import_module(_LAZY[name])
        # Bind every lazy name of that module here; this also replaces the submodule attribute
        # `zicht.disclosure.protect` (set by the import) with the function of the same name.
        globals().update({n: getattr(module, n) for n, m in _LAZY.items() if m == _LAZY[name]})
        return globals()[name]
    raise AttributeError(f"module 'zicht.disclosure' has no attribute {name!r}")


__all__ = [
    "PRIMARY",
    "PUBLISHED",
    "SECONDARY",
    "Constraint",
    "DisclosureRules",
    "Protected",
    "preimage",
    "protect",
    "round_to_base",
]
