"""Source mappings (SSSOM) per source: the file, its rows as JSON, and the lint findings."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from zicht import paths
from zicht.api import negotiate
from zicht.api.errors import ApiError
from zicht.errors import InputError
from zicht.extras import MissingExtra
from zicht.mappings.descriptor import load_descriptor
from zicht.mappings.lint import check_file, sibling, summary
from zicht.mappings.rdf import jsonld_context as mapping_jsonld_context
from zicht.mappings.rdf import mapping_graph
from zicht.mappings.sssom_table import read_sssom_tsv


def _mappings_dir(request: Request) -> Path:
    return request.app.state.settings.mappings_dir or paths.mappings_dir()


router = APIRouter(prefix="/mappings", tags=["mappings"])

SUFFIX = ".sssom.tsv"


def _mapping_path(request: Request, source: str) -> Path:
    folder = _mappings_dir(request)
    known = {p.name[: -len(SUFFIX)]: p for p in folder.glob(f"*{SUFFIX}")}
    if source not in known:
        raise ApiError(404, f"no mapping for source {source!r}; GET /api/v1/mappings lists them")
    return known[source]


def _describe(source: str, path: Path) -> dict[str, Any]:
    return _describe_cached(source, path, path.stat().st_mtime_ns)


@lru_cache(maxsize=128)
def _describe_cached(source: str, path: Path, _mtime_ns: int) -> dict[str, Any]:
    table = read_sssom_tsv(path)
    descriptor_path = sibling(path, ".source.yaml")
    title = kind = None
    if descriptor_path.is_file():
        descriptor = load_descriptor(descriptor_path)
        title, kind = descriptor.data.get("title"), descriptor.kind
    return {
        "source": source,
        "title": title,
        "kind": kind,
        "mapping_set_id": table.mapping_set_id or None,
        "mapping_set_version": table.mapping_set_version or None,
        "rows": len(table.rows),
        "sha256": table.sha256,
        "href": f"/api/v1/mappings/{source}",
    }


@lru_cache(maxsize=64)
def _lint(path: Path, mtime_ns: int) -> dict[str, Any]:
    findings = check_file(path)
    errors, warnings = summary(findings)
    items = []
    for f in findings:
        item = f.to_dict()
        item["file"] = path.name  # never the server's folder layout
        items.append(item)
    return {"errors": errors, "warnings": warnings, "findings": items}


@router.get("", summary="Sources with a mapping (SSSOM) file")
def list_mappings(request: Request) -> Response:
    folder = _mappings_dir(request)
    items = [_describe(p.name[: -len(SUFFIX)], p) for p in sorted(folder.glob(f"*{SUFFIX}"))]
    return negotiate.json_response({"items": items})


MAPPING_TYPES = (negotiate.JSON, negotiate.TSV, negotiate.TURTLE, negotiate.JSONLD)


@router.get(
    "/{source}",
    summary="The mapping of one source: SSSOM TSV, JSON, or its SSSOM RDF as Turtle or JSON-LD",
    responses=negotiate.openapi_content(*MAPPING_TYPES),
)
def get_mapping(request: Request, source: str) -> Response:
    media = negotiate.choose(request, MAPPING_TYPES)
    path = _mapping_path(request, source)
    if media == negotiate.TSV:
        return Response(
            path.read_bytes(), media_type=f"{negotiate.TSV}; charset=utf-8", headers={"Vary": "Accept"}
        )
    if media in (negotiate.TURTLE, negotiate.JSONLD):
        try:
            graph = mapping_graph(path)
        except MissingExtra as exc:  # this server was installed without the `sssom` extra
            raise ApiError(501, str(exc)) from None
        except InputError as exc:
            raise ApiError(422, str(exc)) from None
        if media == negotiate.TURTLE:
            return negotiate.turtle_response(graph.serialize(format="turtle"), headers={"Vary": "Accept"})
        text = graph.serialize(format="json-ld", context=mapping_jsonld_context(graph), auto_compact=True)
        return Response(text, media_type=negotiate.JSONLD, headers={"Vary": "Accept"})
    table = read_sssom_tsv(path)
    metadata = {k: v for k, v in table.metadata.items() if k != "curie_map"}
    return negotiate.json_response(
        {
            **_describe(source, path),
            "metadata": metadata,
            "curie_map": table.curie_map,
            "mappings": [{"line": row.line, **row.cells} for row in table.rows],
        },
        headers={"Vary": "Accept"},
    )


@router.get("/{source}/lint", summary="Lint findings of one source's mapping file")
async def lint_mapping(request: Request, source: str) -> Response:
    path = _mapping_path(request, source)
    result = await run_in_threadpool(_lint, path, path.stat().st_mtime_ns)
    return negotiate.json_response({"source": source, **result})
