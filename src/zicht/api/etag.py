"""The one home of ETags: strong tags for stored resources and response bodies, If-None-Match (304) and the
If-Match precondition on updates. The middleware, the counts cache and the routes all use these."""

from __future__ import annotations

import hashlib

from fastapi import Request

from zicht.api.errors import ApiError


def make_etag(*parts: object) -> str:
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f'"{digest[:32]}"'


def body_etag(body: bytes) -> str:
    """The strong ETag of a response body (the same bytes always give the same tag)."""
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def none_match(if_none_match: str | None, etag: str) -> bool:
    """True when If-None-Match names `etag` (RFC 9110 weak comparison: W/ ignored) or is ``*``: answer 304."""
    tags = {t.strip().removeprefix("W/") for t in (if_none_match or "").split(",") if t.strip()}
    return "*" in tags or etag.removeprefix("W/") in tags


def require_if_match(request: Request, current: str) -> None:
    """428 without If-Match, 412 when none of the given ETags is the current one."""
    header = request.headers.get("if-match")
    if header is None or not header.strip():
        raise ApiError(
            428,
            "this update needs an If-Match header with the ETag you last read (GET the resource first)",
            {"current_etag": None},
        )
    tags = [t.strip() for t in header.split(",")]
    if "*" in tags:
        # "*" would skip the lost-update check this header exists for.
        raise ApiError(428, "If-Match: * is not accepted; send the ETag you last read")
    # Weak tags (W/"...") never match for updates (RFC 9110 strong comparison).
    if current not in tags:
        raise ApiError(
            412,
            "the resource changed since you read it (If-Match does not match the current ETag); "
            "GET it again, re-apply your change and retry",
        )
