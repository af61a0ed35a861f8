"""Page/per_page query parameters and the page envelope with total and links."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Query, Request

MAX_PER_PAGE = 200


@dataclass(frozen=True)
class PageParams:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def page_params(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="Page number, from 1.")] = 1,
    per_page: Annotated[
        int, Query(ge=1, le=MAX_PER_PAGE, description=f"Items per page (1–{MAX_PER_PAGE}).")
    ] = 50,
) -> PageParams:
    return PageParams(page, per_page)


def envelope(
    request: Request, items: list[Any], total: int, params: PageParams
) -> tuple[dict[str, Any], dict[str, str]]:
    """The page body and the RFC 8288 Link header."""
    last = max(1, math.ceil(total / params.per_page))

    def link(n: int) -> str:
        # Relative to the host: the Host header is the client's to choose and is never copied into a link.
        url = request.url.include_query_params(page=n, per_page=params.per_page)
        return url.path + (f"?{url.query}" if url.query else "")

    links = {
        "self": link(params.page),
        "first": link(1),
        "last": link(last),
        "next": link(params.page + 1) if params.page < last else None,
        "prev": link(min(params.page - 1, last)) if params.page > 1 else None,
    }
    header = ", ".join(f'<{url}>; rel="{rel}"' for rel, url in links.items() if url and rel != "self")
    body = {"items": items, "total": total, "page": params.page, "per_page": params.per_page, "links": links}
    return body, {"Link": header}
