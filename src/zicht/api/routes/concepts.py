"""The framework concept scheme (SKOS) and each concept, as JSON, JSON-LD, Turtle or CSV."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, SKOS

from zicht.api import negotiate
from zicht.api.errors import ApiError
from zicht.ontology.concepts import ZC, Concept, framework
from zicht.ontology.schema import CONCEPT_NS

router = APIRouter(prefix="/concepts", tags=["concepts"])

LIST_TYPES = (negotiate.JSON, negotiate.JSONLD, negotiate.TURTLE, negotiate.CSV)
ITEM_TYPES = (negotiate.JSON, negotiate.JSONLD, negotiate.TURTLE)
COLUMNS = ("curie", "key", "iri", "label_nl", "label_en", "definition", "broader", "narrower", "domain")
JSONLD_CONTEXT = {"skos": str(SKOS), "dcterms": str(DCTERMS), "zc": str(ZC)}


def concept_json(c: Concept) -> dict[str, Any]:
    scheme = framework()
    return {
        "curie": c.curie,
        "key": c.key,
        "iri": c.iri,
        "label_nl": c.label_nl,
        "label_en": c.label_en,
        "definition": c.definition,
        "broader": f"zc:{c.broader}" if c.broader else None,
        "narrower": [f"zc:{n}" for n in c.narrower],
        "domain": scheme.domain_of(c.key).curie,
    }


def _graph_response(graph: Graph, media: str) -> Response:
    if media == negotiate.TURTLE:
        return negotiate.turtle_response(graph.serialize(format="turtle"), headers={"Vary": "Accept"})
    text = graph.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True)
    return Response(text, media_type=negotiate.JSONLD, headers={"Vary": "Accept"})


@router.get("", summary="The framework concept scheme", responses=negotiate.openapi_content(*LIST_TYPES))
def list_concepts(request: Request, dialect: negotiate.DialectQuery = "standard") -> Response:
    media = negotiate.choose(request, LIST_TYPES)
    scheme = framework()
    if media in (negotiate.TURTLE, negotiate.JSONLD):
        return _graph_response(scheme.to_graph(), media)
    items = [concept_json(c) for c in scheme]
    if media == negotiate.CSV:
        return negotiate.csv_response(items, COLUMNS, headers={"Vary": "Accept"}, dialect=dialect)
    return negotiate.json_response({"scheme": CONCEPT_NS, "items": items}, headers={"Vary": "Accept"})


@router.get(
    "/{curie}",
    summary="One framework concept (zc:key or key)",
    responses=negotiate.openapi_content(*ITEM_TYPES),
)
def get_concept(request: Request, curie: str) -> Response:
    media = negotiate.choose(request, ITEM_TYPES)
    scheme = framework()
    if curie not in scheme:
        raise ApiError(404, f"no framework concept {curie!r}; GET /api/v1/concepts lists them")
    concept = scheme.get(curie)
    if media == negotiate.JSON:
        return negotiate.json_response(concept_json(concept), headers={"Vary": "Accept"})
    full = scheme.to_graph()
    sub = Graph()
    for prefix, ns in full.namespaces():
        sub.bind(prefix, ns)
    for triple in full.triples((URIRef(concept.iri), None, None)):
        sub.add(triple)
    return _graph_response(sub, media)
