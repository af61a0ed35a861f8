"""Every RDF resource of the API is one graph: its JSON-LD and its Turtle are isomorphic (rdflib.compare)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from rdflib.compare import isomorphic

API = "/api/v1"
RESOURCES = [
    "/definitions/e33-12m",
    "/definitions/epa-ggz-wmo/versions/1.0.0",
    "/concepts",
    "/concepts/zc:ggz_specialised_outpatient",
    "/mappings/zvw-ggz",
    "/mappings/politie-e33",
    "/regions?level=gemeente",
    "/regions?level=wijk&within=GM0153",
    "/regions?level=buurt&within=WK015301",
]


@pytest.mark.parametrize("resource", RESOURCES)
def test_jsonld_and_turtle_are_the_same_graph(client: TestClient, resource: str) -> None:
    turtle = client.get(API + resource, headers={"Accept": "text/turtle"})
    jsonld = client.get(API + resource, headers={"Accept": "application/ld+json"})
    assert turtle.status_code == 200 and jsonld.status_code == 200, (turtle.text[:200], jsonld.text[:200])
    assert turtle.headers["content-type"].startswith("text/turtle")
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    g_turtle = Graph().parse(data=turtle.text, format="turtle")
    g_jsonld = Graph().parse(data=jsonld.text, format="json-ld")
    assert len(g_turtle) > 0
    assert len(g_turtle) == len(g_jsonld) and isomorphic(g_turtle, g_jsonld)
