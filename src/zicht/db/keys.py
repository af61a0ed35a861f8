"""API keys: random secrets shown once; the database keeps only their SHA-256 hash.

A key is 32 random bytes, so a fast hash is enough (no dictionary to guess from); a slow password hash
would only slow every request down.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from zicht.choices import ROLES
from zicht.db.models import ApiKey
from zicht.errors import ZichtError

KEY_PREFIX = "zk_"


def hash_key(key: str) -> str:
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(session: Session, role: str, lab: str | None = None) -> tuple[ApiKey, str]:
    """Store a new key for ``role`` (a field lab key needs its ``lab``); return the row and the key."""
    if role not in ROLES:
        raise ZichtError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    lab = (lab or "").strip() or None
    if lab is not None:
        from zicht.privacy.fields import refuse_identifiers

        if len(lab) > 200:
            raise ZichtError(f"--lab: a lab name of {len(lab)} characters; at most 200")
        refuse_identifiers(lab, "API key", "lab")
    if role == "fieldlab" and lab is None:
        raise ZichtError(
            "a fieldlab key needs --lab NAME: the lab whose definitions it may edit (the definitions' author)"
        )
    plain = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(key_hash=hash_key(plain), role=role, lab=lab, created_at=datetime.now(UTC), revoked=False)
    session.add(row)
    session.flush()
    return row, plain


def find_key(session: Session, plain: str) -> ApiKey | None:
    row = session.scalars(select(ApiKey).where(ApiKey.key_hash == hash_key(plain))).first()
    if row is None or row.revoked:
        return None
    return row
