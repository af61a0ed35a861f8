"""Disclosure-protected counts: several definitions compared per region at a reference date."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from zicht.api import comparisons, negotiate
from zicht.api.auth import Principal, can_read_draft, optional_principal
from zicht.api.deps import db_session
from zicht.api.errors import ApiError
from zicht.api.etag import make_etag
from zicht.api.region_table import all_regions
from zicht.db import definitions as store
from zicht.db.definitions import document_of

router = APIRouter(prefix="/counts", tags=["counts"])

MAX_DEFINITIONS = 8  # UpSet cells grow as 2^n
TYPES = (negotiate.JSON, negotiate.CSV)
WITHIN_PATTERN = r"^(NL01|RGTWENTE|GM\d{4}|WK[0-9A-Z]{6})$"


def resolve(session: Session, text: str, principal: Principal | None) -> list[dict[str, Any]]:
    """References (id, version, content_hash, title) for ``a,b@1.0.0``: an id gives its highest published
    version. Documents are loaded only when a comparison has to be computed (`load_documents`)."""
    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise ApiError(422, "definitions= needs at least one definition id")
    if len(names) > MAX_DEFINITIONS:
        raise ApiError(422, f"at most {MAX_DEFINITIONS} definitions per comparison, got {len(names)}")
    if len(set(names)) != len(names):
        raise ApiError(422, "a definition is listed twice in definitions=")
    out = []
    for name in names:
        did, _, version = name.partition("@")
        refs = store.version_refs(session, did)
        if version:
            ref = next((r for r in refs if r["version"] == version), None)
            if ref is None or (ref["status"] == "draft" and not can_read_draft(principal, ref["author"])):
                raise ApiError(404, f"no definition {did!r} version {version!r}")
        else:
            ref = next((r for r in refs if r["status"] == "published"), None)
            if ref is None:
                raise ApiError(404, f"no published version of definition {did!r}; name a version as {did}@VERSION")
        out.append(ref)
    if len({d["id"] for d in out}) != len(out):
        raise ApiError(422, "two versions of one definition cannot be compared in one request")
    return out


def load_documents(request: Request, refs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    with request.app.state.sessions() as session:
        rows = [store.get_version(session, r["id"], r["version"]) for r in refs]
        docs = [document_of(row) for row in rows if row is not None]
    if [(d["id"], d["version"], d["content_hash"]) for d in docs] != [(r["id"], r["version"], r["content_hash"]) for r in refs]:
        raise ApiError(409, "a definition changed while the comparison started; retry")
    return docs


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ApiError(422, f"date {text!r} is not a date YYYY-MM-DD") from None


def check_within(level: str, within: str | None) -> None:
    if within is None or within in ("NL01", "RGTWENTE"):
        return
    region = all_regions().get(within)
    if region is None:
        raise ApiError(404, f"unknown region {within!r} for within=")
    if level in ("land", "regio") or comparisons.LEVELS.index(region.level) >= comparisons.LEVELS.index(level):
        raise ApiError(422, f"{within} is a {region.level}; it holds no {level} level regions")


@router.get("", summary="Compare definitions per region (disclosure-protected counts, rates, overlaps, attrition)",
            responses=negotiate.openapi_content(*TYPES))
def get_counts(
    request: Request,
    definitions: str = Query(..., max_length=2000, description="Comma-separated ids (highest published version) or id@version."),
    date: str = Query(..., max_length=10, description="Reference date YYYY-MM-DD."),
    level: Literal["land", "regio", "gemeente", "wijk", "buurt"] = Query("wijk", description="Region level."),
    within: str | None = Query(None, pattern=WITHIN_PATTERN, description="Only regions inside this one (NL01, RGTWENTE, GM/WK code)."),
    principal: Principal | None = Depends(optional_principal),
    session: Session = Depends(db_session),
) -> Response:
    media = negotiate.choose(request, TYPES)
    reference_date = parse_date(date)
    check_within(level, within)
    documents = resolve(session, definitions, principal)
    session.close()  # a comparison may take seconds; do not hold a database connection meanwhile
    state = request.app.state.store_status
    key = ("counts-body", *comparisons.compare_key(state, documents, reference_date, level), level, within, media)

    def render() -> Response:
        result = comparisons.run(state, load_documents(request, documents), reference_date, level)
        body = comparisons.shape(result, documents, level, within)
        if media == negotiate.CSV:
            return negotiate.csv_response(body["cells"], comparisons.CELL_COLUMNS)
        return negotiate.json_response(body)

    # The rendered body is cached too: repeated reads cost a lookup, not a reshaping of the result.
    # (A sync handler: FastAPI runs it in its thread pool, so a long comparison never blocks the event loop.)
    return cached_response(request, state.cached(key, lambda: Rendered.of(render())))


@dataclass(frozen=True)
class Rendered:
    """A response body kept in the cache with its media type and ETag (hashed once)."""

    body: bytes
    media_type: str
    etag: str

    @staticmethod
    def of(response: Response) -> Rendered:
        body = bytes(response.body)
        return Rendered(body, str(response.media_type), make_etag("counts", hashlib.sha256(body).hexdigest()))


def cached_response(request: Request, rendered: Rendered) -> Response:
    """A fresh response around cached bytes, with an ETag and 304 for a matching If-None-Match."""
    headers = {"ETag": rendered.etag, "Vary": "Accept", "Cache-Control": "private, max-age=60"}
    if rendered.etag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
        return Response(status_code=304, headers=headers)
    return Response(rendered.body, media_type=rendered.media_type, headers=headers)
