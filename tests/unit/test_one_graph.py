"""One RDF graph per resource: the JSON-LD of an instance expands to exactly the triples of its Turtle."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from zicht import paths
from zicht.mappings.rdf import jsonld_context, mapping_graph
from zicht.ontology.rdf import instances_to_graph, jsonld_document, jsonld_graph
from zicht.registry.files import read_definition

EXAMPLES = sorted((Path(__file__).resolve().parents[1] / "data" / "valid").glob("*.yaml"))
REGISTRY = sorted(paths.registry_dir().glob("*.yaml"))
MAPPINGS = sorted(paths.mappings_dir().glob("*.sssom.tsv"))


def assert_same_graph(turtle: Graph, jsonld: Graph) -> None:
    if not isomorphic(turtle, jsonld):
        _both, only_turtle, only_jsonld = graph_diff(to_isomorphic(turtle), to_isomorphic(jsonld))
        pytest.fail(
            f"Turtle-only triples {sorted(only_turtle)[:5]}; JSON-LD-only triples {sorted(only_jsonld)[:5]}"
        )


def _parse_jsonld(doc: object) -> Graph:
    return Graph().parse(data=json.dumps(doc), format="json-ld")


@pytest.mark.parametrize("path", REGISTRY, ids=lambda p: p.stem)
def test_registry_definition_is_one_graph(path: Path) -> None:
    doc = read_definition(path)
    turtle = Graph().parse(
        data=instances_to_graph([("Definition", doc)]).serialize(format="turtle"), format="turtle"
    )
    assert_same_graph(turtle, _parse_jsonld(jsonld_document("Definition", doc)))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_instance_is_one_graph(path: Path) -> None:
    example = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = [(example["class"], example["instance"])]
    assert_same_graph(instances_to_graph(items), _parse_jsonld(jsonld_graph(items)))


def test_criterion_id_stays_a_literal_and_nested_nodes_are_typed() -> None:
    doc = read_definition(paths.registry_dir() / "e33-12m.yaml")
    g = _parse_jsonld(jsonld_document("Definition", doc))
    # The criterion's id is local to its definition: a dcterms:identifier, never the IRI …/definition/e33.
    assert not any(str(s).endswith("/definition/e33") for s in g.subjects())
    rows = list(
        g.query("""
        PREFIX zicht: <https://w3id.org/zicht/> PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?c WHERE { ?d zicht:criteria ?c . ?c a zicht:Criterion ; dcterms:identifier "e33" . FILTER isBlank(?c) }""")
    )
    assert len(rows) == 1


@pytest.mark.parametrize("path", MAPPINGS, ids=lambda p: p.name)
def test_mapping_set_jsonld_is_its_sssom_rdf(path: Path) -> None:
    graph = mapping_graph(path)
    text = graph.serialize(format="json-ld", context=jsonld_context(graph), auto_compact=True)
    turtle = Graph().parse(data=graph.serialize(format="turtle"), format="turtle")
    assert_same_graph(turtle, Graph().parse(data=text, format="json-ld"))
    assert len(turtle) > 0
