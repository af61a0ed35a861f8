"""The append-only audit log of every write (admins only)."""

from __future__ import annotations

from datetime import UTC
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from zicht.api import negotiate
from zicht.api.auth import Principal, admin_only
from zicht.api.deps import db_session
from zicht.api.pagination import PageParams, envelope, page_params
from zicht.db import audit
from zicht.db.models import AuditEntry

router = APIRouter(prefix="/audit", tags=["service"])


def entry_json(e: AuditEntry) -> dict[str, object]:
    who = f"key:{e.key_id} ({e.role}{', ' + e.lab if e.lab else ''})"
    return {
        "id": e.id,
        "at": e.at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "actor": who,
        "key_id": e.key_id,
        "role": e.role,
        "lab": e.lab,
        "action": e.action,
        "resource": e.resource,
        "before_hash": e.before_hash,
        "after_hash": e.after_hash,
    }


@router.get("", summary="The audit log, newest first (admin)")
def list_audit(
    request: Request,
    paging: Annotated[PageParams, Depends(page_params)],
    _admin: Annotated[Principal, Depends(admin_only)],
    session: Annotated[Session, Depends(db_session)],
) -> Response:
    rows, total = audit.page(session, paging.offset, paging.per_page)
    body, headers = envelope(request, [entry_json(e) for e in rows], total, paging)
    return negotiate.json_response(body, headers=headers)
