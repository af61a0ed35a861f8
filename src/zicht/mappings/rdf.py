"""A mapping set as RDF, in the SSSOM specification's own RDF rendering (sssom-py's `to_rdf_graph`).

One graph per mapping set: the Turtle and the JSON-LD that the API serves are both serialisations of it,
so they hold the same triples. sssom-py reads the file (it is the reference reader of the format); the
graph is cached per file version.
"""

from __future__ import annotations

import logging
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef

from zicht.errors import InputError

PAV = "http://purl.org/pav/"


def mapping_graph(path: Path) -> Graph:
    """The RDF graph of the SSSOM file at ``path`` (a mapping set with one owl:Axiom per mapping)."""
    return _graph(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=32)
def _graph(path: Path, _mtime_ns: int) -> Graph:
    logger = logging.getLogger("sssom")
    level = logger.level
    logger.setLevel(logging.ERROR)  # "Not propagating mapping_date ..." is information, not a problem
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from zicht.extras import require

            parse_sssom_table = require("sssom.parsers", "sssom", "mapping sets as RDF").parse_sssom_table
            to_rdf_graph = require("sssom.writers", "sssom", "mapping sets as RDF").to_rdf_graph

            try:
                graph = to_rdf_graph(parse_sssom_table(str(path)))
            except Exception as exc:
                first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise InputError(
                    f"{path.name}: sssom-py cannot read the mapping set: {first[:200]}"
                ) from None
    finally:
        logger.setLevel(level)
    graph.bind("pav", PAV, replace=True)  # sssom-py leaves it as ns1
    return graph


def jsonld_context(graph: Graph) -> dict[str, Any]:
    """A compact JSON-LD context: the prefixes the graph's IRIs actually use (curie_map, SSSOM, OWL, ...)."""
    iris = {str(term) for triple in graph for term in triple if isinstance(term, URIRef)}
    iris |= {str(term.datatype) for _s, _p, term in graph if isinstance(term, Literal) and term.datatype}
    used = {}
    for prefix, ns in graph.namespaces():
        if prefix and any(iri.startswith(str(ns)) for iri in iris):
            used[prefix] = str(ns)
    return dict(sorted(used.items()))
