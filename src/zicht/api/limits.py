"""Request size limits, enforced while the body streams in (a wrong Content-Length cannot dodge them)."""

from __future__ import annotations

import json

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class _TooLarge(HTTPException):
    # An HTTPException, so that FastAPI re-raises it from body parsing instead of turning it into a 400.
    def __init__(self, limit: int) -> None:
        super().__init__(413, f"request body over the limit of {limit} bytes")


class BodySizeLimit:
    """413 for bodies over ``default`` bytes, or over ``uploads`` on paths starting with an upload prefix."""

    def __init__(self, app: ASGIApp, *, default: int, uploads: int, upload_prefixes: tuple[str, ...]) -> None:
        self.app = app
        self.default = default
        self.uploads = uploads
        self.upload_prefixes = upload_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        limit = self.uploads if path.startswith(self.upload_prefixes) else self.default
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                await _reply(send, 400, "bad_request", "Content-Length is not a number")
                return
            if too_big:
                await _reply(send, 413, "payload_too_large", f"request body over the limit of {limit} bytes")
                return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge(limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _reply(send, 413, "payload_too_large", f"request body over the limit of {limit} bytes")


async def _reply(send: Send, status: int, code: str, message: str) -> None:
    body = json.dumps({"error": {"status": status, "code": code, "message": message, "details": None}}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
