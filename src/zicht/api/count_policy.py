"""What the counts routes allow, beyond the perturbation itself (docs/disclosure.md, "Threat model").

Cell-key perturbation stops differencing and averaging of *the same* cell: the same persons always get
the same value. What it cannot stop alone is an attacker who writes many *different* definitions whose
differences all isolate the same small group, and averages the independent noise of those differences
away. Published definitions are reviewed and few; drafts are where that attack would be written. So:

* a draft is counted only for a key of its own field lab (or an admin), never anonymously;
* a draft is counted per gemeente at most (levels land, regio, gemeente): small areas only for
  published definitions, where the group an attacker could isolate is large;
* a key may have at most `DRAFT_QUOTA` distinct draft contents counted in `QUOTA_DAYS` days (each
  counted content is written to the audit log, so the quota survives restarts and is auditable);
* the suppression mode answers only from its one canonical release per store snapshot and date
  (`comparisons.canonical_release`), never per request.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from zicht.api.auth import Principal, _same_lab, audit_write
from zicht.api.errors import ApiError
from zicht.db.models import AuditEntry
from zicht.regions.codes import LEVELS

DRAFT_LEVELS = LEVELS[: LEVELS.index("gemeente") + 1]  # land, regio, gemeente
DRAFT_QUOTA = 25
QUOTA_DAYS = 30
ACTION = "count-draft"


def may_count_draft(principal: Principal | None, author: str) -> bool:
    if principal is None:
        return False
    return principal.role == "admin" or (principal.role == "fieldlab" and _same_lab(principal.lab, author))


def check_drafts(
    session: Session,
    principal: Principal | None,
    refs: list[dict[str, Any]],
    level: str,
    quota: int = DRAFT_QUOTA,
) -> None:
    """Refuse draft counts that the policy does not allow; record the allowed ones (in `session`)."""
    drafts = [r for r in refs if r["status"] == "draft"]
    if not drafts:
        return
    for r in drafts:
        if not may_count_draft(principal, r["author"]):
            raise ApiError(
                403,
                f"draft {r['id']}@{r['version']} is counted only for a key of its own field lab "
                f"({r['author']})",
            )
    if level not in DRAFT_LEVELS:
        raise ApiError(
            403,
            f"drafts are counted per gemeente at most (levels {', '.join(DRAFT_LEVELS)}); "
            f"level {level!r} needs published definitions",
        )
    assert principal is not None
    since = datetime.now(UTC) - timedelta(days=QUOTA_DAYS)
    seen = set(
        session.scalars(
            select(AuditEntry.after_hash)
            .distinct()
            .where(AuditEntry.action == ACTION, AuditEntry.key_id == principal.key_id, AuditEntry.at >= since)
        )
    )
    new = {r["content_hash"] for r in drafts} - seen
    if len(seen) + len(new) > quota:
        raise ApiError(
            429,
            f"this key has had {len(seen)} distinct draft definitions counted in the last "
            f"{QUOTA_DAYS} days (at most {quota}); publish a definition to count it further",
        )
    for r in drafts:
        if r["content_hash"] in new:
            audit_write(
                session, principal, ACTION, f"definition/{r['id']}@{r['version']}", None, r["content_hash"]
            )
            new.discard(r["content_hash"])
    session.commit()


def drafts_counted(session: Session, key_id: int) -> int:
    since = datetime.now(UTC) - timedelta(days=QUOTA_DAYS)
    return int(
        session.scalar(
            select(func.count(distinct(AuditEntry.after_hash))).where(
                AuditEntry.action == ACTION, AuditEntry.key_id == key_id, AuditEntry.at >= since
            )
        )
        or 0
    )
