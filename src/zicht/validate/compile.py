"""Compiling a shapes graph into column checks for the fast engine.

The fast engine does not carry its own copy of the rules: it reads the same ``SourceShapes.graph`` the
reference engine hands to pyshacl and turns every constraint that can reach a row of the extract into a
``Check``. What it cannot translate exactly raises ``Unsupported`` with the reason, and the caller falls
back to the reference engine — a shape is never skipped silently.

A shape can reach rows only through ``sh:targetClass <source>/Record``; shapes with other class targets
(the model's shapes, supplements for registry files) have no focus nodes among rows and are left out.
Targets that could select rows in other ways (``sh:targetNode`` on a row, ``sh:targetSubjectsOf`` or
``sh:targetObjectsOf`` a column) are unsupported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

from zicht.validate.reference import rule_id
from zicht.validate.shapes import SourceShapes, duplicate_key_query
from zicht.validate.vocab import DUPLICATE_KEY, ROW_PREFIX, ZV


class Unsupported(Exception):
    """A shape feature the fast engine cannot compile exactly."""


@dataclass(frozen=True)
class Check:
    kind: str  # the constraint: min_count, datatype, pattern, in, min_inclusive, ..., duplicate_key
    component: str  # SHACL constraint component local name as pyshacl reports it
    column: str | None  # the path's column; None when the path is a property no row has
    param: Any
    rule: str
    message: str
    severity: str


# Parameters of a property shape that do not constrain anything.
_ANNOTATIONS = {
    RDF.type,
    SH.path,
    SH.message,
    SH.severity,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.defaultValue,
    SH.deactivated,
    RDFS.label,
    RDFS.comment,
}
_NODE_ANNOTATIONS = _ANNOTATIONS | {SH.targetClass, SH.property, SH.sparql, SH.ignoredProperties}

_SIMPLE: dict[Node, tuple[str, str]] = {
    SH.minCount: ("min_count", "MinCountConstraintComponent"),
    SH.maxCount: ("max_count", "MaxCountConstraintComponent"),
    SH.datatype: ("datatype", "DatatypeConstraintComponent"),
    SH.minInclusive: ("min_inclusive", "MinInclusiveConstraintComponent"),
    SH.maxInclusive: ("max_inclusive", "MaxInclusiveConstraintComponent"),
    SH.minExclusive: ("min_exclusive", "MinExclusiveConstraintComponent"),
    SH.maxExclusive: ("max_exclusive", "MaxExclusiveConstraintComponent"),
    SH.minLength: ("min_length", "MinLengthConstraintComponent"),
    SH.maxLength: ("max_length", "MaxLengthConstraintComponent"),
    SH.lessThan: ("less_than", "LessThanConstraintComponent"),
    SH.lessThanOrEquals: ("less_than_or_equals", "LessThanOrEqualsConstraintComponent"),
    SH.nodeKind: ("node_kind", "NodeKindConstraintComponent"),
}
_DATATYPES = {XSD.string, XSD.integer, XSD.decimal, XSD.date}
_TARGETS = (SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def compile_shapes(shapes: SourceShapes) -> list[Check]:
    """Every check that applies to rows of the extract, in a stable order; ``Unsupported`` otherwise."""
    g = shapes.graph
    _LIST_INDEX.clear()
    _refuse_other_targets(g, shapes)
    checks: list[Check] = []
    for shape in sorted(set(g.subjects(SH.targetClass, shapes.record_class)), key=str):
        if _deactivated(g, shape):
            continue
        if (shape, SH.path, None) in g:
            checks.extend(_property_shape(g, shape, shapes))
        else:
            checks.extend(_node_shape(g, shape, shapes))
    if (shapes.record_class, RDF.type, RDFS.Class) in g or (shapes.record_class, RDF.type, SH.NodeShape) in g:
        raise Unsupported(f"{shapes.record_class} is used as an implicit class target")
    return checks


def _refuse_other_targets(g: Graph, shapes: SourceShapes) -> None:
    row_predicates = set(shapes.columns) | {RDF.type, ZV.ordinal}
    for predicate in _TARGETS:
        for shape, target in g.subject_objects(predicate):
            if _deactivated(g, shape):
                continue
            if predicate == SH.targetNode and not str(target).startswith(ROW_PREFIX):
                continue
            if predicate != SH.targetNode and target not in row_predicates:
                continue
            raise Unsupported(f"shape {shape} selects rows through {predicate.n3(g.namespace_manager)}")


def _deactivated(g: Graph, shape: Node) -> bool:
    flag = g.value(shape, SH.deactivated)
    return isinstance(flag, Literal) and flag.value is True


def _node_shape(g: Graph, shape: Node, shapes: SourceShapes) -> list[Check]:
    for predicate, value in g.predicate_objects(shape):
        if predicate in _NODE_ANNOTATIONS:
            continue
        if predicate == SH.closed and isinstance(value, Literal) and value.value is False:
            continue
        if str(predicate).startswith(str(SH)):
            raise Unsupported(f"node shape {shape}: {predicate.n3(g.namespace_manager)} is not compiled")
    checks: list[Check] = []
    for prop in sorted(g.objects(shape, SH.property), key=str):
        if not _deactivated(g, prop):
            checks.extend(_property_shape(g, prop, shapes))
    for constraint in sorted(g.objects(shape, SH.sparql), key=str):
        if not _deactivated(g, constraint):
            checks.append(_sparql(g, shape, constraint, shapes))
    return checks


def _property_shape(g: Graph, shape: Node, shapes: SourceShapes) -> list[Check]:
    path = g.value(shape, SH.path)
    if not isinstance(path, URIRef):
        raise Unsupported(f"property shape {shape}: only a single property as sh:path is compiled")
    if path in (RDF.type, ZV.ordinal):
        raise Unsupported(f"property shape {shape}: path {path} is not a column")
    column = shapes.columns.get(path)
    rule = rule_id(shape)
    message = _text(g.value(shape, SH.message))
    severity = _severity(g, shape)
    checks: list[Check] = []
    for predicate, value in sorted(g.predicate_objects(shape), key=lambda pv: (str(pv[0]), str(pv[1]))):
        if predicate in _ANNOTATIONS or predicate in (SH.flags, SH.targetClass):
            continue
        if predicate in _SIMPLE:
            kind, component = _SIMPLE[predicate]
            checks.append(
                Check(kind, component, column, _param(g, shape, kind, value, shapes), rule, message, severity)
            )
        elif predicate == SH.pattern:
            flags = _text(g.value(shape, SH.flags)).lower()
            compiled = re.compile(
                str(value.value) if isinstance(value, Literal) else str(value),
                (re.IGNORECASE if "i" in flags else 0) | (re.MULTILINE if "m" in flags else 0),
            )
            checks.append(
                Check("pattern", "PatternConstraintComponent", column, compiled, rule, message, severity)
            )
        elif predicate == SH["in"]:
            members = _list_items(g, value)
            checks.append(
                Check(
                    "in",
                    "InConstraintComponent",
                    column,
                    frozenset(_term_key(m) for m in members),
                    rule,
                    message,
                    severity,
                )
            )
        else:
            raise Unsupported(f"property shape {rule}: {predicate.n3(g.namespace_manager)} is not compiled")
    return checks


def _param(g: Graph, shape: Node, kind: str, value: object, shapes: SourceShapes) -> Any:
    if kind in ("min_count", "max_count", "min_length", "max_length"):
        if not (isinstance(value, Literal) and isinstance(value.value, int)):
            raise Unsupported(f"{shape}: {kind} must be an integer")
        return value.value
    if kind == "datatype":
        if value not in _DATATYPES:
            raise Unsupported(f"{shape}: sh:datatype {value} is not compiled")
        return value
    if kind in ("min_inclusive", "max_inclusive", "min_exclusive", "max_exclusive"):
        if not isinstance(value, Literal) or getattr(value, "ill_typed", False) or value.language:
            raise Unsupported(f"{shape}: {kind} bound {value!r} is not compiled")
        return value
    if kind in ("less_than", "less_than_or_equals"):
        if not isinstance(value, URIRef) or value in (RDF.type, ZV.ordinal):
            raise Unsupported(f"{shape}: {kind} must name a column")
        return shapes.columns.get(value)
    if kind == "node_kind":
        if value not in (
            SH.Literal,
            SH.BlankNodeOrLiteral,
            SH.IRIOrLiteral,
            SH.IRI,
            SH.BlankNode,
            SH.BlankNodeOrIRI,
        ):
            raise Unsupported(f"{shape}: sh:nodeKind {value} is not compiled")
        return value in (SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral)  # True: literals conform
    raise Unsupported(f"{shape}: {kind}")


def _sparql(g: Graph, shape: Node, constraint: Node, shapes: SourceShapes) -> Check:
    if g.value(constraint, ZV.template) != DUPLICATE_KEY:
        raise Unsupported(
            f"SPARQL constraint {constraint} of {shape} has no declared template the fast engine knows"
        )
    head = g.value(constraint, ZV.keyPaths)
    keys = _list_items(g, head) if head is not None else []
    optional_head = g.value(constraint, ZV.optionalKeyPaths)
    optional = _list_items(g, optional_head) if optional_head is not None else []
    if not keys or not all(isinstance(k, URIRef) and k in shapes.columns for k in keys + optional):
        raise Unsupported(
            f"SPARQL constraint {constraint}: zv:keyPaths and zv:optionalKeyPaths must list columns"
        )
    if _text(g.value(constraint, SH.select)) != duplicate_key_query(keys, optional):
        raise Unsupported(f"SPARQL constraint {constraint}: sh:select differs from its declared template")
    extra = set(g.predicates(constraint)) - {
        RDF.type,
        SH.message,
        SH.severity,
        SH.select,
        ZV.template,
        ZV.keyPaths,
        ZV.optionalKeyPaths,
        SH.deactivated,
        RDFS.comment,
        RDFS.label,
    }
    if extra:
        raise Unsupported(f"SPARQL constraint {constraint}: {sorted(map(str, extra))} are not compiled")
    return Check(
        "duplicate_key",
        "SPARQLConstraintComponent",
        shapes.columns[keys[0]],
        ([shapes.columns[k] for k in keys], [shapes.columns[k] for k in optional]),
        rule_id(constraint),
        _text(g.value(constraint, SH.message)),
        _severity(g, shape),
    )


_LIST_INDEX: dict[str, Any] = {}  # the list triples of the graph being compiled (reset per compile_shapes)


def _list_items(g: Graph, head: Node) -> list:
    """The members of an RDF list (walked over one index of the list triples; long sh:in lists are common)."""
    if _LIST_INDEX.get("graph") is not g:
        _LIST_INDEX.update(
            graph=g, firsts=dict(g.subject_objects(RDF.first)), rests=dict(g.subject_objects(RDF.rest))
        )
    firsts, rests = _LIST_INDEX["firsts"], _LIST_INDEX["rests"]
    items, node, seen = [], head, set()
    while node != RDF.nil:
        if node in seen or node not in firsts:
            raise Unsupported(f"malformed RDF list at {node}")
        seen.add(node)
        items.append(firsts[node])
        node = rests.get(node, RDF.nil)
    return items


def _term_key(term: object) -> tuple:
    """What RDF term equality (as in sh:in) compares: kind, lexical form, datatype, language."""
    if isinstance(term, Literal):
        return ("literal", str(term), term.datatype, term.language)
    return ("iri" if isinstance(term, URIRef) else "bnode", str(term), None, None)


def _severity(g: Graph, shape: Node) -> str:
    value = g.value(shape, SH.severity)
    return str(value).rsplit("#", 1)[-1] if value is not None else "Violation"


def _text(value: object) -> str:
    return "" if value is None else str(value)
