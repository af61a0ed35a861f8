"""IRIs of the validation vocabulary: rows, columns and per-source shapes of an extract.

A row of an extract becomes the node ``urn:zicht:row:<ordinal>`` (ordinal = 0-based position over all
files of one run), typed with the source's record class; each column becomes a property under the
source's namespace. The ``zv:`` vocabulary names the things SHACL has no word for: the row ordinal and
the declared templates of SPARQL constraints that the fast engine recognises.
"""

from __future__ import annotations

from urllib.parse import quote

from rdflib import Namespace, URIRef

ZV = Namespace("https://w3id.org/zicht/validate#")
SOURCE_BASE = "https://w3id.org/zicht/source/"
ROW_PREFIX = "urn:zicht:row:"

# Declared templates of SPARQL-based constraints (zv:template on an sh:SPARQLConstraint). The fast engine
# compiles a constraint only when it carries one of these and its parameters; any other SPARQL makes it
# fall back to the reference engine.
DUPLICATE_KEY = ZV.DuplicateKey  # a later row with the same terms in every zv:keyPath as an earlier row


def source_namespace(source_id: str) -> Namespace:
    return Namespace(f"{SOURCE_BASE}{quote(source_id, safe='')}/")


def record_class(source_id: str) -> URIRef:
    return source_namespace(source_id)["Record"]


def column_iri(source_id: str, column: str) -> URIRef:
    return source_namespace(source_id)[f"column/{quote(column, safe='')}"]


def row_iri(ordinal: int) -> URIRef:
    return URIRef(f"{ROW_PREFIX}{ordinal}")


def ordinal_of(node: object) -> int | None:
    text = str(node)
    if isinstance(node, URIRef) and text.startswith(ROW_PREFIX) and text[len(ROW_PREFIX) :].isdigit():
        return int(text[len(ROW_PREFIX) :])
    return None
