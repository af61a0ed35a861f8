"""A strong ETag on every successful GET that has none yet (lists, concepts, regions, ...), and 304 when
the client's If-None-Match already names it. Resources with their own ETag (definition versions, counts)
keep it, and get the same 304 when it is named (weak or strong, or ``*``)."""

from __future__ import annotations

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from zicht.api.etag import body_etag, none_match


class ETagMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        wanted = Headers(scope=scope).get("if-none-match")
        start: Message | None = None
        chunks: list[bytes] = []
        passthrough = False
        not_modified = False

        def matches(etag: str) -> bool:
            return none_match(wanted, etag)

        async def buffered(message: Message) -> None:
            nonlocal start, passthrough, not_modified
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                if message["status"] == 200 and "etag" in headers and matches(headers["etag"]):
                    not_modified = True
                    kept = MutableHeaders(raw=list(message["headers"]))
                    for name in ("content-length", "content-type"):
                        if name in kept:
                            del kept[name]
                    await send({**message, "status": 304, "headers": kept.raw})
                    await send({"type": "http.response.body", "body": b""})
                elif message["status"] != 200 or "etag" in headers:
                    passthrough = True
                    await send(message)
                else:
                    start = message
                return
            if not_modified:
                return  # the body of a 304 is empty
            if passthrough or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            assert start is not None
            headers = MutableHeaders(raw=start["headers"])
            etag = body_etag(body)
            headers["ETag"] = etag
            if matches(etag):
                del headers["content-length"]
                for name in ("content-type",):
                    if name in headers:
                        del headers[name]
                await send({**start, "status": 304, "headers": headers.raw})
                await send({"type": "http.response.body", "body": b""})
                return
            await send({**start, "headers": headers.raw})
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, buffered)
