"""Turning LinkML instance data (plain dicts, as read from YAML/JSON) into RDF, driven by the schema.

Used wherever instances are checked with SHACL (registry files, source descriptors, example data) and
served as Turtle. The mapping follows the generated SHACL: a slot becomes its ``slot_uri``; an enum value
with a ``meaning`` becomes that IRI, otherwise a plain literal; typed slots become typed literals (a value
that is not valid for its datatype stays an ill-typed literal, so SHACL reports it instead of the
converter hiding it); unknown keys are kept under the default namespace so that closed shapes report them.
"""

from __future__ import annotations

import hashlib
import logging
import json
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

    def add(self, graph: Graph, class_name: str, data: Mapping[str, Any], subject: URIRef | BNode | None = None):
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

    def _term(self, graph: Graph, slot, value: Any):  # noqa: ANN001 - SlotDefinition
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
