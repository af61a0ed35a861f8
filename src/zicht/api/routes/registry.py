"""The registry as a whole: do the files and the database agree, and the live check of a definition
being written (the same rules as `zicht registry check`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy.orm import Session

from zicht.api import count_policy, negotiate
from zicht.api.auth import Principal, admin_only, can_read_draft, optional_principal, require_key
from zicht.api.definition_views import findings, known_source_kinds
from zicht.api.deps import db_session
from zicht.api.registry_mirror import mirror_of
from zicht.db import definitions as store
from zicht.registry.describe import describe
from zicht.registry.files import source_catalogue
from zicht.registry.normalise import content_hash

router = APIRouter(prefix="/registry", tags=["registry"])


@router.get("", summary="Where the definitions live and whether the registry files and the database agree")
def registry_status(request: Request) -> Response:
    mirror = mirror_of(request)
    if mirror is None:
        return negotiate.json_response(
            {
                "mode": "database",
                "in_sync": True,
                "folder": None,
                "message": "this service keeps definitions in its database only "
                "(started without a registry folder)",
            }
        )
    report = mirror.last
    body: dict[str, Any] = {
        "mode": "files",
        "folder": mirror.root.name,
        "message": "every write is written through to the registry folder; files changed there "
        "are read back before the next request (docs/definitions.md)",
    }
    if report is not None:
        body.update({k: v for k, v in report.to_dict().items() if k != "registry"})
    return negotiate.json_response(body)


@router.post(
    "/sync", summary="Compare the registry folder with the database now and bring them together (admin)"
)
async def registry_sync(request: Request, _admin: Annotated[Principal, Depends(admin_only)]) -> Response:
    mirror = mirror_of(request)
    if mirror is None:
        return negotiate.json_response({"mode": "database", "in_sync": True})
    report = await run_in_threadpool(mirror.sync_all)
    return negotiate.json_response(
        {
            "mode": "files",
            "folder": mirror.root.name,
            **{k: v for k, v in report.to_dict().items() if k != "registry"},
        }
    )


@router.post(
    "/check",
    summary="Check a definition document with the rules of `zicht registry check` (nothing is stored)",
)
def check_definition(
    body: Annotated[Any, Body(description="A Definition document, complete or still being written.")],
    principal: Annotated[Principal | None, Depends(optional_principal)],
    session: Annotated[Session, Depends(db_session)],
) -> Response:
    if not isinstance(body, dict):
        return negotiate.json_response(
            {
                "valid": False,
                "problems": [
                    {
                        "path": "",
                        "rule": "schema-type",
                        "severity": "error",
                        "engine": "jsonschema",
                        "suggestion": None,
                        "message": "a definition is a JSON object (id, version, title, criteria, logic, ...)",
                    }
                ],
                "content_hash": None,
                "description": None,
            }
        )
    problems = findings(body, known_source_kinds(), warnings=True)
    problems += _registry_context(session, body, principal)
    errors = [p for p in problems if p["severity"] == "error"]
    try:
        digest = content_hash(body)
    except (TypeError, KeyError, ValueError, AttributeError):
        digest = None
    return negotiate.json_response(
        {
            "valid": not errors,
            "problems": problems,
            "content_hash": digest,
            "description": describe(body, source_catalogue()),
        }
    )


def _registry_context(
    session: Session, doc: dict[str, Any], principal: Principal | None
) -> list[dict[str, Any]]:
    """What only the registry knows: is the id taken, by whom, and which version comes next."""
    did, version = doc.get("id"), doc.get("version")
    if not isinstance(did, str) or not did:
        return []
    refs = store.version_refs(session, did)
    if not refs:
        return []
    own = (
        principal is not None
        and principal.lab is not None
        and all(r["author"].strip().casefold() == principal.lab.strip().casefold() for r in refs)
    )
    if any(r["version"] == version for r in refs):
        ref = next(r for r in refs if r["version"] == version)
        if ref["status"] == "draft" and own:
            return []  # editing one's own draft
        if ref["status"] == "draft" and not can_read_draft(principal, ref["author"]):
            return [
                _problem("id", "id-taken", f"the id {did!r} is taken; choose an id of your own for a variant")
            ]
        return [
            _problem(
                "id",
                "id-version-exists",
                f"{did} {version} exists already ({ref['status']}); "
                "a new variant needs its own id, a change a new version",
            )
        ]
    if own:
        return [
            _problem(
                "version",
                "new-version",
                f"{did} exists; this would be a new version after "
                f"{refs[0]['version']} (start it from the definition's page)",
                "warning",
            )
        ]
    visible = any(r["status"] != "draft" or can_read_draft(principal, r["author"]) for r in refs)
    owner = f" belongs to {refs[0]['author']}" if visible else " is taken"
    return [_problem("id", "id-taken", f"the id {did!r}{owner}; choose an id of your own for a variant")]


def _problem(path: str, rule: str, message: str, severity: str = "error") -> dict[str, Any]:
    return {
        "engine": "registry",
        "path": path,
        "rule": rule,
        "severity": severity,
        "message": message,
        "suggestion": None,
    }


@router.get(
    "/me",
    summary="Who this API key is: role, field lab, and how many draft contents it may still have counted",
)
def whoami(
    request: Request,
    principal: Annotated[Principal, Depends(require_key)],
    session: Annotated[Session, Depends(db_session)],
) -> Response:
    quota = getattr(request.app.state.settings, "draft_quota", count_policy.DRAFT_QUOTA)
    used = count_policy.drafts_counted(session, principal.key_id)
    return negotiate.json_response(
        {
            "role": principal.role,
            "lab": principal.lab,
            "drafts_counted": used,
            "draft_quota": quota,
            "quota_days": count_policy.QUOTA_DAYS,
        }
    )


@router.get("/sources", summary="The sources a criterion may be restricted to (from the source descriptors)")
def list_sources(request: Request) -> Response:
    catalogue = source_catalogue(getattr(request.app.state.settings, "mappings_dir", None))
    items = [{"id": sid, **info} for sid, info in sorted(catalogue.items())]
    return negotiate.json_response({"items": items})
