"""Content negotiation: pick the representation from the Accept header, or answer 406."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import lru_cache
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import JSONResponse, Response

from zicht import paths
from zicht.api.errors import ApiError
from zicht.choices import CsvDialect
from zicht.csvfile import rows_csv

JSON = "application/json"
JSONLD = "application/ld+json"
TURTLE = "text/turtle"
CSV = "text/csv"
TSV = "text/tab-separated-values"
GEOJSON = "application/geo+json"


def _parse(accept: str) -> list[tuple[str, float, int]]:
    out = []
    for i, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        out.append((media, q, i))
    return out


def _matches(pattern: str, offered: str) -> int:
    """Specificity of a match (3 exact, 2 type/*, 1 */*), 0 for none."""
    if pattern == offered:
        return 3
    if pattern == "*/*":
        return 1
    if pattern.endswith("/*") and offered.split("/")[0] == pattern[:-2]:
        return 2
    return 0


def choose(request: Request, offered: Sequence[str]) -> str:
    """The offered media type the client prefers; the first offered when Accept is absent or */*."""
    accept = request.headers.get("accept", "").strip()
    if not accept:
        return offered[0]
    best: tuple[float, int, int] | None = None
    chosen = None
    for position, media in enumerate(offered):
        # The most specific Accept range that matches decides the quality of this type (RFC 9110).
        spec, quality = 0, 0.0
        for pattern, q, _ in _parse(accept):
            s = _matches(pattern, media)
            if s > spec:
                spec, quality = s, q
        if spec and quality > 0:
            key = (quality, spec, -position)
            if best is None or key > best:
                best, chosen = key, media
    if chosen is None:
        raise ApiError(
            406,
            f"cannot produce {accept!r} here; this resource is available as {', '.join(offered)}",
            {"available": list(offered)},
        )
    return chosen


@lru_cache(maxsize=1)
def jsonld_context() -> dict[str, Any]:
    """The JSON-LD context generated from the LinkML model (ontology/zicht.context.jsonld)."""
    data = json.loads((paths.ontology_dir() / "zicht.context.jsonld").read_text(encoding="utf-8"))
    return data["@context"]


class ZichtJSONResponse(JSONResponse):
    """JSON that also takes dates, numpy scalars and NaN (as null), which data from tables carry."""

    def render(self, content: Any) -> bytes:
        return json.dumps(
            _clean(content), ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_default
        ).encode("utf-8")


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    return value


def _default(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy / pandas scalars
        item = value.item()
        return item if not isinstance(item, float) or math.isfinite(item) else None
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if value is pd_na():
        return None
    raise TypeError(f"cannot serialise {type(value).__name__}")


def pd_na() -> Any:
    try:
        import pandas as pd
    except ImportError:  # pragma: no cover - pandas is a dependency
        return object()
    return pd.NA


def json_response(
    data: Any, *, status: int = 200, media_type: str = JSON, headers: dict[str, str] | None = None
) -> Response:
    return ZichtJSONResponse(data, status_code=status, media_type=media_type, headers=headers)


def csv_text(
    rows: Iterable[dict[str, Any]], columns: Sequence[str], dialect: CsvDialect = "standard"
) -> bytes:
    """The rows as CSV in the dialect (`zicht.csvfile`: standard or excel)."""
    return rows_csv(rows, columns, dialect)


# The one query parameter of every CSV representation (docs/api.md "CSV").
DialectQuery = Annotated[
    CsvDialect,
    Query(
        description="CSV only: standard (comma, decimal point, UTF-8: pandas, R, DuckDB) or excel "
        "(semicolon, decimal comma, UTF-8 with BOM, CRLF: Excel with Dutch regional settings)."
    ),
]


def csv_response(
    rows: Iterable[dict[str, Any]],
    columns: Sequence[str],
    *,
    headers: dict[str, str] | None = None,
    dialect: CsvDialect = "standard",
) -> Response:
    return Response(csv_text(rows, columns, dialect), media_type=f"{CSV}; charset=utf-8", headers=headers)


def turtle_response(text: str, *, headers: dict[str, str] | None = None) -> Response:
    return Response(text, media_type=f"{TURTLE}; charset=utf-8", headers=headers)


def openapi_content(*types: str) -> dict[int | str, dict[str, Any]]:
    """The extra media types of a 200 response, for the OpenAPI schema."""
    return {
        200: {"content": {t: {} for t in types}},
        406: {"description": "none of the Accept types is offered"},
    }
