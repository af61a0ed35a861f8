"""Request size limits, enforced while the body streams in (a wrong Content-Length cannot dodge them)."""

from __future__ import annotations

import hashlib
import json
import math
import time

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


async def _reply(
    send: Send, status: int, code: str, message: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = json.dumps(
        {"error": {"status": status, "code": code, "message": message, "details": None}}
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RateLimit:
    """429 with Retry-After for a client that writes too often, or asks too many expensive questions
    (comparisons, datasets, mapping lint) without a key.

    Token buckets per client and class: a client is its API key when it sends one (hashed, never kept in
    the clear), else its address. Each bucket holds ``burst`` requests and refills at ``per_second``.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        writes: tuple[int, float],
        expensive: tuple[int, float],
        expensive_prefixes: tuple[str, ...],
    ) -> None:
        self.app = app
        self.limits = {"write": writes, "expensive": expensive}
        self.expensive_prefixes = expensive_prefixes
        self.buckets: dict[tuple[str, str], tuple[float, float]] = {}  # (class, client) → (tokens, at)

    def _class(self, scope: Scope, headers: dict[bytes, bytes]) -> str | None:
        method = scope.get("method", "GET")
        if method not in ("GET", "HEAD", "OPTIONS"):
            return "write"
        keyed = b"authorization" in headers or b"x-api-key" in headers
        path = str(scope.get("path", ""))
        if not keyed and (path.startswith(self.expensive_prefixes) or path.endswith("/lint")):
            return "expensive"
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        kind = self._class(scope, headers)
        if kind is not None:
            wait = self._take(kind, _client(scope, headers))
            if wait > 0:
                retry = max(1, math.ceil(wait))
                what = "writes" if kind == "write" else "expensive requests without an API key"
                await _reply(
                    send,
                    429,
                    "too_many_requests",
                    f"too many {what} from this client; retry in {retry} s",
                    headers=[(b"retry-after", str(retry).encode())],
                )
                return
        await self.app(scope, receive, send)

    def _take(self, kind: str, client: str) -> float:
        """Take a token; 0 when one was there, else the seconds until there is one."""
        burst, rate = self.limits[kind]
        if burst <= 0:
            return 0.0
        now = time.monotonic()
        tokens, at = self.buckets.get((kind, client), (float(burst), now))
        tokens = min(float(burst), tokens + (now - at) * rate)
        if tokens >= 1:
            self.buckets[(kind, client)] = (tokens - 1, now)
            return 0.0
        self.buckets[(kind, client)] = (tokens, now)
        if len(self.buckets) > 100_000:  # forget idle clients rather than grow without bound
            self.buckets = {k: v for k, v in self.buckets.items() if now - v[1] < 3600}
        return (1 - tokens) / rate if rate > 0 else 3600.0


def _client(scope: Scope, headers: dict[bytes, bytes]) -> str:
    key = headers.get(b"authorization") or headers.get(b"x-api-key")
    if key:
        return "key:" + hashlib.sha256(key).hexdigest()[:16]
    client = scope.get("client")
    return "addr:" + (client[0] if client else "unknown")
