"""Turning LinkML instance data (plain dicts, as read from YAML/JSON) into RDF, driven by the schema.

Used wherever instances are checked with SHACL (registry files, source descriptors, example data) and
served as Turtle. The mapping follows the generated SHACL: a slot becomes its ``slot_uri``; an enum value
with a ``meaning`` becomes that IRI, otherwise a plain literal; typed slots become typed literals (a value
that is not valid for its datatype stays an ill-typed literal, so SHACL reports it instead of the
converter hiding it); unknown keys are kept under the default namespace so that closed shapes report them.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from linkml_runtime.utils.schemaview import SchemaView
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, XSD

from zicht.ontology.schema import ZICHT_NS, schema_view

ZICHT = Namespace(ZICHT_NS)
DCTERMS_IDENTIFIER = URIRef("http://purl.org/dc/terms/identifier")

_XSD_BY_TYPE = {
    "string": XSD.string,
    "integer": XSD.integer,
    "float": XSD.float,
    "double": XSD.double,
    "decimal": XSD.decimal,
    "boolean": XSD.boolean,
    "date": XSD.date,
    "datetime": XSD.dateTime,
    "uri": XSD.anyURI,
    "uriorcurie": XSD.anyURI,
}


class InstanceConverter:
    """Converts instances of the schema's classes into one rdflib Graph."""

    def __init__(self, view: SchemaView | None = None) -> None:
        self.view = view or schema_view()
        self._slots: dict[str, dict[str, Any]] = {}

    def subject_for(self, class_name: str, identifier: str) -> URIRef:
        return URIRef(f"{ZICHT_NS}{class_name.lower()}/{identifier}")

    def _induced(self, class_name: str) -> dict[str, Any]:
        if class_name not in self._slots:
            self._slots[class_name] = {s.name: s for s in self.view.class_induced_slots(class_name)}
        return self._slots[class_name]

    def add(
        self, graph: Graph, class_name: str, data: Mapping[str, Any], subject: URIRef | BNode | None = None
    ):
        """Add one instance (and everything inlined in it) to ``graph``; return its node."""
        cls = self.view.get_class(class_name)
        slots = self._induced(class_name)
        id_slot = next((s for s in slots.values() if s.identifier), None)
        if subject is None:
            ident = data.get(id_slot.name) if id_slot is not None else None
            if isinstance(ident, str) and ident and id_slot is not None:
                subject = self.subject_for(class_name, _safe_local(ident))
            else:
                subject = BNode(_stable_bnode(class_name, data))
        graph.add((subject, RDF.type, URIRef(self.view.get_uri(cls, expand=True))))
        for key, value in data.items():
            if value is None or value == [] or value == {}:
                continue
            slot = slots.get(key)
            if slot is None:
                # Kept so that closed shapes report the unknown property instead of it vanishing.
                predicate = ZICHT[_safe_local(str(key))]
                for v in value if isinstance(value, list) else [value]:
                    graph.add((subject, predicate, Literal(str(v))))
                continue
            predicate = URIRef(self.view.get_uri(slot, expand=True))
            values = value if isinstance(value, list) else [value]
            for v in values:
                graph.add((subject, predicate, self._term(graph, slot, v)))
        return subject

    def _term(self, graph: Graph, slot, value: Any):
        rng = slot.range or self.view.schema.default_range or "string"
        if rng in self.view.all_classes():
            if isinstance(value, Mapping):
                return self.add(graph, rng, value)
            target_id = next((s for s in self._induced(rng).values() if s.identifier), None)
            if target_id is not None:
                return self.subject_for(rng, _safe_local(str(value)))
            return Literal(str(value))
        if rng in self.view.all_enums():
            pv = self.view.get_enum(rng).permissible_values.get(str(value))
            if pv is not None and pv.meaning:
                return URIRef(self.view.expand_curie(pv.meaning))
            return Literal(str(value))
        base = self._base_type(rng)
        if base in ("uri", "uriorcurie") and isinstance(value, str):
            return self._iri(value)
        return _literal(value, base)

    def _iri(self, text: str) -> URIRef | Literal:
        # A value that is no absolute IRI and no CURIE with a declared prefix stays a literal, so that
        # SHACL's nodeKind check reports it.
        if ":" in text and " " not in text:
            prefix = text.split(":", 1)[0]
            if prefix in self.view.namespaces():
                return URIRef(self.view.expand_curie(text))
            if "://" in text or prefix in ("urn", "mailto"):
                return URIRef(text)
        return Literal(text)

    def _base_type(self, rng: str) -> str:
        seen = rng
        while seen in self.view.all_types():
            t = self.view.get_type(seen)
            if t.typeof is None:
                break
            seen = t.typeof
        return seen


# rdflib logs a traceback for every ill-typed literal (e.g. 2024-02-30 as xsd:date); SHACL reports those
# values itself, so the log is noise.
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)


def _literal(value: Any, base: str) -> Literal:
    datatype = _XSD_BY_TYPE.get(base, XSD.string)
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, (date, datetime)):
        text = value.isoformat()
    else:
        text = str(value)
    if datatype == XSD.string:
        return Literal(text)
    return Literal(text, datatype=datatype)


def _safe_local(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_.~" else "_" for ch in text) or "_"


def _stable_bnode(class_name: str, data: Mapping[str, Any]) -> str:
    # Deterministic blank node ids keep Turtle output stable between runs.
    digest = hashlib.sha256(json.dumps([class_name, data], sort_keys=True, default=str).encode()).hexdigest()
    return "b" + digest[:24]


def instances_to_graph(items: list[tuple[str, Mapping[str, Any]]], view: SchemaView | None = None) -> Graph:
    """Convert ``[(class_name, data), ...]`` into one graph."""
    converter = InstanceConverter(view)
    graph = Graph()
    graph.bind("zicht", ZICHT)
    for class_name, data in items:
        converter.add(graph, class_name, data)
    return graph


# --- JSON-LD ------------------------------------------------------------------------------------------
# A resource is one graph whatever the serialisation: the JSON-LD of an instance must expand to exactly the
# triples InstanceConverter makes for Turtle (and that SHACL checks). The generated LinkML context alone does
# not give that: it maps `id` to @id everywhere (a criterion's local id became an IRI) and uri slots to
# xsd:anyURI literals where the SHACL shapes want IRIs, and nested objects carry no @type. So the document
# carries @id and @type itself and a small context, derived from the schema, is layered over LinkML's.


def jsonld_context(view: SchemaView | None = None) -> list[Any]:
    """The JSON-LD context of instance documents: LinkML's generated context plus the schema-derived fixes."""
    from zicht import paths

    view = view or schema_view()
    generated = json.loads((paths.ontology_dir() / "zicht.context.jsonld").read_text(encoding="utf-8"))[
        "@context"
    ]
    return [generated, _context_fixes(view)]


def _context_fixes(view: SchemaView) -> dict[str, Any]:
    converter = InstanceConverter(view)
    fixes: dict[str, Any] = {}
    iri_slots: dict[str, set[bool]] = {}
    for class_name in view.all_classes():
        for slot in converter._induced(class_name).values():
            if slot.identifier:
                fixes[slot.name] = {"@id": view.get_uri(slot, expand=True)}
            rng = slot.range or view.schema.default_range or "string"
            if rng in view.all_types():
                iri_slots.setdefault(slot.name, set()).add(converter._base_type(rng) in ("uri", "uriorcurie"))
    for name, kinds in iri_slots.items():
        if kinds == {True}:
            fixes[name] = {"@id": _slot_iri(view, name), "@type": "@id"}
    return fixes


def _slot_iri(view: SchemaView, name: str) -> str:
    for class_name in view.all_classes():
        for slot in view.class_induced_slots(class_name):
            if slot.name == name:
                return view.get_uri(slot, expand=True)
    raise KeyError(name)


def jsonld_document(
    class_name: str, data: Mapping[str, Any], view: SchemaView | None = None
) -> dict[str, Any]:
    """``data`` as a JSON-LD document that expands to the same graph as ``instances_to_graph``."""
    view = view or schema_view()
    converter = InstanceConverter(view)
    return {"@context": jsonld_context(view), **_node(converter, class_name, data)}


def _node(converter: InstanceConverter, class_name: str, data: Mapping[str, Any]) -> dict[str, Any]:
    view = converter.view
    slots = converter._induced(class_name)
    id_slot = next((s for s in slots.values() if s.identifier), None)
    out: dict[str, Any] = {}
    ident = data.get(id_slot.name) if id_slot is not None else None
    if isinstance(ident, str) and ident:
        out["@id"] = str(converter.subject_for(class_name, _safe_local(ident)))
    out["@type"] = str(view.get_uri(view.get_class(class_name), expand=True))
    for key, value in data.items():
        if value is None or value == [] or value == {}:
            continue
        slot = slots.get(key)
        rng = (slot.range if slot is not None else None) or ""
        if slot is not None and rng in view.all_classes():
            values = value if isinstance(value, list) else [value]
            nested = [
                _node(converter, rng, v) if isinstance(v, Mapping) else _reference(converter, rng, v)
                for v in values
            ]
            out[key] = nested if isinstance(value, list) else nested[0]
        elif slot is not None and converter._base_type(rng) in ("float", "double", "decimal"):
            # JSON-LD writes a native number in its own canonical form (3.0E1); a string keeps the lexical
            # form the Turtle has, and the context's datatype still applies.
            out[key] = [_lexical(v) for v in value] if isinstance(value, list) else _lexical(value)
        elif slot is None:
            out[key] = [str(v) for v in value] if isinstance(value, list) else str(value)
        else:
            out[key] = _jsonable_value(value)
    return out


def _reference(converter: InstanceConverter, rng: str, value: Any) -> Any:
    target_id = next((s for s in converter._induced(rng).values() if s.identifier), None)
    if target_id is not None:
        return {"@id": str(converter.subject_for(rng, _safe_local(str(value))))}
    return str(value)


def _lexical(value: Any) -> Any:
    return value if isinstance(value, bool) else str(value)


def _jsonable_value(value: Any) -> Any:
    if isinstance(value, list):
        return [_jsonable_value(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def jsonld_graph(
    items: list[tuple[str, Mapping[str, Any]]], view: SchemaView | None = None
) -> dict[str, Any]:
    """Several instances as one JSON-LD document (@graph) that expands to ``instances_to_graph(items)``."""
    view = view or schema_view()
    converter = InstanceConverter(view)
    return {"@context": jsonld_context(view), "@graph": [_node(converter, c, d) for c, d in items]}
