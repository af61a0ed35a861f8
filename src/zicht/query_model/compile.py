"""Compile a registry definition (the dict of `registry/<id>.yaml`) into a query tree.

This is the only place where the definition language becomes nodes; it fills in the defaults of
docs/definitions.md (window = the reference period, else 12 months; min_occurrences 1;
include_narrower true) and expands concepts to CURIEs with their narrower concepts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from zicht.errors import InputError, ZichtError
from zicht.ontology.concepts import framework
from zicht.query_model.nodes import AgeRange, All, AnyOf, AtLeast, Criterion, DefinitionQuery, Node, Not
from zicht.registry.normalise import DEFAULT_PERIOD_MONTHS, content_hash


def compile_definition(definition: Mapping[str, Any]) -> DefinitionQuery:
    """The query tree of one definition; raises InputError naming the definition and the path."""
    def_id = definition.get("id")
    where = f"definition {def_id!r}"
    if not isinstance(def_id, str) or not def_id:
        raise InputError(f"definition without an id: {dict(definition).get('title', '?')!r}")
    period = (definition.get("reference_period") or {}).get("months", DEFAULT_PERIOD_MONTHS)
    try:
        criteria = {}
        for i, raw in enumerate(definition.get("criteria") or []):
            crit = _criterion(raw, period, f"{where}: criteria/{i}")
            if crit.id in criteria:
                raise InputError(f"{where}: criteria/{i}: criterion id {crit.id!r} is used twice")
            criteria[crit.id] = crit
        logic = definition.get("logic")
        if not isinstance(logic, Mapping):
            raise InputError(f"{where}: logic is missing or not a mapping")
        root = _logic(logic, criteria, f"{where}: logic")
        population = definition.get("population") or {}
        return DefinitionQuery(
            id=def_id,
            root=root,
            population=AgeRange(population.get("age_min"), population.get("age_max")),
            period_months=period,
            version=str(definition.get("version") or ""),
            content_hash=str(definition.get("content_hash") or content_hash(definition)),
            criteria=_used_in_order(criteria, root),
        )
    except InputError:
        raise
    except ZichtError as exc:
        raise InputError(f"{where}: {exc}") from None


def _used_in_order(criteria: dict[str, Criterion], root: Node) -> tuple[Criterion, ...]:
    from zicht.query_model.nodes import criteria_of

    used = {c.id for c in criteria_of(root)}
    return tuple(c for cid, c in criteria.items() if cid in used)


def _criterion(raw: Any, period: int, where: str) -> Criterion:
    if not isinstance(raw, Mapping):
        raise InputError(f"{where}: a criterion must be a mapping")
    scheme = framework()
    concepts: list[str] = []
    for key in raw.get("concepts") or []:
        if key not in scheme:
            raise InputError(f"{where}/concepts: unknown framework concept {key!r}")
        if raw.get("include_narrower", True) is False:
            concepts.append(scheme.get(key).curie)
        else:
            concepts.extend(c.curie for c in scheme.descendants(key))
    sources = raw.get("sources")
    return Criterion(
        id=str(raw.get("id") or ""),
        concepts=tuple(concepts),
        window_months=raw.get("window_months") or period,
        sources=tuple(sources) if sources else None,
        min_occurrences=raw.get("min_occurrences") or 1,
        min_span_days=raw.get("min_span_days"),
        value_min=raw.get("value_min"),
        value_max=raw.get("value_max"),
        age=AgeRange(raw.get("age_min"), raw.get("age_max")),
    )


def _logic(node: Mapping[str, Any], criteria: dict[str, Criterion], where: str) -> Node:
    operands: list[Node] = []
    for op_id in node.get("operands") or []:
        if op_id not in criteria:
            raise InputError(f"{where}/operands: {op_id!r} is not a criterion id of this definition")
        operands.append(criteria[op_id])
    for i, group in enumerate(node.get("groups") or []):
        if not isinstance(group, Mapping):
            raise InputError(f"{where}/groups/{i}: a group must be a mapping")
        operands.append(_logic(group, criteria, f"{where}/groups/{i}"))
    op = node.get("op")
    try:
        if op == "all":
            return All(tuple(operands))
        if op == "any":
            return AnyOf(tuple(operands))
        if op == "at_least":
            return AtLeast(node.get("k"), tuple(operands))  # type: ignore[arg-type]
        if op == "not":
            if len(operands) != 1:
                raise InputError(f"{where}: 'not' takes exactly one operand, got {len(operands)}")
            return Not(operands[0])
    except InputError:
        raise
    except ZichtError as exc:
        raise InputError(f"{where}: {exc}") from None
    raise InputError(f"{where}/op: unknown operator {op!r} (expected all, any, at_least or not)")
