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
"""

from zicht.disclosure.problem import Constraint
from zicht.disclosure.protect import PRIMARY, PUBLISHED, SECONDARY, Protected, protect
from zicht.disclosure.rules import DisclosureRules, preimage, round_to_base

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
