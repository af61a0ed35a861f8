"""Who is calling: API keys bound to a role (and, for field labs, a lab); checks for each write."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from zicht.api.deps import db_session
from zicht.api.errors import ApiError
from zicht.db import audit
from zicht.db.keys import find_key


@dataclass(frozen=True)
class Principal:
    key_id: int
    role: str
    lab: str | None

    def describe(self) -> str:
        return f"key {self.key_id} ({self.role}{', ' + self.lab if self.lab else ''})"


def presented_key(request: Request) -> str | None:
    auth = request.headers.get("authorization")
    if auth:
        scheme, _, token = auth.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(
                401, "Authorization must be 'Bearer <API key>'", headers={"WWW-Authenticate": "Bearer"}
            )
        return token.strip()
    key = request.headers.get("x-api-key")
    return key.strip() if key else None


def optional_principal(
    request: Request, session: Annotated[Session, Depends(db_session)]
) -> Principal | None:
    """The caller, or None for an anonymous reader. A key that is sent must be valid, also on reads."""
    return principal_for(session, presented_key(request))


def principal_for(session: Session, key: str | None) -> Principal | None:
    """The holder of a presented key, None for no key; 401 for a key that is unknown or revoked."""
    if key is None:
        return None
    row = find_key(session, key)
    if row is None:
        raise ApiError(401, "unknown or revoked API key", headers={"WWW-Authenticate": "Bearer"})
    return Principal(row.id, row.role, row.lab)


def require_key(principal: Annotated[Principal | None, Depends(optional_principal)]) -> Principal:
    if principal is None:
        raise ApiError(
            401,
            "this request changes data and needs an API key (Authorization: Bearer <key>)",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return principal


def require_roles(principal: Principal, *roles: str, what: str) -> None:
    if principal.role not in roles:
        raise ApiError(403, f"{what} needs the role {' or '.join(roles)}; this key has role {principal.role}")


def steward_or_admin(principal: Annotated[Principal, Depends(require_key)]) -> Principal:
    require_roles(principal, "steward", "admin", what="this request")
    return principal


def admin_only(principal: Annotated[Principal, Depends(require_key)]) -> Principal:
    require_roles(principal, "admin", what="this request")
    return principal


def can_read_draft(principal: Principal | None, author: str) -> bool:
    if principal is None:
        return False
    if principal.role in ("steward", "admin"):
        return True
    return principal.role == "fieldlab" and _same_lab(principal.lab, author)


def check_can_edit(principal: Principal, author: str, what: str) -> None:
    """Field labs edit their own definitions only; stewards do not edit definitions; admins do."""
    if principal.role == "admin":
        return
    if principal.role != "fieldlab":
        raise ApiError(403, f"{what} needs a fieldlab or admin key; this key has role {principal.role}")
    if not _same_lab(principal.lab, author):
        raise ApiError(
            403,
            f"{what}: the definition's author is {author!r}, but this key belongs to lab {principal.lab!r}",
        )


def _same_lab(lab: str | None, author: str) -> bool:
    return lab is not None and lab.strip().casefold() == author.strip().casefold()


def audit_write(
    session: Session, principal: Principal, action: str, resource: str, before: str | None, after: str | None
) -> None:
    """The audit log entry of a write by ``principal`` (committed with the write)."""
    audit.record(
        session,
        key_id=principal.key_id,
        role=principal.role,
        lab=principal.lab,
        action=action,
        resource=resource,
        before_hash=before,
        after_hash=after,
    )
