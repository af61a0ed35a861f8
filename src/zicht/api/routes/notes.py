"""Narrative notes by professionals on a region, an indicator or a definition."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zicht.api import negotiate
from zicht.api.auth import Principal, audit_write, require_key
from zicht.api.deps import db_session
from zicht.api.pagination import PageParams, envelope, page_params
from zicht.db.models import Note
from zicht.privacy.fields import refuse_identifiers
from zicht.regions import codes

router = APIRouter(prefix="/notes", tags=["notes"])

COLUMNS = (
    "id",
    "author",
    "created_on",
    "created_at",
    "region_code",
    "indicator",
    "definition_id",
    "language",
    "text",
)


REGION_PATTERN = codes.region_code_pattern()  # the model's RegionCode


class NoteIn(BaseModel):
    region_code: str | None = Field(
        None, pattern=REGION_PATTERN, description="Code of the region (CBS, or a zicht synthetic buurt)."
    )
    indicator: str | None = Field(None, min_length=1, max_length=200)
    definition_id: str | None = Field(None, min_length=1, max_length=200)
    text: str = Field(..., min_length=1, max_length=20_000)
    language: str = Field("nl", pattern=r"^[a-z]{2}$")

    @model_validator(mode="after")
    def _has_target(self) -> NoteIn:
        if not (self.region_code or self.indicator or self.definition_id):
            raise ValueError("a note needs at least one of region_code, indicator, definition_id")
        return self


def note_json(n: Note) -> dict[str, Any]:
    return {
        "id": n.id,
        "author": n.author,
        "created_on": n.created_at.date().isoformat(),
        "created_at": n.created_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "region_code": n.region_code,
        "indicator": n.indicator,
        "definition_id": n.definition_id,
        "text": n.text,
        "language": n.language,
    }


@router.get(
    "",
    summary="Notes on a region, indicator or definition",
    responses=negotiate.openapi_content(negotiate.JSON, negotiate.CSV),
)
def list_notes(
    *,
    request: Request,
    region: Annotated[
        str | None, Query(max_length=20, pattern=REGION_PATTERN, description="CBS region code.")
    ] = None,
    indicator: Annotated[str | None, Query(max_length=200)] = None,
    definition: Annotated[str | None, Query(max_length=200, description="Definition id.")] = None,
    paging: Annotated[PageParams, Depends(page_params)],
    session: Annotated[Session, Depends(db_session)],
    dialect: negotiate.DialectQuery = "standard",
) -> Response:
    media = negotiate.choose(request, (negotiate.JSON, negotiate.CSV))
    query = select(Note)
    if region:
        query = query.where(Note.region_code == region)
    if indicator:
        query = query.where(Note.indicator == indicator)
    if definition:
        query = query.where(Note.definition_id == definition)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Note.id.desc()).offset(paging.offset).limit(paging.per_page))
    items = [note_json(n) for n in rows]
    body, headers = envelope(request, items, total, paging)
    headers["Vary"] = "Accept"
    if media == negotiate.CSV:
        return negotiate.csv_response(items, COLUMNS, headers=headers, dialect=dialect)
    return negotiate.json_response(body, headers=headers)


@router.post("", status_code=201, summary="Add a note (any API key)")
def create_note(
    body: NoteIn,
    principal: Annotated[Principal, Depends(require_key)],
    session: Annotated[Session, Depends(db_session)],
) -> Response:
    refuse_identifiers(
        {"text": body.text, "indicator": body.indicator, "definition_id": body.definition_id}, "note"
    )
    note = Note(
        author=principal.lab or principal.role,
        created_at=datetime.now(UTC),
        region_code=body.region_code,
        indicator=body.indicator,
        definition_id=body.definition_id,
        text=body.text,
        language=body.language,
    )
    session.add(note)
    session.flush()
    resource = f"/api/v1/notes/{note.id}"
    audit_write(session, principal, "note.create", resource, None, _note_hash(note))
    session.commit()
    return negotiate.json_response(note_json(note), status=201, headers={"Location": resource})


def _note_hash(note: Note) -> str:
    import hashlib
    import json

    data = json.dumps(
        [note.region_code, note.indicator, note.definition_id, note.text, note.language], ensure_ascii=False
    )
    return "sha256:" + hashlib.sha256(data.encode("utf-8")).hexdigest()
