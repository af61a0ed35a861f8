"""One JSON error body for every failure: ``{"error": {status, code, message, details}}``.

Clients never see a stack trace: unexpected exceptions are logged with an id and answered with 500 and
that id only.
"""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException

from zicht.errors import InputError, ZichtError
from zicht.privacy import redact
from zicht.privacy.fields import IdentifierRefused
from zicht.registry.lifecycle import LifecycleError

log = logging.getLogger("zicht.api")

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    411: "length_required",
    412: "precondition_failed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    428: "precondition_required",
    429: "too_many_requests",
    500: "internal_error",
    503: "service_unavailable",
}


class ApiError(Exception):
    def __init__(
        self, status: int, message: str, details: Any = None, *, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.details = details
        self.headers = headers


def error_response(
    status: int, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    body = {
        "error": {
            "status": status,
            "code": CODES.get(status, "error"),
            "message": scrub(message),
            "details": scrub(details),
        }
    }
    return JSONResponse(body, status_code=status, headers=headers)


# An absolute file path (not an API path): error bodies name files by their own name only.
_SERVER_PATH = re.compile(r"(?<![\w.:/])/(?!api/)(?:[^\s/'\"<>():;,]+/)+([^\s/'\"<>():;,]*)")


def scrub(value: Any) -> Any:
    """What an error body may say: every direct identifier replaced (a BSN typed into a URL is never
    echoed), every server path cut to the file's name, text kept to a sane length."""
    if isinstance(value, str):
        text = _SERVER_PATH.sub(lambda m: m.group(1) or "<folder>", value)
        text = redact(text)
        return text if len(text) <= 2000 else text[:1997] + "..."
    if isinstance(value, dict):
        return {scrub(k) if isinstance(k, str) else k: scrub(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(v) for v in value]
    return value


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api(_request: Request, exc: ApiError) -> JSONResponse:
        return error_response(exc.status, exc.message, exc.details, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such resource: {request.url.path}"
        elif exc.status_code == 405:
            message = f"method {request.method} is not allowed on {request.url.path}"
        return error_response(exc.status_code, message, None, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {
                "location": "/".join(str(p) for p in err.get("loc", ())),
                "message": err.get("msg", ""),
                "type": err.get("type", ""),
            }
            for err in exc.errors()
        ]
        where = "; ".join(f"{d['location']}: {d['message']}" for d in details[:3])
        return error_response(422, f"invalid request: {where}", details)

    @app.exception_handler(IdentifierRefused)
    async def _identifier(_request: Request, exc: IdentifierRefused) -> JSONResponse:
        return error_response(422, str(exc), [f.as_dict() for f in exc.findings])

    @app.exception_handler(LifecycleError)
    async def _lifecycle(_request: Request, exc: LifecycleError) -> JSONResponse:
        return error_response(409, str(exc))

    @app.exception_handler(InputError)
    async def _input(_request: Request, exc: InputError) -> JSONResponse:
        return error_response(422, str(exc))

    @app.exception_handler(ZichtError)
    async def _zicht(_request: Request, exc: ZichtError) -> JSONResponse:
        return error_response(400, str(exc))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        error_id = uuid.uuid4().hex[:12]
        log.error("internal error %s on %s %s", error_id, request.method, request.url.path, exc_info=exc)
        return error_response(500, f"internal error (id {error_id}); the server log has the details")


class JSONCORSMiddleware(CORSMiddleware):
    """Starlette's CORS handling, with the JSON error body of every other failure for a refused preflight
    (Starlette answers it in plain text)."""

    def preflight_response(self, request_headers: Headers) -> Response:
        response = super().preflight_response(request_headers)
        if response.status_code < 400:
            return response
        reason = bytes(response.body).decode("utf-8", "replace").strip() or "CORS preflight refused"
        keep = {
            k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "content-type")
        }
        return error_response(response.status_code, reason, None, keep)
