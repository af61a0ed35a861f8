"""Definitions: list, read any version, create a draft, edit a draft, new version, status changes."""

from __future__ import annotations

import copy
import datetime as dt
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from zicht.api import negotiate
from zicht.api.auth import (
    Principal,
    audit_write,
    can_read_draft,
    check_can_edit,
    optional_principal,
    require_key,
)
from zicht.api.definition_sources import sources_of
from zicht.api.definition_views import (
    READ_TYPES,
    SUMMARY_COLUMNS,
    ensure_valid,
    etag_of,
    href,
    render_version,
    summary,
)
from zicht.api.deps import db_session
from zicht.api.errors import ApiError
from zicht.api.etag import require_if_match
from zicht.api.pagination import PageParams, envelope, page_params
from zicht.api.registry_mirror import writing
from zicht.api.settings import PAGE_REFERENCE_DATE
from zicht.choices import VersionPart
from zicht.db import definitions as store
from zicht.db.models import DefinitionVersion
from zicht.errors import ZichtError
from zicht.ontology.concepts import framework
from zicht.registry.describe import as_text, describe
from zicht.registry.diff import diff_definitions
from zicht.registry.files import source_catalogue
from zicht.registry.lifecycle import FROZEN, new_version, parse_version, transition

router = APIRouter(prefix="/definitions", tags=["definitions"])

STATUS_ACTIONS = {
    "published": "definition.publish",
    "deprecated": "definition.deprecate",
    "withdrawn": "definition.withdraw",
}


class NewVersionRequest(BaseModel):
    part: VersionPart = Field("minor", description="Which part of the version to bump.")


def _visible(row: DefinitionVersion, principal: Principal | None) -> bool:
    return row.status != "draft" or can_read_draft(principal, row.author)


def _get_row(session: Session, definition_id: str, version: str) -> DefinitionVersion:
    row = store.get_version(session, definition_id, version)
    if row is None:
        raise ApiError(404, f"no definition {definition_id!r} version {version!r}")
    return row


def _check_readable(row: DefinitionVersion, principal: Principal | None) -> None:
    if _visible(row, principal):
        return
    if principal is None:
        raise ApiError(
            401,
            f"{row.definition_id} {row.version} is a draft; drafts are visible to their lab, stewards and "
            "admins: send an API key",
            headers={"WWW-Authenticate": "Bearer"},
        )
    raise ApiError(
        403,
        f"{row.definition_id} {row.version} is a draft of {row.author!r}; this key ({principal.role}, "
        f"{principal.lab}) may not read it",
    )


def readable_version(
    definition_id: str,
    version: str,
    principal: Annotated[Principal | None, Depends(optional_principal)],
    session: Annotated[Session, Depends(db_session)],
) -> DefinitionVersion:
    """The version the path names, when the caller may read it (404 unknown; 401/403 someone's draft)."""
    row = _get_row(session, definition_id, version)
    _check_readable(row, principal)
    return row


ReadableVersion = Annotated[DefinitionVersion, Depends(readable_version)]


def _concept_key(text: str) -> str:
    return framework().key_of(text.strip())


@router.get(
    "",
    summary="List and search definitions (current version of each)",
    responses=negotiate.openapi_content(negotiate.JSON, negotiate.CSV),
)
def list_definitions(
    *,
    request: Request,
    domain: Annotated[
        str | None, Query(max_length=200, description="Framework domain key or CURIE, e.g. ggz or zc:ggz.")
    ] = None,
    status: Annotated[
        Literal["draft", "published", "deprecated", "withdrawn"] | None,
        Query(description="Lifecycle status."),
    ] = None,
    author: Annotated[
        str | None, Query(max_length=300, description="Field lab (author), case-insensitive.")
    ] = None,
    q: Annotated[str | None, Query(max_length=200, description="Text in id, title or description.")] = None,
    paging: Annotated[PageParams, Depends(page_params)],
    principal: Annotated[Principal | None, Depends(optional_principal)],
    session: Annotated[Session, Depends(db_session)],
    dialect: negotiate.DialectQuery = "standard",
) -> Response:
    media = negotiate.choose(request, (negotiate.JSON, negotiate.CSV))
    current: dict[str, DefinitionVersion] = {}
    for row in store.all_versions(session, status=status, author=author):
        # Rows come newest first per id, so the first visible one is the current version.
        if row.definition_id not in current and _visible(row, principal):
            current[row.definition_id] = row
    rows = list(current.values())
    if domain:
        key = _concept_key(domain)
        rows = [r for r in rows if key in (r.document.get("domains") or [])]
    if q:
        needle = q.casefold()
        rows = [
            r
            for r in rows
            if needle in f"{r.definition_id}\n{r.title}\n{r.document.get('description', '')}".casefold()
        ]
    items = [summary(r) for r in rows[paging.offset : paging.offset + paging.per_page]]
    body, headers = envelope(request, items, len(rows), paging)
    headers["Vary"] = "Accept"
    if media == negotiate.CSV:
        return negotiate.csv_response(items, SUMMARY_COLUMNS, headers=headers, dialect=dialect)
    return negotiate.json_response(body, headers=headers)


@router.get(
    "/{definition_id}",
    summary="The current version of a definition",
    responses=negotiate.openapi_content(*READ_TYPES),
)
def get_definition(
    request: Request,
    definition_id: str,
    principal: Annotated[Principal | None, Depends(optional_principal)],
    session: Annotated[Session, Depends(db_session)],
) -> Response:
    versions = store.versions_of(session, definition_id)
    if not versions:
        raise ApiError(404, f"no definition {definition_id!r}")
    for row in versions:
        if _visible(row, principal):
            return render_version(
                request, row, extra_headers={"Content-Location": href(row.definition_id, row.version)}
            )
    if principal is None:  # an anonymous reader is not told that a draft exists
        raise ApiError(404, f"no definition {definition_id!r}")
    raise ApiError(
        404,
        f"{definition_id!r} has no published version yet; its drafts are visible to its lab, stewards and admins",
    )


@router.get(
    "/{definition_id}/versions",
    summary="All versions of a definition (newest first)",
    responses=negotiate.openapi_content(negotiate.JSON, negotiate.CSV),
)
def list_versions(
    request: Request,
    definition_id: str,
    principal: Annotated[Principal | None, Depends(optional_principal)],
    session: Annotated[Session, Depends(db_session)],
    dialect: negotiate.DialectQuery = "standard",
) -> Response:
    media = negotiate.choose(request, (negotiate.JSON, negotiate.CSV))
    versions = store.versions_of(session, definition_id)
    items = [summary(r) for r in versions if _visible(r, principal)]
    if not items:  # a definition with only drafts the caller may not read does not exist for them
        raise ApiError(404, f"no definition {definition_id!r}")
    if media == negotiate.CSV:
        return negotiate.csv_response(items, SUMMARY_COLUMNS, dialect=dialect)
    return negotiate.json_response({"id": definition_id, "items": items})


@router.get(
    "/{definition_id}/versions/{version}",
    summary="One version of a definition",
    responses=negotiate.openapi_content(*READ_TYPES),
)
def get_version(request: Request, row: ReadableVersion) -> Response:
    return render_version(request, row)


def _prepare_draft(body: dict[str, Any]) -> dict[str, Any]:
    doc = copy.deepcopy(body)
    status = doc.setdefault("status", "draft")
    if status != "draft":
        raise ApiError(
            422,
            f"status must be 'draft' here (got {status!r}); change the status with POST .../publish, /deprecate or /withdraw",
        )
    for key in ("published", "content_hash"):
        if key in doc:
            raise ApiError(422, f"{key!r} is set by publishing; leave it out of a draft")
    doc.setdefault("created", date.today().isoformat())
    return doc


def _author_of(doc: dict[str, Any]) -> str:
    author = doc.get("author")
    if not isinstance(author, str) or not author.strip():
        raise ApiError(
            422,
            "author is required: the field lab that owns the definition",
            [
                {
                    "engine": "jsonschema",
                    "path": "author",
                    "rule": "required",
                    "message": "'author' is a required property",
                    "value": None,
                }
            ],
        )
    return author


def _id_and_version(doc: dict[str, Any]) -> tuple[str, str]:
    did, version = doc.get("id"), doc.get("version")
    if not isinstance(did, str) or not isinstance(version, str):
        return "", ""
    try:
        parse_version(version)
    except ZichtError:
        return did, ""
    return did, version


@router.post(
    "", status_code=201, summary="Create a draft definition", responses=negotiate.openapi_content(*READ_TYPES)
)
def create_definition(
    request: Request,
    body: Annotated[dict[str, Any], Body(description="A Definition (LinkML instance) with status draft.")],
    principal: Annotated[Principal, Depends(require_key)],
    session: Annotated[Session, Depends(db_session)],
) -> Response:
    doc = _prepare_draft(body)
    check_can_edit(principal, _author_of(doc), "creating a definition")
    ensure_valid(doc)
    did, version = _id_and_version(doc)
    if not did or not version:
        raise ApiError(422, "id and a semantic version MAJOR.MINOR.PATCH are required")
    with writing(request, session, did):
        if store.versions_of(session, did):
            raise ApiError(
                409,
                f"a definition {did!r} exists already; start a new version with POST /api/v1/definitions/{did}/versions",
            )
        return _insert_version(request, session, principal, doc, "definition.create", None)


@router.put(
    "/{definition_id}/versions/{version}",
    summary="Replace a draft (If-Match required)",
    responses=negotiate.openapi_content(*READ_TYPES),
)
def update_draft(
    request: Request,
    definition_id: str,
    version: str,
    body: Annotated[
        dict[str, Any], Body(description="The whole Definition; id and version must match the path.")
    ],
    principal: Annotated[Principal, Depends(require_key)],
    session: Annotated[Session, Depends(db_session)],
) -> Response:
    with writing(request, session, definition_id):
        return _update_draft(request, definition_id, version, body, principal, session)


def _update_draft(
    request: Request,
    definition_id: str,
    version: str,
    body: dict[str, Any],
    principal: Principal,
    session: Session,
) -> Response:
    row = _get_row(session, definition_id, version)
    check_can_edit(principal, row.author, "editing a definition")
    if row.status in FROZEN:
        raise ApiError(
            409,
            f"{definition_id} {version} is {row.status} and can never change; create a new version "
            f"with POST /api/v1/definitions/{definition_id}/versions",
        )
    require_if_match(request, etag_of(row))
    doc = _prepare_draft(body)
    if (doc.get("id"), doc.get("version")) != (definition_id, version):
        raise ApiError(
            422,
            f"id and version in the body ({doc.get('id')!r}, {doc.get('version')!r}) must match the path "
            f"({definition_id!r}, {version!r})",
        )
    check_can_edit(principal, _author_of(doc), "moving a definition to another author")
    ensure_valid(doc)
    before = row.content_hash
    store.replace_document(row, doc)
    _commit_update(session, principal, "definition.update", row, before)
    return render_version(request, row)


_CHANGED_MEANWHILE = (
    "the resource changed while you were updating it; GET it again, re-apply your change and retry"
)


def _commit_update(
    session: Session, principal: Principal, action: str, row: DefinitionVersion, before: str
) -> None:
    _commit_audited(
        session, principal, action, row, before, StaleDataError, ApiError(412, _CHANGED_MEANWHILE)
    )


def _commit_audited(
    session: Session,
    principal: Principal,
    action: str,
    row: DefinitionVersion,
    before: str | None,
    race: type[Exception],
    error: ApiError,
) -> None:
    """Flush the write, audit it and commit; a concurrent write (``race``) rolls back and raises ``error``."""
    try:
        session.flush()
    except race:
        session.rollback()
        raise error from None
    audit_write(session, principal, action, href(row.definition_id, row.version), before, row.content_hash)
    session.commit()


@router.post(
    "/{definition_id}/versions",
    status_code=201,
    summary="Start a new draft version from the latest version",
    responses=negotiate.openapi_content(*READ_TYPES),
)
def start_version(
    request: Request,
    definition_id: str,
    body: Annotated[NewVersionRequest, Body(default_factory=lambda: NewVersionRequest())],
    principal: Annotated[Principal, Depends(require_key)],
    session: Annotated[Session, Depends(db_session)],
) -> Response:
    with writing(request, session, definition_id):
        return _start_version(request, definition_id, body, principal, session)


def _start_version(
    request: Request, definition_id: str, body: NewVersionRequest, principal: Principal, session: Session
) -> Response:
    versions = store.versions_of(session, definition_id)
    if not versions:
        raise ApiError(404, f"no definition {definition_id!r}")
    latest = versions[0]
    check_can_edit(principal, latest.author, "starting a new version")
    if latest.status not in FROZEN:
        raise ApiError(
            409,
            f"{definition_id} {latest.version} is still a draft: edit it with PUT {href(definition_id, latest.version)}",
        )
    doc = new_version(store.document_of(latest), body.part)
    return _insert_version(request, session, principal, doc, "definition.new_version", latest.content_hash)


def _insert_version(
    request: Request,
    session: Session,
    principal: Principal,
    doc: dict[str, Any],
    action: str,
    before_hash: str | None,
) -> Response:
    """Store a new version row, audit it and answer 201; a concurrent insert of the same version is a 409."""
    row = store.new_row(doc)
    session.add(row)
    clash = ApiError(409, f"{doc['id']} {doc['version']} was created at the same time by someone else")
    _commit_audited(session, principal, action, row, before_hash, IntegrityError, clash)
    return render_version(
        request, row, status=201, extra_headers={"Location": href(row.definition_id, row.version)}
    )


def _change_status(
    request: Request, session: Session, principal: Principal, definition_id: str, version: str, to: str
) -> Response:
    with writing(request, session, definition_id):
        return _move(request, session, principal, definition_id, version, to)


def _move(
    request: Request, session: Session, principal: Principal, definition_id: str, version: str, to: str
) -> Response:
    row = _get_row(session, definition_id, version)
    check_can_edit(principal, row.author, f"changing the status to {to}")
    require_if_match(request, etag_of(row))
    moved = transition(store.document_of(row), to)
    if to == "published":
        ensure_valid(moved)
    before = row.content_hash
    store.replace_document(row, moved)
    _commit_update(session, principal, STATUS_ACTIONS[to], row, before)
    return render_version(request, row)


def _status_route(verb: str, to: str, summary: str) -> None:
    """POST .../{verb}: move a version to status ``to`` (If-Match required)."""

    def change_status(
        request: Request,
        definition_id: str,
        version: str,
        principal: Annotated[Principal, Depends(require_key)],
        session: Annotated[Session, Depends(db_session)],
    ) -> Response:
        return _change_status(request, session, principal, definition_id, version, to)

    change_status.__name__ = verb  # the OpenAPI operation id
    router.post(
        f"/{{definition_id}}/versions/{{version}}/{verb}",
        summary=summary,
        responses=negotiate.openapi_content(*READ_TYPES),
    )(change_status)


_status_route("publish", "published", "Publish a draft (If-Match required)")
_status_route("deprecate", "deprecated", "Deprecate a published version (If-Match required)")
_status_route("withdraw", "withdrawn", "Withdraw a version (If-Match required)")


@router.get(
    "/{definition_id}/versions/{version}/description",
    summary="One version in plain Dutch sentences (population, period, each criterion, logic, result)",
)
def get_description(row: ReadableVersion) -> Response:
    sentences = describe(store.document_of(row), source_catalogue())
    return negotiate.json_response(
        {
            "id": row.definition_id,
            "version": row.version,
            "lang": "nl",
            **sentences,
            "text": as_text(sentences),
        }
    )


@router.get(
    "/{definition_id}/diff", summary="What changed between two versions (fields, criteria, logic, in words)"
)
def get_diff(
    definition_id: str,
    from_version: Annotated[str, Query(alias="from", max_length=40, description="The older version.")],
    to_version: Annotated[str, Query(alias="to", max_length=40, description="The newer version.")],
    principal: Annotated[Principal | None, Depends(optional_principal)],
    session: Annotated[Session, Depends(db_session)],
) -> Response:
    rows = [_get_row(session, definition_id, v) for v in (from_version, to_version)]
    for row in rows:
        _check_readable(row, principal)
    return negotiate.json_response(diff_definitions(*(store.document_of(r) for r in rows)))


@router.get(
    "/{definition_id}/versions/{version}/sources",
    summary="The sources a version needs, and per gemeente of the served store whether they are there",
)
def get_sources(
    *,
    request: Request,
    date: Annotated[
        str, Query(max_length=10, description="Reference date YYYY-MM-DD (windows end here).")
    ] = PAGE_REFERENCE_DATE,
    row: ReadableVersion,
    session: Annotated[Session, Depends(db_session)],
) -> Response:
    definition_id, version = row.definition_id, row.version
    doc = store.document_of(row)
    session.close()
    try:
        reference_date = dt.date.fromisoformat(date)
    except ValueError:
        raise ApiError(422, f"date {date!r} is not a date YYYY-MM-DD") from None
    state = request.app.state.store_status
    status = state()
    if not status.counts_available or state.path is None:
        raise ApiError(503, f"source coverage is not available: {status.message}")
    key = ("definition-sources", state.manifest_hash(), doc["content_hash"], reference_date.isoformat())
    body = state.cached(key, lambda: sources_of(doc, state.path, reference_date))
    return negotiate.json_response({"id": definition_id, "version": version, **body})
