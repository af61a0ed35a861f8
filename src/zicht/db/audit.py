"""Writing to the append-only audit log (in the same transaction as the change it records)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zicht.db.models import AuditEntry


def record(
    session: Session,
    *,
    key_id: int | None,
    role: str,
    lab: str | None,
    action: str,
    resource: str,
    before_hash: str | None,
    after_hash: str | None,
) -> AuditEntry:
    entry = AuditEntry(
        at=datetime.now(UTC),
        key_id=key_id,
        role=role,
        lab=lab,
        action=action,
        resource=resource,
        before_hash=before_hash,
        after_hash=after_hash,
    )
    session.add(entry)
    return entry


def page(session: Session, offset: int, limit: int) -> tuple[list[AuditEntry], int]:
    total = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    rows = list(
        session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).offset(offset).limit(limit))
    )
    return rows, total
