"""How definition versions are shown (summary, JSON, JSON-LD, Turtle) and checked before a write."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from zicht.api import negotiate
from zicht.api.errors import ApiError
from zicht.api.etag import make_etag
from zicht.db.definitions import document_of
from zicht.db.models import DefinitionVersion
from zicht.ontology.instances import validate_instance
from zicht.ontology.rdf import instances_to_graph
from zicht.registry.files import source_kinds
from zicht.registry.rules import check_rules

BASE = "/api/v1"
DEFINITION_IRI_BASE = "https://w3id.org/zicht/definition/"
READ_TYPES = (negotiate.JSON, negotiate.JSONLD, negotiate.TURTLE)
SUMMARY_COLUMNS = ("id", "version", "status", "author", "title", "domains", "content_hash", "created", "published", "supersedes", "href")


def href(definition_id: str, version: str) -> str:
    return f"{BASE}/definitions/{definition_id}/versions/{version}"


def etag_of(row: DefinitionVersion) -> str:
    return make_etag("definition", row.definition_id, row.version, row.revision, row.status, row.content_hash)


def summary(row: DefinitionVersion) -> dict[str, Any]:
    doc = row.document
    return {
        "id": row.definition_id,
        "version": row.version,
        "status": row.status,
        "author": row.author,
        "title": row.title,
        "domains": list(doc.get("domains") or []),
        "content_hash": row.content_hash,
        "created": doc.get("created"),
        "published": doc.get("published"),
        "supersedes": doc.get("supersedes"),
        "href": href(row.definition_id, row.version),
    }


def render_version(request: Request, row: DefinitionVersion, *, status: int = 200, extra_headers: dict[str, str] | None = None) -> Response:
    media = negotiate.choose(request, READ_TYPES)
    doc = document_of(row)
    headers = {"ETag": etag_of(row), "Vary": "Accept", **(extra_headers or {})}
    if media == negotiate.TURTLE:
        graph = instances_to_graph([("Definition", doc)])
        return negotiate.turtle_response(graph.serialize(format="turtle"), headers=headers)
    if media == negotiate.JSONLD:
        body = {"@context": [negotiate.jsonld_context(), {"@base": DEFINITION_IRI_BASE}], "@type": "Definition", **doc}
        return negotiate.json_response(body, status=status, media_type=negotiate.JSONLD, headers=headers)
    return negotiate.json_response(doc, status=status, headers=headers)


def findings(document: Mapping[str, Any], kinds: Mapping[str, str] | None) -> list[dict[str, Any]]:
    """Schema (JSON Schema + SHACL) and registry-rule errors of a definition document."""
    out = [
        {"engine": f.engine, "path": f.path, "rule": f.rule, "message": f.message, "value": f.value}
        for f in validate_instance("Definition", document)
        if f.severity == "Violation"
    ]
    out += [
        {"engine": "rules", "path": r.path, "rule": r.rule, "message": r.message, "value": None}
        for r in check_rules(document, kinds or None)
        if r.severity == "error"
    ]
    return out


@lru_cache(maxsize=1)
def known_source_kinds() -> dict[str, str]:
    """Source ids and kinds from the descriptors in mappings/ (read once: the files are large)."""
    return source_kinds()


def ensure_valid(document: Mapping[str, Any]) -> None:
    problems = findings(document, known_source_kinds())
    if problems:
        first = problems[0]
        raise ApiError(422, f"the definition does not validate ({len(problems)} finding(s)); first: {first['path'] or '<root>'}: {first['message']}", problems)
