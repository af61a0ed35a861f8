"""Definition versions in the database: documents in and out, seeding from the registry folder."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zicht import paths
from zicht.db.models import DefinitionVersion, Meta
from zicht.registry.files import load_registry
from zicht.registry.lifecycle import parse_version
from zicht.registry.normalise import content_hash

SEEDED_KEY = "registry_seeded_from"
API_BASE = "/api/v1"


def href(definition_id: str, version: str) -> str:
    """The stable address of one version (also the resource name in the audit log)."""
    return f"{API_BASE}/definitions/{definition_id}/versions/{version}"


def document_of(row: DefinitionVersion) -> dict[str, Any]:
    """The registry document of a row; a draft carries the hash of its current content."""
    doc = copy.deepcopy(row.document)
    doc["content_hash"] = row.content_hash
    return doc


def stored_hash(document: dict[str, Any]) -> str:
    # A frozen version keeps the hash it was published with (the registry check guarantees it equals
    # the content); a draft's hash is always recomputed.
    if document.get("status") != "draft" and document.get("content_hash"):
        return str(document["content_hash"])
    return content_hash(document)


def new_row(document: dict[str, Any]) -> DefinitionVersion:
    major, minor, patch = parse_version(str(document["version"]))
    doc = copy.deepcopy(document)
    if doc.get("status") == "draft":
        doc.pop("content_hash", None)
    return DefinitionVersion(
        definition_id=str(doc["id"]),
        version=str(doc["version"]),
        major=major,
        minor=minor,
        patch=patch,
        status=str(doc.get("status", "draft")),
        author=str(doc.get("author", "")),
        title=str(doc.get("title", "")),
        content_hash=stored_hash(document),
        document=doc,
        updated_at=datetime.now(UTC),
    )


def replace_document(row: DefinitionVersion, document: dict[str, Any]) -> None:
    doc = copy.deepcopy(document)
    if doc.get("status") == "draft":
        doc.pop("content_hash", None)
    row.document = doc
    row.status = str(doc.get("status", "draft"))
    row.author = str(doc.get("author", ""))
    row.title = str(doc.get("title", ""))
    row.content_hash = stored_hash(document)
    row.updated_at = datetime.now(UTC)


def get_version(session: Session, definition_id: str, version: str) -> DefinitionVersion | None:
    return session.scalars(
        select(DefinitionVersion).where(
            DefinitionVersion.definition_id == definition_id, DefinitionVersion.version == version
        )
    ).first()


def versions_of(session: Session, definition_id: str) -> list[DefinitionVersion]:
    """All versions of one definition, newest first."""
    return list(
        session.scalars(
            select(DefinitionVersion)
            .where(DefinitionVersion.definition_id == definition_id)
            .order_by(
                DefinitionVersion.major.desc(), DefinitionVersion.minor.desc(), DefinitionVersion.patch.desc()
            )
        )
    )


def version_refs(session: Session, definition_id: str) -> list[dict[str, str]]:
    """id, version, status, author, title and content hash of every version, newest first, without loading
    the documents (the cheap lookup behind every counts request)."""
    rows = session.execute(
        select(
            DefinitionVersion.definition_id,
            DefinitionVersion.version,
            DefinitionVersion.status,
            DefinitionVersion.author,
            DefinitionVersion.title,
            DefinitionVersion.content_hash,
        )
        .where(DefinitionVersion.definition_id == definition_id)
        .order_by(
            DefinitionVersion.major.desc(), DefinitionVersion.minor.desc(), DefinitionVersion.patch.desc()
        )
    )
    return [
        {"id": r[0], "version": r[1], "status": r[2], "author": r[3], "title": r[4], "content_hash": r[5]}
        for r in rows
    ]


def all_versions(
    session: Session, *, status: str | None = None, author: str | None = None
) -> list[DefinitionVersion]:
    query = select(DefinitionVersion)
    if status:
        query = query.where(DefinitionVersion.status == status)
    if author:
        query = query.where(func.lower(DefinitionVersion.author) == author.lower())
    query = query.order_by(
        DefinitionVersion.definition_id,
        DefinitionVersion.major.desc(),
        DefinitionVersion.minor.desc(),
        DefinitionVersion.patch.desc(),
    )
    return list(session.scalars(query))


def seed_from_registry(session: Session, root: Path | None = None) -> int:
    """On the first start, load every registry file (current and archived); later starts do nothing.

    Returns the number of versions inserted. Registry files are the reviewed source of the seed
    definitions (``zicht registry check``); they are not validated again here.
    """
    if session.get(Meta, SEEDED_KEY) is not None:
        return 0
    root = root or paths.registry_dir()
    files = load_registry(root) if root.is_dir() else []
    n = _insert_missing(session, (f.data for f in files))
    session.add(Meta(key=SEEDED_KEY, value=f"{root} at {datetime.now(UTC).isoformat()}"))
    return n


def _insert_missing(session: Session, documents: Iterable[dict[str, Any]]) -> int:
    n = 0
    for doc in documents:
        if get_version(session, str(doc["id"]), str(doc["version"])) is None:
            session.add(new_row(doc))
            n += 1
    session.flush()
    return n
