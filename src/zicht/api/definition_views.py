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
from zicht.db.definitions import document_of, href
from zicht.db.models import DefinitionVersion
from zicht.ontology.rdf import instances_to_graph, jsonld_document
from zicht.privacy.fields import refuse_identifiers
from zicht.registry.files import source_kinds
from zicht.registry.lint import check_document

BASE = "/api/v1"
READ_TYPES = (negotiate.JSON, negotiate.JSONLD, negotiate.TURTLE)
SUMMARY_COLUMNS = (
    "id",
    "version",
    "status",
    "author",
    "title",
    "domains",
    "content_hash",
    "created",
    "published",
    "supersedes",
    "href",
)


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


def render_version(
    request: Request,
    row: DefinitionVersion,
    *,
    status: int = 200,
    extra_headers: dict[str, str] | None = None,
) -> Response:
    media = negotiate.choose(request, READ_TYPES)
    doc = document_of(row)
    headers = {"ETag": etag_of(row), "Vary": "Accept", **(extra_headers or {})}
    if media == negotiate.TURTLE:
        graph = instances_to_graph([("Definition", doc)])
        return negotiate.turtle_response(graph.serialize(format="turtle"), headers=headers)
    if media == negotiate.JSONLD:
        body = jsonld_document("Definition", doc)  # the same graph as the Turtle
        return negotiate.json_response(body, status=status, media_type=negotiate.JSONLD, headers=headers)
    return negotiate.json_response(doc, status=status, headers=headers)


def findings(
    document: Mapping[str, Any], kinds: Mapping[str, str] | None, *, warnings: bool = False
) -> list[dict[str, Any]]:
    """The problems of a definition document, as `zicht registry check` reports them (one implementation:
    `zicht.registry.lint`), each once, with its JSON path, rule and "did you mean"."""
    return [
        {"engine": _engine(p.rule), **p.to_dict()}
        for p in check_document(document, kinds or None)
        if warnings or p.severity == "error"
    ]


def _engine(rule: str) -> str:
    if rule.startswith("schema-") or rule == "concept-exists":
        return "jsonschema"
    if rule.startswith("shape-"):
        return "shacl"
    return "rules"


@lru_cache(maxsize=1)
def known_source_kinds() -> dict[str, str]:
    """Source ids and kinds from the descriptors in mappings/ (read once: the files are large)."""
    return source_kinds()


def ensure_valid(document: Mapping[str, Any]) -> None:
    refuse_identifiers(dict(document), "definition")  # titles, descriptions, labels: no direct identifiers
    problems = findings(document, known_source_kinds())
    if problems:
        first = problems[0]
        raise ApiError(
            422,
            f"the definition does not validate ({len(problems)} finding(s)); first: "
            f"{first['path'] or '<root>'}: {first['message']}",
            problems,
        )
