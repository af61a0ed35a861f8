"""Tree transformations used by compare (they build new nodes; trees are immutable)."""

from __future__ import annotations

from zicht.query_model.nodes import All, AnyOf, AtLeast, Criterion, Node, Not


def without_criterion(node: Node, criterion_id: str) -> Node | None:
    """The tree with every use of a criterion dropped, for attrition ("what if this criterion were not
    part of the definition"). A node left without operands disappears; `at_least k` keeps
    k = min(k, operands left); None means no condition is left (everyone in the universe)."""
    if isinstance(node, Criterion):
        return None if node.id == criterion_id else node
    if isinstance(node, Not):
        inner = without_criterion(node.operand, criterion_id)
        return None if inner is None else Not(inner)
    kept = tuple(x for x in (without_criterion(op, criterion_id) for op in node.operands) if x is not None)
    if not kept:
        return None
    if isinstance(node, AtLeast):
        return AtLeast(min(node.k, len(kept)), kept)
    return type(node)(kept) if isinstance(node, All | AnyOf) else node
